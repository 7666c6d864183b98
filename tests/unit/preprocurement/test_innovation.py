"""Module 5's innovation rubric and routes: each rule's boundary worked out by hand, profiles, bad scores,
comparison and the saved form."""

from __future__ import annotations

import pytest

from helpers.core.errors import LearnerError
from helpers.preprocurement.innovation import (
    RUBRIC,
    RUBRIC_KEYS,
    RUBRIC_NOTE,
    Assessment,
    assess_innovation,
    compare_assessments,
)


def scores(**overrides):
    base = dict.fromkeys(RUBRIC_KEYS, 1)
    base.update(overrides)
    return base


# -- rubric --------------------------------------------------------------------------------------------
def test_rubric_has_seven_items_with_four_descriptors_and_an_honest_note():
    assert len(RUBRIC) == 7 and all(len(item.descriptors) == 4 for item in RUBRIC)
    assert "course's own design" in RUBRIC_NOTE and "not public" in RUBRIC_NOTE


def test_total_seven_is_standard_tender_and_eight_is_not():
    low = assess_innovation(scores())  # 7 x 1 = 7
    assert (low.total, low.profile, low.route) == (7, "low", "standard tender")
    higher = assess_innovation(scores(need=2))  # 8, maturity 1, need 2 -> rule 5
    assert (higher.total, higher.profile) == (8, "medium")
    assert higher.route == "market dialogue with functional specifications"


def test_rd_needed_gives_pcp_unless_total_is_low():
    pcp = assess_innovation(scores(market_maturity=3, need=2))  # 3 + 2 + 5 = 10
    assert pcp.route == "pre-commercial procurement"
    assert pcp.article == "Directive 2014/24/EU, Art. 14 (R&D services outside the Directive)"
    assert "the Directive does not apply" in pcp.condition and "State-aid" in pcp.condition
    low = assess_innovation(scores(market_maturity=3, user_involvement=0, readiness=0))  # 3+4 = 7
    assert (low.total, low.route) == (7, "standard tender")
    assert low.article == "Directive 2014/24/EU, Art. 26(2) (procedures in Arts 27-28)"


def test_innovation_partnership_only_when_no_market_solution_and_a_large_ready_purchase():
    partnership = assess_innovation(scores(market_maturity=3, value_duration=3, readiness=2))  # 3+3+2+4 = 12
    assert partnership.route == "innovation partnership"
    assert partnership.article == "Directive 2014/24/EU, Art. 31(1) and (7); recital 49"
    assert "cannot be met by buying what is already available on the market" in partnership.condition
    # value/duration 2 or readiness 1: pre-commercial procurement instead (rule 3)
    assert (
        assess_innovation(scores(market_maturity=3, value_duration=2, readiness=2)).route
        == "pre-commercial procurement"
    )
    assert (
        assess_innovation(scores(market_maturity=3, value_duration=3, readiness=1)).route
        == "pre-commercial procurement"
    )


def test_near_market_is_ppi_through_an_ordinary_procedure_never_an_innovation_partnership():
    for value_duration in (0, 1, 2, 3):
        ppi = assess_innovation(scores(market_maturity=2, value_duration=value_duration, impact=3))
        assert ppi.route == "public procurement of innovative solutions (PPI)", value_duration
    ppi = assess_innovation(scores(market_maturity=2, value_duration=3))
    assert ppi.article == "Directive 2014/24/EU, Art. 26(2) and 26(4)"
    assert "open or restricted procedure is always available" in ppi.condition
    assert any(r.startswith("Legal condition: no R&D is bought") for r in ppi.reasons)
    assert ppi.legal_basis.startswith("Applied: Directive 2014/24/EU, Art. 26(2) and 26(4). Not known to this tool:")


def test_unclear_need_with_mature_market_gives_competitive_dialogue():
    unclear = assess_innovation(scores(need=1, impact=3))  # 9, maturity 1, need 1
    assert unclear.route == "competitive dialogue"
    assert unclear.article == "Directive 2014/24/EU, Art. 26(4)(a) and Art. 30"
    clear = assess_innovation(scores(need=2, impact=2))  # need 2 -> rule 6
    assert clear.route == "market dialogue with functional specifications"


def test_profile_boundaries_and_readiness_warning():
    assert assess_innovation(scores(need=3, impact=3, scalability=3, user_involvement=2)).total == 14
    assert assess_innovation(scores(need=3, impact=3, scalability=3, user_involvement=2)).profile == "medium"
    assert assess_innovation(scores(need=3, impact=3, scalability=3, user_involvement=3)).profile == "high"
    risky = assess_innovation(scores(market_maturity=3, need=2, readiness=1))  # PCP, readiness 1
    assert risky.warnings and "Readiness" in risky.warnings[0]
    ready = assess_innovation(scores(market_maturity=3, need=2, readiness=2))
    assert ready.warnings == []


@pytest.mark.parametrize("bad", [{"need": 4}, {"need": -1}, {"need": 1.5}, {"need": "high"}])
def test_bad_scores_are_learner_errors(bad):
    with pytest.raises(LearnerError):
        assess_innovation(scores(**bad))


def test_missing_or_unknown_items_are_named():
    partial = scores()
    del partial["readiness"]
    with pytest.raises(LearnerError, match="readiness"):
        assess_innovation(partial)
    with pytest.raises(LearnerError, match="colour"):
        assess_innovation({**scores(), "colour": 2})


def test_compare_and_round_trip():
    a = assess_innovation(scores(), name="Office paper")
    b = assess_innovation(scores(market_maturity=3, need=2), name="Smart playground")
    table = compare_assessments([a, b])
    assert list(table.columns) == ["Office paper", "Smart playground"]
    assert table.loc["total", "Smart playground"] == 10  # 3 + 2 + 5 x 1
    assert table.loc["route", "Office paper"] == "standard tender"
    again = Assessment.from_dict(b.to_dict())
    assert (again.scores, again.route, again.name) == (b.scores, b.route, b.name)
    assert a.table().loc[0, "meaning"] == RUBRIC[0].descriptors[1]
    with pytest.raises(LearnerError):
        compare_assessments([])
