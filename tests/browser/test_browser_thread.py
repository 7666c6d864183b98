"""The thread from criteria to monitoring in JupyterLab: a learner's own criteria draft, saved in module 6,
becomes their monitoring plan in module 7, and its results summary is saved for module 4."""

from __future__ import annotations

import pytest

from helpers.learning.progress import ProgressStore

pytestmark = pytest.mark.browser

BUILDER = ".spw-criteria-builder"
PLAN = ".spw-plan-from-criteria"


def wait_text(page, selector: str, text: str, timeout: int = 30_000) -> None:
    page.wait_for_function(
        "([s, t]) => (document.querySelector(s)?.innerText || '').includes(t)", arg=[selector, text], timeout=timeout
    )


def test_a_criteria_draft_saved_in_module_6_becomes_the_monitoring_plan_in_module_7(open_notebook, lab):
    # module 6: the learner adds carbon reporting to the playground draft and saves it under their own name
    nb6 = open_notebook("06")
    nb6.run_all()
    page = nb6.page
    assert not nb6.errors()
    page.locator(f"{BUILDER} .spw-validation-area").wait_for(timeout=30_000)
    page.locator(f"{BUILDER} .spw-suggestion select").select_option(
        label="GRN-ANY-01 · Carbon reporting for the contract (contract performance clause)"
    )
    wait_text(page, f"{BUILDER} .spw-card-area", "Carbon reporting for the contract")
    page.locator(f"{BUILDER} button.spw-add").click()
    page.wait_for_function(f"() => document.querySelectorAll('{BUILDER} .spw-draft-item').length === 8", timeout=20_000)
    page.locator(f"{BUILDER} .spw-draft-name input").fill("My playground draft")
    page.locator(f"{BUILDER} button.spw-save").click()
    wait_text(page, f"{BUILDER} .spw-save-message", "My playground draft")
    store = ProgressStore(lab.work / "progress.json")
    assert "My playground draft" in store.list_drafts("criteria")

    # module 7: the saved draft is listed first; its KPIs, with the winning bid's commitments as targets
    nb7 = open_notebook("07")
    nb7.run_all()
    page = nb7.page
    assert not nb7.errors()
    tool = page.locator(PLAN)
    tool.wait_for(timeout=30_000)
    assert page.locator(f"{PLAN} .spw-plan-draft select").input_value() == "My playground draft"
    page.locator(f"{PLAN} .spw-plan-commitments textarea").fill("contract_emissions = 40\ninclusive_play_share = 30")
    page.locator(f"{PLAN} button.spw-plan-build").click()
    table = f"{PLAN} .spw-plan-table"
    wait_text(page, table, "6 KPI(s) from “My playground draft”")
    text = page.locator(table).inner_text()
    assert "Greenhouse-gas emissions from performing the contract" in text  # the KPI of the learner's addition
    assert "contract emissions" in text and "tCO2e" in text and "40" in text  # ids shown in words
    assert text.count("unknown — enter the winning bid's commitment") == 4  # 6 KPIs, 2 targets given
    assert "2025-11, 2026-02" in text  # quarterly reports from September 2025
    assert "INN-PLAY-01" in text  # the criterion without a KPI is named, with what to do

    # the year's results, rated and saved: the summary module 4 offers
    page.locator(f"{PLAN} .spw-plan-results textarea").fill("contract emissions = 35\ninclusive_play_share = 25")
    page.locator(f"{PLAN} button.spw-plan-rate").click()
    wait_text(page, f"{PLAN} .spw-message-area", "1 met, 1 not met, 4 unknown")
    page.locator(f"{PLAN} .spw-plan-name input").fill("Playground 2026")
    page.locator(f"{PLAN} button.spw-plan-save").click()
    wait_text(page, f"{PLAN} .spw-message-area", "Saved the plan and its results summary")
    summary = store.load_draft("monitoring_summary", "Playground 2026")
    last = summary["kpis"][-1]  # lower is better: 35 tCO2e against 40 is met
    assert last["kpi"].startswith("Greenhouse-gas emissions") and last["status"] == "met" and last["result"] == 35
    page.locator(table).scroll_into_view_if_needed()
    nb7.screenshot("thread-plan-from-criteria")
    assert "Traceback" not in tool.inner_text()
    assert not nb7.errors()
