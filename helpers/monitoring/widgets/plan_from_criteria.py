"""Module 7 tool "Your monitoring plan from your criteria": a thin layer over `helpers.monitoring.plan`.

The learner picks one of their criteria drafts saved in module 6 (or the course's playground example),
gives the contract's dates and the winning bid's commitments, and gets their monitoring plan (KPIs,
targets, reporting months); after the contract year they enter the results, and save the plan and its
results summary (progress store: tools `monitoring_plan` and `monitoring_summary`, which module 4 offers
as "From your contract monitoring") or export the plan as CSV. Headless it shows the course example.
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as w
from IPython.display import HTML

from helpers.core.errors import LearnerError
from helpers.core.safety import escape_html
from helpers.learning.my_work_widget import DownloadArea
from helpers.learning.progress import store as default_store
from helpers.monitoring.plan import (
    FREQUENCIES,
    PLAN_TOOL,
    SUMMARY_TOOL,
    criteria_without_kpis,
    export_plan_csv,
    monitoring_plan_from_criteria,
    monitoring_results,
    parse_pairs,
    results_summary_record,
    status_counts,
)
from helpers.tendering import default_draft, load_library
from helpers.ui.display import show_tool
from helpers.ui.exports import html_table
from helpers.ui.tool import Tool, heading

CRITERIA_TOOL = "criteria"  # where the criteria builder (module 6) saves drafts
EXAMPLE = "(course example: the playground purchase)"
# Course design: the playground contract's term and the winning bid's commitments in the worked example.
EXAMPLE_DATES = ("2025-09-01", "2027-08-31")
EXAMPLE_COMMITMENTS = "inclusive_play_share = 30\npeople_far_from_work_employed = 4\ninstallation_placements = 2"
EXAMPLE_RESULTS = "inclusive_play_share = 32\npeople_far_from_work_employed = 3"
PLAN_SHOWN = ["criterion", "kpi_id", "kpi", "unit", "better when", "target", "reporting months"]


def example_plan():
    """The worked example: the playground draft's plan with the example commitments and dates."""
    library = load_library()
    return monitoring_plan_from_criteria(
        default_draft(library), parse_pairs(EXAMPLE_COMMITMENTS), *EXAMPLE_DATES, library=library
    )


def plan_static_view() -> list:
    plan = example_plan()
    results = monitoring_results(plan, parse_pairs(EXAMPLE_RESULTS))
    counts = status_counts(results)
    return [
        HTML("<b>The course example's monitoring plan (the playground draft, PV-T-2025-017)</b>"),
        plan[PLAN_SHOWN],
        HTML(
            f"<b>Results after the first year</b>: {counts['met']} met, {counts['not met']} not met, "
            f"{counts['unknown']} unknown"
        ),
        results[["kpi", "target", "result", "status"]],
    ]


