"""The course map: `course/course.yml` is the one list of modules (number, notebook, stage of the
cycle, title, section minutes, prerequisites, quiz). The start-here page, the syllabus table and
the time checks all come from it, so adding a module or changing a time is one edit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import ipywidgets as w
import pandas as pd
import yaml
from IPython.display import HTML

from helpers.core.errors import LearnerError
from helpers.core.paths import course_dir, my_data_dir, my_work_dir
from helpers.learning.competences import course_tag_problems
from helpers.learning.progress import store
from helpers.learning.selfcheck import module_progress
from helpers.ui.display import show_tool


@dataclass(frozen=True)
class Section:
    title: str
    minutes: int


@dataclass(frozen=True)
class Module:
    """One lesson of the course as `course/course.yml` describes it."""

    number: str
    notebook: str  # file stem in notebooks/
    stage: str | None  # the helpers package of its stage of the cycle (None for start-here)
    title: str
    cycle_stage: str  # the stage of the cycle in the learner's words
    prerequisites: tuple[str, ...]
    quiz: str
    sections: tuple[Section, ...]

    @property
    def minutes(self) -> int:
        return sum(s.minutes for s in self.sections)

    @property
    def path(self) -> str:
        return f"notebooks/{self.notebook}.ipynb"


def validate_course(data: object) -> list[str]:
    """Problems with the course map's structure (an empty list when it is fine)."""
    if not isinstance(data, dict) or not isinstance(data.get("modules"), list):
        return ["course.yml needs a list of `modules`"]
    problems, numbers = [], []
    for index, m in enumerate(data["modules"], start=1):
        if not isinstance(m, dict):
            problems.append(f"module {index} is not a mapping")
            continue
        where = f"module {m.get('number', index)}"
        for key in ("number", "notebook", "title", "cycle_stage", "quiz", "sections"):
            if not m.get(key):
                problems.append(f"{where} has no `{key}`")
        sections = m.get("sections") or []
        if not all(
            isinstance(s, dict) and s.get("title") and isinstance(s.get("minutes"), int) and s["minutes"] > 0
            for s in sections
        ):
            problems.append(f"{where}: every section needs a `title` and whole `minutes` above 0")
        unknown = [p for p in m.get("prerequisites") or [] if p not in numbers]
        if unknown:
            problems.append(f"{where}: prerequisites {unknown} are not earlier modules")
        numbers.append(m.get("number"))
    if len(set(numbers)) != len(numbers):
        problems.append("two modules have the same number")
    return problems


@cache
def course_modules() -> tuple[Module, ...]:
    """Every module of the course, start-here first, as `course/course.yml` lists them."""
    path = course_dir() / "course.yml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise LearnerError(f"the course map cannot be read ({exc})", file=str(path)) from exc
    problems = validate_course(data)
    problems += course_tag_problems(data) if not problems else []
    if problems:
        raise LearnerError("; ".join(problems), file=str(path))
    return tuple(
        Module(
            number=str(m["number"]),
            notebook=m["notebook"],
            stage=m.get("stage"),
            title=m["title"],
            cycle_stage=m["cycle_stage"],
            prerequisites=tuple(m.get("prerequisites") or ()),
            quiz=m["quiz"],
            sections=tuple(Section(s["title"], s["minutes"]) for s in m["sections"]),
        )
        for m in data["modules"]
    )


def module(number: str) -> Module:
    """One module by its number ("00"…"07")."""
    for m in course_modules():
        if m.number == str(number).zfill(2):
            return m
    raise LearnerError(f"the course has no module {number!r}")


def lesson_modules() -> tuple[Module, ...]:
    """The seven modules of the cycle (without start-here)."""
    return tuple(m for m in course_modules() if m.stage)


def course_map() -> pd.DataFrame:
    """The seven modules with the stage of the procurement cycle each covers and the time needed."""
    return pd.DataFrame(
        [
            {
                "module": m.number,
                "notebook": m.path,
                "title": m.title,
                "stage of the cycle": m.cycle_stage,
                "time (min)": m.minutes,
            }
            for m in lesson_modules()
        ]
    )


