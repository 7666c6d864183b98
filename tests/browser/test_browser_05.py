"""Module 5 in a real JupyterLab: a rubric score changes the suggested route, the R003 days the flag count."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_module5_rubric_route_and_health_check(open_notebook):
    nb = open_notebook("05")
    nb.run_all()
    page = nb.page
    assert not nb.errors()
    route = page.locator(".spw-innovation-route")
    route.wait_for(timeout=60_000)
    nb.wait_text(".spw-innovation-route", "market dialogue with functional specifications")
    assert "13/21" in route.inner_text()
    assert "not public" in page.locator(".spw-rubric-note").inner_text()
    page.wait_for_function(
        "() => document.querySelector('.spw-innovation-chart .gtitle') && document."
        "querySelector('.spw-innovation-chart .gtitle').textContent.includes('13/21')",
        timeout=60_000,
    )
    assert page.locator(".spw-innovation-chart .js-plotly-plot .barlayer .point").count() == 7

    # market maturity 1 -> 3 (R&D needed): rule 2, pre-commercial procurement
    page.locator(".spw-rubric-market-maturity select").select_option(index=3)
    nb.wait_text(".spw-innovation-route", "Suggested route: pre-commercial procurement")
    assert "15/21" in route.inner_text()

    # the health check: 4 short periods under 15 days, 27 under 40 days
    counts = page.locator(".spw-health-counts")
    counts.scroll_into_view_if_needed()
    nb.wait_text(".spw-health-counts", "Short submission period: 4")
    assert "120 tenders, 24 flagged" in counts.inner_text()
    assert "question, not a verdict" in page.locator(".spw-caveat").inner_text()
    readout = page.locator(".spw-health-r003 .widget-readout")
    readout.fill("40")
    readout.press("Enter")
    nb.wait_text(".spw-health-counts", "Short submission period: 27")
    assert "under 40 days" in counts.inner_text()
    assert not nb.errors()
