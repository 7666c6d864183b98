"""Module 7 dashboard widget: built in Python on the shipped Portavera data, driven through
its controls, with the visible summaries checked against the pure functions and by hand."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest

from helpers.monitoring import (
    build_dashboard,
    load_monitoring_tables,
    month_in_brief,
    portfolio_summary,
    service_credit_for,
)
from helpers.monitoring.dashboard import period_options, rag_counts
from helpers.monitoring.widgets.dashboard_views import rag_chips_html, returns_check_html
from helpers.monitoring.widgets.monitoring_dashboard import static_dashboard
from helpers.ui.messages import Issue
from tests.unit.download_checks import (
    assert_binder_offer,
    assert_links,
    assert_local_links_only,
    not_on_binder,
    on_binder,
)

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "kpi_returns"
EVIL = "<script>x</script>"


def chips(dashboard) -> dict[str, int]:
    found = re.findall(r"spw-chip-(\w+)\".*?>\w+: (\d+)</span>", dashboard.rag_summary.value)
    return {status: int(n) for status, n in found}


@pytest.fixture(scope="module")
def portavera():
    return load_monitoring_tables("portavera")


@pytest.fixture()
def dashboard(portavera, work_dir):
    return build_dashboard("portavera", "2026-03", tables=portavera)


def test_defaults_show_the_playground_contract_in_march_2026(dashboard):
    assert dashboard.message.value == ""
    assert (dashboard.contract.value, dashboard.period.value) == ("PV-C-2025-017", "2026-03")
    # 15 Portavera contracts; March 2026 returns: 43 green, 5 amber, 4 red, 0 missing
    assert chips(dashboard) == {"green": 43, "amber": 5, "red": 4, "missing": 0}
    assert "(15 contracts)" in dashboard.rag_summary.value
    assert dashboard.portfolio.value.count("<tr>") == 16  # header + 15 contracts
    # the KPI chart: 4 KPIs x (target, amber band, returns); K1 in March is 72 h against 48 -> red
    fig = dashboard.figures["kpi"]
    assert len(fig.data) == 12 and fig.layout.title.text.startswith("PV-C-2025-017")
    k1 = fig.data[2]
    assert (k1.x[-1], k1.y[-1], k1.customdata[-1]) == ("2026-03", 72.0, "red")
    assert fig.data[1].fill == "tonexty" and list(fig.data[1].y)[-1] == 60.0  # amber up to 48 x 1.25
    # credits: Nov 2025 and Mar 2026, each 3 % of EUR 22,604.17 = 678.13
    assert list(dashboard.figures["credits"].data[0].y) == [0, 678.13, 0, 0, 0, 678.13]


def test_changing_the_period_changes_the_summary(dashboard, portavera):
    dashboard.period.value = "2026-04"
    assert chips(dashboard) == {"green": 38, "amber": 7, "red": 5, "missing": 2}
    expected = portfolio_summary(
        *[
            portavera[n]
            for n in ("contracts", "kpis", "kpi_returns", "social_value_commitments", "social_value_delivery")
        ],
        as_of="2026-04",
    )
    assert chips(dashboard) == rag_counts(expected)
    assert dashboard.figures["kpi"].data[2].x[-1] == "2026-04"  # the chart follows the month
    dashboard.period.value = "2025-09"  # before the contract starts
    assert dashboard.figures["kpi"].data == ()
    assert dashboard.figures["kpi"].layout.title.text.endswith("to 2025-09 (not started by then: no KPI returns due)")
    assert "starts on 2025-10-01" in dashboard.state_note.value
    assert chips(dashboard)["green"] > 0 and dashboard.message.value == ""  # other contracts were running


def test_changing_contract_and_filters(dashboard):
    dashboard.contract.value = "PV-C-2024-009"  # school meals
    assert dashboard.figures["kpi"].layout.title.text.startswith("PV-C-2024-009")
    assert "School meals" not in dashboard.figures["kpi"].layout.title.text  # ids only in the title
    dashboard.service_area.value = "Education"
    assert [v for _, v in dashboard.contract.options] == ["PV-C-2024-002", "PV-C-2024-009"]
    assert dashboard.contract.value == "PV-C-2024-009"  # kept: still in the list
    assert "(2 contracts)" in dashboard.rag_summary.value
    dashboard.service_area.value = "Fleet Services"  # meals filtered out
    assert dashboard.contract.value == "PV-C-2025-009"
    assert dashboard.figures["kpi"].layout.title.text.startswith("PV-C-2025-009")


def test_upload_with_problems_lists_them_and_keeps_the_data(dashboard):
    before = chips(dashboard)
    good, issues = dashboard.check_file(FIXTURES / "problems.csv")
    assert good.empty and len(issues) == 15  # 14 line problems, then "none of its rows can be used"
    text = dashboard.issues.value
    assert "problems.csv</b>: 0 rows usable, 10 row(s) with problems" in text
    assert "the value &#x27;n/a&#x27; is not a number" in text and "Traceback" not in text
    assert "keeps the KPI returns it had" in dashboard.returns_note.value
    assert chips(dashboard) == before


def test_good_rows_replace_the_shipped_returns_and_file_is_untouched(dashboard, tmp_path):
    path = tmp_path / "march.csv"
    path.write_text(
        "contract_id,kpi_id,period,value\n"
        "PV-C-2025-017,K1,2026-03,50\n"  # amber now (48 < 50 <= 60)
        "PV-C-2025-017,K2,2026-03,99\n"
        "PV-C-2025-017,K9,2026-03,1\n",
        encoding="utf-8",
    )
    before = path.read_bytes()
    good, issues = dashboard.check_file(path)
    assert len(good) == 2 and [i.line for i in issues] == [4]
    assert "contract PV-C-2025-017 has no KPI &#x27;K9&#x27;" in dashboard.issues.value
    assert "uses your KPI returns from march.csv" in dashboard.returns_note.value
    assert "your file march.csv (2 usable rows)" in dashboard.data_summary.value
    # only the uploaded returns count now: 1 amber + 1 green, the other 50 KPI months are missing
    assert chips(dashboard) == {"green": 1, "amber": 1, "red": 0, "missing": 50}
    assert list(dashboard.figures["credits"].data[0].y)[-1] == 0  # no red -> no credit
    assert path.read_bytes() == before
    assert not dashboard.use_shipped.disabled
    dashboard.use_shipped.click()
    assert chips(dashboard)["red"] == 4 and dashboard.use_shipped.disabled


def test_unusable_upload_is_a_message_not_a_traceback(dashboard):
    dashboard.upload.value = (
        {
            "name": "returns.csv",
            "type": "text/csv",
            "size": 22,
            "content": memoryview(b"contract_id,kpi_id,value\nX,K1,5\n"),
            "last_modified": datetime(2026, 3, 31, tzinfo=UTC),
        },
    )
    assert "has no column period" in dashboard.issues.value
    assert "/tmp" not in dashboard.issues.value and "Traceback" not in dashboard.issues.value


def test_exports_write_files_and_say_where(dashboard, work_dir):
    report = dashboard.export_monitoring()
    assert [p.name for p in report] == [
        "monitoring_portavera_2026-03.xlsx",
        "monitoring_portavera_2026-03.md",
        "monitoring_portavera_2026-03.html",
    ]
    assert all(p.parent == work_dir / "exports" and p.stat().st_size > 0 for p in report)
    assert "KPI returns for 2026-03: 43 green, 5 amber, 4 red, 0 missing." in report[1].read_text(encoding="utf-8")
    pack = dashboard.export_handover_pack()
    assert [p.name for p in pack] == ["handover_PV-C-2025-017.docx", "handover_PV-C-2025-017.md"]
    assert "Juegos del Puerto" in pack[1].read_text(encoding="utf-8")
    assert str(pack[0]) in dashboard.export_message.value


def test_pure_pieces():
    assert period_options(pd.DataFrame({"start_date": ["2025-11-01"]}), pd.DataFrame({"period": ["2026-01"]})) == [
        "2025-11",
        "2025-12",
        "2026-01",
    ]
    html = rag_chips_html({"green": 1, "amber": 2, "red": 3, "missing": 0}, EVIL, 1)
    assert "red: 3" in html and "(1 contract)" in html and "<script>" not in html
    issue = Issue(f"contract {EVIL} unknown", fix="fix it", where=f"{EVIL}, line 3", line=3)
    shown = returns_check_html([issue], EVIL, 0)
    assert "<script>" not in shown and "&lt;script&gt;" in shown


def test_static_view_and_worked_example(portavera):
    rag, table, found, fig = static_dashboard("valmora", "2026-03")
    assert table["contract"].tolist() == ["VM-C-2023-002", "VM-C-2024-003", "VM-C-2024-004", "VM-C-2025-002"]
    assert "alerts on 2026-03" in found.data and "_" not in found.data.split("<table")[1].split("</thead>")[0]
    assert fig.layout.title.text.startswith("VM-C-2023-002")
    assert service_credit_for("PV-C-2025-017", "2026-03") == 678.13
    text = month_in_brief(
        "PV-C-2025-017", "2026-03", portavera["contracts"], portavera["kpis"], portavera["kpi_returns"]
    )
    assert text.startswith("PV-C-2025-017 2026-03: K1 red (72 vs target 48), K2 green")
    assert "Red KPIs: 1; service credit EUR 678.13" in text


def test_exports_get_download_links_and_binder_its_warning(dashboard, work_dir, monkeypatch):
    not_on_binder(monkeypatch)
    assert dashboard.export_downloads in dashboard.widget().children
    report = dashboard.export_monitoring()
    assert_local_links_only(dashboard.export_downloads, report)
    on_binder(monkeypatch)
    dashboard.export_handover.click()
    pack = [work_dir / "exports" / "handover_PV-C-2025-017.docx", work_dir / "exports" / "handover_PV-C-2025-017.md"]
    assert_links(dashboard.export_downloads, pack)
    assert "monitoring_portavera" not in dashboard.export_downloads.html  # one export's links at a time
    assert_binder_offer(dashboard.export_downloads, work_dir)
    dashboard.contract.value = None
    dashboard.export_handover.click()  # no contract: a message, and no link left from the last export
    assert "no contract is selected" in dashboard.message.value and dashboard.export_downloads.outputs == ()
