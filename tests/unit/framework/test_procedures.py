"""Module 2: the procedures and the minimum time limits of the open and restricted procedures (brief §3.2)."""

from __future__ import annotations

import pytest

from helpers.core.content import by_id, items
from helpers.framework import procedures
from helpers.framework.advice import advise


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
    assert days == [("requests to participate", 30), ("receipt of tenders", 30)]


def test_restricted_after_pin_allows_ten_days_for_tenders():
    advice = advise("supplies", 500_000, "central", "2025-06-01", procedure="restricted", pin_published=True)
    assert [t.minimum_days for t in advice.time_limits] == [30, 10]


def test_restricted_sub_central_may_agree_tender_deadline():
    advice = advise("services", 500_000, "sub_central", "2025-06-01", procedure="restricted")
    tenders = advice.time_limits[1]
    assert tenders.minimum_days == 10 and "agree" in tenders.rule


def test_restricted_urgency_is_flagged_not_invented():
    advice = advise("supplies", 500_000, "central", "2025-06-01", procedure="restricted", urgent=True)
    urgency = [t for t in advice.time_limits if t.step == "urgency"]
    assert len(urgency) == 1 and urgency[0].minimum_days is None


def test_no_procedure_chosen_shows_open_and_restricted():
    advice = advise("works", 6_000_000, "sub_central", "2026-06-01")
    assert [t.procedure for t in advice.time_limits] == ["open", "restricted", "restricted"]
    assert "30 days" in advice.summary()


def test_other_procedures_get_no_invented_time_limits():
    advice = advise("services", 500_000, "sub_central", "2025-06-01", procedure="innovation_partnership")
    assert advice.time_limits == []
    assert any("Art. 31" in r for r in advice.reminders)
    assert any("open and restricted procedures only" in w for w in advice.warnings)


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
    assert procedures.procedures() == (
        "open",
        "restricted",
        "competitive_negotiation",
        "competitive_dialogue",
        "innovation_partnership",
        "negotiated_without_publication",
    )
    assert {p["status"] for p in items(procedures.PROCEDURES_FILE)} == {"unverified"}


def test_time_limits_content_file():
    limits = by_id(procedures.TIME_LIMITS_FILE)
    assert {k: (v["procedure"], v["step"], v["days"]) for k, v in limits.items()} == {
        "open-standard": ("open", "receipt of tenders", 35),
        "open-electronic": ("open", "receipt of tenders", 30),
        "open-pin": ("open", "receipt of tenders", 15),
        "open-urgent": ("open", "receipt of tenders", 15),
        "open-pin-and-urgent": ("open", "receipt of tenders", 15),
        "restricted-requests": ("restricted", "requests to participate", 30),
        "restricted-tenders": ("restricted", "receipt of tenders", 30),
        "restricted-tenders-pin": ("restricted", "receipt of tenders", 10),
        "restricted-tenders-sub-central": ("restricted", "receipt of tenders", 10),
        "restricted-urgency": ("restricted", "urgency", None),
    }
    assert limits["open-electronic"]["rule"] == (
        "35 days from the notice, 5 days less because tenders may be submitted electronically"
    )
    assert {v["source"] for k, v in limits.items() if k.startswith("open")} == {
        "https://www.legislation.gov.uk./ssi/2015/446/regulation/28/data.html"
    }
    assert {v["source"] for k, v in limits.items() if k.startswith("restricted") and "sub-central" not in k} == {
        "https://www.legislation.gov.uk/eudr/2014/24/article/28/2020-01-31"
    }
    assert limits["restricted-tenders-sub-central"]["source"] == (
        "https://bevanbrittan.com/insights/articles/2014/statutorytimelimitsunderthepublicsectordirective"
    )
    assert {v["status"] for v in limits.values()} == {"unverified"}


def test_exported_sources_are_the_content_files():
    limits = by_id(procedures.TIME_LIMITS_FILE)
    assert procedures.OPEN_LIMITS_SOURCE == limits["open-standard"]["source"]
    assert procedures.RESTRICTED_LIMITS_SOURCE == limits["restricted-requests"]["source"]
    assert procedures.SUB_CENTRAL_AGREEMENT_SOURCE == limits["restricted-tenders-sub-central"]["source"]


def test_restricted_sub_central_rule_names_the_standard_limit():
    [requests, tenders] = procedures.restricted_time_limits("sub_central", pin_published=True)
    assert tenders.rule == (
        "sub-central buyers may agree the tender deadline with the selected candidates; without "
        "agreement at least 10 days. Standard limit: 10 days after a qualifying prior information "
        "notice (PIN)"
    )
    assert requests == procedures.TimeLimit(
        "restricted",
        "requests to participate",
        30,
        "30 days from the contract notice",
        procedures.RESTRICTED_LIMITS_SOURCE,
    )
