"""Module 4 tools as widgets, thin layers over `helpers.strategy.model`:

- `opportunity_matrix_tool(city, year)`: the category opportunity matrix as a quadrant chart, with a
  source selector (a course city and year, or an analysis saved in module 3) and threshold sliders;
  choosing a category shows its details.
- `objectives_builder(city, year)`: measurable objectives with baselines taken from the spend analysis,
  live checks, Save / reload (progress store, tool "strategy"), export to Markdown and Word.
- `lotting_advisor(city)`: how lots change the turnover a bidder needs and the local SMEs able to bid.

Headless (papermill) each shows the same table and chart for its defaults.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from helpers.core.errors import LearnerError
from helpers.ui.exports import html_table
from helpers.core.safety import escape_html
from helpers.strategy.model import (CAPACITY_MEASURES, OUTCOMES, QUADRANTS, TURNOVER_NOTE, MatrixThresholds, Objective,
                              category_capacity, classify_categories, divide_or_explain, lot_plan,
                              objectives_from_dict, objectives_table, objectives_to_dict, quadrant_counts,
                              strategy_summary, validate_objectives)
from helpers.learning.registry import self_check

TOOL = "strategy"
QUADRANT_COLOURS = {"grow local spend": "#1a7f37", "keep": "#1a4b9c", "thin local market": "#b35900",
                    "low priority": "#9aa0a6", "unclassified": "#5f6368"}


# == the opportunity matrix: pure pieces ==========================================================
def course_source(city: str, year: int) -> str:
    return f"course:{city}:{int(year)}"


def matrix_sources(city: str = "portavera", year: int = 2025) -> list[tuple[str, str]]:
    """(label, key) of every source: the course cities' ledgers, then the analyses saved in module 3."""
    from helpers.data import LEDGER_YEARS, cities, city_info
    from helpers.spend.pipeline import list_analyses

    first = course_source(city, year)
    options = [(f"{city_info(c)['name']} {y} (course data)", course_source(c, y)) for c in cities()
               for y in LEDGER_YEARS]
    options.sort(key=lambda item: item[1] != first)
    return options + [(f"{name} (my saved analysis)", f"saved:{name}") for name in list_analyses()]


def _saved_levels(name: str) -> tuple[str, ...]:
    """The 'local' levels of a saved analysis: its levels up to the regional one (city + region)."""
    from helpers.spend.pipeline import load_analysis_meta

    try:
        meta = load_analysis_meta(name)
        levels = list(meta["levels"])
        return tuple(levels[: levels.index(meta["regional"]) + 1])
    except (LearnerError, OSError, ValueError, KeyError):
        return ("city", "region")


@lru_cache(maxsize=8)
def _course_capacity(city: str, year: int, capacity_levels: tuple[str, ...]) -> pd.DataFrame:
    from helpers.data import city_info, load_table
    from helpers.spend.pipeline import analyse_city

    return category_capacity(analyse_city(city, year).payments, load_table("suppliers", city=city),
                             load_table("geography", city=city), local_levels=capacity_levels,
                             home_country=city_info(city)["home_country_code"])


def source_capacity(key: str, local: str = "city + region") -> tuple[pd.DataFrame, str]:
    """The `category_capacity` table of a source key and its label. Course data count the register's
    suppliers; a saved analysis counts the local suppliers it paid (no register is saved with it)."""
    kind, _, rest = str(key).partition(":")
    if kind == "course":
        from helpers.data import city_info

        city, _, year = rest.partition(":")
        levels = ("city",) if local == "city" else ("city", "region")
        return _course_capacity(city, int(year), levels).copy(), f"{city_info(city)['name']} {year}"
    if kind == "saved":
        from helpers.spend.pipeline import load_analysis

        levels = _saved_levels(rest)
        levels = levels[:1] if local == "city" else levels
        return category_capacity(load_analysis(rest), local_levels=levels), rest
    raise LearnerError(f"unknown source {key!r}", fix="Choose a source from the list")


