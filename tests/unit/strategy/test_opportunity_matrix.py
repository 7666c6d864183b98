"""Module 4's category opportunity matrix: shares, supplier counts and quadrants worked out by hand on a
tiny ledger, the thresholds' boundaries, the fallback without a register, and the real course data."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.core.errors import LearnerError
from helpers.strategy.opportunity_matrix import (
    MatrixThresholds,
    category_capacity,
    classify_categories,
    grow_candidates,
    matrix_in_brief,
    opportunity_matrix,
    quadrant_counts,
)

# Register as in test_suppliers: local suppliers in division 37 are A, B, C, D, H (D is large) -> 5 local,
# 4 local SMEs; division 45 has G (city, small) -> 1 and 1; divisions 90 and 22 have none.
from tests.unit.strategy.test_suppliers import GEOGRAPHY, REGISTER  # noqa: E402  (the same small register)

# Payments: 37 = city 35 - 5 (credit note) + region 10 + country 60 = 100, local 40 -> 40%.
# 45 = city 150 + abroad 50 = 200, local 75%.  90 = country 95 + city 5 = 100, local 5%.
# 22 = city 2 (0.5% of 402).  Total 402.
PAYMENTS = pd.DataFrame(
    {
        "amount": [35.0, -5.0, 10.0, 60.0, 150.0, 50.0, 95.0, 5.0, 2.0],
        "level": ["city", "city", "region", "country", "city", "abroad", "country", "city", "city"],
        "cpv_division": ["37", "37", "37", "37", "45", "45", "90", "90", "22"],
        "sector": [
            "37 Play",
            "37 Play",
            "37 Play",
            "37 Play",
            "45 Works",
            "45 Works",
            "90 Cleaning",
            "90 Cleaning",
            "22 Print",
        ],
        "category": ["Parks", "Parks", "Parks", "Parks", "Roads", "Roads", "Parks", "Parks", "Print"],
        "supplier_group": ["s1", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8"],
        "size_class": ["small", "small", "large", "small", "medium", "large", "large", "micro", "micro"],
    }
)
LOW_BAR = MatrixThresholds(min_spend_share=0.02, local_share=0.5, min_local_suppliers=3)


def quadrants(matrix: pd.DataFrame) -> dict:
    return dict(zip(matrix["category"], matrix["quadrant"]))


def test_capacity_shares_and_register_counts():
    table = category_capacity(PAYMENTS, REGISTER, GEOGRAPHY).set_index("category")
    assert table.index.tolist() == ["45", "37", "90", "22"]  # largest spend first
    assert table.loc["37", "spend"] == 100 and table.loc["37", "local_share"] == pytest.approx(0.40)
    assert table.loc["45", "local_share"] == pytest.approx(0.75)
    assert table.loc["90", "spend_outside"] == pytest.approx(95.0)
    assert table.loc["22", "spend_share"] == pytest.approx(2 / 402)
    assert (table.loc["37", "local_suppliers"], table.loc["37", "local_smes"]) == (5, 4)
    assert (table.loc["45", "local_suppliers"], table.loc["90", "local_suppliers"]) == (1, 0)
    assert table.loc["37", "name"] == "37 Play"
    assert table.attrs["capacity_source"] == "register"


def test_quadrants_by_hand():
    matrix = opportunity_matrix(PAYMENTS, REGISTER, GEOGRAPHY, LOW_BAR)
    assert quadrants(matrix) == {
        "45": "keep",
        "37": "grow local spend",
        "90": "thin local market",
        "22": "low priority",
    }
    assert matrix.loc[matrix["category"] == "90", "action"].item().startswith("Large spend, a low local share")


def test_threshold_boundaries_move_categories():
    # the local-share line is inclusive: 40% local is "keep" at a 40% line
    at_40 = classify_categories(category_capacity(PAYMENTS, REGISTER, GEOGRAPHY), MatrixThresholds(0.02, 0.40, 3))
    assert quadrants(at_40)["37"] == "keep"
    # counting local SMEs (4) against a bar of 5 makes 37 a thin market; 4 is enough at a bar of 4
    smes = MatrixThresholds(0.02, 0.5, 5, capacity="local_smes")
    assert quadrants(opportunity_matrix(PAYMENTS, REGISTER, GEOGRAPHY, smes))["37"] == "thin local market"
    smes4 = MatrixThresholds(0.02, 0.5, 4, capacity="local_smes")
    assert quadrants(opportunity_matrix(PAYMENTS, REGISTER, GEOGRAPHY, smes4))["37"] == "grow local spend"
    # a small-spend line above 100/402 = 24.9% drops 37 and 90 to low priority, not 45 (49.8%)
    big = quadrants(opportunity_matrix(PAYMENTS, REGISTER, GEOGRAPHY, MatrixThresholds(0.25, 0.5, 3)))
    assert big == {"45": "keep", "37": "low priority", "90": "low priority", "22": "low priority"}


def test_city_only_local_levels():
    # counting only the city as local: 37 has 30 of 100 local; region supplier B no longer counts
    table = category_capacity(PAYMENTS, REGISTER, GEOGRAPHY, local_levels=("city",)).set_index("category")
    assert table.loc["37", "local_share"] == pytest.approx(0.30)
    assert (table.loc["37", "local_suppliers"], table.loc["37", "local_smes"]) == (4, 3)


def test_without_a_register_counts_local_suppliers_paid():
    table = category_capacity(PAYMENTS).set_index("category")
    # 37: local suppliers paid are s1 (small, city) and s2 (large, region) -> 2 and 1 SME
    assert (table.loc["37", "local_suppliers"], table.loc["37", "local_smes"]) == (2, 1)
    assert (table.loc["45", "local_suppliers"], table.loc["45", "local_smes"]) == (1, 1)
    assert table.attrs["capacity_source"] == "suppliers paid"
    assert quadrants(classify_categories(category_capacity(PAYMENTS), LOW_BAR))["37"] == "thin local market"


def test_by_ledger_category_counts_the_main_division():
    table = category_capacity(PAYMENTS, REGISTER, GEOGRAPHY, by="category").set_index("category")
    # Parks = 37 (100) + 90 (100): a tie goes to the first division seen, 37 -> register counts of 37
    assert table.loc["Parks", "spend"] == 200 and table.loc["Parks", "local_share"] == pytest.approx(45 / 200)
    assert table.loc["Parks", "local_suppliers"] == 5
    assert table.loc["Roads", "cpv_division"] == "45"


def test_counts_candidates_and_brief():
    matrix = opportunity_matrix(PAYMENTS, REGISTER, GEOGRAPHY, LOW_BAR)
    counts = quadrant_counts(matrix).set_index("quadrant")
    assert counts["categories"].to_dict() == {
        "grow local spend": 1,
        "keep": 1,
        "thin local market": 1,
        "low priority": 1,
    }
    assert counts.loc["keep", "spend_share"] == pytest.approx(200 / 402)
    assert grow_candidates(matrix)["category"].tolist() == ["37"]
    brief = matrix_in_brief(matrix, "Test 2025")
    assert brief.startswith("Test 2025: grow local spend 1, keep 1, thin local market 1, low priority 1.")
    assert "37 Play (40% local, EUR 0.0m outside)" in brief


def test_unclassified_payments_keep_their_own_row():
    frame = pd.concat(
        [
            PAYMENTS,
            pd.DataFrame(
                {
                    "amount": [50.0],
                    "level": ["city"],
                    "cpv_division": [pd.NA],
                    "sector": [pd.NA],
                    "category": ["Misc"],
                    "supplier_group": ["s9"],
                    "size_class": ["small"],
                }
            ),
        ]
    )
    matrix = opportunity_matrix(frame, REGISTER, GEOGRAPHY, LOW_BAR)
    assert quadrants(matrix)["unclassified"] == "unclassified"
    assert matrix["spend"].sum() == pytest.approx(452)


@pytest.mark.parametrize(
    "thresholds, match",
    [
        (MatrixThresholds(min_spend_share=2), "small-spend line"),
        (MatrixThresholds(local_share=0), "local-share line"),
        (MatrixThresholds(min_local_suppliers=2.5), "whole number"),
        (MatrixThresholds(capacity="firms"), "capacity must be"),
    ],
)
def test_bad_thresholds(thresholds, match):
    with pytest.raises(LearnerError, match=match):
        opportunity_matrix(PAYMENTS, REGISTER, GEOGRAPHY, thresholds)


def test_missing_columns_and_bad_grouping():
    with pytest.raises(LearnerError, match="level"):
        category_capacity(PAYMENTS.drop(columns="level"))
    with pytest.raises(LearnerError, match="group by"):
        category_capacity(PAYMENTS, by="supplier")


def test_portavera_matrix_reuses_the_spend_indicators():
    from helpers.data import city_info, load_table
    from helpers.spend import indicators
    from helpers.spend.pipeline import analyse_city

    payments = analyse_city("portavera", 2025).payments
    matrix = opportunity_matrix(
        payments,
        load_table("suppliers", city="portavera"),
        load_table("geography", city="portavera"),
        home_country=city_info("portavera")["home_country_code"],
    ).set_index("category")
    construction = payments[payments["cpv_division"] == "45"]
    assert matrix.loc["45", "local_share"] == indicators.local_spend_share(construction, ("city", "region"))
    assert matrix["spend"].sum() == pytest.approx(indicators.total_spend(payments), abs=1)
    assert matrix.loc["45", "quadrant"] == "grow local spend"  # 45.8% local, 100 local suppliers
    assert matrix.loc["90", "quadrant"] == "keep"  # 87.1% local
