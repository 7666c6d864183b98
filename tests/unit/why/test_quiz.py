"""Module 1's self-check quiz: valid, and its computed answers match the helpers."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from helpers.learning import selfcheck
from helpers.why import cycle

QUIZ = Path(__file__).resolve().parents[3] / "course" / "quizzes" / "module01.yaml"


def test_quiz_file_is_valid_and_computed_answers_match():
    data = yaml.safe_load(QUIZ.read_text(encoding="utf-8"))
    assert selfcheck.validate_quiz(data) == []
    assert data["module"] == "01" and 4 <= len(data["questions"]) <= 6
    kinds = {q["type"] for q in data["questions"]}
    assert {"numeric", "order"} <= kinds
    for q in data["questions"]:
        assert len(q["hints"]) >= 2
        if q.get("compute"):
            value = selfcheck.expected_value(q)
            assert value == pytest.approx(q["answer"], abs=q["tolerance"])


def test_quiz_order_question_matches_the_cycle():
    data = yaml.safe_load(QUIZ.read_text(encoding="utf-8"))
    q = next(q for q in data["questions"] if q["type"] == "order")
    ordered = [q["options"][i] for i in q["answer"]]
    assert ordered == [s["stage"] for s in cycle.procurement_cycle()]
    assert selfcheck.grade(q, q["answer"]).correct