def matrix_figure(matrix: pd.DataFrame, thresholds: MatrixThresholds, title: str) -> go.Figure:
    """The quadrant chart: x = share spent locally, y = local suppliers (or SMEs), bubble = spend."""
    measure = thresholds.capacity
    fig = go.Figure()
    biggest = float(matrix["spend"].clip(lower=0).max() or 1.0)
    for quadrant, colour in QUADRANT_COLOURS.items():
        rows = matrix[matrix["quadrant"] == quadrant]
        if rows.empty:
            continue
        fig.add_trace(go.Scatter(
            x=rows["local_share"] * 100, y=rows[measure], mode="markers+text", name=quadrant,
            text=rows["category"].astype("str"), textposition="middle center", textfont={"size": 9},
            marker={"size": (rows["spend"].clip(lower=0) / biggest) ** 0.5 * 60 + 8, "color": colour,
                    "opacity": 0.7, "line": {"width": 1, "color": "white"}},
            customdata=list(zip(rows["name"].astype("str"), rows["spend"], rows["spend_share"] * 100)),
            hovertemplate="%{customdata[0]}<br>spend %{customdata[1]:,.0f} (%{customdata[2]:.1f}% of all)"
                          "<br>%{x:.1f}% local, %{y} " + CAPACITY_MEASURES[measure] + "<extra></extra>"))
    fig.add_vline(x=thresholds.local_share * 100, line={"dash": "dash", "color": "#444"})
    fig.add_hline(y=thresholds.min_local_suppliers, line={"dash": "dash", "color": "#444"})
    fig.update_layout(title=title, height=520, margin={"t": 60, "l": 60, "r": 20, "b": 50},
                      xaxis={"title": "share of the category's spend with local suppliers (%)", "range": [-5, 105]},
                      yaxis={"title": f"{CAPACITY_MEASURES[measure]} in the register for the division"},
                      legend={"orientation": "h", "y": -0.15})
    return fig


def category_details_html(matrix: pd.DataFrame, category: str) -> str:
    """One category's figures and its quadrant's suggested action, escaped."""
    rows = matrix[matrix["category"].astype("str") == str(category)]
    if rows.empty:
        return ""
    r = rows.iloc[0]
    return (f"<div class='spw-matrix-detail'><b>{escape_html(r['name'])}</b>: "
            f"spend {r['spend']:,.0f} ({r['spend_share']:.1%} of all); {r['local_share']:.1%} spent locally, so "
            f"{r['spend_outside']:,.0f} goes to suppliers outside the area; {int(r['local_suppliers'])} local "
            f"suppliers, {int(r['local_smes'])} of them SMEs.<br><b>{escape_html(r['quadrant'])}</b>: "
            f"{escape_html(QUADRANTS[r['quadrant']])}</div>")


def counts_html(matrix: pd.DataFrame) -> str:
    counts = quadrant_counts(matrix)
    chips = " ".join(f"<span style='background:{QUADRANT_COLOURS[r.quadrant]};color:white;padding:2px 8px;"
                     f"border-radius:8px;margin-right:4px'>{escape_html(r.quadrant)}: {r.categories} "
                     f"({r.spend_share:.0%} of spend)</span>" for r in counts.itertuples(index=False))
    return f"<div class='spw-matrix-chips'>{chips}</div>"


def matrix_view(matrix: pd.DataFrame) -> pd.DataFrame:
    """The matrix as a readable table (percentages and rounded money)."""
    return pd.DataFrame({"category": matrix["name"], "quadrant": matrix["quadrant"],
                         "spend": matrix["spend"].map(lambda v: f"{v:,.0f}"),
                         "% of all spend": (matrix["spend_share"] * 100).round(1),
                         "% local": (matrix["local_share"] * 100).round(1),
                         "local suppliers": matrix["local_suppliers"], "local SMEs": matrix["local_smes"]})


