"""What the monitoring dashboard shows besides its controls: the RAG chips, the check of a
returns file, and the three charts of one contract (KPI trend with its amber band, service
credits, social value against the pro-rata path). Names from the data are escaped (HTML) or
made safe chart labels; every status drawn in colour also has its word or marker symbol.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from helpers.core.fmt import money
from helpers.core.safety import escape_html
from helpers.monitoring.kpis import STATUSES
from helpers.ui.charts import chart_with_summary
from helpers.ui.messages import Issue, issues_html
from helpers.ui.theme import SERIES, STATUS_FILL, STATUS_LABELS, STATUS_SYMBOL, TEXT, chart_label, status_chip


def _rgba(colour: str, alpha: float) -> str:
    """'#E69F00' with an opacity, for a shaded band."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red}, {green}, {blue}, {alpha})"


# The plotly marker symbols of helpers.ui.theme.STATUS_SYMBOL as characters, for the key in a chart's text.
STATUS_GLYPH = {"circle": "●", "diamond": "◆", "x": "✕", "circle-open": "○", "square-open": "□"}
STATUS_GLYPH = {status: STATUS_GLYPH[symbol] for status, symbol in STATUS_SYMBOL.items()}
BAND_FILL = _rgba(STATUS_FILL["amber"], 0.22)
BAND_LINE = _rgba(STATUS_FILL["amber"], 0.6)


def rag_chips_html(counts: dict[str, int], period: str, contracts: int) -> str:
    """The RAG summary as chips, each with its status word (numbers and fixed words only; the period is escaped)."""
    chips = " ".join(status_chip(s, f"{s}: {counts[s]}") for s in STATUSES)
    return (
        f'<div class="spw-rag-summary"><b>KPI returns for {escape_html(period)}</b> '
        f"({contracts} contract{'s' if contracts != 1 else ''}):<br>{chips}</div>"
    )


def returns_check_html(issues: list[Issue], file_name: str, rows_ok: int) -> str:
    """The check of a returns file in plain words: a short verdict, then each problem (line, what is wrong,
    what to do)."""
    verdict = (
        f"<b>{escape_html(file_name)}</b>: {rows_ok} row{'s' if rows_ok != 1 else ''} usable, "
        f"{len({i.line for i in issues})} row(s) with problems."
    )
    return f'<div class="spw-issues">{verdict}{issues_html(issues, css_class="spw-issue-list")}</div>'


def kpi_trend_figure(view: dict[str, pd.DataFrame], contract_id: str, period: str) -> go.Figure:
    """One panel per KPI: the monthly value with its status as colour and marker, the target (dashed)
    and the amber band between the target and the worst value still amber, shaded."""
    trend, kpis = view["kpi_trend"], view["kpis"]
    title = f"{chart_label(contract_id)}: KPI returns against target, to {period}"
    if kpis.empty:
        fig = go.Figure()
        fig.update_layout(title=title + " (no KPI returns due by then)", height=220)
        return chart_with_summary(fig, f"{contract_id}: no KPI returns were due by {period}.")
    fig = make_subplots(
        rows=len(kpis),
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.08,
        subplot_titles=[
            chart_label(f"{k.kpi_id} {k.name} ({k.unit}; {k.direction} is better)") for k in kpis.itertuples()
        ],
    )
    for row, kpi in enumerate(kpis.itertuples(), start=1):
        rows = trend[trend["kpi_id"] == kpi.kpi_id]
        first = row == 1
        fig.add_trace(
            go.Scatter(
                x=rows["period"],
                y=rows["target"],
                mode="lines",
                name="target",
                line={"color": TEXT["ok"], "dash": "dash"},
                legendgroup="target",
                showlegend=first,
            ),
            row=row,
            col=1,
        )
        fig.add_trace(
            go.Scatter(
                x=rows["period"],
                y=rows["amber_limit"],
                mode="lines",
                name="amber band",
                line={"color": BAND_LINE, "width": 1},
                fill="tonexty",
                fillcolor=BAND_FILL,
                legendgroup="band",
                showlegend=first,
            ),
            row=row,
            col=1,
        )
        fig.add_trace(
            go.Scatter(
                x=rows["period"],
                y=rows["value"],
                mode="lines+markers",
                name="return",
                line={"color": TEXT["muted"]},
                legendgroup="value",
                showlegend=first,
                marker={
                    "size": 9,
                    "color": [STATUS_FILL[s] for s in rows["status"]],
                    "symbol": [STATUS_SYMBOL[s] for s in rows["status"]],
                },
                customdata=rows["status"],
                hovertemplate="%{x}: %{y} (%{customdata})<extra></extra>",
            ),
            row=row,
            col=1,
        )
    # a key to the markers: each status is read from its shape and its word, not from its colour alone
    key = "   ".join(
        f"<span style='color:{STATUS_FILL[s]}'>{STATUS_GLYPH[s]}</span> {STATUS_LABELS[s]}"
        for s in STATUS_SYMBOL
        if s in set(trend["status"])
    )
    fig.add_annotation(
        text="markers: " + key,
        xref="paper",
        yref="paper",
        x=1,
        y=1.0,
        xanchor="right",
        yanchor="bottom",
        yshift=28,
        showarrow=False,
        font={"size": 12},
    )
    fig.update_layout(
        title=title,
        height=170 * len(kpis) + 120,
        margin={"t": 80, "l": 50, "r": 20, "b": 40},
        legend={"orientation": "h", "y": 1.08 + 0.02 * len(kpis), "x": 0},
    )
    fig.update_xaxes(type="category")
    latest = []
    for kpi in kpis.itertuples():
        rows = trend[trend["kpi_id"] == kpi.kpi_id]
        if len(rows):
            last = rows.iloc[-1]
            latest.append(
                f"{kpi.name} {last['value']:g} {kpi.unit} in {last['period']} against a target of "
                f"{last['target']:g} ({STATUS_LABELS.get(last['status'], last['status'])})"
            )
    counts = trend["status"].value_counts()
    tally = ", ".join(f"{counts[s]} {STATUS_LABELS[s]}" for s in STATUS_SYMBOL if s in counts)
    return chart_with_summary(
        fig,
        f"{contract_id}, monthly KPI returns to {period} ({tally}); latest: " + "; ".join(latest) + ".",
    )


