"""Module 7 (contract management): RAG, service credits, social value, alerts, dashboard
tables, returns-file checks, hand-over pack, report exports and the check-returns command.

Every table is built by hand here, so each expected figure can be checked with a pencil.
"""
from __future__ import annotations

import hashlib
import json
import math
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers.core.errors import LearnerError
from helpers.ui.exports import save_report, to_html, to_markdown
from helpers.monitoring import (ROLES, RagRules, alerts, contract_view, export_monitoring_report,
                                handover_checklist, kpi_status, monitoring_report, portfolio_summary,
                                rag_status, read_kpi_returns, reprocurement_planning_date, review_dates,
                                service_credits, social_value_path, social_value_progress)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "kpi_returns"
EVIL = "=SUM(1+1) <script>x</script>"


# ---------------------------------------------------------------- hand-made tables

def contracts_table() -> pd.DataFrame:
    return pd.DataFrame([
        {"contract_id": "C1", "tender_id": "T1", "city": "portavera", "title": "Park maintenance",
         "supplier_id": "S1", "supplier_name": "Acme Parks", "service_area": "Parks", "cpv_code": "77310000-6",
         "value_eur": 120000.0, "monthly_charge_eur": 10000.0, "start_date": "2025-01-01",
         "end_date": "2025-12-31", "contract_owner": "Ana Owner", "contract_manager": "Max Manager",
         "service_credit_pct": 3.0, "service_credit_cap_pct": 12.0},
        {"contract_id": "C2", "tender_id": "T2", "city": "portavera", "title": "School meals",
         "supplier_id": "S2", "supplier_name": EVIL, "service_area": "Education", "cpv_code": "55523100-3",
         "value_eur": 24000.0, "monthly_charge_eur": 2000.0, "start_date": "2025-06-01",
         "end_date": "2026-05-31", "contract_owner": "Bea Owner", "contract_manager": "Cy Manager",
         "service_credit_pct": 5.0, "service_credit_cap_pct": 10.0},
    ])


def kpis_table() -> pd.DataFrame:
    return pd.DataFrame([
        {"contract_id": "C1", "kpi_id": "K1", "name": "Availability", "unit": "%", "target": 95.0,
         "direction": "higher", "tolerance_pct": 10.0},          # amber down to 85.5
        {"contract_id": "C1", "kpi_id": "K2", "name": "Response time", "unit": "hours", "target": 4.0,
         "direction": "lower", "tolerance_pct": 25.0},           # amber up to 5
        {"contract_id": "C2", "kpi_id": "K1", "name": "Meals on time", "unit": "%", "target": 90.0,
         "direction": "higher", "tolerance_pct": np.nan},        # default 10 % -> amber down to 81
    ])


def returns_table() -> pd.DataFrame:
    rows = [("C1", "K1", "2025-01", 96), ("C1", "K1", "2025-02", 85.5), ("C1", "K1", "2025-03", 85.49),
            ("C1", "K1", "2025-04", 80), ("C1", "K1", "2025-05", 70), ("C1", "K1", "2025-06", 95),
            ("C1", "K1", "2025-07", 50),                                          # after as_of 2025-06
            ("C1", "K2", "2025-01", 4), ("C1", "K2", "2025-02", 5), ("C1", "K2", "2025-03", 5.01),
            ("C1", "K2", "2025-04", 6), ("C1", "K2", "2025-06", 3),               # 2025-05 missing
            ("C2", "K1", "2025-06", 80.99)]
    return pd.DataFrame(rows, columns=["contract_id", "kpi_id", "period", "value"])


def commitments_table() -> pd.DataFrame:
    return pd.DataFrame([{"contract_id": "C1", "measure": "local_hires", "unit": "people", "committed_total": 12},
                         {"contract_id": "C2", "measure": "apprenticeships", "unit": "people", "committed_total": 2}])


def delivery_table() -> pd.DataFrame:
    rows = [{"contract_id": "C1", "period": f"2025-0{m}", "measure": "local_hires", "delivered": 1.0}
            for m in range(1, 7)]
    return pd.DataFrame(rows + [{"contract_id": "C2", "period": "2025-06", "measure": "apprenticeships",
                                 "delivered": 0.0}])


