"""Module 7 tool: "may I change this contract?", a thin layer over `helpers.monitoring.modification`.

The learner says what kind of contract it is, its initial value, the change and its value, the earlier
modifications, and ticks what is true of the change; the answer names the route of Art. 72 of Directive
2014/24/EU that allows it, or says that a new procedure is needed, with the reasons, what to do, and one
line on the articles applied and what the tool cannot know. Headless it shows two worked examples.
"""

from __future__ import annotations

import datetime as dt

import ipywidgets as w
from IPython.display import HTML

from helpers.core.errors import LearnerError
from helpers.core.safety import escape_html
from helpers.framework import parse_euro
from helpers.monitoring.modification import (
    ALLOWED,
    CONTRACT_TYPES,
    NEW_PROCEDURE,
    REASONS,
    Modification,
    ModificationAnswer,
    check_modification,
)
from helpers.ui import theme
from helpers.ui.display import show_tool
from helpers.ui.tool import Tool

VERDICT_STYLE = {ALLOWED: "ok", NEW_PROCEDURE: "error"}  # anything else ("check") is a warning
REASON_LABELS = {
    "none": "None of these",
    "additional": "Additional works, services or supplies from the same contractor (Art. 72(1)(b))",
    "unforeseeable": "Circumstances a diligent buyer could not foresee (Art. 72(1)(c))",
}
FLAGS = {  # attribute of `Modification`: the checkbox's words
    "review_clause": "A clear, precise review or option clause in the tender documents covers it (Art. 72(1)(a))",
    "alters_overall_nature": "It alters the overall nature of the contract",
    "change_of_contractor_impossible": "Changing contractor is impossible for economic or technical reasons "
    "and would cause serious inconvenience or duplicated costs",
    "would_have_changed_competition": "Had it been in the tender, other firms could have bid or won (Art. 72(4)(a))",
    "shifts_balance_to_contractor": "It shifts the economic balance to the contractor (Art. 72(4)(b))",
    "extends_scope_considerably": "It extends the scope considerably (Art. 72(4)(c))",
    "new_contractor": "A new contractor takes over (Art. 72(4)(d))",
}
EXAMPLES = (  # course design: two changes to the playground contract PV-C-2025-017 (mainly supplies, €1,085,000)
    ("Eight more play units for a new park, €96,000", Modification("supplies", 1_085_000, 96_000, "2026-03-01")),
    (
        "Replacing equipment destroyed by an unforeseeable flood, €250,000",
        Modification("supplies", 1_085_000, 250_000, "2026-03-01", reason="unforeseeable"),
    ),
)


def answer_html(answer: ModificationAnswer) -> str:
    """The verdict as a coloured box, then the reasons, what to do and the one-line legal basis (escaped)."""
    background, colour, _ = theme.MESSAGE_STYLES[VERDICT_STYLE.get(answer.verdict, "warning")]
    verdict = f"{answer.verdict[0].upper()}{answer.verdict[1:]}: {answer.ground}."
    reasons = "".join(f"<li>{escape_html(r)}</li>" for r in answer.reasons)
    to_do = "".join(f"<li>{escape_html(t)}</li>" for t in answer.to_do)
    return (
        f'<div class="spw-modification" style="background:{background};color:{colour};border-left:6px solid '
        f'{colour};padding:8px 12px;margin:6px 0"><b>{escape_html(verdict)}</b></div>'
        f"<ul>{reasons}</ul>" + (f"<b>To do</b><ul>{to_do}</ul>" if to_do else "") + "<p class='spw-legal-basis'>"
        f"<i>{escape_html(answer.legal_basis)}</i></p>"
    )


def modification_static_view() -> list:
    """The two worked examples, each with its answer."""
    return [HTML(f"<h4>{escape_html(title)}</h4>{answer_html(check_modification(case))}") for title, case in EXAMPLES]


class ModificationChecker(Tool):
    """The live checker; `answer` is the current answer (None while an input is wrong)."""

    css_class = "spw-modification-checker"

    def __init__(self, case: Modification | None = None) -> None:
        super().__init__()
        start = case or EXAMPLES[0][1]
        wide, layout = {"description_width": "260px"}, w.Layout(width="620px")
        self.contract_type = w.Dropdown(
            options=list(CONTRACT_TYPES), value=start.contract_type, description="Contract", style=wide, layout=layout
        )
        self.initial = w.Text(value=f"{start.initial_value_eur:,.0f}", description="Initial value (€, net of VAT)")
        self.value = w.Text(value=f"{start.modification_eur:,.0f}", description="Value of this change (€)")
        self.earlier = w.Text(value=f"{start.earlier_modifications_eur:,.0f}", description="Earlier changes (€)")
        for box in (self.initial, self.value, self.earlier):
            box.style, box.layout, box.continuous_update = wide, layout, False
        self.on_date = w.DatePicker(value=dt.date.fromisoformat(str(start.on_date)), description="Date", style=wide)
        self.reason = w.Dropdown(
            options=[(REASON_LABELS[r], r) for r in REASONS],
            value=start.reason,
            description="Why is it needed?",
            style=wide,
            layout=layout,
        )
        self.flags = {
            name: w.Checkbox(value=bool(getattr(start, name)), description=text, indent=False, layout=layout)
            for name, text in FLAGS.items()
        }
        self.result = w.HTML()
        self.result.add_class("spw-modification-result")
        self.answer: ModificationAnswer | None = None
        for control in (self.contract_type, self.initial, self.value, self.earlier, self.on_date, self.reason):
            control.observe(self.guard(lambda _: self.refresh()), names="value")
        for control in self.flags.values():
            control.observe(self.guard(lambda _: self.refresh()), names="value")
        self.box = w.VBox(
            [
                self.contract_type,
                self.initial,
                self.value,
                self.earlier,
                self.on_date,
                self.reason,
                *self.flags.values(),
                self.message,
                self.result,
            ]
        )
        self.box.add_class(self.css_class)
        self.guard(self.refresh)()

    def case(self) -> Modification:
        """The change as the inputs describe it."""
        if self.on_date.value is None:
            raise LearnerError("choose the date of the change", fix="Pick a date in the calendar")
        return Modification(
            self.contract_type.value,
            parse_euro(self.initial.value),
            parse_euro(self.value.value),
            self.on_date.value,
            earlier_modifications_eur=parse_euro(self.earlier.value),
            reason=self.reason.value,
            **{name: box.value for name, box in self.flags.items()},
        )

    def refresh(self) -> None:
        self.report("")
        try:
            self.answer = check_modification(self.case())
        except LearnerError:
            self.answer, self.result.value = None, ""  # never leave an old answer beside the problem message
            raise
        self.result.value = answer_html(self.answer)

    def widget(self) -> w.Widget:
        return self.box

    def static_view(self) -> list:
        return modification_static_view()


def modification_checker(case: Modification | None = None) -> None:
    """Show the checker: widgets in JupyterLab, the two worked examples when run headless."""
    show_tool(lambda: ModificationChecker(case).widget(), modification_static_view)
