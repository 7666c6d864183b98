"""Module 5 logic: innovation rubric and routes, engagement timeline, invitation list, transparency log,
citizen wishes, past-tender red flags. Expected values are worked out by hand in the comments."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from helpers.core.errors import LearnerError
from helpers.ui.exports import to_markdown
from helpers.preprocurement.model import (
    BEVERWIJK_SOURCE, BEVERWIJK_STEPS, FLAG_CAVEAT, RUBRIC, RUBRIC_KEYS, RUBRIC_NOTE, Allowances, Assessment,
    TransparencyLog, assess_innovation, compare_assessments, consultation_timeline, engagement_plan_report,
    health_summary, invitation_list, legal_minimum_days, tender_flags, wishes_to_requirements)


def scores(**overrides):
    base = dict.fromkeys(RUBRIC_KEYS, 1)
    base.update(overrides)
    return base


# -- rubric --------------------------------------------------------------------------------------------
def test_rubric_has_seven_items_with_four_descriptors_and_an_honest_note():
    assert len(RUBRIC) == 7 and all(len(item.descriptors) == 4 for item in RUBRIC)
    assert "course's own design" in RUBRIC_NOTE and "not public" in RUBRIC_NOTE


def test_total_seven_is_standard_tender_and_eight_is_not():
    low = assess_innovation(scores())                                  # 7 x 1 = 7
    assert (low.total, low.profile, low.route) == (7, "low", "standard tender")
    higher = assess_innovation(scores(need=2))                         # 8, maturity 1, need 2 -> rule 5
    assert (higher.total, higher.profile) == (8, "medium")
    assert higher.route == "market dialogue with functional specifications"


def test_rd_needed_gives_pcp_unless_total_is_low():
    pcp = assess_innovation(scores(market_maturity=3, need=2))          # 3 + 2 + 5 = 10
    assert pcp.route == "pre-commercial procurement"
    low = assess_innovation(scores(market_maturity=3, user_involvement=0, readiness=0))  # 3+4 = 7
    assert (low.total, low.route) == (7, "standard tender")


def test_near_market_route_depends_on_value_and_duration():
    partnership = assess_innovation(scores(market_maturity=2, value_duration=2))   # 9
    assert partnership.route == "innovation partnership"
    dialogue = assess_innovation(scores(market_maturity=2, value_duration=1, impact=2))  # 9
    assert dialogue.route == "competitive dialogue"


def test_unclear_need_with_mature_market_gives_competitive_dialogue():
    unclear = assess_innovation(scores(need=1, impact=3))               # 9, maturity 1, need 1
    assert unclear.route == "competitive dialogue"
    clear = assess_innovation(scores(need=2, impact=2))                 # need 2 -> rule 5
    assert clear.route == "market dialogue with functional specifications"


def test_profile_boundaries_and_readiness_warning():
    assert assess_innovation(scores(need=3, impact=3, scalability=3, user_involvement=2)).total == 14
    assert assess_innovation(scores(need=3, impact=3, scalability=3, user_involvement=2)).profile == "medium"
    assert assess_innovation(scores(need=3, impact=3, scalability=3, user_involvement=3)).profile == "high"
    risky = assess_innovation(scores(market_maturity=3, need=2, readiness=1))
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
    assert table.loc["total", "Smart playground"] == 10   # 3 + 2 + 5 x 1
    assert table.loc["route", "Office paper"] == "standard tender"
    again = Assessment.from_dict(b.to_dict())
    assert (again.scores, again.route, again.name) == (b.scores, b.route, b.name)
    assert a.table().loc[0, "meaning"] == RUBRIC[0].descriptors[1]
    with pytest.raises(LearnerError):
        compare_assessments([])


# -- market engagement ---------------------------------------------------------------------------------
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
    assert _dates(consultation_timeline("2026-09-01", "open", e_submission=False))[
        "Contract notice published"] == "2026-06-18"                     # 35 days before 07-23
    pin = _dates(consultation_timeline("2026-09-01", "open", pin_published=True))
    assert pin["Contract notice published"] == "2026-07-08"             # 15 days before 07-23
    assert pin["Prior information notice (PIN) published, at the latest"] == "2026-06-03"  # 35 days earlier


def test_restricted_timeline_and_allowances():
    t = consultation_timeline("2026-09-01", "restricted", allowances=Allowances(shortlisting_days=14))
    d = _dates(t)
    assert d["Invitations to tender sent to shortlisted candidates"] == "2026-06-23"   # 30 days before 07-23
    assert d["Deadline for requests to participate"] == "2026-06-09"                   # 14 days shortlisting
    assert d["Contract notice published"] == "2026-05-10"                              # 30 days for requests
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


REGISTER = pd.DataFrame({
    "supplier_id": ["1", "2", "3", "4", "5", "6"],
    "name": ["Zeta Juegos", "Alfa Parques", "Big Play SA", "Norte Play", "Abroad Play", "Builder"],
    "postcode": ["46012", "46300", "46001", "50001", "46002", "46003"],
    "country": ["XM", "XM", "XM", "XM", "DE", "XM"],
    "size_class": ["small", "micro", "large", "small", "small", "small"],
    "turnover_eur": [150000, 100000, 9_000_000, 1_000_000, 1_000_000, 1_000_000],
    "social_economy": ["false", "true", "false", "false", "false", "false"],
    "cpv_division": ["37", "37", "37", "37", "37", "45"],
})
GEOGRAPHY = pd.DataFrame({"postcode_prefix": ["460", "463", "500"], "place": ["Portavera", "Playa", "Norte"],
                          "level": ["city", "region", "country"]})


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
    assert qa.to_dict("records") == [{"question": "Can bidders propose natural play elements?",
                                      "answer": "Yes: the specification is functional.",
                                      "published_on": "2026-04-23"}]
    assert "Zeta" not in qa.to_string()
    assert log.problems() == [f"Entry {meeting}: what was told to Alfa Parques on 2026-04-22 has not been "
                              "shared with all suppliers."]
    log.share_with_all(meeting, "2026-04-23")
    assert log.problems() == []
    again = TransparencyLog.from_dict(log.to_dict())
    assert again.to_frame().equals(log.to_frame())
    assert "natural play" in to_markdown(log.to_report())
    with pytest.raises(LearnerError):
        log.answer(meeting, "x", "2026-04-24")


def test_engagement_plan_report_has_timeline_and_invitations():
    report = engagement_plan_report("Playground", consultation_timeline("2026-09-01", "open"),
                                    invitation_list(REGISTER, 37, GEOGRAPHY))
    text = to_markdown(report)
    assert "2026-06-23" in text and "2 are local SMEs" in text


# -- citizen wishes -----------------------------------------------------------------------------------
def test_beverwijk_steps_are_five_with_source():
    assert len(BEVERWIJK_STEPS) == 5 and "children" in BEVERWIJK_STEPS[4].lower()
    assert BEVERWIJK_SOURCE.startswith("https://www.stichtingrijk.nl/")


def test_wishes_become_requirements():
    wishes = pd.DataFrame({
        "wish": ["A big climbing frame", "Swings for my little sister", "Somewhere to sit in the shade",
                 "Ropes to climb", "A dragon", "Soft ground so we don't get hurt"],
        "group": ["children", "children", "parents", "children", "children", "parents"],
        "votes": [12, 7, 5, 4, 3, 6]})
    req = wishes_to_requirements(wishes)
    climbing = req[req["requirement"].str.startswith("Climbing")].iloc[0]
    assert (climbing["votes"], climbing["wishes"], climbing["type"]) == (16, 2, "functional")   # 12 + 4
    assert climbing["from_wishes"] == "A big climbing frame; Ropes to climb"
    # "sit in the shade" feeds both seating and shade (5 votes each)
    assert req.loc[req["requirement"].str.startswith("Seating"), "votes"].item() == 5
    assert req.loc[req["requirement"].str.startswith("Shade"), "votes"].item() == 5
    safety = req[req["type"] == "performance"]
    assert safety["votes"].tolist() == [6] and safety["groups"].item() == "parents"
    assert req["requirement"].iloc[0].startswith("Climbing")              # most votes first
    assert req.iloc[-1].to_dict()["type"] == "unmatched" and req.iloc[-1]["requirement"] == "Review by hand: A dragon"


def test_wishes_input_errors():
    with pytest.raises(LearnerError, match="votes"):
        wishes_to_requirements(pd.DataFrame({"wish": ["x"], "group": ["g"]}))
    with pytest.raises(LearnerError, match="row 2"):
        wishes_to_requirements(pd.DataFrame({"wish": ["a", "b"], "group": ["g", "g"], "votes": [1, "many"]}))


# -- health check -------------------------------------------------------------------------------------
def tender(tid, procedure="open", days=40, n=3, category="services"):
    pub = dt.date(2025, 1, 1)
    return {"tender_id": tid, "procedure": procedure, "main_category": category, "publication_date": pub,
            "submission_deadline": pub + dt.timedelta(days), "number_of_tenderers": n, "status": "complete"}


NO_BIDS = pd.DataFrame(columns=["tender_id", "lot", "bidder_id", "price_eur", "status", "winner"])


def test_r003_short_period_on_the_boundary():
    flags = tender_flags(pd.DataFrame([tender("A", days=14), tender("B", days=15),
                                       tender("C", procedure="negotiated_without_publication", days=10)]), NO_BIDS)
    assert flags["R003"].tolist() == [True, False, False]
    assert tender_flags(pd.DataFrame([tender("B", days=15)]), NO_BIDS, r003_days=16)["R003"].item()


def test_below_legal_minimum_open_and_restricted():
    frame = pd.DataFrame([tender("A", days=29), tender("B", days=30), tender("R1", "restricted", days=59),
                          tender("R2", "restricted", days=60), tender("N", "competitive_dialogue", days=5)])
    flags = tender_flags(frame, NO_BIDS)
    assert flags["below_legal_minimum"].tolist() == [True, False, True, False, False]
    no_e = tender_flags(pd.DataFrame([tender("A", days=34), tender("B", days=35)]), NO_BIDS, e_submission=False)
    assert no_e["below_legal_minimum"].tolist() == [True, False]
    assert (legal_minimum_days("open"), legal_minimum_days("open", False), legal_minimum_days("restricted")) == (30, 35, 60)


def test_r018_single_bid_only_for_open_and_restricted():
    frame = pd.DataFrame([tender("A", n=1), tender("B", n=2), tender("C", "restricted", n=1),
                          tender("D", "negotiated_without_publication", n=1), tender("E", n=None)])
    bids = pd.DataFrame({"tender_id": ["E"], "lot": [1], "bidder_id": ["x"], "price_eur": [10.0],
                         "status": ["valid"], "winner": [True]})
    flags = tender_flags(frame, bids)
    assert flags["R018"].tolist() == [True, False, True, False, True]       # E: count taken from its one bid
    assert flags.loc[4, "number_of_tenderers"] == 1


def _gap_bids(gaps):
    rows = []
    for i, second in enumerate(gaps):
        tid = f"T{i}"
        rows += [{"tender_id": tid, "lot": 1, "bidder_id": "w", "price_eur": 100.0, "status": "valid", "winner": True},
                 {"tender_id": tid, "lot": 1, "bidder_id": "s", "price_eur": second, "status": "valid", "winner": False},
                 {"tender_id": tid, "lot": 1, "bidder_id": "d", "price_eur": 300.0, "status": "disqualified",
                  "winner": False}]
    return pd.DataFrame(rows)


@pytest.mark.parametrize("last_second, flagged", [(110.0, True), (109.9, False)])
def test_r058_fence_boundary(last_second, flagged):
    # gaps 5%, 5%, 5%, 7%, 7%, 7%, x: Q1 = 5%, Q3 = 7%, fence = 7% + 1.5 x 2% = 10% (brief §4.9 example)
    seconds = [105.0, 105.0, 105.0, 107.0, 107.0, 107.0, last_second]
    frame = pd.DataFrame([tender(f"T{i}") for i in range(7)])
    flags = tender_flags(frame, _gap_bids(seconds))
    assert flags.attrs["r058_fence"] == pytest.approx(0.10)
    assert flags["R058"].tolist() == [False] * 6 + [flagged]
    assert flags.loc[6, "winning_gap"] == pytest.approx((last_second - 100) / 100)


def test_r058_skips_winners_that_are_not_the_lowest_and_small_samples():
    bids = _gap_bids([105.0, 105.0, 105.0, 107.0, 107.0, 107.0, 150.0])
    bids.loc[(bids["tender_id"] == "T6") & (bids["bidder_id"] == "s"), "price_eur"] = 90.0   # winner not lowest
    flags = tender_flags(pd.DataFrame([tender(f"T{i}") for i in range(7)]), bids)
    assert pd.isna(flags.loc[6, "winning_gap"]) and not flags["R058"].any()
    few = tender_flags(pd.DataFrame([tender(f"T{i}") for i in range(3)]), _gap_bids([105.0, 107.0, 200.0]))
    assert not few["R058"].any()                                       # fewer than 4 gaps: not computed


def test_winner_read_from_text_csv_values():
    bids = _gap_bids([105.0, 105.0, 105.0, 107.0, 107.0, 107.0, 110.0]).astype({"winner": "str"})
    bids["winner"] = bids["winner"].str.lower()
    flags = tender_flags(pd.DataFrame([tender(f"T{i}") for i in range(7)]), bids)
    assert flags["R058"].tolist() == [False] * 6 + [True]


def test_flags_explain_and_summary_counts():
    frame = pd.DataFrame([tender("A", days=10, n=1), tender("B", n=4), tender("C", n=2),
                          tender("D", "restricted", n=1, category="works"), tender("E", n=None)])
    flags = tender_flags(frame, NO_BIDS)
    assert "less than 15 days" in flags.loc[0, "reasons"] and "Only one bidder" in flags.loc[0, "reasons"]
    assert flags.loc[1, "reasons"] == ""
    summary = health_summary(flags).set_index(["main_category", "procedure"])
    services = summary.loc[("services", "open")]
    # services/open: A (1 bidder), B (4), C (2), E (unknown): single-bid 1 of 3 known, flagged 1 of 4
    assert (services["tenders"], services["with_bidder_count"]) == (4, 3)
    assert services["single_bid_rate_pct"] == pytest.approx(33.3)
    assert services["mean_bidders"] == pytest.approx(2.33)
    assert services["flagged_pct"] == 25.0
    everything = summary.loc[("all", "all")]
    assert (everything["tenders"], everything["R018"], everything["flagged_pct"]) == (5, 2, 40.0)
    assert "question, not a verdict" in FLAG_CAVEAT


def test_missing_columns_are_learner_errors():
    with pytest.raises(LearnerError, match="number_of_tenderers"):
        tender_flags(pd.DataFrame([tender("A")]).drop(columns="number_of_tenderers"), NO_BIDS)
    with pytest.raises(LearnerError, match="winner"):
        tender_flags(pd.DataFrame([tender("A")]), NO_BIDS.drop(columns="winner"))


def test_shipped_tenders_flag_counts_are_plausible():
    from helpers.data import load_table
    flags = tender_flags(load_table("tenders"), load_table("bids"))
    # the generator makes ~6% of open tenders short (8-14 days): each is both R003 and below the minimum
    assert flags["R003"].sum() == flags["below_legal_minimum"].sum() > 0
    assert flags["R058"].sum() >= 1


def test_health_check_cli_on_csv(tmp_path, capsys):
    from helpers.__main__ import main
    tenders = pd.DataFrame([tender("A", days=10, n=1), tender("B", n=4)])
    bids = pd.DataFrame({"tender_id": ["A"], "lot": [1], "bidder_id": ["x"], "bidder_name": ["=cmd"],
                         "price_eur": [10.0], "quality_pct": [None], "status": ["valid"], "winner": ["true"]})
    tenders.to_csv(tmp_path / "t.csv", index=False)
    bids.to_csv(tmp_path / "b.csv", index=False)
    assert main(["health-check", str(tmp_path / "t.csv"), str(tmp_path / "b.csv")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("2 tenders, 1 flagged.") and "- A: R003, R018, below_legal_minimum" in out
