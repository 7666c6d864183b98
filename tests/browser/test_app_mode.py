"""App mode in a real browser: Voilà serves the course notebooks as apps (helpers/learning/app.py).

Each module must render with its live tools, show no code, no error and no traceback, keep to the
1280-px-wide screen, leave out the JupyterLab-only cells (the "how to run" line, the trainer's
notes), and pass axe-core with no serious or critical WCAG 2.1 A/AA violation in the page (all of
which is the course's output in Voilà). Screenshots of every page go to test-artifacts/app/.
"""

from __future__ import annotations

import pytest

from helpers.learning.course import course_modules
from tests.browser.conftest import AXE_APP_SCOPE, axe_violations

pytestmark = pytest.mark.browser

# The tool(s) each module must show as live widgets (the static views have none of these classes).
TOOLS = {
    "00": [".spw-demo .widget-slider", ".spw-competence-profile .spw-export-profile"],
    "01": [".spw-estimator .widget-slider", ".spw-estimator-chart .js-plotly-plot"],
    "02": [".spw-advisor .spw-verdict", ".spw-advisor-value input"],
    "03": [".spw-headline", ".spw-chart-geography .js-plotly-plot"],
    "04": [".spw-matrix-chart .js-plotly-plot", ".spw-objectives", ".spw-lots"],
    "05": [".spw-innovation-chart .js-plotly-plot", ".spw-wishes", ".spw-health-counts"],
    "06": [".spw-criteria-builder", ".spw-evaluation-simulator .js-plotly-plot"],
    "07": [".spw-monitoring", ".spw-kpi-chart .js-plotly-plot"],
}
MODULES = {m.number: m for m in course_modules()}


def test_course_menu_lists_every_module_and_opens_one_as_an_app(open_app):
    app = open_app("app/course_menu.ipynb")
    page = app.page
    menu = page.locator(".spw-course-menu")
    menu.wait_for(timeout=120_000)
    links = menu.get_by_role("link")
    assert links.count() == len(MODULES) == 8
    assert "Module 6: Tendering and award criteria" in links.all_inner_texts()
    assert not app.errors() and app.code_visible() == 0
    assert axe_violations(page, AXE_APP_SCOPE) == []
    app.screenshots("menu", max_shots=2)
    with page.context.expect_page(timeout=60_000) as opened:  # a module opens in its own tab; the menu stays
        links.filter(has_text="Module 2: The EU policy framework").click()
    module_page = opened.value
    assert module_page.url.endswith("/voila/render/notebooks/02_eu_policy_framework.ipynb")
    module_page.locator("#rendered_cells").wait_for(state="visible", timeout=300_000)
    module_page.locator(".spw-advisor .spw-verdict").wait_for(timeout=120_000)
    module_page.close()


@pytest.mark.parametrize("number", sorted(TOOLS))
def test_module_renders_as_an_app_with_live_tools_and_no_code(open_app, number):
    module = MODULES[number]
    app = open_app(f"notebooks/{module.notebook}.ipynb")
    page = app.page
    for selector in TOOLS[number]:  # the widget manager draws every tool once the page is in (slow under load)
        try:
            page.locator(selector).first.wait_for(timeout=300_000)
        except Exception:  # say what the page showed instead, for the next person reading a CI log
            app.screenshots(f"module-{number}-waiting")
            shown = {s: page.locator(s).count() for s in TOOLS[number]}
            text = page.inner_text("#rendered_cells")[-1500:] if page.locator("#rendered_cells").count() else ""
            pytest.fail(
                f"{selector} not drawn in 5 minutes; tools on the page: {shown}; errors: {app.errors()}; "
                f"the page ends with: {text!r}"
            )
    page.wait_for_timeout(1500)  # plotly and the last widgets settle
    body = page.inner_text("#rendered_cells")
    assert (f"Module {int(number)}:" if number != "00" else "Start here") in body
    assert "Sources" in body  # every cell ran: Voilà stops at the first failing cell
    assert app.errors() == []
    assert app.code_visible() == 0
    assert "How to run this" not in body  # JupyterLab-only line, left out of the app (voila.json)
    assert "widgets on" in body  # doctor(): the kernel knows it has a widget front end
    assert "no widget front end" not in body
    wide = page.evaluate(
        """() => { const r = document.querySelector('#rendered_cells');
                   return [...r.querySelectorAll('.jp-OutputArea-output, .widget-box, .widget-hbox')]
                     .filter(e => e.getBoundingClientRect().right > r.clientWidth + 1)
                     .map(e => e.className.toString().slice(0, 60)); }"""
    )
    assert wide == [], f"wider than a 1280-px screen: {wide[:5]}"
    assert axe_violations(page, AXE_APP_SCOPE) == []
    app.screenshots(f"module-{number}")


def test_a_tool_in_the_app_answers_like_in_jupyterlab(open_app):
    """Module 2's advisor in the app: a changed value goes to the kernel and the verdict changes."""
    app = open_app("notebooks/02_eu_policy_framework.ipynb")
    page = app.page
    verdict = page.locator(".spw-advisor .spw-verdict")
    verdict.wait_for(timeout=120_000)
    page.locator(".spw-advisor-contract-type select").select_option(label="Services")
    value = page.locator(".spw-advisor-value input")
    value.fill("215999")
    value.press("Enter")
    page.wait_for_function(
        "() => document.querySelector('.spw-advisor .spw-verdict').innerText.startsWith('Below')", timeout=30_000
    )
    assert "€215,999 < €216,000" in verdict.inner_text()
    assert app.errors() == []
