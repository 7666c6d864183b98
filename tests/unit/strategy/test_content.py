"""Module 4's course content files: each loads, has the items the code relies on, and keeps its source and status."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from helpers.core.content import by_id, content_file, items
from helpers.strategy.cases import CASES
from helpers.strategy.lotting import TURNOVER_CAP_MULTIPLE, TURNOVER_NOTE
from helpers.strategy.objectives import OUTCOMES, OUTCOMES_NOTE
from helpers.strategy.opportunity_matrix import CAPACITY_MEASURES, QUADRANT_ORDER, QUADRANTS, MatrixThresholds


def test_strategy_outcomes():
    data = content_file("strategy_outcomes")
    assert [item["id"] for item in data["items"]] == [
        "local_economy",
        "smes_social_economy",
        "carbon",
        "innovation",
        "gender_equality",
        "fair_work",
    ]
    assert all(item["status"] == "course design" for item in data["items"])
    assert OUTCOMES["carbon"]["indicators"] == (
        ("emissions from purchased goods and services", "tCO2e", "lower"),
        ("% of tenders with green (GPP) criteria", "%", "higher"),
    )
    assert OUTCOMES["local_economy"]["indicators"][0] == ("share of spend with suppliers in the city", "%", "higher")
    assert sum(len(o["indicators"]) for o in OUTCOMES.values()) == 14
    assert all(d in ("higher", "lower") for o in OUTCOMES.values() for _, _, d in o["indicators"])
    assert "5% and 39% in 2012/13, 18.2% and 79.2% by 2016/17 (CLES)" in OUTCOMES_NOTE


def test_matrix_quadrants():
    assert QUADRANT_ORDER == (
        "grow local spend",
        "keep",
        "thin local market",
        "low priority",
        "unclassified",
        "location unknown",
    )
    assert "geography table" in QUADRANTS["location unknown"]
    assert QUADRANTS["thin local market"].startswith("Large spend, a low local share and few local firms")
    assert QUADRANTS["unclassified"] == "No sector: assign one in the spend analysis (module 3) first."
    assert {item["status"] for item in items("strategy_matrix_quadrants")} == {"course design"}


def test_matrix_capacity_measures():
    assert CAPACITY_MEASURES == {"local_suppliers": "local suppliers", "local_smes": "local SMEs"}
    assert {item["status"] for item in items("strategy_matrix_capacity_measures")} == {"course design"}


def test_matrix_thresholds():
    assert MatrixThresholds() == MatrixThresholds(0.02, 0.50, 20, "local_suppliers")
    assert isinstance(MatrixThresholds().min_local_suppliers, int)
    assert {item["status"] for item in items("strategy_matrix_thresholds")} == {"course design"}


def test_turnover_cap():
    cap = by_id("strategy_turnover_cap")["turnover_cap"]
    assert TURNOVER_CAP_MULTIPLE == 2 and TURNOVER_NOTE.startswith("Article 58(3) of Directive 2014/24/EU")
    assert "https://eur-lex.europa.eu/eli/dir/2014/24/oj" in cap["source"]
    assert cap["status"] == "verified" and cap["source"].endswith("https://eur-lex.europa.eu/eli/dir/2014/24/oj")


def test_strategy_cases():
    assert list(CASES) == ["preston", "koszalin", "famalicao", "rotterdam"]
    assert len(CASES["preston"]["sources"]) == 5
    assert CASES["preston"]["sources"][0].endswith("anchor-institutions-using-spending-clout-to-boost-local-economy")
    assert CASES["rotterdam"]["sources"] == [
        "https://build-procurement.eu/?p=4070",
        "https://eur-lex.europa.eu/eli/reg_del/2025/2152/oj",  # the 2026-27 threshold
        "https://www.finlex.fi/fi/laki/ajantasa/2016/20161397",  # Finland's national thresholds
        "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:62003CJ0507",  # certain cross-border interest
    ]
    assert {item["status"] for item in items("strategy_cases")} == {"verified"}


def test_importing_the_stage_reads_no_content(tmp_path):
    # the self-check registry imports every stage, also for a course root without content files
    env = {**os.environ, "SPW_ROOT": str(tmp_path), "PYTHONPATH": str(Path(__file__).parents[3])}
    code = "import helpers.strategy"
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
