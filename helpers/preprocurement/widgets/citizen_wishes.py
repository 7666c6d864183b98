"""`citizen_wishes()`: children's and parents' wishes turned into editable requirements, with Beverwijk's
steps as the example. Headless (papermill) it shows Beverwijk's steps and the sample wishes' requirements."""

from __future__ import annotations

import ipywidgets as w
import pandas as pd
from IPython.display import HTML

from helpers.core.safety import escape_html
from helpers.learning.my_work_widget import DownloadArea
from helpers.learning.progress import store as default_store
from helpers.preprocurement.citizens import (
    parse_wishes,
    playground_case,
    sample_wishes,
    wishes_text,
    wishes_to_requirements,
)
from helpers.ui.display import show_tool
from helpers.ui.exports import html_table
from helpers.ui.tool import Tool

REQUIREMENTS_TOOL = "playground_requirements"


def beverwijk_html() -> str:
    beverwijk, turku = playground_case("beverwijk"), playground_case("turku")
    steps = "".join(f"<li>{escape_html(s)}</li>" for s in beverwijk["steps"])
    return (
        f"<div class='spw-beverwijk'><b>{escape_html(beverwijk['text'])}</b><ol>{steps}</ol>"
        f"Source: {escape_html(beverwijk['source'])}<br><i>{escape_html(turku['text'])}</i></div>"
    )


def wishes_static_view(wishes: pd.DataFrame | None = None) -> list:
    """Beverwijk's steps and the requirements drawn from the (sample) wishes."""
    return [HTML(beverwijk_html()), wishes_to_requirements(sample_wishes() if wishes is None else wishes)]


class CitizenWishes(Tool):
    """Editable wishes (one per line) → requirements table → editable requirement text, saved on request."""

    css_class = "spw-wishes"

    def __init__(self, wishes: pd.DataFrame | None = None, store=None) -> None:
        super().__init__()
        self.start_wishes = wishes
        self.store = store or default_store()
        self.wishes = w.Textarea(
            value=wishes_text(sample_wishes() if wishes is None else wishes),
            description="Wishes",
            layout=w.Layout(width="720px", height="220px"),
            continuous_update=False,
        )
        self.table = w.HTML()
        self.requirements = w.Textarea(description="Requirements", layout=w.Layout(width="720px", height="220px"))
        self.save = w.Button(description="Save requirements", icon="save")
        self.status = w.HTML()
        self.downloads = DownloadArea()  # on Binder: the warning and all work as one file
        for css, control in (
            ("wishes", self.wishes),
            ("table", self.table),
            ("requirements", self.requirements),
            ("save", self.save),
            ("status", self.status),
        ):
            control.add_class(f"spw-wishes-{css}")
        self.wishes.observe(self.guard(lambda _: self.refresh()), names="value")
        self.save.on_click(self.guard(lambda _: self.save_requirements()))
        self.result: pd.DataFrame | None = None
        self.box = w.VBox(
            [
                w.HTML(beverwijk_html()),
                w.HTML("<i>One wish per line: wish; group; votes. Edit, add or delete lines.</i>"),
                self.wishes,
                self.message,
                self.table,
                w.HTML("<i>Edit the requirements into your specification's words:</i>"),
                self.requirements,
                self.save,
                self.status,
                self.downloads,
            ]
        )
        self.box.add_class(self.css_class)
        self.guard(self.refresh)()

    def widget(self) -> w.Widget:
        return self.box

    def static_view(self) -> list:
        return wishes_static_view(self.start_wishes)

    def refresh(self) -> None:
        self.report("")
        self.result = wishes_to_requirements(parse_wishes(self.wishes.value))
        self.table.value = html_table(self.result)
        self.requirements.value = "\n".join(f"- {r.requirement} ({r.type})" for r in self.result.itertuples())

    def save_requirements(self) -> None:
        self.downloads.clear()
        self.store.save_draft(
            REQUIREMENTS_TOOL, "playground", {"wishes": self.wishes.value, "requirements": self.requirements.value}
        )
        self.status.value = (
            f"<div class='spw-saved'>Saved in {escape_html(str(self.store.path))} "
            f"(tool '{REQUIREMENTS_TOOL}', draft 'playground').</div>"
        )
        self.downloads.offer_on_binder()


def citizen_wishes(wishes: pd.DataFrame | None = None) -> None:
    """Show the wishes tool; headless, Beverwijk's steps and the sample wishes' requirements."""
    show_tool(lambda: CitizenWishes(wishes).widget(), lambda: wishes_static_view(wishes))
