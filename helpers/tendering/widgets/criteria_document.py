"""The criteria builder's document fields (module 6): who buys, the reference and the version for the
title page of the criteria document, and the learner's notes (for example why a criterion's points are
outside the library's typical range), which the document carries in its "Notes" section.
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as w

from helpers.tendering.criteria import CriteriaDraft
from helpers.ui.messages import Issue

NOTES_HINT = (
    "Your reasons, in a few sentences: why these criteria and weights, why a weight is outside the "
    "library's typical range, what the market engagement showed. They go into the document's Notes."
)


class DocumentFields:
    """Text boxes bound to the draft returned by `current()` (the builder replaces its draft on load)."""

    def __init__(self, current: Callable[[], CriteriaDraft], guard: Callable[[Callable], Callable]) -> None:
        self.current = current
        wide = {"description_width": "initial"}
        self.buyer = w.Text(description="Contracting authority", style=wide, layout=w.Layout(width="380px"))
        self.reference = w.Text(description="Reference", style=wide, layout=w.Layout(width="260px"))
        self.version = w.Text(description="Version", style=wide, layout=w.Layout(width="160px"))
        self.notes = w.Textarea(
            description="Your notes",
            placeholder=NOTES_HINT,
            style=wide,
            layout=w.Layout(width="95%", height="110px"),
        )
        for control, css, name in (
            (self.buyer, "spw-doc-buyer", "buyer"),
            (self.reference, "spw-doc-reference", "reference"),
            (self.version, "spw-doc-version", "version"),
            (self.notes, "spw-doc-notes", "notes"),
        ):
            control.add_class(css)
            control.observe(guard(lambda change, n=name: setattr(self.current(), n, change["new"])), names="value")
        self.fill()
        self.box = w.VBox(
            [
                w.HTML("<b>The document's title page and your notes</b>"),
                w.HBox([self.buyer, self.reference, self.version], layout=w.Layout(flex_flow="row wrap")),
                self.notes,
            ]
        )
        self.box.add_class("spw-document-fields")

    def fill(self) -> None:
        """Show the current draft's values (after a draft is loaded)."""
        draft = self.current()
        self.buyer.value, self.reference.value = draft.buyer, draft.reference
        self.version.value, self.notes.value = draft.version, draft.notes


def export_note(issues: list[Issue]) -> str:
    """What the export message adds about the checks, which stay in the tool and not in the document."""
    errors = sum(i.severity == "error" for i in issues)
    warnings = sum(i.severity == "warning" for i in issues)
    if not errors and not warnings:
        return " The checks above found nothing to fix."
    parts = [f"{errors} problem(s)" if errors else "", f"{warnings} point(s) to check" if warnings else ""]
    return (
        f" The checks in section 5 still list {' and '.join(p for p in parts if p)}: they stay in this tool, "
        "not in the document; answer them there, or explain your choice in your notes."
    )
