"""The trainers' answer key: built from the quiz files that exist, answers in words."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from helpers.core.errors import LearnerError
from helpers.learning import answer_key as ak
from helpers.learning import selfcheck

REPO = Path(__file__).resolve().parents[3]
PYTHON = REPO / ".venv" / "bin" / "python"

QUIZ = textwrap.dedent("""
    module: "09"
    title: "Fixture module"
    questions:
      - id: f-single
        type: single
        prompt: "Which formula makes a third bid able to swap two others?"
        options: ["the log formula", "relative to the lowest bid", "linear between set bounds"]
        answer: 1
        hints: ["h"]
        explanation: "Relative scores depend on the lowest bid."
      - id: f-multi
        type: multiple
        prompt: "Which principles still bind below the threshold?"
        options: ["transparency", "OJEU notice", "equal treatment"]
        answer: [2, 0]
        hints: ["h"]
        explanation: "Treaty principles."
      - id: f-order
        type: order
        prompt: "Order the stages"
        options: ["tendering", "spend analysis", "monitoring"]
        answer: [1, 0, 2]
        hints: ["h"]
        explanation: "The cycle."
      - id: f-computed
        type: numeric
        prompt: "LM3 for €10m, 40% local, 40% re-spend?"
        answer: 9.99
        tolerance: 0.005
        compute: lm3
        compute_args: {total_spend: 10.0, local_share: 40, respend_rate: 0.4}
        hints: ["h"]
        explanation: "(10 + 4 + 1.6) / 10."
      - id: f-fixed
        type: numeric
        prompt: "The 2026-27 threshold?"
        answer: 216000
        hints: ["h"]
        explanation: "Delegated Regulation 2025/2152."
""")

SECOND = textwrap.dedent("""
    module: "10"
    title: "Second fixture"
    questions:
      - id: g-broken-compute
        type: numeric
        prompt: "A number from a module that is not written yet"
        answer: 42
        compute: not-written-yet
        hints: ["h"]
        explanation: "e"
""")


@pytest.fixture()
def quiz_root(tmp_path, monkeypatch):
    folder = tmp_path / "course" / "quizzes"
    folder.mkdir(parents=True)
    (folder / "module09.yaml").write_text(QUIZ, encoding="utf-8")
    monkeypatch.setenv("SPW_ROOT", str(tmp_path))
    monkeypatch.setenv("SPW_WORK_DIR", str(tmp_path / "my_work"))
    selfcheck._load_file.cache_clear()
    yield tmp_path
    selfcheck._load_file.cache_clear()


def run_cli(*args: str, root: Path | None = None) -> subprocess.CompletedProcess:
    python = str(PYTHON) if PYTHON.exists() else sys.executable
    env = {k: v for k, v in os.environ.items() if k not in {"SPW_ROOT", "SPW_WORK_DIR"}}
    if root is not None:
        env["SPW_ROOT"] = str(root)
        env["SPW_WORK_DIR"] = str(root / "my_work")
    return subprocess.run(
        [python, "-m", "helpers", "answer-key", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=60
    )


def test_answers_are_option_text_matching_the_yaml(quiz_root):
    rows = {r["id"]: r for r in ak.answer_key()}
    assert list(rows) == ["f-single", "f-multi", "f-order", "f-computed", "f-fixed"]
    assert rows["f-single"]["answer"] == "relative to the lowest bid"
    assert rows["f-multi"]["answer"] == "equal treatment; transparency"
    assert rows["f-order"]["answer"] == "spend analysis → tendering → monitoring"
    assert rows["f-fixed"]["answer"] == "216,000"
    assert rows["f-single"]["explanation"] == "Relative scores depend on the lowest bid."
    assert {r["module"] for r in rows.values()} == {"09"} and rows["f-order"]["title"] == "Fixture module"


def test_computed_answer_comes_from_the_helpers_not_the_file(quiz_root):
    row = next(r for r in ak.answer_key(["09"]) if r["id"] == "f-computed")
    assert row["answer"] == "1.56 (accepted within ± 0.005)"  # (10 + 4 + 1.6) / 10, not the file's 9.99
    assert row["computed_by"] == "lm3" and row["note"] is None


def test_new_quiz_files_are_picked_up_at_run_time(quiz_root):
    assert ak.quiz_modules() == ["09"]
    (quiz_root / "course" / "quizzes" / "module10.yaml").write_text(SECOND, encoding="utf-8")
    assert ak.quiz_modules() == ["09", "10"]
    row = ak.answer_key([10])[0]
    assert row["answer"] == "42" and row["computed_by"] is None
    assert "not-written-yet" in row["note"] and "quiz file" in row["note"]


def test_unknown_or_bad_module_is_a_learner_error(quiz_root):
    with pytest.raises(LearnerError, match="no quiz for module 42"):
        ak.answer_key(["42"])
    with pytest.raises(LearnerError, match="not a module number"):
        ak.answer_key(["three"])


def test_markdown_has_a_section_per_module_and_each_answer(quiz_root):
    text = ak.answer_key_markdown()
    assert "## Module 09: Fixture module" in text
    assert "**f-multi** (choose all that apply): Which principles still bind below the threshold?" in text
    assert "- **Answer:** 1.56 (accepted within ± 0.005) *(computed by `lm3`)*" in text
    assert text.count("- **Why:**") == 5


@pytest.mark.parametrize(
    "value, shown",
    [(216000, "216,000"), (678.125, "678.125"), (1.4500, "1.45"), (30, "30"), (0.0, "0"), (36.40000001, "36.4")],
)
def test_numbers_are_shown_as_a_trainer_reads_them(value, shown):
    assert ak.format_number(value) == shown


def test_cli_prints_a_known_module01_question():
    done = run_cli("--module", "01")
    assert done.returncode == 0, done.stderr
    assert "Module 01: Why procurement matters" in done.stdout
    assert "m01-scale  About what share of the EU's GDP do public buyers spend each year?" in done.stdout
    assert "    answer: about 14%" in done.stdout
    assert "    answer: 1.45 (accepted within ± 0.005) (computed)" in done.stdout  # m01-lm3: (20+6+3)/20
    assert "Module 02" not in done.stdout


def test_cli_markdown_on_a_fixture_root_and_error_exit(tmp_path):
    folder = tmp_path / "course" / "quizzes"
    folder.mkdir(parents=True)
    (folder / "module09.yaml").write_text(QUIZ, encoding="utf-8")
    done = run_cli("--markdown", root=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("# Self-check answer key")
    assert "- **Answer:** relative to the lowest bid" in done.stdout
    missing = run_cli("--module", "05", root=tmp_path)
    assert missing.returncode == 2 and "no quiz for module 05" in missing.stderr