# == the opportunity matrix: widget ==============================================================
class OpportunityMatrixTool:
    """Source, thresholds and capacity measure in; quadrant chart, counts, table and details out."""

    def __init__(self, city: str = "portavera", year: int = 2025) -> None:
        import ipywidgets as w

        from helpers.ui.display import guarded, message_html

        self.message = w.HTML()
        self.guard = guarded(lambda text, kind: setattr(self.message, "value", message_html(text, kind)))
        wide = {"description_width": "210px"}
        self.source = w.Dropdown(options=matrix_sources(city, year), value=course_source(city, year),
                                 description="Spend analysis", style=wide, layout=w.Layout(width="560px"))
        self.local = w.ToggleButtons(options=["city + region", "city"], value="city + region",
                                     description="Local means", style=wide)
        defaults = MatrixThresholds()
        self.min_spend = w.FloatSlider(value=defaults.min_spend_share * 100, min=0, max=10, step=0.5,
                                       description="Small spend below (% of all)", style=wide,
                                       layout=w.Layout(width="560px"), continuous_update=False)
        self.local_share = w.IntSlider(value=int(defaults.local_share * 100), min=5, max=95, step=5,
                                       description="High local share from (%)", style=wide,
                                       layout=w.Layout(width="560px"), continuous_update=False)
        self.min_suppliers = w.IntSlider(value=defaults.min_local_suppliers, min=0, max=100, step=1,
                                         description="Enough local firms from", style=wide,
                                         layout=w.Layout(width="560px"), continuous_update=False)
        self.capacity = w.ToggleButtons(options=[(v, k) for k, v in CAPACITY_MEASURES.items()],
                                        value=defaults.capacity, description="Count", style=wide)
        self.category = w.Dropdown(description="Category details", style=wide, layout=w.Layout(width="560px"))
        for name, control in (("source", self.source), ("local", self.local), ("min-spend", self.min_spend),
                              ("local-share", self.local_share), ("min-suppliers", self.min_suppliers),
                              ("capacity", self.capacity), ("category", self.category)):
            control.add_class(f"spw-matrix-{name}")
        self.counts, self.details, self.note, self.table = w.HTML(), w.HTML(), w.HTML(), w.HTML()
        for css, box in (("table", self.table), ("counts", self.counts), ("details", self.details),
                         ("note", self.note), ("message", self.message)):
            box.add_class(f"spw-matrix-{css}")
        self.chart = w.Output()
        self.chart.add_class("spw-matrix-chart")
        self.capacity_table: pd.DataFrame | None = None
        self.matrix: pd.DataFrame | None = None
        self.label = ""
        self.source.observe(self.guard(lambda _: self.load()), names="value")
        self.local.observe(self.guard(lambda _: self.load()), names="value")
        for control in (self.min_spend, self.local_share, self.min_suppliers, self.capacity):
            control.observe(self.guard(lambda _: self.classify()), names="value")
        self.category.observe(self.guard(lambda _: self.show_details()), names="value")
        self.widget = w.VBox([self.source, self.local, self.min_spend, self.local_share, self.min_suppliers,
                              self.capacity, self.message, self.counts, self.chart, self.category, self.details,
                              self.note, self.table])
        self.widget.add_class("spw-matrix")
        self.guard(self.load)()

    def thresholds(self) -> MatrixThresholds:
        return MatrixThresholds(self.min_spend.value / 100, self.local_share.value / 100,
                                int(self.min_suppliers.value), self.capacity.value)

    def load(self) -> None:
        """Read the chosen source (course data are cached), then classify."""
        self.message.value = ""
        self.capacity_table, self.label = source_capacity(self.source.value, self.local.value)
        source = self.capacity_table.attrs.get("capacity_source")
        self.note.value = ("<i>Local firms: suppliers in the city's register for the category's CPV division.</i>"
                           if source == "register" else
                           "<i>Your saved analysis has no register with it, so 'local firms' counts the local "
                           "suppliers you already paid in the category (course design).</i>")
        self.classify()

    def classify(self) -> None:
        self.message.value = ""
        thresholds = self.thresholds()
        self.matrix = classify_categories(self.capacity_table, thresholds)
        self.counts.value = counts_html(self.matrix)
        self.table.value = html_table(matrix_view(self.matrix))
        title = f"Category opportunity matrix ({self.label})"
        self.chart.clear_output(wait=True)
        with self.chart:
            from IPython.display import display
            display(matrix_figure(self.matrix, thresholds, title))
        options = [(f"{r.name} [{r.quadrant}]", str(r.category)) for r in self.matrix.itertuples(index=False)]
        current = self.category.value
        self.category.options = options
        self.category.value = current if current in dict(options).values() else (options[0][1] if options else None)
        self.show_details()

    def show_details(self) -> None:
        if self.matrix is not None and self.category.value is not None:
            self.details.value = category_details_html(self.matrix, self.category.value)


