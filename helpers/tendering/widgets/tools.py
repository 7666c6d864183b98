"""Module 6 tools: the criteria builder and the evaluation simulator, a thin widget layer
over `criteria` and `evaluation`.

- `criteria_builder(cpv_code, subject, value_eur)`: the contract, suggested library entries
  for its CPV division (filtered by theme), a draft with placeholders and weights, the live
  checks (`validate_draft`), saving drafts in the progress store (tool "criteria", on click
  only) and the DOCX + Markdown export.
- `evaluation_simulator(tender_id)`: the bids (a featured shipped tender, the brief's A/B/C
  example, or the learner's own from a small form or an uploaded CSV), the quality marks, the
  price formula and weights, the ranking and its chart, the winning range of each bidder over
  the price weight, the rank-reversal demo, and the abnormally-low-tender checks.

The first section holds pure functions (tested without widgets); the widget classes hold
their controls as attributes so tests can set values and read the results.
"""
from __future__ import annotations

import math
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from helpers.core.errors import LearnerError
from helpers.ui.exports import html_table
from helpers.core.safety import escape_html
from helpers.tendering.criteria import (THEMES, TYPE_LABELS, CriteriaDraft, Issue, fill_wording, load_library,
                                        price_formula_statement, save_draft_report, suggest_criteria,
                                        validate_draft)
from helpers.tendering.evaluation import (ARTICLE_69_STEPS, EXPLANATION_SCREEN_PCT, FORMULA_EXPLANATIONS, FORMULAS,
                                          QUALITY_SCALE, explanation_requests, quality_points, r058_fence,
                                          ranking_by_price_weight, score_bids, tender_gaps, weight_sensitivity)
from helpers.learning.registry import self_check

PLAYGROUND_TENDER = "PV-T-2025-017"      # the running purchase (modules 5-7)
PLAYGROUND_CPV = "37535200-9"
PLAYGROUND_SUBJECT = "Playground equipment supply and maintenance"
PLAYGROUND_VALUE_EUR = 1_200_000.0
EXAMPLE_AB, EXAMPLE_ABC, MINE = "example:AB", "example:ABC", "mine"
BIDDER_COLOURS = ("#1a4b9c", "#c62828", "#2e7d32", "#8e24aa", "#ef6c00", "#00838f", "#6d4c41", "#546e7a")
FORM_ROWS = 6

# The brief's rank-reversal set-up (§4.3, course design): quality 60 points, price 40 points.
# Quality is given as % of the maximum: 40/60, 48/60 and 10/60 points.
BRIEF_BIDS = pd.DataFrame({"bidder": ["A", "B", "C"], "price": [100_000.0, 130_000.0, 50_000.0],
                           "quality_pct": [100 * 40 / 60, 100 * 48 / 60, 100 * 10 / 60]})

# The default draft for the playground purchase (course design): four award criteria worth
# 60 points with price 40, one technical specification and two contract performance clauses.
PLAYGROUND_DRAFT = (("INN-PLAY-01", 20), ("SOC-PLAY-01", 15), ("SOC-ANY-02", 15), ("GRN-PLAY-01", 10),
                    ("GRN-PLAY-02", None), ("GRN-PLAY-03", None), ("LOC-PLAY-01", None))


# ================================================================ pure pieces: evaluation

def featured_tenders() -> list[str]:
    """Tenders shipped with per-criterion quality marks (bid_marks.csv)."""
    from helpers.data import load_table

    return sorted(load_table("bid_marks")["tender_id"].astype("str").unique())


def tender_info(tender_id: str) -> dict:
    """One tender's row of tenders.csv as a dict (LearnerError if it is not in the course data)."""
    from helpers.data import load_table

    tenders = load_table("tenders")
    row = tenders[tenders["tender_id"].astype("str") == str(tender_id)]
    if row.empty:
        raise LearnerError(f"there is no tender {tender_id!r} in the course data",
                           fix="Use a tender id from datasets/shared/tenders.csv, e.g. PV-T-2025-017")
    return row.iloc[0].to_dict()


def tender_marks(tender_id: str) -> pd.DataFrame:
    """The 0–5 quality marks of a featured tender (bidder, criterion, weight, mark)."""
    from helpers.data import load_table

    marks = load_table("bid_marks")
    return marks[marks["tender_id"].astype("str") == str(tender_id)].rename(columns={"bidder_name": "bidder"})


def marks_table(marks: pd.DataFrame) -> pd.DataFrame:
    """Marks as a grid: one row per bidder, one column per criterion ('name (weight)'), then the
    quality points (Σ mark ÷ 5 × weight) and the % of the maximum."""
    if marks.empty:
        return pd.DataFrame(columns=["bidder"])
    labels = marks["criterion"].astype("str") + " (" + marks["weight"].astype("str") + ")"
    grid = (marks.assign(column=labels).pivot_table(index="bidder", columns="column", values="mark",
                                                    aggfunc="first", sort=False)
            .reset_index().rename_axis(columns=None))
    points = quality_points(marks)
    return grid.merge(points[["bidder", "quality_points", "quality_pct"]], on="bidder").assign(
        quality_points=lambda t: t["quality_points"].round(2), quality_pct=lambda t: t["quality_pct"].round(2))


def tender_bids(tender_id: str) -> pd.DataFrame:
    """A shipped tender's bids as bidder, price, quality_pct, status.

    For a featured tender the quality is recomputed from the 0–5 marks (exact, not rounded)."""
    from helpers.data import load_table

    bids = load_table("bids")
    bids = bids[bids["tender_id"].astype("str") == str(tender_id)]
    if bids.empty:
        raise LearnerError(f"the course data has no bids for tender {tender_id!r}",
                           fix="Choose a tender with bids, e.g. PV-T-2025-017")
    table = pd.DataFrame({"bidder": bids["bidder_name"].astype("str").to_numpy(),
                          "price": bids["price_eur"].astype("float64").to_numpy(),
                          "quality_pct": bids["quality_pct"].astype("float64").to_numpy(),
                          "status": bids["status"].astype("str").to_numpy()})
    marks = tender_marks(tender_id)
    if not marks.empty:
        exact = quality_points(marks).set_index("bidder")["quality_pct"]
        table["quality_pct"] = table["bidder"].map(exact).fillna(table["quality_pct"]).astype("float64")
    return table


def example_bids(with_c: bool = False) -> pd.DataFrame:
    """The brief's example bids A and B (§4.3), with bid C when `with_c`."""
    return BRIEF_BIDS.iloc[:3 if with_c else 2].reset_index(drop=True)


def choose_tender(city: str, tender_id: str | None = PLAYGROUND_TENDER) -> str | None:
    """The featured tender to study for `city`: `tender_id` if it is the city's and has marks,
    else the city's first featured tender, else None (use the brief's example bids)."""
    from helpers.data import city_info

    prefix = city_info(city)["id_prefix"]
    featured = [t for t in featured_tenders() if t.startswith(f"{prefix}-")]
    if tender_id in featured:
        return tender_id
    return featured[0] if featured else None


def winner_at(bids: pd.DataFrame, price_weight: float, formula: str = "relative", **formula_args) -> str:
    """The bidder ranked first (ties: the names joined with ' and ')."""
    scored = score_bids(bids, price_weight, formula, **formula_args)
    return " and ".join(scored.loc[scored["rank"] == 1, "bidder"].astype("str"))


