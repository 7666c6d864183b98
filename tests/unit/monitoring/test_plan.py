"""The thread from criteria to monitoring (module 6 → 7 → 4): a learner's criteria draft becomes their
monitoring plan, its results are rated, and the summary becomes next year's suggested objectives."""

from __future__ import annotations

import re

import pytest

from helpers.core.errors import LearnerError
from helpers.core.safety import restore_formula
from helpers.learning.progress import ProgressStore
from helpers.monitoring.plan import (
    SUMMARY_TOOL,
    UNKNOWN_MONTHS,
    UNKNOWN_TARGET,
    criteria_without_kpis,
    export_plan_csv,
    monitoring_plan_from_criteria,
    monitoring_results,
    parse_pairs,
    reporting_months,
    results_summary_record,
    status_counts,
)
from helpers.monitoring.widgets.plan_from_criteria import (
    EXAMPLE,
    EXAMPLE_RESULTS,
    PlanFromCriteria,
    example_plan,
)
from helpers.strategy.from_monitoring import EXAMPLE_SUMMARY, objectives_from_monitoring, suggested_objectives
from helpers.strategy.objectives import objectives_from_dict, validate_objectives
from helpers.strategy.widgets.from_monitoring_tool import FromMonitoring
from helpers.strategy.widgets.objectives_builder import TOOL as OBJECTIVES_TOOL
from helpers.tendering import CriteriaDraft, default_draft, load_library


@pytest.fixture(scope="module")
def library():
    return load_library()


def my_draft(library) -> CriteriaDraft:
    """A learner's own draft for school meals: two library criteria with KPIs, one without, one of their own."""
    draft = CriteriaDraft(subject="School meals", cpv_code="55524000-9", price_weight=40)
    for ident in ("GRN-FOOD-01", "SOC-CARE-01", "SOC-FOOD-01"):
        draft.add(library.loc[ident])
    draft.items.append(
        type(draft.items[0])(type="award_criterion", weight=10, custom_text="Taste panel of pupils", title="Taste")
    )
    return draft


def test_reporting_months_end_each_period_and_always_include_the_last_month():
    assert reporting_months("2025-09-01", "2027-08-31") == [
        "2025-11", "2026-02", "2026-05", "2026-08", "2026-11", "2027-02", "2027-05", "2027-08",
    ]  # fmt: skip
    assert reporting_months("2026-01-15", "2026-10-31", "half-yearly") == ["2026-06", "2026-10"]
    assert reporting_months("2026-03-01", "2026-03-31", "yearly") == ["2026-03"]
    with pytest.raises(LearnerError, match="ends before it starts"):
        reporting_months("2026-05-01", "2026-01-01")
    with pytest.raises(LearnerError, match="'weekly' is not a reporting frequency"):
        reporting_months("2026-01-01", "2026-12-31", "weekly")


def test_a_learners_own_draft_becomes_their_plan(library):
    draft = my_draft(library)
    plan = monitoring_plan_from_criteria(
        draft.to_dict(), {"organic_share": "35", "staff_turnover": 20}, "2026-01-01", "2026-12-31", "quarterly",
        library=library,
    )  # fmt: skip
    assert plan["kpi_id"].tolist() == ["organic_share", "regular_carers_per_person", "staff_turnover"]
    organic = plan.set_index("kpi_id").loc["organic_share"]
    assert organic["target"] == 35.0 and organic["target from"] == "the winning bid's commitment"
    assert organic["unit"] == "% of purchase value" and organic["better when"] == "higher"
    carers = plan.set_index("kpi_id").loc["regular_carers_per_person"]
    assert carers["target"] == UNKNOWN_TARGET and carers["better when"] == "lower"
    assert plan["reporting months"].iloc[0] == "2026-03, 2026-06, 2026-09, 2026-12"
    assert plan.attrs["reporting_months"] == ["2026-03", "2026-06", "2026-09", "2026-12"]
    missing = criteria_without_kpis(draft, library)
    assert missing["criterion"].tolist() == ["SOC-FOOD-01", "(your own)"]
    assert missing["what to do"].iloc[0].startswith("checked once")