def tables():
    return contracts_table(), kpis_table(), returns_table(), commitments_table(), delivery_table()


# ---------------------------------------------------------------- RAG rule

@pytest.mark.parametrize("value, expected", [
    (95, "green"), (95.01, "green"), (94.99, "amber"),          # target boundary
    (85.51, "amber"), (85.5, "amber"), (85.49, "red"),         # amber boundary: 95 x 0.9 = 85.5
])
def test_rag_higher_is_better_boundaries(value, expected):
    assert rag_status(value, 95, "higher", 10) == expected


@pytest.mark.parametrize("value, expected", [
    (4, "green"), (3.99, "green"), (4.01, "amber"),
    (4.99, "amber"), (5, "amber"), (5.01, "red"),              # 4 x 1.25 = 5
])
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
    assert rag_status(90, 95, "higher") == "amber"              # default tolerance 10 %
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
    assert len(status) == 13                                         # 6 + 6 months for C1, 1 for C2
    c1k1 = status[(status.contract_id == "C1") & (status.kpi_id == "K1")]
    assert c1k1["status"].tolist() == ["green", "amber", "red", "red", "red", "green"]
    c1k2 = status[(status.contract_id == "C1") & (status.kpi_id == "K2")]
    assert c1k2["status"].tolist() == ["green", "amber", "red", "red", "missing", "green"]
    assert math.isnan(c1k2.set_index("period").loc["2025-05", "value"])
    c2 = status[status.contract_id == "C2"].iloc[0]
    assert (c2["status"], c2["tolerance_pct"], round(c2["amber_limit"], 6)) == ("red", 10.0, 81.0)
    assert "2025-07" not in set(status["period"])                    # after as_of
    assert status["status"].value_counts().to_dict() == {"red": 6, "green": 4, "amber": 2, "missing": 1}


def test_kpi_status_defaults_and_rules():
    _, kpis, returns, *_ = tables()
    latest = kpi_status(kpis, returns)                                 # as_of = latest return, 2025-07
    assert len(latest) == 13 and latest["status"].eq("missing").sum() == 0   # only the returns sent
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
    assert c1["credit_eur"].tolist() == [0.0, 0.0, 600.0, 600.0, 300.0, 0.0]   # 3 % of 10,000 per red KPI
    assert credits.loc[("C2", "2025-06"), "credit_eur"] == 100.0                # 5 % of 2,000
    assert not credits["capped"].any()


def test_service_credit_cap_and_cents():
    contracts = pd.DataFrame([{"contract_id": "X", "monthly_charge_eur": 10000.0, "service_credit_pct": 3.0,
                               "service_credit_cap_pct": 12.0},
                              {"contract_id": "Y", "monthly_charge_eur": 12345.67, "service_credit_pct": 3.0,
                               "service_credit_cap_pct": 12.0}])
    rows = ([("X", "2025-01", "red")] * 4 + [("X", "2025-02", "red")] * 5 + [("X", "2025-02", "green")]
            + [("Y", "2025-01", "red"), ("Y", "2025-01", "missing")])
    status = pd.DataFrame(rows, columns=["contract_id", "period", "status"])
    credits = service_credits(status, contracts).set_index(["contract_id", "period"])
    assert credits.loc[("X", "2025-01")].tolist() == [4, 12.0, 1200.0, False]    # exactly at the cap
    assert credits.loc[("X", "2025-02")].tolist() == [5, 12.0, 1200.0, True]     # 15 % capped to 12 %
    assert credits.loc[("Y", "2025-01"), "credit_eur"] == 370.37                  # 370.3701 rounded


# ---------------------------------------------------------------- social value

