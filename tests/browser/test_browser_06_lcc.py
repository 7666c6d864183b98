"""Module 6's life-cycle costing tool in JupyterLab: it renders on the course example, each chart has its sentence,
and moving the discount rate changes the ranking (NordLys at 4 %, Farola Clara at 8 %)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

LCC = ".spw-life-cycle-costing"
RANKING = f"{LCC} .spw-lcc-ranking"
PARTS_TITLE = f"{LCC} .spw-lcc-parts-chart .js-plotly-plot .gtitle"


def wait_text(page, selector: str, text: str, timeout: int = 30_000) -> None:
    page.wait_for_function(
        "([s, t]) => (document.querySelector(s)?.innerText || '').includes(t)", arg=[selector, text], timeout=timeout
    )


def test_life_cycle_costing_renders_and_follows_the_discount_rate(open_notebook):
    nb = open_notebook("06")
    nb.run_all()
    page = nb.page
    assert not nb.errors()
    page.locator(RANKING).wait_for(timeout=60_000)
    page.locator(RANKING).scroll_into_view_if_needed()
    wait_text(page, RANKING, "1. NordLys Belysning A/S: EUR 1,731,069")
    assert (
        "although Lumen Ibérica S.A. is the cheapest to buy"
        in page.locator(f"{LCC} .spw-lcc-parts-chart .spw-chart-summary").inner_text()
    )
    assert (
        "Farola Clara S.L. from 6 % to 9.5 %"
        in page.locator(f"{LCC} .spw-lcc-rates-chart .spw-chart-summary").inner_text()
    )
    page.wait_for_selector(PARTS_TITLE, timeout=30_000)
    assert "Life-cycle cost at 4 %: NordLys Belysning A/S is lowest" in page.locator(PARTS_TITLE).text_content()
    nb.screenshot("nb06-lcc-at-4")

    readout = page.locator(f"{LCC} .spw-lcc-rate .widget-readout")
    readout.fill("8")
    readout.press("Enter")
    wait_text(page, RANKING, "1. Farola Clara S.L.: EUR 1,447,845")
    ranking = page.locator(RANKING).inner_text()
    assert ranking.index("Farola Clara S.L.") < ranking.index("Lumen Ibérica S.A.") < ranking.index("NordLys")
    page.wait_for_function(
        "(s) => (document.querySelector(s)?.textContent || '').includes('at 8 %: Farola Clara S.L. is lowest')",
        arg=PARTS_TITLE,
        timeout=30_000,
    )
    assert "discount rate of 8 %" in page.locator(f"{LCC} .spw-lcc-scope").inner_text()
    assert not nb.errors()
    nb.screenshot("nb06-lcc-at-8")
