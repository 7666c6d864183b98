"""Module 2: the advisor's checks of its inputs, its rules, reminders and summary."""

from __future__ import annotations

import pytest

from helpers.core.errors import LearnerError
from helpers.framework.advice import advise


@pytest.mark.parametrize("value", [0, -1, -250_000, float("nan"), float("inf"), "lots", None, True])
def test_bad_values_are_refused(value):
    with pytest.raises(LearnerError, match="estimated value"):
        advise("services", value, "sub_central", "2025-06-01")


@pytest.mark.parametrize(
    "kwargs, words",
    [
        ({"contract_type": "goods"}, "not a contract type"),
        ({"buyer_type": "city"}, "not a buyer type"),
        ({"on_date": "01/06/2025"}, "is not a date"),
        ({"procedure": "auction"}, "not a procedure"),
        ({"contract_type": "works", "buyer_type": "utility"}, "supplies and services only"),
        ({"contract_type": "social_services", "buyer_type": "utility"}, "supplies and services only"),
    ],
)
def test_bad_choices_are_refused(kwargs, words):
    args = {
        "contract_type": "services",
        "estimated_value_eur": 300_000,
        "buyer_type": "sub_central",
        "on_date": "2025-06-01",
        **kwargs,
    }
    with pytest.raises(LearnerError, match=words):
        advise(**args)


# -- rules and reminders -------------------------------------------------------------------------
def test_above_threshold_rules_mention_directive_and_oj():
    advice = advise("services", 250_000, "sub_central", "2025-06-01")
    text = " ".join(advice.rules)
    assert "2014/24/EU" in text and "Official Journal" in text
    assert any("Art. 46" in r for r in advice.reminders)
    assert any("750,000" in r for r in advice.reminders)


def test_below_threshold_rules_mention_treaty_principles_and_examples():
    advice = advise("services", 50_000, "sub_central", "2025-06-01")
    text = " ".join(advice.rules)
    assert "National procurement rules" in text and "non-discrimination" in text
    assert "Official Journal" not in text
    reminders = " ".join(advice.reminders)
    assert "Rotterdam" in reminders and "€60,000" in reminders
    assert advice.warnings == []  # 50,000 is far below 221,000


def test_near_threshold_warning_is_course_design():
    advice = advise("services", 200_000, "sub_central", "2025-06-01")  # 90.5% of 221,000
    assert any("course design" in w for w in advice.warnings)
    assert advise("services", 198_000, "sub_central", "2025-06-01").warnings == []  # 89.6%


def test_light_regime_and_other_directives():
    social = advise("social_services", 800_000, "sub_central", "2025-06-01")
    assert social.above_threshold and "light regime" in " ".join(social.rules)
    assert social.time_limits == []
    utility = advise("services", 500_000, "utility", "2025-06-01")
    assert "2014/25/EU" in " ".join(utility.rules) and utility.time_limits == []
    concession = advise("concession", 6_000_000, "sub_central", "2025-06-01")
    assert "2014/23/EU" in " ".join(concession.rules)


def test_summary_is_plain_text_with_verdict_and_sources():
    text = advise("services", 221_000, "sub_central", "2025-06-01").summary()
    assert "at or above the EU threshold of €221,000" in text
    assert "net of VAT" in text and "2024–25" in text
    assert "https://" in text
