"""Module 2's self-checks and quiz: computations registered by name, computed answers match the helpers."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from helpers.learning import selfcheck
from helpers.learning.registry import computation

QUIZ = Path(__file__).resolve().parents[3] / "course" / "quizzes" / "module02.yaml"


def test_self_check_functions():
    assert computation("open-procedure-days")(e_submission=True) == 30
    assert computation("restricted-tender-days")(e_submission=True) == 25
    assert (
        computation("threshold-eur")(contract_type="services", buyer_type="sub_central", on_date="2026-03-01")
        == 216_000
    )


def test_quiz_file_is_valid_and_computed_answers_match():
    data = yaml.safe_load(QUIZ.read_text(encoding="utf-8"))
    assert selfcheck.validate_quiz(data) == []
    assert data["module"] == "02" and 4 <= len(data["questions"]) <= 10
    assert "numeric" in {q["type"] for q in data["questions"]}
    for q in data["questions"]:
        assert len(q["hints"]) >= 2
        if q.get("compute"):
            assert selfcheck.expected_value(q) == pytest.approx(q["answer"], abs=q["tolerance"])


def test_every_explanation_cites_a_primary_source():
    data = yaml.safe_load(QUIZ.read_text(encoding="utf-8"))
    for q in data["questions"]:
        assert (
            "https://eur-lex.europa.eu/" in q["explanation"]
            or "https://single-market-economy.ec.europa.eu/" in (q["explanation"])
        ), q["id"]
