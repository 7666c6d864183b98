"""Module 6, reading a ranking: who wins at a price weight, the ranking in words, the winning
range of each bidder over the price weight, the brief's rank-reversal demo, and the
abnormally-low checks of the current winner. Pure functions over `evaluation`'s tables.
"""

from __future__ import annotations

import pandas as pd

from helpers.core.errors import LearnerError
from helpers.core.fmt import money
from helpers.learning.registry import self_check
from helpers.tendering.bids import PLAYGROUND_TENDER, example_bids, tender_bids
from helpers.tendering.evaluation import explanation_requests, r058_fence, score_bids, tender_gaps, weight_sensitivity


def winner_at(bids: pd.DataFrame, price_weight: float, formula: str = "relative", **formula_args) -> str:
    """The bidder ranked first (ties: the names joined with ' and ')."""
    scored = score_bids(bids, price_weight, formula, **formula_args)
    return " and ".join(scored.loc[scored["rank"] == 1, "bidder"].astype("str"))


def ranking_table(scored: pd.DataFrame) -> pd.DataFrame:
    """`score_bids`' result in the learner's words, rounded to two decimals."""
    return pd.DataFrame(
        {
            "rank": scored["rank"].map(lambda r: "–" if pd.isna(r) else str(int(r))),
            "bidder": scored["bidder"],
            "price (EUR)": scored["price"].map(lambda v: money(v, None)),
            "price points": scored["price_points"].round(2),
            "quality points": scored["quality_points"].round(2),
            "total": scored["total"].round(2),
            "excluded because": scored["excluded_reason"],
        }
    )


def ranking_lines(scored: pd.DataFrame) -> str:
    """The ranking as short lines of text ('1. Juegos del Puerto S.L.: 86.58 (price 35.58 + quality 51.00)')."""
    lines = []
    for row in scored.itertuples(index=False):
        if row.excluded_reason:
            lines.append(f"–. {row.bidder}: excluded ({row.excluded_reason})")
        else:
            lines.append(
                f"{int(row.rank)}. {row.bidder}: {row.total:.2f} "
                f"(price {row.price_points:.2f} + quality {row.quality_points:.2f})"
            )
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
        text += (
            f", tied with {second['bidder']}"
            if abs(gap) < 0.005
            else f", {gap:.2f} ahead of {second['bidder']} ({second['total']:.2f})"
        )
    return text + "."


def rank_reversal_table(formula: str = "relative", price_weight: float = 40, base: float = 2.0) -> pd.DataFrame:
    """The brief's example (§4.3): totals of A and B alone, then with C, and the winner each time."""
    args = {"base": base} if formula == "log" else {}
    if formula not in ("relative", "log"):
        raise LearnerError(
            "the rank-reversal demo compares the relative and the log formula", fix="Choose relative or log"
        )
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


def winning_ranges(
    bids: pd.DataFrame, formula: str = "relative", min_quality_pct: float | None = None, **formula_args
) -> pd.DataFrame:
    """Each bidder's range(s) of price weight where it ranks first, with a sentence per bidder."""
    ranges = weight_sensitivity(bids, formula, min_quality_pct=min_quality_pct, **formula_args)

    def say(row) -> str:
        if pd.isna(row.wins_from):
            return "never ranks first at any price weight"
        return f"ranks first from {row.wins_from:.1f} to {row.wins_to:.1f}"

    return ranges.assign(
        wins_from=ranges["wins_from"].round(2),
        wins_to=ranges["wins_to"].round(2),
        meaning=[say(r) for r in ranges.itertuples(index=False)],
    )


@self_check("winner-switch-weight")
def price_weight_where_winner_changes(
    tender_id: str = PLAYGROUND_TENDER, bidder: str = "PlayForm Europe B.V."
) -> float:
    """The lowest price weight (one decimal) from which `bidder` ranks first in `tender_id` (relative formula)."""
    ranges = weight_sensitivity(tender_bids(tender_id))
    found = ranges[(ranges["bidder"] == bidder) & ranges["wins_from"].notna()]
    if found.empty:
        raise LearnerError(f"{bidder} never ranks first in {tender_id}")
    return round(float(found["wins_from"].min()), 1)


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
            ["tender_id", "bidder", "price", "winner"]
        ]
        gaps = tender_gaps(table)
        gap = float(gaps["gap"].iloc[0]) if len(gaps) else None
    return {"screen": screen, "fence": fence, "gap": gap, "flagged": gap is not None and gap >= fence}
