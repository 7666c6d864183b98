"""What the evaluation simulator shows: the bids and marks tables, the scores and sensitivity
charts, the rank-reversal table, the abnormally-low checks, and its static (headless) view. Every name from the data or
the learner is escaped (HTML) or made a safe chart label."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from IPython.display import HTML

from helpers.core.fmt import money
from helpers.core.safety import escape_html
from helpers.tendering.bids import PLAYGROUND_TENDER, example_bids, marks_table, tender_bids, tender_info
from helpers.tendering.evaluation import (
    ARTICLE_69_STEPS,
    EXPLANATION_SCREEN_PCT,
    QUALITY_SCALE,
    ranking_by_price_weight,
    score_bids,
)
from helpers.tendering.ranking import abnormally_low_checks, ranking_table, winner_sentence, winning_ranges
from helpers.tendering.saved_bids import EvaluationCase
from helpers.ui.charts import chart_with_summary
from helpers.ui.exports import html_table
from helpers.ui.theme import SERIES, TEXT, chart_label, series_colour

QUALITY_COLOUR, PRICE_COLOUR = SERIES[2], SERIES[0]


def scores_figure(scored: pd.DataFrame, price_weight: float, title_prefix: str = "") -> go.Figure:
    """Stacked bars: quality points and price points per ranked bid; the winner named in the title."""
    kept = scored[scored["excluded_reason"].eq("")]
    winners = kept.loc[kept["rank"] == 1, "bidder"].astype("str").tolist()
    names = [chart_label(b) for b in kept["bidder"]]
    fig = go.Figure()
    fig.add_trace(
        go.Bar(x=names, y=kept["quality_points"].round(2), name="quality points", marker_color=QUALITY_COLOUR)
    )
    fig.add_trace(
        go.Bar(
            x=names,
            y=kept["price_points"].round(2),
            name="price points",
            marker_color=PRICE_COLOUR,
            text=kept["total"].round(2),
            textposition="outside",
            texttemplate="total %{text:.2f}",
        )
    )
    title = f"{title_prefix}Scores at price weight {price_weight:g}: " + (
        " and ".join(chart_label(w) for w in winners) + " wins" if winners else "no bid ranked"
    )
    fig.update_layout(
        barmode="relative",
        title=title,
        height=380,
        yaxis_title="points (out of 100)",
        margin={"t": 60, "l": 60, "r": 20, "b": 90},
        legend={"orientation": "h", "y": 1.02, "x": 0},
    )
    totals = ", ".join(
        f"{b} {t:.2f} ({q:.2f} quality + {p:.2f} price)"
        for b, t, q, p in zip(kept["bidder"], kept["total"], kept["quality_points"], kept["price_points"])
    )
    verdict = " and ".join(winners) + " wins" if winners else "no bid is ranked"
    return chart_with_summary(
        fig, f"Total points per bid at price weight {price_weight:g}: {totals or 'no valid bids'}; {verdict}."
    )


def sensitivity_figure(
    bids: pd.DataFrame, formula: str, price_weight: float, min_quality_pct: float | None = None, **formula_args
) -> go.Figure:
    """Each bid's total against the price weight (0–100), with the current weight marked."""
    chart = ranking_by_price_weight(bids, formula, step=1, min_quality_pct=min_quality_pct, **formula_args)
    fig = go.Figure()
    for n, (bidder, rows) in enumerate(chart.groupby("bidder", sort=False)):
        fig.add_trace(
            go.Scatter(
                x=rows["price_weight"],
                y=rows["total"].round(2),
                mode="lines",
                name=chart_label(bidder),
                line={"color": series_colour(n)},
                hovertemplate="price weight %{x}: %{y:.2f}<extra>%{fullData.name}</extra>",
            )
        )
    fig.add_vline(
        x=float(price_weight),
        line_dash="dash",
        line_color=TEXT["muted"],
        annotation_text=f"now: {price_weight:g}",
        annotation_position="top",
    )
    fig.update_layout(
        title=f"Total score against the price weight ({formula} formula)",
        height=380,
        xaxis_title="price weight (quality = 100 − price)",
        yaxis_title="total points",
        margin={"t": 60, "l": 60, "r": 20, "b": 50},
    )
    leaders = chart.loc[chart.groupby("price_weight")["total"].idxmax(), ["price_weight", "bidder"]]
    spans, start = [], None
    for weight, bidder in leaders.itertuples(index=False):
        if start is None or bidder != start[1]:
            start = (weight, bidder)
            spans.append([weight, weight, bidder])
        else:
            spans[-1][1] = weight
    ranges = ", ".join(f"{b} from {lo:g} to {hi:g}" for lo, hi, b in spans)
    return chart_with_summary(
        fig,
        f"Each bid's total score as the price weight goes from 0 to 100 ({formula} formula), now {price_weight:g}; "
        f"the highest total: {ranges or 'no bid'}.",
    )


