"""Self-checks: questions live in `course/quizzes/moduleNN.yaml`, not in code or
in the notebook, and render as widgets with immediate feedback and a hint that
becomes more direct with each wrong attempt.

Question types: `single` (one option), `multiple` (a set of options), `numeric`
(a number within a tolerance; the right value may be computed on the course data
by a computation a stage registered by name, see `helpers.learning.registry`), `order` (put options in
order). Grading is a pure function so it is tested without a browser.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import ipywidgets as w
import pandas as pd
import yaml
from IPython.display import HTML

from helpers.core.errors import LearnerError
from helpers.core.paths import course_dir
from helpers.core.safety import escape_html
from helpers.learning.competences import quiz_tag_problems
from helpers.learning.progress import store as default_store
from helpers.learning.registry import computation
from helpers.ui.display import show_tool
from helpers.ui.theme import TEXT

TYPES = {"single", "multiple", "numeric", "order"}


@dataclass(frozen=True)
class Feedback:
    correct: bool
    message: str
    hint: str | None = None


def quiz_dir() -> Path:
    return course_dir() / "quizzes"


@cache
def _load_file(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise LearnerError(f"the quiz file is not valid YAML ({exc})", file=str(path)) from exc
    problems = validate_quiz(data)
    problems += quiz_tag_problems(data) if not problems else []
    if problems:
        raise LearnerError("; ".join(problems), file=str(path))
    return data


def validate_quiz(data: Any) -> list[str]:
    """Problems with a quiz file's structure (an empty list when it is fine)."""
    if not isinstance(data, dict) or not isinstance(data.get("questions"), list):
        return ["a quiz file needs `module`, `title` and a list of `questions`"]
    problems, seen = [], set()
    for number, q in enumerate(data["questions"], start=1):
        where = f"question {number} ({q.get('id', 'no id')})" if isinstance(q, dict) else f"question {number}"
        if not isinstance(q, dict):
            problems.append(f"{where} is not a mapping")
            continue
        for key in ("id", "type", "prompt", "hints", "explanation"):
            if key not in q:
                problems.append(f"{where} has no `{key}`")
        if q.get("id") in seen:
            problems.append(f"{where}: the id is used twice")
        seen.add(q.get("id"))
        kind = q.get("type")
        if kind not in TYPES:
            problems.append(f"{where}: type must be one of {sorted(TYPES)}")
            continue
        options = q.get("options") or []
        if kind in {"single", "multiple", "order"} and len(options) < 2:
            problems.append(f"{where} needs at least two options")
        answer = q.get("answer")
        if kind == "single" and not (isinstance(answer, int) and 0 <= answer < len(options)):
            problems.append(f"{where}: answer must be the index of one option")
        if kind == "multiple" and not (
            isinstance(answer, list) and all(isinstance(a, int) and 0 <= a < len(options) for a in answer)
        ):
            problems.append(f"{where}: answer must be a list of option indices")
        if kind == "order" and sorted(answer or []) != list(range(len(options))):
            problems.append(f"{where}: answer must list every option index once, in order")
        if kind == "numeric" and answer is None and not q.get("compute"):
            problems.append(f"{where}: a numeric question needs `answer` or `compute`")
    return problems


def load_quiz(module: str) -> dict:
    """The quiz of a module ("01"…"07", or "00")."""
    path = quiz_dir() / f"module{module}.yaml"
    if not path.is_file():
        raise LearnerError(f"there is no quiz for module {module}", file=str(path))
    return _load_file(path)


def question(question_id: str) -> dict:
    """Find a question by id across all quiz files."""
    for path in sorted(quiz_dir().glob("module*.yaml")):
        for q in _load_file(path)["questions"]:
            if q["id"] == question_id:
                return {**q, "module": str(_load_file(path)["module"])}
    raise LearnerError(f"no self-check question has the id {question_id!r}")


