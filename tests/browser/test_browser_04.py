"""Module 4 in a real JupyterLab: the opportunity matrix reacts to a threshold slider and to the source."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_module4_matrix_threshold_and_source(open_notebook):
    nb = open_notebook("04")
    nb.run_all()
    page = nb.page
    assert not nb.errors()
    counts = page.locator(".spw-matrix-counts")
    counts.wait_for(timeout=60_000)
    nb.wait_text(".spw-matrix-counts", "grow local spend: 6")
    assert "keep: 6" in counts.inner_text()
    page.wait_for_function(
        "() => document.querySelector('.spw-matrix-chart .gtitle') && document.querySelector("
        "'.spw-matrix-chart .gtitle').textContent.includes('Portavera 2025')",
        timeout=60_000,
    )
    assert page.locator(".spw-matrix-chart .js-plotly-plot .scatterlayer .point").count() == 32
    assert "45.8% spent locally" in page.locator(".spw-matrix-details").inner_text()

    # lower the local-share line to 40%: construction (45.8%) and 71 (49.5%) move to "keep"
    readout = page.locator(".spw-matrix-local-share .widget-readout")
    readout.fill("40")
    readout.press("Enter")
    nb.wait_text(".spw-matrix-counts", "grow local spend: 4")
    assert "keep: 8" in counts.inner_text()
    nb.wait_text(".spw-matrix-details", "keep")
    assert "45 Construction work" in page.locator(".spw-matrix-table").inner_text()

    # another source: Valmora 2024 (the chart's title and the counts follow)
    page.locator(".spw-matrix-source select").select_option(label="Valmora 2024 (course data)")
    page.wait_for_function(
        "() => (document.querySelector('.spw-matrix-chart .gtitle')?.textContent || '').includes('Valmora 2024')",
        timeout=60_000,
    )
    nb.wait_text(".spw-matrix-counts", "thin local market: 3")  # at the 40% line still set
    assert "keep: 7" in counts.inner_text()
    page.locator(".spw-matrix-chart").scroll_into_view_if_needed()
    assert not nb.errors()


@pytest.mark.realdata
def test_module4_opens_a_real_saved_analysis_and_clears_the_course_chart(
    open_notebook, lab, real_data_dir, monkeypatch
):
    """A real council ledger saved in module 3 (no postcodes, no CPV): the matrix uses its Expense Types,
    says "location unknown" and why, and the course city's chart does not stay on screen."""
    from helpers.spend.pipeline import save_analysis
    from helpers.spend.widgets.workbench_state import Workbench

    monkeypatch.setenv("SPW_WORK_DIR", str(lab.work))  # save where the lab's kernels look
    wb = Workbench()
    wb.load_ledger(real_data_dir / "devon_spend_2014_07_cp1252.csv")
    save_analysis(wb.analysis(), "Devon July 2014")

    nb = open_notebook("04")
    nb.run_all()
    page = nb.page
    assert not nb.errors()
    nb.wait_text(".spw-matrix-counts", "grow local spend: 6")
    page.wait_for_function("() => document.querySelector('.spw-matrix-chart .js-plotly-plot') !== null", timeout=60_000)
    page.locator(".spw-matrix-source select").select_option(label="Devon July 2014 (my saved analysis)")
    nb.wait_text(".spw-matrix-counts", "location unknown")
    counts = page.locator(".spw-matrix-counts").inner_text()
    assert "grow local spend" not in counts and "keep" not in counts  # no "0" that is really unknown
    nb.wait_text(".spw-matrix-chart", "The chart cannot be drawn")
    assert page.locator(".spw-matrix-chart .js-plotly-plot").count() == 0  # Portavera's chart is gone
    assert "Expense Type" in page.locator(".spw-matrix-note").inner_text()
    table = page.locator(".spw-matrix-table").inner_text()
    assert "Care Spot - Private (3rd)" in table and "unknown" in table and "45 Construction" not in table
    nb.wait_text(".spw-matrix-details", "the share spent locally is unknown")  # drawn after the table
    assert page.locator(".spw-matrix-message").inner_text().strip() == ""
    assert not nb.errors()
    page.locator(".spw-matrix-counts").scroll_into_view_if_needed()
    nb.screenshot("nb04-devon-saved-analysis")