def _sv_tables():
    contracts = pd.DataFrame([{"contract_id": "S1", "start_date": "2025-01-01", "end_date": "2026-12-31"},
                              {"contract_id": "S2", "start_date": "2026-01-01", "end_date": "2026-12-31"},
                              {"contract_id": "S3", "start_date": "2024-01-01", "end_date": "2024-06-30"}])
    commitments = pd.DataFrame([("S1", "training_hours", "hours", 240), ("S1", "local_hires", "people", 8),
                                ("S2", "local_hires", "people", 4), ("S3", "local_hires", "people", 6)],
                               columns=["contract_id", "measure", "unit", "committed_total"])
    rows = [("S1", f"2025-{m:02d}", "training_hours", 10) for m in range(1, 10)]
    rows += [("S1", "2025-10", "training_hours", 50),                      # after as_of: not counted
             ("S1", "2025-02", "local_hires", 1), ("S1", "2025-07", "local_hires", 1),
             ("S3", "2024-03", "local_hires", 3), ("S3", "2024-06", "local_hires", 3)]
    delivery = pd.DataFrame(rows, columns=["contract_id", "period", "measure", "delivered"])
    return commitments, delivery, contracts


def test_social_value_progress_by_hand():
    progress = social_value_progress(*_sv_tables(), as_of="2025-09").set_index(["contract_id", "measure"])
    hours = progress.loc[("S1", "training_hours")]
    # 9 of 24 months: pro-rata 240 x 9/24 = 90; delivered 9 x 10 = 90 -> on track; run-rate 90/9 x 24 = 240
    assert (hours.delivered_to_date, hours.pro_rata_target, hours.on_track, hours.forecast_at_end) == \
        (90.0, 90.0, True, 240.0)
    hires = progress.loc[("S1", "local_hires")]
    # pro-rata 8 x 9/24 = 3; delivered 2 -> behind; run-rate 2/9 x 24 = 5.33
    assert (hires.delivered_to_date, hires.pro_rata_target, hires.on_track) == (2.0, 3.0, False)
    assert round(hires.forecast_at_end, 4) == 5.3333
    not_started = progress.loc[("S2", "local_hires")]
    assert (not_started.elapsed_months, not_started.pro_rata_target, not_started.on_track) == (0, 0.0, True)
    assert math.isnan(not_started.forecast_at_end)
    ended = progress.loc[("S3", "local_hires")]                            # as_of after the end: full term
    assert (ended.elapsed_months, ended.pro_rata_target, ended.forecast_at_end, ended.on_track) == (6, 6.0, 6.0, True)


def test_social_value_path_is_cumulative():
    path = social_value_path(*_sv_tables(), as_of="2025-03")
    hours = path[(path.contract_id == "S1") & (path.measure == "training_hours")]
    assert hours["period"].tolist() == ["2025-01", "2025-02", "2025-03"]
    assert hours["cumulative"].tolist() == [10.0, 20.0, 30.0]
    assert hours["pro_rata"].tolist() == [10.0, 20.0, 30.0]               # 240 / 24 a month
    assert path[path.contract_id == "S2"].empty


# ---------------------------------------------------------------- alerts

def _alert_tables(k1_values, k2_periods, delivered_last=1.0):
    contracts = contracts_table().head(1)                               # C1: 2025-01 .. 2025-12
    kpis = kpis_table().head(2)
    rows = [("C1", "K1", f"2025-0{m}", v) for m, v in enumerate(k1_values, start=1)]
    rows += [("C1", "K2", p, 4.0) for p in k2_periods]
    returns = pd.DataFrame(rows, columns=["contract_id", "kpi_id", "period", "value"])
    delivery = delivery_table().head(6)
    delivery.loc[5, "delivered"] = delivered_last
    return contracts, kpis, returns, commitments_table().head(1), delivery


ALL_K2 = [f"2025-0{m}" for m in range(1, 7)]


def test_alert_red_two_months_running():
    found = alerts(*_alert_tables([96, 96, 96, 96, 80, 80], ALL_K2), as_of="2025-06", months_ahead=5)
    assert found[["kind", "severity"]].values.tolist() == [["kpi_red_twice", "high"]]
    assert "2025-05 = 80 and 2025-06 = 80" in found["message"][0]
    # just off: the latest month amber (90), or the red run not in the latest months
    assert alerts(*_alert_tables([96, 96, 96, 96, 80, 90], ALL_K2), as_of="2025-06", months_ahead=5).empty
    assert alerts(*_alert_tables([96, 96, 96, 80, 80, 96], ALL_K2), as_of="2025-06", months_ahead=5).empty


