from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser


def test_start_here_widgets_respond(open_notebook):
    nb = open_notebook("00")
    nb.run_all()
    page = nb.page
    assert not nb.errors()
    result = page.locator(".spw-demo-result")
    result.wait_for(timeout=30_000)
    assert "20%" in result.inner_text()
    handle = page.locator(".spw-demo .noUi-handle")
    handle.focus()
    handle.press("ArrowRight")
    page.wait_for_function(
        "() => (document.querySelector('.spw-demo-result')?.innerText || '').includes('25%')", timeout=15_000
    )
    assert "€25,000,000" in result.inner_text()
    # The self-check gives feedback and a hint on a wrong answer.
    quiz = page.locator(".spw-selfcheck").first
    quiz.get_by_label(re.compile("Upload it through the browser")).check()
    quiz.get_by_role("button", name="Check").click()
    page.wait_for_selector(".spw-hint", timeout=15_000)
    assert "Not quite" in quiz.inner_text()
    quiz.get_by_label(re.compile("my_data/ folder")).check()
    quiz.get_by_role("button", name="Check").click()
    page.wait_for_function(
        "() => (document.querySelector('.spw-selfcheck')?.innerText || '').includes('Correct')", timeout=15_000
    )
