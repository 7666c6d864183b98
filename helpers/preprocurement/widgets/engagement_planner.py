"""`engagement_planner(city)`: the consultation timeline back from the contract start, who to tell (local
SMEs first), a transparency log, and the plan exported to Markdown and Word. Headless (papermill) it
shows the timeline and the first suppliers to tell."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import ipywidgets as w
import pandas as pd
from IPython.display import HTML

from helpers.core.errors import LearnerError
from helpers.core.safety import escape_html
from helpers.data import city_info, load_table
from helpers.learning.my_work_widget import DownloadArea
from helpers.preprocurement.engagement import (
    TransparencyLog,
    consultation_timeline,
    export_engagement_plan,
    invitation_list,
)
from helpers.ui import theme
from helpers.ui.display import show_tool
from helpers.ui.exports import html_table
from helpers.ui.tool import Tool

PLAYGROUND_START = dt.date(2025, 10, 1)  # contract PV-C-2025-017 starts on 1 October 2025
PLAYGROUND_DIVISION = "37"  # CPV 37535200-9
LOCAL_SME_ROW = f"background:{theme.MESSAGE_STYLES['ok'][0]};font-weight:bold"


def timeline_view(timeline: pd.DataFrame) -> pd.DataFrame:
    return timeline.assign(date=pd.to_datetime(timeline["date"]).dt.strftime("%Y-%m-%d"))[
        ["milestone", "date", "days_before_start", "basis"]
    ]


def invitations_html(invitations: pd.DataFrame, limit: int = 40) -> str:
    """The invitation list with local SMEs highlighted (escaped)."""
    cols = [c for c in ("name", "size_class", "place", "level", "social_economy") if c in invitations]
    head = "".join(f"<th>{escape_html(c)}</th>" for c in cols)
    rows = []
    for _, r in invitations.head(limit).iterrows():
        style = f" style='{LOCAL_SME_ROW}'" if r.get("local_sme") else ""
        rows.append(f"<tr{style}>" + "".join(f"<td>{escape_html(r[c])}</td>" for c in cols) + "</tr>")
    local = int(invitations["local_sme"].sum()) if "local_sme" in invitations else 0
    more = f" (first {limit} shown)" if len(invitations) > limit else ""
    return (
        f"<div class='spw-invitations'><b>{len(invitations)} suppliers in this sector, {local} local SMEs "
        f"(highlighted){more}.</b> Tell them about the consultation, and publish it openly too.<table>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def log_html(log: TransparencyLog) -> str:
    """The log as a table, then its equal-treatment gaps."""
    items = "".join(f"<li>{escape_html(p)}</li>" for p in log.problems())
    return (html_table(log.to_frame()) if log.entries else "<i>No entries yet.</i>") + (
        f"<ul style='color:{theme.TEXT['warning']}'>{items}</ul>" if items else ""
    )


def engagement_static_view(
    city: str = "portavera", contract_start: dt.date = PLAYGROUND_START, cpv_division: str = PLAYGROUND_DIVISION
) -> list:
    """The timeline for an open procedure and the first suppliers to tell."""
    timeline = consultation_timeline(contract_start, "open")
    invitations = invitation_list(
        load_table("suppliers", city=city),
        cpv_division,
        load_table("geography", city=city),
        home_country=city_info(city)["home_country_code"],
    )
    return [timeline_view(timeline), HTML(invitations_html(invitations, limit=15))]


class EngagementPlanner(Tool):
    """Contract start, procedure, e-submission, PIN → timeline; who to tell; transparency log; export."""

    css_class = "spw-engagement"

    def __init__(
        self,
        city: str = "portavera",
        purchase: str = "Playground equipment supply and maintenance",
        contract_start: dt.date = PLAYGROUND_START,
        cpv_division: str = PLAYGROUND_DIVISION,
    ) -> None:
        super().__init__()
        self.city, self.contract_start, self.cpv_division = city, contract_start, cpv_division
        self.register = load_table("suppliers", city=city)
        self.geography = load_table("geography", city=city)
        self.home = city_info(city)["home_country_code"]
        wide = {"description_width": "170px"}
        self.purchase = w.Text(value=purchase, description="Purchase", style=wide, layout=w.Layout(width="560px"))
        self.start = w.DatePicker(value=contract_start, description="Contract starts", style=wide)
        self.procedure = w.Dropdown(options=["open", "restricted"], value="open", description="Procedure", style=wide)
        self.e_submission = w.Checkbox(value=True, description="Electronic submission", indent=False)
        self.pin = w.Checkbox(value=False, description="Prior information notice (PIN)", indent=False)
        self.division = w.Text(
            value=cpv_division, description="CPV division or code", style=wide, continuous_update=False
        )
        self.timeline, self.invitations, self.log_view, self.status = w.HTML(), w.HTML(), w.HTML(), w.HTML()
        self._log_form(contract_start, wide)
        self.export = w.Button(description="Export the plan (Markdown + Word)", icon="download")
        self.downloads = DownloadArea()  # the exported files' links (and, on Binder, the warning)
        self.log = TransparencyLog(purchase)
        controls = {
            "purchase": self.purchase,
            "start": self.start,
            "procedure": self.procedure,
            "e-submission": self.e_submission,
            "pin": self.pin,
            "division": self.division,
            "timeline": self.timeline,
            "invitations": self.invitations,
            "log": self.log_view,
            "kind": self.kind,
            "supplier": self.supplier,
            "summary": self.summary,
            "add": self.add_entry,
            "entry-id": self.entry_id,
            "answer": self.answer,
            "publish": self.publish,
            "export": self.export,
            "status": self.status,
        }
        for css, control in controls.items():
            control.add_class(f"spw-engagement-{css}")
        for control in (self.start, self.procedure, self.e_submission, self.pin):
            control.observe(self.guard(lambda _: self.refresh_timeline()), names="value")
        self.division.observe(self.guard(lambda _: self.refresh_invitations()), names="value")
        self.add_entry.on_click(self.guard(lambda _: self.add_log_entry()))
        self.publish.on_click(self.guard(lambda _: self.share()))
        self.export.on_click(self.guard(lambda _: self.export_plan()))
        self.plan_timeline: pd.DataFrame | None = None
        self.plan_invitations: pd.DataFrame | None = None
        self.box = w.VBox(
            [
                self.purchase,
                self.start,
                self.procedure,
                w.HBox([self.e_submission, self.pin]),
                self.timeline,
                w.HTML("<b>Who to tell about the consultation</b>"),
                self.division,
                self.invitations,
                w.HTML("<b>Transparency log</b> (equal treatment: every answer goes to all)"),
                self.kind,
                self.when,
                self.supplier,
                self.summary,
                self.info,
                self.add_entry,
                self.entry_id,
                self.answer,
                self.publish,
                self.log_view,
                self.export,
                self.message,
                self.status,
                self.downloads,
            ]
        )
        self.box.add_class(self.css_class)
        self.guard(self.refresh_timeline)()
        self.guard(self.refresh_invitations)()
        self.refresh_log()

    def _log_form(self, contract_start: dt.date, wide: dict) -> None:
        """The transparency log's form: a contact or a question, its date and supplier; an answer to share."""
        self.kind = w.ToggleButtons(
            options=[("contact", "contact"), ("question", "question")],
            value="question",
            description="Log a",
            style=wide,
        )
        self.when = w.DatePicker(value=contract_start - dt.timedelta(days=200), description="Date", style=wide)
        self.supplier = w.Text(description="Supplier", style=wide)
        self.summary = w.Textarea(description="Question / summary", style=wide, layout=w.Layout(width="560px"))
        self.info = w.Text(description="Info shared (contact)", style=wide, layout=w.Layout(width="560px"))
        self.add_entry = w.Button(description="Add to the log", icon="plus")
        self.entry_id = w.BoundedIntText(value=1, min=1, max=999, description="Entry no.", style=wide)
        self.answer = w.Textarea(description="Answer", style=wide, layout=w.Layout(width="560px"))
        self.publish = w.Button(description="Answer / share with all", icon="bullhorn")

    def widget(self) -> w.Widget:
        return self.box

    def static_view(self) -> list:
        return engagement_static_view(self.city, self.contract_start, self.cpv_division)

    def refresh_timeline(self) -> None:
        self.report("")
        if self.start.value is None:
            raise LearnerError("choose the date the contract starts", fix="Pick a date in the calendar")
        self.plan_timeline = consultation_timeline(
            self.start.value, self.procedure.value, self.e_submission.value, self.pin.value
        )
        self.timeline.value = html_table(timeline_view(self.plan_timeline))

    def refresh_invitations(self) -> None:
        self.report("")
        self.plan_invitations = invitation_list(
            self.register, self.division.value, self.geography, home_country=self.home
        )
        self.invitations.value = invitations_html(self.plan_invitations)

    def add_log_entry(self) -> None:
        if self.when.value is None:
            raise LearnerError("choose the date of the contact or question")
        if self.kind.value == "question":
            self.log.add_question(self.when.value, self.supplier.value, self.summary.value)
        else:
            self.log.add_contact(self.when.value, self.supplier.value, self.summary.value, self.info.value)
        self.summary.value = self.info.value = ""
        self.entry_id.value = len(self.log.entries)
        self.refresh_log()

    def share(self) -> None:
        entry = self.log._entry(self.entry_id.value)
        if entry["kind"] == "question":
            if not self.answer.value.strip():
                raise LearnerError("write the answer first", fix="Type the answer that all suppliers will see")
            self.log.answer(self.entry_id.value, self.answer.value, self.when.value or dt.date.today())
        else:
            self.log.share_with_all(self.entry_id.value, self.when.value or dt.date.today())
        self.answer.value = ""
        self.refresh_log()

    def refresh_log(self) -> None:
        self.log_view.value = log_html(self.log)

    def export_plan(self) -> list[Path]:
        self.downloads.clear()
        self.log.purchase = self.purchase.value
        paths = export_engagement_plan(self.purchase.value, self.plan_timeline, self.plan_invitations, self.log)
        self.status.value = (
            "<div class='spw-saved'>Exported: " + ", ".join(escape_html(str(p)) for p in paths) + "</div>"
        )
        self.downloads.show(paths, text="")
        return paths


def engagement_planner(
    city: str = "portavera", contract_start: dt.date = PLAYGROUND_START, cpv_division: str = PLAYGROUND_DIVISION
) -> None:
    """Show the planner; headless, the timeline and the first suppliers to tell."""
    show_tool(
        lambda: EngagementPlanner(city, contract_start=contract_start, cpv_division=cpv_division).widget(),
        lambda: engagement_static_view(city, contract_start, cpv_division),
    )