def opportunity_matrix_tool(city: str = "portavera", year: int = 2025) -> None:
    """Show the opportunity matrix: widgets in JupyterLab, the chart and table when headless."""
    from helpers.ui.display import show_tool

    def static() -> list:
        from IPython.display import HTML

        capacity, label = source_capacity(course_source(city, year))
        matrix = classify_categories(capacity, MatrixThresholds())
        return [matrix_figure(matrix, MatrixThresholds(), f"Category opportunity matrix ({label})"),
                HTML(counts_html(matrix)), matrix_view(matrix)]

    show_tool(lambda: OpportunityMatrixTool(city, year).widget, static)


# == objectives and targets =====================================================================
# Which headline figure of the spend analysis is the baseline of which suggested indicator.
BASELINE_KEYS = {"share of spend with suppliers in the city": "local_share_city",
                 "share of spend with suppliers in the region": "local_share_region",
                 "% of spend with smes": "sme_share",
                 "% of spend with social-economy organisations": "social_economy_share"}


def baseline_for(indicator: str, headline: dict) -> float | None:
    """The baseline (in %) of an indicator the spend analysis measures, else None."""
    key = BASELINE_KEYS.get(str(indicator).strip().lower())
    return round(100 * float(headline[key]), 1) if key and key in headline else None


def issues_html(issues) -> str:
    if not issues:
        return ("<div class='spw-objective-checks spw-ok' style='color:#1e6b34'>Every objective has a baseline "
                "with a source, a target and a future date.</div>")
    items = "".join(f"<li style='color:{'#b3261e' if i.severity == 'error' else '#8a5300'}'>Objective "
                    f"{i.objective} ({escape_html(i.severity)}): {escape_html(i.message)}</li>" for i in issues)
    return f"<ul class='spw-objective-checks'>{items}</ul>"


