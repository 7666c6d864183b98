"""Module 2: the advisor's checks of its inputs, its rules, reminders and summary."""

from __future__ import annotations

import pytest

from helpers.core.content import items
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


# -- the law behind each statement (issue 12) -------------------------------------------------------------
def test_below_threshold_principles_bind_only_with_cross_border_interest():
    advice = advise("works", 100_000, "sub_central", "2026-03-01")
    principles = next(r for r in advice.rules if "cross-border interest" in r)
    assert "equal treatment, non-discrimination and transparency" in principles
    assert "C-507/03" in principles and "2006/C 179/02" in principles
    assert "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:62003CJ0507" in advice.sources
    reminders = " ".join(advice.reminders)
    # Rotterdam's limit was the 2024-25 threshold; from 2026 the threshold is €216,000 (Delegated Regulation 2025/2152)
    assert "€221,000, the 2024–25 threshold" in reminders and "from 2026 that threshold is €216,000" in reminders
    # Finland, Act 1397/2016 s. 25: €60,000 supplies and services, €150,000 works
    assert "€60,000 for supplies and services and €150,000 for works" in reminders


def test_above_threshold_procedure_choice_names_each_legal_ground():
    advice = advise("services", 250_000, "sub_central", "2026-03-01")
    choice = next(r for r in advice.rules if r.startswith("Choose a procedure"))
    assert "open and restricted procedures are always available" in choice
    assert "need a ground of Art. 26(4)" in choice and "Art. 31(1)" in choice and "Art. 32" in choice
    assert "(Directive 2014/24/EU, Art. 26(2), 26(4), 26(6), 31(1) and 32)" in choice


def test_each_answer_has_one_legal_basis_line():
    above = advise("services", 250_000, "sub_central", "2026-03-01")
    assert above.legal_basis.startswith(
        "Applied: Directive 2014/24/EU Arts 1, 4, 5, 26–28, 31, 32, 46, 47, 49, 51, 67, 74; the threshold set by "
        "Delegated Regulation (EU) 2025/2152. Not known to this tool:"
    )
    assert "\n" not in above.legal_basis and above.legal_basis in above.summary()
    below = advise("services", 50_000, "sub_central", "2025-06-01")
    assert (
        "Delegated Regulation (EU) 2023/2495" in below.legal_basis
        and "Finnish Act 1397/2016, s. 25" in below.legal_basis
    )
    social = advise("social_services", 800_000, "sub_central", "2026-03-01")
    assert "Arts 74, 75(1) and 76(1)" in " ".join(social.rules) and "fixed in the Directive" in " ".join(social.rules)


def test_every_advisor_statement_cites_an_article_and_eur_lex_or_a_national_text():
    for item in items("framework_rules"):
        assert item["article"], item["id"]
        if item["status"] != "course design":
            assert any(d in item["source"] for d in ("eur-lex.europa.eu", "finlex.fi", "build-procurement.eu")), item
