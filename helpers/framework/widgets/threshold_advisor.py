"""Module 2 tool: the threshold & procedure advisor as widgets, a thin layer over
`helpers.framework.advice.advise`.

`threshold_advisor()` asks what is being bought, its estimated value (net of VAT, whole
duration), who buys and when, plus the options that change the time limits (electronic
submission, a prior information notice, urgency), and answers with the verdict (above or
below the EU threshold, with the threshold and its period), the rules that apply, the
minimum time limits, reminders and sources. A button saves the advice as a Markdown note
in the learner's exports folder. Headless it shows the advice for the defaults.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import ipywidgets as w
import pandas as pd
from IPython.display import HTML

from helpers.core.errors import LearnerError
from helpers.core.fmt import money
from helpers.core.paths import exports_dir
from helpers.core.safety import escape_html
from helpers.framework.advice import Advice, advise
from helpers.framework.procedures import procedure, procedure_names
from helpers.framework.thresholds import BUYER_TYPES, CONTRACT_TYPES, threshold_periods
from helpers.learning.my_work_widget import DownloadArea
from helpers.ui import theme
from helpers.ui.display import message_html, show_tool
from helpers.ui.exports import Report, html_table, save_report
from helpers.ui.tool import Tool

CONTRACT_TYPE_LABELS: dict[str, str] = {
    "works": "Works",
    "supplies": "Supplies (goods)",
    "services": "Services",
    "social_services": "Social and other specific services (Annex XIV)",
    "concession": "Concession (Directive 2014/23/EU)",
}
BUYER_TYPE_LABELS: dict[str, str] = {
    "sub_central": "City, region or other sub-central buyer",
    "central": "Central government",
    "utility": "Utility (Directive 2014/25/EU)",
}
ANY_PROCEDURE = "any"  # the drop-down's value when no procedure is chosen yet (None would show blank)
DEFAULT_VALUE_EUR = 250_000  # course design: a services contract a little above a city's threshold
VERDICT_STYLE = {True: "info", False: "ok"}  # the theme's message style for above / below the threshold


# -- pure pieces (tested without widgets) -----------------------------------------------------
def parse_euro(text) -> float:
    """A euro amount as a learner types it: "250000", "250,000", "250.000", "250 000",
    "€ 1.250.000,50". Groups of three digits after a separator are thousands (a euro amount
    has at most two decimals), so "216,000" is two hundred and sixteen thousand."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        return float(text)
    raw = str(text).strip().replace("€", "").replace("EUR", "").replace("eur", "")
    raw = re.sub(r"[\s\u00a0\u202f']", "", raw)
    if not raw:
        raise LearnerError("enter the estimated value in euro", fix="Type digits only, e.g. 250000")
    match = re.fullmatch(r"(\d{1,3}(?:([.,])\d{3})*|\d+)(?:([.,])(\d{1,2}))?", raw)
    if not match or (match.group(2) and match.group(2) == match.group(3)):
        raise LearnerError(
            f"{text!r} is not an amount in euro",
            fix="Type digits only, e.g. 250000 (net of VAT, for the whole duration)",
        )
    whole = re.sub(r"[.,]", "", match.group(1))
    return float(f"{whole}.{match.group(4) or '0'}")


def default_date(today: dt.date | None = None) -> dt.date:
    """Today, kept inside the course's threshold table (2022-01-01 to 2027-12-31)."""
    periods = threshold_periods()
    day = today or dt.date.today()
    return min(max(day, periods[0].start), periods[-1].end)


def verdict_html(advice: Advice) -> str:
    """The verdict as a coloured box: above/below, the value, the threshold and its period."""
    background, colour, _ = theme.MESSAGE_STYLES[VERDICT_STYLE[advice.above_threshold]]
    sign = "≥" if advice.above_threshold else "<"
    law = (
        "the EU Directive applies" if advice.above_threshold else "national rules apply, with the EU Treaty principles"
    )
    verdict = advice.verdict[0].upper() + advice.verdict[1:]
    text = (
        f"{verdict}: €{money(advice.estimated_value_eur, None, decimals=0)} {sign} "
        f"€{money(advice.threshold_eur, None, decimals=0)} "
        f"({advice.threshold_category}, {advice.period}), so {law}."
    )
    kind = "above" if advice.above_threshold else "below"
    return (
        f'<div class="spw-verdict spw-verdict-{kind}" style="background:{background};color:{colour};'
        f'border-left:6px solid {colour};padding:8px 12px;margin:6px 0;font-size:1.15em">'
        f"<b>{escape_html(text)}</b></div>"
    )