def ranking_table(scored: pd.DataFrame) -> pd.DataFrame:
    """`score_bids`' result in the learner's words, rounded to two decimals."""
    return pd.DataFrame({"rank": scored["rank"].map(lambda r: "–" if pd.isna(r) else str(int(r))),
                         "bidder": scored["bidder"], "price (EUR)": scored["price"].map(lambda v: f"{v:,.2f}"),
                         "price points": scored["price_points"].round(2),
                         "quality points": scored["quality_points"].round(2),
                         "total": scored["total"].round(2), "excluded because": scored["excluded_reason"]})


def ranking_lines(scored: pd.DataFrame) -> str:
    """The ranking as short lines of text ('1. Juegos del Puerto S.L.: 86.58 (price 35.58 + quality 51.00)')."""
    lines = []
    for row in scored.itertuples(index=False):
        if row.excluded_reason:
            lines.append(f"–. {row.bidder}: excluded ({row.excluded_reason})")
        else:
            lines.append(f"{int(row.rank)}. {row.bidder}: {row.total:.2f} "
                         f"(price {row.price_points:.2f} + quality {row.quality_points:.2f})")
    return "\n".join(lines)


def winner_sentence(scored: pd.DataFrame, price_weight: float) -> str:
    """'At price weight 40: Juegos del Puerto S.L. wins with 86.58 points, 0.87 ahead of …'."""
    kept = scored[scored["excluded_reason"].eq("")]
    if kept.empty:
        return f"At price weight {price_weight:g}: no bid is left to rank."
    first = kept.iloc[0]
    text = f"At price weight {price_weight:g}: {first['bidder']} wins with {first['total']:.2f} points"
    if len(kept) > 1:
        second = kept.iloc[1]
        gap = first["total"] - second["total"]
        text += (f", tied with {second['bidder']}" if abs(gap) < 0.005 else
                 f", {gap:.2f} ahead of {second['bidder']} ({second['total']:.2f})")
    return text + "."


def rank_reversal_table(formula: str = "relative", price_weight: float = 40, base: float = 2.0) -> pd.DataFrame:
    """The brief's example (§4.3): totals of A and B alone, then with C, and the winner each time."""
    args = {"base": base} if formula == "log" else {}
    if formula not in ("relative", "log"):
        raise LearnerError("the rank-reversal demo compares the relative and the log formula",
                           fix="Choose relative or log")
    rows = []
    for label, bids in (("A and B only", example_bids(False)), ("C enters (quality 10, EUR 50k)", example_bids(True))):
        scored = score_bids(bids, price_weight, formula, **args).set_index("bidder")
        totals = {b: round(float(scored.loc[b, "total"]), 2) if b in scored.index else None for b in "ABC"}
        rows.append({"scenario": label, **totals, "winner": winner_at(bids, price_weight, formula, **args)})
    return pd.DataFrame(rows, columns=["scenario", "A", "B", "C", "winner"])


def reversal_lines(table: pd.DataFrame) -> str:
    """The rank-reversal table as text lines ('A and B only: A 80.00, B 78.77 → A wins')."""
    out = []
    for row in table.itertuples(index=False):
        parts = [f"{b} {getattr(row, b):.2f}" for b in "ABC" if pd.notna(getattr(row, b))]
        out.append(f"{row.scenario}: {', '.join(parts)} → {row.winner} wins")
    return "\n".join(out)


def winning_ranges(bids: pd.DataFrame, formula: str = "relative", min_quality_pct: float | None = None,
                   **formula_args) -> pd.DataFrame:
    """Each bidder's range(s) of price weight where it ranks first, with a sentence per bidder."""
    ranges = weight_sensitivity(bids, formula, min_quality_pct=min_quality_pct, **formula_args)

    def say(row) -> str:
        if pd.isna(row.wins_from):
            return "never ranks first at any price weight"
        return f"ranks first from {row.wins_from:.1f} to {row.wins_to:.1f}"
    return ranges.assign(wins_from=ranges["wins_from"].round(2), wins_to=ranges["wins_to"].round(2),
                         meaning=[say(r) for r in ranges.itertuples(index=False)])


@self_check("winner-switch-weight")
def price_weight_where_winner_changes(tender_id: str = PLAYGROUND_TENDER, bidder: str = "PlayForm Europe B.V.") -> float:
    """The lowest price weight (one decimal) from which `bidder` ranks first in `tender_id` (relative formula)."""
    ranges = weight_sensitivity(tender_bids(tender_id))
    found = ranges[(ranges["bidder"] == bidder) & ranges["wins_from"].notna()]
    if found.empty:
        raise LearnerError(f"{bidder} never ranks first in {tender_id}")
    return round(float(found["wins_from"].min()), 1)


def scores_figure(scored: pd.DataFrame, price_weight: float, title_prefix: str = "") -> go.Figure:
    """Stacked bars: quality points and price points per ranked bid; the winner named in the title."""
    kept = scored[scored["excluded_reason"].eq("")]
    winners = kept.loc[kept["rank"] == 1, "bidder"].astype("str").tolist()
    fig = go.Figure()
    fig.add_trace(go.Bar(x=kept["bidder"], y=kept["quality_points"].round(2), name="quality points",
                         marker_color="#2e7d32"))
    fig.add_trace(go.Bar(x=kept["bidder"], y=kept["price_points"].round(2), name="price points",
                         marker_color="#1a4b9c", text=kept["total"].round(2), textposition="outside",
                         texttemplate="total %{text:.2f}"))
    title = f"{title_prefix}Scores at price weight {price_weight:g}: " + (
        " and ".join(winners) + " wins" if winners else "no bid ranked")
    fig.update_layout(barmode="relative", title=title, height=380, yaxis_title="points (out of 100)",
                      margin={"t": 60, "l": 60, "r": 20, "b": 90}, legend={"orientation": "h", "y": 1.02, "x": 0})
    return fig


def sensitivity_figure(bids: pd.DataFrame, formula: str, price_weight: float, min_quality_pct: float | None = None,
                       **formula_args) -> go.Figure:
    """Each bid's total against the price weight (0–100), with the current weight marked."""
    chart = ranking_by_price_weight(bids, formula, step=1, min_quality_pct=min_quality_pct, **formula_args)
    fig = go.Figure()
    for n, (bidder, rows) in enumerate(chart.groupby("bidder", sort=False)):
        fig.add_trace(go.Scatter(x=rows["price_weight"], y=rows["total"].round(2), mode="lines", name=str(bidder),
                                 line={"color": BIDDER_COLOURS[n % len(BIDDER_COLOURS)]},
                                 hovertemplate="price weight %{x}: %{y:.2f}<extra>%{fullData.name}</extra>"))
    fig.add_vline(x=float(price_weight), line_dash="dash", line_color="#444",
                  annotation_text=f"now: {price_weight:g}", annotation_position="top")
    fig.update_layout(title=f"Total score against the price weight ({formula} formula)", height=380,
                      xaxis_title="price weight (quality = 100 − price)", yaxis_title="total points",
                      margin={"t": 60, "l": 60, "r": 20, "b": 50})
    return fig


def linear_bounds(bids: pd.DataFrame, estimate: float | None = None) -> tuple[float, float]:
    """Default bounds for the linear formula (course design): 75 % and 125 % of the estimated value,
    or, without an estimate, 80 % of the lowest and 120 % of the highest price, rounded to 1,000."""
    if estimate and estimate > 0:
        low, high = 0.75 * estimate, 1.25 * estimate
    else:
        prices = pd.to_numeric(bids["price"], errors="coerce")
        low, high = 0.8 * float(prices.min()), 1.2 * float(prices.max())
    return float(math.floor(low / 1000) * 1000), float(math.ceil(high / 1000) * 1000)


