from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

BUILDER = ".spw-criteria-builder"
SIM = ".spw-evaluation-simulator"
SCORES_TITLE = f"{SIM} .spw-ranking-chart .js-plotly-plot .gtitle"


def wait_text(page, selector: str, text: str, timeout: int = 20_000) -> None:
    page.wait_for_function(
        "([s, t]) => (document.querySelector(s)?.innerText || '').includes(t)", arg=[selector, text], timeout=timeout
    )


def test_builder_checks_and_simulator_price_weight(open_notebook):
    nb = open_notebook("06")
    nb.run_all()
    page = nb.page
    assert not nb.errors()

    # the criteria builder: the default playground draft passes every check
    validation = f"{BUILDER} .spw-validation-area"
    page.locator(validation).wait_for(timeout=30_000)
    assert "No problems found" in page.locator(validation).inner_text()
    assert page.locator(f"{BUILDER} .spw-draft-item").count() == 7
    # pick a performance clause from the library, add it and give it points
    page.locator(f"{BUILDER} .spw-suggestion select").select_option(
        label="GRN-ANY-01 · Carbon reporting for the contract (contract performance clause)"
    )
    wait_text(page, f"{BUILDER} .spw-card-area", "Carbon reporting for the contract")
    assert "Verification:" in page.locator(f"{BUILDER} .spw-card-area").inner_text()
    page.locator(f"{BUILDER} button.spw-add").click()
    page.wait_for_function(f"() => document.querySelectorAll('{BUILDER} .spw-draft-item').length === 8", timeout=20_000)
    weight = page.locator(f"{BUILDER} .spw-weight input").nth(7)
    weight.fill("5")
    weight.press("Enter")
    wait_text(page, validation, "belongs in a contract clause")
    assert (
        "item 8 (Carbon reporting for the contract) is a contract performance clause but has 5 points"
        in page.locator(validation).inner_text()
    )
    # lower the first award criterion: the weights no longer add up to 100
    first = page.locator(f"{BUILDER} .spw-weight input").nth(0)
    first.fill("10")
    first.press("Enter")
    wait_text(page, validation, "together 90, but they must add up to 100")
    assert "Quality 50 + price 40 = 90" in page.locator(f"{BUILDER} .spw-weights-summary").inner_text()
    page.locator(validation).scroll_into_view_if_needed()
    nb.screenshot("nb06-builder-checks")

    # the simulator: Juegos del Puerto wins at 40; PlayForm from 67.8
    winner = f"{SIM} .spw-winner"
    page.locator(winner).wait_for(timeout=30_000)
    assert "At price weight 40: Juegos del Puerto S.L. wins with 86.58 points" in page.locator(winner).inner_text()
    page.wait_for_selector(SCORES_TITLE, timeout=30_000)
    assert "Juegos del Puerto S.L. wins" in page.locator(SCORES_TITLE).text_content()
    assert page.locator(f"{SIM} .spw-ranking-chart .js-plotly-plot .barlayer .point").count() == 10
    readout = page.locator(f"{SIM} .spw-price-weight .widget-readout")
    readout.fill("70")
    readout.press("Enter")
    wait_text(page, winner, "PlayForm Europe B.V. wins")
    assert "At price weight 70: PlayForm Europe B.V. wins with 88.50 points" in page.locator(winner).inner_text()
    ranking = page.locator(f"{SIM} .spw-ranking").inner_text()
    assert ranking.index("PlayForm Europe B.V.") < ranking.index("Juegos del Puerto S.L.")
    page.wait_for_function(
        f"() => (document.querySelector('{SCORES_TITLE}')?.textContent || '').includes('PlayForm Europe B.V. wins')",
        timeout=20_000,
    )
    page.locator(winner).scroll_into_view_if_needed()
    nb.screenshot("nb06-simulator-70")
    assert "Traceback" not in page.locator(SIM).inner_text()
    assert not nb.errors()
