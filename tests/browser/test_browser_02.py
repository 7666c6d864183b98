from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser


def test_module2_advisor_flips_at_the_threshold_and_self_check(open_notebook):
    nb = open_notebook("02")
    nb.run_all()
    page = nb.page
    assert not nb.errors()
    verdict = page.locator(".spw-advisor .spw-verdict")
    verdict.wait_for(timeout=30_000)
    assert "At or above the EU threshold: €250,000 ≥ €216,000" in verdict.inner_text()
    page.locator(".spw-advisor-contract-type select").select_option(label="Services")
    value = page.locator(".spw-advisor-value input")
    value.fill("215999")
    value.press("Enter")
    page.wait_for_function(
        "() => document.querySelector('.spw-advisor .spw-verdict').innerText.startsWith('Below')", timeout=15_000
    )
    assert "€215,999 < €216,000" in verdict.inner_text()
    assert "Treaty principles" in page.locator(".spw-advisor .spw-advice").inner_text()
    value.fill("216,000")
    value.press("Enter")
    page.wait_for_function(
        "() => document.querySelector('.spw-advisor .spw-verdict').innerText.startsWith('At or above')", timeout=15_000
    )
    assert "€216,000 ≥ €216,000" in verdict.inner_text()
    assert "30 days" in page.locator(".spw-advisor .spw-time-limits").inner_text()
    # a self-check on the threshold rule
    quiz = page.locator(".spw-selfcheck").filter(has_text="exactly €221,000").first
    quiz.get_by_label(re.compile("Yes: the Directive applies")).check()
    quiz.get_by_role("button", name="Check").click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('.spw-selfcheck .spw-feedback')]"
        ".some(e => e.innerText.startsWith('Correct'))",
        timeout=15_000,
    )
    verdict.scroll_into_view_if_needed()
    assert not nb.errors()