class ObjectivesBuilder:
    """One objective at a time: pick outcome and indicator, baseline prefilled, target and date; Add."""

    def __init__(self, city: str = "portavera", year: int = 2025, store=None) -> None:
        import ipywidgets as w

        from helpers.data import city_info
        from helpers.ui.display import guarded, message_html
        from helpers.learning.progress import store as default_store
        from helpers.spend.pipeline import analyse_city

        self.store = store or default_store()
        self.city_name = city_info(city)["name"]
        self.headline = analyse_city(city, year).headline()
        self.source_text = f"{self.city_name} {year} spend analysis (module 3)"
        self.message = w.HTML()
        self.guard = guarded(lambda text, kind: setattr(self.message, "value", message_html(text, kind)))
        wide = {"description_width": "150px"}
        full = w.Layout(width="620px")
        self.outcome = w.Dropdown(options=[(o["name"], k) for k, o in OUTCOMES.items()], value="local_economy",
                                  description="Outcome", style=wide, layout=full)
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
        controls = {"outcome": self.outcome, "indicator": self.indicator, "baseline": self.baseline,
                    "baseline-source": self.baseline_source, "target": self.target, "date": self.target_date,
                    "unit": self.unit, "add": self.add, "remove": self.remove, "name": self.name,
                    "save": self.save, "saved": self.saved, "reload": self.reload, "export": self.export,
                    "status": self.status, "table": self.table, "checks": self.checks}
        for css, control in controls.items():
            control.add_class(f"spw-objective-{css}")
        self.objectives: list[Objective] = []
        self.outcome.observe(self.guard(lambda _: self.suggest()), names="value")
        self.indicator.observe(self.guard(lambda _: self.prefill()), names="value")
        for control in (self.baseline, self.baseline_source, self.target, self.target_date, self.unit):
            control.observe(self.guard(lambda _: self.check()), names="value")
        self.add.on_click(self.guard(lambda _: self.add_current()))
        self.remove.on_click(self.guard(lambda _: self.remove_last()))
        self.save.on_click(self.guard(lambda _: self.save_draft()))
        self.reload.on_click(self.guard(lambda _: self.load_draft()))
        self.export.on_click(self.guard(lambda _: self.export_files()))
        self.widget = w.VBox([
            w.HTML("<b>1. One objective</b>"), self.outcome, self.indicator, self.baseline, self.baseline_source,
            self.target, self.target_date, self.unit, self.checks, w.HBox([self.add, self.remove]),
            w.HTML("<b>2. Your objectives</b>"), self.table, self.list_checks,
            w.HTML("<b>3. Keep and share</b>"), w.HBox([self.name, self.save]), w.HBox([self.saved, self.reload]),
            self.export, self.message, self.status])
        self.widget.add_class("spw-objectives")
        self.guard(self.suggest)()
        self.refresh_list()

    def suggest(self) -> None:
        """Offer the outcome's suggested indicators and take the first."""
        options = [name for name, _, _ in OUTCOMES[self.outcome.value]["indicators"]]
        self.indicator.options = options
        self.indicator.value = options[0]
        self.prefill()

    def prefill(self) -> None:
        """Baseline and its source from the spend analysis where it measures this indicator; unit from the list."""
        value = baseline_for(self.indicator.value, self.headline)
        unit = next((u for o in OUTCOMES.values() for n, u, _ in o["indicators"] if n == self.indicator.value), "")
        self.unit.value = unit
        self.baseline.value = "" if value is None else f"{value:g}"
        self.baseline_source.value = self.source_text if value is not None else ""
        self.check()

    @staticmethod
    def _number(text: str) -> float | None:
        from helpers.strategy.model import _number
        return None if not str(text).strip() else _number(text, "value")

    def current(self) -> Objective:
        return Objective(self.outcome.value, self.indicator.value, self._number(self.baseline.value),
                         self.baseline_source.value, self._number(self.target.value), self.target_date.value,
                         self.unit.value)

    def check(self) -> None:
        """Live checks of the objective being written."""
        self.message.value = ""
        self.checks.value = issues_html(validate_objectives([self.current()]))

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
        self.table.value = (html_table(objectives_table(self.objectives)) if self.objectives
                            else "<i>No objectives yet: write one above and click Add objective.</i>")
        self.list_checks.value = issues_html(validate_objectives(self.objectives)) if self.objectives else ""

    def save_draft(self) -> None:
        if not self.objectives:
            raise LearnerError("there is nothing to save yet", fix="Add at least one objective")
        self.store.save_draft(TOOL, self.name.value, objectives_to_dict(self.objectives))
        self.saved.options = self.store.list_drafts(TOOL)
        self.saved.value = self.name.value.strip() if self.name.value.strip() in self.saved.options else None
        self.status.value = (f"<div class='spw-saved'>Saved {len(self.objectives)} objective(s) as "
                             f"'{escape_html(self.name.value)}' in {escape_html(str(self.store.path))}.</div>")

    def load_draft(self) -> None:
        if not self.saved.value:
            raise LearnerError("choose a saved set of objectives first", fix="Save one, then pick it in the list")
        self.objectives = objectives_from_dict(self.store.load_draft(TOOL, self.saved.value))
        self.name.value = self.saved.value
        self.refresh_list()
        self.status.value = f"<div class='spw-saved'>Reloaded '{escape_html(self.saved.value)}'.</div>"

    def export_files(self) -> list[Path]:
        paths = export_objectives(self.objectives, self.city_name, self.name.value)
        self.status.value = ("<div class='spw-saved'>Exported: " +
                             ", ".join(escape_html(str(p)) for p in paths) + "</div>")
        return paths


