"""The gender criteria decision aid: linked, not linked or check, with the articles of Directive 2014/24/EU
and the library's gender entries as examples."""

from __future__ import annotations

import pytest

from helpers.core.errors import LearnerError
from helpers.tendering import check_library_entry, gender_link_check
from helpers.tendering.gender_aid import company_words
from helpers.tendering.widgets.gender_aid import GenderAid, gender_aid_static_view


def test_an_equal_pay_condition_for_the_contract_staff_is_linked_under_article_70():
    answer = check_library_entry("GEN-ANY-01")
    assert answer.verdict == "linked" and answer.kind == "contract_performance_clause"
    assert answer.articles == ["Directive 2014/24/EU, Art. 70", "Directive 2014/24/EU, Recital 98"]
    assert set(answer.examples["id"]) == {"GEN-ANY-01", "GEN-ANY-03", "GEN-ANY-04", "GEN-CLEAN-01", "GEN-WORKS-01"}
    assert "https://eur-lex.europa.eu/eli/dir/2014/24/oj" in answer.legal_basis


def test_every_gender_entry_of_the_library_is_linked():
    for entry in ("GEN-ANY-02", "GEN-ANY-03", "GEN-ANY-04", "GEN-PLAY-01", "GEN-CARE-01", "GEN-VEH-01"):
        assert check_library_entry(entry).verdict == "linked", entry


def test_a_women_owned_bonus_is_not_linked():
    answer = gender_link_check("award_criterion", "company", "Points for bidders that are women-owned companies.")
    assert answer.verdict == "not linked"
    assert answer.lines()[0] == (
        "Not linked: an award criterion about the whole company "
        "(its general policies, ownership, board or all its staff)."
    )
    assert "Recital 97" in answer.reasons[0] and "Art. 67(3)" in answer.reasons[1]
    assert "Directive 2014/24/EU, Recital 97 and Art. 67(3)" in answer.articles
    assert len(answer.examples) == 4  # the library's four gender award criteria


def test_company_wording_under_a_contract_scope_asks_for_a_check():
    answer = gender_link_check("contract_performance_clause", "contract", "The bidder has a company-wide equality plan")
    assert answer.verdict == "check"
    assert answer.reasons[0].startswith("The wording mentions 'company-wide', 'equality plan'")
    assert company_words("applies to the contract team only, not the whole company") == []


def test_subcontractors_are_linked_by_a_performance_condition_and_need_a_check_otherwise():
    assert gender_link_check("contract_performance_clause", "supply_chain").verdict == "linked"
    award = gender_link_check("award_criterion", "supply_chain")
    assert award.verdict == "check" and "Directive 2014/24/EU, Art. 71 and Art. 18(2)" in award.articles


def test_a_selection_criterion_on_contract_expertise_is_linked_if_proportionate():
    answer = gender_link_check("selection_criterion", "contract")
    assert answer.verdict == "linked" and answer.examples.empty
    assert any("proportionate" in r for r in answer.reasons) and any("GEN-ANY-02" in r for r in answer.reasons)


def test_wrong_inputs_are_plain_messages():
    with pytest.raises(LearnerError, match="does not judge"):
        gender_link_check("reservation", "contract")
    with pytest.raises(LearnerError, match="unknown scope"):
        gender_link_check("award_criterion", "city")


def test_the_tool_answers_as_the_learner_changes_it_and_escapes_the_wording():
    tool = GenderAid()
    assert tool.answer.verdict == "linked"
    tool.scope.value = "company"
    assert tool.answer.verdict == "not linked" and "Not linked" in tool.result.value
    tool.scope.value = "contract"
    tool.wording.value = "<b>board</b> quota"
    assert tool.answer.verdict == "check" and "<b>board</b>" not in tool.result.value
    tool.start.value = "GEN-ANY-03"
    assert tool.kind.value == "contract_performance_clause" and tool.answer.verdict == "linked"
    shown = gender_aid_static_view()
    assert "Linked" in shown[0].data and "Not linked" in shown[1].data