def bids_html(bids: pd.DataFrame, tender_id: str | None, published_weight) -> str:
    """The bids being scored (prices with thousands separators), and the tender's published price weight."""
    shown = bids.assign(price=bids["price"].map(lambda v: money(v, None)), quality_pct=bids["quality_pct"].round(2))
    return (
        f"<div class='spw-bids-table'><b>{len(bids)} bids</b>"
        + (
            f" for {escape_html(tender_id)} (published price weight {escape_html(published_weight)})"
            if tender_id
            else ""
        )
        + html_table(shown)
        + "</div>"
    )


def marks_html(marks: pd.DataFrame) -> str:
    """A featured tender's 0–5 quality marks as a grid, with the scale in words ("" without marks)."""
    if marks.empty:
        return ""
    scale = ", ".join(f"{k} {v}" for k, v in QUALITY_SCALE.items())
    return (
        "<div class='spw-marks-table'><b>Quality marks (0–5: "
        f"{escape_html(scale)}); points = mark ÷ 5 × weight</b>" + html_table(marks_table(marks)) + "</div>"
    )


def reversal_html(table: pd.DataFrame, with_c: bool) -> str:
    """The brief's rank-reversal table (A and B only, then with C when `with_c`)."""
    shown = table if with_c else table.iloc[:1]
    return (
        "<div class='spw-reversal-table'>Quality 60 points, price 40 points. "
        + html_table(shown.astype(object).fillna("–"))
        + "</div>"
    )


def abnormally_low_html(bids: pd.DataFrame, scored: pd.DataFrame, population: pd.DataFrame, city: str) -> str:
    """Article 69's steps, the course-design screen and the R058 gap of the current winner."""
    checks = abnormally_low_checks(bids, scored, population)
    screen = checks["screen"]
    asked = screen[screen["ask_for_explanation"]]["bidder"].astype("str").tolist()
    steps = "".join(f"<li>{escape_html(s)}</li>" for s in ARTICLE_69_STEPS)
    screen_shown = pd.DataFrame(
        {
            "bidder": screen["bidder"],
            "price": screen["price"].map(lambda v: money(v)),
            "median price": screen["median_price"].map(lambda v: money(v)),
            "below the median": screen["below_median_pct"].map(
                lambda v: f"{v:.1f}%" if v >= 0 else f"{-v:.1f}% above it"
            ),
            "ask for an explanation?": screen["ask_for_explanation"].map({True: "yes", False: "no"}),
        }
    )
    gap = checks["gap"]
    gap_text = (
        "There is no second bid, so there is no gap."
        if gap is None
        else f"The gap between the winning bid and the second-lowest valid price is {100 * gap:.1f}% "
        f"(negative when the winner is not the cheapest); the R058 fence over {escape_html(city)}'s past tenders is "
        f"{100 * checks['fence']:.1f}%: "
        + (
            "<b>flagged as a heavily discounted bid</b>: look closer and ask for an explanation."
            if checks["flagged"]
            else "not flagged."
        )
    )
    return (
        "<div class='spw-abnormal'><b>Article 69 of Directive 2014/24/EU (in the course's words):</b>"
        f"<ol>{steps}</ol>The Directive sets no number: the buyer decides case by case.<br>"
        f"<b>Course-design screen</b> (not law): a bid more than {EXPLANATION_SCREEN_PCT:g}% below the median "
        "price is put on the 'ask for an explanation' list: "
        + (escape_html(", ".join(asked)) if asked else "no bid here")
        + "."
        + html_table(screen_shown)
        + f"<b>OCP Cardinal R058</b>: {gap_text}"  # numbers, fixed words and the escaped city
        "<br>A flag is a prompt to ask, never a reason to reject on its own.</div>"
    )


def their_bids(bids, bids_label: str) -> tuple[pd.DataFrame | None, str]:
    """The learner's own bids from a table or an `EvaluationCase` (None when the case is not the learner's)."""
    if isinstance(bids, EvaluationCase):
        return (bids.bids, bids.label) if bids.own else (None, bids_label)
    return bids, bids_label


def static_evaluation_simulator(
    tender_id: str | None = PLAYGROUND_TENDER,
    price_weight: float | None = None,
    city: str | None = None,
    bids=None,
    bids_label: str = "your bids",
) -> list:
    """The headless view: the winner, the ranking, its chart, the winning ranges and their chart."""
    own, label = their_bids(bids, bids_label)
    if own is not None:
        table, weight, title = own, float(price_weight if price_weight is not None else 40), f"Your bids ({label})"
    else:
        table = tender_bids(tender_id) if tender_id else example_bids(False)
        weight = float(
            price_weight if price_weight is not None else (tender_info(tender_id)["price_weight"] if tender_id else 40)
        )
        title = f"Tender {tender_id}" if tender_id else "The course's example bids A and B"
    scored = score_bids(table, weight)
    ranges = winning_ranges(table)
    return [
        HTML(f"<b>{escape_html(title)}, relative formula. {escape_html(winner_sentence(scored, weight))}</b>"),
        ranking_table(scored),
        scores_figure(scored, weight),
        ranges[["bidder", "wins_from", "wins_to", "meaning"]],
        sensitivity_figure(table, "relative", weight),
    ]