def expected_value(q: dict) -> Any:
    """The right answer; for `compute:` questions, the helpers' own computation on the data.

    Only computations a stage registered with `@self_check(name)` can be named,
    so a quiz file can never run arbitrary code.
    """
    name = q.get("compute")
    if not name:
        return q.get("answer")
    return computation(str(name))(**(q.get("compute_args") or {}))


def number_readings(text: Any) -> list[float]:
    """Every sensible reading of a number as a learner typed it ("1.56", "1,56", "216,000",
    "216 000", "1.234,56", "12%", "€ 221,000").

    "1,564" or "1.564" is ambiguous in Europe (thousands or decimals), so both readings are
    returned and grading accepts the one that fits. Raises ValueError for text that is no number.
    """
    if isinstance(text, (int, float)):
        return [float(text)]
    raw = str(text).strip().replace("\u00a0", " ").replace("\u202f", " ")
    raw = raw.replace("€", "").replace("£", "").rstrip("%").strip().replace(" ", "")
    if not re.fullmatch(r"[+-]?[\d.,]+", raw) or not re.search(r"\d", raw):
        raise ValueError(f"not a number: {text!r}")
    readings: list[float] = []
    if "," in raw and "." in raw:
        decimal = "," if raw.rfind(",") > raw.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        whole, _, fraction = raw.rpartition(decimal)
        if decimal in whole or not re.fullmatch(rf"[+-]?\d{{1,3}}(\{thousands}\d{{3}})*", whole):
            raise ValueError(f"not a number: {text!r}")
        readings.append(float(whole.replace(thousands, "") + "." + fraction))
    elif re.fullmatch(r"[+-]?\d{1,3}([.,]\d{3})+", raw):
        separator = "," if "," in raw else "."
        readings.append(float(raw.replace(separator, "")))  # thousands separators
        if raw.count(separator) == 1:
            readings.append(float(raw.replace(",", ".")))  # or a decimal mark
    else:
        if raw.count(",") + raw.count(".") > 1:
            raise ValueError(f"not a number: {text!r}")
        readings.append(float(raw.replace(",", ".")))
    return readings


def _hint(q: dict, attempts: int) -> str | None:
    hints = q.get("hints") or []
    return hints[min(attempts, len(hints)) - 1] if hints and attempts >= 1 else None


def grade(q: dict, response: Any, attempts: int = 1, expected: Any = None) -> Feedback:
    """Grade one response; `attempts` counts this one, so hints escalate (1st wrong → hint 1)."""
    kind = q["type"]
    target = expected_value(q) if expected is None else expected
    if response is None or response == "" or response == [] or response == ():
        return Feedback(False, "Choose or enter an answer first.")
    if kind == "single":
        correct = int(response) == int(target)
    elif kind == "multiple":
        correct = sorted(int(r) for r in response) == sorted(int(t) for t in target)
    elif kind == "order":
        correct = [int(r) for r in response] == [int(t) for t in target]
    else:
        try:
            readings = number_readings(response)
        except ValueError:
            return Feedback(False, f"{response!r} is not a number: type digits only, e.g. 1.56.")
        tolerance = float(q.get("tolerance", 1e-9))
        correct = any(math.isfinite(v) and abs(v - float(target)) <= tolerance + 1e-12 for v in readings)
    if correct:
        return Feedback(True, "Correct. " + q["explanation"])
    hints = q.get("hints") or []
    if attempts > len(hints):
        shown = _format_expected(q, target)
        return Feedback(False, f"Not quite. The answer is {shown}. " + q["explanation"])
    return Feedback(False, "Not quite, try again.", _hint(q, attempts))


def _format_expected(q: dict, target: Any) -> str:
    options = q.get("options") or []
    if q["type"] == "single":
        return f"“{options[int(target)]}”"
    if q["type"] == "multiple":
        return ", ".join(f"“{options[int(t)]}”" for t in target)
    if q["type"] == "order":
        return " → ".join(options[int(t)] for t in target)
    return f"{float(target):,.4g}"


