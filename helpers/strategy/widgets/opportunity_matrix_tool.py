"""`opportunity_matrix_tool(city, year)`: the category opportunity matrix as a quadrant chart, with a
source selector (a course city and year, or an analysis saved in module 3) and threshold sliders;
choosing a category shows its details. Headless (papermill) it shows the chart, the counts and the
table for its defaults (or for a saved analysis, `saved=`).

Categories whose suppliers' locations are unknown cannot be placed on the chart (its x axis is the
local share): they are listed in the table as "location unknown", and the chart says how many are
left off; when none can be placed, an explanation stands in place of the chart. Choosing another
source first clears every view, so nothing of the previous choice stays on screen."""

from __future__ import annotations

import ipywidgets as w
import pandas as pd
import plotly.graph_objects as go
from IPython.display import HTML

from helpers.core.errors import LearnerError
from helpers.core.fmt import is_missing, money, pct
from helpers.core.safety import escape_html
from helpers.strategy.matrix_sources import course_source, matrix_sources, source_capacity
from helpers.strategy.opportunity_matrix import (
    LOCATION_UNKNOWN,
    MatrixThresholds,
    capacity_measures,
    classify_categories,
    counts_to_show,
    quadrants,
)
from helpers.ui import theme
from helpers.ui.charts import chart_with_summary
from helpers.ui.display import message_html, show_in, show_tool
from helpers.ui.exports import html_table
from helpers.ui.tool import Tool

# Each quadrant's colour from the course theme (colour-blind safe); its name is always written beside it.
QUADRANT_COLOURS = {
    "grow local spend": theme.OKABE_ITO["bluish_green"],
    "keep": theme.OKABE_ITO["blue"],
    "thin local market": theme.OKABE_ITO["orange"],
    "low priority": theme.LIGHT_GREY,
    "unclassified": theme.GREY,
    LOCATION_UNKNOWN: theme.GREY,
}


