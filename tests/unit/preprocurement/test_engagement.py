"""Module 5's market engagement: the consultation timeline counted back by hand, the invitation list, the
transparency log and the engagement plan."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.core.errors import LearnerError
from helpers.preprocurement.engagement import (
    Allowances,
    TransparencyLog,
    consultation_timeline,
    engagement_plan_report,
    invitation_list,
)
from helpers.ui.exports import to_markdown


def _dates(frame):
    return {m: d.date().isoformat() for m, d in zip(frame["milestone"], frame["date"])}


def test_open_timeline_counts_back_from_the_contract_start():
    t = _dates(consultation_timeline("2026-09-01", "open"))
    # start - 10 standstill = 08-22; - 30 evaluation = 07-23; - 30 (35 - 5 e-submission) = 06-23;
    # - 4 weeks documents = 05-26; - 6 weeks consultation = 04-14
    assert t["Award decision sent to all bidders; standstill begins"] == "2026-08-22"
    assert t["Deadline for tenders"] == "2026-07-23"
    assert t["Contract notice published"] == "2026-06-23"
    assert t["Market consultation closes; summary of what was shared published to all"] == "2026-05-26"
    assert t["Preliminary market consultation opens (Art. 40)"] == "2026-04-14"


def test_open_timeline_without_e_submission_and_with_pin():
    assert (
        _dates(consultation_timeline("2026-09-01", "open", e_submission=False))["Contract notice published"]
        == "2026-06-18"
    )  # 35 days before 07-23
    pin = _dates(consultation_timeline("2026-09-01", "open", pin_published=True))
    assert pin["Contract notice published"] == "2026-07-08"  # 15 days before 07-23
    assert pin["Prior information notice (PIN) published, at the latest"] == "2026-06-03"  # 35 days earlier


def test_restricted_timeline_and_allowances():
    t = consultation_timeline("2026-09-01", "restricted", allowances=Allowances(shortlisting_days=14))
    d = _dates(t)
    assert d["Invitations to tender sent to shortlisted candidates"] == "2026-06-23"  # 30 days before 07-23
    assert d["Deadline for requests to participate"] == "2026-06-09"  # 14 days shortlisting
    assert d["Contract notice published"] == "2026-05-10"  # 30 days for requests
    assert list(t["date"]) == sorted(t["date"])
    assert t.loc[t["milestone"] == "Contract notice published", "days_before_start"].item() == 114
    assert t["basis"].str.startswith("course design").sum() == 5


def test_timeline_marks_late_milestones_and_rejects_other_procedures():
    t = consultation_timeline("2026-09-01", "open", today="2026-05-01")
    assert t["late"].tolist() == [True, False, False, False, False, False]
    with pytest.raises(LearnerError, match="open and restricted"):
        consultation_timeline("2026-09-01", "competitive_dialogue")
    with pytest.raises(LearnerError, match="not a date"):
        consultation_timeline("1 Sept", "open")


REGISTER = pd.DataFrame(
    {
        "supplier_id": ["1", "2", "3", "4", "5", "6"],
        "name": ["Zeta Juegos", "Alfa Parques", "Big Play SA", "Norte Play", "Abroad Play", "Builder"],
        "postcode": ["46012", "46300", "46001", "50001", "46002", "46003"],
        "country": ["XM", "XM", "XM", "XM", "DE", "XM"],
        "size_class": ["small", "micro", "large", "small", "small", "small"],
        "turnover_eur": [150000, 100000, 9_000_000, 1_000_000, 1_000_000, 1_000_000],
        "social_economy": ["false", "true", "false", "false", "false", "false"],
        "cpv_division": ["37", "37", "37", "37", "37", "45"],
    }
)
GEOGRAPHY = pd.DataFrame(
    {
        "postcode_prefix": ["460", "463", "500"],
        "place": ["Portavera", "Playa", "Norte"],
        "level": ["city", "region", "country"],
    }
)


def test_invitation_list_puts_local_smes_first():
    inv = invitation_list(REGISTER, "37535200-9", GEOGRAPHY)
    # division 37: five suppliers; local SMEs Alfa (region) and Zeta (city) first, then the local
    # large firm, then the rest by name (Abroad Play is abroad: country DE although its postcode is 460..)
    assert inv["name"].tolist() == ["Alfa Parques", "Zeta Juegos", "Big Play SA", "Abroad Play", "Norte Play"]
    assert inv["local_sme"].tolist() == [True, True, False, False, False]
    assert inv.loc[inv["name"] == "Abroad Play", "level"].item() == "abroad"


def test_transparency_log_shares_questions_with_all():
    log = TransparencyLog("Playground equipment")
    q = log.add_question("2026-04-20", "Zeta Juegos", "Can bidders propose natural play elements?")
    meeting = log.add_contact("2026-04-22", "Alfa Parques", "Site visit", info_shared="Budget range")
    assert len(log.problems()) == 2
    log.answer(q, "Yes: the specification is functional.", "2026-04-23")
    qa = log.published_qa()
    assert qa.to_dict("records") == [
        {
            "question": "Can bidders propose natural play elements?",
            "answer": "Yes: the specification is functional.",
            "published_on": "2026-04-23",
        }
    ]
    assert "Zeta" not in qa.to_string()
    assert log.problems() == [
        f"Entry {meeting}: what was told to Alfa Parques on 2026-04-22 has not been shared with all suppliers."
    ]
    log.share_with_all(meeting, "2026-04-23")
    assert log.problems() == []
    again = TransparencyLog.from_dict(log.to_dict())
    assert again.to_frame().equals(log.to_frame())
    assert "natural play" in to_markdown(log.to_report())
    with pytest.raises(LearnerError):
        log.answer(meeting, "x", "2026-04-24")


def test_engagement_plan_report_has_timeline_and_invitations():
    report = engagement_plan_report(
        "Playground", consultation_timeline("2026-09-01", "open"), invitation_list(REGISTER, 37, GEOGRAPHY)
    )
    text = to_markdown(report)
    assert "2026-06-23" in text and "2 are local SMEs" in text
