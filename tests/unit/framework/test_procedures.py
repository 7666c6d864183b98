"""Module 2: the procedures, when each may be used (Art. 26), and the minimum time limits of the open and
restricted procedures (Arts 27-28 of Directive 2014/24/EU)."""

from __future__ import annotations

import pytest

from helpers.core.content import by_id, items
from helpers.framework import procedures
from helpers.framework.advice import advise
from helpers.learning.registry import computation


@pytest.mark.parametrize(
    "e_submission, pin, urgent, days",
    [
        (False, False, False, 35),
        (True, False, False, 30),
        (True, True, False, 15),
        (False, True, False, 15),
        (True, False, True, 15),
        (False, False, True, 15),
    ],
)
def test_open_procedure_minimum_days(e_submission, pin, urgent, days):
    assert procedures.open_minimum_days(e_submission, pin, urgent) == days
    advice = advise(
        "services",
        500_000,
        "central",
        "2025-06-01",
        procedure="open",
        e_submission=e_submission,
        pin_published=pin,
        urgent=urgent,
    )
    table = advice.time_limits_table()
    assert list(table["procedure"]) == ["open"]
    assert table.loc[0, "minimum_days"] == days


def test_restricted_central_buyer():
    advice = advise("supplies", 500_000, "central", "2025-06-01", procedure="restricted")
    days = [(t.step, t.minimum_days) for t in advice.time_limits]
    # Art. 28(1); Art. 28(2) less the 5 days of Art. 28(5) for electronic submission
    assert days == [("requests to participate", 30), ("receipt of tenders", 25)]
    paper = advise("supplies", 500_000, "central", "2025-06-01", procedure="restricted", e_submission=False)
    assert [t.minimum_days for t in paper.time_limits] == [30, 30]
    assert [t.article for t in paper.time_limits] == [
        "Directive 2014/24/EU, Art. 28(1)",
        "Directive 2014/24/EU, Art. 28(2)",
    ]


def test_restricted_after_pin_allows_ten_days_for_tenders():
    advice = advise("supplies", 500_000, "central", "2025-06-01", procedure="restricted", pin_published=True)
    assert [t.minimum_days for t in advice.time_limits] == [30, 10]  # Art. 28(3): no further 5-day cut


def test_restricted_sub_central_agreement_is_a_member_state_option():
    advice = advise("services", 500_000, "sub_central", "2025-06-01", procedure="restricted")
    requests, tenders, option = advice.time_limits
    assert (requests.minimum_days, tenders.minimum_days) == (30, 25)  # the Directive's floor applies by default
    assert option.minimum_days is None and option.step == "receipt of tenders (Member State option)"
    assert option.rule.startswith("only if your national law uses this option") and "at least 10 days" in option.rule
    assert option.rule.endswith("Otherwise: 25 days (Art. 28(4))")


def test_restricted_urgency_uses_art_28_6():
    advice = advise("supplies", 500_000, "central", "2025-06-01", procedure="restricted", urgent=True)
    assert [(t.step, t.minimum_days) for t in advice.time_limits] == [
        ("requests to participate (urgency)", 15),
        ("receipt of tenders (urgency)", 10),
    ]
    assert advice.time_limits[0].article == "Directive 2014/24/EU, Art. 28(6)(a)"


def test_no_procedure_chosen_shows_open_and_restricted():
    advice = advise("works", 6_000_000, "sub_central", "2026-06-01")
    assert [t.procedure for t in advice.time_limits] == ["open", "restricted", "restricted", "restricted"]
    assert "30 days" in advice.summary()


def test_other_procedures_get_no_invented_time_limits_and_state_their_condition():
    advice = advise("services", 500_000, "sub_central", "2025-06-01", procedure="innovation_partnership")
    assert advice.time_limits == []
    assert any("Art. 31(1)" in r and "pre-commercial procurement" in r for r in advice.reminders)
    assert any("open and restricted procedures only" in w for w in advice.warnings)
    condition = next(w for w in advice.warnings if "may be used only if" in w)
    assert "already available on the market" in condition and "Art. 31(1)" in condition
    dialogue = advise("services", 500_000, "sub_central", "2025-06-01", procedure="competitive_dialogue")
    assert any("may be used only if" in w and "Art. 26(4)" in w for w in dialogue.warnings)
    open_ = advise("services", 500_000, "sub_central", "2025-06-01", procedure="open")
    assert not any("may be used only if" in w for w in open_.warnings)


def test_below_threshold_has_no_time_limits():
    advice = advise("services", 100_000, "sub_central", "2025-06-01")
    assert advice.time_limits == []


def test_procedures_content_file():
    assert procedures.procedure_names() == {
        "open": "open procedure (Art. 27)",
        "restricted": "restricted procedure (Art. 28)",
        "competitive_negotiation": "competitive procedure with negotiation (Art. 29)",
        "competitive_dialogue": "competitive dialogue (Art. 30)",
        "innovation_partnership": "innovation partnership (Art. 31)",
        "negotiated_without_publication": "negotiated procedure without prior publication (Art. 32)",
    }
    assert procedures.freely_available() == ("open", "restricted")  # Art. 26(2)
    assert {k: procedures.procedure(k).article for k in procedures.procedures()} == {
        "open": "Art. 26(2)",
        "restricted": "Art. 26(2)",
        "competitive_negotiation": "Art. 26(4)",
        "competitive_dialogue": "Art. 26(4)",
        "innovation_partnership": "Art. 26(3) and Art. 31(1)",
        "negotiated_without_publication": "Art. 26(6) and Art. 32",
    }
    assert procedures.procedure("negotiated_without_publication").available == "exceptional"
    assert {p["status"] for p in items(procedures.PROCEDURES_FILE)} == {"verified"}
    assert {p["source"] for p in items(procedures.PROCEDURES_FILE)} == {procedures.DIRECTIVE_2014_24}


def test_time_limits_content_file_reads_every_number_from_the_facts_table():
    limits = by_id(procedures.TIME_LIMITS_FILE)
    days = {k: procedures._limit(k).minimum_days for k in limits}
    assert days == {
        "open-standard": 35,
        "open-electronic": 30,
        "open-pin": 15,
        "open-urgent": 15,
        "open-pin-and-urgent": 15,
        "restricted-requests": 30,
        "restricted-tenders": 30,
        "restricted-tenders-electronic": 25,
        "restricted-tenders-pin": 10,
        "restricted-tenders-sub-central": None,
        "restricted-requests-urgency": 15,
        "restricted-tenders-urgency": 10,
    }
    assert not any("days" in item for item in limits.values())  # no number written twice
    assert {v["source"] for v in limits.values()} == {"https://eur-lex.europa.eu/eli/dir/2014/24/oj"}
    assert {v["status"] for v in limits.values()} == {"verified"}
    assert procedures._limit("open-electronic").rule == (
        "35 days from the notice, 5 days less because the buyer accepts electronic submission of tenders "
        "(Art. 27(1) and (4))"
    )


def test_exported_sources_are_the_content_files():
    limits = by_id(procedures.TIME_LIMITS_FILE)
    assert procedures.OPEN_LIMITS_SOURCE == limits["open-standard"]["source"]
    assert procedures.RESTRICTED_LIMITS_SOURCE == limits["restricted-requests"]["source"]
    assert procedures.SUB_CENTRAL_AGREEMENT_SOURCE == limits["restricted-tenders-sub-central"]["source"]


def test_restricted_tender_days_self_check():
    assert computation("restricted-tender-days")(e_submission=True) == 25
    assert computation("restricted-tender-days")(e_submission=False) == 30
    assert computation("restricted-tender-days")(pin_published=True) == 10