def test_alert_missing_return_on_its_boundary():
    tabs = _alert_tables([96] * 6, ALL_K2[:5])                           # K2 has no 2025-06 return
    found = alerts(*tabs, as_of="2025-06", months_ahead=5)
    assert found["kind"].tolist() == ["missing_return"]
    assert found["message"][0].startswith("1 KPI return missing: 2025-06 (K2).")
    two = alerts(*_alert_tables([96] * 6, ALL_K2[:4]), as_of="2025-06", months_ahead=5)
    assert two["message"][0].startswith("2 KPI returns missing: 2025-05 (K2); 2025-06 (K2).")
    assert alerts(*tabs, as_of="2025-05", months_ahead=5).empty          # 2025-06 not yet due


def test_alert_social_value_behind_pro_rata():
    # 12 committed over 12 months; by 2025-06 the path is 6; with no tolerance 6 is on it, 5.99 behind
    strict = {"as_of": "2025-06", "months_ahead": 5, "sv_tolerance_pct": 0}
    assert alerts(*_alert_tables([96] * 6, ALL_K2, 1.0), **strict).empty
    found = alerts(*_alert_tables([96] * 6, ALL_K2, 0.99), **strict)
    assert found["kind"].tolist() == ["social_value_behind"]
    assert "5.99 people delivered by 2025-06, below the pro-rata path of 6" in found["message"][0]


@pytest.mark.parametrize("delivered_last, behind", [(0.99, False), (0.4, False), (0.39, True)])
def test_alert_social_value_default_tolerance_boundary(delivered_last, behind):
    # default: behind = more than 10 % below the path of 6, i.e. under 5.4 (5 + 0.4 is not behind)
    found = alerts(*_alert_tables([96] * 6, ALL_K2, delivered_last), as_of="2025-06", months_ahead=5)
    assert (found["kind"].tolist() == ["social_value_behind"]) is behind
    if behind:
        assert "5.39 people delivered by 2025-06, below the pro-rata path of 6" in found["message"][0]
        assert "behind means under 5.4" in found["message"][0]


def test_social_value_tolerance_parameter_and_portfolio():
    commitments, delivery, contracts = _sv_tables()

    def hires(tol):
        progress = social_value_progress(commitments, delivery, contracts, "2025-09", tol)
        return progress.set_index(["contract_id", "measure"]).loc[("S1", "local_hires")]

    # path 3, delivered 2: behind at 10 % (floor 2.7) and 33 % (floor 2.01); on track at 33.34 % (floor 1.9998)
    assert (hires(10).on_track, round(hires(10).behind_below, 6)) == (False, 2.7)
    assert (hires(33).on_track, hires(33.34).on_track) == (False, True)
    with pytest.raises(LearnerError, match="tolerance of 100 % is not usable"):
        social_value_progress(commitments, delivery, contracts, "2025-09", 100)
    # C2 delivered 0 of a path of 1/6: behind whatever the tolerance; C1 has no behind measure
    loose = portfolio_summary(*tables(), as_of="2025-06", sv_tolerance_pct=50).set_index("contract_id")
    assert (loose.loc["C1", "alerts"], loose.loc["C2", "alerts"]) == (2, 1)


def test_alert_reprocurement_window():
    tabs = _alert_tables([96] * 6, ALL_K2)
    found = alerts(*tabs, as_of="2025-06", months_ahead=6)               # ends 2025-12: 6 months on
    assert found["kind"].tolist() == ["reprocurement"]
    assert "ends on 2025-12-31, 6 months after 2025-06" in found["message"][0]
    assert alerts(*tabs, as_of="2025-06", months_ahead=5).empty


# ---------------------------------------------------------------- dashboard tables

