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


def test_start_here_competence_profile_grows_and_exports(open_notebook):
    nb = open_notebook("00")
    nb.run_all()
    page = nb.page
    assert not nb.errors()
    tool = page.locator(".spw-competence-profile")
    tool.wait_for(timeout=30_000)
    assert "no evidence yet" in tool.inner_text()  # the session's work folder is shared: no exact count here
    quiz = page.locator(".spw-selfcheck").first
    quiz.get_by_label(re.compile("my_data/ folder")).check()
    quiz.get_by_role("button", name="Check").click()
    page.wait_for_function(
        "() => (document.querySelector('.spw-selfcheck')?.innerText || '').includes('Correct')", timeout=15_000
    )
    # m00-own-data is tagged C4 (e-Procurement and other IT tools) and C23 (Ethics and compliance)
    tool.get_by_role("button", name="Update from my work").click()
    nb.wait_text(".spw-competence-profile", "self-check m00-own-data answered correctly", timeout=15_000)
    assert "Evidence from your work for" in tool.inner_text()
    tool.get_by_role("button", name="Export my profile").click()
    nb.wait_text(".spw-competence-profile .spw-download-area", "competence-profile-", timeout=15_000)
    assert ".json" in tool.locator(".spw-download-area").inner_text()
