"""What the monitoring dashboard shows besides its controls: the RAG chips, the portfolio and the
alerts as shown, the check of a learner's file, the three charts of one contract (KPI trend with
its amber band, service credits, social value against the pro-rata path), a note for a contract
that has ended or not started, and the static (headless) view. Names from the data are escaped (HTML) or
made safe chart labels; every status drawn in colour also has its word or marker symbol.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from IPython.display import HTML
from plotly.subplots import make_subplots

from helpers.core.fmt import money
from helpers.core.safety import escape_html
from helpers.monitoring.alerts import alert_counts, alerts_shown
from helpers.monitoring.alerts import alerts as find_alerts
from helpers.monitoring.dashboard import contract_view, default_contract, portfolio_summary, rag_counts
from helpers.monitoring.kpis import STATUSES, month_label, month_number
from helpers.monitoring.monitoring_data import MonitoringData, course_data
from helpers.monitoring.social_value import measure_name
from helpers.ui.charts import chart_with_summary
from helpers.ui.display import message_html
from helpers.ui.exports import html_table
from helpers.ui.messages import Issue, issues_html
from helpers.ui.theme import SERIES, STATUS_FILL, STATUS_LABELS, STATUS_SYMBOL, TEXT, chart_label, status_chip

PORTFOLIO_COLUMNS = {
    "contract_id": "contract",
    "title": "title",
    "supplier": "supplier",
    "service_area": "service area",
    "status": "status",
    "green": "green",
    "amber": "amber",
    "red": "red",
    "missing": "missing",
    "credits_to_date_eur": "credits to date (EUR)",
    "alerts": "alerts",
}


def _rgba(colour: str, alpha: float) -> str:
    """'#E69F00' with an opacity, for a shaded band."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red}, {green}, {blue}, {alpha})"


# The plotly marker symbols of helpers.ui.theme.STATUS_SYMBOL as characters, for the key in a chart's text.
STATUS_GLYPH = {"circle": "●", "diamond": "◆", "x": "✕", "circle-open": "○", "square-open": "□"}
STATUS_GLYPH = {status: STATUS_GLYPH[symbol] for status, symbol in STATUS_SYMBOL.items()}
BAND_FILL = _rgba(STATUS_FILL["amber"], 0.22)
BAND_LINE = _rgba(STATUS_FILL["amber"], 0.6)


def rag_chips_html(counts: dict[str, int], period: str, contracts: int, states: dict[str, int] | None = None) -> str:
    """The RAG summary as chips, each with its status word (numbers and fixed words only; the period is
    escaped), and how many contracts were not rated because they had ended or not started that month."""
    chips = " ".join(status_chip(s, f"{s}: {counts[s]}") for s in STATUSES)
    states = states or {}
    idle = int(states.get("ended", 0)) + int(states.get("not started", 0))
    not_rated = (
        " "
        + status_chip(
            "not rated",
            f"not rated: {idle} contract{'s' if idle != 1 else ''} "
            f"({int(states.get('ended', 0))} ended, {int(states.get('not started', 0))} not started)",
        )
        if idle
        else ""
    )
    return (
        f'<div class="spw-rag-summary"><b>KPI returns for {escape_html(period)}</b> '
        f"({contracts} contract{'s' if contracts != 1 else ''}):<br>{chips}{not_rated}</div>"
    )


def portfolio_shown(summary: pd.DataFrame) -> pd.DataFrame:
    """The portfolio summary for a view: the learner's column names, credits as money ("unknown" when a
    red month's credit cannot be worked out), and "-" for the RAG counts of a contract not rated."""
    shown = summary[list(PORTFOLIO_COLUMNS)].copy()
    shown["credits_to_date_eur"] = shown["credits_to_date_eur"].map(lambda v: money(v, None))
    idle = summary["state"] != "running"
    for column in STATUSES:
        shown[column] = shown[column].astype(object).where(~idle, "-")
    return shown.rename(columns=PORTFOLIO_COLUMNS)


def alerts_html(found: pd.DataFrame, period: str) -> str:
    """The alerts, most urgent first, under a count by severity; plain names, never codes."""
    if found.empty:
        return f'<div class="spw-alerts">No alerts on {escape_html(period)}.</div>'
    counts = alert_counts(found)
    head = (
        f"<b>{len(found)} alert{'s' if len(found) != 1 else ''} on {escape_html(period)}</b>: "
        f"{counts['high']} high, {counts['medium']} medium, {counts['low']} low (most urgent first)"
    )
    return f'<div class="spw-alerts">{head}{html_table(alerts_shown(found))}</div>'


def state_note_html(view: dict[str, pd.DataFrame], contract_id: str) -> str:
    """A note for a contract that has ended or not started in the month looked at ("" while it runs)."""
    state = view["state"].iloc[0]
    if state["state"] == "running":
        return ""
    contract = view["contract"].iloc[0]
    if state["state"] == "ended":
        text = (
            f"{contract_id} ended on {pd.Timestamp(contract['end_date']).date().isoformat()}: it is not rated for "
            f"{state['period']}. The chart shows its returns up to its end."
        )
    else:
        text = (
            f"{contract_id} starts on {pd.Timestamp(contract['start_date']).date().isoformat()}: no KPI returns "
            f"were due by {state['period']}, so it is not rated."
        )
    return message_html(text, "info")


def returns_check_html(issues: list[Issue], file_name: str, rows_ok: int) -> str:
    """The check of a returns file in plain words: a short verdict, then each problem (line, what is wrong,
    what to do)."""
    verdict = (
        f"<b>{escape_html(file_name)}</b>: {rows_ok} row{'s' if rows_ok != 1 else ''} usable, "
        f"{len({i.line for i in issues if i.line is not None})} row(s) with problems."
    )
    return f'<div class="spw-issues">{verdict}{issues_html(issues, css_class="spw-issue-list")}</div>'