def export_objectives(objectives: list[Objective], city_name: str, stem: str) -> list[Path]:
    """The strategy summary as Markdown and Word in the exports folder."""
    from helpers.ui.exports import save_report
    from helpers.core.paths import exports_dir

    if not objectives:
        raise LearnerError("there are no objectives to export", fix="Add at least one objective")
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in str(stem).strip())[:60] or "strategy"
    report = strategy_summary(objectives, city_name)
    return [save_report(report, exports_dir() / f"objectives_{safe}.md"),
            save_report(report, exports_dir() / f"objectives_{safe}.docx")]


def example_objectives(city: str = "portavera", year: int = 2025) -> list[Objective]:
    """Two worked objectives with baselines from the spend analysis (targets are illustrations)."""
    from helpers.data import city_info
    from helpers.spend.pipeline import analyse_city

    head = analyse_city(city, year).headline()
    source = f"{city_info(city)['name']} {year} spend analysis (module 3)"
    city_share = baseline_for("share of spend with suppliers in the city", head)
    sme = baseline_for("% of spend with SMEs", head)
    return [Objective("local_economy", "share of spend with suppliers in the city", city_share, source,
                      round(city_share + 5, 1), dt.date(year + 4, 12, 31), "%"),
            Objective("smes_social_economy", "% of spend with SMEs", sme, source, round(sme + 5, 1),
                      dt.date(year + 4, 12, 31), "%")]


def objectives_builder(city: str = "portavera", year: int = 2025) -> None:
    """Show the objectives builder; headless, the worked example's objectives and their checks."""
    from helpers.ui.display import show_tool

    def static() -> list:
        from IPython.display import HTML

        objectives = example_objectives(city, year)
        return [objectives_table(objectives), HTML(issues_html(validate_objectives(objectives)))]

    show_tool(lambda: ObjectivesBuilder(city, year).widget, static)


# == lotting advisor ============================================================================
def parse_lots(text: str) -> int | list[float]:
    """"4" -> 4 lots of equal value; "300000, 500000, 400000" -> those lot values."""
    from helpers.strategy.model import _number

    raw = str(text).strip()
    if not raw:
        raise LearnerError("give the number of lots or the lot values", fix="e.g. 4, or 300000; 500000; 400000")
    parts = [p for p in raw.replace(";", " ").replace("\n", " ").split() if p]
    if len(parts) == 1 and parts[0].isdigit():
        return int(parts[0])
    return [_number(p, "lot value") for p in parts]


def lot_plan_view(plan: pd.DataFrame) -> pd.DataFrame:
    out = plan.copy()
    for col in ("value", "max_turnover_requirement", "required_turnover"):
        out[col] = out[col].map(lambda v: f"{v:,.0f}")
    return out.rename(columns={"max_turnover_requirement": "turnover cap (2 x value)",
                               "required_turnover": "turnover asked", "local_smes_in_division": "local SMEs in sector",
                               "local_smes_able": "local SMEs able to bid"})