AVAILABILITY = {  # how the drop-down tells a free procedure from one that needs a legal ground
    "free": "always available",
    "condition": "only on a legal ground",
    "exceptional": "exceptional cases only",
}


def procedure_label(key: str) -> str:
    """'competitive dialogue (Art. 30): only on a legal ground, Art. 26(4)' for the drop-down."""
    p = procedure(key)
    return f"{p.name}: {AVAILABILITY[p.available]}, {p.article}"


def _bullets(heading: str, items: list[str]) -> str:
    if not items:
        return ""
    listed = "".join(f"<li>{escape_html(i)}</li>" for i in items)
    return f"<h4 style='margin:8px 0 2px 0'>{escape_html(heading)}</h4><ul>{listed}</ul>"


def time_limits_view(advice: Advice) -> pd.DataFrame:
    """The minimum time limits in the learner's words ("see rule" when there is no fixed number)."""
    table = advice.time_limits_table()
    days = ["see rule" if pd.isna(d) else f"{int(d)} days" for d in table["minimum_days"]]
    return pd.DataFrame({"procedure": table["procedure"], "step": table["step"], "minimum": days, "why": table["rule"]})


def advice_html(advice: Advice) -> str:
    """Rules, time limits, reminders, checks and sources as escaped HTML."""
    limits = ""
    if advice.time_limits:
        limits = (
            "<h4 style='margin:8px 0 2px 0'>Minimum time limits</h4>"
            f"<div class='spw-time-limits'>{html_table(time_limits_view(advice))}</div>"
        )
    return (
        f"<div class='spw-advice'>{_bullets('Rules that apply', advice.rules)}{limits}"
        f"{_bullets('Reminders', advice.reminders)}{_bullets('Check', advice.warnings)}"
        f"{legal_basis_html(advice)}{_bullets('Sources', advice.sources)}</div>"
    )


def legal_basis_html(advice: Advice) -> str:
    """The one line that says which articles the advice applied and what only national law can tell."""
    return f"<p class='spw-legal-basis'><i>{escape_html(advice.legal_basis)}</i></p>"


def save_advice(advice: Advice, folder: Path | None = None) -> Path:
    """Write the advice as a Markdown note in the exports folder; returns the file's path."""
    report = Report(
        "Threshold and procedure advice",
        f"{CONTRACT_TYPE_LABELS[advice.contract_type]}, "
        f"€{money(advice.estimated_value_eur, None, decimals=0)}, {advice.on_date.isoformat()}",
    )
    report.add("Verdict", paragraphs=[advice.summary().split("\n", 1)[0]])
    report.add("Rules that apply", bullets=advice.rules)
    if advice.time_limits:
        report.add("Minimum time limits", table=time_limits_view(advice))
    report.add("Reminders", bullets=advice.reminders + advice.warnings)
    report.add("Legal basis", paragraphs=[advice.legal_basis])
    report.add("Sources", bullets=advice.sources)
    stem = f"threshold_advice_{advice.contract_type}_{advice.on_date.isoformat()}_{advice.estimated_value_eur:.0f}"
    return save_report(report, (folder or exports_dir()) / f"{stem}.md")


def static_advice(
    contract_type: str = "services",
    estimated_value_eur: float = DEFAULT_VALUE_EUR,
    buyer_type: str = "sub_central",
    on_date=None,
) -> list:
    """The headless view: the verdict and details for the given case, as HTML."""
    advice = advise(contract_type, estimated_value_eur, buyer_type, default_date() if on_date is None else on_date)
    return [HTML(verdict_html(advice) + advice_html(advice))]


