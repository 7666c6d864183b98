"""Life-cycle costing (Art. 68): discounting, each cost part, unknown costs, the course example and the own-bids
reader, with values computed by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from helpers.core.errors import LearnerError
from helpers.learning.registry import computation
from helpers.tendering import (
    annuity_factor,
    course_lcc_bids,
    discount_factor,
    lcc_case,
    lcc_ranking_lines,
    lcc_scope,
    lcc_summary,
    lcc_table,
    life_cycle_costs,
    read_lcc_bids,
    winners_by_rate,
)


def one_bid(**costs) -> pd.DataFrame:
    return pd.DataFrame([{"bidder": "A", **costs}])


def test_discount_and_annuity_factors_by_hand():
    assert discount_factor(4, 0) == 1.0
    assert discount_factor(4, 1) == pytest.approx(1 / 1.04)
    assert discount_factor(10, 2) == pytest.approx(1 / 1.21)
    # 1/1.05 + 1/1.05² + 1/1.05³ = 0.952381 + 0.907029 + 0.863838 = 2.723248
    assert annuity_factor(5, 3) == pytest.approx(2.723248, abs=1e-6)
    assert annuity_factor(0, 20) == 20.0


def test_each_cost_part_is_discounted_by_when_it_is_paid():
    bid = one_bid(
        acquisition=1000.0,
        energy_per_year=100.0,
        water_per_year=10.0,
        consumables_per_year=20.0,
        maintenance_per_year=50.0,
        end_of_life=200.0,
        externalities_per_year=5.0,
    )
    row = life_cycle_costs(bid, 3, 5).iloc[0]
    af, df3 = 2.723248, 1 / 1.05**3  # 0.863838
    assert row["acquisition"] == 1000.0  # paid at the start: not discounted
    assert row["energy_per_year"] == pytest.approx(100 * af, abs=1e-3)  # 272.325
    assert row["water_per_year"] == pytest.approx(27.232, abs=1e-3)
    assert row["consumables_per_year"] == pytest.approx(54.465, abs=1e-3)
    assert row["maintenance_per_year"] == pytest.approx(136.162, abs=1e-3)
    assert row["end_of_life"] == pytest.approx(200 * df3, abs=1e-3)  # 172.768
    assert row["externalities_per_year"] == pytest.approx(13.616, abs=1e-3)
    # 1000 + 185 × 2.723248 + 172.768 = 1676.569
    assert row["lcc"] == pytest.approx(1676.569, abs=1e-2)
    assert row["rank"] == 1 and row["status"] == "ranked"


def test_zero_rate_is_the_plain_sum_and_a_resale_value_lowers_the_cost():
    bid = one_bid(acquisition=1000.0, maintenance_per_year=100.0, end_of_life=-300.0)
    assert life_cycle_costs(bid, 10, 0)["lcc"].iloc[0] == 1000 + 1000 - 300


def test_energy_in_kwh_is_priced_and_without_a_price_is_unknown():
    bid = one_bid(acquisition=1000.0, energy_kwh_per_year=1000.0)
    assert life_cycle_costs(bid, 2, 0, energy_price=0.25)["lcc"].iloc[0] == 1000 + 2 * 250
    unpriced = life_cycle_costs(bid, 2, 0, energy_price=None).iloc[0]
    assert math.isnan(unpriced["lcc"]) and pd.isna(unpriced["rank"])
    assert unpriced["status"] == "unknown: energy not given"


def test_an_unknown_cost_leaves_the_bid_unranked_never_zero():
    bids = pd.DataFrame(
        {"bidder": ["A", "B", "C"], "acquisition": [100.0, 50.0, np.nan], "maintenance_per_year": [10.0, np.nan, 1.0]}
    )
    costs = life_cycle_costs(bids, 2, 0)
    assert costs["bidder"].tolist() == ["A", "B", "C"]
    assert costs["lcc"].iloc[0] == 120.0 and costs["rank"].iloc[0] == 1
    assert costs["lcc"].iloc[1:].isna().all() and costs["rank"].iloc[1:].isna().all()
    assert costs["missing"].tolist() == ["", "maintenance", "acquisition"]
    assert lcc_ranking_lines(costs) == (
        "1. A: EUR 120\n–. B: unknown (maintenance not given), not ranked\n"
        "–. C: unknown (acquisition not given), not ranked"
    )
    shown = lcc_table(costs)
    assert shown["life-cycle cost (present value)"].tolist() == ["EUR 120", "unknown", "unknown"]
    assert shown["maintenance"].tolist() == ["EUR 20", "unknown", "EUR 2"]
    scope = " ".join(lcc_scope(bids, 2, 0))
    assert "Not ranked (a cost is unknown, never taken as zero): B (maintenance); C (acquisition)" in scope
    assert "Not in these bids, so not counted for any bid: energy, water, consumables, end of life" in scope
    assert "Art. 68(2)" in scope


def test_settings_are_checked():
    with pytest.raises(LearnerError, match="whole number of years"):
        life_cycle_costs(one_bid(acquisition=1.0), 0, 4)
    with pytest.raises(LearnerError, match="discount rate"):
        life_cycle_costs(one_bid(acquisition=1.0), 10, 45)


# ---------------------------------------------------------------- the course example (synthetic, course design)


def test_course_example_by_hand_at_4_percent():
    bids = course_lcc_bids()
    assert bids["bidder"].tolist() == ["Lumen Ibérica S.A.", "Farola Clara S.L.", "NordLys Belysning A/S"]
    costs = life_cycle_costs(bids, 20, 4, energy_price=0.20).set_index("bidder")
    af, df = 13.590326, 0.456387  # 20 years at 4 %
    # NordLys: 830,000 + (280,000 × 0.20 + 10,000) × 13.590326 + 9,000 × 0.456387 = 1,731,069
    assert costs.loc["NordLys Belysning A/S", "lcc"] == pytest.approx(830_000 + 66_000 * af + 9_000 * df, abs=1)
    assert round(costs.loc["NordLys Belysning A/S", "lcc"]) == 1_731_069
    assert round(costs.loc["Farola Clara S.L.", "lcc"]) == 1_756_293  # 650,000 + 81,000 × af + 12,000 × df
    assert round(costs.loc["Lumen Ibérica S.A.", "lcc"]) == 1_831_517  # 520,000 + 96,000 × af + 15,000 × df
    assert computation("lcc-course-example-keur")() == 1731.1


def test_course_example_ranking_changes_with_the_discount_rate():
    bids = course_lcc_bids()
    first = {r: life_cycle_costs(bids, 20, r, 0.20)["bidder"].iloc[0] for r in (0, 4, 8, 10)}
    assert first == {
        0: "NordLys Belysning A/S",  # 2,159,000 undiscounted
        4: "NordLys Belysning A/S",
        8: "Farola Clara S.L.",
        10: "Lumen Ibérica S.A.",
    }
    runs = winners_by_rate(bids, 20, [x / 2 for x in range(21)], 0.20)
    assert [r[2] for r in runs] == ["NordLys Belysning A/S", "Farola Clara S.L.", "Lumen Ibérica S.A."]
    assert runs[0][:2] == (0.0, 5.5) and runs[1][:2] == (6.0, 9.5)
    sentence = lcc_summary(life_cycle_costs(bids, 20, 4, 0.20), bids, 4)
    assert sentence == (
        "At 4 %, NordLys Belysning A/S has the lowest life-cycle cost (EUR 1,731,069), EUR 25,224 below the next bid, "
        "although Lumen Ibérica S.A. is the cheapest to buy."
    )


# ---------------------------------------------------------------- the learner's own bids

AWKWARD = (
    "Bidder;Purchase price;Energy_kWh_per_year;Maintenance per year;End of life;Colour\n"
    "Alumbrado Añón S.L.;610.000,00;330.000;12.500,50;-4.000;blue\n"
    "Luz Norte;abc;300000;unknown;8000;red\n"
    "Faroles Sur;700.000;;11000;9000;\n"
).encode("cp1252")


def test_an_awkward_own_file_is_read_with_unknowns_and_line_numbers():
    bids, issues = read_lcc_bids("propuestas.csv", AWKWARD)
    assert bids.columns.tolist() == [
        "bidder",
        "acquisition",
        "maintenance_per_year",
        "end_of_life",
        "energy_kwh_per_year",
    ]
    first = bids.iloc[0]
    assert (
        first["acquisition"],
        first["energy_kwh_per_year"],
        first["maintenance_per_year"],
        first["end_of_life"],
    ) == (
        610000.0,
        330000.0,  # the file writes 1.234,50 elsewhere, so 330.000 is 330,000
        12500.5,
        -4000.0,
    )
    assert math.isnan(bids.iloc[1]["acquisition"]) and math.isnan(bids.iloc[1]["maintenance_per_year"])
    assert math.isnan(bids.iloc[2]["energy_kwh_per_year"])
    texts = [str(i) for i in issues]
    assert "propuestas.csv, line 3: the acquisition 'abc' is not a number; it is taken as unknown" in texts[1]
    assert "the column 'Colour' is not a cost part and is not used" in texts[0]
    costs = life_cycle_costs(bids, 20, 4, 0.20)
    assert costs["bidder"].iloc[0] == "Alumbrado Añón S.L." and costs["lcc"].notna().sum() == 1
    # 610,000 + (330,000 × 0.20 + 12,500.50) × 13.590326 − 4,000 × 0.456387
    assert costs["lcc"].iloc[0] == pytest.approx(610_000 + 78_500.5 * 13.590326 - 4_000 * 0.456387, abs=1)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"name,colour\n", "no cost column"),
        (b"supplier,acquisition\nA,1\n", "no column 'bidder'"),
        (b"bidder,acquisition\nA,1\nA,2\n", "appears twice"),
        (b"bidder,acquisition\n,1\n", "name is empty"),
        (b"", "empty"),
    ],
)
def test_a_file_that_cannot_be_used_says_why(content, message):
    with pytest.raises(LearnerError, match=message):
        read_lcc_bids("bids.csv", content)


def test_a_negative_running_cost_is_refused_as_unknown():
    bids, issues = read_lcc_bids("b.csv", b"bidder,acquisition,maintenance_per_year\nA,100,-5\n")
    assert math.isnan(bids["maintenance_per_year"].iloc[0])
    assert "negative" in str(issues[0]) and issues[0].line == 2


def test_lcc_case_falls_back_to_the_course_example_and_says_why(tmp_path):
    case = lcc_case(tmp_path / "missing.csv")
    assert not case.own and len(case.bids) == 3 and case.energy_price == 0.20
    assert case.summary.startswith("Your bids could not be used:") and "goes on with the course example" in case.summary
    own = tmp_path / "mine.csv"
    own.write_bytes(AWKWARD)
    mine = lcc_case(own, discount_rate_pct=6)
    assert mine.own and mine.energy_price is None and mine.discount_rate_pct == 6.0
    assert mine.summary == "Using your bids from mine.csv (3 bids)."
    assert own.read_bytes() == AWKWARD  # only read
