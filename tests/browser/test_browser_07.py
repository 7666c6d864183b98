from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser.conftest import choose_file

pytestmark = pytest.mark.browser

PROBLEMS = Path(__file__).resolve().parents[1] / "fixtures" / "kpi_returns" / "problems.csv"
KPI_TITLE = ".spw-kpi-chart .js-plotly-plot .gtitle"


def test_dashboard_contract_period_and_upload(open_notebook):
    nb = open_notebook("07")
    nb.run_all()
    page = nb.page
    assert not nb.errors()
    summary = page.locator(".spw-monitoring .spw-rag-summary")
    summary.wait_for(timeout=30_000)
    # March 2026 (the notebook's as_of): 43 green, 5 amber, 4 red, 0 missing across 15 contracts
    assert "red: 4" in summary.inner_text() and "amber: 5" in summary.inner_text()
    page.wait_for_selector(KPI_TITLE, timeout=30_000)
    assert "PV-C-2025-017" in page.locator(KPI_TITLE).text_content()
    assert page.locator(".spw-kpi-chart .js-plotly-plot .scatterlayer .trace").count() == 12  # 4 KPIs x 3

    page.locator(".spw-contract select").select_option(
        label="PV-C-2024-009: School meals for municipal schools (Cocina Común Coop.)"
    )
    page.wait_for_function(
        f"() => document.querySelector('{KPI_TITLE}')?.textContent.includes('PV-C-2024-009')", timeout=20_000
    )
    assert page.locator(".spw-kpi-chart .js-plotly-plot .scatterlayer .trace").count() == 15  # 5 KPIs x 3

    page.locator(".spw-period select").select_option("2026-04")
    page.wait_for_function(
        "() => (document.querySelector('.spw-rag-summary')?.innerText || '').includes('red: 5')", timeout=20_000
    )
    assert "missing: 2" in summary.inner_text() and "KPI returns for 2026-04" in summary.inner_text()
    summary.scroll_into_view_if_needed()
    nb.screenshot("nb07-dashboard-april")

    choose_file(page, page.locator("button.spw-upload"), PROBLEMS)
    issues = page.locator(".spw-issues")
    issues.wait_for(timeout=20_000)
    page.wait_for_function(
        "() => (document.querySelector('.spw-issues')?.innerText || '').includes('not a number')", timeout=20_000
    )
    text = issues.inner_text()
    assert "problems.csv: 0 rows usable, 10 row(s) with problems" in text
    assert "contract 'C9' is not in the contracts table" in text
    assert "the period '2025/02' is not a month written YYYY-MM" in text
    assert "Traceback" not in page.locator(".spw-monitoring").inner_text()
    assert "red: 5" in summary.inner_text()  # the course data stays in use
    assert not nb.errors()


CONTRACTS = (
    "Contract ID;Title;Supplier;Service area;Start date;End date;Monthly charge (EUR);Service credit %;"
    "Service credit cap %\n"
    "GR-001;Limpieza de colegios;Limpiezas Añón S.L.;Educación;01/04/2024;31/03/2027;12.500,00;2,5;10\n"
    "GR-002;Mantenimiento de fuentes;Aguas del Sur S.A.;Parques;01/01/2023;30/06/2025;3.200,50;5;15\n"
    "GR-003;Alumbrado LED;Luz Eficiente S.L.;Vía pública;01/09/2026;31/08/2030;8.000;3;12\n"
)


def portfolio_row(page, contract_id: str) -> str:
    return page.locator(".spw-portfolio tr", has_text=contract_id).first.inner_text()


def test_ended_contracts_are_not_rated_and_alerts_are_ranked(open_notebook, tmp_path):
    nb = open_notebook("07")
    nb.run_all()
    page = nb.page
    assert not nb.errors()
    summary = page.locator(".spw-monitoring .spw-rag-summary")
    summary.wait_for(timeout=30_000)
    # March 2026: PV-C-2023-016 ended in November 2025: counted apart, never rated
    assert "not rated: 1 contract (1 ended, 0 not started)" in summary.inner_text()
    row = portfolio_row(page, "PV-C-2023-016")
    assert "ended 2025-11" in row and "green" not in row
    # 43 alerts, most urgent first, under plain names (never a code)
    alerts = page.locator(".spw-monitoring .spw-alerts").inner_text()
    assert "43 alerts on 2026-03: 6 high, 15 medium, 22 low (most urgent first)" in alerts
    first = page.locator(".spw-alerts tbody tr").first.inner_text()
    assert first.startswith("high") and "KPI returns missing" in first
    assert "Social value behind the path" in alerts and "social_value_behind" not in alerts
    assert re.search(r"\d\.\d+ (people|person)\b", alerts) is None  # people are whole
    # the ended contract on its own: a note, and a chart of its returns up to its end
    page.locator(".spw-contract select").select_option(
        label="PV-C-2023-016: Street-lighting maintenance (Serrano Talleres S.L.)"
    )
    nb.wait_text(".spw-state-note", "PV-C-2023-016 ended on 2025-11-30: it is not rated for 2026-03")
    page.wait_for_function(
        f"() => (document.querySelector('{KPI_TITLE}')?.textContent || '').includes('ended: not rated for 2026-03')",
        timeout=20_000,
    )
    assert "to its end in 2025-11" in page.locator(KPI_TITLE).text_content()
    page.locator(".spw-state-note").scroll_into_view_if_needed()
    nb.screenshot("nb07-ended-contract")

    # the city's own contract register, uploaded as such: the old views go, its contracts come
    contracts = tmp_path / "contratos.csv"
    contracts.write_bytes(CONTRACTS.encode("cp1252"))
    page.locator(".spw-file-kind select").select_option(label="Contract register")
    choose_file(page, page.locator("button.spw-upload"), contracts)
    nb.wait_text(".spw-data-summary", "your file contratos.csv (3 usable rows)")
    nb.wait_text(".spw-portfolio", "GR-003")
    assert "PV-C-" not in page.locator(".spw-portfolio").inner_text()
    assert "not started (starts 2026-09)" in portfolio_row(page, "GR-003")
    assert "ended 2025-06" in portfolio_row(page, "GR-002")
    page.wait_for_function(
        f"() => (document.querySelector('{KPI_TITLE}')?.textContent || '').startsWith('GR-001')", timeout=20_000
    )
    assert "your contracts have no KPI definitions yet" in page.locator(".spw-data-summary").inner_text()
    page.locator(".spw-portfolio").scroll_into_view_if_needed()
    nb.screenshot("nb07-own-contracts")
    assert "Traceback" not in page.locator(".spw-monitoring").inner_text()
    assert not nb.errors()
