"""Module 1: scale facts, the cycle, Preston, and the LM3 "more local spend" estimator."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from helpers.learning import selfcheck
from helpers.learning.registry import computation
from helpers.why import model as why
from helpers.core.errors import LearnerError

QUIZ = Path(__file__).resolve().parents[2] / "course" / "quizzes" / "module01.yaml"


# -- the estimator: the brief's worked example (§2.3), computed by hand -------------------------
def test_worked_example_forty_percent_local():
    result = why.local_spend_estimate(10.0, 40, 20, respend_rate=0.40)
    assert result.rounds_before == pytest.approx((10.0, 4.0, 1.6))
    assert result.lm3_before == pytest.approx(1.56)      # (10 + 4 + 1.6) / 10


def test_worked_example_sixty_percent_local():
    result = why.local_spend_estimate(10.0, 40, 20, respend_rate=0.40)
    assert result.local_share_after == 60
    assert result.rounds_after == pytest.approx((10.0, 6.0, 2.4))
    assert result.lm3_after == pytest.approx(1.84)       # (10 + 6 + 2.4) / 10


def test_extra_money_is_change_in_round_two_plus_round_three():
    result = why.local_spend_estimate(10_000_000, 40, 20)  # default re-spend 0.40
    assert result.extra_paid_locally == pytest.approx(2_000_000)
    assert result.extra_respent_locally == pytest.approx(800_000)
    # (6.0 + 2.4) - (4.0 + 1.6) = 2.8 million
    assert result.extra_local_money == pytest.approx(2_800_000)


def test_northumberland_rate_for_local_suppliers():
    # £1 with a local supplier re-spent at 76% is worth £1.76 locally; all spend local here.
    result = why.local_spend_estimate(1.0, 100, 0, respend_rate=why.RESPEND_RATE_NORTHUMBERLAND_LOCAL)
    assert result.rounds_before[1] + result.rounds_before[2] == pytest.approx(1.76)


def test_preston_five_to_ten_percent():
    # £750m × (10% − 5%) = £37.5m; the source (publicsectorexecutive.com) reports "£37m":
    # the 0.5m gap is the source's rounding, not a different method.
    result = why.local_spend_estimate(750_000_000, 5, 5, respend_rate=0, currency="£")
    assert result.extra_paid_locally == pytest.approx(37_500_000)
    assert result.extra_local_money == pytest.approx(37_500_000)
    check = why.preston_check()
    assert check["computed_gbp"] == pytest.approx(37_500_000)
    assert check["reported_gbp"] == 37_000_000
    assert "37.5m" in check["note"]


def test_a_fall_in_local_share_loses_money():
    result = why.local_spend_estimate(10.0, 40, -10, respend_rate=0.5)
    # before 4.0 + 2.0; after 3.0 + 1.5 → -1.5
    assert result.extra_local_money == pytest.approx(-1.5)


def test_explanation_shows_the_arithmetic():
    text = why.local_spend_estimate(10.0, 40, 20).explanation()
    assert "1.56" in text and "1.84" in text and "€2.8" in text


def test_table_has_rounds_and_lm3():
    table = why.local_spend_estimate(10.0, 40, 20).table()
    assert list(table["before"].round(4)) == [10.0, 4.0, 1.6, 1.56]
    assert list(table["change"].round(4)) == [0.0, 2.0, 0.8, 0.28]


@pytest.mark.parametrize("args, words", [
    ((0, 40, 10), "more than zero"),
    ((-5, 40, 10), "more than zero"),
    ((10, 120, 0), "between 0 and 100"),
    ((10, -1, 0), "between 0 and 100"),
    ((10, 95, 10), "outside 0 to 100"),
    ((10, 5, -10), "outside 0 to 100"),
    ((10, "forty", 0), "must be a number"),
    ((10, float("nan"), 0), "finite"),
])
def test_bad_inputs_are_explained(args, words):
    with pytest.raises(LearnerError, match=words):
        why.local_spend_estimate(*args)


def test_respend_given_as_percentage_is_refused_with_a_fix():
    with pytest.raises(LearnerError) as err:
        why.local_spend_estimate(10, 40, 10, respend_rate=40)
    assert "0.40" in str(err.value)


def test_estimator_figure_has_before_and_after_bars():
    fig = why.estimator_figure(why.local_spend_estimate(10.0, 40, 20))
    assert [trace.type for trace in fig.data] == ["bar", "bar"]
    assert list(fig.data[1].y) == pytest.approx([10.0, 6.0, 2.4])
    assert "1.56 → 1.84" in fig.layout.title.text


# -- facts, cycle, Preston -------------------------------------------------------------------
def test_scale_facts_have_sources_and_status():
    table = why.scale_facts_table()
    assert list(table.columns) == ["fact", "figure", "source_url", "status"]
    assert table["source_url"].str.startswith("https://").all()
    assert set(table["status"]) <= {"verified", "unverified"}
    assert table["figure"].str.contains("14%").any()
    assert table["figure"].str.contains("250,000").any()


def test_cycle_stages_in_urbact_order():
    stages = [s["stage"] for s in why.PROCUREMENT_CYCLE]
    assert stages == ["Identifying outcomes", "Spend analysis", "Commissioning", "Tendering",
                      "Decision-making", "Monitoring"]
    assert why.cycle_table().loc[1, "course modules"] == "03"
    assert why.PROCUREMENT_CYCLE[-1]["modules"] == ["07"]


def test_cycle_figure_draws_six_stages_and_six_arrows():
    fig = why.cycle_figure()
    assert len(fig.data[0].x) == 6
    arrows = [a for a in fig.layout.annotations if a.showarrow]
    assert len(arrows) == 6
    assert "Spend analysis" in fig.data[0].text[1]


def test_preston_table_figures():
    table = why.preston_table().set_index("measure")
    row = table.loc["Share spent with Preston-based organisations"]
    assert (row["2012/13"], row["2016/17"]) == ("5%", "18.2%")
    assert table.loc["Share spent with Lancashire-based organisations", "2016/17"] == "79.2%"
    # the later £112m is £74m more than the 2012/13 "about £38m"
    story = why.PRESTON_STORY
    assert story["preston_retained_later_gbp"] - story["preston_spend_2012_13_gbp"] == story["preston_increase_gbp"]


# -- self-checks -------------------------------------------------------------------------------
def test_self_check_functions():
    assert computation("lm3")(total_spend=10.0, local_share=40, respend_rate=0.4) == pytest.approx(1.56)
    assert computation("extra-local-money")(
        total_spend=10.0, local_share=40, extra_local_pts=20, respend_rate=0.4) == pytest.approx(2.8)


def test_quiz_file_is_valid_and_computed_answers_match():
    data = yaml.safe_load(QUIZ.read_text(encoding="utf-8"))
    assert selfcheck.validate_quiz(data) == []
    assert data["module"] == "01" and 4 <= len(data["questions"]) <= 6
    kinds = {q["type"] for q in data["questions"]}
    assert {"numeric", "order"} <= kinds
    for q in data["questions"]:
        assert len(q["hints"]) >= 2
        if q.get("compute"):
            value = selfcheck.expected_value(q)
            assert value == pytest.approx(q["answer"], abs=q["tolerance"])


def test_quiz_order_question_matches_the_cycle():
    data = yaml.safe_load(QUIZ.read_text(encoding="utf-8"))
    q = next(q for q in data["questions"] if q["type"] == "order")
    ordered = [q["options"][i] for i in q["answer"]]
    assert ordered == [s["stage"] for s in why.PROCUREMENT_CYCLE]
    assert selfcheck.grade(q, q["answer"]).correct
