"""The self-check answer key for trainers, generated from `course/quizzes/module*.yaml`.

The key is built at run time from whatever quiz files exist, so it never falls out of
step with the questions. Answers that a quiz computes on the course data (`compute:`)
are computed here the same way the notebooks grade them (`selfcheck.expected_value`),
and choices are shown as option text, not as indices.

`python -m helpers answer-key [--module NN] [--markdown]` prints it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from helpers.core.errors import LearnerError
from helpers.learning import selfcheck

TYPE_NAMES = {
    "single": "one choice",
    "multiple": "choose all that apply",
    "numeric": "a number",
    "order": "put in order",
}


def quiz_modules() -> list[str]:
    """The modules ("00", "01", …) that have a quiz file now."""
    return sorted(path.stem.removeprefix("module") for path in selfcheck.quiz_dir().glob("module*.yaml"))


def _module_id(module: Any) -> str:
    """ "3", 3 or "03" → "03"; anything else is refused in plain words."""
    text = str(module).strip()
    if not text.isdigit():
        raise LearnerError(f"{module!r} is not a module number", fix="Give a number such as 03")
    return text.zfill(2)


def format_number(value: Any) -> str:
    """A number as a trainer reads it: thousands separators, at most 4 decimals, no trailing zeros."""
    text = f"{round(float(value), 4):,.4f}".rstrip("0").rstrip(".")
    return "0" if text in {"-0", ""} else text


def answer_text(q: dict, target: Any) -> str:
    """The right answer in words: option text for choices, the number for numeric questions."""
    options = q.get("options") or []
    kind = q["type"]
    if kind == "single":
        return str(options[int(target)])
    if kind == "multiple":
        return "; ".join(str(options[int(i)]) for i in target)
    if kind == "order":
        return " → ".join(str(options[int(i)]) for i in target)
    text = format_number(target)
    tolerance = float(q.get("tolerance", 0) or 0)
    return f"{text} (accepted within ± {format_number(tolerance)})" if tolerance > 0 else text


def _expected(q: dict) -> tuple[Any, str | None]:
    """The right answer and, if computing it failed, a note saying so (the file's answer is used)."""
    try:
        return selfcheck.expected_value(q), None
    except (LearnerError, ImportError) as exc:
        if q.get("answer") is None:
            raise LearnerError(
                f"the answer to {q['id']} cannot be computed ({exc})",
                fix="Run `make lab` once so the course data exists",
            ) from exc
        return q["answer"], f"computing it failed ({exc}); this is the value written in the quiz file"


def answer_key(modules: Iterable[Any] | None = None) -> list[dict]:
    """One row per self-check question: module, title, id, type, prompt, answer (in words),
    explanation, and how the answer was found (`computed_by`, `note`).

    `modules` picks quizzes ("01", 3, …); by default every quiz file that exists now.
    """
    wanted = quiz_modules() if modules is None else [_module_id(m) for m in modules]
    rows = []
    for module in wanted:
        quiz = selfcheck.load_quiz(module)
        for q in quiz["questions"]:
            target, note = _expected(q)
            rows.append(
                {
                    "module": module,
                    "title": str(quiz.get("title", "")),
                    "id": q["id"],
                    "type": q["type"],
                    "prompt": q["prompt"],
                    "answer": answer_text(q, target),
                    "explanation": q["explanation"],
                    "computed_by": q.get("compute") if note is None else None,
                    "note": note,
                }
            )
    return rows


def answer_key_markdown(modules: Iterable[Any] | None = None) -> str:
    """The answer key as a Markdown document, one section per module."""
    rows = answer_key(modules)
    lines = [
        "# Self-check answer key",
        "",
        "For trainers. Generated from `course/quizzes/` when it is run; answers marked *computed* "
        "are worked out on the shipped course data, exactly as the notebooks grade them.",
        "",
    ]
    current = None
    for row in rows:
        if row["module"] != current:
            current = row["module"]
            lines += [f"## Module {current}: {row['title']}", ""]
        lines += [
            f"**{row['id']}** ({TYPE_NAMES[row['type']]}): {row['prompt']}",
            "",
            f"- **Answer:** {row['answer']}"
            + (f" *(computed by `{row['computed_by']}`)*" if row["computed_by"] else ""),
        ]
        if row["note"]:
            lines.append(f"- **Note:** {row['note']}")
        lines += [f"- **Why:** {row['explanation']}", ""]
    if not rows:
        lines.append("There are no self-check questions yet.")
    return "\n".join(lines).rstrip() + "\n"


def answer_key_text(modules: Iterable[Any] | None = None) -> str:
    """The answer key as plain text for a terminal."""
    out: list[str] = []
    current = None
    for row in answer_key(modules):
        if row["module"] != current:
            current = row["module"]
            out += [f"Module {current}: {row['title']}", ""]
        out += [
            f"{row['id']}  {row['prompt']}",
            f"    answer: {row['answer']}" + (" (computed)" if row["computed_by"] else ""),
        ]
        if row["note"]:
            out.append(f"    note: {row['note']}")
        out += [f"    why: {row['explanation']}", ""]
    return "\n".join(out).rstrip() + "\n"
