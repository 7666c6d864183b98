"""What the criteria builder shows: the checks, a library entry's card, the weights line and chart.
Every text from the library or the learner is escaped (HTML) or made a safe chart label."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from helpers.core.safety import escape_html
from helpers.tendering.criteria import CriteriaDraft
from helpers.tendering.library import TYPE_LABELS, fill_wording
from helpers.ui.charts import chart_with_summary
from helpers.ui.exports import html_table
from helpers.ui.messages import Issue, issues_html
from helpers.ui.theme import SERIES, TEXT, chart_label

NO_PROBLEMS = "✔ No problems found: the weights add up to 100 and every item is placed and verifiable."
QUALITY_COLOUR, PRICE_COLOUR = SERIES[2], SERIES[0]


def checks_html(issues: list[Issue]) -> str:
    """The draft's checks: how many to fix and to check, then errors first, then warnings; escaped."""
    errors = sum(i.severity == "error" for i in issues)
    heading = f"{errors} to fix, {len(issues) - errors} to check" if issues else ""
    return issues_html(issues, ok_text=NO_PROBLEMS, heading=heading, css_class="spw-validation")


def weights_line_html(draft: CriteriaDraft) -> str:
    """'Quality 60 + price 40 = 100 of 100 points', in the error colour unless it adds up to 100."""
    total = draft.quality_weight + float(draft.price_weight)
    colour = TEXT["ok"] if abs(total - 100) < 1e-9 else TEXT["error"]
    return (
        f"<div class='spw-weights-line' style='color:{colour}'>Quality {draft.quality_weight:g} + price "
        f"{float(draft.price_weight):g} = <b>{total:g}</b> of 100 points</div>"
    )


def weights_figure(draft: CriteriaDraft) -> go.Figure:
    """One horizontal bar per weighted criterion, price included; the total in the title."""
    award = [
        (i.title or i.entry_id or "own criterion", float(i.weight or 0))
        for i in draft.items
        if i.type == "award_criterion"
    ]
    names = [chart_label(n) for n, _ in award] + ["Price"]
    points = [p for _, p in award] + [float(draft.price_weight)]
    total = sum(points)
    fig = go.Figure(
        go.Bar(
            y=names,
            x=points,
            orientation="h",
            text=[f"{p:g}" for p in points],
            marker_color=[QUALITY_COLOUR] * len(award) + [PRICE_COLOUR],
        )
    )
    fig.update_layout(
        title=f"Award weights in the draft: {total:g} of 100 points",
        height=120 + 36 * len(names),
        xaxis_title="points",
        margin={"t": 50, "l": 280, "r": 20, "b": 40},
        yaxis={"autorange": "reversed"},
    )
    each = ", ".join(f"{n} {p:g}" for (n, _), p in zip([*award, ("Price", 0)], points))
    return chart_with_summary(fig, f"Points per award criterion in the draft, {total:g} of 100 in all: {each}.")


def entry_card_html(entry: pd.Series) -> str:
    """One library entry: type, theme, wording (defaults filled in), placeholders, verification, source."""
    e = escape_html
    holders = entry["placeholders"] or {}
    listed = "".join(
        f"<li><code>{{{e(k)}}}</code>: {e(v.get('description'))} (default: {e(v.get('default'))})</li>"
        for k, v in holders.items()
    )
    weights = entry["weight_range"]
    return (
        f'<div class="spw-entry-card" style="border:1px solid #ccc;padding:6px 10px;margin:4px 0">'
        f"<b>{e(entry['id'])}: {e(entry['title'])}</b> · {e(TYPE_LABELS[entry['type']])} · theme "
        f"{e(entry['theme'])}"
        + (f" · typically {e(weights[0])}–{e(weights[1])} points" if weights else "")
        + f"<br><i>Wording:</i> {e(fill_wording(entry))}"
        + (f"<br><i>Placeholders:</i><ul style='margin:0'>{listed}</ul>" if listed else "")
        + f"<i>Verification:</i> {e(entry['verification'])}"
        f"<br><i>Link to the subject matter:</i> {e(entry['link_to_subject_matter'])}"
        f'<br><i>Source:</i> {e(entry["source"])} (<a href="{e(entry["source_url"])}" target="_blank" '
        f'rel="noopener">{e(entry["source_url"])}</a>)</div>'
    )


def wording_html(text: str, verification: str) -> str:
    """An item's filled wording and how it is verified."""
    return (
        f"<div class='spw-wording' style='margin-left:1em'>{escape_html(text)}<br>"
        f"<span style='color:{TEXT['muted']}'>Verification: {escape_html(verification or 'not stated')}"
        f"</span></div>"
    )


def suggestions_html(table: pd.DataFrame, count: int, cpv_code: str) -> str:
    """The suggested entries for a CPV division, as a scrolling table."""
    return (
        f'<div class="spw-suggestions-table" style="max-height:260px;overflow:auto">'
        f"{count} entries for CPV division {escape_html(str(cpv_code)[:2])}{html_table(table)}</div>"
    )
