"""Module 5's course content files: each loads, has the items the code relies on, and keeps its source and status."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from helpers.core.content import content_file, items
from helpers.framework import OPEN_LIMITS_SOURCE, RESTRICTED_LIMITS_SOURCE, SUB_CENTRAL_AGREEMENT_SOURCE
from helpers.preprocurement.citizens import (
    BEVERWIJK_SOURCE,
    BEVERWIJK_STEPS,
    SAMPLE_WISHES,
    TURKU_PLAYGROUND_NOTE,
    WISH_KEYWORDS,
)
from helpers.preprocurement.engagement import Allowances
from helpers.preprocurement.innovation import (
    EXAMPLE_SCORES,
    MAX_TOTAL,
    PLAYGROUND_SCORES,
    PROFILES,
    ROUTE_RULES,
    ROUTES,
    RUBRIC,
    RUBRIC_KEYS,
    RUBRIC_SOURCES,
    STANDARD_MAX_TOTAL,
)
from helpers.preprocurement.legal_minimums import PERIODS, legal_minimum_days, open_minimum_days
from helpers.preprocurement.red_flags import CARDINAL_SOURCE, FLAG_CAVEAT, FLAG_SOURCES, FLAGS


def test_innovation_rubric():
    assert RUBRIC_KEYS == (
        "need",
        "market_maturity",
        "value_duration",
        "impact",
        "user_involvement",
        "readiness",
        "scalability",
    )
    assert all(len(item.descriptors) == 4 for item in RUBRIC) and MAX_TOTAL == 21
    assert RUBRIC[1].descriptors[3] == "No solution exists yet: new research and development is needed."
    assert len(RUBRIC_SOURCES) == 3 and all(s.startswith("https://") for s in RUBRIC_SOURCES)
    assert {item["status"] for item in items("preprocurement_innovation_rubric")} == {"course design"}


def test_innovation_routes():
    rules = items("preprocurement_innovation_routes")
    assert [r["route"] for r in rules] == [
        "standard tender",
        "innovation partnership",
        "pre-commercial procurement",
        "public procurement of innovative solutions (PPI)",
        "competitive dialogue",
        "market dialogue with functional specifications",
    ]
    assert all(r["condition"] and r["article"].startswith("Directive 2014/24/EU, Art") for r in rules)
    assert all("https://eur-lex.europa.eu/eli/dir/2014/24/oj" in r["source"] for r in rules)
    assert set(r["route"] for r in rules) == set(ROUTES)
    assert ROUTE_RULES[0] == f"1. Total score {STANDARD_MAX_TOTAL} or less: standard tender (low innovation potential)."
    assert all(rule.startswith(f"{n}. ") for n, rule in enumerate(ROUTE_RULES, start=1))
    assert {r["status"] for r in rules} == {"course design"}


def test_innovation_profiles():
    assert PROFILES == ((7, "low"), (14, "medium"), (21, "high"))
    assert STANDARD_MAX_TOTAL == 7 and PROFILES[-1][0] == MAX_TOTAL
    assert {item["status"] for item in items("preprocurement_innovation_profiles")} == {"course design"}


def test_innovation_examples():
    assert list(EXAMPLE_SCORES) == ["Playground equipment", "Office paper", "Zero-emission school meal logistics"]
    assert PLAYGROUND_SCORES == {
        "need": 2,
        "market_maturity": 1,
        "value_duration": 2,
        "impact": 2,
        "user_involvement": 3,
        "readiness": 2,
        "scalability": 1,
    }
    assert all(tuple(s) == RUBRIC_KEYS for s in EXAMPLE_SCORES.values())
    assert {item["status"] for item in items("preprocurement_innovation_examples")} == {"course design"}


def test_red_flags():
    assert list(FLAGS) == ["R003", "R018", "R058", "below_legal_minimum"]
    assert FLAGS["R003"][0] == "Short submission period" and "{r003_days}" in FLAGS["R003"][1]
    assert CARDINAL_SOURCE == "https://github.com/open-contracting/cardinal-rs (docs/cli/indicators)"
    assert FLAG_SOURCES["R058"] == CARDINAL_SOURCE
    assert FLAG_SOURCES["below_legal_minimum"].startswith("Directive 2014/24/EU, Arts 27-28")
    assert FLAG_CAVEAT.startswith("A flag is a question, not a verdict")
    assert {item["status"] for item in items("preprocurement_red_flags")} == {"verified"}


def test_legal_minimum_periods():
    assert {k: p["days"] for k, p in PERIODS.items()} == {
        "open": 35,
        "open_e_submission": 30,
        "open_after_pin": 15,
        "pin_before_notice": 35,
        "restricted_requests": 30,
        "restricted_tenders": 30,
        "restricted_tenders_after_pin": 10,
        "sub_central_agreement": None,
        "restricted_tenders_e_submission": 25,
    }
    assert PERIODS["restricted_tenders"]["counted_from"] == "invitation to tender"
    assert PERIODS["open_e_submission"]["article"] == "Art. 27(1) and (4)"
    assert (open_minimum_days(), open_minimum_days(False), open_minimum_days(pin_published=True)) == (30, 35, 15)
    assert (legal_minimum_days("selective"), legal_minimum_days("limited")) == (30, None)  # requests, Art. 28(1)
    # the same sources as module 2's time limits
    assert {PERIODS[k]["source"] for k in ("open", "open_e_submission", "open_after_pin", "pin_before_notice")} == {
        OPEN_LIMITS_SOURCE
    }
    assert {
        PERIODS[k]["source"] for k in ("restricted_requests", "restricted_tenders", "restricted_tenders_after_pin")
    } == {RESTRICTED_LIMITS_SOURCE}
    assert PERIODS["sub_central_agreement"]["source"] == SUB_CENTRAL_AGREEMENT_SOURCE
    assert {p["status"] for p in PERIODS.values()} == {"verified"}


def test_engagement_allowances():
    assert Allowances() == Allowances(
        consultation_weeks=6, documents_weeks=4, shortlisting_days=14, evaluation_days=30, standstill_days=10
    )
    assert {item["status"] for item in items("preprocurement_engagement_allowances")} == {"course design"}


def test_playground_cases():
    cases = {item["id"]: item for item in items("preprocurement_playground_cases")}
    assert len(BEVERWIJK_STEPS) == 5 and BEVERWIJK_STEPS[0].startswith("Children aged 3-12")
    assert BEVERWIJK_SOURCE == cases["beverwijk"]["source"] and cases["beverwijk"]["status"] == "verified"
    assert "treat it as unverified" in TURKU_PLAYGROUND_NOTE and cases["turku"]["status"] == "unverified"


def test_wish_keywords():
    assert len(WISH_KEYWORDS) == 13
    assert WISH_KEYWORDS[0] == (
        ("climb", "climbing", "climbing frame", "rope", "ropes", "net"),
        "Climbing play with several levels of difficulty for ages 3-12",
        "functional",
    )
    assert {kind for _, _, kind in WISH_KEYWORDS} == {"functional", "performance"}
    assert {item["status"] for item in items("preprocurement_wish_keywords")} == {"course design"}


def test_sample_wishes():
    assert list(SAMPLE_WISHES.columns) == ["wish", "group", "votes"] and len(SAMPLE_WISHES) == 12
    assert SAMPLE_WISHES["votes"].tolist() == [14, 9, 12, 8, 11, 7, 10, 6, 9, 5, 4, 13]
    assert SAMPLE_WISHES.loc[4, "wish"] == "My friend uses a wheelchair and wants to play too"
    assert content_file("preprocurement_sample_wishes")["items"][0]["status"] == "course design"


def test_importing_the_stage_reads_no_content(tmp_path):
    # the self-check registry imports every stage, also for a course root without content files
    env = {**os.environ, "SPW_ROOT": str(tmp_path), "PYTHONPATH": str(Path(__file__).parents[3])}
    code = "import helpers.preprocurement, helpers.preprocurement.cli"
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
