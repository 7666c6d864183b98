"""The lotting advisor driven from Python: the plan's counts, the divide-or-explain text, a bad lot list."""

from __future__ import annotations

from helpers.strategy.widgets.lotting_advisor import LottingAdvisor


def test_lotting_advisor_counts_and_text():
    tool = LottingAdvisor("portavera")
    plan = tool.plan.set_index("lot")
    assert plan.loc["lot 1", "value"] == 400_000 and plan.loc["lot 1", "max_turnover_requirement"] == 800_000
    assert plan.loc["lot 1", "local_smes_able"] >= plan.loc["whole contract", "local_smes_able"]
    assert "divided into 3 lots" in tool.text.value
    tool.lots.value = "1"
    tool.reason.value = "one maintenance team must answer for all sites"
    assert "not divided into lots" in tool.text.value and "one maintenance team" in tool.text.value
    tool.lots.value = "100; 200"
    assert "add up to" in tool.message.value
