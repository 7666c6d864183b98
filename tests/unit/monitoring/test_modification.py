"""Module 7's "may I change this contract?" checker: each route of Art. 72 of Directive 2014/24/EU at its
boundary, worked out by hand, and the widget driven from Python."""

from __future__ import annotations

import pytest

from helpers.core.errors import LearnerError
from helpers.learning.registry import computation
from helpers.monitoring import Modification, check_modification, de_minimis_limit
from helpers.monitoring.modification import ALLOWED, CHECK, NEW_PROCEDURE
from helpers.monitoring.widgets.modification_checker import EXAMPLES, ModificationChecker, modification_static_view


def supplies(value: float, **kw) -> Modification:
    return Modification("supplies", 1_200_000, value, "2026-03-01", **kw)


def test_de_minimis_limit_is_the_lower_of_threshold_and_share():
    # supplies €1.2m in 2026: min(€216,000, 10% = €120,000); works €1.2m: min(€5,404,000, 15% = €180,000)
    assert de_minimis_limit("supplies", 1_200_000, "2026-03-01") == (120_000, 216_000, 10)
    assert de_minimis_limit("works", 1_200_000, "2026-03-01") == (180_000, 5_404_000, 15)
    # services €3m in 2025: 10% = €300,000 but the threshold €221,000 is lower
    assert de_minimis_limit("services", 3_000_000, "2025-06-01") == (221_000, 221_000, 10)
    assert computation("modification-de-minimis-limit")("supplies", 1_200_000, "2026-03-01") == 120_000
    assert computation("modification-de-minimis-limit")("supplies", 1_085_000, "2026-03-01") == 108_500  # module 7


def test_de_minimis_boundary_is_strictly_below_and_counts_earlier_changes():
    below = check_modification(supplies(119_999))
    assert (below.verdict, below.ground) == (ALLOWED, "the de-minimis rule (Art. 72(2))")
    at = check_modification(supplies(120_000))  # "below both values": 120,000 is not below 120,000
    assert at.verdict == CHECK and "not below €120,000" in " ".join(at.reasons)
    together = check_modification(supplies(60_000, earlier_modifications_eur=60_000))
    assert together.verdict == CHECK  # €60,000 + €60,000 = €120,000 net cumulative value
    assert check_modification(supplies(60_000, earlier_modifications_eur=59_999)).verdict == ALLOWED


def test_de_minimis_does_not_need_the_substantial_test_but_may_not_change_the_overall_nature():
    scope = check_modification(supplies(50_000, extends_scope_considerably=True))
    assert scope.verdict == ALLOWED  # Art. 72(2): no need to verify Art. 72(4)(a)-(d)
    nature = check_modification(supplies(50_000, alters_overall_nature=True))
    assert nature.verdict == NEW_PROCEDURE and "overall nature" in " ".join(nature.reasons)


def test_review_clause_allows_any_value_within_the_clause():
    answer = check_modification(supplies(500_000, review_clause=True))
    assert (answer.verdict, answer.ground) == (ALLOWED, "a review clause (Art. 72(1)(a))")


@pytest.mark.parametrize(
    "value, verdict",
    [(600_000, ALLOWED), (600_001, CHECK)],  # 50% of €1.2m = €600,000
)
def test_unforeseeable_circumstances_up_to_half_the_original_value(value, verdict):
    answer = check_modification(supplies(value, reason="unforeseeable"))
    assert answer.verdict == verdict
    if verdict == ALLOWED:
        assert answer.ground == "unforeseeable circumstances (Art. 72(1)(c))"
        assert any("modification notice in the Official Journal" in t for t in answer.to_do)
    else:
        assert any("more than 50% of the original value" in r for r in answer.reasons)


def test_additional_supplies_need_the_change_of_contractor_to_be_impossible():
    without = check_modification(supplies(300_000, reason="additional"))
    assert without.verdict == CHECK and any("cannot be done for economic or technical" in r for r in without.reasons)
    with_ = check_modification(supplies(300_000, reason="additional", change_of_contractor_impossible=True))
    assert (with_.verdict, with_.ground) == (ALLOWED, "additional works, services or supplies (Art. 72(1)(b))")


def test_substantial_change_needs_a_new_procedure():
    answer = check_modification(supplies(300_000, shifts_balance_to_contractor=True))
    assert answer.verdict == NEW_PROCEDURE and "Art. 72(5)" in answer.to_do[0]
    assert any("Art. 72(4)(b)" in r for r in answer.reasons)
    assert "Art. 72(4), Art. 72(5)" in answer.legal_basis


def test_indexation_clause_makes_the_updated_price_the_reference():
    answer = check_modification(supplies(125_000, indexed_value_eur=1_300_000))  # 10% of €1.3m = €130,000
    assert answer.verdict == ALLOWED and "Art. 72(3)" in answer.legal_basis


def test_below_threshold_contract_says_the_directive_does_not_bind_it():
    answer = check_modification(Modification("services", 100_000, 5_000, "2026-03-01"))
    assert any("Art. 72 does not bind this contract as such" in r for r in answer.reasons)


def test_one_legal_basis_line_names_articles_and_what_is_unknown():
    line = check_modification(supplies(96_000)).legal_basis
    assert line.startswith("Applied: Directive 2014/24/EU, Art. 72, Art. 72(2). Not known to this tool:")
    assert "\n" not in line and "national law" in line


@pytest.mark.parametrize(
    "change, words",
    [
        (Modification("concession", 1, 1), "not a contract type"),
        (supplies(-5), "more than zero"),
        (supplies(0), "more than zero"),
        (supplies("lots"), "number of euro"),
        (supplies(5, reason="because"), "not a reason"),
        (supplies(5, earlier_modifications_eur=-1), "zero or more"),
    ],
)
def test_bad_inputs_are_learner_errors(change, words):
    with pytest.raises(LearnerError, match=words):
        check_modification(change)


def test_widget_answers_and_never_keeps_a_stale_answer(work_dir):
    tool = ModificationChecker()
    assert tool.answer.verdict == ALLOWED and "spw-legal-basis" in tool.result.value  # €96,000 of €1,085,000
    tool.value.value = "250,000"
    assert tool.answer.verdict == CHECK
    tool.reason.value = "unforeseeable"
    assert tool.answer.ground == "unforeseeable circumstances (Art. 72(1)(c))"
    tool.flags["alters_overall_nature"].value = True
    assert tool.answer.verdict == NEW_PROCEDURE
    tool.value.value = "a lot"
    assert tool.answer is None and tool.result.value == "" and "Problem" in tool.message.value
    tool.value.value = "<script>"  # escaped in the message, never run
    assert "<script>" not in tool.message.value


def test_static_view_shows_both_worked_examples():
    views = modification_static_view()
    assert len(views) == len(EXAMPLES) == 2
    assert "the de-minimis rule (Art. 72(2))" in views[0].data
    assert "unforeseeable circumstances (Art. 72(1)(c))" in views[1].data
