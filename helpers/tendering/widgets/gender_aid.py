"""Module 6 tool: the gender criteria decision aid, a thin layer over `helpers.tendering.gender_aid`.

The learner picks the kind of criterion and whom it concerns, and may paste its wording (or start from a
library entry); the answer says linked, not linked or check, why (with the articles of Directive
2014/24/EU), how to link it, and the library's gender entries of that kind. Headless it shows two worked
examples: a library entry that is linked and a company-wide criterion that is not.
"""

from __future__ import annotations

import ipywidgets as w
from IPython.display import HTML

from helpers.core.safety import escape_html
from helpers.tendering.gender_aid import (
    CHECK,
    KINDS,
    LINKED,
    NOT_LINKED,
    SCOPES,
    GenderLinkVerdict,
    check_library_entry,
    gender_library_examples,
    gender_link_check,
)
from helpers.tendering.library import TYPE_LABELS
from helpers.ui import theme
from helpers.ui.display import show_tool
from helpers.ui.exports import html_table
from helpers.ui.tool import Tool

VERDICT_STYLE = {LINKED: "ok", NOT_LINKED: "error", CHECK: "warning"}
EXAMPLE_UNLINKED = ("award_criterion", "company", "Points for bidders that are women-owned companies.")


def verdict_html(answer: GenderLinkVerdict) -> str:
    """The verdict as a coloured box with words (never colour alone), the reasons, how to link, the basis
    and the library's examples (all escaped)."""
    background, colour, _ = theme.MESSAGE_STYLES[VERDICT_STYLE[answer.verdict]]
    head, *reasons, how, basis = answer.lines()
    items = "".join(f"<li>{escape_html(r)}</li>" for r in reasons)
    examples = (
        f"<b>Library examples ({escape_html(TYPE_LABELS[answer.kind])}, gender)</b>{html_table(answer.examples)}"
        if not answer.examples.empty
        else ""
    )
    return (
        f'<div class="spw-gender-verdict" style="background:{background};color:{colour};border-left:6px solid '
        f'{colour};padding:8px 12px;margin:6px 0"><b>{escape_html(head)}</b></div><ul>{items}</ul>'
        f"<p><b>{escape_html(how)}</b></p><p class='spw-legal-basis'><i>{escape_html(basis)}</i></p>{examples}"
    )


def gender_aid_static_view() -> list:
    """Two worked examples: equal pay on the contract (GEN-ANY-01, linked) and a women-owned bonus (not)."""
    return [
        HTML(
            f"<h4>GEN-ANY-01, equal pay for staff on the contract</h4>{verdict_html(check_library_entry('GEN-ANY-01'))}"
        ),
        HTML(f"<h4>{escape_html(EXAMPLE_UNLINKED[2])}</h4>{verdict_html(gender_link_check(*EXAMPLE_UNLINKED))}"),
    ]


class GenderAid(Tool):
    """The live decision aid; `answer` is the current answer."""

    css_class = "spw-gender-aid"

    def __init__(self) -> None:
        super().__init__()
        wide, layout = {"description_width": "200px"}, w.Layout(width="680px")
        self.kind = w.Dropdown(
            options=[(TYPE_LABELS[k], k) for k in KINDS],
            value="award_criterion",
            description="Kind of criterion",
            style=wide,
            layout=layout,
        )
        self.scope = w.Dropdown(
            options=[(text, key) for key, text in SCOPES.items()],
            value="contract",
            description="It concerns",
            style=wide,
            layout=layout,
        )
        self.wording = w.Textarea(
            description="Wording (optional)",
            style=wide,
            layout=w.Layout(width="680px", height="90px"),
            continuous_update=False,
        )
        ids = (
            gender_library_examples("award_criterion")["id"].tolist()
            + gender_library_examples("contract_performance_clause")["id"].tolist()
        )
        self.start = w.Dropdown(
            options=[("(write your own)", "")] + [(i, i) for i in ids],
            value="",
            description="Start from",
            style=wide,
            layout=layout,
        )
        self.result = w.HTML()
        self.answer: GenderLinkVerdict | None = None
        for control in (self.kind, self.scope, self.wording):
            control.observe(self.guard(lambda _: self.refresh()), names="value")
        self.start.observe(self.guard(lambda _: self.use_entry()), names="value")
        self.box = w.VBox([self.start, self.kind, self.scope, self.wording, self.message, self.result])
        self.box.add_class(self.css_class)
        self.guard(self.refresh)()

    def widget(self) -> w.Widget:
        return self.box

    def static_view(self) -> list:
        return gender_aid_static_view()

    def use_entry(self) -> None:
        """Fill kind, scope and wording from the chosen library entry."""
        if not self.start.value:
            return
        entry = check_library_entry(self.start.value)
        from_library = gender_library_examples(entry.kind)
        self.kind.value, self.scope.value = entry.kind, "contract"
        self.wording.value = str(from_library.set_index("id").loc[self.start.value, "title"])
        self.refresh()

    def refresh(self) -> None:
        self.report("")
        self.answer = gender_link_check(self.kind.value, self.scope.value, self.wording.value)
        self.result.value = verdict_html(self.answer)


def gender_aid() -> None:
    """Show the gender criteria decision aid; headless, its two worked examples."""
    show_tool(lambda: GenderAid().widget(), gender_aid_static_view)
