"""Module 5 widgets driven from Python: the rubric's route flips across a rule boundary, assessments save and
compare, the planner's timeline, invitations and log, citizen wishes, and the health check's flag counts."""
from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from helpers.preprocurement.model import course_tenders, tender_flags
from helpers.preprocurement.widgets.tools import (PLAYGROUND_SCORES, CitizenWishes, EngagementPlanner, HealthCheck,
                                            InnovationAssessmentTool, flagged_view, health_sources, parse_wishes,
                                            single_bid_rate_pct)


def test_rubric_route_changes_across_a_boundary(work_dir):
    tool = InnovationAssessmentTool()
    assert tool.assessment.total == 13 and "market dialogue with functional specifications" in tool.route.value
    tool.items["market_maturity"].value = 3                    # R&D needed -> PCP (total 15)
    assert "Suggested route: pre-commercial procurement" in tool.route.value and "15/21" in tool.route.value
    tool.items["market_maturity"].value = 2                    # near-market, value/duration 2 -> partnership
    assert "innovation partnership" in tool.route.value
    for key in ("need", "impact", "user_involvement", "readiness", "scalability"):
        tool.items[key].value = 0                              # total 4 -> standard tender (rule 1)
    assert tool.assessment.total == 4 and "Suggested route: standard tender" in tool.route.value
    # each option reads what its score means
    assert tool.items["market_maturity"].options[3][0].startswith("3: No solution exists yet")


def test_assessments_save_and_compare(work_dir):
    tool = InnovationAssessmentTool()
    tool.save.click()
    tool.name.value = "Smart bins"
    tool.items["market_maturity"].value = 3
    tool.save.click()
    assert set(tool.saved.options) == {"Playground equipment", "Smart bins"} and str(work_dir) in tool.status.value
    table = tool.compare_saved()
    assert table.loc["route", "Playground equipment"] == "market dialogue with functional specifications"
    assert table.loc["route", "Smart bins"] == "pre-commercial procurement"
    assert table.loc["total", "Smart bins"] == 15
    assert "Smart bins" in tool.comparison.value


def test_planner_timeline_invitations_log_and_export(work_dir):
    planner = EngagementPlanner("portavera")
    first = planner.plan_timeline.iloc[0]
    assert first["milestone"].startswith("Preliminary market consultation opens")
    assert first["date"] == pd.Timestamp("2025-05-14")        # 1 Oct 2025 back: 10+30+30 days, 4+6 weeks
    planner.e_submission.value = False                       # 35 days instead of 30: 5 days earlier
    assert planner.plan_timeline.iloc[0]["date"] == pd.Timestamp("2025-05-09")
    inv = planner.plan_invitations
    assert inv["local_sme"].iloc[0] and "24 local SMEs (highlighted)" in planner.invitations.value
    planner.division.value = "99"
    assert planner.plan_invitations.empty and "0 suppliers in this sector" in planner.invitations.value
    planner.division.value = "37"
    planner.supplier.value = "Juegos del Puerto"
    planner.summary.value = "Can we offer <b>wooden</b> equipment?"
    planner.add_entry.click()
    assert "has no answer yet" in planner.log_view.value and "&lt;b&gt;wooden" in planner.log_view.value
    planner.answer.value = "Yes, any material meeting the safety standard."
    planner.publish.click()
    assert "has no answer yet" not in planner.log_view.value
    paths = planner.export_plan()
    md = paths[0].read_text()
    assert paths[1].suffix == ".docx" and paths[1].is_file()
    assert "Preliminary market consultation opens (Art. 40)" in md and "Almena Parques Infantiles" in md


def test_citizen_wishes_parse_and_save(work_dir):
    wishes = parse_wishes("A big slide; children; 3\nShade please; parents\n\n")
    assert wishes["votes"].tolist() == ["3", "1"] and wishes["group"].tolist() == ["children", "parents"]
    tool = CitizenWishes()
    assert tool.requirements.value.startswith("- Climbing play with several levels")
    tool.wishes.value = "A long slide; children 3-6; 4\nA zip line; children 7-12; 9"
    assert tool.result["type"].tolist() == ["functional", "unmatched"]
    assert tool.result["votes"].tolist() == [4, 9]
    tool.requirements.value = "- Sliding play (edited)"
    tool.save.click()
    saved = json.loads((work_dir / "progress.json").read_text())["drafts"]["playground_requirements"]["playground"]
    assert saved["content"]["requirements"] == "- Sliding play (edited)"
    tool.wishes.value = "a; b; c; d"
    assert "should read" in tool.message.value


def test_health_check_r003_days_change_the_count(work_dir):
    check = HealthCheck("portavera")
    tenders, bids = course_tenders("portavera")
    assert check.flags["R003"].sum() == tender_flags(tenders, bids)["R003"].sum() == 4
    assert "120 tenders, 24 flagged" in check.counts.value
    check.r003.value = 40
    expected = int(tender_flags(tenders, bids, r003_days=40)["R003"].sum())
    assert expected == 27 and f"Short submission period: {expected}" in check.counts.value
    assert single_bid_rate_pct("portavera") == 20.5


def test_health_check_reads_ocds_from_my_data_and_keeps_the_currency(work_dir, tmp_path, monkeypatch):
    data = tmp_path / "my_data"
    data.mkdir()
    release = {"ocid": "ocds-x-1", "id": "1", "date": "2024-01-01", "tag": ["tender"],
               "tender": {"id": "T1", "title": "Benches", "procurementMethod": "open", "numberOfTenderers": 1,
                          "value": {"amount": 1000, "currency": "UAH"},
                          "tenderPeriod": {"startDate": "2024-01-01T00:00:00Z", "endDate": "2024-01-05T00:00:00Z"}}}
    (data / "one.json").write_text(json.dumps({"releases": [release]}))
    monkeypatch.setattr("helpers.core.paths.my_data_dir", lambda: data)
    sources = health_sources("portavera")
    assert sources[1] == ("my_data/one.json (OCDS)", f"ocds:{data / 'one.json'}")
    check = HealthCheck("portavera")
    check.source.value = sources[1][1]
    assert check.message.value == "" and "1 tenders, 1 flagged" in check.counts.value
    view = flagged_view(check.flags)
    assert view.loc[0, "currency"] == "UAH" and view.loc[0, "flags"] == "R003, R018, below_legal_minimum"
    assert "<td>UAH</td>" in check.flagged.value


@pytest.mark.realdata
def test_health_check_on_real_prozorro(work_dir, real_data_dir):
    check = HealthCheck("portavera")
    folder = real_data_dir / "ocds_ukraine_prozorro" / "records"
    check.source.options = [*check.source.options, ("ProZorro", f"ocds:{folder}")]
    check.source.value = f"ocds:{folder}"
    assert "11 tenders, 6 flagged" in check.counts.value and "Single bid received: 2" in check.counts.value
    assert set(flagged_view(check.flags)["currency"]) == {"UAH"}
