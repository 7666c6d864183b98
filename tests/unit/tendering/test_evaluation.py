"""Module 6 evaluation: the brief's worked examples (§4.2, §4.3, §4.9) reproduced exactly."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.core.errors import LearnerError
from helpers.tendering.evaluation import (
    ARTICLE_69_STEPS,
    LOG_EXPLANATION,
    abnormally_low_flags,
    explanation_requests,
    heavily_discounted,
    price_points_linear,
    price_points_log,
    price_points_relative,
    quality_points,
    r058_fence,
    ranking_by_price_weight,
    score_bids,
    tender_gaps,
    weight_sensitivity,
)

AB = pd.DataFrame({"bidder": ["A", "B"], "price": [100_000, 130_000], "quality_points": [40, 48]})
C = pd.DataFrame({"bidder": ["C"], "price": [50_000], "quality_points": [10]})
ABC = pd.concat([AB, C], ignore_index=True)


def totals(scored: pd.DataFrame) -> dict:
    return dict(zip(scored["bidder"], scored["total"].round(2)))


def winner(scored: pd.DataFrame) -> str:
    return scored.loc[scored["rank"] == 1, "bidder"].item()


def test_brief_4_2_negometrix_example_a_wins_despite_higher_price():
    # Experience 60, QA 40, Time 30, price 70: A 40+30+20 = 90 quality points, B 32+20+22 = 74.
    marks = pd.DataFrame(
        {
            "bidder": ["A"] * 3 + ["B"] * 3,
            "criterion": ["exp", "qa", "time"] * 2,
            "weight": [60, 40, 30] * 2,
            "mark": [40 / 60 * 5, 30 / 40 * 5, 20 / 30 * 5, 32 / 60 * 5, 20 / 40 * 5, 22 / 30 * 5],
        }
    )
    quality = quality_points(marks)
    assert dict(zip(quality["bidder"], quality["quality_points"].round(9))) == {"A": 90, "B": 74}
    bids = pd.DataFrame({"bidder": ["A", "B"], "price": [10_000, 8_000]}).merge(quality[["bidder", "quality_points"]])
    scored = score_bids(bids, 70, "relative", quality_weight=130)
    assert totals(scored) == {"A": 146.0, "B": 144.0}
    assert winner(scored) == "A"


def test_quality_points_mark_over_five_times_weight():
    marks = pd.DataFrame({"bidder_name": ["X", "X"], "criterion": ["a", "b"], "weight": [25, 20], "mark": [4, 5]})
    got = quality_points(marks).iloc[0]
    assert got["quality_points"] == 40 and got["max_quality_points"] == 45
    assert got["quality_pct"] == pytest.approx(100 * 40 / 45)
    with pytest.raises(LearnerError, match="mark from 0 to 5"):
        quality_points(marks.assign(mark=[4, 6]))


def test_brief_4_3_rank_reversal_under_the_relative_formula():
    two = score_bids(AB, 40, "relative")
    assert totals(two) == {"A": 80.00, "B": 78.77} and winner(two) == "A"
    three = score_bids(ABC, 40, "relative")
    assert totals(three) == {"A": 60.00, "B": 63.38, "C": 50.00} and winner(three) == "B"
    assert list(three["rank"]) == [1, 2, 3]


def test_brief_4_3_log_formula_keeps_the_gap_but_c_wins():
    two = score_bids(AB, 40, "log", base=2)
    three = score_bids(ABC, 40, "log", base=2)
    assert totals(two) == {"A": 80.00, "B": 72.86}
    assert totals(three) == {"A": 40.00, "B": 32.86, "C": 50.00}
    gap_two = totals(two)["A"] - totals(two)["B"]
    gap_three = totals(three)["A"] - totals(three)["B"]
    assert gap_two == pytest.approx(7.14, abs=0.005) and gap_three == pytest.approx(7.14, abs=0.005)
    assert winner(three) == "C"
    # B's price points are negative (130k is 2.6 × the lowest 50k > A = 2) and not floored.
    assert three.set_index("bidder").loc["B", "price_points"] == pytest.approx(-15.14, abs=0.005)
    assert "negative" in LOG_EXPLANATION


def test_price_formulas_by_hand():
    assert list(price_points_relative([100, 125, 200], 40)) == [40, 32, 20]
    # Linear from 100 (full) to 200 (zero): 150 → half; outside the bounds clipped to [0, max].
    assert list(price_points_linear([90, 150, 200, 260], 40, 100, 200)) == [40, 20, 0, 0]
    assert list(price_points_log([100, 200, 400], 40, base=2)) == pytest.approx([40, 0, -40])
    with pytest.raises(LearnerError, match="above 0"):
        price_points_relative([100, 0], 40)
    with pytest.raises(LearnerError, match="below the upper"):
        price_points_linear([100], 40, 200, 100)


def test_minimum_quality_exclusion_changes_the_lowest_price():
    bids = pd.DataFrame(
        {
            "bidder": ["A", "B", "C"],
            "price": [100_000, 130_000, 50_000],
            "quality_pct": [40 / 60 * 100, 80, 10 / 60 * 100],
        }
    )
    without = score_bids(bids, 40)
    assert winner(without) == "B"
    scored = score_bids(bids, 40, min_quality_pct=50).set_index("bidder")
    # C (16.7 %) is out before price is scored: A's 100k is now the lowest and earns all 40 price points.
    assert "below the minimum" in scored.loc["C", "excluded_reason"] and pd.isna(scored.loc["C", "rank"])
    assert scored.loc["A", "price_points"] == 40 and scored.loc["A", "total"] == pytest.approx(80.0)
    assert scored.loc["B", "total"] == pytest.approx(78.77, abs=0.005)
    assert scored.loc["A", "rank"] == 1


def test_ties_share_a_rank_and_invalid_bids_are_left_out():
    bids = pd.DataFrame(
        {
            "bidder": ["A", "B", "C", "D"],
            "price": [100, 100, 200, 50],
            "quality_pct": [50, 50, 10, 90],
            "status": ["valid", "valid", "valid", "disqualified"],
        }
    )
    scored = score_bids(bids, 50).set_index("bidder")
    assert scored.loc["A", "rank"] == 1 and scored.loc["B", "rank"] == 1 and scored.loc["C", "rank"] == 3
    assert scored.loc["A", "price_points"] == 50  # D (disqualified) does not set the lowest price
    assert "not a valid bid" in scored.loc["D", "excluded_reason"]


def test_weight_sensitivity_two_bidders_crossing_at_50():
    # A: price 100k, quality 60 %; B: 125k, 80 %. Relative: A = 60 + 0.4 W, B = 80 + 0 W → cross at W = 50.
    bids = pd.DataFrame({"bidder": ["A", "B"], "price": [100_000, 125_000], "quality_pct": [60, 80]})
    ranges = weight_sensitivity(bids).set_index("bidder")
    assert ranges.loc["B", "wins_from"] == 0 and ranges.loc["B", "wins_to"] == pytest.approx(50)
    assert ranges.loc["A", "wins_from"] == pytest.approx(50) and ranges.loc["A", "wins_to"] == 100
    assert winner(score_bids(bids, 49.9)) == "B" and winner(score_bids(bids, 50.1)) == "A"
    chart = ranking_by_price_weight(bids, step=25)
    at_50 = chart[chart["price_weight"] == 50]
    assert list(at_50["rank"]) == [1, 1]  # the tie at the crossing
    assert chart[(chart["price_weight"] == 75) & (chart["bidder"] == "A")]["total"].item() == pytest.approx(90)


def test_weight_sensitivity_three_bidders_one_never_wins():
    bids = pd.DataFrame(
        {
            "bidder": ["A", "B", "C"],
            "price": [100_000, 130_000, 50_000],
            "quality_pct": [40 / 60 * 100, 80, 10 / 60 * 100],
        }
    )
    ranges = weight_sensitivity(bids).set_index("bidder")
    # B = 80 − W(80 − 38.46)/100 … and C = 16.67 + W(1 − 0.1667): crossing at W = 63.33/(0.8333+0.4154).
    crossing = (80 - 100 / 6) / ((1 - 1 / 6) + (0.8 - 5 / 13))
    assert ranges.loc["B", "wins_to"] == pytest.approx(crossing) and ranges.loc["C", "wins_from"] == pytest.approx(
        crossing
    )
    assert pd.isna(ranges.loc["A", "wins_from"])


def test_r058_fence_brief_example():
    population = pd.Series([0.04, 0.05, 0.06, 0.07, 0.08])  # Q1 = 5 %, Q3 = 7 %
    fence = r058_fence(population)
    assert fence == pytest.approx(0.10)
    assert list(heavily_discounted(pd.Series([0.15, 0.09, 0.10]), fence)) == [True, False, True]


def test_abnormally_low_flags_over_tenders():
    rows = []
    for n, gap in enumerate([0.04, 0.05, 0.06, 0.07, 0.08, 0.15]):
        rows += [
            {"tender_id": f"T{n}", "bidder": "W", "price": 100.0, "status": "valid", "winner": "true"},
            {"tender_id": f"T{n}", "bidder": "S", "price": 100 * (1 + gap), "status": "valid", "winner": "false"},
            {"tender_id": f"T{n}", "bidder": "X", "price": 50.0, "status": "disqualified", "winner": "false"},
        ]
    flags = abnormally_low_flags(pd.DataFrame(rows), fence=0.10).set_index("tender_id")
    assert flags.loc["T0", "gap"] == pytest.approx(0.04)  # the disqualified 50 is not the second-lowest
    assert list(flags["heavily_discounted"]) == [False] * 5 + [True]


def test_explanation_requests_course_design_screen():
    bids = pd.DataFrame({"bidder": ["A", "B", "C", "D"], "price": [100, 110, 120, 70]})
    asked = explanation_requests(bids).set_index("bidder")  # median 105; D is 33 % below it
    assert asked.loc["D", "below_median_pct"] == pytest.approx(100 * 35 / 105)
    assert list(asked["ask_for_explanation"]) == [False, False, False, True]
    assert len(ARTICLE_69_STEPS) == 6 and "must ask" in ARTICLE_69_STEPS[0]


def test_tender_gaps_without_a_status_column():
    # fixed in evaluation.tender_gaps: a table with no status column used to fail (every bid counts as valid)
    gaps = tender_gaps(
        pd.DataFrame({"tender_id": ["T", "T"], "bidder": ["W", "S"], "price": [100.0, 115.0], "winner": [True, False]})
    )
    assert gaps["gap"].item() == pytest.approx(0.15)
