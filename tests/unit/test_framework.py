"""Module 2: EU thresholds, the procedure advisor and its time limits."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from helpers.framework import model as framework
from helpers.learning import selfcheck
from helpers.learning.registry import computation
from helpers.core.errors import LearnerError

QUIZ = Path(__file__).resolve().parents[2] / "course" / "quizzes" / "module02.yaml"

# (contract type, buyer type, a date in the period, threshold) for every row of brief §3.1
CASES = [
    ("works", "sub_central", "2023-06-01", 5_382_000),
    ("works", "central", "2025-06-01", 5_538_000),
    ("works", "sub_central", "2026-03-01", 5_404_000),
    ("services", "sub_central", "2022-01-01", 215_000),
    ("supplies", "sub_central", "2025-06-01", 221_000),
    ("services", "sub_central", "2025-06-01", 221_000),
    ("services", "sub_central", "2026-03-01", 216_000),
    ("supplies", "central", "2023-12-31", 140_000),
    ("services", "central", "2024-01-01", 143_000),
    ("supplies", "central", "2027-12-31", 140_000),
    ("social_services", "sub_central", "2022-06-01", 750_000),
    ("social_services", "central", "2025-06-01", 750_000),
    ("social_services", "sub_central", "2026-03-01", 750_000),
    ("supplies", "utility", "2023-06-01", 431_000),
    ("services", "utility", "2025-06-01", 443_000),
    ("services", "utility", "2026-03-01", 432_000),
    ("concession", "sub_central", "2023-06-01", 5_382_000),
    ("concession", "utility", "2025-06-01", 5_538_000),
    ("concession", "central", "2026-03-01", 5_404_000),
]


@pytest.mark.parametrize("contract, buyer, day, threshold", CASES)
def test_threshold_and_verdict_around_it(contract, buyer, day, threshold):
    assert framework.threshold_for(contract, buyer, day) == threshold
    assert framework.advise(contract, threshold - 1, buyer, day).above_threshold is False
    # equal to the threshold counts as above: the Directive applies at or above it
    at = framework.advise(contract, threshold, buyer, day)
    assert at.above_threshold is True and at.threshold_eur == threshold
    assert framework.advise(contract, threshold + 1, buyer, day).above_threshold is True


def test_services_city_examples_from_the_brief():
    assert not framework.advise("services", 220_999, "sub_central", "2025-06-01").above_threshold
    assert framework.advise("services", 221_000, "sub_central", "2025-06-01").above_threshold
    assert not framework.advise("services", 215_999, "sub_central", "2026-03-01").above_threshold
    assert framework.advise("services", 216_000, "sub_central", "2026-03-01").above_threshold


def test_period_switches_on_first_of_january_2026():
    before = framework.advise("services", 218_000, "sub_central", dt.date(2025, 12, 31))
    after = framework.advise("services", 218_000, "sub_central", dt.date(2026, 1, 1))
    assert (before.period, before.threshold_eur, before.above_threshold) == ("2024–25", 221_000, False)
    assert (after.period, after.threshold_eur, after.above_threshold) == ("2026–27", 216_000, True)


def test_period_switches_on_first_of_january_2024():
    assert framework.threshold_for("works", "sub_central", "2023-12-31") == 5_382_000
    assert framework.threshold_for("works", "sub_central", "2024-01-01") == 5_538_000


def test_dates_accept_datetime_and_text():
    assert framework.threshold_for("services", "sub_central", dt.datetime(2025, 6, 1, 9, 30)) == 221_000
    assert framework.threshold_for("services", "sub_central", " 2026-03-01 ") == 216_000


def test_after_2027_uses_last_table_with_a_warning():
    advice = framework.advise("services", 300_000, "sub_central", "2028-02-01")
    assert advice.period == "2026–27" and advice.threshold_eur == 216_000
    assert any("revised every two years" in w for w in advice.warnings)
    assert "revised every two years" in advice.summary()


def test_before_2022_is_refused():
    with pytest.raises(LearnerError, match="starts on 2022-01-01"):
        framework.advise("services", 300_000, "sub_central", "2021-12-31")


@pytest.mark.parametrize("value", [0, -1, -250_000, float("nan"), float("inf"), "lots", None, True])
def test_bad_values_are_refused(value):
    with pytest.raises(LearnerError, match="estimated value"):
        framework.advise("services", value, "sub_central", "2025-06-01")


@pytest.mark.parametrize("kwargs, words", [
    ({"contract_type": "goods"}, "not a contract type"),
    ({"buyer_type": "city"}, "not a buyer type"),
    ({"on_date": "01/06/2025"}, "is not a date"),
    ({"procedure": "auction"}, "not a procedure"),
    ({"contract_type": "works", "buyer_type": "utility"}, "supplies and services only"),
    ({"contract_type": "social_services", "buyer_type": "utility"}, "supplies and services only"),
])
def test_bad_choices_are_refused(kwargs, words):
    args = {"contract_type": "services", "estimated_value_eur": 300_000, "buyer_type": "sub_central",
            "on_date": "2025-06-01", **kwargs}
    with pytest.raises(LearnerError, match=words):
        framework.advise(**args)


# -- time limits (brief §3.2) --------------------------------------------------------------------
@pytest.mark.parametrize("e_submission, pin, urgent, days", [
    (False, False, False, 35),
    (True, False, False, 30),
    (True, True, False, 15),
    (False, True, False, 15),
    (True, False, True, 15),
    (False, False, True, 15),
])
def test_open_procedure_minimum_days(e_submission, pin, urgent, days):
    assert framework.open_minimum_days(e_submission, pin, urgent) == days
    advice = framework.advise("services", 500_000, "central", "2025-06-01", procedure="open",
                              e_submission=e_submission, pin_published=pin, urgent=urgent)
    table = advice.time_limits_table()
    assert list(table["procedure"]) == ["open"]
    assert table.loc[0, "minimum_days"] == days


def test_restricted_central_buyer():
    advice = framework.advise("supplies", 500_000, "central", "2025-06-01", procedure="restricted")
    days = [(t.step, t.minimum_days) for t in advice.time_limits]
    assert days == [("requests to participate", 30), ("receipt of tenders", 30)]


def test_restricted_after_pin_allows_ten_days_for_tenders():
    advice = framework.advise("supplies", 500_000, "central", "2025-06-01", procedure="restricted",
                              pin_published=True)
    assert [t.minimum_days for t in advice.time_limits] == [30, 10]


def test_restricted_sub_central_may_agree_tender_deadline():
    advice = framework.advise("services", 500_000, "sub_central", "2025-06-01", procedure="restricted")
    tenders = advice.time_limits[1]
    assert tenders.minimum_days == 10 and "agree" in tenders.rule


def test_restricted_urgency_is_flagged_not_invented():
    advice = framework.advise("supplies", 500_000, "central", "2025-06-01", procedure="restricted", urgent=True)
    urgency = [t for t in advice.time_limits if t.step == "urgency"]
    assert len(urgency) == 1 and urgency[0].minimum_days is None


def test_no_procedure_chosen_shows_open_and_restricted():
    advice = framework.advise("works", 6_000_000, "sub_central", "2026-06-01")
    assert [t.procedure for t in advice.time_limits] == ["open", "restricted", "restricted"]
    assert "30 days" in advice.summary()


def test_other_procedures_get_no_invented_time_limits():
    advice = framework.advise("services", 500_000, "sub_central", "2025-06-01",
                              procedure="innovation_partnership")
    assert advice.time_limits == []
    assert any("Art. 31" in r for r in advice.reminders)
    assert any("open and restricted procedures only" in w for w in advice.warnings)


def test_below_threshold_has_no_time_limits():
    advice = framework.advise("services", 100_000, "sub_central", "2025-06-01")
    assert advice.time_limits == []


# -- rules and reminders -------------------------------------------------------------------------
def test_above_threshold_rules_mention_directive_and_oj():
    advice = framework.advise("services", 250_000, "sub_central", "2025-06-01")
    text = " ".join(advice.rules)
    assert "2014/24/EU" in text and "Official Journal" in text
    assert any("Art. 46" in r for r in advice.reminders)
    assert any("750,000" in r for r in advice.reminders)


def test_below_threshold_rules_mention_treaty_principles_and_examples():
    advice = framework.advise("services", 50_000, "sub_central", "2025-06-01")
    text = " ".join(advice.rules)
    assert "National procurement rules" in text and "non-discrimination" in text
    assert "Official Journal" not in text
    reminders = " ".join(advice.reminders)
    assert "Rotterdam" in reminders and "€60,000" in reminders
    assert advice.warnings == []  # 50,000 is far below 221,000


def test_near_threshold_warning_is_course_design():
    advice = framework.advise("services", 200_000, "sub_central", "2025-06-01")  # 90.5% of 221,000
    assert any("course design" in w for w in advice.warnings)
    assert framework.advise("services", 198_000, "sub_central", "2025-06-01").warnings == []  # 89.6%


def test_light_regime_and_other_directives():
    social = framework.advise("social_services", 800_000, "sub_central", "2025-06-01")
    assert social.above_threshold and "light regime" in " ".join(social.rules)
    assert social.time_limits == []
    utility = framework.advise("services", 500_000, "utility", "2025-06-01")
    assert "2014/25/EU" in " ".join(utility.rules) and utility.time_limits == []
    concession = framework.advise("concession", 6_000_000, "sub_central", "2025-06-01")
    assert "2014/23/EU" in " ".join(concession.rules)


def test_summary_is_plain_text_with_verdict_and_sources():
    text = framework.advise("services", 221_000, "sub_central", "2025-06-01").summary()
    assert "at or above the EU threshold of €221,000" in text
    assert "net of VAT" in text and "2024–25" in text
    assert "https://" in text


def test_thresholds_table_matches_brief():
    table = framework.thresholds_table().set_index("contract type")
    assert table.loc[framework.CATEGORIES["supplies_services_sub_central"]].tolist() == [215_000, 221_000, 216_000]
    assert table.loc[framework.CATEGORIES["utilities_supplies_services"]].tolist() == [431_000, 443_000, 432_000]
    sources = framework.thresholds_sources()
    assert sources.loc[2, "from"] == "2026-01-01" and "2025/2152" in sources.loc[2, "source"]


# -- self-checks ---------------------------------------------------------------------------------
def test_self_check_functions():
    assert computation("open-procedure-days")(e_submission=True) == 30
    assert computation("threshold-eur")(
        contract_type="services", buyer_type="sub_central", on_date="2026-03-01") == 216_000


def test_quiz_file_is_valid_and_computed_answers_match():
    data = yaml.safe_load(QUIZ.read_text(encoding="utf-8"))
    assert selfcheck.validate_quiz(data) == []
    assert data["module"] == "02" and 4 <= len(data["questions"]) <= 6
    assert "numeric" in {q["type"] for q in data["questions"]}
    for q in data["questions"]:
        assert len(q["hints"]) >= 2
        if q.get("compute"):
            assert selfcheck.expected_value(q) == pytest.approx(q["answer"], abs=q["tolerance"])
