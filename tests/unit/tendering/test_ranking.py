"""Module 6 ranking: the playground ranking in words, the winner switch, the brief's rank reversal."""

from __future__ import annotations

from pathlib import Path

from helpers.tendering.bids import tender_bids
from helpers.tendering.evaluation import score_bids
from helpers.tendering.ranking import (
    price_weight_where_winner_changes,
    rank_reversal_table,
    ranking_lines,
    reversal_lines,
    winner_at,
)

BIDS = Path(__file__).resolve().parents[2] / "fixtures" / "bids"


def test_playground_ranking_at_40_and_70():
    bids = tender_bids("PV-T-2025-017")
    scored = score_bids(bids, 40)
    # Juegos: 40 × 965,000 / 1,085,000 + 51 = 86.58; Ludoteca: 40 × 965/1,180 + 53 = 85.71
    assert ranking_lines(scored).splitlines()[:2] == [
        "1. Juegos del Puerto S.L.: 86.58 (price 35.58 + quality 51.00)",
        "2. Ludoteca Costa Alta Coop.: 85.71 (price 32.71 + quality 53.00)",
    ]
    assert winner_at(bids, 70) == "PlayForm Europe B.V."  # 70 + 30 × 0.6167 = 88.50
    assert price_weight_where_winner_changes() == 67.8


def test_rank_reversal_table_is_the_briefs():
    table = rank_reversal_table("relative")
    assert table[["A", "B", "C"]].fillna(-1).values.tolist() == [[80.0, 78.77, -1], [60.0, 63.38, 50.0]]
    assert list(table["winner"]) == ["A", "B"]
    assert reversal_lines(rank_reversal_table("log")).splitlines() == [
        "A and B only: A 80.00, B 72.86 → A wins",
        "C enters (quality 10, EUR 50k): A 40.00, B 32.86, C 50.00 → C wins",
    ]