def test_the_course_example_plan_and_unknowns(library):
    plan = example_plan()
    assert len(plan) == 5 and plan["criterion"].tolist() == [
        "SOC-PLAY-01", "SOC-ANY-02", "GRN-PLAY-01", "GRN-PLAY-03", "LOC-PLAY-01",
    ]  # fmt: skip
    assert (plan["target"] == UNKNOWN_TARGET).sum() == 2
    no_dates = monitoring_plan_from_criteria(default_draft(library), library=library)
    assert set(no_dates["reporting months"]) == {UNKNOWN_MONTHS} and set(no_dates["target"]) == {UNKNOWN_TARGET}


@pytest.mark.parametrize(
    ("commitments", "expected"),
    [
        ({"organic_shar": 30}, "name KPI(s) not in this plan: organic_shar"),
        ({"organic_share": "about a third"}, "commitment for organic_share is 'about a third', not a number"),
    ],
)
def test_a_wrong_commitment_is_refused_with_its_name(library, commitments, expected):
    with pytest.raises(LearnerError, match=re.escape(expected)):
        monitoring_plan_from_criteria(my_draft(library), commitments, library=library)


def test_results_are_met_not_met_or_unknown_never_zero():
    plan = example_plan()
    results = monitoring_results(plan, parse_pairs(EXAMPLE_RESULTS + "\ninstallation_placements = 1"))
    assert dict(zip(results["kpi_id"], results["status"], strict=True)) == {
        "inclusive_play_share": "met",  # 32 >= 30
        "people_far_from_work_employed": "not met",  # 3 < 4
        "recycled_or_certified_share": "unknown",  # no target, no result
        "parts_repaired_share": "unknown",
        "installation_placements": "not met",  # 1 < 2
    }
    assert status_counts(results) == {"met": 1, "not met": 2, "unknown": 2}
    lower = plan.assign(**{"better when": "lower"})
    assert monitoring_results(lower, {"inclusive_play_share": 32})["status"].iloc[0] == "not met"
    assert parse_pairs("Inclusive play share = 30\n# a note\n\n staff_turnover=12 ") == {
        "inclusive_play_share": "30",
        "staff_turnover": "12",
    }
    with pytest.raises(LearnerError, match="line 2 of the results is not 'kpi_id = number'"):
        parse_pairs("a = 1\njust text", "results")


def test_the_summary_feeds_next_years_objectives():
    results = monitoring_results(example_plan(), parse_pairs(EXAMPLE_RESULTS))
    record = results_summary_record(results, "the playground contract (course example)")
    # module 4's example is module 7's worked example, kept in step
    assert record["kpis"][:3] == EXAMPLE_SUMMARY["kpis"] and record["contract"] == EXAMPLE_SUMMARY["contract"]
    table = objectives_from_monitoring(record)
    assert table["status"].tolist() == ["not met", "unknown", "unknown", "unknown", "met"]
    first = table.iloc[0]
    assert first["outcome"] == "fair_work" and first["last result"] == "3 people" and first["last target"] == "4 people"
    assert first["suggestion"].startswith("Not met (3 people against a target of 4 people)")
    assert table.iloc[-1]["suggestion"].startswith("Met (32 % of play value")
    assert set(table.loc[table["indicator"].str.contains("recycled"), "outcome"]) == {"carbon"}
    objectives = suggested_objectives(record)
    assert [o.baseline for o in objectives] == [32.0, 3.0, None, None, None]
    assert objectives[0].baseline_source == "contract monitoring (module 7): the playground contract (course example)"
    assert {i.field for i in validate_objectives(objectives)} == {"target"}  # the learner sets the targets
    with pytest.raises(LearnerError, match="damaged or from another tool"):
        objectives_from_monitoring({"version": 1})


