"""The gender thread in a real JupyterLab: EIGE's needs-assessment checklist (module 5) answers and saves a
draft; the gender criteria decision aid (module 6) changes its verdict when the criterion concerns the whole
company."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_module5_gender_checklist_answers_and_saves(open_notebook):
    nb = open_notebook("05")
    nb.run_all()
    page = nb.page
    assert not nb.errors()
    tool = page.locator(".spw-gender-checklist")
    tool.wait_for(timeout=60_000)
    tool.scroll_into_view_if_needed()
    nb.wait_text(".spw-gender-summary", "0 of 4 questions answered")
    # Q2 "Does the procurement team know enough...?" → no: EIGE's follow-up appears
    tool.locator(".widget-toggle-buttons").nth(1).get_by_role("button", name="no", exact=True).click()
    nb.wait_text(".spw-gender-summary", "1 of 4 questions answered")
    assert "Q2 (no): If not, consult people who do" in tool.locator(".spw-gender-summary").inner_text()
    tool.get_by_role("button", name="Save my answers").click()
    page.wait_for_function(
        "() => (document.querySelector('.spw-gender-checklist .spw-saved')?.innerText || '').includes('Saved')",
        timeout=30_000,
    )
    assert "Vienna (Austria)." in tool.inner_text()
    assert not nb.errors()


def test_module6_gender_aid_verdict_follows_the_scope(open_notebook):
    nb = open_notebook("06")
    nb.run_all(timeout=420)
    page = nb.page
    assert not nb.errors()
    aid = page.locator(".spw-gender-aid")
    aid.wait_for(timeout=60_000)
    aid.scroll_into_view_if_needed()
    nb.wait_text(".spw-gender-verdict", "Linked: an award criterion")
    whole_company = "the whole company (its general policies, ownership, board or all its staff)"
    scope = aid.locator("select", has=page.locator("option", has_text="the whole company"))
    scope.select_option(label=whole_company)  # "It concerns": the whole company
    nb.wait_text(".spw-gender-verdict", "Not linked")
    assert "Recital 97" in aid.inner_text()
    assert not nb.errors()
