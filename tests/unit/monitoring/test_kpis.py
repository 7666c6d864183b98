"""Module 7 KPIs: the RAG rule, every month rated, and service credits (tables built by hand)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from helpers.core.errors import LearnerError
from helpers.monitoring.kpis import RagRules, kpi_status, rag_status, service_credits
from tests.unit.monitoring.hand_tables import kpis_table, tables

# ---------------------------------------------------------------- RAG rule


@pytest.mark.parametrize(
    "value, expected",
    [
        (95, "green"),
        (95.01, "green"),
        (94.99, "amber"),  # target boundary
        (85.51, "amber"),
        (85.5, "amber"),
        (85.49, "red"),  # amber boundary: 95 x 0.9 = 85.5
    ],
)
def test_rag_higher_is_better_boundaries(value, expected):
    assert rag_status(value, 95, "higher", 10) == expected


@pytest.mark.parametrize(
    "value, expected",
    [
        (4, "green"),
        (3.99, "green"),
        (4.01, "amber"),
        (4.99, "amber"),
        (5, "amber"),
        (5.01, "red"),  # 4 x 1.25 = 5
    ],
)
def test_rag_lower_is_better_boundaries(value, expected):
    assert rag_status(value, 4, "lower", 25) == expected


def test_rag_boundary_survives_float_error():
    # 1.1 x 0.9 is 0.9900000000000001 and 3 x 1.15 is 3.4499999999999997 in binary floats
    assert 1.1 * (1 - 10 / 100) > 0.99 and 3 * (1 + 15 / 100) < 3.45
    assert rag_status(0.99, 1.1, "higher", 10) == "amber"
    assert rag_status(0.98, 1.1, "higher", 10) == "red"
    assert rag_status(3.45, 3, "lower", 15) == "amber"
    assert rag_status(3.46, 3, "lower", 15) == "red"


def test_rag_missing_and_bad_input():
    assert rag_status(None, 95, "higher", 10) == "missing"
    assert rag_status(float("nan"), 95, "higher", 10) == "missing"
    assert rag_status(90, 95, "higher") == "amber"  # default tolerance 10 %
    with pytest.raises(LearnerError, match="higher' or 'lower"):
        rag_status(90, 95, "up", 10)
    with pytest.raises(LearnerError, match="tolerance"):
        RagRules(default_tolerance_pct=-5)


def test_rag_rules_default_and_kpi_override():
    kpis = kpis_table()
    assert RagRules().tolerances(kpis).tolist() == [10.0, 25.0, 10.0]
    assert RagRules(default_tolerance_pct=5).tolerances(kpis).tolist() == [10.0, 25.0, 5.0]
    assert RagRules(7.5, use_kpi_tolerance=False).tolerances(kpis).tolist() == [7.5, 7.5, 7.5]


# ---------------------------------------------------------------- kpi_status and service credits


def test_kpi_status_rates_every_month_and_marks_missing():
    contracts, kpis, returns, *_ = tables()
    status = kpi_status(kpis, returns, contracts=contracts, as_of="2025-06")
    assert list(status.columns[:7]) == ["contract_id", "kpi_id", "period", "value", "target", "direction", "status"]
    assert len(status) == 13  # 6 + 6 months for C1, 1 for C2
    c1k1 = status[(status.contract_id == "C1") & (status.kpi_id == "K1")]
    assert c1k1["status"].tolist() == ["green", "amber", "red", "red", "red", "green"]
    c1k2 = status[(status.contract_id == "C1") & (status.kpi_id == "K2")]
    assert c1k2["status"].tolist() == ["green", "amber", "red", "red", "missing", "green"]
    assert math.isnan(c1k2.set_index("period").loc["2025-05", "value"])
    c2 = status[status.contract_id == "C2"].iloc[0]
    assert (c2["status"], c2["tolerance_pct"], round(c2["amber_limit"], 6)) == ("red", 10.0, 81.0)
    assert "2025-07" not in set(status["period"])  # after as_of
    assert status["status"].value_counts().to_dict() == {"red": 6, "green": 4, "amber": 2, "missing": 1}


def test_kpi_status_defaults_and_rules():
    _, kpis, returns, *_ = tables()
    latest = kpi_status(kpis, returns)  # as_of = latest return, 2025-07
    assert len(latest) == 13 and latest["status"].eq("missing").sum() == 0  # only the returns sent
    strict = kpi_status(kpis, returns, RagRules(5, use_kpi_tolerance=False), as_of="2025-02")
    # 85.5 against 95 with 5 % (limit 90.25) is red; 5 against 4 with 5 % (limit 4.2) is red
    assert strict.set_index(["kpi_id", "period"]).loc[("K1", "2025-02"), "status"] == "red"
    assert strict.set_index(["kpi_id", "period"]).loc[("K2", "2025-02"), "status"] == "red"


def test_kpi_status_rejects_duplicate_returns_and_bad_months():
    _, kpis, returns, *_ = tables()
    with pytest.raises(LearnerError, match="two values for contract C1, KPI K1, 2025-01"):
        kpi_status(kpis, pd.concat([returns, returns.head(1)]))
    bad = returns.assign(period=returns["period"].where(returns.index != 2, "March 2025"))
    with pytest.raises(LearnerError, match="'March 2025'.*not a month"):
        kpi_status(kpis, bad)


def test_service_credits_per_month():
    contracts, kpis, returns, *_ = tables()
    status = kpi_status(kpis, returns, contracts=contracts, as_of="2025-06")
    credits = service_credits(status, contracts).set_index(["contract_id", "period"])
    c1 = credits.loc["C1"]
    assert c1["red_kpis"].tolist() == [0, 0, 2, 2, 1, 0]
    assert c1["credit_eur"].tolist() == [0.0, 0.0, 600.0, 600.0, 300.0, 0.0]  # 3 % of 10,000 per red KPI
    assert credits.loc[("C2", "2025-06"), "credit_eur"] == 100.0  # 5 % of 2,000
    assert not credits["capped"].any()


def test_service_credit_cap_and_cents():
    contracts = pd.DataFrame(
        [
            {
                "contract_id": "X",
                "monthly_charge_eur": 10000.0,
                "service_credit_pct": 3.0,
                "service_credit_cap_pct": 12.0,
            },
            {
                "contract_id": "Y",
                "monthly_charge_eur": 12345.67,
                "service_credit_pct": 3.0,
                "service_credit_cap_pct": 12.0,
            },
        ]
    )
    rows = (
        [("X", "2025-01", "red")] * 4
        + [("X", "2025-02", "red")] * 5
        + [("X", "2025-02", "green")]
        + [("Y", "2025-01", "red"), ("Y", "2025-01", "missing")]
    )
    status = pd.DataFrame(rows, columns=["contract_id", "period", "status"])
    credits = service_credits(status, contracts).set_index(["contract_id", "period"])
    assert credits.loc[("X", "2025-01")].tolist() == [4, 12.0, 1200.0, False]  # exactly at the cap
    assert credits.loc[("X", "2025-02")].tolist() == [5, 12.0, 1200.0, True]  # 15 % capped to 12 %
    assert credits.loc[("Y", "2025-01"), "credit_eur"] == 370.37  # 370.3701 rounded