def kpi_trend_figure(view: dict[str, pd.DataFrame], contract_id: str, period: str) -> go.Figure:
    """One panel per KPI: the monthly value with its status as colour and marker, the target (dashed)
    and the amber band between the target and the worst value still amber, shaded."""
    trend, kpis = view["kpi_trend"], view["kpis"]
    state = view["state"].iloc[0] if "state" in view else None
    title = f"{chart_label(contract_id)}: KPI returns against target, to {period}"
    if state is not None and state["state"] == "ended":
        title = (
            f"{chart_label(contract_id)}: KPI returns against target, to its end in {month_label(state['last_month'])}"
            f" (ended: not rated for {period})"
        )
    if kpis.empty:
        fig = go.Figure()
        not_started = state is not None and state["state"] == "not started"
        why = "not started by then: no KPI returns due" if not_started else "no KPIs defined for this contract"
        fig.update_layout(title=title + f" ({why})", height=220)
        return chart_with_summary(fig, f"{contract_id}: no KPI ratings to show for {period} ({why}).")
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
        f"{STATUS_GLYPH[s]} {STATUS_LABELS[s]}"  # shape and word: the key needs no colour
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
    unknown = int(credits["credit_eur"].isna().sum())
    shown = (
        f"total {money(total)}"
        if not unknown
        else f"total unknown: {unknown} month(s) with a red KPI have no known credit (no monthly charge or credit %)"
    )
    fig.update_layout(
        title=f"{chart_label(contract_id)}: service credits per month ({shown})",
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
    measures = [chart_label(measure_name(m)) for m in sv["measure"]]
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            y=measures,
            x=delivered,
            orientation="h",
            name="delivered (% of commitment)",
            marker_color=[STATUS_FILL["green"] if ok else STATUS_FILL["red"] for ok in sv["on_track"]],
            marker_pattern_shape=["" if ok else "x" for ok in sv["on_track"]],
            text=[f"{_percent(d)} · {'on track' if ok else 'behind'}" for d, ok in zip(delivered, sv["on_track"])],
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
    none = "" if len(sv) else " (no commitments recorded)"
    fig.update_layout(
        title=f"{chart_label(contract_id)}: social value delivered by {period} against the pro-rata path{none}",
        height=120 + 45 * max(len(sv), 1),
        xaxis_title="% of the total committed",
        margin={"t": 50, "l": 200, "r": 20, "b": 40},
        legend={"orientation": "h", "y": -0.25},
    )
    each = "; ".join(
        f"{measure_name(m)} {_percent(d)} delivered against a path of {_percent(p)} ({'on track' if ok else 'behind'})"
        for m, d, p, ok in zip(sv["measure"], delivered, path, sv["on_track"])
    )
    return chart_with_summary(
        fig, f"{contract_id}: social value delivered by {period}, as a share of each commitment: {each or 'none'}."
    )


def contract_label(contract) -> str:
    """'PV-C-2024-009: School meals (Cocina Común Coop.)'; parts the register lacks are left out."""
    title, supplier = getattr(contract, "title", None), getattr(contract, "supplier_name", None)
    text = str(contract.contract_id)
    if isinstance(title, str) and title.strip():
        text += f": {title}"
    if isinstance(supplier, str) and supplier.strip():
        text += f" ({supplier})"
    return text


def credits_shown(credits: pd.DataFrame, red_only: bool = True) -> pd.DataFrame:
    """Service credits per month in words (the months with a red KPI, or every month): the credit as money,
    "unknown" when the contract's charge or credit % is not known, never 0."""
    rows = credits[credits["red_kpis"] > 0] if red_only else credits
    return pd.DataFrame(
        {
            "contract": rows["contract_id"],
            "month": rows["period"],
            "red KPIs": rows["red_kpis"],
            "credit % of the charge": rows["credit_pct"].map(lambda v: "unknown" if v != v else f"{v:g}"),
            "credit": rows["credit_eur"].map(money),
            "capped": rows["capped"].map({True: "yes", False: "no"}),
        }
    ).reset_index(drop=True)


def static_dashboard(
    city: str = "portavera", as_of=None, contract_id: str | None = None, data: MonitoringData | None = None
) -> list:
    """The headless view: where the data comes from (own data), the RAG chips, the portfolio, the alerts
    and the chosen (or default) contract's KPI chart with its state."""
    data = data or course_data(city, as_of)
    args = data.args()
    period = month_label(month_number(as_of)) if as_of is not None else data.as_of
    summary = portfolio_summary(*args, as_of=period)
    found = find_alerts(*args, as_of=period)
    views: list = [HTML(data.summary_html(problems=False))] if data.own else []
    views += [
        HTML(
            rag_chips_html(
                rag_counts(summary[summary["state"] == "running"]),
                period,
                len(summary),
                summary["state"].value_counts().to_dict(),
            )
        ),
        portfolio_shown(summary),
        HTML(alerts_html(found, period)),
    ]
    if summary.empty:
        return views + [HTML(message_html("There are no contracts to show.", "info"))]
    cid = contract_id or default_contract(data.tables["contracts"])
    view = contract_view(cid, *args, as_of=period)
    note = state_note_html(view, cid)
    return views + ([HTML(note)] if note else []) + [kpi_trend_figure(view, cid, period)]


def _percent(value: float) -> str:
    """A share of a commitment in words: "unknown" when no commitment was recorded (never 0%)."""
    return "unknown" if value != value else f"{value:g}%"
