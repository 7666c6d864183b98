"""The workbench's charts, as pure functions of indicator tables: where the money goes, SMEs and
the social economy, sectors by supplier location, the top suppliers, year on year.

Colours come from the course theme (`helpers.ui.theme`: levels from near to far, "unknown"
always grey); every label built from data (level, sector and supplier names, which can come
from a learner's file) is escaped with `theme.chart_label`.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from helpers.core.fmt import money, pct
from helpers.spend.geography import GeographyLevels
from helpers.ui.charts import chart_with_summary
from helpers.ui.theme import NEAR_TO_FAR, SERIES, UNKNOWN_COLOUR, chart_label, series_colour

SME_COLOUR, LARGE_COLOUR, SOCIAL_COLOUR = SERIES[2], SERIES[0], SERIES[4]
YOY_INDICATORS = {
    "local_share_city": "in the city",
    "local_share_region": "city + region",
    "sme_share": "SMEs",
    "social_economy_share": "social economy",
    "top10_share": "top 10 suppliers",
}


def _label(text: object, width: int = 40) -> str:
    """A chart label: shortened and escaped (plotly reads a few HTML tags in labels)."""
    value = str(text)
    return chart_label(value if len(value) <= width else value[: width - 1] + "…")


def level_colours(levels: GeographyLevels) -> dict[str, str]:
    """A colour per level, by distance from the city (the theme's near-to-far scale); unknown grey."""
    far = len(NEAR_TO_FAR) - 1
    known = levels.levels + (levels.abroad,)
    return {**{lv: NEAR_TO_FAR[min(i, far)] for i, lv in enumerate(known)}, levels.unknown: UNKNOWN_COLOUR}


def geography_shares_table(shares: pd.DataFrame, levels: GeographyLevels) -> pd.DataFrame:
    """Spend and share per level in the analysis's order (nearest first, abroad and unknown last; 0 if none)."""
    table = shares.set_index("level")[["amount", "share"]].reindex(list(levels.ordered), fill_value=0.0)
    return table.rename_axis("level").reset_index()


def geography_figure(shares: pd.DataFrame, levels: GeographyLevels, title: str) -> go.Figure:
    """Share of spend per geographic level, nearest first (level names escaped: they can come from a file)."""
    table = geography_shares_table(shares, levels)
    colours = level_colours(levels)
    fig = go.Figure(
        go.Bar(
            x=[_label(lv) for lv in table["level"]],
            y=table["share"] * 100,
            marker_color=[colours.get(lv, UNKNOWN_COLOUR) for lv in table["level"]],
            text=[pct(s) for s in table["share"]],
            textposition="outside",
            hovertemplate="%{x}: %{y:.1f}% of spend<extra></extra>",
        )
    )
    fig.update_layout(title=title, yaxis_title="% of spend", height=330, margin={"t": 70, "l": 50, "r": 20, "b": 40})
    shares_text = ", ".join(f"{lv} {pct(sh)}" for lv, sh in zip(table["level"], table["share"]))
    return chart_with_summary(fig, f"Share of spend by where the suppliers are, nearest first: {shares_text}.")


def size_social_figure(size: pd.DataFrame, social: pd.DataFrame, title: str) -> go.Figure:
    """Share of spend by supplier size class, and with social-economy organisations."""
    fig = make_subplots(
        rows=1, cols=2, subplot_titles=("by supplier size", "social economy"), column_widths=[0.62, 0.38]
    )
    order = ["micro", "small", "medium", "large", "unknown"]
    s = size.set_index("size_class").reindex(order, fill_value=0.0)
    fig.add_trace(
        go.Bar(
            x=order,
            y=s["share"] * 100,
            marker_color=[SME_COLOUR] * 3 + [LARGE_COLOUR, UNKNOWN_COLOUR],
            name="size",
            hovertemplate="%{x}: %{y:.1f}%<extra></extra>",
        ),
        row=1,
        col=1,
    )
    se = social.set_index("social_economy").reindex(["yes", "no", "unknown"], fill_value=0.0)
    fig.add_trace(
        go.Bar(
            x=["yes", "no", "unknown"],
            y=se["share"] * 100,
            name="social economy",
            marker_color=[SOCIAL_COLOUR, LARGE_COLOUR, UNKNOWN_COLOUR],
            hovertemplate="%{x}: %{y:.1f}%<extra></extra>",
        ),
        row=1,
        col=2,
    )
    fig.update_layout(
        title=title,
        showlegend=False,
        height=350,
        yaxis_title="% of spend",
        margin={"t": 105, "l": 50, "r": 20, "b": 40},
    )
    sizes = ", ".join(f"{k} {pct(v)}" for k, v in s["share"].items())
    socials = ", ".join(f"{k} {pct(v)}" for k, v in se["share"].items())
    return chart_with_summary(
        fig, f"Share of spend by supplier size: {sizes}; with social-economy organisations: {socials}."
    )


def sector_location_figure(table: pd.DataFrame, levels: GeographyLevels, title: str, top: int = 12) -> go.Figure:
    """Spend per sector (largest first), stacked by where the suppliers are."""
    pivot = (
        table.pivot_table(
            index="sector", columns="level", values="amount", aggfunc="sum", fill_value=0.0, observed=True
        )
        if len(table)
        else pd.DataFrame()
    )
    fig = go.Figure()
    if len(pivot):
        pivot = pivot.loc[pivot.sum(axis=1).sort_values(ascending=False).index[:top]].iloc[::-1]
        colours = level_colours(levels)
        for level in levels.ordered:
            if level in pivot:
                name = _label(level)
                fig.add_trace(
                    go.Bar(
                        y=[_label(s) for s in pivot.index],
                        x=pivot[level],
                        name=name,
                        orientation="h",
                        marker_color=colours.get(level, UNKNOWN_COLOUR),
                        hovertemplate="%{y}: %{x:,.0f}<extra>" + name + "</extra>",
                    )
                )
    fig.update_layout(
        title=title,
        barmode="stack",
        height=120 + 28 * max(len(pivot), 3),
        xaxis_title="spend",
        margin={"t": 70, "l": 260, "r": 20, "b": 40},
        legend={"orientation": "h", "y": -0.15},
    )
    if not len(pivot):
        return chart_with_summary(fig, "Spend by sector and supplier location: no spend to show for these filters.")
    totals = pivot.sum(axis=1).iloc[::-1]
    largest = ", ".join(f"{sector} {money(total, decimals=0)}" for sector, total in totals.head(3).items())
    return chart_with_summary(
        fig,
        f"Spend in the {len(pivot)} largest sectors, each bar split by where its suppliers are; "
        f"the largest: {largest}.",
    )


def top_suppliers_figure(top: pd.DataFrame, title: str) -> go.Figure:
    """The largest supplier groups and their share of spend (names escaped)."""
    rows = top.iloc[::-1]
    fig = go.Figure(
        go.Bar(
            y=[_label(n) for n in rows["supplier_group"]],
            x=rows["share"] * 100,
            orientation="h",
            marker_color=SERIES[0],
            hovertemplate="%{y}: %{x:.1f}% of spend<extra></extra>",
        )
    )
    fig.update_layout(
        title=title,
        xaxis_title="% of spend",
        height=120 + 26 * max(len(rows), 3),
        margin={"t": 70, "l": 260, "r": 20, "b": 40},
    )
    if not len(top):
        return chart_with_summary(fig, "Largest suppliers: no spend to show for these filters.")
    first = top.iloc[0]
    return chart_with_summary(
        fig,
        f"The {len(top)} largest supplier groups hold {pct(top['share'].sum())} of spend; the largest, "
        f"{first['supplier_group']}, holds {pct(first['share'])}.",
    )


def year_on_year_figure(per_year: dict[str, dict], title: str) -> go.Figure:
    """The headline shares side by side for each year loaded."""
    fig = go.Figure()
    for i, (year, head) in enumerate(per_year.items()):
        name = chart_label(year)
        fig.add_trace(
            go.Bar(
                x=list(YOY_INDICATORS.values()),
                y=[head[k] * 100 for k in YOY_INDICATORS],
                name=name,
                marker_color=series_colour(i),
                hovertemplate="%{x}: %{y:.1f}%<extra>" + name + "</extra>",
            )
        )
    fig.update_layout(
        title=title, barmode="group", yaxis_title="% of spend", height=330, margin={"t": 60, "l": 50, "r": 20, "b": 40}
    )
    shares = "; ".join(
        f"{label}: " + ", ".join(f"{year} {pct(head[key])}" for year, head in per_year.items())
        for key, label in YOY_INDICATORS.items()
    )
    return chart_with_summary(fig, f"Headline shares of spend for each year: {shares}." if per_year else None)