def test_portfolio_summary_by_hand():
    summary = portfolio_summary(*tables(), as_of="2025-06").set_index("contract_id")
    c1, c2 = summary.loc["C1"], summary.loc["C2"]
    assert (c1.green, c1.amber, c1.red, c1.missing, c1.latest_status) == (2, 0, 0, 0, "green")
    assert (c2.green, c2.red, c2.latest_status, c2.supplier) == (0, 1, "red", EVIL)
    assert (c1.credits_to_date_eur, c2.credits_to_date_eur) == (1500.0, 100.0)
    # C1: missing return (2025-05) and re-procurement (ends in 6 months); C2: apprenticeships behind
    assert (c1.alerts, c2.alerts) == (2, 1)


def test_portfolio_summary_filters_and_period():
    march = portfolio_summary(*tables(), as_of="2025-06", period="2025-03").set_index("contract_id")
    assert (march.loc["C1", "red"], march.loc["C1", "amber"], march.loc["C2", "red"]) == (2, 0, 0)
    assert portfolio_summary(*tables(), as_of="2025-06", service_area="Education")["contract_id"].tolist() == ["C2"]
    assert portfolio_summary(*tables(), as_of="2025-06", supplier="Acme Parks")["contract_id"].tolist() == ["C1"]
    assert portfolio_summary(*tables(), as_of="2025-06", supplier=["S2"])["contract_id"].tolist() == ["C2"]
    later = portfolio_summary(*tables(), as_of="2025-06", period_from="2025-04").set_index("contract_id")
    assert later.loc["C1", "credits_to_date_eur"] == 900.0               # 600 + 300


def test_contract_view_for_the_dashboard():
    view = contract_view("C1", *tables(), as_of="2025-06", period_from="2025-03")
    assert set(view) == {"contract", "kpis", "kpi_trend", "credits", "social_value", "social_value_path", "alerts"}
    assert len(view["kpi_trend"]) == 8 and view["kpi_trend"]["period"].min() == "2025-03"
    assert view["kpis"].set_index("kpi_id")["amber_limit"].round(6).to_dict() == {"K1": 85.5, "K2": 5.0}
    assert view["credits"]["credit_eur"].tolist() == [600.0, 600.0, 300.0, 0.0]
    assert view["social_value"]["delivered_to_date"].tolist() == [6.0]
    assert sorted(view["alerts"]["kind"]) == ["missing_return", "reprocurement"]
    narrow = contract_view("C1", *tables(), as_of="2025-06", period_to="2025-04")
    assert narrow["kpi_trend"]["period"].max() == "2025-04"
    with pytest.raises(LearnerError, match="no contract C7"):
        contract_view("C7", *tables())


# ---------------------------------------------------------------- returns-file check

def _hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_read_good_returns_file():
    good, issues = read_kpi_returns(FIXTURES / "good.csv", contracts_table(), kpis_table())
    assert issues == []
    assert good[["contract_id", "kpi_id", "period", "value"]].values.tolist() == [
        ["C1", "K1", "2025-01", 96.0], ["C1", "K2", "2025-01", 4.0], ["C2", "K1", "2025-06", 88.5]]


def test_read_returns_names_each_problem_with_line_and_fix():
    path = FIXTURES / "problems.csv"
    before = _hash(path)
    good, issues = read_kpi_returns(path, contracts_table(), kpis_table())
    assert _hash(path) == before                                          # never modified
    assert good["line"].tolist() == [2, 12]
    by_line = {i.line: i for i in issues}
    assert sorted(by_line) == [3, 4, 5, 6, 7, 8, 9, 10]
    assert "contract 'C9' is not in the contracts table" in by_line[3].message
    assert "contract C1 has no KPI 'K7'" in by_line[4].message and "K1, K2" in by_line[4].fix
    assert "'2025/02' is not a month written YYYY-MM" in by_line[5].message
    assert "outside the term of contract C1 (2025-01 to 2025-12)" in by_line[6].message
    assert "'n/a' is not a number" in by_line[7].message
    assert "comma as decimal mark" in by_line[8].message
    assert "already has a return on line 2" in by_line[9].message
    assert by_line[10].message == "the value is empty"
    assert str(by_line[3]).startswith("problems.csv, line 3: contract 'C9'")