class PlanFromCriteria(Tool):
    """Pick a saved criteria draft, build its monitoring plan, rate results, save or export."""

    css_class = "spw-plan-from-criteria"

    def __init__(self, store: Callable | None = None) -> None:
        super().__init__()
        self.store = (store or default_store)()
        self.library = load_library()
        self.plan = None
        self.results = None
        layout = {"width": "95%"}
        self.draft = w.Dropdown(description="Criteria draft", options=self._draft_options(), layout=layout)
        self.refresh_button = w.Button(description="Refresh the list", icon="refresh")
        self.start = w.Text(description="Start date", placeholder="YYYY-MM-DD", value=EXAMPLE_DATES[0])
        self.end = w.Text(description="End date", placeholder="YYYY-MM-DD", value=EXAMPLE_DATES[1])
        self.frequency = w.Dropdown(description="Reports", options=list(FREQUENCIES), value="quarterly")
        self.commitments = w.Textarea(
            description="Winning bid",
            placeholder="one KPI a line: kpi_id = the number the winning bid committed to",
            layout={"width": "95%", "height": "90px"},
        )
        self.build_button = w.Button(description="Build my monitoring plan", button_style="primary")
        self.plan_out = w.HTML()
        self.results_text = w.Textarea(
            description="Results",
            placeholder="one KPI a line: kpi_id = the result reported for the year",
            layout={"width": "95%", "height": "90px"},
        )
        self.rate_button = w.Button(description="Rate the results")
        self.results_out = w.HTML()
        self.name = w.Text(description="Save as", placeholder="a name for this plan")
        self.save_button = w.Button(description="Save plan and summary", icon="save")
        self.export_button = w.Button(description="Export the plan (CSV)", icon="download")
        self.downloads = DownloadArea()
        self.refresh_button.on_click(self.guard(lambda _: self.refresh()))
        self.build_button.on_click(self.guard(lambda _: self.build()))
        self.rate_button.on_click(self.guard(lambda _: self.rate()))
        self.save_button.on_click(self.guard(lambda _: self.save()))
        self.export_button.on_click(self.guard(lambda _: self.export()))
        self.draft.observe(self.guard(lambda _: self._draft_chosen()), "value")
        self._draft_chosen()
        for control, css in (  # classes for the browser tests and the course's styles
            (self.draft, "spw-plan-draft"),
            (self.refresh_button, "spw-plan-refresh"),
            (self.start, "spw-plan-start"),
            (self.end, "spw-plan-end"),
            (self.commitments, "spw-plan-commitments"),
            (self.build_button, "spw-plan-build"),
            (self.plan_out, "spw-plan-table"),
            (self.results_text, "spw-plan-results"),
            (self.rate_button, "spw-plan-rate"),
            (self.results_out, "spw-plan-rated"),
            (self.name, "spw-plan-name"),
            (self.save_button, "spw-plan-save"),
            (self.export_button, "spw-plan-export"),
        ):
            control.add_class(css)

    def _draft_options(self) -> list[str]:
        return [*self.store.list_drafts(CRITERIA_TOOL), EXAMPLE]

    def _draft_chosen(self) -> None:
        example = self.draft.value == EXAMPLE
        self.commitments.value = EXAMPLE_COMMITMENTS if example else ""
        self.results_text.value = EXAMPLE_RESULTS if example else ""
        self.name.value = "" if example or not self.draft.value else str(self.draft.value)

    def refresh(self) -> None:
        """Read the saved drafts again (after saving one in module 6)."""
        current = self.draft.value
        self.draft.options = self._draft_options()
        if current in self.draft.options:
            self.draft.value = current
        self.report(f"{len(self.draft.options) - 1} criteria draft(s) of yours found.", "info")

    def _chosen_draft(self):
        if self.draft.value == EXAMPLE:
            return default_draft(self.library)
        return self.store.load_draft(CRITERIA_TOOL, self.draft.value)

    def build(self) -> None:
        """Build the plan of the chosen draft and show it, with the criteria that have no KPI."""
        self.downloads.clear()
        draft = self._chosen_draft()
        start, end = self.start.value.strip() or None, self.end.value.strip() or None
        self.plan = monitoring_plan_from_criteria(
            draft, parse_pairs(self.commitments.value), start, end, self.frequency.value, library=self.library
        )
        self.results = None
        self.results_out.value = ""
        missing = criteria_without_kpis(draft, library=self.library)
        text = f"<b>{len(self.plan)} KPI(s) from “{escape_html(str(self.draft.value))}”</b>"
        text += html_table(self.plan[PLAN_SHOWN]) if len(self.plan) else "<p>No KPI: see below.</p>"
        if len(missing):
            text += "<b>Criteria without a KPI from the library</b>" + html_table(missing)
        self.plan_out.value = text
        self.report(f"Your monitoring plan has {len(self.plan)} KPI(s).", "ok")

    def _need_plan(self) -> None:
        if self.plan is None:
            raise LearnerError("there is no plan yet", fix="Press “Build my monitoring plan” first")

    def rate(self) -> None:
        """Rate the results entered against the plan's targets."""
        self._need_plan()
        self.results = monitoring_results(self.plan, parse_pairs(self.results_text.value, "results"))
        counts = status_counts(self.results)
        self.results_out.value = html_table(self.results[["kpi_id", "kpi", "target", "result", "status"]])
        self.report(f"{counts['met']} met, {counts['not met']} not met, {counts['unknown']} unknown.", "info")

    def save(self) -> str:
        """Save the plan's inputs and, when rated, the results summary (offered in module 4)."""
        self.downloads.clear()
        self._need_plan()
        name = self.name.value.strip()
        if not name:
            raise LearnerError("the plan needs a name", fix="Type a name under “Save as” and save again")
        self.store.save_draft(
            PLAN_TOOL,
            name,
            {
                "version": 1,
                "criteria_draft": str(self.draft.value),
                "start": self.start.value.strip(),
                "end": self.end.value.strip(),
                "frequency": self.frequency.value,
                "commitments": self.commitments.value,
                "results": self.results_text.value,
                "kpis": self.plan["kpi_id"].tolist(),
            },
        )
        saved = "the plan"
        if self.results is not None:
            self.store.save_draft(SUMMARY_TOOL, name, results_summary_record(self.results, contract=name))
            saved = "the plan and its results summary (module 4 offers it for next year's objectives)"
        self.report(f"Saved {saved} as “{name}” in your progress file {self.store.path}.", "ok")
        self.downloads.offer_on_binder()
        return name

    def export(self):
        """Write the plan as a CSV in the exports folder, with a download link."""
        self.downloads.clear()
        self._need_plan()
        path = export_plan_csv(self.plan, self.name.value or str(self.draft.value))
        self.report(f"Exported the plan to {path}.", "ok")
        self.downloads.show([path], text="")
        return path

    def widget(self) -> w.Widget:
        box = w.VBox(
            [
                heading("1. Your criteria draft (saved in module 6)"),
                w.HBox([self.draft, self.refresh_button]),
                heading("2. The contract and the winning bid"),
                w.HBox([self.start, self.end, self.frequency]),
                self.commitments,
                self.build_button,
                self.plan_out,
                heading("3. The results of the year"),
                self.results_text,
                self.rate_button,
                self.results_out,
                heading("4. Save or export"),
                w.HBox([self.name, self.save_button, self.export_button]),
                self.message,
                self.downloads,
            ]
        )
        box.add_class(self.css_class)
        return box

    def static_view(self) -> list:
        return plan_static_view()


def plan_from_criteria() -> None:
    """Show the tool; headless, the course example's plan and results."""
    show_tool(lambda: PlanFromCriteria().widget(), plan_static_view)
