from __future__ import annotations

import pytest

from helpers.learning.progress import ProgressStore
from tests.browser.conftest import choose_file

pytestmark = pytest.mark.browser

BUILDER = ".spw-criteria-builder"
SIM = ".spw-evaluation-simulator"
SCORES_TITLE = f"{SIM} .spw-ranking-chart .js-plotly-plot .gtitle"


def wait_text(page, selector: str, text: str, timeout: int = 60_000) -> None:
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
    # the ranking table is redrawn just after the winner line: PlayForm moves above Juegos del Puerto
    page.wait_for_function(
        f"""() => {{ const t = document.querySelector('{SIM} .spw-ranking')?.innerText || '';
                     const p = t.indexOf('PlayForm Europe B.V.'), j = t.indexOf('Juegos del Puerto S.L.');
                     return p >= 0 && j >= 0 && p < j; }}""",
        timeout=20_000,
    )
    page.wait_for_function(
        f"() => (document.querySelector('{SCORES_TITLE}')?.textContent || '').includes('PlayForm Europe B.V. wins')",
        timeout=20_000,
    )
    page.locator(winner).scroll_into_view_if_needed()
    nb.screenshot("nb06-simulator-70")
    assert "Traceback" not in page.locator(SIM).inner_text()
    assert not nb.errors()


CITY_BIDS = (
    "Bidder;Price;Quality\n"
    "Jardines Añón S.L.;118.500,00;72,5\n"
    "Parques del Sur S.A.;97.250,00;61\n"
    "Verde Vivo S.L.;130.000,00;80\n"
)


def set_readout(page, css: str, value: str) -> None:
    readout = page.locator(f"{SIM} {css} .widget-readout")
    readout.fill(value)
    readout.press("Enter")


def test_simulator_reopens_on_remembered_settings_and_uploaded_bids_after_a_restart(open_notebook, lab, tmp_path):
    bids_file = tmp_path / "licitacion.csv"
    bids_file.write_bytes(CITY_BIDS.encode("cp1252"))  # a city's export: Windows-1252, semicolons, 118.500,00
    try:
        nb = open_notebook("06")
        nb.run_all()
        page = nb.page
        winner = f"{SIM} .spw-winner"
        page.locator(winner).wait_for(timeout=30_000)
        # upload the city's bids: they are checked, kept in my_work/bids/ and scored
        page.locator(SIM).get_by_text("Your own bids").click()
        choose_file(page, page.locator(f"{SIM} button.spw-upload"), bids_file)
        wait_text(page, f"{SIM} .spw-bids-message", "kept a copy as my_work/bids/licitacion.csv")
        wait_text(page, winner, "Verde Vivo S.L. wins with 77.92")  # by hand: 40 x 97,250/130,000 + 48
        assert (lab.work / "bids" / "licitacion.csv").is_file()
        # choose settings and remember them
        page.locator(f"{SIM} .spw-formula select").select_option("log")
        set_readout(page, ".spw-price-weight", "55")
        set_readout(page, ".spw-min-quality", "62")  # Parques del Sur (61 %) is out before price
        wait_text(page, f"{SIM} .spw-ranking", "quality below the minimum of 62%")
        wait_text(page, winner, "At price weight 55: Jardines")
        before = page.locator(winner).inner_text()
        # by hand, log formula (A = 2), 55/45, Parques del Sur out: Jardines 55 + 45 x 0.725 = 87.625 (87.62);
        # Verde Vivo 55 x (1 - ln(130,000/118,500)/ln 2) + 45 x 0.80 = 47.65 + 36 = 83.65
        assert "At price weight 55: Jardines Añón S.L. wins with 87.62 points, 3.97 ahead of Verde Vivo" in before
        page.locator(f"{SIM} button.spw-remember").click()
        wait_text(page, f"{SIM} .spw-remember-message", "Remembered in")
        remembered = page.locator(f"{SIM} .spw-remember-message").inner_text()
        assert "your bids my_work/bids/licitacion.csv, the log formula, price weight 55, minimum quality 62%" in (
            remembered
        )
        # restart the kernel and run everything again: the simulator reopens on the bids and the settings
        page.evaluate("() => window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.restart()")
        nb.run_all()
        wait_text(page, f"{SIM} .spw-remember-message", "Opened on the settings you remembered")
        message = page.locator(f"{SIM} .spw-remember-message").inner_text()
        assert "your bids my_work/bids/licitacion.csv, the log formula, price weight 55, minimum quality 62%" in message
        chosen = page.locator(f"{SIM} .spw-bids-source select option:checked").inner_text()
        assert chosen.replace("\xa0", " ") == "Your bids: my_work/bids/licitacion.csv"  # widgets write nbsp
        assert page.locator(f"{SIM} .spw-formula select option:checked").inner_text() == "log"
        assert page.locator(f"{SIM} .spw-price-weight .widget-readout").inner_text().strip() == "55"
        assert page.locator(winner).inner_text() == before  # the same ranking as before the restart
        assert "quality below the minimum of 62%" in page.locator(f"{SIM} .spw-ranking").inner_text()
        page.locator(f"{SIM} .spw-remember-message").scroll_into_view_if_needed()
        nb.screenshot("nb06-simulator-restored")
        assert "Traceback" not in page.locator(SIM).inner_text()
        assert not nb.errors()
    finally:  # the next tests start from the cell's own choice
        ProgressStore(lab.work / "progress.json").save_settings("simulator", {})
