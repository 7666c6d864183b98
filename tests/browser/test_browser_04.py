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