def test_read_returns_as_of_flags_future_months():
    _, issues = read_kpi_returns(FIXTURES / "good.csv", contracts_table(), kpis_table(), as_of="2025-05")
    assert [(i.line, "after 2025-05" in i.message) for i in issues] == [(4, True)]


def test_read_returns_semicolon_windows_1252_and_header_spelling():
    good, issues = read_kpi_returns(FIXTURES / "semicolon_cp1252.csv", contracts_table(), kpis_table())
    assert issues == []
    assert good[["kpi_id", "period", "value"]].values.tolist() == [["K1", "2025-02", 85.5], ["K2", "2025-02", 5.0]]


def test_read_returns_xlsx_with_date_cells(tmp_path):
    import openpyxl
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["contract_id", "kpi_id", "period", "value"])
    sheet.append(["C1", "K1", "2025-03", 85.49])
    sheet.append(["C1", "K2", date(2025, 3, 1), "5.01"])               # Excel turned the month into a date
    sheet.append(["C1", "K2", "Mar-25", 5])
    path = tmp_path / "returns.xlsx"
    book.save(path)
    before = _hash(path)
    good, issues = read_kpi_returns(path, contracts_table(), kpis_table())
    assert _hash(path) == before
    assert good[["kpi_id", "period", "value"]].values.tolist() == [["K1", "2025-03", 85.49], ["K2", "2025-03", 5.01]]
    assert [(i.line, "'Mar-25'" in i.message) for i in issues] == [(4, True)]


@pytest.mark.parametrize("name, pattern", [
    ("no_period_column.csv", r"no_period_column.csv: the header on line 1 has no column period"),
    ("empty.csv", "the file is empty"),
    ("does_not_exist.csv", "does not exist"),
])
def test_read_returns_unusable_files(name, pattern):
    with pytest.raises(LearnerError, match=pattern):
        read_kpi_returns(FIXTURES / name, contracts_table(), kpis_table())


# ---------------------------------------------------------------- roles and hand-over

def test_review_calendar():
    assert review_dates("2025-01-01", "2025-12-31") == [date(2025, 4, 1), date(2025, 7, 1), date(2025, 10, 1)]
    long = review_dates("2025-06-01", "2029-05-31")
    assert (len(long), long[0], long[-1]) == (15, date(2025, 9, 1), date(2029, 3, 1))
    assert reprocurement_planning_date("2029-05-31") == date(2028, 8, 31)
    assert reprocurement_planning_date("2025-12-31") == date(2025, 3, 31)


def test_handover_checklist(tmp_path):
    assert list(ROLES) == ["Contract owner", "Contract manager", "Contract user"]
    tender = pd.DataFrame([{"tender_id": "T1", "procedure": "open", "award_criteria": "ratedCriteria",
                            "price_weight": 40, "number_of_tenderers": 4}])
    report = handover_checklist("C1", contracts_table(), kpis_table(), commitments_table(), tender=tender)
    headings = [s.heading for s in report.sections]
    assert headings == ["The contract", "Roles", "How it was awarded", "KPIs and targets", "Service credits",
                        "Social value commitments", "Review dates (course design)", "Hand-over checklist"]
    text = to_markdown(report)
    assert "EUR 300.00 per red KPI" in text and "EUR 1,200.00" in text
    assert "2025-04-01, 2025-07-01, 2025-10-01" in text and "by 2025-03-31" in text
    assert "| Contract manager | Max Manager |" in text and "procedure: open" in text
    kpi_table = report.sections[3].table.set_index("kpi_id")
    assert kpi_table["amber down to"].to_dict() == {"K1": 85.5, "K2": 5.0}
    for suffix in (".md", ".html", ".docx"):
        assert save_report(report, tmp_path / f"handover{suffix}").stat().st_size > 0
    html = to_html(handover_checklist("C2", contracts_table(), kpis_table(), commitments_table()))
    assert "<script>x" not in html and "&lt;script&gt;x" in html
    with pytest.raises(LearnerError, match="no contract C9"):
        handover_checklist("C9", contracts_table(), kpis_table(), commitments_table())


