from __future__ import annotations

from pathlib import Path

import pytest

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

    # ipywidgets' FileUpload keeps its <input type=file> out of the page: answer the file chooser instead
    with page.expect_file_chooser() as chooser:
        page.locator("button.spw-upload").click()
    chooser.value.set_files(str(PROBLEMS))
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