class LottingAdvisor:
    """Contract value, lots, CPV division and turnover ratio in; the lot plan and the Art. 46 text out."""

    def __init__(self, city: str = "portavera", contract_value: float = 1_200_000, lots: str = "3",
                 cpv_division: str = "37") -> None:
        import ipywidgets as w

        from helpers.data import city_info, load_table
        from helpers.ui.display import guarded, message_html

        self.register = load_table("suppliers", city=city)
        self.geography = load_table("geography", city=city)
        self.home = city_info(city)["home_country_code"]
        names = load_table("cpv_divisions")
        divisions = sorted(self.register["cpv_division"].dropna().astype("str").str.zfill(2).unique())
        name_of = dict(zip(names["division"].astype("str").str.zfill(2), names["name"]))
        self.message = w.HTML()
        self.guard = guarded(lambda text, kind: setattr(self.message, "value", message_html(text, kind)))
        wide = {"description_width": "200px"}
        self.value = w.Text(value=f"{contract_value:,.0f}", description="Contract value (EUR)", style=wide,
                            continuous_update=False)
        self.lots = w.Text(value=lots, description="Lots (number or values)", style=wide, continuous_update=False,
                           layout=w.Layout(width="520px"))
        self.division = w.Dropdown(options=[(f"{d} {name_of.get(d, '')}"[:70], d) for d in divisions],
                                   value=cpv_division if cpv_division in divisions else divisions[0],
                                   description="CPV division", style=wide, layout=w.Layout(width="620px"))
        self.ratio = w.FloatSlider(value=2.0, min=0.5, max=2.0, step=0.25, description="Turnover asked (x lot)",
                                   style=wide, continuous_update=False)
        self.years = w.Text(value="", description="Contract years (optional)", style=wide, continuous_update=False)
        self.reason = w.Textarea(description="Reasons", style=wide, layout=w.Layout(width="620px"),
                                 placeholder="why these lots, or why one contract")
        self.table, self.text = w.HTML(), w.HTML()
        for css, control in (("value", self.value), ("lots", self.lots), ("division", self.division),
                             ("ratio", self.ratio), ("years", self.years), ("reason", self.reason),
                             ("table", self.table), ("text", self.text)):
            control.add_class(f"spw-lots-{css}")
            if css not in ("table", "text"):
                control.observe(self.guard(lambda _: self.refresh()), names="value")
        self.plan: pd.DataFrame | None = None
        self.widget = w.VBox([self.value, self.lots, self.division, self.ratio, self.years, self.message,
                              self.table, self.reason, self.text,
                              w.HTML(f"<i>{escape_html(TURNOVER_NOTE)}</i>")])
        self.widget.add_class("spw-lots")
        self.guard(self.refresh)()

    def refresh(self) -> None:
        from helpers.framework.widgets.tools import parse_euro

        self.message.value = ""
        years = float(self.years.value) if self.years.value.strip() else None
        lots = parse_lots(self.lots.value)
        self.plan = lot_plan(parse_euro(self.value.value), lots, self.register, self.division.value,
                             self.geography, turnover_ratio=self.ratio.value, contract_years=years,
                             home_country=self.home)
        self.table.value = html_table(lot_plan_view(self.plan))
        self.text.value = (f"<div class='spw-divide-or-explain'><b>For the procurement file:</b> "
                           f"{escape_html(divide_or_explain(lots, self.reason.value))}</div>")


def lotting_advisor(city: str = "portavera", contract_value: float = 1_200_000, lots: str = "3",
                    cpv_division: str = "37") -> None:
    """Show the lotting advisor; headless, the plan for the defaults."""
    from helpers.ui.display import show_tool

    def static() -> list:
        from IPython.display import HTML

        tool = LottingAdvisor(city, contract_value, lots, cpv_division)
        return [lot_plan_view(tool.plan), HTML(tool.text.value)]

    show_tool(lambda: LottingAdvisor(city, contract_value, lots, cpv_division).widget, static)


def matrix_thresholds_with(**changes: Any) -> MatrixThresholds:
    """The default thresholds with some changed (for notebooks: `matrix_thresholds_with(local_share=0.4)`)."""
    return replace(MatrixThresholds(), **changes).check()


# == self-checks computed on the course data ===================================================
def course_matrix(city: str = "portavera", year: int = 2025) -> pd.DataFrame:
    """The course city's opportunity matrix with the default thresholds."""
    capacity, _ = source_capacity(course_source(city, year))
    return classify_categories(capacity, MatrixThresholds())


@self_check("grow-count")
def grow_count(city: str = "portavera", year: int = 2025) -> int:
    """How many categories are "grow local spend" with the default thresholds."""
    return int((course_matrix(city, year)["quadrant"] == "grow local spend").sum())
