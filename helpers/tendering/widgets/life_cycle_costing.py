"""The life-cycle costing tool (module 6, Art. 68 of Directive 2014/24/EU): the bids' present value per cost part,
the ranking by life-cycle cost, and how the ranking depends on the discount rate the learner sets.

Every chart comes with a one-sentence summary; parts are told apart by colour and by pattern, bidders by colour and
by marker symbol (never colour alone); every name from a file is an escaped chart label or escaped HTML.
"""

from __future__ import annotations

import ipywidgets as w
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from IPython.display import HTML

from helpers.core.errors import LearnerError
from helpers.core.fmt import number
from helpers.core.safety import escape_html
from helpers.tendering.lcc_bids import LccCase, lcc_case, read_lcc_bids
from helpers.tendering.life_cycle_cost import (
    PART_LABELS,
    PARTS,
    lcc_by_rate,
    lcc_ranking_lines,
    lcc_scope,
    lcc_summary,
    lcc_table,
    life_cycle_costs,
    winners_by_rate,
)
from helpers.ui.charts import chart_with_summary
from helpers.ui.display import show_in, show_tool
from helpers.ui.exports import html_table
from helpers.ui.messages import issues_html
from helpers.ui.theme import SERIES, chart_label, series_colour
from helpers.ui.tool import Tool, heading

PATTERNS = ("", "/", "\\", "x", "-", "|", "+", ".")
SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "star", "cross", "hexagon")
RATES = tuple(float(r) for r in np.arange(0, 10.5, 0.5))


def parts_figure(costs: pd.DataFrame, rate: float, summary: str | None = None) -> go.Figure:
    """Stacked bars: each bid's present value per cost part (colour and pattern per part), winner in the title."""
    parts = [c for c, _, _ in PARTS if c in costs.columns]
    names = [
        chart_label(b) + ("" if pd.notna(t) else " (total unknown)") for b, t in zip(costs["bidder"], costs["lcc"])
    ]
    fig = go.Figure()
    for n, column in enumerate(parts):
        fig.add_trace(
            go.Bar(
                x=names,
                y=costs[column].round(0),
                name=PART_LABELS[column],
                marker={"color": series_colour(n), "pattern": {"shape": PATTERNS[n % len(PATTERNS)]}},
                hovertemplate="%{x}: %{y:,.0f} EUR<extra>" + PART_LABELS[column] + "</extra>",
            )
        )
    first = costs[costs["rank"] == 1]["bidder"].astype("str").tolist()
    title = f"Life-cycle cost at {number(rate)} %: " + (
        " and ".join(chart_label(b) for b in first) + " is lowest" if first else "no bid has a known total"
    )
    fig.update_layout(
        barmode="relative",
        title=title,
        height=400,
        yaxis_title="present value (EUR)",
        margin={"t": 60, "l": 70, "r": 20, "b": 90},
        legend={"orientation": "h", "y": 1.02, "x": 0},
    )
    return chart_with_summary(fig, summary)


def rates_figure(bids: pd.DataFrame, years: int, rate: float, energy_price, summary: str | None = None) -> go.Figure:
    """Each known bid's life-cycle cost against the discount rate (0–10 %), the chosen rate marked."""
    table = lcc_by_rate(bids, years, RATES, energy_price)
    fig = go.Figure()
    for n, (bidder, rows) in enumerate(table.groupby("bidder", sort=False)):
        fig.add_trace(
            go.Scatter(
                x=rows["rate"],
                y=rows["lcc"].round(0),
                mode="lines+markers",
                name=chart_label(bidder),
                line={"color": series_colour(n)},
                marker={"symbol": SYMBOLS[n % len(SYMBOLS)], "size": 7},
                hovertemplate="%{x} %: %{y:,.0f} EUR<extra>%{fullData.name}</extra>",
            )
        )
    fig.add_vline(x=float(rate), line_dash="dot", line_color=SERIES[6], annotation_text=f"your rate {number(rate)} %")
    fig.update_layout(
        title="Life-cycle cost against the discount rate",
        height=380,
        xaxis_title="discount rate (%)",
        yaxis_title="life-cycle cost (EUR, present value)",
        margin={"t": 60, "l": 70, "r": 20, "b": 60},
        legend={"orientation": "h", "y": 1.02, "x": 0},
    )
    return chart_with_summary(fig, summary)