# -- the widget ------------------------------------------------------------------------------------
class ThresholdAdvisor(Tool):
    """The live advisor; `widget()` is what the notebook shows, `advice` the current answer."""

    def __init__(
        self,
        contract_type: str = "services",
        estimated_value_eur: float = DEFAULT_VALUE_EUR,
        buyer_type: str = "sub_central",
        on_date=None,
    ) -> None:
        super().__init__()
        self._defaults = (contract_type, estimated_value_eur, buyer_type, on_date)
        self._build_inputs(contract_type, estimated_value_eur, buyer_type, on_date)
        self.verdict = w.HTML()
        self.details = w.HTML()
        self.save = w.Button(description="Save this advice as a note", icon="save", layout=w.Layout(width="auto"))
        self.save.on_click(self.guard(lambda _: self.save_note()))
        self.saved_note = w.HTML()
        self.downloads = DownloadArea()  # the note's download link (and, on Binder, the warning)
        self.advice: Advice | None = None
        self._box = w.VBox(
            [
                self.contract_type,
                self.value,
                self.buyer_type,
                self.on_date,
                self.procedure,
                w.HTML("<i>Value: the whole duration of the contract (all years, options and lots), net of VAT.</i>"),
                w.HBox([self.e_submission, self.pin, self.urgent]),
                self.message,
                self.verdict,
                self.details,
                self.save,
                self.saved_note,
                self.downloads,
            ]
        )
        self._box.add_class("spw-advisor")
        self.guard(self.refresh)()

    def _build_inputs(self, contract_type: str, estimated_value_eur: float, buyer_type: str, on_date) -> None:
        """The questions and options, each asking `advise` again when changed."""
        wide = {"description_width": "230px"}
        layout = w.Layout(width="560px")
        self.contract_type = w.Dropdown(
            options=[(CONTRACT_TYPE_LABELS[c], c) for c in CONTRACT_TYPES],
            value=contract_type,
            description="What are you buying?",
            style=wide,
            layout=layout,
        )
        self.value = w.Text(
            value=f"{estimated_value_eur:,.0f}",
            description="Estimated value (€, net of VAT)",
            placeholder="e.g. 250000",
            style=wide,
            layout=layout,
            continuous_update=False,
        )
        self.buyer_type = w.Dropdown(
            options=[(BUYER_TYPE_LABELS[b], b) for b in BUYER_TYPES],
            value=buyer_type,
            description="Who is buying?",
            style=wide,
            layout=layout,
        )
        day = default_date() if on_date is None else on_date
        self.on_date = w.DatePicker(
            value=day if isinstance(day, dt.date) else dt.date.fromisoformat(str(day)),
            description="Procedure starts on",
            style=wide,
            layout=w.Layout(width="400px"),
        )
        self.procedure = w.Dropdown(
            options=[("(not chosen yet: show open and restricted)", ANY_PROCEDURE)]
            + [(procedure_label(k), k) for k in procedure_names()],
            value=ANY_PROCEDURE,
            description="Procedure",
            style=wide,
            layout=layout,
        )
        auto = w.Layout(width="auto")
        self.e_submission = w.Checkbox(
            value=True, description="Tenders can be submitted electronically", indent=False, layout=auto
        )
        self.pin = w.Checkbox(
            value=False, description="A prior information notice (PIN) was published", indent=False, layout=auto
        )
        self.urgent = w.Checkbox(value=False, description="Substantiated urgency", indent=False, layout=auto)
        controls = {
            "contract-type": self.contract_type,
            "value": self.value,
            "buyer-type": self.buyer_type,
            "date": self.on_date,
            "procedure": self.procedure,
            "e-submission": self.e_submission,
            "pin": self.pin,
            "urgent": self.urgent,
        }
        for name, control in controls.items():
            control.add_class(f"spw-advisor-{name}")
            control.observe(self.guard(lambda change: self.refresh()), names="value")

    def widget(self) -> w.Widget:
        return self._box

    def static_view(self) -> list:
        return static_advice(*self._defaults)

    def refresh(self) -> None:
        """Ask `advise` again with the current inputs and redraw the verdict and details."""
        self.report("")
        try:
            if self.on_date.value is None:
                raise LearnerError("choose the date the procedure starts", fix="Pick a date in the calendar")
            self.advice = advise(
                self.contract_type.value,
                parse_euro(self.value.value),
                self.buyer_type.value,
                self.on_date.value,
                None if self.procedure.value == ANY_PROCEDURE else self.procedure.value,
                self.e_submission.value,
                self.pin.value,
                self.urgent.value,
            )
        except LearnerError:
            self.advice = None
            self.verdict.value = ""  # never leave an old verdict beside the problem message
            self.details.value = ""
            raise
        self.verdict.value = verdict_html(self.advice)
        self.details.value = advice_html(self.advice)

    def save_note(self) -> Path:
        """Save the current advice (only when the button is clicked), say where and offer the download."""
        self.downloads.clear()
        if self.advice is None:
            raise LearnerError("there is no advice to save yet", fix="Fix the problem shown above first")
        path = save_advice(self.advice)
        self.saved_note.value = message_html(f"Saved as {path}.", "ok")
        self.downloads.show([path], text="")
        return path


def threshold_advisor(
    contract_type: str = "services",
    estimated_value_eur: float = DEFAULT_VALUE_EUR,
    buyer_type: str = "sub_central",
    on_date=None,
) -> None:
    """Show the advisor: widgets in JupyterLab, the advice for these inputs when run headless.

    The widget is built only when a live front end will show it."""
    show_tool(
        lambda: ThresholdAdvisor(contract_type, estimated_value_eur, buyer_type, on_date).widget(),
        lambda: static_advice(contract_type, estimated_value_eur, buyer_type, on_date),
    )
