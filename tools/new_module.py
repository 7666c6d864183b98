"""Start a new module from the lesson template, as a jupytext pair (MyST Markdown + notebook).

    python tools/new_module.py 08 "Title of the module" STAGE [--slug short_name]
    make new-module NAME=08_short_name TITLE="Title of the module" STAGE=monitoring

STAGE is the stage package whose tools the lesson uses (why, framework, spend, strategy,
preprocurement, tendering, monitoring). It writes, and never overwrites:

- notebooks/NN_slug.md and notebooks/NN_slug.ipynb, copied from course/templates/module_template.md
  (objectives, time, parameters cell, imports cell, doctor, worked example, "now your city",
  self-checks, summary, sources);
- course/quizzes/moduleNN.yaml with one example question (the template's self-check);
- tests/notebooks/test_nbNN.py, a papermill run of the new notebook with two cities.

Then it prints what is left to do by hand (course map, syllabus, key outputs).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import jupytext
import nbformat

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "course" / "templates" / "module_template.md"
STAGES = ("why", "framework", "spend", "strategy", "preprocurement", "tendering", "monitoring")
STAGE_LINE = "# from helpers.STAGE import ...  <- the stage's tools this lesson uses (names in its __all__ only)"

QUIZ = """module: "{number}"
title: "{title}"
questions:
  - id: m{number}-example
    type: single
    prompt: "Replace this example question: what does the worked example count?"
    options: ["tenders published in the year", "payments in the ledger"]
    answer: 0
    hints:
      - "Look at the key result printed in section 2."
    explanation: "The worked example counts the tenders the city published in the year (course design)."
"""

TEST = '''"""Module {number_int}: the notebook runs headless with its defaults and with another city and year."""

from __future__ import annotations

import pytest

from tests.notebooks.runner import run_notebook

pytestmark = pytest.mark.notebook


def test_runs_with_defaults():
    run = run_notebook("{number}")
    assert "ERROR" not in run.text
    assert "Portavera 2025" in run.cell_text("keep-output")


def test_runs_for_valmora_2024():
    run = run_notebook("{number}", city="valmora", year=2024)
    assert "ERROR" not in run.text
    assert "Valmora 2024" in run.cell_text("keep-output")
'''


def lesson_text(number: str, title: str, stage: str) -> str:
    """The template's MyST text with the module's number, title, stage and self-check ids filled in."""
    text = TEMPLATE.read_text(encoding="utf-8")
    text = text.replace("# Module NN: MODULE TITLE", f"# Module {int(number)}: {title}")
    text = text.replace(STAGE_LINE, STAGE_LINE.replace("helpers.STAGE", f"helpers.{stage}"))
    return text.replace('"mNN-', f'"m{number}-')


def notebook_from_text(text: str) -> nbformat.NotebookNode:
    """The .ipynb of a lesson's MyST text, as the course commits notebooks (stable ids, no outputs)."""
    nb = jupytext.reads(text, fmt="md:myst")
    nb.metadata = {"kernelspec": nb.metadata["kernelspec"], "language_info": {"name": "python"}}
    for index, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{index:02d}"
    return nb


def create(number: str, title: str, stage: str, slug: str, root: Path = ROOT) -> list[Path]:
    """Write the new module's files under `root`; returns their paths."""
    if not re.fullmatch(r"\d\d", number):
        raise SystemExit(f"the module number is two digits, e.g. 08 (got {number!r})")
    if stage not in STAGES:
        raise SystemExit(f"STAGE must be one of {', '.join(STAGES)} (got {stage!r})")
    if not re.fullmatch(r"[a-z0-9_]+", slug):
        raise SystemExit(f"the short name uses lower-case letters, digits and _ only (got {slug!r})")
    existing = sorted((root / "notebooks").glob(f"{number}_*"))
    if existing:
        raise SystemExit(f"module {number} already exists: {', '.join(p.name for p in existing)}")
    text = lesson_text(number, title, stage)
    stem = root / "notebooks" / f"{number}_{slug}"
    targets = [
        (stem.with_suffix(".md"), text),
        (stem.with_suffix(".ipynb"), nbformat.writes(notebook_from_text(text)) + "\n"),
        (root / "course" / "quizzes" / f"module{number}.yaml", QUIZ.format(number=number, title=title)),
        (root / "tests" / "notebooks" / f"test_nb{number}.py", TEST.format(number=number, number_int=int(number))),
    ]
    for path, _ in targets:
        if path.exists():
            raise SystemExit(f"{path} already exists: choose another number or name")
    for path, content in targets:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    return [path for path, _ in targets]


def slug_of(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", title.lower()).strip("_")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("number", help="two digits, e.g. 08 (or NN_slug, e.g. 08_example)")
    parser.add_argument("title", nargs="?", help="the module's title (default: from the slug)")
    parser.add_argument("stage", nargs="?", help=f"one of {', '.join(STAGES)}")
    parser.add_argument("--slug", help="the file name after NN_ (default: from the title)")
    args = parser.parse_args(argv)
    number, _, name_slug = args.number.partition("_")
    title = args.title or name_slug.replace("_", " ").capitalize()
    if not title:
        parser.error("give a TITLE (or NAME=NN_slug)")
    if not args.stage:
        parser.error(f"give a STAGE: one of {', '.join(STAGES)}")
    written = create(number, title, args.stage, args.slug or name_slug or slug_of(title))
    print("Created:")
    for path in written:
        print(f"  {path.relative_to(ROOT)}")
    print(f"""Next:
  1. Write the lesson in {written[0].relative_to(ROOT)} (jupytext keeps the .ipynb in step: `make sync`);
     replace the commented import with the `helpers.{args.stage}` tools it uses.
  2. Add the module to helpers/learning/course_map.py (MODULES), course/syllabus.md and the README table.
  3. Write its questions in course/quizzes/module{number}.yaml.
  4. Store the key outputs: .venv/bin/python tools/refresh_key_outputs.py {written[1].relative_to(ROOT)}
  5. Check: make lint; .venv/bin/pytest tests/notebooks/test_nb{number}.py tests/notebooks/test_notebook_hygiene.py""")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
