"""Gender before the tender: EIGE's guiding questions for lots (module 4) and for needs assessment and
market consultation (module 5), the learner's answers to them, and the real cases shown in modules 3–7.

The questions are `course/content/strategy_gender_questions.yaml` (EIGE's gender-responsive public
procurement toolkit, tools 4 and 6), the cases `course/content/strategy_gender_cases.yaml`, each with its
source. A learner's answers are a mapping question id → {"answer": "yes" | "no" | "not sure" | "",
"note": text}; `checklist_summary` turns them into what to do next. Answers come from a saved draft, so
they are checked, never trusted.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from helpers.core.content import items
from helpers.core.errors import LearnerError

TOOLS = {"lots": "dividing the contract into lots (EIGE tool 6)", "needs": "needs assessment (EIGE tool 4)"}
ANSWERS = ("yes", "no", "not sure", "")
NOTE_LIMIT = 500  # characters kept of a note (course design)


def gender_questions(tool: str) -> list[dict[str, Any]]:
    """EIGE's guiding questions for `tool` ("lots" or "needs"), in order, each with id, question,
    follow_up, follow_when and source."""
    if tool not in TOOLS:
        raise LearnerError(f"there is no gender checklist called {tool!r}", fix=f"Choose one of: {', '.join(TOOLS)}")
    return [item for item in items("strategy_gender_questions") if item["tool"] == tool]


def clean_answers(tool: str, answers: Mapping[str, Any] | None) -> dict[str, dict[str, str]]:
    """Every question of `tool` with a valid answer ("" when none or not valid) and a note (text, cut to
    NOTE_LIMIT characters); ids that are not questions of `tool` are dropped."""
    answers = answers if isinstance(answers, Mapping) else {}
    out = {}
    for question in gender_questions(tool):
        given = answers.get(question["id"])
        given = given if isinstance(given, Mapping) else {}
        answer = str(given.get("answer") or "").strip().lower()
        out[question["id"]] = {
            "answer": answer if answer in ANSWERS else "",
            "note": str(given.get("note") or "").strip()[:NOTE_LIMIT],
        }
    return out


def checklist_summary(tool: str, answers: Mapping[str, Any] | None) -> list[str]:
    """What the answers mean: how many are answered, then for each question whose answer calls for it
    (its `follow_when`, or "not sure") EIGE's follow-up, and the questions still open."""
    questions = gender_questions(tool)
    clean = clean_answers(tool, answers)
    answered = [q for q in questions if clean[q["id"]]["answer"]]
    lines = [f"{len(answered)} of {len(questions)} questions answered ({TOOLS[tool]})."]
    for number, question in enumerate(questions, start=1):
        answer = clean[question["id"]]["answer"]
        if answer in (question["follow_when"], "not sure"):
            lines.append(f"Q{number} ({answer}): {question['follow_up']}")
    open_ = [f"Q{n}" for n, q in enumerate(questions, start=1) if not clean[q["id"]]["answer"]]
    if open_:
        lines.append(f"Still to answer: {', '.join(open_)}.")
    return lines


def checklist_table(tool: str, answers: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """The questions of `tool` with the learner's answers and notes ("" where none) and the source."""
    clean = clean_answers(tool, answers)
    return pd.DataFrame(
        [
            {
                "question": f"Q{n}. {q['question']}",
                "answer": clean[q["id"]]["answer"],
                "note": clean[q["id"]]["note"],
                "if needed": q["follow_up"],
                "source": q["source"],
            }
            for n, q in enumerate(gender_questions(tool), start=1)
        ]
    )


def gender_cases(module: str | None = None) -> list[dict[str, Any]]:
    """The real cases of gender-responsive procurement (all, or those shown in `module`, e.g. "05")."""
    return [item for item in items("strategy_gender_cases") if module is None or item["module"] == module]


def gender_case_lines(module: str) -> list[str]:
    """The cases of `module` in words: name, what they did, the lesson, the source."""
    return [
        f"{c['name']}. {' '.join(str(c['text']).split())} Lesson (course design): {c['lesson']} Source: {c['source']}"
        for c in gender_cases(module)
    ]