# ---------------------------------------------------------------- report and exports

def test_monitoring_report_and_tables():
    report, sheets = monitoring_report(*tables(), as_of="2025-06")
    assert list(sheets) == ["Portfolio", "Alerts", "KPI status", "Service credits", "Social value"]
    assert report.sections[0].paragraphs[0] == "KPI returns for 2025-06: 2 green, 0 amber, 1 red, 0 missing."
    assert "Service credits to date: EUR 1,600. Alerts: 3." == report.sections[0].paragraphs[1]
    only_parks, _ = monitoring_report(*tables(), as_of="2025-06", service_area="Parks")
    assert only_parks.subtitle.startswith("1 contract(s)")


def test_export_neutralises_formulas_and_escapes_html(tmp_path):
    import openpyxl
    written = export_monitoring_report(tmp_path / "monitoring", *tables(), as_of="2025-06")
    assert [p.suffix for p in written] == [".xlsx", ".md", ".html"]
    sheet = openpyxl.load_workbook(written[0])["Portfolio"]
    header = [c.value for c in sheet[1]]
    suppliers = [row[header.index("supplier")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert suppliers == ["Acme Parks", "'" + EVIL]
    html = written[2].read_text(encoding="utf-8")
    assert "<script>x" not in html and "&lt;script&gt;x&lt;/script&gt;" in html
    assert EVIL in written[1].read_text(encoding="utf-8")
    with pytest.raises(LearnerError, match="not an export format"):
        export_monitoring_report(tmp_path / "m", *tables(), as_of="2025-06", formats=("pdf",))


# ---------------------------------------------------------------- check-returns command

@pytest.fixture()
def register_files(tmp_path):
    contracts, kpis = tmp_path / "contracts.csv", tmp_path / "kpis.csv"
    contracts_table().to_csv(contracts, index=False)
    kpis_table().to_csv(kpis, index=False)
    return ["--contracts", str(contracts), "--kpis", str(kpis)]


def test_cli_check_returns(register_files, capsys):
    from helpers.__main__ import main
    assert main(["check-returns", str(FIXTURES / "good.csv"), *register_files]) == 0
    assert "3 row(s) OK, 0 with problems" in capsys.readouterr().out
    assert main(["check-returns", str(FIXTURES / "problems.csv"), "--json", *register_files]) == 1
    found = json.loads(capsys.readouterr().out)
    assert (found["rows_ok"], found["rows_with_problems"], len(found["issues"])) == (2, 8, 8)
    assert main(["check-returns", str(FIXTURES / "good.csv"), "--as-of", "2025-02", "--json",
                 *register_files]) == 1                                   # C2's 2025-06 is not due yet
    found = json.loads(capsys.readouterr().out)
    assert [i["line"] for i in found["issues"]] == [4]
    missing = found["missing_returns"]
    assert missing == [{"contract_id": "C1", "kpi_id": "K1", "period": "2025-02"},
                       {"contract_id": "C1", "kpi_id": "K2", "period": "2025-02"}]


def test_cli_unusable_file_exits_2(register_files, capsys):
    from helpers.__main__ import main
    assert main(["check-returns", str(FIXTURES / "no_period_column.csv"), *register_files]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: no_period_column.csv: the header on line 1 has no column period")
    assert err.count("\n") == 1


def test_cli_against_shipped_data(tmp_path, capsys):
    pytest.importorskip("helpers.data")
    from helpers.__main__ import main
    from helpers.data import load_table
    returns = load_table("kpi_returns")
    row = returns[returns["contract_id"] == "PV-C-2025-017"].head(1)
    path = tmp_path / "one.csv"
    row.to_csv(path, index=False)
    assert main(["check-returns", str(path)]) == 0
    assert "1 row(s) OK, 0 with problems" in capsys.readouterr().out
