"""`objectives_builder(city, year)`: measurable objectives with baselines taken from the spend analysis,
live checks, Save / reload (progress store, tool "strategy"), export to Markdown and Word. Headless
(papermill) it shows the worked example's objectives and their checks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import ipywidgets as w
from IPython.display import HTML

from helpers.core.errors import LearnerError
from helpers.core.safety import escape_html
from helpers.data import city_info
from helpers.learning.my_work_widget import DownloadArea
from helpers.learning.progress import store as default_store
from helpers.spend import analyse_city, saved_headline
from helpers.strategy.objectives import (
    CHECKS_OK,
    Objective,
    baseline_for,
    baseline_source,
    baseline_unknown,
    baselines_table,
    example_objectives,
    export_objectives,
    indicator_unit,
    objectives_from_dict,
    objectives_table,
    objectives_to_dict,
    outcomes,
    parse_number,
    validate_objectives,
)
from helpers.ui.display import message_html, show_tool
from helpers.ui.exports import html_table
from helpers.ui.messages import issues_html
from helpers.ui.tool import Tool

TOOL = "strategy"


def checks_html(issues) -> str:
    """The objectives' checks: errors first, each with its severity in words."""
    return issues_html(issues, ok_text=CHECKS_OK, css_class="spw-objective-checks")


def saved_source(name: str) -> str:
    """How a baseline from an analysis saved in module 3 names its source."""
    return f"{name} spend analysis (module 3)"


def objectives_static_view(city: str = "portavera", year: int = 2025, saved: str | None = None) -> list:
    """The worked example's objectives and their checks; with `saved`, also the baselines that analysis
    gives ("unknown", with why, where it cannot)."""
    objectives = example_objectives(city, year)
    shown = [objectives_table(objectives), HTML(checks_html(validate_objectives(objectives)))]
    if saved:
        try:
            shown.insert(0, baselines_table(saved_headline(saved), saved_source(saved)))
        except LearnerError as exc:  # the saved analysis cannot be read: say so, show the worked example
            shown.insert(0, HTML(message_html(str(exc), "error")))
    return shown


