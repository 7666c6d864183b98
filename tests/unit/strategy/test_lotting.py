"""Module 4's lotting advisor: turnover caps and local SME counts worked out by hand, divide-or-explain."""

from __future__ import annotations

import pytest

from helpers.core.errors import LearnerError
from helpers.strategy.lotting import TURNOVER_NOTE, divide_or_explain, lot_plan, parse_lots
from tests.unit.strategy.test_suppliers import GEOGRAPHY, REGISTER  # the same small register


def test_lot_caps_and_counts_with_the_default_ratio():
    plan = lot_plan(400_000, 4, REGISTER, "37535200-9", GEOGRAPHY)
    assert plan["lot"].tolist() == ["whole contract", "lot 1", "lot 2", "lot 3", "lot 4"]
    assert plan["max_turnover_requirement"].tolist() == [800_000, 200_000, 200_000, 200_000, 200_000]
    assert plan["local_smes_in_division"].tolist() == [4] * 5
    # whole: nobody has 800k; lots: only C has at least 200k (exactly 200k counts)
    assert plan["local_smes_able"].tolist() == [0, 1, 1, 1, 1]


def test_lighter_ratio_annual_basis_and_city_only():
    assert lot_plan(400_000, 4, REGISTER, 37, GEOGRAPHY, turnover_ratio=1)["local_smes_able"].tolist() == [
        0,
        3,
        3,
        3,
        3,
    ]
    annual = lot_plan(400_000, [100_000, 300_000], REGISTER, 37, GEOGRAPHY, contract_years=2, include_whole=False)
    # lot 1: 100k / 2 years = 50k a year x 2 = 100k -> A, B, C; lot 2: 150k x 2 = 300k -> none
    assert annual["required_turnover"].tolist() == [100_000, 300_000]
    assert annual["max_turnover_requirement"].tolist() == [200_000, 600_000]
    assert annual["local_smes_able"].tolist() == [3, 0]
    city = lot_plan(400_000, 4, REGISTER, 37, GEOGRAPHY, city_levels=("city",), turnover_ratio=1)
    assert city["local_smes_in_division"].tolist()[1] == 3 and city["local_smes_able"].tolist()[1] == 2  # A, C
    short = lot_plan(100_000, 1, REGISTER, 37, GEOGRAPHY, contract_years=0.5, include_whole=False)
    assert short["required_turnover"].item() == 200_000  # never above the cap
    assert "twice the estimated contract value" in TURNOVER_NOTE and "each lot" in TURNOVER_NOTE


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"turnover_ratio": 2.5}, "cap"),
        ({"lots": [100_000, 200_000]}, "add up"),
        ({"lots": 0}, "1 or more"),
        ({"contract_value": -5}, "above zero"),
        ({"cpv_division": "playground"}, "CPV"),
    ],
)
def test_lot_plan_errors(kwargs, match):
    args = {"contract_value": 400_000, "lots": 4, "register": REGISTER, "cpv_division": 37, "geography": GEOGRAPHY}
    args.update(kwargs)
    with pytest.raises(LearnerError, match=match):
        lot_plan(**args)


def test_divide_or_explain():
    assert divide_or_explain(3).startswith("The contract is divided into 3 lots.")
    text = divide_or_explain([400_000])
    assert "Article 46" in text and "[write here" in text
    assert divide_or_explain(1, "the equipment must work as one system.").endswith(
        "Reasons: the equipment must work as one system."
    )


def test_parse_lots():
    assert parse_lots("4") == 4
    assert parse_lots("300000; 500000; 400,000") == [300_000, 500_000, 400_000]
