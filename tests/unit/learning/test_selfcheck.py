from __future__ import annotations

import textwrap

import pytest

from helpers.core.errors import LearnerError
from helpers.learning import selfcheck

QUIZ = textwrap.dedent("""
    module: "09"
    title: "Test module"
    questions:
      - id: t-single
        type: single
        prompt: "Which?"
        options: ["a", "b", "c"]
        answer: 1
        hints: ["gentle", "direct"]
        explanation: "b because."
      - id: t-multi
        type: multiple
        prompt: "Which ones?"
        options: ["a", "b", "c"]
        answer: [0, 2]
        hints: ["one hint"]
        explanation: "a and c."
      - id: t-num
        type: numeric
        prompt: "LM3?"
        answer: 1.56
        tolerance: 0.005
        hints: ["h"]
        explanation: "(10+4+1.6)/10."
      - id: t-order
        type: order
        prompt: "Order"
        options: ["tender", "spend analysis", "monitor"]
        answer: [1, 0, 2]
        hints: ["h"]
        explanation: "cycle."
""")


@pytest.fixture()
def quiz_root(tmp_path, monkeypatch):
    (tmp_path / "course" / "quizzes").mkdir(parents=True)
    (tmp_path / "course" / "quizzes" / "module09.yaml").write_text(QUIZ, encoding="utf-8")
    monkeypatch.setenv("SPW_ROOT", str(tmp_path))
    monkeypatch.setenv("SPW_WORK_DIR", str(tmp_path / "my_work"))
    selfcheck._load_file.cache_clear()
    yield tmp_path
    selfcheck._load_file.cache_clear()


def test_single_choice_hints_escalate_then_reveal(quiz_root):
    q = selfcheck.question("t-single")
    first = selfcheck.grade(q, 0, attempts=1)
    second = selfcheck.grade(q, 2, attempts=2)
    third = selfcheck.grade(q, 0, attempts=3)
    assert (first.correct, first.hint) == (False, "gentle")
    assert second.hint == "direct"
    assert third.hint is None and "“b”" in third.message
    assert selfcheck.grade(q, 1).correct


def test_multiple_order_numeric(quiz_root):
    assert selfcheck.grade(selfcheck.question("t-multi"), [2, 0]).correct
    assert not selfcheck.grade(selfcheck.question("t-multi"), [0]).correct
    assert selfcheck.grade(selfcheck.question("t-order"), [1, 0, 2]).correct
    assert not selfcheck.grade(selfcheck.question("t-order"), [0, 1, 2]).correct
    num = selfcheck.question("t-num")
    assert selfcheck.grade(num, "1,56").correct  # a decimal comma is accepted
    assert selfcheck.grade(num, 1.564).correct
    assert not selfcheck.grade(num, 1.57).correct
    assert "not a number" in selfcheck.grade(num, "one").message


def test_expected_value_from_the_helpers_overrides_the_file(quiz_root):
    num = selfcheck.question("t-num")
    assert selfcheck.grade(num, 2.0, expected=2.0).correct
    assert not selfcheck.grade(num, 1.56, expected=2.0).correct


def test_compute_only_runs_whitelisted_functions(quiz_root):
    q = {"type": "numeric", "compute": "safety.escape_html", "compute_args": {}}
    with pytest.raises(LearnerError, match="not a registered self-check computation"):
        selfcheck.expected_value(q)


def test_invalid_quiz_is_reported_with_the_file(quiz_root):
    bad = quiz_root / "course" / "quizzes" / "module08.yaml"
    bad.write_text(
        "module: '08'\nquestions:\n  - id: x\n    type: single\n    prompt: p\n"
        "    options: [a]\n    answer: 3\n    hints: []\n    explanation: e\n"
    )
    with pytest.raises(LearnerError, match="module08.yaml"):
        selfcheck.load_quiz("08")


def test_widget_records_answers_and_progress(quiz_root):
    q = selfcheck.question("t-single")
    box = selfcheck.question_widget(q)
    box.control.value = 0
    box.check()
    assert "Hint: gentle" in box.children[-1].value
    box.control.value = 1
    box.check()
    assert "Correct" in box.children[-1].value
    table = selfcheck.module_progress()
    row = table.set_index("module").loc["09"]
    assert (row["questions"], row["correct"]) == (4, 1)


def test_shipped_quizzes_are_valid():
    selfcheck._load_file.cache_clear()
    paths = sorted(selfcheck.quiz_dir().glob("module*.yaml"))
    for path in paths:
        assert selfcheck.load_quiz(path.stem.replace("module", ""))["questions"]


@pytest.mark.parametrize(
    "typed, readings",
    [
        ("1.56", [1.56]),
        ("1,56", [1.56]),
        ("216,000", [216000.0, 216.0]),
        ("216 000", [216000.0]),
        ("216.000", [216000.0, 216.0]),
        ("1.234,56", [1234.56]),
        ("1,234.56", [1234.56]),
        ("12%", [12.0]),
        ("€ 221,000", [221000.0, 221.0]),
        ("1,234,567", [1234567.0]),
        ("-3", [-3.0]),
        (1.564, [1.564]),
    ],
)
def test_numbers_are_read_as_learners_type_them(typed, readings):
    assert selfcheck.number_readings(typed) == pytest.approx(readings)


def test_text_that_is_no_number_is_refused():
    for typed in ("one", "1.2.3,4", ""):
        with pytest.raises(ValueError):
            selfcheck.number_readings(typed)


def test_thousands_separator_answer_is_accepted(quiz_root):
    q = {"type": "numeric", "answer": 216000, "tolerance": 0.5, "hints": [], "explanation": "e"}
    assert selfcheck.grade(q, "216,000").correct and selfcheck.grade(q, "216.000").correct
    assert not selfcheck.grade(q, "216").correct
