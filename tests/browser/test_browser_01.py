from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser


def test_module1_estimator_and_self_check(open_notebook):
    nb = open_notebook("01")
    nb.run_all()
    page = nb.page
    assert not nb.errors()
    sentence = page.locator(".spw-estimate-sentence")
    sentence.wait_for(timeout=30_000)
    # Portavera 2025 starts at €260m, 26% local, +10 points, 40% re-spend: 260 × 0.10 × 1.4 = €36.4m
    assert "about €36.4 million more" in sentence.inner_text()
    title = page.locator(".spw-estimator-chart .js-plotly-plot .gtitle")
    title.wait_for(timeout=30_000)
    assert "LM3 1.36 → 1.50" in title.text_content()
    assert page.locator(".spw-estimator-chart .js-plotly-plot .barlayer .point").count() == 6
    # one more extra local point: 26% → 37%, 260 × 0.11 × 1.4 = €40.04m, LM3 after 1 + 0.37 × 1.4 = 1.52
    handle = page.locator(".spw-estimator-extra .noUi-handle")
    handle.focus()
    handle.press("ArrowRight")
    page.wait_for_function(
        "() => (document.querySelector('.spw-estimate-sentence')?.innerText || '').includes('(26% → 37%)')",
        timeout=15_000,
    )
    assert "about €40 million more" in sentence.inner_text()
    page.wait_for_function(
        "() => { const t = document.querySelector('.spw-estimator-chart .gtitle');"
        "        return t && t.textContent.includes('1.36 → 1.52'); }",
        timeout=15_000,
    )
    assert not page.locator(".spw-estimator .spw-error").count()
    # a self-check: a wrong answer gets a hint, the right one "Correct"
    quiz = page.locator(".spw-selfcheck").filter(has_text="share of the EU's GDP").first
    quiz.get_by_label(re.compile("about 2%")).check()
    quiz.get_by_role("button", name="Check").click()
    quiz.locator(".spw-hint").wait_for(timeout=15_000)
    quiz.get_by_label(re.compile("about 14%")).check()
    quiz.get_by_role("button", name="Check").click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('.spw-selfcheck .spw-feedback')]"
        ".some(e => e.innerText.startsWith('Correct'))",
        timeout=15_000,
    )
    sentence.scroll_into_view_if_needed()
    assert not nb.errors()
