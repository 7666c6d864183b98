"""First use and accessibility of every lesson in a real JupyterLab at 1280 × 900 px, the size of a
meeting-room projector or a laptop.

For each notebook, after Run all: the "how to run this" line and the toolbar's Run all button are
there; no error output; axe-core finds no serious or critical WCAG 2.1 A/AA violation in the course's
own output (the rendered lesson text and the cells' outputs: JupyterLab's own menus, toolbars and side
panels are not the course's and are left out of the scan); no output scrolls sideways; no control cuts
its label; every chart has its one-sentence summary; no raw number formats, internal columns or
bracket codes reach the page. Screenshots go to test-artifacts/browser/.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import AXE_LAB_SCOPE, axe_violations

pytestmark = pytest.mark.browser

NOTEBOOKS = ["00", "01", "02", "03", "04", "05", "06", "07"]

CUT_LABELS = """() => [...document.querySelectorAll(
    '.jp-OutputArea-output .widget-label, .jp-OutputArea-output .widget-label-basic, ' +
    '.jp-OutputArea-output button, .jp-OutputArea-output .widget-radio-box label')]
  .filter(e => e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1)
  .map(e => (e.innerText || '').trim().slice(0, 50))"""
SIDEWAYS = """() => [...document.querySelectorAll('.jp-OutputArea-output, .jp-OutputArea-output .widget-box')]
  .filter(e => e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1)
  .map(e => { const wide = [...e.children].sort((a, b) => b.scrollWidth - a.scrollWidth)[0];
    return e.className.toString().slice(0, 70) + ' ' + e.scrollWidth + '>' + e.clientWidth
      + (wide ? ' widest child: ' + wide.className.toString().slice(0, 90) + ' ' + wide.scrollWidth
         + ' ' + (wide.textContent || '').slice(0, 60) : ''); })"""
CHARTS_WITHOUT_SUMMARY = """() => [...document.querySelectorAll('.jp-OutputArea-output .js-plotly-plot')]
  .filter(p => { const area = p.closest('.jp-OutputArea'); return !area || !area.querySelector('.spw-chart-summary'); })
  .map(p => (p.querySelector('.gtitle') || {}).textContent || 'untitled chart')"""


def _scroll_through(page) -> None:
    """Scroll the notebook from top to bottom, so every output is drawn (windowing mode "defer")."""
    page.evaluate(
        """async () => { const panel = '.jp-NotebookPanel:not(.lm-mod-hidden) ';
                         const s = document.querySelector(panel + '.jp-WindowedPanel-outer')
                            || document.querySelector(panel + '.jp-Notebook');
                         for (let y = 0; y < s.scrollHeight; y += 600) { s.scrollTop = y;
                           await new Promise(r => setTimeout(r, 60)); } }"""
    )
    page.wait_for_timeout(1500)


@pytest.mark.parametrize("number", NOTEBOOKS)
def test_lesson_is_usable_and_accessible_at_1280px(open_notebook, number):
    nb = open_notebook(number)
    page = nb.page
    page.set_viewport_size({"width": 1280, "height": 900})
    first = page.locator(".jp-MarkdownCell").first
    assert "How to run this notebook" in first.inner_text() and "Run all" in first.inner_text()
    button = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) [data-jp-item-name='run-all']")
    assert button.inner_text().strip() == "Run all"
    nb.screenshot(f"a11y-{number}-opened")
    button.click()  # as the first line says
    page.wait_for_timeout(1000)
    nb.run_all()  # waits until every cell has run (Run all again is harmless: nothing is saved on its own)
    page.wait_for_timeout(2500)
    _scroll_through(page)
    assert nb.errors() == []
    violations = axe_violations(page, AXE_LAB_SCOPE)
    assert violations == [], "\n".join(violations)
    sideways = page.evaluate(SIDEWAYS)
    if sideways:
        page.evaluate(
            "() => { const e = [...document.querySelectorAll('.jp-OutputArea-output, .jp-OutputArea-output "
            ".widget-box')].find(e => e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1);"
            " if (e) { e.scrollIntoView(); } }"
        )
        nb.screenshot(f"a11y-{number}-sideways")
    assert sideways == []
    assert page.evaluate(CUT_LABELS) == []
    assert page.evaluate(CHARTS_WITHOUT_SUMMARY) == []
    text = " ".join(page.locator(".jp-OutputArea-output, .jp-RenderedMarkdown").all_inner_texts())
    assert not re.search(r"\d\.\d+e[+-]\d\d", text), "a number in scientific notation"
    for internal in ("id_prefix", "postcode_rule", "[UNVERIFIED", "NBVAL_CHECK_OUTPUT"):
        assert internal not in text, internal
    page.evaluate(
        "() => { const o = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output "
        ".jupyter-widgets'); if (o) { o.scrollIntoView(); } }"
    )
    page.wait_for_timeout(800)
    nb.screenshot(f"a11y-{number}-first-tool")


def test_widgets_work_from_the_keyboard(open_notebook):
    """The first tool of the course with the keyboard only: Tab to the slider, arrow keys move it."""
    nb = open_notebook("00")
    nb.run_all()
    page = nb.page
    result = page.locator(".spw-demo-result")
    result.wait_for(timeout=60_000)
    assert "20%" in result.inner_text()
    handle = page.locator(".spw-demo .noUi-handle")
    handle.focus()
    page.wait_for_function(  # the course's accessibility shim names controls shortly after they are drawn
        "() => { const h = document.querySelector('.spw-demo .noUi-handle');"
        " return h !== null && h.hasAttribute('aria-label'); }",
        timeout=15_000,
    )
    assert handle.get_attribute("aria-label") == "Local share %"
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.querySelector('.spw-demo-result').innerText.includes('25%')", timeout=15_000)
    quiz = page.locator(".spw-selfcheck").first
    quiz.locator("input[type=radio]").first.focus()
    page.keyboard.press("Space")  # choose an answer from the keyboard
    quiz.get_by_role("button", name="Check").focus()
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.querySelector('.spw-selfcheck .spw-feedback') && "
        "document.querySelector('.spw-selfcheck .spw-feedback').innerText.length > 0",
        timeout=15_000,
    )
