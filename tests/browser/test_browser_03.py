"""Module 3 in a real JupyterLab: upload a real, messy ledger, confirm the mapping, use the dashboard."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ledgers"


def _devon_totals(path: Path) -> tuple[Decimal, Decimal]:
    """Total and People Services total of the Devon file, read independently (csv + Decimal)."""
    with open(path, encoding="cp1252", newline="") as handle:
        rows = list(csv.DictReader(handle))
    total = sum((Decimal(r["Amount"]) for r in rows), Decimal("0"))
    people = sum((Decimal(r["Amount"]) for r in rows if r["Expense Area"] == "People Services"), Decimal("0"))
    return total, people


@pytest.fixture()
def notebook03(open_notebook, request):
    """Open notebook 03; afterwards keep a screenshot and close its tab, so JupyterLab does not
    restore it (hidden) beside the next test's notebook."""
    opened = []

    def opener():
        nb = open_notebook("03")
        opened.append(nb)
        return nb

    yield opener
    for nb in opened:
        try:
            nb.screenshot(f"nb03-{request.node.name}")
            nb.page.evaluate("""() => { for (const w of Array.from(window.jupyterapp.shell.widgets('main'))) {
                                          if (w.context) { w.context.model.dirty = false; } }
                                        return window.jupyterapp.commands.execute('application:close-all'); }""")
            nb.page.wait_for_function("() => !document.querySelector('.jp-NotebookPanel')", timeout=10_000)
            nb.page.wait_for_timeout(2500)  # JupyterLab saves the (now empty) workspace
        except Exception:  # noqa: BLE001 - tidying up must not hide the test result
            pass


def _open_workbench(notebook03):
    nb = notebook03()
    nb.run_all()
    page = nb.page
    page.locator(".spw-headline").wait_for(timeout=60_000)
    page.wait_for_function(
        "() => (document.querySelector('.spw-headline')?.innerText || '').includes('Portavera')", timeout=60_000
    )
    return nb, page


def _upload_and_confirm(page, path: Path, label: str) -> None:
    # ipywidgets 8 keeps the file input out of the page: the button opens the file chooser
    with page.expect_file_chooser() as chooser:
        page.locator(".spw-upload").click()
    chooser.value.set_files(str(path))
    confirm = page.locator(".spw-confirm")
    confirm.wait_for(timeout=60_000)
    page.wait_for_function(
        f"() => (document.querySelector('.spw-mapping')?.innerText || '').includes({label!r})", timeout=60_000
    )
    confirm.click()
    page.wait_for_function(
        f"() => (document.querySelector('.spw-headline')?.innerText || '').includes({label!r})", timeout=120_000
    )


@pytest.mark.realdata
def test_real_devon_ledger_upload_mapping_dashboard_and_filter(notebook03, real_data_dir):
    devon = real_data_dir / "devon_spend_2014_07_cp1252.csv"
    total, people = _devon_totals(devon)
    nb, page = _open_workbench(notebook03)
    assert not nb.errors()
    bars = page.locator(".spw-chart-geography .js-plotly-plot .barlayer .point")
    bars.first.wait_for(
        state="attached", timeout=60_000
    )  # plotly draws after the headline: wait, then count (a busy CI is slow)
    assert bars.count() >= 3

    _upload_and_confirm(page, devon, devon.name)
    headline = page.locator(".spw-headline")
    assert f"{total:,.2f}" in headline.inner_text()  # 42,581,314.94
    assert "Problem" not in page.locator(".spw-wb-message").inner_text()
    assert (
        "Windows-1252" in page.locator(".spw-cleaning").inner_text()
        or "latin-1" in page.locator(".spw-cleaning").inner_text()
    )
    assert "unknown" in page.locator(".spw-source-note").inner_text()  # no register: said plainly
    page.wait_for_function(
        f"() => (document.querySelector('.spw-chart-geography .gtitle')?.textContent || '').includes({devon.name!r})",
        timeout=30_000,
    )
    top_bars = page.locator(".spw-chart-top .js-plotly-plot .barlayer .point")
    top_bars.first.wait_for(
        state="attached", timeout=60_000
    )  # plotly draws after the title on a busy machine: wait, then count
    page.wait_for_function(
        "() => document.querySelectorAll('.spw-chart-top .js-plotly-plot .barlayer .point').length === 10",
        timeout=30_000,
    )
    bars_before = top_bars.count()
    assert bars_before == 10

    page.locator(".spw-filter-service-area select").select_option("People Services")
    page.wait_for_function(
        f"() => (document.querySelector('.spw-headline')?.innerText || '').includes({f'{people:,.2f}'!r})",
        timeout=30_000,
    )
    assert f"{total:,.2f}" not in headline.inner_text()
    page.wait_for_function(
        "() => (document.querySelector('.spw-chart-geography .gtitle')?.textContent || '').includes('People Services')",
        timeout=30_000,
    )
    page.wait_for_function(
        "() => (document.querySelector('.spw-chart-top .gtitle')?.textContent || '').includes('People Services')",
        timeout=30_000,
    )
    assert not nb.errors()
    page.locator(".spw-chart-geography").scroll_into_view_if_needed()
    nb.screenshot("nb03-devon-dashboard")


def test_script_in_a_supplier_name_shows_as_text(notebook03):
    nb, page = _open_workbench(notebook03)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    ledger = FIXTURES / "workbench_variants.csv"
    _upload_and_confirm(page, ledger, ledger.name)
    assert "4,500.00" in page.locator(".spw-headline").inner_text()
    groups = page.locator(".spw-groups")
    groups.scroll_into_view_if_needed()
    assert (
        "<img src=x onerror=alert(1)>" in groups.inner_text() or "<IMG SRC=X ONERROR=ALERT(1)>" in groups.inner_text()
    )
    page.locator(".spw-chart-top .js-plotly-plot").wait_for(timeout=30_000)
    page.wait_for_function(  # the charts redraw just after the headline
        f"() => (document.querySelector('.spw-chart-top .gtitle')?.textContent || '').includes({ledger.name!r})",
        timeout=30_000,
    )
    labels = page.locator(".spw-chart-top .ytick text").all_text_contents()
    assert any("onerror" in label.lower() for label in labels), labels  # a label, drawn as text
    page.wait_for_timeout(1000)
    assert page.locator("img[src=x]").count() == 0
    assert page.locator("img[src='x']").count() == 0
    assert dialogs == []
    assert not nb.errors()