def _luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of a "#RRGGBB" colour."""
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def readable_ink(fill: str) -> str:
    """Black or white, whichever contrasts more with `fill` (so a chip's text is always readable)."""
    light = _luminance(fill)
    return "#000000" if (light + 0.05) / 0.05 >= 1.05 / (light + 0.05) else "#FFFFFF"


def quadrant_chip(quadrant: str, text: str) -> str:
    """A chip with the quadrant's words on its colour, in readable ink."""
    fill = QUADRANT_COLOURS.get(quadrant, theme.LIGHT_GREY)
    return (
        f"<span class='spw-chip' style='background:{fill};color:{readable_ink(fill)};padding:2px 8px;"
        f"border-radius:8px;margin-right:4px'>{escape_html(text)}</span>"
    )


def placeable(matrix: pd.DataFrame, thresholds: MatrixThresholds) -> pd.Series:
    """True for the categories the chart can place: local share and local supply both known."""
    return matrix["local_share"].notna() & matrix[thresholds.capacity].notna()


def unplaced_text(matrix: pd.DataFrame, thresholds: MatrixThresholds) -> str:
    """Why some (or all) categories are not on the chart, or "" when every category is."""
    left = matrix[~placeable(matrix, thresholds)]
    if left.empty:
        return ""
    total = float(matrix["spend"].sum())
    share = pct(float(left["spend"].sum()) / total if total else None, decimals=0)
    if len(left) == len(matrix):
        return (
            f"The chart cannot be drawn: the suppliers' locations are unknown for every category "
            f"({len(left):,} categories), so no local share can be said. The table below lists their spend. "
            "To place them, add a geography table and the suppliers' postcodes in module 3, then save the "
            "analysis again."
        )
    return (
        f"{len(left):,} categories ({share} of spend) are not on the chart: their suppliers' locations are "
        "unknown. They are listed in the table as 'location unknown'."
    )


def matrix_figure(matrix: pd.DataFrame, thresholds: MatrixThresholds, title: str) -> go.Figure:
    """The quadrant chart: x = share spent locally, y = local suppliers (or SMEs), bubble = spend.
    Only categories with a known local share and supply are drawn (`unplaced_text` says which are not)."""
    measure = thresholds.capacity
    label = capacity_measures()[measure]
    fig = go.Figure()
    matrix = matrix[placeable(matrix, thresholds)]
    biggest = float(matrix["spend"].clip(lower=0).max() or 1.0) if len(matrix) else 1.0
    for quadrant, colour in QUADRANT_COLOURS.items():
        rows = matrix[matrix["quadrant"] == quadrant]
        if rows.empty:
            continue
        fig.add_trace(
            go.Scatter(
                x=rows["local_share"] * 100,
                y=rows[measure],
                mode="markers+text",
                name=theme.chart_label(quadrant),
                text=[theme.chart_label(v) for v in rows["category"].astype("str")],
                textposition="middle center",
                textfont={"size": 9},
                marker={
                    "size": (rows["spend"].clip(lower=0) / biggest) ** 0.5 * 60 + 8,
                    "color": colour,
                    "opacity": 0.7,
                    "line": {"width": 1, "color": "white"},
                },
                customdata=list(
                    zip(
                        [theme.chart_label(v) for v in rows["name"].astype("str")],
                        rows["spend"],
                        rows["spend_share"] * 100,
                    )
                ),
                hovertemplate="%{customdata[0]}<br>spend %{customdata[1]:,.0f} (%{customdata[2]:.1f}% of all)"
                "<br>%{x:.1f}% local, %{y} " + label + "<extra></extra>",
            )
        )
    fig.add_vline(x=thresholds.local_share * 100, line={"dash": "dash", "color": theme.TEXT["muted"]})
    fig.add_hline(y=thresholds.min_local_suppliers, line={"dash": "dash", "color": theme.TEXT["muted"]})
    fig.update_layout(
        title=title,
        height=520,
        margin={"t": 60, "l": 60, "r": 20, "b": 50},
        xaxis={"title": "share of the category's spend with local suppliers (%)", "range": [-5, 105]},
        yaxis={"title": f"{label} in the register for the division"},
        legend={"orientation": "h", "y": -0.15},
    )
    groups = "; ".join(
        f"{quadrant}: " + ", ".join(str(n) for n in matrix.loc[matrix["quadrant"] == quadrant, "name"])
        for quadrant in QUADRANT_COLOURS
        if (matrix["quadrant"] == quadrant).any()
    )
    return chart_with_summary(
        fig,
        f"{len(matrix)} spend categories placed by the share of their spend with local suppliers (across) and "
        f"the {label} in the register (up), bubbles sized by spend, in four quadrants: {groups}.",
    )


def matrix_title(label: str) -> str:
    return f"Category opportunity matrix ({theme.chart_label(label)})"


def category_details_html(matrix: pd.DataFrame, category: str) -> str:
    """One category's figures and its quadrant's suggested action, escaped."""
    rows = matrix[matrix["category"].astype("str") == str(category)]
    if rows.empty:
        return ""
    r = rows.iloc[0]
    if is_missing(r["local_share"]):
        where = "the share spent locally is unknown (no supplier in this category has a known location)"
    else:
        where = (
            f"{pct(r['local_share'])} spent locally, so {money(r['spend_outside'], None, decimals=0)} goes to "
            "suppliers outside the area"
        )
    supply = (
        "the number of local suppliers is unknown"
        if is_missing(r["local_suppliers"])
        else f"{int(r['local_suppliers'])} local suppliers, {int(r['local_smes'])} of them SMEs"
    )
    return (
        f"<div class='spw-matrix-detail'><b>{escape_html(r['name'])}</b>: "
        f"spend {money(r['spend'], None, decimals=0)} ({pct(r['spend_share'])} of all); {escape_html(where)}; "
        f"{escape_html(supply)}.<br><b>{escape_html(r['quadrant'])}</b>: "
        f"{escape_html(quadrants()[r['quadrant']])}</div>"
    )


def counts_html(matrix: pd.DataFrame) -> str:
    counts = counts_to_show(matrix)
    chips = " ".join(
        quadrant_chip(r.quadrant, f"{r.quadrant}: {r.categories} ({pct(r.spend_share, decimals=0)} of spend)")
        for r in counts.itertuples(index=False)
    )
    return f"<div class='spw-matrix-chips'>{chips}</div>"


def _small_share(value) -> str:
    """A share of all spend; one too small to show at one decimal is "<0.1%" (or "-<0.1%" for a net
    credit), not "0.0%", which would read as nothing spent."""
    if not is_missing(value) and value != 0 and abs(value) < 0.0005:
        return "<0.1%" if value > 0 else "-<0.1%"
    return pct(value)


def _whole(value) -> str:
    return "unknown" if is_missing(value) else f"{int(value):,}"


def matrix_view(matrix: pd.DataFrame) -> pd.DataFrame:
    """The matrix as a readable table (percentages and rounded money; "unknown" where the data cannot say)."""
    return pd.DataFrame(
        {
            "category": matrix["name"],
            "quadrant": matrix["quadrant"],
            "spend": matrix["spend"].map(lambda v: money(v, None, decimals=0)),
            "% of all spend": matrix["spend_share"].map(_small_share),
            "% local": matrix["local_share"].map(pct),
            "local suppliers": matrix["local_suppliers"].map(_whole),
            "local SMEs": matrix["local_smes"].map(_whole),
        }
    )


def note_html(capacity: pd.DataFrame) -> str:
    """Where the categories and the local firms come from, in words."""
    notes = []
    if capacity.attrs.get("grouping_note"):
        notes.append(capacity.attrs["grouping_note"])
    if capacity.attrs.get("capacity_source") == "register":
        notes.append("Local firms: suppliers in the city's register for the category's CPV division.")
    else:
        notes.append(
            "Your saved analysis has no register with it, so 'local firms' counts the local suppliers you already "
            "paid in the category (course design)"
            + (
                "; without supplier locations that count is unknown too."
                if capacity["local_suppliers"].isna().all()
                else "."
            )
        )
    return "".join(f"<p><i>{escape_html(n)}</i></p>" for n in notes)


def matrix_static_view(city: str = "portavera", year: int = 2025, saved: str | None = None) -> list:
    """The chart (or why it cannot be drawn), the counts and the table: the course city's defaults, or
    the analysis saved in module 3 under `saved`."""
    key = f"saved:{saved}" if saved else course_source(city, year)
    try:
        capacity, label = source_capacity(key)
    except LearnerError as exc:  # a saved analysis that cannot be read: its message, not a traceback
        return [HTML(message_html(str(exc), "error"))]
    matrix = classify_categories(capacity, MatrixThresholds())
    unplaced = unplaced_text(matrix, MatrixThresholds())
    chart = (
        [matrix_figure(matrix, MatrixThresholds(), matrix_title(label))]
        if placeable(matrix, MatrixThresholds()).any()
        else []
    )
    notes = HTML(note_html(capacity) + (message_html(unplaced, "warning") if unplaced else ""))
    return [*chart, notes, HTML(counts_html(matrix)), matrix_view(matrix)]


class OpportunityMatrixTool(Tool):
    """Source, thresholds and capacity measure in; quadrant chart, counts, table and details out."""

    css_class = "spw-matrix"

    def __init__(self, city: str = "portavera", year: int = 2025, saved: str | None = None) -> None:
        super().__init__()
        self.city, self.year, self.saved = city, year, saved
        wide = {"description_width": "210px"}
        options = matrix_sources(city, year)
        wanted = f"saved:{saved}" if saved else course_source(city, year)
        self.source = w.Dropdown(
            options=options,
            value=wanted if wanted in dict(options).values() else course_source(city, year),
            description="Spend analysis",
            style=wide,
            layout=w.Layout(width="560px"),
        )
        self.local = w.ToggleButtons(
            options=["city + region", "city"], value="city + region", description="Local means", style=wide
        )
        defaults = MatrixThresholds()
        self.min_spend = w.FloatSlider(
            value=defaults.min_spend_share * 100,
            min=0,
            max=10,
            step=0.5,
            description="Small spend below (% of all)",
            style=wide,
            layout=w.Layout(width="560px"),
            continuous_update=False,
        )
        self.local_share = w.IntSlider(
            value=int(defaults.local_share * 100),
            min=5,
            max=95,
            step=5,
            description="High local share from (%)",
            style=wide,
            layout=w.Layout(width="560px"),
            continuous_update=False,
        )
        self.min_suppliers = w.IntSlider(
            value=defaults.min_local_suppliers,
            min=0,
            max=100,
            step=1,
            description="Enough local firms from",
            style=wide,
            layout=w.Layout(width="560px"),
            continuous_update=False,
        )
        self.capacity = w.ToggleButtons(
            options=[(v, k) for k, v in capacity_measures().items()],
            value=defaults.capacity,
            description="Count",
            style=wide,
        )
        self.category = w.Dropdown(description="Category details", style=wide, layout=w.Layout(width="560px"))
        for name, control in (
            ("source", self.source),
            ("local", self.local),
            ("min-spend", self.min_spend),
            ("local-share", self.local_share),
            ("min-suppliers", self.min_suppliers),
            ("capacity", self.capacity),
            ("category", self.category),
        ):
            control.add_class(f"spw-matrix-{name}")
        self.counts, self.details, self.note, self.table = w.HTML(), w.HTML(), w.HTML(), w.HTML()
        for css, box in (
            ("table", self.table),
            ("counts", self.counts),
            ("details", self.details),
            ("note", self.note),
            ("message", self.message),
        ):
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
        self.box = w.VBox(
            [
                self.source,
                self.local,
                self.min_spend,
                self.local_share,
                self.min_suppliers,
                self.capacity,
                self.message,
                self.counts,
                self.chart,
                self.category,
                self.details,
                self.note,
                self.table,
            ]
        )
        self.box.add_class(self.css_class)
        self.guard(self.load)()

    def widget(self) -> w.Widget:
        return self.box

    def static_view(self) -> list:
        return matrix_static_view(self.city, self.year, self.saved)

    def thresholds(self) -> MatrixThresholds:
        return MatrixThresholds(
            self.min_spend.value / 100, self.local_share.value / 100, int(self.min_suppliers.value), self.capacity.value
        )

    def clear(self) -> None:
        """Empty every view, so nothing of a previous choice stays on screen if the next one fails."""
        self.capacity_table, self.matrix, self.label = None, None, ""
        show_in(self.chart)
        for box in (self.counts, self.details, self.note, self.table):
            box.value = ""
        self.category.options = []

    def load(self) -> None:
        """Read the chosen source (course data are cached), then classify."""
        self.report("")
        self.clear()
        self.capacity_table, self.label = source_capacity(self.source.value, self.local.value)
        self.note.value = note_html(self.capacity_table)
        self.classify()

    def classify(self) -> None:
        if self.capacity_table is None:  # the source could not be read: its message stays
            return
        self.report("")
        thresholds = self.thresholds()
        self.matrix = classify_categories(self.capacity_table, thresholds)
        self.counts.value = counts_html(self.matrix)
        self.table.value = html_table(matrix_view(self.matrix))
        unplaced = unplaced_text(self.matrix, thresholds)
        shown = [HTML(message_html(unplaced, "warning"))] if unplaced else []
        if placeable(self.matrix, thresholds).any():
            shown.append(matrix_figure(self.matrix, thresholds, matrix_title(self.label)))
        show_in(self.chart, *shown)
        options = [(f"{r.name} [{r.quadrant}]", str(r.category)) for r in self.matrix.itertuples(index=False)]
        current = self.category.value
        self.category.options = options
        self.category.value = current if current in dict(options).values() else (options[0][1] if options else None)
        self.show_details()

    def show_details(self) -> None:
        if self.matrix is not None and self.category.value is not None:
            self.details.value = category_details_html(self.matrix, self.category.value)


def opportunity_matrix_tool(city: str = "portavera", year: int = 2025, saved: str | None = None) -> None:
    """Show the opportunity matrix: widgets in JupyterLab, the chart and table when headless. `saved`
    (the name of an analysis saved in module 3) opens on it instead of the course city."""
    show_tool(lambda: OpportunityMatrixTool(city, year, saved).widget(), lambda: matrix_static_view(city, year, saved))