def abnormally_low_checks(bids: pd.DataFrame, scored: pd.DataFrame, population: pd.DataFrame) -> dict:
    """The course-design screen (bids > 20 % below the median) and the R058 gap of this winner
    against the fence computed over the city's past tenders (`population`: bids.csv rows)."""
    screen = explanation_requests(bids)
    fence = r058_fence(tender_gaps(population)["gap"])
    kept = scored[scored["excluded_reason"].eq("")]
    gap = None
    if len(kept) >= 2:
        winner = kept.iloc[0]["bidder"]
        table = kept.assign(tender_id="these bids", winner=kept["bidder"].eq(winner))[
            ["tender_id", "bidder", "price", "winner"]]
        gaps = tender_gaps(table)
        gap = float(gaps["gap"].iloc[0]) if len(gaps) else None
    return {"screen": screen, "fence": fence, "gap": gap, "flagged": gap is not None and gap >= fence}


def _bid_rows(rows: list[dict], where: str) -> pd.DataFrame:
    """Check bidder/price/quality rows (already read as text) and return them as a bids table."""
    from helpers.tendering.cli import _number

    checked, seen = [], {}
    for row in rows:
        line, name = row["line"], str(row["bidder"]).strip()
        if not name:
            raise LearnerError("the bidder's name is empty", file=where, row=line, fix="Give every bid a name")
        if name in seen:
            raise LearnerError(f"the bidder {name!r} appears twice (also on line {seen[name]})", file=where,
                               row=line, fix="Give each bid its own name, e.g. 'B2'")
        seen[name] = line
        price = _number(row["price"], "price", where, line)
        if price <= 0:
            raise LearnerError(f"the price {price:g} must be above 0", file=where, row=line)
        quality = _number(row["quality"], "quality", where, line)
        if not 0 <= quality <= 100:
            raise LearnerError(f"the quality {quality:g} must be from 0 to 100 (% of the maximum)", file=where,
                               row=line)
        checked.append({"bidder": name, "price": price, "quality_pct": quality})
    if not checked:
        raise LearnerError("there are no bids to score", file=where, fix="Fill in at least one row")
    return pd.DataFrame(checked)