# -- widgets ---------------------------------------------------------------------------
def _static_html(q: dict) -> str:
    items = "".join(f"<li>{escape_html(o)}</li>" for o in q.get("options") or [])
    listing = f"<ol type='A'>{items}</ol>" if items else ""
    return (
        f"<div class='spw-selfcheck'><b>Self-check:</b> {escape_html(q['prompt'])}{listing}"
        "<i>Open this notebook in JupyterLab to answer.</i></div>"
    )


def question_widget(q: dict, store=None, expected: Any = None):
    """A widget for one question: input, Check button, feedback, escalating hint."""
    progress = store or default_store()
    options = list(q.get("options") or [])
    kind = q["type"]
    if kind == "single":
        control = w.RadioButtons(
            options=[(o, i) for i, o in enumerate(options)], value=None, layout=w.Layout(width="auto")
        )
        read = lambda: control.value  # noqa: E731
    elif kind == "multiple":
        boxes = [w.Checkbox(description=o, value=False, indent=False) for o in options]
        control = w.VBox(boxes)
        read = lambda: [i for i, b in enumerate(boxes) if b.value]  # noqa: E731
    elif kind == "order":
        pickers = [
            w.Dropdown(
                options=[("—", None)] + [(o, i) for i, o in enumerate(options)], description=f"{n + 1}.", value=None
            )
            for n in range(len(options))
        ]
        control = w.VBox(pickers)
        read = lambda: [p.value for p in pickers] if all(p.value is not None for p in pickers) else None  # noqa: E731
    else:
        control = w.Text(placeholder="type a number")
        read = lambda: control.value  # noqa: E731
    button = w.Button(description="Check", button_style="primary")
    feedback = w.HTML()
    saved = progress.answer(q["id"]) or {}
    attempts = {"n": 0}
    if saved.get("correct"):
        feedback.value = f"<span style='color:{TEXT['ok']}'>✔ You answered this correctly before.</span>"

    def on_check(_=None):
        response = read()
        if response is None or response == "" or response == []:
            feedback.value = "<span>Choose or enter an answer first.</span>"
            return
        attempts["n"] += 1
        result = grade(q, response, attempts["n"], expected=expected)
        progress.record_answer(q["id"], str(q.get("module", "")), response, result.correct)
        colour = TEXT["ok"] if result.correct else TEXT["error"]
        text = f"<span class='spw-feedback' style='color:{colour}'>{escape_html(result.message)}</span>"
        if result.hint:
            text += f"<br><span class='spw-hint'>Hint: {escape_html(result.hint)}</span>"
        feedback.value = text

    button.on_click(on_check)
    box = w.VBox(
        [w.HTML(f"<b>Self-check:</b> {escape_html(q['prompt'])}"), control, button, feedback],
        layout=w.Layout(border="1px solid #ccc", padding="6px", margin="6px 0"),
    )
    box.add_class("spw-selfcheck")
    box.check = on_check  # for tests driving it from Python
    box.control = control
    return box


def show(*question_ids: str, expected: Any = None):
    """Show one or more self-check questions (widgets in JupyterLab, text when headless)."""
    questions = [question(qid) for qid in question_ids]
    show_tool(
        lambda: w.VBox([question_widget(q, expected=expected) for q in questions]),
        lambda: [HTML("".join(_static_html(q) for q in questions))],
    )


def module_progress(store=None) -> pd.DataFrame:
    """Per module: questions, answered correctly, and the share done (for the start-here page)."""
    answers = (store or default_store()).data()["answers"]
    rows = []
    for path in sorted(quiz_dir().glob("module*.yaml")):
        quiz = _load_file(path)
        ids = [q["id"] for q in quiz["questions"]]
        done = sum(1 for i in ids if answers.get(i, {}).get("correct"))
        rows.append(
            {
                "module": str(quiz["module"]),
                "title": quiz.get("title", ""),
                "questions": len(ids),
                "correct": done,
                "done": f"{done / len(ids):.0%}" if ids else "–",
            }
        )
    return pd.DataFrame(rows, columns=["module", "title", "questions", "correct", "done"])
