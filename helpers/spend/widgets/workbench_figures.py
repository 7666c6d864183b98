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

from helpers.core.fmt import UNKNOWN, is_missing, money, pct
from helpers.spend.geography import GeographyLevels
from helpers.spend.indicators import SpendCube
from helpers.spend.sectors import grouping_column, sector_coverage
from helpers.spend.shares import make_share
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


def _all_unknown_note(fig: go.Figure, fact: str, width: int = 80, **where) -> None:
    """Write on a chart, in a white box, why its shares are unknown and what to add (never bars of 0%)."""
    share = make_share(None, fact, 1.0)
    text = f"{share.attribute.capitalize()} unknown for all of this spend: {share.reason}. To know it, add "
    fig.add_annotation(
        text="<br>".join(chart_label(line) for line in _wrapped(text + share.what_to_add + ".", width)),
        showarrow=False,
        align="left",
        font={"size": 12, "color": "#000000"},
        bgcolor="rgba(255,255,255,0.95)",
        bordercolor=UNKNOWN_COLOUR,
        borderpad=6,
        **({"x": 0.5, "y": 0.6, "xref": "paper", "yref": "paper"} | where),
    )


def _unknown_sentence(fact: str) -> str:
    """The chart's summary when `fact` is unknown for all of its spend (no bars of 0%): why, and what to add."""
    share = make_share(None, fact, 1.0)
    return (
        f"{share.attribute.capitalize()} unknown for all of this spend: {share.reason}; "
        f"to know it, add {share.what_to_add}."
    )


def _wrapped(text: str, width: int = 80) -> list[str]:
    """A long note as lines of at most about `width` characters."""
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line]


def geography_figure(shares: pd.DataFrame, levels: GeographyLevels, title: str) -> go.Figure:
    """Share of spend per geographic level, nearest first (level names escaped: they can come from a file).

    When no payment's location is known, only the "unknown" bar is drawn, with a note saying why:
    bars of 0.0% for the city and the region would read as "nothing is spent locally"."""
    table = geography_shares_table(shares, levels)
    none_known = bool(table.loc[table["level"] != levels.unknown, "amount"].abs().sum() == 0)
    if none_known:
        table = table[table["level"] == levels.unknown]
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
    if none_known:
        _all_unknown_note(fig, "location")
        return chart_with_summary(fig, _unknown_sentence("location"))
    shares_text = ", ".join(f"{lv} {pct(sh)}" for lv, sh in zip(table["level"], table["share"]))
    return chart_with_summary(fig, f"Share of spend by where the suppliers are, nearest first: {shares_text}.")


