from __future__ import annotations

import pytest

from helpers.tendering import example_bids, rank_reversal_table, ranking_lines, reversal_lines, score_bids, tender_bids
from tests.notebooks.runner import run_notebook

pytestmark = pytest.mark.notebook


def plotly_titles(run) -> list[str]:
    return [
        out["data"]["application/vnd.plotly.v1+json"]["layout"]["title"]["text"]
        for cell in run.nb.cells
        if cell.cell_type == "code"
        for out in cell.get("outputs", [])
        if "application/vnd.plotly.v1+json" in out.get("data", {})
    ]


def test_tendering_defaults_rank_the_playground_bids():
    run = run_notebook("06")
    assert "ERROR" not in run.text
    key = run.cell_text("keep-output")
    bids = tender_bids("PV-T-2025-017")
    assert ranking_lines(score_bids(bids, 40)) in key
    # by hand: Juegos 40 × 965/1,085 + 51 = 86.58; Ludoteca 40 × 965/1,180 + 53 = 85.71
    assert "1. Juegos del Puerto S.L.: 86.58 (price 35.58 + quality 51.00)" in key
    assert "2. Ludoteca Costa Alta Coop.: 85.71 (price 32.71 + quality 53.00)" in key
    assert "A and B only: A 80.00, B 78.77 → A wins" in key
    assert "C enters (quality 10, EUR 50k): A 60.00, B 63.38, C 50.00 → B wins" in key
    assert reversal_lines(rank_reversal_table("relative")) in key
    assert "Using tender PV-T-2025-017 (published price weight 40)." in run.text
    assert plotly_titles(run) == [
        "Award weights in the draft: 100 of 100 points",
        "Scores at price weight 40: Juegos del Puerto S.L. wins",
        "Total score against the price weight (relative formula)",
    ]
    assert "No problems found" in run.text  # the default draft's checks
    assert "Portavera 2025: 34 tenders" in run.text


def test_tendering_price_weight_70_prints_score_bids_ranking():
    run = run_notebook("06", price_weight=70)
    assert "ERROR" not in run.text
    expected = ranking_lines(score_bids(tender_bids("PV-T-2025-017"), 70))
    assert expected.startswith("1. PlayForm Europe B.V.: 88.50")  # 70 + 30 × 37/60
    assert "Price weight 70, quality 30:\n" + expected in run.text
    assert "Scores at price weight 70: PlayForm Europe B.V. wins" in plotly_titles(run)
    # the key result keeps the tender's own settings
    assert "1. Juegos del Puerto S.L.: 86.58" in run.cell_text("keep-output")


def test_tendering_runs_for_valmora_2024_with_the_briefs_bids():
    run = run_notebook("06", city="valmora", year=2024)
    assert "ERROR" not in run.text
    assert "Valmora has no featured tender with quality marks in the course data" in run.text
    key = run.cell_text("keep-output")
    assert "Course example bids A and B: relative formula, price weight 40" in key
    assert ranking_lines(score_bids(example_bids(), 40)) in key
    assert "1. A: 80.00 (price 40.00 + quality 40.00)" in key and "PV-T-" not in key
    assert "Valmora 2024: 5 tenders" in run.text
    assert "Scores at price weight 40: A wins" in plotly_titles(run)