def test_plan_csv_neutralises_formulas_and_never_replaces_a_file(work_dir, library):
    plan = example_plan()
    plan.loc[0, "kpi"] = "=HYPERLINK(1)"
    first = export_plan_csv(plan, "my plan")
    second = export_plan_csv(plan.assign(unit="x"), "my plan")
    assert first.name == "monitoring_plan_my_plan.csv" and second.name == "monitoring_plan_my_plan_2.csv"
    text = first.read_text(encoding="utf-8")
    assert "\n'=HYPERLINK(1)" in text or ",'=HYPERLINK(1)" in text
    assert restore_formula("'=HYPERLINK(1)") == "=HYPERLINK(1)"


def test_the_widgets_carry_a_saved_draft_to_module_7_and_the_summary_to_module_4(work_dir, library):
    progress = ProgressStore()
    progress.save_draft("criteria", "School meals", my_draft(library).to_dict())
    tool = PlanFromCriteria(store=lambda: progress)
    assert list(tool.draft.options) == ["School meals", EXAMPLE] and tool.draft.value == "School meals"
    tool.commitments.value = "organic_share = 35"
    tool.start.value, tool.end.value = "2026-01-01", "2026-12-31"
    tool.build_button.click()
    assert "3 KPI(s) from “School meals”" in tool.plan_out.value and "Taste" in tool.plan_out.value
    tool.results_text.value = "organic_share = 28\nstaff_turnover = 12"
    tool.rate_button.click()
    assert "0 met, 1 not met, 2 unknown" in tool.message.value
    tool.save_button.click()
    assert progress.list_drafts(SUMMARY_TOOL) == ["School meals"]
    tool.export_button.click()
    assert "monitoring_plan_School_meals.csv" in tool.downloads.html
    module4 = FromMonitoring(store=lambda: progress)
    assert module4.summary.value == "School meals" and "Not met (28 % of purchase value" in module4.table.value
    module4.add_button.click()
    saved = objectives_from_dict(progress.load_draft(OBJECTIVES_TOOL, "From monitoring: School meals"))
    assert [o.indicator for o in saved][0] == "Share of food and drink, by purchase value, certified organic"
    assert saved[0].baseline == 28.0 and saved[0].outcome == "carbon"


def test_the_widget_explains_a_missing_plan(work_dir):
    tool = PlanFromCriteria(store=lambda: ProgressStore())
    assert list(tool.draft.options) == [EXAMPLE]
    tool.rate_button.click()
    assert "there is no plan yet" in tool.message.value


def test_learner_text_is_escaped_and_a_damaged_draft_is_named(work_dir, library):
    progress = ProgressStore()
    draft = my_draft(library)
    draft.items[-1].title = "<script>alert(1)</script>"
    progress.save_draft("criteria", "<b>mine</b>", draft.to_dict())
    progress.save_draft("criteria", "broken", {"items": [{"entry_id": "GRN-FOOD-01", "weight": {"x": 1}}, 7]})
    tool = PlanFromCriteria(store=lambda: progress)
    tool.draft.value = "<b>mine</b>"
    tool.build_button.click()
    assert "<script>" not in tool.plan_out.value and "&lt;script&gt;" in tool.plan_out.value
    assert "<b>mine</b>" not in tool.plan_out.value
    tool.draft.value = "broken"
    tool.build_button.click()
    assert "this saved criteria draft is damaged" in tool.message.value


def test_module_4_shows_the_course_example_until_a_summary_is_saved(work_dir):
    tool = FromMonitoring(store=lambda: ProgressStore())
    assert tool.summary.value is None and "No monitoring summary saved yet" in tool.brief.value
    assert (
        "The course example" in tool.table.value
        and "Not met (3 people against a target of 4 people)" in tool.table.value
    )
    tool.add_button.click()
    assert "no monitoring summary is chosen" in tool.message.value