def bids_from_form(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    """The learner's bids from the form (bidder, price, quality as typed); empty rows are skipped."""
    filled = [{"line": n, "bidder": b, "price": p, "quality": q} for n, (b, p, q) in enumerate(rows, start=1)
              if any(str(v).strip() for v in (b, p, q))]
    return _bid_rows(filled, "the bids form")


def read_uploaded_bids(name: str, content: bytes) -> pd.DataFrame:
    """An uploaded bids CSV (bidder, price, quality) checked line by line; the upload is only read."""
    import io

    shown = Path(str(name)).name or "bids.csv"
    try:
        table = pd.read_csv(io.BytesIO(bytes(content)), dtype="str", encoding="utf-8-sig", keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError):
        raise LearnerError("cannot read the bids table", file=shown,
                           fix="Give a UTF-8 CSV file with a header row: bidder,price,quality") from None
    table.columns = [str(c).strip().lower() for c in table.columns]
    missing = [c for c in ("bidder", "price", "quality") if c not in table.columns]
    if missing:
        raise LearnerError("no column " + ", ".join(repr(c) for c in missing), file=shown,
                           fix="The header row must name the columns bidder, price, quality")
    rows = [{"line": n, "bidder": r["bidder"], "price": r["price"], "quality": r["quality"]}
            for n, r in enumerate(table.to_dict("records"), start=2)]
    return _bid_rows(rows, shown)


# ================================================================ pure pieces: criteria

def default_draft(library: pd.DataFrame, cpv_code: str = PLAYGROUND_CPV, subject: str = PLAYGROUND_SUBJECT,
                  value_eur: float | None = PLAYGROUND_VALUE_EUR) -> CriteriaDraft:
    """A sensible starting draft: for the playground CPV division (37) the course's example
    draft; for another CPV, the first award criteria suggested for it, with price 40."""
    draft = CriteriaDraft(subject=subject, cpv_code=cpv_code, value_eur=value_eur, price_weight=40.0)
    if str(cpv_code).startswith("37"):
        for entry_id, weight in PLAYGROUND_DRAFT:
            draft.add(library.loc[entry_id], weight=weight)
        return draft
    suggested = suggest_criteria(library, cpv_code)
    award = suggested[suggested["type"] == "award_criterion"].head(3)
    for entry in award.itertuples(index=False):
        draft.add(library.loc[entry.id])
    if len(award):           # share the 60 quality points in proportion to the suggested weights
        total = draft.quality_weight
        for item in draft.items:
            item.weight = float(round(60 * item.weight / total)) if total else 20.0
        draft.items[-1].weight += 60 - draft.quality_weight
    for kind in ("technical_specification", "contract_performance_clause"):
        first = suggested[suggested["type"] == kind].head(1)
        for entry in first.itertuples(index=False):
            draft.add(library.loc[entry.id])
    return draft


def issues_html(issues: list[Issue]) -> str:
    """The checks as a coloured list: errors (red) first, then warnings (amber); escaped."""
    if not issues:
        return ('<div class="spw-validation"><div class="spw-issue spw-ok" style="color:#1e6b34">'
                "✔ No problems found: the weights add up to 100 and every item is placed and verifiable."
                "</div></div>")
    ordered = sorted(issues, key=lambda i: i.severity != "error")
    errors = sum(i.severity == "error" for i in issues)
    items = "".join(
        f'<li class="spw-issue spw-{i.severity}" style="color:{"#b3261e" if i.severity == "error" else "#8a5300"}">'
        f'<b>{"Must fix" if i.severity == "error" else "Check"}:</b> {escape_html(i.message)}.</li>'
        for i in ordered)
    return (f'<div class="spw-validation"><b>{errors} to fix, {len(issues) - errors} to check</b>'
            f'<ul style="margin:2px 0">{items}</ul></div>')


def suggestions_table(suggested: pd.DataFrame) -> pd.DataFrame:
    """Suggested entries in the learner's words (wording filled with the defaults)."""
    return pd.DataFrame({"id": suggested["id"], "title": suggested["title"], "theme": suggested["theme"],
                         "type": suggested["type"].map(TYPE_LABELS),
                         "points (typical)": suggested["weight_range"].map(
                             lambda r: f"{r[0]}–{r[1]}" if isinstance(r, list) else "–"),
                         "wording": [fill_wording(row) for _, row in suggested.iterrows()],
                         "verification": suggested["verification"], "source": suggested["source"],
                         "for": suggested["match"]}).reset_index(drop=True)


def draft_table(draft: CriteriaDraft, library: pd.DataFrame) -> pd.DataFrame:
    """The draft's items with their points and filled wording, then the price line."""
    rows = []
    for n, item in enumerate(draft.items, start=1):
        wording = item.custom_text or (fill_wording(library.loc[item.entry_id], item.values)
                                       if item.entry_id in library.index else "")
        rows.append({"no.": n, "criterion": item.title or item.entry_id, "type": TYPE_LABELS.get(item.type, item.type),
                     "points": float(item.weight or 0), "wording": wording})
    rows.append({"no.": len(rows) + 1, "criterion": "Price", "type": "award criterion",
                 "points": float(draft.price_weight), "wording": price_formula_statement(draft)})
    return pd.DataFrame(rows)


def weights_figure(draft: CriteriaDraft) -> go.Figure:
    """One horizontal bar per weighted criterion, price included; the total in the title."""
    award = [(i.title or i.entry_id or "own criterion", float(i.weight or 0)) for i in draft.items
             if i.type == "award_criterion"]
    names = [n for n, _ in award] + ["Price"]
    points = [p for _, p in award] + [float(draft.price_weight)]
    total = sum(points)
    fig = go.Figure(go.Bar(y=names, x=points, orientation="h", text=[f"{p:g}" for p in points],
                           marker_color=["#2e7d32"] * len(award) + ["#1a4b9c"]))
    fig.update_layout(title=f"Award weights in the draft: {total:g} of 100 points", height=120 + 36 * len(names),
                      xaxis_title="points", margin={"t": 50, "l": 280, "r": 20, "b": 40},
                      yaxis={"autorange": "reversed"})
    return fig


def entry_card_html(entry: pd.Series) -> str:
    """One library entry: type, theme, wording (defaults filled in), placeholders, verification, source."""
    e = escape_html
    holders = entry["placeholders"] or {}
    listed = "".join(f"<li><code>{{{e(k)}}}</code>: {e(v.get('description'))} (default: {e(v.get('default'))})</li>"
                     for k, v in holders.items())
    weights = entry["weight_range"]
    return (f'<div class="spw-entry-card" style="border:1px solid #ccc;padding:6px 10px;margin:4px 0">'
            f"<b>{e(entry['id'])}: {e(entry['title'])}</b> · {e(TYPE_LABELS[entry['type']])} · theme "
            f"{e(entry['theme'])}" + (f" · typically {e(weights[0])}–{e(weights[1])} points" if weights else "")
            + f"<br><i>Wording:</i> {e(fill_wording(entry))}"
            + (f"<br><i>Placeholders:</i><ul style='margin:0'>{listed}</ul>" if listed else "")
            + f"<i>Verification:</i> {e(entry['verification'])}"
            f"<br><i>Link to the subject matter:</i> {e(entry['link_to_subject_matter'])}"
            f"<br><i>Source:</i> {e(entry['source'])} (<a href=\"{e(entry['source_url'])}\" target=\"_blank\" "
            f"rel=\"noopener\">{e(entry['source_url'])}</a>)</div>")


# ================================================================ the criteria builder

class CriteriaBuilder:
    """The live criteria builder. `widget` is the box to display; controls are attributes."""

    def __init__(self, cpv_code: str = PLAYGROUND_CPV, subject: str = PLAYGROUND_SUBJECT,
                 value_eur: float | None = PLAYGROUND_VALUE_EUR, library: pd.DataFrame | None = None,
                 draft: CriteriaDraft | None = None) -> None:
        import ipywidgets as w

        from helpers.ui.display import guarded, message_html

        self.library = library if library is not None else load_library()
        self.draft = draft or default_draft(self.library, cpv_code, subject, value_eur)
        self._message_html = message_html
        self.message = w.HTML()
        self.message.add_class("spw-message-area")
        self._guard = guarded(lambda text, kind: setattr(self.message, "value", message_html(text, kind)))
        self._syncing = False
        wide = {"description_width": "initial"}
        self.subject = w.Text(value=self.draft.subject, description="Subject", style=wide,
                              layout=w.Layout(width="440px"))
        self.cpv = w.Text(value=self.draft.cpv_code, description="CPV code", style=wide, layout=w.Layout(width="200px"))
        self.value = w.FloatText(value=float(self.draft.value_eur or 0), description="Value (EUR, net)", style=wide,
                                 layout=w.Layout(width="260px"))
        self.lots = w.BoundedIntText(value=int(self.draft.lots), min=1, max=50, description="Lots", style=wide,
                                     layout=w.Layout(width="120px"))
        self.theme = w.Dropdown(options=[("all themes", "")] + [(t.replace("_", " "), t) for t in THEMES], value="",
                                description="Theme", style=wide)
        self.suggestion = w.Dropdown(description="Library entry", style=wide, layout=w.Layout(width="640px"))
        self.card = w.HTML()
        self.suggestions = w.HTML()
        self.add_button = w.Button(description="Add to draft", icon="plus", button_style="primary")
        self.price_weight = w.IntSlider(value=int(round(self.draft.price_weight)), min=0, max=100,
                                        description="Price weight", style=wide, continuous_update=False,
                                        layout=w.Layout(width="420px"))
        self.formula = w.Dropdown(options=list(FORMULAS), value=self.draft.price_formula, description="Price formula",
                                  style=wide)
        args = self.draft.price_formula_args or {}
        self.lower = w.FloatText(value=float(args.get("lower", 0.75 * (value_eur or 100_000))), description="lower EUR",
                                 layout=w.Layout(width="220px"))
        self.upper = w.FloatText(value=float(args.get("upper", 1.25 * (value_eur or 100_000))), description="upper EUR",
                                 layout=w.Layout(width="220px"))
        self.base = w.BoundedFloatText(value=float(args.get("base", 2.0)), min=1.01, max=10, step=0.5,
                                       description="base A", layout=w.Layout(width="160px"))
        self.statement = w.HTML()
        self.weights_summary = w.HTML()
        self.items_box = w.VBox()
        self.validation = w.HTML()
        self.draft_name = w.Text(value=self.draft.subject, description="Draft name", style=wide,
                                 layout=w.Layout(width="360px"))
        self.save_button = w.Button(description="Save draft", icon="save")
        self.saved = w.Dropdown(description="Saved drafts", style=wide, layout=w.Layout(width="360px"))
        self.load_button = w.Button(description="Load draft", icon="folder-open")
        self.save_message = w.HTML()
        self.export_button = w.Button(description="Export DOCX + Markdown", icon="download",
                                      layout=w.Layout(width="auto"))
        self.export_message = w.HTML()
        for control, css in ((self.subject, "spw-subject"), (self.cpv, "spw-cpv"), (self.value, "spw-value"),
                             (self.lots, "spw-lots"), (self.theme, "spw-theme"), (self.suggestion, "spw-suggestion"),
                             (self.suggestions, "spw-suggestions"), (self.add_button, "spw-add"),
                             (self.price_weight, "spw-price-weight"), (self.formula, "spw-price-formula"),
                             (self.items_box, "spw-draft-items"), (self.validation, "spw-validation-area"),
                             (self.draft_name, "spw-draft-name"), (self.save_button, "spw-save"),
                             (self.saved, "spw-saved-drafts"), (self.load_button, "spw-load"),
                             (self.save_message, "spw-save-message"), (self.export_button, "spw-export"),
                             (self.export_message, "spw-export-message"), (self.weights_summary, "spw-weights-summary"),
                             (self.card, "spw-card-area")):
            control.add_class(css)
        g = self._guard
        for control in (self.subject, self.value, self.lots, self.lower, self.upper, self.base, self.formula):
            control.observe(g(lambda change: self._contract_changed()), names="value")
        self.cpv.observe(g(lambda change: self._cpv_changed()), names="value")
        self.theme.observe(g(lambda change: self.refresh_suggestions()), names="value")
        self.suggestion.observe(g(lambda change: self._show_card()), names="value")
        self.price_weight.observe(g(lambda change: self._price_changed()), names="value")
        self.add_button.on_click(g(lambda _: self.add_selected()))
        self.save_button.on_click(g(lambda _: self.save()))
        self.load_button.on_click(g(lambda _: self.load(self.saved.value)))
        self.export_button.on_click(g(lambda _: self.export()))

        def h(text: str):
            return w.HTML(f"<h4 style='margin:10px 0 4px 0'>{escape_html(text)}</h4>")

        self.widget = w.VBox([
            self.message, h("1. The contract"), w.HBox([self.subject, self.cpv]), w.HBox([self.value, self.lots]),
            h("2. Suggestions from the criteria library"), self.theme, self.suggestions,
            w.HBox([self.suggestion, self.add_button]), self.card,
            h("3. Price"), w.HBox([self.price_weight, self.formula]), w.HBox([self.lower, self.upper, self.base]),
            self.statement,
            h("4. Your draft (fill the placeholders, set the points)"), self.weights_summary, self.items_box,
            h("5. Checks"), self.validation,
            h("6. Save and export"), w.HBox([self.draft_name, self.save_button]),
            w.HBox([self.saved, self.load_button]), self.save_message, self.export_button, self.export_message])
        self.widget.add_class("spw-criteria-builder")
        self._fill_saved()
        g(self.refresh_suggestions)()
        g(self.render_items)()

    # ------------------------------------------------------------ suggestions

    def suggested(self) -> pd.DataFrame:
        return suggest_criteria(self.library, self.cpv.value, [self.theme.value] if self.theme.value else None)

    def refresh_suggestions(self) -> None:
        found = self.suggested()
        shown = suggestions_table(found)[["id", "title", "theme", "type", "points (typical)", "wording",
                                          "verification", "source", "for"]]
        self.suggestions.value = (f'<div class="spw-suggestions-table" style="max-height:260px;overflow:auto">'
                                  f"{len(found)} entries for CPV division {escape_html(str(self.cpv.value)[:2])}"
                                  f"{html_table(shown)}</div>")
        options = [(f"{r.id} · {r.title} ({TYPE_LABELS[r.type]})", r.id) for r in found.itertuples(index=False)]
        self.suggestion.options = options
        self.suggestion.value = options[0][1] if options else None
        self._show_card()

    def _show_card(self) -> None:
        chosen = self.suggestion.value
        self.card.value = entry_card_html(self.library.loc[chosen]) if chosen else ""

    def add_selected(self, entry_id: str | None = None, weight: float | None = None) -> None:
        """Add the chosen library entry (or `entry_id`) to the draft."""
        chosen = entry_id or self.suggestion.value
        if not chosen:
            raise LearnerError("no library entry is selected", fix="Choose an entry in the list first")
        if chosen not in self.library.index:
            raise LearnerError(f"{chosen} is not in the criteria library")
        item = self.draft.add(self.library.loc[chosen], weight=weight)
        self.render_items()
        self.message.value = self._message_html(
            f"Added {item.title} as a {TYPE_LABELS[item.type]}"
            + (f" with {item.weight:g} points" if item.type == "award_criterion" else "") + ".", "ok")

    # ------------------------------------------------------------ the draft

    def render_items(self) -> None:
        """Rebuild one row per item: title and type, points, placeholders, the filled wording, remove."""
        import ipywidgets as w

        rows, self.weight_boxes, self.placeholder_boxes = [], [], []
        for index, item in enumerate(self.draft.items):
            entry = self.library.loc[item.entry_id] if item.entry_id in self.library.index else None
            header = w.HTML(f"<b>{index + 1}. {escape_html(item.title or item.entry_id)}</b> "
                            f"<span style='color:#555'>({escape_html(TYPE_LABELS.get(item.type, item.type))}"
                            + (f", theme {escape_html(entry['theme'])}" if entry is not None else "") + ")</span>")
            weight = w.BoundedFloatText(value=float(item.weight or 0), min=0, max=100, step=1, description="points",
                                        layout=w.Layout(width="170px"))
            weight.add_class("spw-weight")
            weight.observe(self._guard(lambda change, i=index: self._weight_changed(i, change["new"])), names="value")
            remove = w.Button(description="Remove", icon="trash", layout=w.Layout(width="100px"))
            remove.add_class("spw-remove")
            remove.on_click(self._guard(lambda _, i=index: self.remove(i)))
            wording = w.HTML()
            boxes = []
            for name, spec in ((entry["placeholders"] or {}) if entry is not None else {}).items():
                box = w.Text(value=str(item.values.get(name, spec.get("default", ""))), description=name,
                             placeholder=str(spec.get("description", "")), style={"description_width": "initial"},
                             layout=w.Layout(width="320px"))
                box.add_class("spw-placeholder")
                box.observe(self._guard(lambda change, i=index, n=name, out=wording: self._placeholder_changed(
                    i, n, change["new"], out)), names="value")
                boxes.append(box)
            self.placeholder_boxes.append(boxes)
            self._show_wording(index, wording)
            self.weight_boxes.append(weight)
            row = w.VBox([w.HBox([header, weight, remove]), wording] + ([w.HBox(boxes, layout=w.Layout(
                flex_flow="row wrap"))] if boxes else []), layout=w.Layout(border_bottom="1px solid #ddd",
                                                                          padding="4px 0"))
            row.add_class("spw-draft-item")
            rows.append(row)
        self.items_box.children = rows or [w.HTML("<i>The draft is empty: add entries from the library above.</i>")]
        self.refresh_checks()

    def _show_wording(self, index: int, out) -> None:
        item = self.draft.items[index]
        text = (fill_wording(self.library.loc[item.entry_id], item.values) if item.entry_id in self.library.index
                else item.custom_text)
        out.value = (f"<div class='spw-wording' style='margin-left:1em'>{escape_html(text)}<br>"
                     f"<span style='color:#555'>Verification: {escape_html(item.verification or 'not stated')}"
                     f"</span></div>")

    def _weight_changed(self, index: int, value: float) -> None:
        self.draft.items[index].weight = float(value)
        self.refresh_checks()

    def _placeholder_changed(self, index: int, name: str, value: str, out) -> None:
        self.draft.items[index].values[name] = value
        self._show_wording(index, out)

    def remove(self, index: int) -> None:
        """Take item `index` out of the draft."""
        item = self.draft.items.pop(index)
        self.render_items()
        self.message.value = self._message_html(f"Removed {item.title or item.entry_id} from the draft.", "info")

    def set_weight(self, index: int, value: float) -> None:
        """Set an item's points through its number box (as a learner would)."""
        self.weight_boxes[index].value = value

    def _price_changed(self) -> None:
        self.draft.price_weight = float(self.price_weight.value)
        self.refresh_checks()

    def _cpv_changed(self) -> None:
        self.draft.cpv_code = self.cpv.value.strip()
        try:
            self.refresh_suggestions()
        except LearnerError as exc:
            self.suggestions.value = self._message_html(str(exc), "error")
            self.suggestion.options, self.card.value = [], ""
        self.refresh_checks()

    def _contract_changed(self) -> None:
        if self._syncing:
            return
        d = self.draft
        d.subject, d.value_eur, d.lots = self.subject.value.strip(), float(self.value.value or 0) or None, self.lots.value
        d.price_formula = self.formula.value
        d.price_formula_args = ({"lower": self.lower.value, "upper": self.upper.value} if d.price_formula == "linear"
                                else {"base": self.base.value} if d.price_formula == "log" else {})
        self.refresh_checks()

    def issues(self) -> list[Issue]:
        return validate_draft(self.draft, self.library)

    def refresh_checks(self) -> None:
        """Redraw the weights line, the price statement and the list of issues."""
        d = self.draft
        total = d.quality_weight + float(d.price_weight)
        colour = "#1e6b34" if abs(total - 100) < 1e-9 else "#b3261e"
        self.weights_summary.value = (f"<div class='spw-weights-line' style='color:{colour}'>Quality "
                                      f"{d.quality_weight:g} + price {float(d.price_weight):g} = <b>{total:g}</b> "
                                      "of 100 points</div>")
        for box, shown in ((self.lower, d.price_formula == "linear"), (self.upper, d.price_formula == "linear"),
                           (self.base, d.price_formula == "log")):
            box.layout.display = None if shown else "none"
        self.statement.value = f"<div class='spw-price-statement'>{escape_html(price_formula_statement(d))}</div>"
        self.validation.value = issues_html(self.issues())

    # ------------------------------------------------------------ save, load, export

    def _fill_saved(self) -> None:
        from helpers.learning.progress import store

        names = store().list_drafts("criteria")
        self.saved.options = names or [("(no saved drafts yet)", "")]
        self.load_button.disabled = not names

    def save(self, name: str | None = None) -> str:
        """Save the draft under its name in the progress store (tool 'criteria'); say where."""
        from helpers.learning.progress import store

        chosen = (name if name is not None else self.draft_name.value).strip()
        progress = store()
        progress.save_draft("criteria", chosen, self.draft.to_dict())
        self._fill_saved()
        self.saved.value = chosen
        self.save_message.value = self._message_html(
            f"Saved the draft “{chosen}” in your progress file {progress.path}.", "ok")
        return chosen

    def load(self, name: str) -> None:
        """Replace the draft on screen with a saved one."""
        from helpers.learning.progress import store

        if not name:
            raise LearnerError("there is no saved draft to load", fix="Save a draft first")
        self.draft = CriteriaDraft.from_dict(store().load_draft("criteria", name))
        self._syncing = True
        try:
            d = self.draft
            self.subject.value, self.value.value, self.lots.value = d.subject, float(d.value_eur or 0), int(d.lots)
            self.formula.value = d.price_formula
            args = d.price_formula_args or {}
            self.lower.value = float(args.get("lower", self.lower.value))
            self.upper.value = float(args.get("upper", self.upper.value))
            self.base.value = float(args.get("base", self.base.value))
            self.price_weight.value = int(round(d.price_weight))
            self.draft_name.value = name
        finally:
            self._syncing = False
        self.draft.price_weight = float(d.price_weight)
        if self.cpv.value != d.cpv_code:
            self.cpv.value = d.cpv_code          # refreshes the suggestions
        self.render_items()
        self.save_message.value = self._message_html(f"Loaded the draft “{name}”.", "ok")

    def export(self) -> list[Path]:
        """Write the criteria document as DOCX and Markdown into the exports folder."""
        written = [save_draft_report(self.draft, self.library, fmt=fmt) for fmt in ("docx", "md")]
        self.export_message.value = self._message_html(
            "Saved the criteria document: " + ", ".join(str(p) for p in written), "ok")
        return written


def build_criteria_builder(cpv_code: str = PLAYGROUND_CPV, subject: str = PLAYGROUND_SUBJECT,
                           value_eur: float | None = PLAYGROUND_VALUE_EUR,
                           library: pd.DataFrame | None = None) -> CriteriaBuilder:
    """The live builder object (its `.widget` is what JupyterLab shows)."""
    return CriteriaBuilder(cpv_code, subject, value_eur, library)


def static_criteria_builder(cpv_code: str = PLAYGROUND_CPV, subject: str = PLAYGROUND_SUBJECT,
                            value_eur: float | None = PLAYGROUND_VALUE_EUR) -> list:
    """The headless view: the default draft as a table, its weights chart and its checks."""
    from IPython.display import HTML

    library = load_library()
    draft = default_draft(library, cpv_code, subject, value_eur)
    return [HTML(f"<b>Draft criteria for {escape_html(subject)} (CPV {escape_html(cpv_code)})</b>"),
            draft_table(draft, library), weights_figure(draft), HTML(issues_html(validate_draft(draft, library)))]


def criteria_builder(cpv_code: str = PLAYGROUND_CPV, subject: str = PLAYGROUND_SUBJECT,
                     value_eur: float | None = PLAYGROUND_VALUE_EUR) -> None:
    """Show the criteria builder (widgets in JupyterLab, the default draft headless)."""
    from helpers.ui.display import show_tool

    show_tool(lambda: build_criteria_builder(cpv_code, subject, value_eur).widget,
              lambda: static_criteria_builder(cpv_code, subject, value_eur))


# ================================================================ the evaluation simulator

def _source_options() -> list[tuple[str, str]]:
    options = [(f"Tender {t}: {tender_info(t)['title']}", f"tender:{t}") for t in featured_tenders()]
    return options + [("Brief example: bids A and B", EXAMPLE_AB), ("Brief example: bids A, B and C", EXAMPLE_ABC),
                      ("My bids (the form or an uploaded CSV below)", MINE)]


def _population(city: str) -> pd.DataFrame:
    """The bids of all of a city's tenders (for the R058 fence)."""
    from helpers.data import load_table

    tenders = load_table("tenders")
    ids = set(tenders.loc[tenders["city"].astype("str") == city, "tender_id"].astype("str"))
    bids = load_table("bids")
    return bids[bids["tender_id"].astype("str").isin(ids)]


class EvaluationSimulator:
    """The live simulator. `widget` is the box to display; controls and results are attributes."""

    def __init__(self, tender_id: str | None = PLAYGROUND_TENDER, price_weight: float | None = None,
                 city: str | None = None, remembered: bool = True) -> None:
        import ipywidgets as w

        from helpers.ui.display import guarded, message_html

        self._message_html = message_html
        self.message = w.HTML()
        self.message.add_class("spw-message-area")
        self._guard = guarded(lambda text, kind: setattr(self.message, "value", message_html(text, kind)))
        self.own_bids: pd.DataFrame | None = None
        self.figures: dict[str, go.Figure] = {}
        self._busy = False
        source = f"tender:{tender_id}" if tender_id else EXAMPLE_AB
        options = _source_options()
        if source not in [v for _, v in options]:
            tender_info(tender_id)           # a clear message for an unknown id
            raise LearnerError(f"tender {tender_id} has no quality marks in the course data",
                               fix="Use one of: " + ", ".join(featured_tenders()) + ", or None for the brief's example")
        self.city = city or (tender_info(tender_id)["city"] if tender_id else "portavera")
        wide = {"description_width": "initial"}
        self.source = w.Dropdown(options=options, value=source, description="Bids", style=wide,
                                 layout=w.Layout(width="620px"))
        self.bids_html, self.marks_html = w.HTML(), w.HTML()
        self.form = [(w.Text(placeholder="bidder", layout=w.Layout(width="220px")),
                      w.Text(placeholder="price (EUR)", layout=w.Layout(width="160px")),
                      w.Text(placeholder="quality 0-100", layout=w.Layout(width="140px"))) for _ in range(FORM_ROWS)]
        for (b, p, q), (_, row) in zip(self.form, BRIEF_BIDS.iterrows()):
            b.value, p.value, q.value = row["bidder"], f"{row['price']:.0f}", f"{row['quality_pct']:.2f}"
        self.use_form = w.Button(description="Use these bids", icon="check")
        self.upload = w.FileUpload(accept=".csv", multiple=False, description="Upload bids CSV",
                                   layout=w.Layout(width="220px"))
        self.bids_message = w.HTML()
        self.formula = w.Dropdown(options=list(FORMULAS), value="relative", description="Price formula", style=wide)
        self.lower = w.FloatText(description="lower bound EUR", style=wide, layout=w.Layout(width="260px"))
        self.upper = w.FloatText(description="upper bound EUR", style=wide, layout=w.Layout(width="260px"))
        self.base = w.BoundedFloatText(value=2.0, min=1.01, max=10, step=0.5, description="log base A", style=wide,
                                       layout=w.Layout(width="180px"))
        self.explanation = w.HTML()
        self.price_weight = w.IntSlider(value=40, min=0, max=100, description="Price weight", style=wide,
                                        continuous_update=False, layout=w.Layout(width="460px"))
        self.min_quality = w.IntSlider(value=0, min=0, max=100, description="Minimum quality %", style=wide,
                                       continuous_update=False, layout=w.Layout(width="460px"))
        self.winner = w.HTML()
        self.ranking = w.HTML()
        self.ranking_chart, self.sensitivity_chart = w.Output(), w.Output()
        self.sensitivity = w.HTML()
        self.reversal_formula = w.ToggleButtons(options=["relative", "log"], value="relative",
                                                description="Demo formula", style=wide)
        self.bid_c = w.Checkbox(value=True, description="Bid C enters (quality 10 of 60, EUR 50,000)", indent=False)
        self.reversal = w.HTML()
        self.abnormal = w.HTML()
        self.remember = w.Button(description="Remember settings", icon="save")
        self.remember_message = w.HTML()
        for control, css in ((self.source, "spw-bids-source"), (self.bids_html, "spw-bids"),
                             (self.marks_html, "spw-marks"), (self.use_form, "spw-use-form"),
                             (self.upload, "spw-upload"), (self.bids_message, "spw-bids-message"),
                             (self.formula, "spw-formula"), (self.lower, "spw-lower"), (self.upper, "spw-upper"),
                             (self.base, "spw-log-base"), (self.explanation, "spw-formula-explanation"),
                             (self.price_weight, "spw-price-weight"), (self.min_quality, "spw-min-quality"),
                             (self.winner, "spw-winner"), (self.ranking, "spw-ranking"),
                             (self.ranking_chart, "spw-ranking-chart"), (self.sensitivity, "spw-sensitivity"),
                             (self.sensitivity_chart, "spw-sensitivity-chart"),
                             (self.reversal_formula, "spw-reversal-formula"), (self.bid_c, "spw-bid-c"),
                             (self.reversal, "spw-reversal"), (self.abnormal, "spw-abnormally-low"),
                             (self.remember, "spw-remember"), (self.remember_message, "spw-remember-message")):
            control.add_class(css)
        for n, boxes in enumerate(self.form, start=1):
            for box in boxes:
                box.add_class("spw-form-cell")
        self._apply_source(price_weight)
        if remembered:              # settings the learner chose to remember win over the defaults
            self._restore(price_weight)
        g = self._guard
        self.source.observe(g(lambda change: None if self._busy else self._source_changed()), names="value")
        for control in (self.formula, self.lower, self.upper, self.base, self.price_weight, self.min_quality):
            control.observe(g(lambda change: None if self._busy else self.refresh()), names="value")
        for control in (self.reversal_formula, self.bid_c):
            control.observe(g(lambda change: self.refresh_reversal()), names="value")
        self.use_form.on_click(g(lambda _: self.use_form_bids()))
        self.upload.observe(g(lambda change: self._on_upload()), names="value")
        self.remember.on_click(g(lambda _: self.remember_settings()))

        def h(text: str):
            return w.HTML(f"<h4 style='margin:10px 0 4px 0'>{escape_html(text)}</h4>")

        form_rows = [w.HBox(list(boxes)) for boxes in self.form]
        self.widget = w.VBox([
            self.message, h("1. The bids"), self.source, self.bids_html, self.marks_html,
            w.Accordion(children=[w.VBox([w.HTML("One row per bid: bidder, price in EUR, quality as % of the "
                                                 "maximum quality points (0–100). Empty rows are skipped.")]
                                         + form_rows + [self.use_form,
                                                        w.HTML("or upload a CSV file with the columns bidder, "
                                                               "price, quality (it is only read):"), self.upload,
                                                        self.bids_message])],
                        titles=("Your own bids",)),
            h("2. Price formula and weights"), w.HBox([self.formula, self.lower, self.upper, self.base]),
            self.explanation, self.price_weight, self.min_quality,
            h("3. Ranking"), self.winner, self.ranking, self.ranking_chart,
            h("4. How the winner depends on the price weight"), self.sensitivity, self.sensitivity_chart,
            h("5. Rank reversal: the brief's bids A, B and C"), w.HBox([self.reversal_formula, self.bid_c]),
            self.reversal,
            h("6. Abnormally low tenders"), self.abnormal,
            w.HBox([self.remember, self.remember_message])])
        self.widget.add_class("spw-evaluation-simulator")
        g(self.refresh)()
        g(self.refresh_reversal)()

    # ------------------------------------------------------------ bids

    def tender_id(self) -> str | None:
        value = self.source.value
        return value.split(":", 1)[1] if value.startswith("tender:") else None

    def bids(self) -> pd.DataFrame:
        """The bids being scored."""
        value = self.source.value
        if value == EXAMPLE_AB:
            return example_bids(False)
        if value == EXAMPLE_ABC:
            return example_bids(True)
        if value == MINE:
            if self.own_bids is None:
                raise LearnerError("you have not entered your own bids yet",
                                   fix="Open 'Your own bids', fill the form and click 'Use these bids', or upload a CSV")
            return self.own_bids
        return tender_bids(self.tender_id())

    def _apply_source(self, price_weight: float | None = None) -> None:
        """Set the bounds, price weight and tables for the chosen bids (no refresh)."""
        self._busy = True
        try:
            tid = self.tender_id()
            info = tender_info(tid) if tid else {}
            bids = self.bids()
            self.lower.value, self.upper.value = linear_bounds(bids, info.get("estimated_value_eur"))
            weight = price_weight if price_weight is not None else info.get("price_weight", 40)
            self.price_weight.value = int(round(float(weight)))
            shown = bids.assign(price=bids["price"].map(lambda v: f"{v:,.2f}"),
                                quality_pct=bids["quality_pct"].round(2))
            self.bids_html.value = (f"<div class='spw-bids-table'><b>{len(bids)} bids</b>"
                                    + (f" for {escape_html(tid)} (published price weight "
                                       f"{escape_html(info.get('price_weight'))})" if tid else "")
                                    + html_table(shown) + "</div>")
            marks = tender_marks(tid) if tid else pd.DataFrame()
            scale = ", ".join(f"{k} {v}" for k, v in QUALITY_SCALE.items())
            self.marks_html.value = ("" if marks.empty else
                                     "<div class='spw-marks-table'><b>Quality marks (0–5: "
                                     f"{escape_html(scale)}); points = mark ÷ 5 × weight</b>"
                                     + html_table(marks_table(marks)) + "</div>")
        finally:
            self._busy = False

    def _source_changed(self) -> None:
        self._apply_source()
        self.refresh()

    def use_bids(self, bids: pd.DataFrame, label: str) -> None:
        """Score the learner's own bids (already checked)."""
        self.own_bids = bids
        self._busy = True
        self.source.value = MINE
        self._busy = False
        self._apply_source(self.price_weight.value)
        self.bids_message.value = self._message_html(f"Using {len(bids)} bids from {label}.", "ok")
        self.refresh()

    def use_form_bids(self) -> None:
        rows = [(b.value, p.value, q.value) for b, p, q in self.form]
        try:
            bids = bids_from_form(rows)
        except LearnerError as exc:
            self.bids_message.value = self._message_html(str(exc), "error")
            return
        self.use_bids(bids, "the form")

    def upload_bids(self, name: str, content: bytes) -> pd.DataFrame | None:
        """Check an uploaded CSV; use it if it is good, else show the problem (the file is only read)."""
        try:
            bids = read_uploaded_bids(name, content)
        except LearnerError as exc:
            self.bids_message.value = self._message_html(str(exc), "error")
            return None
        self.use_bids(bids, f"{Path(str(name)).name}")
        return bids

    def _on_upload(self) -> None:
        files = self.upload.value
        if files:
            self.upload_bids(str(files[0]["name"]), bytes(files[0]["content"]))

    # ------------------------------------------------------------ results

    def formula_args(self) -> dict:
        if self.formula.value == "linear":
            return {"lower": float(self.lower.value), "upper": float(self.upper.value)}
        if self.formula.value == "log":
            return {"base": float(self.base.value)}
        return {}

    def min_quality_pct(self) -> float | None:
        return float(self.min_quality.value) or None

    def scored(self) -> pd.DataFrame:
        return score_bids(self.bids(), self.price_weight.value, self.formula.value,
                          min_quality_pct=self.min_quality_pct(), **self.formula_args())

    def refresh(self) -> None:
        """Recompute the ranking, the charts, the winning ranges and the abnormally-low checks."""
        from IPython.display import display

        if self._busy:
            return
        self.message.value = ""
        for box, shown in ((self.lower, self.formula.value == "linear"), (self.upper, self.formula.value == "linear"),
                           (self.base, self.formula.value == "log")):
            box.layout.display = None if shown else "none"
        self.explanation.value = (f"<div class='spw-explanation'>{escape_html(FORMULA_EXPLANATIONS[self.formula.value])}"
                                  "</div>")
        bids, weight, args, minimum = self.bids(), self.price_weight.value, self.formula_args(), self.min_quality_pct()
        scored = self.scored()
        self.last_scored = scored
        self.winner.value = f"<div class='spw-winner-line'><b>{escape_html(winner_sentence(scored, weight))}</b></div>"
        self.ranking.value = f"<div class='spw-ranking-table'>{html_table(ranking_table(scored))}</div>"
        ranges = winning_ranges(bids, self.formula.value, minimum, **args)
        self.last_ranges = ranges
        self.sensitivity.value = ("<div class='spw-sensitivity-table'>Each bidder's range of price weights in which "
                                  "it ranks first (quality = 100 − price):"
                                  + html_table(ranges[["bidder", "wins_from", "wins_to", "meaning"]]) + "</div>")
        self.figures = {"scores": scores_figure(scored, weight),
                        "sensitivity": sensitivity_figure(bids, self.formula.value, weight, minimum, **args)}
        for out, key in ((self.ranking_chart, "scores"), (self.sensitivity_chart, "sensitivity")):
            out.clear_output(wait=True)
            with out:
                display(self.figures[key])
        from helpers.data import city_info

        self.abnormal.value = abnormally_low_html(bids, scored, _population(self.city), city_info(self.city)["name"])

    def refresh_reversal(self) -> None:
        table = rank_reversal_table(self.reversal_formula.value, 40)
        shown = table if self.bid_c.value else table.iloc[:1]
        self.reversal.value = ("<div class='spw-reversal-table'>Quality 60 points, price 40 points. "
                               + html_table(shown.astype(object).fillna("–")) + "</div>")

    # ------------------------------------------------------------ settings

    def settings(self) -> dict:
        return {"source": self.source.value, "formula": self.formula.value, "price_weight": self.price_weight.value,
                "min_quality": self.min_quality.value, "lower": self.lower.value, "upper": self.upper.value,
                "base": self.base.value}

    def remember_settings(self) -> dict:
        """Save the current settings in the progress store (tool 'simulator'); say where."""
        from helpers.learning.progress import store

        progress, settings = store(), self.settings()
        progress.save_settings("simulator", settings)
        self.remember_message.value = self._message_html(
            f"Remembered these settings in {progress.path}; they are used when you open the simulator again.", "ok")
        return settings

    def _restore(self, price_weight: float | None) -> None:
        from helpers.learning.progress import store

        saved = store().load_settings("simulator")
        if not saved or saved.get("source") != self.source.value:
            return
        self._busy = True
        try:
            self.formula.value = saved.get("formula", "relative") if saved.get("formula") in FORMULAS else "relative"
            for control, key in ((self.min_quality, "min_quality"), (self.lower, "lower"), (self.upper, "upper"),
                                 (self.base, "base")):
                if isinstance(saved.get(key), (int, float)):
                    control.value = saved[key]
            if isinstance(saved.get("price_weight"), (int, float)):
                self.price_weight.value = int(saved["price_weight"])
        finally:
            self._busy = False
        self.remember_message.value = self._message_html(
            f"Using the settings you remembered (price weight {self.price_weight.value}, {self.formula.value} "
            "formula); change them freely, and click 'Remember settings' to keep new ones.", "info")


def abnormally_low_html(bids: pd.DataFrame, scored: pd.DataFrame, population: pd.DataFrame, city: str) -> str:
    """Article 69's steps, the course-design screen and the R058 gap of the current winner."""
    checks = abnormally_low_checks(bids, scored, population)
    screen = checks["screen"]
    asked = screen[screen["ask_for_explanation"]]["bidder"].astype("str").tolist()
    steps = "".join(f"<li>{escape_html(s)}</li>" for s in ARTICLE_69_STEPS)
    screen_shown = screen.assign(median_price=screen["median_price"].round(2),
                                 below_median_pct=screen["below_median_pct"].round(1))
    gap = checks["gap"]
    gap_text = ("There is no second bid, so there is no gap." if gap is None else
                f"The gap between the winning bid and the second-lowest valid price is {100 * gap:.1f}% "
                f"(negative when the winner is not the cheapest); the R058 fence over {escape_html(city)}'s past tenders is "
                f"{100 * checks['fence']:.1f}%: " + ("<b>flagged as a heavily discounted bid</b>: look closer and "
                                                     "ask for an explanation." if checks["flagged"] else "not flagged."))
    return ("<div class='spw-abnormal'><b>Article 69 of Directive 2014/24/EU (in the course's words):</b>"
            f"<ol>{steps}</ol>The Directive sets no number: the buyer decides case by case.<br>"
            f"<b>Course-design screen</b> (not law): a bid more than {EXPLANATION_SCREEN_PCT:g}% below the median "
            "price is put on the 'ask for an explanation' list: "
            + (escape_html(", ".join(asked)) if asked else "no bid here") + "."
            + html_table(screen_shown.drop(columns=[c for c in ("tender_id",) if c in screen_shown]))
            + f"<b>OCP Cardinal R058</b>: {gap_text}"                # numbers, fixed words and the escaped city
            "<br>A flag is a prompt to ask, never a reason to reject on its own.</div>")


def build_evaluation_simulator(tender_id: str | None = PLAYGROUND_TENDER, price_weight: float | None = None,
                               city: str | None = None) -> EvaluationSimulator:
    """The live simulator object (its `.widget` is what JupyterLab shows)."""
    return EvaluationSimulator(tender_id, price_weight, city)


def static_evaluation_simulator(tender_id: str | None = PLAYGROUND_TENDER, price_weight: float | None = None,
                                city: str | None = None) -> list:
    """The headless view: the winner, the ranking, its chart, the winning ranges and their chart."""
    from IPython.display import HTML

    bids = tender_bids(tender_id) if tender_id else example_bids(False)
    weight = float(price_weight if price_weight is not None else
                   (tender_info(tender_id)["price_weight"] if tender_id else 40))
    scored = score_bids(bids, weight)
    ranges = winning_ranges(bids)
    label = f"Tender {tender_id}" if tender_id else "The brief's example bids A and B"
    return [HTML(f"<b>{escape_html(label)}, relative formula. {escape_html(winner_sentence(scored, weight))}</b>"),
            ranking_table(scored), scores_figure(scored, weight), ranges[["bidder", "wins_from", "wins_to", "meaning"]],
            sensitivity_figure(bids, "relative", weight)]


def evaluation_simulator(tender_id: str | None = PLAYGROUND_TENDER, price_weight: float | None = None,
                         city: str | None = None) -> None:
    """Show the evaluation simulator for a featured tender (None: the brief's example bids A and B)."""
    from helpers.ui.display import show_tool

    show_tool(lambda: build_evaluation_simulator(tender_id, price_weight, city).widget,
              lambda: static_evaluation_simulator(tender_id, price_weight, city))
