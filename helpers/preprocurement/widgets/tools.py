"""Module 5 tools as widgets, thin layers over `helpers.preprocurement.model` and `helpers.preprocurement.ocds`:

- `innovation_assessment()`: the seven-item rubric (course design) with each score's meaning shown,
  the total, a profile chart and the suggested route; save named assessments and compare them.
- `engagement_planner(city)`: the consultation timeline back from the contract start, who to tell
  (local SMEs first), a transparency log, and the plan exported to Markdown and Word.
- `citizen_wishes()`: children's and parents' wishes turned into editable requirements.
- `health_check(city)`: red flags on past tenders, from the course data or an OCDS file.

Headless (papermill) each shows the same tables and chart for its defaults.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from helpers.core.errors import LearnerError
from helpers.ui.exports import html_table
from helpers.preprocurement.model import (BEVERWIJK_SOURCE, BEVERWIJK_STEPS, FLAG_CAVEAT, FLAGS, MAX_TOTAL, RUBRIC,
                                    RUBRIC_NOTE, RUBRIC_KEYS, SAMPLE_WISHES, TURKU_PLAYGROUND_NOTE, Assessment,
                                    TransparencyLog, assess_innovation, compare_assessments, consultation_timeline,
                                    course_tenders, engagement_plan_report, health_summary, invitation_list,
                                    tender_flags, wishes_to_requirements)
from helpers.core.safety import escape_html
from helpers.learning.registry import self_check

INNOVATION_TOOL = "innovation"
REQUIREMENTS_TOOL = "playground_requirements"
# Course design: a first scoring of the running purchase (playground equipment supply and maintenance).
PLAYGROUND_SCORES = {"need": 2, "market_maturity": 1, "value_duration": 2, "impact": 2, "user_involvement": 3,
                     "readiness": 2, "scalability": 1}
PLAYGROUND_START = dt.date(2025, 10, 1)     # contract PV-C-2025-017 starts on 1 October 2025
PLAYGROUND_DIVISION = "37"                  # CPV 37535200-9


def _display(output, figure) -> None:
    from IPython.display import display

    output.clear_output(wait=True)
    with output:
        display(figure)


# == innovation potential ======================================================================
def profile_figure(assessment: Assessment) -> go.Figure:
    """The seven scores as bars (0-3), titled with the total and the suggested route."""
    labels = [item.key.replace("_", " ") for item in RUBRIC]
    scores = [assessment.scores[k] for k in RUBRIC_KEYS]
    fig = go.Figure(go.Bar(x=scores, y=labels, orientation="h", text=scores, textposition="outside",
                           marker={"color": ["#1a4b9c" if s >= 2 else "#9aa0a6" for s in scores]}))
    name = f"{assessment.name}: " if assessment.name else ""
    fig.update_layout(title=f"{name}{assessment.total}/{MAX_TOTAL}, {assessment.route}", height=330,
                      xaxis={"range": [0, 3.4], "dtick": 1, "title": "score"}, yaxis={"autorange": "reversed"},
                      margin={"t": 50, "l": 130, "r": 20, "b": 40})
    return fig


def route_html(assessment: Assessment) -> str:
    reasons = "".join(f"<li>{escape_html(r)}</li>" for r in assessment.reasons)
    warnings = "".join(f"<li style='color:#8a5300'>{escape_html(w)}</li>" for w in assessment.warnings)
    return (f"<div class='spw-route'><b>Suggested route: {escape_html(assessment.route)}</b> "
            f"(total {assessment.total}/{MAX_TOTAL}, {escape_html(assessment.profile)} innovation potential)"
            f"<ul>{reasons}{warnings}</ul></div>")


class InnovationAssessmentTool:
    """Seven dropdowns (each option reads the score's meaning) → total, profile chart, route; Save, Compare."""

    def __init__(self, name: str = "Playground equipment", scores: dict | None = None, store=None) -> None:
        import ipywidgets as w

        from helpers.ui.display import guarded, message_html
        from helpers.learning.progress import store as default_store

        self.store = store or default_store()
        self.message = w.HTML()
        self.guard = guarded(lambda text, kind: setattr(self.message, "value", message_html(text, kind)))
        start = dict(PLAYGROUND_SCORES if scores is None else scores)
        self.items: dict[str, w.Dropdown] = {}
        rows = []
        for item in RUBRIC:
            control = w.Dropdown(options=[(f"{s}: {text}", s) for s, text in enumerate(item.descriptors)],
                                 value=int(start[item.key]), layout=w.Layout(width="720px"))
            control.add_class(f"spw-rubric-{item.key.replace('_', '-')}")
            control.observe(self.guard(lambda _: self.refresh()), names="value")
            self.items[item.key] = control
            rows.append(w.HTML(f"<b>{escape_html(item.question)}</b>"))
            rows.append(control)
        self.name = w.Text(value=name, description="Purchase")
        self.save = w.Button(description="Save assessment", icon="save")
        self.saved = w.SelectMultiple(description="Saved", options=self.store.list_drafts(INNOVATION_TOOL),
                                      layout=w.Layout(width="420px", height="90px"))
        self.compare = w.Button(description="Compare chosen", icon="columns")
        self.route, self.status, self.comparison = w.HTML(), w.HTML(), w.HTML()
        self.chart = w.Output()
        for css, control in (("name", self.name), ("save", self.save), ("saved", self.saved),
                             ("compare", self.compare), ("route", self.route), ("status", self.status),
                             ("comparison", self.comparison), ("chart", self.chart)):
            control.add_class(f"spw-innovation-{css}")
        self.name.observe(self.guard(lambda _: self.refresh()), names="value")
        self.save.on_click(self.guard(lambda _: self.save_assessment()))
        self.compare.on_click(self.guard(lambda _: self.compare_saved()))
        self.assessment: Assessment | None = None
        self.widget = w.VBox([w.HTML(f"<div class='spw-rubric-note'><i>{escape_html(RUBRIC_NOTE)}</i></div>"),
                              self.name, *rows, self.message, self.route, self.chart,
                              w.HBox([self.save]), self.status, w.HBox([self.saved, self.compare]), self.comparison])
        self.widget.add_class("spw-innovation")
        self.guard(self.refresh)()

    def refresh(self) -> None:
        self.message.value = ""
        self.assessment = assess_innovation({k: c.value for k, c in self.items.items()}, name=self.name.value)
        self.route.value = route_html(self.assessment)
        _display(self.chart, profile_figure(self.assessment))

    def save_assessment(self) -> None:
        self.store.save_draft(INNOVATION_TOOL, self.name.value, self.assessment.to_dict())
        self.saved.options = self.store.list_drafts(INNOVATION_TOOL)
        self.status.value = (f"<div class='spw-saved'>Saved '{escape_html(self.name.value)}' in "
                             f"{escape_html(str(self.store.path))}. Score another purchase and compare.</div>")

    def compare_saved(self) -> pd.DataFrame:
        chosen = list(self.saved.value) or list(self.saved.options)
        if not chosen:
            raise LearnerError("no saved assessments yet", fix="Save at least one assessment, then compare")
        table = compare_assessments([Assessment.from_dict(self.store.load_draft(INNOVATION_TOOL, n))
                                     for n in chosen])
        self.comparison.value = html_table(table.reset_index(names="item"))
        return table


def example_assessments() -> list[Assessment]:
    """Three candidate purchases scored for comparison (course design illustrations)."""
    return [assess_innovation(PLAYGROUND_SCORES, name="Playground equipment"),
            assess_innovation({"need": 2, "market_maturity": 0, "value_duration": 2, "impact": 1,
                               "user_involvement": 0, "readiness": 1, "scalability": 1}, name="Office paper"),
            assess_innovation({"need": 3, "market_maturity": 2, "value_duration": 3, "impact": 3,
                               "user_involvement": 2, "readiness": 2, "scalability": 3},
                              name="Zero-emission school meal logistics")]


def innovation_assessment(name: str = "Playground equipment", scores: dict | None = None) -> None:
    """Show the rubric; headless, the running purchase's profile and route and a comparison of three."""
    from helpers.ui.display import show_tool

    def static() -> list:
        from IPython.display import HTML

        assessment = assess_innovation(scores or PLAYGROUND_SCORES, name=name)
        return [HTML(f"<i>{escape_html(RUBRIC_NOTE)}</i>"), assessment.table()[["item", "score", "meaning"]],
                profile_figure(assessment), HTML(route_html(assessment)), compare_assessments(example_assessments())]

    show_tool(lambda: InnovationAssessmentTool(name, scores).widget, static)


# == market engagement =========================================================================
def timeline_view(timeline: pd.DataFrame) -> pd.DataFrame:
    return timeline.assign(date=pd.to_datetime(timeline["date"]).dt.strftime("%Y-%m-%d"))[
        ["milestone", "date", "days_before_start", "basis"]]


def invitations_html(invitations: pd.DataFrame, limit: int = 40) -> str:
    """The invitation list with local SMEs highlighted (escaped)."""
    cols = [c for c in ("name", "size_class", "place", "level", "social_economy") if c in invitations]
    head = "".join(f"<th>{escape_html(c)}</th>" for c in cols)
    rows = []
    for _, r in invitations.head(limit).iterrows():
        style = " style='background:#e6f4ea;font-weight:bold'" if r.get("local_sme") else ""
        rows.append(f"<tr{style}>" + "".join(f"<td>{escape_html(r[c])}</td>" for c in cols) + "</tr>")
    local = int(invitations["local_sme"].sum()) if "local_sme" in invitations else 0
    more = f" (first {limit} shown)" if len(invitations) > limit else ""
    return (f"<div class='spw-invitations'><b>{len(invitations)} suppliers in this sector, {local} local SMEs "
            f"(highlighted){more}.</b> Tell them about the consultation, and publish it openly too.<table>"
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>")


class EngagementPlanner:
    """Contract start, procedure, e-submission, PIN → timeline; who to tell; transparency log; export."""

    def __init__(self, city: str = "portavera", purchase: str = "Playground equipment supply and maintenance",
                 contract_start: dt.date = PLAYGROUND_START, cpv_division: str = PLAYGROUND_DIVISION) -> None:
        import ipywidgets as w

        from helpers.data import city_info, load_table
        from helpers.ui.display import guarded, message_html

        self.register = load_table("suppliers", city=city)
        self.geography = load_table("geography", city=city)
        self.home = city_info(city)["home_country_code"]
        self.message = w.HTML()
        self.guard = guarded(lambda text, kind: setattr(self.message, "value", message_html(text, kind)))
        wide = {"description_width": "170px"}
        self.purchase = w.Text(value=purchase, description="Purchase", style=wide, layout=w.Layout(width="560px"))
        self.start = w.DatePicker(value=contract_start, description="Contract starts", style=wide)
        self.procedure = w.Dropdown(options=["open", "restricted"], value="open", description="Procedure", style=wide)
        self.e_submission = w.Checkbox(value=True, description="Electronic submission", indent=False)
        self.pin = w.Checkbox(value=False, description="Prior information notice (PIN)", indent=False)
        self.division = w.Text(value=cpv_division, description="CPV division or code", style=wide,
                               continuous_update=False)
        self.timeline, self.invitations, self.log_view, self.status = w.HTML(), w.HTML(), w.HTML(), w.HTML()
        # transparency log form
        self.kind = w.ToggleButtons(options=[("contact", "contact"), ("question", "question")], value="question",
                                    description="Log a", style=wide)
        self.when = w.DatePicker(value=contract_start - dt.timedelta(days=200), description="Date", style=wide)
        self.supplier = w.Text(description="Supplier", style=wide)
        self.summary = w.Textarea(description="Question / summary", style=wide, layout=w.Layout(width="560px"))
        self.info = w.Text(description="Info shared (contact)", style=wide, layout=w.Layout(width="560px"))
        self.add_entry = w.Button(description="Add to the log", icon="plus")
        self.entry_id = w.BoundedIntText(value=1, min=1, max=999, description="Entry no.", style=wide)
        self.answer = w.Textarea(description="Answer", style=wide, layout=w.Layout(width="560px"))
        self.publish = w.Button(description="Answer / share with all", icon="bullhorn")
        self.export = w.Button(description="Export the plan (Markdown + Word)", icon="download")
        self.log = TransparencyLog(purchase)
        controls = {"purchase": self.purchase, "start": self.start, "procedure": self.procedure,
                    "e-submission": self.e_submission, "pin": self.pin, "division": self.division,
                    "timeline": self.timeline, "invitations": self.invitations, "log": self.log_view,
                    "kind": self.kind, "supplier": self.supplier, "summary": self.summary, "add": self.add_entry,
                    "entry-id": self.entry_id, "answer": self.answer, "publish": self.publish,
                    "export": self.export, "status": self.status}
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
        self.widget = w.VBox([
            self.purchase, self.start, self.procedure, w.HBox([self.e_submission, self.pin]), self.timeline,
            w.HTML("<b>Who to tell about the consultation</b>"), self.division, self.invitations,
            w.HTML("<b>Transparency log</b> (equal treatment: every answer goes to all)"),
            self.kind, self.when, self.supplier, self.summary, self.info, self.add_entry,
            self.entry_id, self.answer, self.publish, self.log_view, self.export, self.message, self.status])
        self.widget.add_class("spw-engagement")
        self.guard(self.refresh_timeline)()
        self.guard(self.refresh_invitations)()
        self.refresh_log()

    def refresh_timeline(self) -> None:
        self.message.value = ""
        if self.start.value is None:
            raise LearnerError("choose the date the contract starts", fix="Pick a date in the calendar")
        self.plan_timeline = consultation_timeline(self.start.value, self.procedure.value, self.e_submission.value,
                                                   self.pin.value)
        self.timeline.value = html_table(timeline_view(self.plan_timeline))

    def refresh_invitations(self) -> None:
        self.message.value = ""
        self.plan_invitations = invitation_list(self.register, self.division.value, self.geography,
                                                home_country=self.home)
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
        problems = self.log.problems()
        items = "".join(f"<li>{escape_html(p)}</li>" for p in problems)
        self.log_view.value = ((html_table(self.log.to_frame()) if self.log.entries else
                                "<i>No entries yet.</i>") +
                               (f"<ul style='color:#8a5300'>{items}</ul>" if items else ""))

    def export_plan(self) -> list[Path]:
        from helpers.ui.exports import save_report
        from helpers.core.paths import exports_dir

        self.log.purchase = self.purchase.value
        report = engagement_plan_report(self.purchase.value, self.plan_timeline, self.plan_invitations, self.log)
        stem = "".join(ch if ch.isalnum() else "_" for ch in self.purchase.value.strip())[:60] or "purchase"
        paths = [save_report(report, exports_dir() / f"engagement_plan_{stem}.md"),
                 save_report(report, exports_dir() / f"engagement_plan_{stem}.docx")]
        self.status.value = ("<div class='spw-saved'>Exported: " + ", ".join(escape_html(str(p)) for p in paths)
                             + "</div>")
        return paths


def engagement_planner(city: str = "portavera", contract_start: dt.date = PLAYGROUND_START,
                       cpv_division: str = PLAYGROUND_DIVISION) -> None:
    """Show the planner; headless, the timeline and the first suppliers to tell."""
    from helpers.ui.display import show_tool

    def static() -> list:
        from IPython.display import HTML

        from helpers.data import city_info, load_table

        timeline = consultation_timeline(contract_start, "open")
        invitations = invitation_list(load_table("suppliers", city=city), cpv_division,
                                      load_table("geography", city=city),
                                      home_country=city_info(city)["home_country_code"])
        return [timeline_view(timeline), HTML(invitations_html(invitations, limit=15))]

    show_tool(lambda: EngagementPlanner(city, contract_start=contract_start, cpv_division=cpv_division).widget,
              static)


# == citizen wishes ============================================================================
def wishes_text(wishes: pd.DataFrame) -> str:
    return "\n".join(f"{r.wish}; {r.group}; {r.votes}" for r in wishes.itertuples(index=False))


def parse_wishes(text: str) -> pd.DataFrame:
    """Lines "wish; group; votes" (votes optional, 1 by default) into a wishes table."""
    rows = []
    for number, line in enumerate(str(text).splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split(";")]
        if len(parts) > 3 or not parts[0]:
            raise LearnerError(f"line {number} should read 'wish; group; votes'", row=number,
                               fix="Separate the wish, the group and the votes with semicolons")
        parts += [""] * (3 - len(parts))
        rows.append({"wish": parts[0], "group": parts[1] or "not given", "votes": parts[2] or "1"})
    if not rows:
        raise LearnerError("there are no wishes yet", fix="Write one wish per line: wish; group; votes")
    return pd.DataFrame(rows)


def _beverwijk_html() -> str:
    steps = "".join(f"<li>{escape_html(s)}</li>" for s in BEVERWIJK_STEPS)
    return (f"<div class='spw-beverwijk'><b>How Beverwijk (NL) did it</b><ol>{steps}</ol>"
            f"Source: {escape_html(BEVERWIJK_SOURCE)}<br><i>{escape_html(TURKU_PLAYGROUND_NOTE)}</i></div>")


class CitizenWishes:
    """Editable wishes (one per line) → requirements table → editable requirement text, saved on request."""

    def __init__(self, wishes: pd.DataFrame | None = None, store=None) -> None:
        import ipywidgets as w

        from helpers.ui.display import guarded, message_html
        from helpers.learning.progress import store as default_store

        self.store = store or default_store()
        self.message = w.HTML()
        self.guard = guarded(lambda text, kind: setattr(self.message, "value", message_html(text, kind)))
        self.wishes = w.Textarea(value=wishes_text(SAMPLE_WISHES if wishes is None else wishes),
                                 description="Wishes", layout=w.Layout(width="720px", height="220px"),
                                 continuous_update=False)
        self.table = w.HTML()
        self.requirements = w.Textarea(description="Requirements", layout=w.Layout(width="720px", height="220px"))
        self.save = w.Button(description="Save requirements", icon="save")
        self.status = w.HTML()
        for css, control in (("wishes", self.wishes), ("table", self.table), ("requirements", self.requirements),
                             ("save", self.save), ("status", self.status)):
            control.add_class(f"spw-wishes-{css}")
        self.wishes.observe(self.guard(lambda _: self.refresh()), names="value")
        self.save.on_click(self.guard(lambda _: self.save_requirements()))
        self.result: pd.DataFrame | None = None
        self.widget = w.VBox([w.HTML(_beverwijk_html()),
                              w.HTML("<i>One wish per line: wish; group; votes. Edit, add or delete lines.</i>"),
                              self.wishes, self.message, self.table,
                              w.HTML("<i>Edit the requirements into your specification's words:</i>"),
                              self.requirements, self.save, self.status])
        self.widget.add_class("spw-wishes")
        self.guard(self.refresh)()

    def refresh(self) -> None:
        self.message.value = ""
        self.result = wishes_to_requirements(parse_wishes(self.wishes.value))
        self.table.value = html_table(self.result)
        self.requirements.value = "\n".join(f"- {r.requirement} ({r.type})" for r in self.result.itertuples())

    def save_requirements(self) -> None:
        self.store.save_draft(REQUIREMENTS_TOOL, "playground", {"wishes": self.wishes.value,
                                                                "requirements": self.requirements.value})
        self.status.value = (f"<div class='spw-saved'>Saved in {escape_html(str(self.store.path))} "
                             f"(tool '{REQUIREMENTS_TOOL}', draft 'playground').</div>")


def citizen_wishes(wishes: pd.DataFrame | None = None) -> None:
    """Show the wishes tool; headless, Beverwijk's steps and the sample wishes' requirements."""
    from helpers.ui.display import show_tool

    def static() -> list:
        from IPython.display import HTML

        return [HTML(_beverwijk_html()), wishes_to_requirements(SAMPLE_WISHES if wishes is None else wishes)]

    show_tool(lambda: CitizenWishes(wishes).widget, static)


# == past-tender health check ==================================================================
def health_sources(city: str) -> list[tuple[str, str]]:
    """(label, key): the course city's tenders, then OCDS .json files in my_data/."""
    from helpers.data import city_info
    from helpers.core.paths import my_data_dir

    options = [(f"{city_info(city)['name']} tenders (course data)", f"course:{city}")]
    folder = my_data_dir()
    if folder.is_dir():
        options += [(f"my_data/{p.name} (OCDS)", f"ocds:{p}") for p in sorted(folder.glob("*.json"))]
    return options


def load_health_source(key: str) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    kind, _, rest = str(key).partition(":")
    if kind == "course":
        tenders, bids = course_tenders(rest)
        return tenders, bids, []
    if kind == "ocds":
        from helpers.preprocurement.ocds import read_ocds
        return read_ocds(rest)
    raise LearnerError(f"unknown source {key!r}", fix="Choose a source from the list")


def flagged_view(flags: pd.DataFrame) -> pd.DataFrame:
    """The flagged tenders with their flags and reasons; amounts keep their currency (never converted)."""
    shown = flags[flags["flagged"]].copy()
    shown["flags"] = [", ".join(c for c in FLAGS if row[c]) for _, row in shown.iterrows()]
    cols = [c for c in ("tender_id", "title", "procedure", "submission_days", "number_of_tenderers", "currency",
                        "flags", "reasons") if c in shown]
    return shown[cols].reset_index(drop=True)


def flag_counts_html(flags: pd.DataFrame, r003_days: int) -> str:
    items = "".join(f"<li><b>{code}</b> {escape_html(title)}: {int(flags[code].sum())}</li>"
                    for code, (title, _) in FLAGS.items())
    return (f"<div class='spw-health-count-list'><b>{len(flags)} tenders, {int(flags['flagged'].sum())} flagged</b> "
            f"(short period = under {int(r003_days)} days)<ul>{items}</ul></div>")


class HealthCheck:
    """Source (course data, an OCDS file in my_data/, or an upload) and the R003 days → flags and summary."""

    def __init__(self, city: str = "portavera", r003_days: int = 15) -> None:
        import ipywidgets as w

        from helpers.ui.display import guarded, message_html

        self.message = w.HTML()
        self.guard = guarded(lambda text, kind: setattr(self.message, "value", message_html(text, kind)))
        wide = {"description_width": "150px"}
        self.source = w.Dropdown(options=health_sources(city), description="Tenders from", style=wide,
                                 layout=w.Layout(width="600px"))
        self.upload = w.FileUpload(accept=".json", multiple=False, description="Upload an OCDS .json file",
                                   layout=w.Layout(width="auto"))
        self.r003 = w.IntSlider(value=r003_days, min=1, max=60, description="Short period under (days)",
                                style={"description_width": "170px"}, layout=w.Layout(width="520px"),
                                continuous_update=False)
        self.counts, self.summary, self.flagged, self.notes = w.HTML(), w.HTML(), w.HTML(), w.HTML()
        for css, control in (("source", self.source), ("upload", self.upload), ("r003", self.r003),
                             ("counts", self.counts), ("summary", self.summary), ("flagged", self.flagged),
                             ("notes", self.notes)):
            control.add_class(f"spw-health-{css}")
        self.source.observe(self.guard(lambda _: self.load()), names="value")
        self.upload.observe(self.guard(lambda _: self.uploaded()), names="value")
        self.r003.observe(self.guard(lambda _: self.refresh()), names="value")
        self.tenders = self.bids = self.flags = None
        self.widget = w.VBox([self.source, self.upload, self.r003, self.message,
                              w.HTML(f"<div class='spw-caveat'><b>Read this first:</b> {escape_html(FLAG_CAVEAT)}</div>"),
                              self.counts, w.HTML("<b>By category and procedure</b>"), self.summary,
                              w.HTML("<b>Flagged tenders</b>"), self.flagged, self.notes])
        self.widget.add_class("spw-health")
        self.guard(self.load)()

    def load(self) -> None:
        self.message.value = ""
        self.tenders, self.bids, issues = load_health_source(self.source.value)
        self.notes.value = "".join(f"<div><i>Note: {escape_html(i)}</i></div>" for i in issues)
        self.refresh()

    def uploaded(self) -> None:
        from helpers.core.paths import my_data_dir
        from helpers.core.safety import atomic_write_bytes

        files = self.upload.value
        if not files:
            return
        item = files[0]
        name = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in str(item["name"]))
        if not name.lower().endswith(".json"):
            raise LearnerError("an OCDS file ends in .json", file=str(item["name"]), fix="Upload the OCDS JSON file")
        path = atomic_write_bytes(my_data_dir() / name, bytes(item["content"]))
        key = f"ocds:{path}"
        options = list(self.source.options)
        if key not in [k for _, k in options]:
            options.append((f"my_data/{path.name} (OCDS, uploaded)", key))
            self.source.options = options
        self.source.value = key
        self.load()

    def refresh(self) -> None:
        self.message.value = ""
        self.flags = tender_flags(self.tenders, self.bids, r003_days=int(self.r003.value))
        self.counts.value = flag_counts_html(self.flags, self.r003.value)
        self.summary.value = html_table(health_summary(self.flags))
        view = flagged_view(self.flags)
        self.flagged.value = html_table(view) if len(view) else "<i>No tender is flagged.</i>"


def health_check(city: str = "portavera", r003_days: int = 15) -> None:
    """Show the health check; headless, the course city's summary and flagged tenders."""
    from helpers.ui.display import show_tool

    def static() -> list:
        from IPython.display import HTML

        tenders, bids = course_tenders(city)
        flags = tender_flags(tenders, bids, r003_days=r003_days)
        return [HTML(f"<div><b>Read this first:</b> {escape_html(FLAG_CAVEAT)}</div>"),
                HTML(flag_counts_html(flags, r003_days)), health_summary(flags), flagged_view(flags)]

    show_tool(lambda: HealthCheck(city, r003_days).widget, static)


# == self-checks computed on the course data ===================================================
@self_check("single-bid-rate-pct")
def single_bid_rate_pct(city: str = "portavera") -> float:
    """The course city's single-bid rate (%, tenders with a known bidder count)."""
    tenders, bids = course_tenders(city)
    return float(health_summary(tender_flags(tenders, bids)).iloc[-1]["single_bid_rate_pct"])