class ObjectivesBuilder(Tool):
    """One objective at a time: pick outcome and indicator, baseline prefilled, target and date; Add."""

    css_class = "spw-objectives"

    def __init__(self, city: str = "portavera", year: int = 2025, store=None, saved: str | None = None) -> None:
        super().__init__()
        self.city, self.year, self.saved_analysis = city, year, saved
        self.store = store or default_store()
        self.city_name = city_info(city)["name"]
        self.headline, self.source_text = analyse_city(city, year).headline(), baseline_source(city, year)
        opened = ""
        if saved:  # baselines from the learner's own analysis saved in module 3
            try:
                self.headline, self.source_text = saved_headline(saved), saved_source(saved)
                self.city_name = saved
            except LearnerError as exc:
                opened = f"{exc} The baselines come from the course city instead."
        wide = {"description_width": "150px"}
        full = w.Layout(width="620px")
        self.outcome = w.Dropdown(
            options=[(o["name"], k) for k, o in outcomes().items()],
            value="local_economy",
            description="Outcome",
            style=wide,
            layout=full,
        )
        self.indicator = w.Combobox(description="Indicator", style=wide, layout=full, ensure_option=False)
        self.baseline = w.Text(description="Baseline", style=wide, continuous_update=False)
        self.baseline_source = w.Text(description="Baseline source", style=wide, layout=full, continuous_update=False)
        self.target = w.Text(description="Target", style=wide, placeholder="e.g. 35", continuous_update=False)
        self.target_date = w.DatePicker(description="By", style=wide, value=dt.date(dt.date.today().year + 3, 12, 31))
        self.unit = w.Text(description="Unit", style=wide, continuous_update=False)
        self.checks = w.HTML()
        self.add = w.Button(description="Add objective", icon="plus", button_style="primary")
        self.remove = w.Button(description="Remove last", icon="minus")
        self.name = w.Text(value=f"{self.city_name} strategy", description="Save as", style=wide)
        self.save = w.Button(description="Save", icon="save")
        self.saved = w.Dropdown(description="Saved", style=wide, options=self.store.list_drafts(TOOL))
        self.reload = w.Button(description="Reload", icon="folder-open")
        self.export = w.Button(description="Export Markdown + Word", icon="download")
        self.status, self.table, self.list_checks = w.HTML(), w.HTML(), w.HTML()
        self.downloads = DownloadArea()  # the exported files' links (and, on Binder, the warning)
        controls = {
            "outcome": self.outcome,
            "indicator": self.indicator,
            "baseline": self.baseline,
            "baseline-source": self.baseline_source,
            "target": self.target,
            "date": self.target_date,
            "unit": self.unit,
            "add": self.add,
            "remove": self.remove,
            "name": self.name,
            "save": self.save,
            "saved": self.saved,
            "reload": self.reload,
            "export": self.export,
            "status": self.status,
            "table": self.table,
            "checks": self.checks,
        }
        for css, control in controls.items():
            control.add_class(f"spw-objective-{css}")
        self.objectives: list[Objective] = []
        self._connect()
        self.box = w.VBox(
            [
                w.HTML("<b>1. One objective</b>"),
                self.outcome,
                self.indicator,
                self.baseline,
                self.baseline_source,
                self.target,
                self.target_date,
                self.unit,
                self.checks,
                w.HBox([self.add, self.remove]),
                w.HTML("<b>2. Your objectives</b>"),
                self.table,
                self.list_checks,
                w.HTML("<b>3. Keep and share</b>"),
                w.HBox([self.name, self.save]),
                w.HBox([self.saved, self.reload]),
                self.export,
                self.message,
                self.status,
                self.downloads,
            ]
        )
        self.box.add_class(self.css_class)
        self.guard(self.suggest)()
        self.refresh_list()
        if opened:
            self.report(opened, "warning")

    def _connect(self) -> None:
        self.outcome.observe(self.guard(lambda _: self.suggest()), names="value")
        self.indicator.observe(self.guard(lambda _: self.prefill()), names="value")
        for control in (self.baseline, self.baseline_source, self.target, self.target_date, self.unit):
            control.observe(self.guard(lambda _: self.check()), names="value")
        self.add.on_click(self.guard(lambda _: self.add_current()))
        self.remove.on_click(self.guard(lambda _: self.remove_last()))
        self.save.on_click(self.guard(lambda _: self.save_draft()))
        self.reload.on_click(self.guard(lambda _: self.load_draft()))
        self.export.on_click(self.guard(lambda _: self.export_files()))

    def widget(self) -> w.Widget:
        return self.box

    def static_view(self) -> list:
        return objectives_static_view(self.city, self.year, self.saved_analysis)

    def suggest(self) -> None:
        """Offer the outcome's suggested indicators and take the first."""
        options = [name for name, _, _ in outcomes()[self.outcome.value]["indicators"]]
        self.indicator.options = options
        self.indicator.value = options[0]
        self.prefill()

    def prefill(self) -> None:
        """Baseline and its source from the spend analysis where it measures this indicator; unit from the list."""
        value = baseline_for(self.indicator.value, self.headline)
        self.unit.value = indicator_unit(self.indicator.value)
        self.baseline.value = "" if value is None else f"{value:g}"
        self.baseline_source.value = self.source_text if value is not None else ""
        self.check()
        why = baseline_unknown(self.indicator.value, self.headline)
        if why:  # the analysis measures this indicator but cannot give it: say so, never prefill 0
            self.report(f"No baseline from {self.source_text}: {why}", "warning")

    @staticmethod
    def _number(text: str) -> float | None:
        return None if not str(text).strip() else parse_number(text, "value")

    def current(self) -> Objective:
        return Objective(
            self.outcome.value,
            self.indicator.value,
            self._number(self.baseline.value),
            self.baseline_source.value,
            self._number(self.target.value),
            self.target_date.value,
            self.unit.value,
        )

    def check(self) -> None:
        """Live checks of the objective being written."""
        self.report("")
        self.checks.value = checks_html(validate_objectives([self.current()]))

    def add_current(self) -> None:
        objective = self.current()
        errors = [i for i in validate_objectives([objective]) if i.severity == "error"]
        if errors:
            raise LearnerError(f"this objective cannot be added yet: {errors[0].message}")
        self.objectives.append(objective)
        self.target.value = ""
        self.refresh_list()

    def remove_last(self) -> None:
        if self.objectives:
            self.objectives.pop()
        self.refresh_list()

    def refresh_list(self) -> None:
        self.table.value = (
            html_table(objectives_table(self.objectives))
            if self.objectives
            else "<i>No objectives yet: write one above and click Add objective.</i>"
        )
        self.list_checks.value = checks_html(validate_objectives(self.objectives)) if self.objectives else ""

    def save_draft(self) -> None:
        self.downloads.clear()
        if not self.objectives:
            raise LearnerError("there is nothing to save yet", fix="Add at least one objective")
        self.store.save_draft(TOOL, self.name.value, objectives_to_dict(self.objectives))
        self.saved.options = self.store.list_drafts(TOOL)
        self.saved.value = self.name.value.strip() if self.name.value.strip() in self.saved.options else None
        self.status.value = (
            f"<div class='spw-saved'>Saved {len(self.objectives)} objective(s) as "
            f"'{escape_html(self.name.value)}' in {escape_html(str(self.store.path))}.</div>"
        )
        self.downloads.offer_on_binder()

    def load_draft(self) -> None:
        self.downloads.clear()
        if not self.saved.value:
            raise LearnerError("choose a saved set of objectives first", fix="Save one, then pick it in the list")
        self.objectives = objectives_from_dict(self.store.load_draft(TOOL, self.saved.value))
        self.name.value = self.saved.value
        self.refresh_list()
        self.status.value = f"<div class='spw-saved'>Reloaded '{escape_html(self.saved.value)}'.</div>"

    def export_files(self) -> list[Path]:
        self.downloads.clear()
        paths = export_objectives(self.objectives, self.city_name, self.name.value)
        self.status.value = (
            "<div class='spw-saved'>Exported: " + ", ".join(escape_html(str(p)) for p in paths) + "</div>"
        )
        self.downloads.show(paths, text="")
        return paths


def objectives_builder(city: str = "portavera", year: int = 2025, saved: str | None = None) -> None:
    """Show the objectives builder; headless, the worked example's objectives and their checks. `saved`
    (an analysis saved in module 3) takes the baselines from it."""
    show_tool(
        lambda: ObjectivesBuilder(city, year, saved=saved).widget(),
        lambda: objectives_static_view(city, year, saved),
    )