def rates_summary(bids: pd.DataFrame, years: int, energy_price) -> str:
    """One sentence: which bid has the lowest life-cycle cost over which range of discount rates."""
    runs = [r for r in winners_by_rate(bids, years, RATES, energy_price) if r[2]]
    if not runs:
        return "No bid has a known life-cycle cost at any discount rate, so the chart shows no lines."
    if len(runs) == 1:
        return f"{runs[0][2]} has the lowest life-cycle cost at every discount rate from 0 % to 10 %."
    parts = [
        f"{who} at {number(a)} %" if a == b else f"{who} from {number(a)} % to {number(b)} %" for a, b, who in runs
    ]
    return "The bid with the lowest life-cycle cost changes with the discount rate: " + "; ".join(parts) + "."


def _pre(text: str, css: str) -> str:
    return f"<pre class='{css}' style='white-space:pre-wrap;margin:4px 0'>{escape_html(text)}</pre>"


class LifeCycleCosting(Tool):
    """Compare bids by life-cycle cost: settings, the course example or an uploaded CSV, the ranking and two charts."""

    css_class = "spw-life-cycle-costing"

    def __init__(self, case: LccCase) -> None:
        super().__init__()
        self.case = case
        self.bids, self.issues = case.bids, list(case.issues)
        wide = {"description_width": "170px"}
        self.rate = w.FloatSlider(
            value=case.discount_rate_pct, min=0, max=10, step=0.5, description="Discount rate (%)", style=wide,
            continuous_update=False, layout=w.Layout(width="460px"),
        )  # fmt: skip
        self.years = w.IntSlider(
            value=case.years, min=1, max=40, description="Period (years)", style=wide, continuous_update=False,
            layout=w.Layout(width="460px"),
        )  # fmt: skip
        price = "" if case.energy_price is None else f"{case.energy_price:g}"
        self.energy_price = w.Text(
            value=price, description="Electricity (EUR/kWh)", placeholder="your price", style=wide,
            continuous_update=False, layout=w.Layout(width="300px"),
        )  # fmt: skip
        self.upload = w.FileUpload(accept=".csv", multiple=False, description="Upload bids CSV")
        self.example = w.Button(description="Use the course example", layout=w.Layout(width="auto"))
        self.source_html, self.issues_html, self.scope = w.HTML(), w.HTML(), w.HTML()
        self.ranking, self.table = w.HTML(), w.HTML()
        self.parts_chart, self.rates_chart = w.Output(), w.Output()
        for control, css in (
            (self.rate, "spw-lcc-rate"),
            (self.years, "spw-lcc-years"),
            (self.energy_price, "spw-lcc-energy-price"),
            (self.upload, "spw-lcc-upload"),
            (self.example, "spw-lcc-example"),
            (self.source_html, "spw-lcc-source"),
            (self.issues_html, "spw-lcc-issues"),
            (self.scope, "spw-lcc-scope"),
            (self.ranking, "spw-lcc-ranking"),
            (self.table, "spw-lcc-table"),
            (self.parts_chart, "spw-lcc-parts-chart"),
            (self.rates_chart, "spw-lcc-rates-chart"),
        ):
            control.add_class(css)
        g = self.guard
        for control in (self.rate, self.years, self.energy_price):
            control.observe(g(lambda change: self.refresh()), names="value")
        self.upload.observe(g(lambda change: self._on_upload()), names="value")
        self.example.on_click(g(lambda _: self.use_example()))
        self.box = w.VBox(
            [
                self.message,
                heading("1. The bids"),
                self.source_html,
                w.HBox([self.upload, self.example]),
                w.HTML(
                    "Your CSV: a <code>bidder</code> column and any of <code>acquisition</code>, "
                    "<code>energy_per_year</code> (EUR) or <code>energy_kwh_per_year</code>, "
                    "<code>water_per_year</code>, <code>consumables_per_year</code>, "
                    "<code>maintenance_per_year</code>, <code>end_of_life</code>, "
                    "<code>externalities_per_year</code> (only with a monetary value set under Art. 68(2)). "
                    "Leave a cost empty if it is not known: that bid is then not ranked. The file is only read."
                ),
                self.issues_html,
                heading("2. Settings (yours to set)"),
                self.rate,
                self.years,
                self.energy_price,
                self.scope,
                heading("3. Ranking by life-cycle cost"),
                self.ranking,
                self.table,
                self.parts_chart,  # each chart shows its one-sentence summary under it
                heading("4. How the ranking depends on the discount rate"),
                self.rates_chart,
            ]
        )
        self.box.add_class(self.css_class)
        self.box.add_class("spw-tool")
        self.show_source()
        g(self.refresh)()

    # ------------------------------------------------------------ bids

    def show_source(self, label: str | None = None) -> None:
        self.source_html.value = f"<div>{escape_html(label or self.case.summary)}</div>"
        self.issues_html.value = issues_html(self.issues, ok_text="") if self.issues else ""

    def use_example(self) -> None:
        example = lcc_case()
        self.bids, self.issues = example.bids, []
        self.show_source(example.summary)
        self.energy_price.value = f"{example.energy_price:g}"
        self.refresh()

    def upload_bids(self, name: str, content: bytes) -> None:
        bids, issues = read_lcc_bids(name, content)
        self.bids, self.issues = bids, issues
        self.show_source(
            f"Using your bids from {name} ({len(bids)} bids). Enter your electricity price if they give kWh."
        )
        self.refresh()

    def _on_upload(self) -> None:
        files = self.upload.value
        if files:
            self.upload_bids(str(files[0]["name"]), bytes(files[0]["content"]))

    # ------------------------------------------------------------ results

    def price(self) -> float | None:
        text = str(self.energy_price.value).strip().replace(",", ".")
        if not text:
            return None
        try:
            value = float(text)
        except ValueError:
            raise LearnerError(
                f"the electricity price {text!r} is not a number", fix="Write it in EUR/kWh, e.g. 0.18"
            ) from None
        if not 0 <= value < 10:
            raise LearnerError(
                f"the electricity price {text} EUR/kWh is out of range", fix="Write it in EUR/kWh, e.g. 0.18"
            )
        return value

    def refresh(self) -> None:
        rate, years, price = float(self.rate.value), int(self.years.value), self.price()
        self.report("")
        costs = life_cycle_costs(self.bids, years, rate, price)
        self.scope.value = "".join(
            f"<div>{escape_html(line)}</div>" for line in lcc_scope(self.bids, years, rate, price)
        )
        self.ranking.value = _pre(lcc_ranking_lines(costs), "spw-lcc-ranking-text")
        self.table.value = html_table(lcc_table(costs))
        parts_text, rates_text = lcc_summary(costs, self.bids, rate), rates_summary(self.bids, years, price)
        for out, fig in (
            (self.parts_chart, parts_figure(costs, rate, parts_text)),
            (self.rates_chart, rates_figure(self.bids, years, rate, price, rates_text)),
        ):
            show_in(out, fig)  # the chart with its one-sentence summary under it (helpers.ui.charts)

    def widget(self) -> w.VBox:
        return self.box

    def static_view(self) -> list:
        return static_life_cycle_costing(self.case)


def static_life_cycle_costing(case: LccCase) -> list:
    """What a headless run shows: the source, issues, scope, ranking, table, both charts with their summaries."""
    rate, years, price = case.discount_rate_pct, case.years, case.energy_price
    costs = life_cycle_costs(case.bids, years, rate, price)
    shown = [HTML(f"<div class='spw-lcc-source'>{escape_html(case.summary)}</div>")]
    if case.issues:
        shown.append(HTML(issues_html(case.issues)))
    shown += [
        HTML("".join(f"<div>{escape_html(line)}</div>" for line in lcc_scope(case.bids, years, rate, price))),
        HTML(_pre(lcc_ranking_lines(costs), "spw-lcc-ranking-text")),
        lcc_table(costs),
        parts_figure(costs, rate, lcc_summary(costs, case.bids, rate)),  # each shows its summary under it
        rates_figure(case.bids, years, rate, price, rates_summary(case.bids, years, price)),
    ]
    return shown


def life_cycle_costing(case: LccCase | None = None) -> None:
    """Show the life-cycle costing tool on `case` (from `lcc_case`; default: the course example)."""
    case = case if case is not None else lcc_case()
    show_tool(lambda: LifeCycleCosting(case).widget(), lambda: static_life_cycle_costing(case))