def syllabus_table() -> str:
    """The syllabus's module table in Markdown, generated from the course map."""
    rows = ["| module | notebook | title | stage of the cycle | time |", "|---|---|---|---|---|"]
    rows += [f"| {m.number} | `{m.path}` | {m.title} | {m.cycle_stage} | {m.minutes} min |" for m in course_modules()]
    return "\n".join(rows)


SYLLABUS_START = "<!-- course-map:start (generated from course/course.yml: python -m helpers course-map --update) -->"
SYLLABUS_END = "<!-- course-map:end -->"


def syllabus_block() -> str:
    """The generated part of the syllabus: the module table and the total time."""
    hours, minutes = divmod(total_minutes(with_start_here=True), 60)
    core_hours, core_minutes = divmod(total_minutes(), 60)
    total = f"{hours} hours" + (f" {minutes} minutes" if minutes else "")
    core = f"{core_hours} hours" + (f" {core_minutes} min" if core_minutes else "")
    return (
        f"{syllabus_table()}\n\nTotal: about **{total}** of study (the seven modules take {core}), plus the "
        "time you spend on\nyour own city's data. The module and section times come from "
        "`course/course.yml`, which the start-here\nnotebook shows as the course map."
    )


def update_syllabus(text: str) -> str:
    """`text` (the syllabus) with its generated block replaced by the current one."""
    pattern = re.compile(re.escape(SYLLABUS_START) + r".*?" + re.escape(SYLLABUS_END), re.S)
    if not pattern.search(text):
        raise LearnerError(
            "the syllabus has no generated course-map block",
            fix=f"Put {SYLLABUS_START} and {SYLLABUS_END} around its module table",
        )
    return pattern.sub(lambda _: f"{SYLLABUS_START}\n{syllabus_block()}\n{SYLLABUS_END}", text)


def total_minutes(*, with_start_here: bool = False) -> int:
    return sum(m.minutes for m in (course_modules() if with_start_here else lesson_modules()))


def where_is_my_work() -> str:
    """Where progress and exports are saved, plus any message about recovering a damaged progress file."""
    progress = store()
    progress.data()  # reading the file first reports (and backs up) a damaged one
    text = (
        f"Your answers, drafts and settings are saved in {progress.path}; "
        f"exports go to {my_work_dir() / 'exports'}; put your own data files in {my_data_dir()}. "
        "None of these is ever committed to git."
    )
    return "\n".join([text, *progress.messages])


def progress_overview() -> pd.DataFrame:
    """Self-check progress per module (questions answered correctly)."""
    return module_progress()


def widget_demo() -> None:
    """A first widget: pick a share and see a figure update, to learn how the tools respond."""

    def describe(share: int) -> str:
        kept = 100_000_000 * share / 100
        return (
            f"<p class='spw-demo-result'>If a city spending <b>€100 million</b> a year bought "
            f"<b>{share}%</b> from suppliers in the city, <b>€{kept:,.0f}</b> would be paid to "
            "local firms in the first round.</p>"
        )

    def build() -> w.Widget:
        slider = w.IntSlider(value=20, min=0, max=100, step=5, description="Local share %", continuous_update=False)
        out = w.HTML(describe(slider.value))
        slider.observe(lambda change: setattr(out, "value", describe(change["new"])), names="value")
        box = w.VBox([slider, out])
        box.add_class("spw-demo")
        return box

    show_tool(build, lambda: [HTML(describe(20))])


def module_rows() -> list[tuple[str, str, str, str, int]]:
    """The seven modules as (number, notebook stem, title, stage of the cycle, minutes), for checks and docs."""
    return [(m.number, m.notebook, m.title, m.cycle_stage, m.minutes) for m in lesson_modules()]


def __getattr__(name: str) -> object:
    """`MODULES` is read from course.yml when first asked for, not at import (PEP 562)."""
    if name == "MODULES":
        return module_rows()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