def size_social_figure(size: pd.DataFrame, social: pd.DataFrame, title: str) -> go.Figure:
    """Share of spend by supplier size class, and with social-economy organisations."""
    fig = make_subplots(
        rows=1, cols=2, subplot_titles=("by supplier size", "social economy"), column_widths=[0.62, 0.38]
    )
    order = ["micro", "small", "medium", "large", "unknown"]
    s = size.set_index("size_class").reindex(order, fill_value=0.0)
    size_unknown = bool(s.loc[order[:-1], "amount"].abs().sum() == 0) if "amount" in s else False
    if size_unknown:
        order, s = order[-1:], s.loc[order[-1:]]
    fig.add_trace(
        go.Bar(
            x=order,
            y=s["share"] * 100,
            marker_color=[{"large": LARGE_COLOUR, "unknown": UNKNOWN_COLOUR}.get(v, SME_COLOUR) for v in order],
            name="size",
            hovertemplate="%{x}: %{y:.1f}%<extra></extra>",
        ),
        row=1,
        col=1,
    )
    social_order = ["yes", "no", "unknown"]
    se = social.set_index("social_economy").reindex(social_order, fill_value=0.0)
    social_unknown = bool(se.loc[["yes", "no"], "amount"].abs().sum() == 0) if "amount" in se else False
    if social_unknown:
        social_order, se = ["unknown"], se.loc[["unknown"]]
    fig.add_trace(
        go.Bar(
            x=social_order,
            y=se["share"] * 100,
            name="social economy",
            marker_color=[{"yes": SOCIAL_COLOUR, "no": LARGE_COLOUR}.get(v, UNKNOWN_COLOUR) for v in social_order],
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
    if size_unknown:
        _all_unknown_note(fig, "size", 52, x=0.3, y=0.5)
    if social_unknown:
        _all_unknown_note(fig, "social_economy", 34, x=0.82, y=0.5)
    sizes = (
        _unknown_sentence("size")
        if size_unknown
        else "Share of spend by supplier size: " + ", ".join(f"{k} {pct(v)}" for k, v in s["share"].items()) + "."
    )
    socials = (
        _unknown_sentence("social_economy")
        if social_unknown
        else "With social-economy organisations: " + ", ".join(f"{k} {pct(v)}" for k, v in se["share"].items()) + "."
    )
    return chart_with_summary(fig, f"{sizes} {socials}")


def sector_location_figure(
    table: pd.DataFrame, levels: GeographyLevels, title: str, top: int = 12, by: str = "sector"
) -> go.Figure:
    """Spend per sector (largest first), stacked by where the suppliers are; `by="category"` uses the
    ledger's own expense categories instead (when no payment has a CPV sector)."""
    pivot = (
        table.pivot_table(index=by, columns="level", values="amount", aggfunc="sum", fill_value=0.0, observed=True)
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
    largest = ", ".join(f"{sector} {money(total, None, decimals=0)}" for sector, total in totals.head(3).items())
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
    """The headline shares side by side for each year (a share the data cannot give: an empty bar
    labelled "unknown", never a bar of 0%)."""
    fig = go.Figure()
    for i, (year, head) in enumerate(per_year.items()):
        name = chart_label(year)
        values = [head[k] for k in YOY_INDICATORS]
        fig.add_trace(
            go.Bar(
                x=list(YOY_INDICATORS.values()),
                y=[0.0 if is_missing(v) else v * 100 for v in values],  # unknown: no bar, the word
                text=[UNKNOWN if is_missing(v) else pct(v) for v in values],
                textposition="outside",
                name=name,
                marker_color=series_colour(i),
                hovertemplate="%{x}: %{text}<extra>" + name + "</extra>",
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


def dashboard_figures(
    cube: SpendCube, filters: dict[str, str], levels: GeographyLevels, label: str, years: list[str]
) -> dict[str, go.Figure]:
    """The five dashboard charts for `filters`, each titled with its scope (label and filters, escaped).

    The sector chart uses the ledger's own categories when no payment has a CPV sector; the
    year-on-year chart has a bar group only for the ledger's main years (`years`), so a few stray
    lines dated in other years do not get bars of their own ("top 10 = 100%")."""
    filter_text = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in filters.items()) or "all payments"
    where = f"<br><sub>{chart_label(f'{label}, {filter_text}')}</sub>"  # data: escaped
    other = {k: v for k, v in filters.items() if k != "year"}
    per_year = {y: cube.indicators({**other, "year": y}) for y in years}
    table = cube.table[cube.mask(filters)]
    by = grouping_column(table)
    coverage = sector_coverage(table)
    sector_title = (
        f"Spend by the ledger's own category (a CPV sector is known for only {pct(coverage)} of spend), "
        "by supplier location"
        if by == "category"
        else "Sectors by supplier location"
    )
    years_title = "Year on year" + ("" if len(per_year) > 1 else ": one year only in this ledger")
    if other:
        years_title += f"<br><sub>{chart_label(', '.join(f'{k} {v}' for k, v in other.items()))}</sub>"
    return {
        "geography": geography_figure(cube.share_by("level", filters), levels, "Where the money goes" + where),
        "size": size_social_figure(
            cube.share_by("size_class", filters),
            cube.share_by("social_economy", filters),
            "SMEs and the social economy" + where,
        ),
        "sector": sector_location_figure(table, levels, sector_title + where, by=by),
        "top": top_suppliers_figure(cube.top_suppliers(filters, 10), "Top 10 suppliers" + where),
        "years": year_on_year_figure(per_year, years_title),
    }
