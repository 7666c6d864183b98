"""The innovation assessment widget driven from Python: the route flips across a rule boundary; assessments
save and compare."""

from __future__ import annotations

from helpers.preprocurement.widgets.innovation_assessment import InnovationAssessmentTool
from tests.unit.download_checks import assert_binder_offer, not_on_binder, on_binder


def test_rubric_route_changes_across_a_boundary(work_dir):
    tool = InnovationAssessmentTool()
    assert tool.assessment.total == 13 and "market dialogue with functional specifications" in tool.route.value
    tool.items["market_maturity"].value = 3  # R&D needed -> PCP (total 15)
    assert "Suggested route: pre-commercial procurement" in tool.route.value and "15/21" in tool.route.value
    assert "Art. 14" in tool.route.value and "spw-legal-basis" in tool.route.value  # PCP is outside the Directive
    tool.items["value_duration"].value = 3  # R&D, large and long, ready (readiness 2) -> partnership (rule 2)
    assert "Suggested route: innovation partnership" in tool.route.value and "Art. 31(1)" in tool.route.value
    assert "cannot be met by buying what is already available on the market" in tool.route.value
    tool.items["market_maturity"].value = 2  # near-market -> PPI through an ordinary procedure (rule 4)
    assert "Suggested route: public procurement of innovative solutions (PPI)" in tool.route.value
    assert "Art. 26(2) and 26(4)" in tool.route.value and "Not known to this tool" in tool.route.value
    for key in ("need", "impact", "user_involvement", "readiness", "scalability"):
        tool.items[key].value = 0  # total 5 (maturity 2 + value 3) -> standard tender (rule 1)
    assert tool.assessment.total == 5 and "Suggested route: standard tender" in tool.route.value
    # each option reads what its score means
    assert tool.items["market_maturity"].options[3][0].startswith("3: No solution exists yet")


def test_assessments_save_and_compare(work_dir):
    tool = InnovationAssessmentTool()
    tool.save.click()
    tool.name.value = "Smart bins"
    tool.items["market_maturity"].value = 3
    tool.save.click()
    assert set(tool.saved.options) == {"Playground equipment", "Smart bins"} and str(work_dir) in tool.status.value
    table = tool.compare_saved()
    assert table.loc["route", "Playground equipment"] == "market dialogue with functional specifications"
    assert table.loc["route", "Smart bins"] == "pre-commercial procurement"
    assert table.loc["total", "Smart bins"] == 15
    assert "Smart bins" in tool.comparison.value


def test_saving_an_assessment_offers_all_work_on_binder_only(work_dir, monkeypatch):
    not_on_binder(monkeypatch)
    tool = InnovationAssessmentTool()
    assert tool.downloads in tool.widget().children
    tool.save.click()
    assert "Saved 'Playground equipment'" in tool.status.value and tool.downloads.outputs == ()
    on_binder(monkeypatch)
    tool.save.click()
    assert_binder_offer(tool.downloads, work_dir)