def credits_figure(view: dict[str, pd.DataFrame], contract_id: str) -> go.Figure:
    """Service credit per month (EUR), capped months marked in their own colour."""
    credits = view["credits"]
    fig = go.Figure(
        go.Bar(
            x=credits["period"],
            y=credits["credit_eur"],
            name="service credit",
            marker_color=[SERIES[4] if c else STATUS_FILL["red"] for c in credits["capped"]],
            marker_pattern_shape=["/" if c else "" for c in credits["capped"]],
            text=["capped" if c else "" for c in credits["capped"]],
            textposition="outside",
            hovertemplate="%{x}: EUR %{y:,.2f}<extra></extra>",
        )
    )
    total = float(credits["credit_eur"].sum()) if len(credits) else 0.0
    fig.update_layout(
        title=f"{chart_label(contract_id)}: service credits per month (total {money(total)})",
        height=260,
        yaxis_title="EUR",
        margin={"t": 50, "l": 60, "r": 20, "b": 40},
    )
    fig.update_xaxes(type="category")
    charged = credits[credits["credit_eur"] > 0] if len(credits) else credits
    months = ", ".join(
        f"{r.period} {money(r.credit_eur)}" + (" (capped)" if r.capped else "") for r in charged.itertuples()
    )
    return chart_with_summary(
        fig,
        f"{contract_id}: service credits per month, {money(total)} in all"
        + (f"; months with a credit: {months}." if months else "; no month had a credit."),
    )


def social_value_figure(view: dict[str, pd.DataFrame], contract_id: str, period: str) -> go.Figure:
    """Delivered so far and the pro-rata path, each as % of the commitment, per measure."""
    sv = view["social_value"]
    committed = sv["committed_total"].where(sv["committed_total"] != 0)
    delivered = (sv["delivered_to_date"] / committed * 100).round(1)
    path = (sv["pro_rata_target"] / committed * 100).round(1)
    measures = [chart_label(m) for m in sv["measure"]]
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            y=measures,
            x=delivered,
            orientation="h",
            name="delivered (% of commitment)",
            marker_color=[STATUS_FILL["green"] if ok else STATUS_FILL["red"] for ok in sv["on_track"]],
            marker_pattern_shape=["" if ok else "x" for ok in sv["on_track"]],
            text=[f"{d:g}% · {'on track' if ok else 'behind'}" for d, ok in zip(delivered.fillna(0), sv["on_track"])],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{x}% delivered<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            y=measures,
            x=path,
            mode="markers",
            name="pro-rata path",
            marker={"symbol": "line-ns-open", "size": 26, "color": SERIES[0], "line": {"width": 3}},
            hovertemplate="%{y}: path %{x}%<extra></extra>",
        )
    )
    fig.update_layout(
        title=f"{chart_label(contract_id)}: social value delivered by {period} against the pro-rata path",
        height=120 + 45 * max(len(sv), 1),
        xaxis_title="% of the total committed",
        margin={"t": 50, "l": 200, "r": 20, "b": 40},
        legend={"orientation": "h", "y": -0.25},
    )
    each = "; ".join(
        f"{m} {d:g}% delivered against a path of {p:g}% ({'on track' if ok else 'behind'})"
        for m, d, p, ok in zip(sv["measure"], delivered.fillna(0), path.fillna(0), sv["on_track"])
    )
    return chart_with_summary(
        fig, f"{contract_id}: social value delivered by {period}, as a share of each commitment: {each or 'none'}."
    )
