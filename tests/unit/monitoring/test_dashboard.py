"""Module 7 dashboard logic: alerts, the portfolio summary, one contract's view, the monitoring report
and its exports."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from helpers.core.errors import LearnerError
from helpers.monitoring.dashboard import alerts, contract_view, portfolio_summary
from helpers.monitoring.report import export_monitoring_report, monitoring_report
from helpers.monitoring.social_value import social_value_progress
from helpers.monitoring.widgets.dashboard_views import credits_figure, credits_shown
from tests.unit.monitoring.hand_tables import (
    EVIL,
    commitments_table,
    contracts_table,
    delivery_table,
    kpis_table,
    sv_tables,
    tables,
)

# ---------------------------------------------------------------- alerts


def _alert_tables(k1_values, k2_periods, delivered_last=1.0, unit="people"):
    contracts = contracts_table().head(1)  # C1: 2025-01 .. 2025-12
    kpis = kpis_table().head(2)
    rows = [("C1", "K1", f"2025-0{m}", v) for m, v in enumerate(k1_values, start=1)]
    rows += [("C1", "K2", p, 4.0) for p in k2_periods]
    returns = pd.DataFrame(rows, columns=["contract_id", "kpi_id", "period", "value"])
    delivery = delivery_table().head(6)
    delivery.loc[5, "delivered"] = delivered_last
    return contracts, kpis, returns, commitments_table().head(1).assign(unit=unit), delivery


ALL_K2 = [f"2025-0{m}" for m in range(1, 7)]


def test_alert_red_two_months_running():
    found = alerts(*_alert_tables([96, 96, 96, 96, 80, 80], ALL_K2), as_of="2025-06", months_ahead=5)
    assert found[["kind", "severity", "alert"]].values.tolist() == [
        ["kpi_red_twice", "high", "KPI red two months running"]
    ]
    assert "2025-05 = 80% and 2025-06 = 80% against a target of 95% (higher is better)" in found["message"][0]
    # just off: the latest month amber (90), or the red run not in the latest months
    assert alerts(*_alert_tables([96, 96, 96, 96, 80, 90], ALL_K2), as_of="2025-06", months_ahead=5).empty
    assert alerts(*_alert_tables([96, 96, 96, 80, 80, 96], ALL_K2), as_of="2025-06", months_ahead=5).empty


def test_alert_missing_return_on_its_boundary():
    tabs = _alert_tables([96] * 6, ALL_K2[:5])  # K2 has no 2025-06 return
    found = alerts(*tabs, as_of="2025-06", months_ahead=5)
    assert found[["kind", "severity", "alert"]].values.tolist() == [["missing_return", "high", "KPI returns missing"]]
    assert found["message"][0].startswith("1 KPI return missing: 2025-06 (K2). Returns of the last 2 months")
    two = alerts(*_alert_tables([96] * 6, ALL_K2[:4]), as_of="2025-06", months_ahead=5)
    assert two["message"][0].startswith("2 KPI returns missing: 2025-05 (K2); 2025-06 (K2).")
    assert alerts(*tabs, as_of="2025-05", months_ahead=5).empty  # 2025-06 not yet due
    # an old gap only (2025-03), the last two months complete: medium, not high
    old = [p for p in ALL_K2 if p != "2025-03"]
    gap = alerts(*_alert_tables([96] * 6, old), as_of="2025-05", months_ahead=5)
    assert gap[["severity", "message"]].values.tolist() == [
        ["medium", "1 KPI return missing: 2025-03 (K2). The last 2 months are complete. Ask the supplier for them"]
    ]
    assert alerts(*_alert_tables([96] * 6, old), as_of="2025-04", months_ahead=5)["severity"].tolist() == ["high"]


def test_alert_social_value_behind_pro_rata():
    # 12 hours committed over 12 months; by 2025-06 the path is 6; with no tolerance 6 is on it, 5.99 behind
    strict = {"as_of": "2025-06", "months_ahead": 5, "sv_tolerance_pct": 0}
    assert alerts(*_alert_tables([96] * 6, ALL_K2, 1.0, "hours"), **strict).empty
    found = alerts(*_alert_tables([96] * 6, ALL_K2, 0.99, "hours"), **strict)
    assert found[["kind", "severity", "alert"]].values.tolist() == [
        ["social_value_behind", "low", "Social value behind the path"]
    ]
    assert found["message"][0].startswith(
        "Local people hired: 5.99 hours of the 12 hours committed delivered by 2025-06 (month 6 of 12), "
        "below the pro-rata path of 6 hours"
    )


@pytest.mark.parametrize("delivered_last, behind", [(0.99, False), (0.4, False), (0.39, True)])
def test_alert_social_value_default_tolerance_boundary(delivered_last, behind):
    # default: behind = more than 10 % below the path of 6, i.e. under 5.4 (5 + 0.4 is not behind)
    found = alerts(*_alert_tables([96] * 6, ALL_K2, delivered_last, "hours"), as_of="2025-06", months_ahead=5)
    assert (found["kind"].tolist() == ["social_value_behind"]) is behind
    if behind:
        assert "5.39 hours of the 12 hours committed delivered by 2025-06" in found["message"][0]
        assert "behind means under 5.4 hours" in found["message"][0]


@pytest.mark.parametrize("delivered_last, behind", [(1.0, False), (0.99, True), (0.0, True)])
def test_alert_people_are_counted_whole(delivered_last, behind):
    # 12 people over 12 months: path 6 by 2025-06, behind under 5.4 -> at least 6 whole people needed;
    # 5.99 reported counts as 5 (rounded down, and the message says so)
    found = alerts(*_alert_tables([96] * 6, ALL_K2, delivered_last), as_of="2025-06", months_ahead=5)
    assert (found["kind"].tolist() == ["social_value_behind"]) is behind
    if delivered_last == 0.99:
        message = found["message"][0]
        assert message == (
            "Local people hired: 5 people of the 12 people committed delivered by 2025-06 (month 6 of 12; "
            "5.99 reported, rounded down to whole people). At an even pace, less the shortfall allowed, at least "
            "6 people would be delivered by now; at this pace about 10 people by the end. Discuss a recovery plan"
        )
        assert "." not in message.split("reported")[1].split("would")[0].replace(". At", "")  # no decimals after


def test_alert_social_value_far_behind_is_medium():
    # 5 of a path of 6 is low; none at all (under half of the path) is medium
    assert alerts(*_alert_tables([96] * 6, ALL_K2, 0.0), as_of="2025-06", months_ahead=5)["severity"].tolist() == [
        "low"
    ]
    tabs = list(_alert_tables([96] * 6, ALL_K2))
    tabs[4] = tabs[4].assign(delivered=0.0)
    assert alerts(*tabs, as_of="2025-06", months_ahead=5)["severity"].tolist() == ["medium"]


def test_social_value_tolerance_parameter_and_portfolio():
    commitments, delivery, contracts = sv_tables()

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
    tabs = list(_alert_tables([96] * 6, ALL_K2))
    found = alerts(*tabs, as_of="2025-06", months_ahead=6)  # ends 2025-12: 6 months on
    assert found[["kind", "severity"]].values.tolist() == [["reprocurement", "medium"]]
    assert found["alert"][0] == "Contract ends soon, plan what comes next"
    assert "ends on 2025-12-31, 6 months after 2025-06" in found["message"][0]
    assert alerts(*tabs, as_of="2025-06", months_ahead=5).empty
    # 3 months or fewer left: high
    more = [("C1", k, f"2025-0{m}", 96.0 if k == "K1" else 4.0) for m in (7, 8, 9) for k in ("K1", "K2")]
    tabs[2] = pd.concat([tabs[2], pd.DataFrame(more, columns=tabs[2].columns)], ignore_index=True)
    late = alerts(*tabs, as_of="2025-09", months_ahead=6)
    assert late[late["kind"] == "reprocurement"]["severity"].tolist() == ["high"]


def test_alerts_are_ranked_high_to_low():
    # C1 at 2025-06: missing return (high, the latest month), re-procurement (medium); C2: apprenticeships behind
    found = alerts(*tables(), as_of="2025-06")
    assert found[["contract_id", "severity", "alert"]].values.tolist() == [
        ["C1", "high", "KPI returns missing"],
        ["C1", "medium", "Contract ends soon, plan what comes next"],
        ["C2", "medium", "Social value behind the path"],  # 0 of a path of 1/6: under half of it
    ]


# ---------------------------------------------------------------- dashboard tables


def test_portfolio_summary_by_hand():
    summary = portfolio_summary(*tables(), as_of="2025-06").set_index("contract_id")
    c1, c2 = summary.loc["C1"], summary.loc["C2"]
    assert (c1.green, c1.amber, c1.red, c1.missing, c1.status, c1.state) == (2, 0, 0, 0, "green", "running")
    assert (c2.green, c2.red, c2.status, c2.supplier) == (0, 1, "red", EVIL)
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
    assert later.loc["C1", "credits_to_date_eur"] == 900.0  # 600 + 300


def test_contract_view_for_the_dashboard():
    view = contract_view("C1", *tables(), as_of="2025-06", period_from="2025-03")
    assert set(view) == {
        "contract",
        "kpis",
        "kpi_trend",
        "credits",
        "social_value",
        "social_value_path",
        "alerts",
        "state",
    }
    assert view["state"][["state", "state_text", "period"]].values.tolist() == [["running", "running", "2025-06"]]
    assert len(view["kpi_trend"]) == 8 and view["kpi_trend"]["period"].min() == "2025-03"
    assert view["kpis"].set_index("kpi_id")["amber_limit"].round(6).to_dict() == {"K1": 85.5, "K2": 5.0}
    assert view["credits"]["credit_eur"].tolist() == [600.0, 600.0, 300.0, 0.0]
    assert view["social_value"]["delivered_to_date"].tolist() == [6.0]
    assert sorted(view["alerts"]["kind"]) == ["missing_return", "reprocurement"]
    narrow = contract_view("C1", *tables(), as_of="2025-06", period_to="2025-04")
    assert narrow["kpi_trend"]["period"].max() == "2025-04"
    with pytest.raises(LearnerError, match="no contract C7"):
        contract_view("C7", *tables())


# ---------------------------------------------------------------- report and exports


def test_monitoring_report_and_tables():
    report, sheets = monitoring_report(*tables(), as_of="2025-06")
    assert list(sheets) == ["Portfolio", "Alerts", "KPI status", "Service credits", "Social value"]
    assert report.sections[0].paragraphs[0] == "KPI returns for 2025-06: 2 green, 0 amber, 1 red, 0 missing."
    assert report.sections[0].paragraphs[1] == (
        "Contracts in 2025-06: 2 running, 0 ended, 0 not started (ended and not started contracts are not rated)."
    )
    assert report.sections[0].paragraphs[2] == (
        "Service credits to date: EUR 1,600. Alerts: 3 (1 high, 2 medium, 0 low)."
    )
    assert list(sheets["Alerts"].columns) == ["severity", "contract", "alert", "details and what to do"]
    assert "missing_return" not in sheets["Alerts"].to_string()  # plain names only
    only_parks, _ = monitoring_report(*tables(), as_of="2025-06", service_area="Parks")
    assert only_parks.subtitle.startswith("1 contract(s)")


def test_export_neutralises_formulas_and_escapes_html(tmp_path):
    written = export_monitoring_report(tmp_path / "monitoring", *tables(), as_of="2025-06")
    assert [p.suffix for p in written] == [".xlsx", ".md", ".html"]
    sheet = openpyxl.load_workbook(written[0])["Portfolio"]
    header = [c.value for c in sheet[1]]
    suppliers = [row[header.index("supplier")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert suppliers == ["Acme Parks", "'" + EVIL]
    html = written[2].read_text(encoding="utf-8")
    assert "<script>x" not in html and "&lt;script&gt;x&lt;/script&gt;" in html
    markdown = written[1].read_text(encoding="utf-8")  # escaped: shows the text, runs nothing (issue 11)
    assert "<script>" not in markdown and r"\=SUM(1+1) \<script\>x\</script\>" in markdown
    with pytest.raises(LearnerError, match="not an export format"):
        export_monitoring_report(tmp_path / "m", *tables(), as_of="2025-06", formats=("pdf",))


# ---------------------------------------------------------------- time: ended and not started contracts


def test_ended_and_not_started_contracts_are_not_rated():
    # C1 runs 2025-01 .. 2025-12; C2 2025-06 .. 2026-05. In 2026-01 C1 has ended (its last returns were months
    # earlier): it must say "ended 2025-12", never "green", and raise no alert
    later = portfolio_summary(*tables(), as_of="2026-01").set_index("contract_id")
    c1 = later.loc["C1"]
    assert (c1.state, c1.status, c1.green, c1.amber, c1.red, c1.missing, c1.alerts) == (
        "ended",
        "ended 2025-12",
        0,
        0,
        0,
        0,
        0,
    )
    assert c1.credits_to_date_eur == 1800.0  # its credits while it ran stay: 1,500 to June + 300 (K1 red in July)
    assert later.loc["C2", "state"] == "running" and later.loc["C2", "status"] == "missing"
    early = portfolio_summary(*tables(), as_of="2025-03").set_index("contract_id")
    assert (early.loc["C2", "state"], early.loc["C2", "status"]) == ("not started", "not started (starts 2025-06)")
    assert early.loc["C2", "credits_to_date_eur"] == 0.0
    assert set(alerts(*tables(), as_of="2026-01")["contract_id"]) == {"C2"}
    view = contract_view("C1", *tables(), as_of="2026-01")
    assert view["state"][["state", "state_text"]].values.tolist() == [["ended", "ended 2025-12"]]
    assert view["kpi_trend"]["period"].max() == "2025-12"  # shown up to its end, not rated after


def test_unknown_contract_terms_give_unknown_credits_never_zero():
    contracts = contracts_table().drop(columns=["monthly_charge_eur", "service_credit_pct", "service_credit_cap_pct"])
    rest = tables()[1:]
    summary = portfolio_summary(contracts, *rest, as_of="2025-06").set_index("contract_id")
    assert pd.isna(summary.loc["C1", "credits_to_date_eur"]) and pd.isna(summary.loc["C2", "credits_to_date_eur"])
    # a contract with no red month has a known credit of 0, even without terms
    assert (
        portfolio_summary(contracts, *rest, as_of="2025-01").set_index("contract_id").loc["C1", "credits_to_date_eur"]
        == 0.0
    )
    report, _ = monitoring_report(contracts, *rest, as_of="2025-06")
    assert "unknown for 2 contract(s)" in report.sections[0].paragraphs[2]
    view = contract_view("C1", contracts, *rest, as_of="2025-06")
    shown = credits_shown(view["credits"], red_only=False)
    assert shown[["month", "credit"]].values.tolist()[:3] == [
        ["2025-01", "EUR 0.00"],  # no red KPI: no credit, known
        ["2025-02", "EUR 0.00"],
        ["2025-03", "unknown"],  # K1 and K2 red, but the charge and credit % are not in the register
    ]
    title = credits_figure(view, "C1").layout.title.text
    assert "total unknown: 3 month(s) with a red KPI" in title  # March, April and May
