"""Module 5's past-tender health check: each red flag on its boundary, the legal minimums, the summary and
the shipped tenders."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from helpers.core.errors import LearnerError
from helpers.data import load_table
from helpers.preprocurement.legal_minimums import legal_minimum_days
from helpers.preprocurement.red_flags import FLAG_CAVEAT, health_summary, tender_flags


def tender(tid, procedure="open", days=40, n=3, category="services"):
    pub = dt.date(2025, 1, 1)
    return {
        "tender_id": tid,
        "procedure": procedure,
        "main_category": category,
        "publication_date": pub,
        "submission_deadline": pub + dt.timedelta(days),
        "number_of_tenderers": n,
        "status": "complete",
    }


NO_BIDS = pd.DataFrame(columns=["tender_id", "lot", "bidder_id", "price_eur", "status", "winner"])


def test_r003_short_period_on_the_boundary():
    flags = tender_flags(
        pd.DataFrame(
            [
                tender("A", days=14),
                tender("B", days=15),
                tender("C", procedure="negotiated_without_publication", days=10),
            ]
        ),
        NO_BIDS,
    )
    assert flags["R003"].tolist() == [True, False, False]
    assert tender_flags(pd.DataFrame([tender("B", days=15)]), NO_BIDS, r003_days=16)["R003"].item()


def test_below_legal_minimum_open_and_restricted():
    frame = pd.DataFrame(
        [
            tender("A", days=29),
            tender("B", days=30),
            tender("R1", "restricted", days=29),  # requests to participate: 30 days from the notice, Art. 28(1)
            tender("R2", "restricted", days=30),
            tender("N", "competitive_dialogue", days=5),
        ]
    )
    flags = tender_flags(frame, NO_BIDS)
    assert flags["below_legal_minimum"].tolist() == [True, False, True, False, False]
    no_e = tender_flags(pd.DataFrame([tender("A", days=34), tender("B", days=35)]), NO_BIDS, e_submission=False)
    assert no_e["below_legal_minimum"].tolist() == [True, False]
    assert (legal_minimum_days("open"), legal_minimum_days("open", False), legal_minimum_days("restricted")) == (
        30,
        35,
        30,
    )


def test_r018_single_bid_only_for_open_and_restricted():
    frame = pd.DataFrame(
        [
            tender("A", n=1),
            tender("B", n=2),
            tender("C", "restricted", n=1),
            tender("D", "negotiated_without_publication", n=1),
            tender("E", n=None),
        ]
    )
    bids = pd.DataFrame(
        {"tender_id": ["E"], "lot": [1], "bidder_id": ["x"], "price_eur": [10.0], "status": ["valid"], "winner": [True]}
    )
    flags = tender_flags(frame, bids)
    assert flags["R018"].tolist() == [True, False, True, False, True]  # E: count taken from its one bid
    assert flags.loc[4, "number_of_tenderers"] == 1


def _gap_bids(gaps):
    rows = []
    for i, second in enumerate(gaps):
        tid = f"T{i}"
        rows += [
            {"tender_id": tid, "lot": 1, "bidder_id": "w", "price_eur": 100.0, "status": "valid", "winner": True},
            {"tender_id": tid, "lot": 1, "bidder_id": "s", "price_eur": second, "status": "valid", "winner": False},
            {
                "tender_id": tid,
                "lot": 1,
                "bidder_id": "d",
                "price_eur": 300.0,
                "status": "disqualified",
                "winner": False,
            },
        ]
    return pd.DataFrame(rows)


@pytest.mark.parametrize("last_second, flagged", [(110.0, True), (109.9, False)])
def test_r058_fence_boundary(last_second, flagged):
    # gaps 5%, 5%, 5%, 7%, 7%, 7%, x: Q1 = 5%, Q3 = 7%, fence = 7% + 1.5 x 2% = 10% (brief §4.9 example)
    seconds = [105.0, 105.0, 105.0, 107.0, 107.0, 107.0, last_second]
    frame = pd.DataFrame([tender(f"T{i}") for i in range(7)])
    flags = tender_flags(frame, _gap_bids(seconds))
    assert flags.attrs["r058_fence"] == pytest.approx(0.10)
    assert flags["R058"].tolist() == [False] * 6 + [flagged]
    assert flags.loc[6, "winning_gap"] == pytest.approx((last_second - 100) / 100)


def test_r058_skips_winners_that_are_not_the_lowest_and_small_samples():
    bids = _gap_bids([105.0, 105.0, 105.0, 107.0, 107.0, 107.0, 150.0])
    bids.loc[(bids["tender_id"] == "T6") & (bids["bidder_id"] == "s"), "price_eur"] = 90.0  # winner not lowest
    flags = tender_flags(pd.DataFrame([tender(f"T{i}") for i in range(7)]), bids)
    assert pd.isna(flags.loc[6, "winning_gap"]) and not flags["R058"].any()
    few = tender_flags(pd.DataFrame([tender(f"T{i}") for i in range(3)]), _gap_bids([105.0, 107.0, 200.0]))
    assert not few["R058"].any()  # fewer than 4 gaps: not computed


def test_winner_read_from_text_csv_values():
    bids = _gap_bids([105.0, 105.0, 105.0, 107.0, 107.0, 107.0, 110.0]).astype({"winner": "str"})
    bids["winner"] = bids["winner"].str.lower()
    flags = tender_flags(pd.DataFrame([tender(f"T{i}") for i in range(7)]), bids)
    assert flags["R058"].tolist() == [False] * 6 + [True]


def test_flags_explain_and_summary_counts():
    frame = pd.DataFrame(
        [
            tender("A", days=10, n=1),
            tender("B", n=4),
            tender("C", n=2),
            tender("D", "restricted", n=1, category="works"),
            tender("E", n=None),
        ]
    )
    flags = tender_flags(frame, NO_BIDS)
    assert "less than 15 days" in flags.loc[0, "reasons"] and "Only one bidder" in flags.loc[0, "reasons"]
    assert flags.loc[1, "reasons"] == ""
    summary = health_summary(flags).set_index(["main_category", "procedure"])
    services = summary.loc[("services", "open")]
    # services/open: A (1 bidder), B (4), C (2), E (unknown): single-bid 1 of 3 known, flagged 1 of 4
    assert (services["tenders"], services["with_bidder_count"]) == (4, 3)
    assert services["single_bid_rate_pct"] == pytest.approx(33.3)
    assert services["mean_bidders"] == pytest.approx(2.33)
    assert services["flagged_pct"] == 25.0
    everything = summary.loc[("all", "all")]
    assert (everything["tenders"], everything["R018"], everything["flagged_pct"]) == (5, 2, 40.0)
    assert "question, not a verdict" in FLAG_CAVEAT


def test_missing_columns_are_learner_errors():
    with pytest.raises(LearnerError, match="number_of_tenderers"):
        tender_flags(pd.DataFrame([tender("A")]).drop(columns="number_of_tenderers"), NO_BIDS)
    with pytest.raises(LearnerError, match="winner"):
        tender_flags(pd.DataFrame([tender("A")]), NO_BIDS.drop(columns="winner"))


def test_shipped_tenders_flag_counts_are_plausible():
    flags = tender_flags(load_table("tenders"), load_table("bids"))
    # the generator makes ~6% of open tenders short (8-14 days): each is both R003 and below the minimum
    assert flags["R003"].sum() == flags["below_legal_minimum"].sum() > 0
    assert flags["R058"].sum() >= 1
