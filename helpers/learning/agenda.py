"""Agendas for real sessions, generated from the course map's section minutes.

`course/formats.yml` (course design) names the formats — a 90-minute taster, a 3-hour workshop,
one day, two days, a four-week cohort — as blocks of module sections, activities and breaks. A
block of sections lasts the sum of their minutes in `course/course.yml` unless it says otherwise
(a live session often shows a section as a short demonstration). The agenda adds the clock, what
is skipped, the councillor track and the pre-session checklist.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from helpers.core.errors import LearnerError
from helpers.core.paths import course_dir
from helpers.core.safety import atomic_write_text
from helpers.learning.course import Module, course_modules, module


@dataclass(frozen=True)
class Block:
    """One line of an agenda: a module's sections, an activity, a break, or the start of a new day."""

    kind: str  # "module", "activity", "break" or "day"
    title: str
    minutes: int = 0
    module: str | None = None
    sections: tuple[int, ...] = ()
    tools: tuple[str, ...] = ()
    prompts: tuple[str, ...] = ()
    start: str | None = None  # for a "day": the clock time it starts, if any


@dataclass(frozen=True)
class Format:
    id: str
    title: str
    minutes: int
    audience: str
    start: str | None
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class AgendaLine:
    when: str  # "09:30–09:50", or "" for a weekly format
    block: Block


@dataclass
class Agenda:
    format: Format
    lines: list[AgendaLine]
    skipped: dict[str, list[str]] = field(default_factory=dict)  # module → titles of skipped sections
    not_covered: list[str] = field(default_factory=list)  # modules not in the agenda at all
    councillor_track: list[str] = field(default_factory=list)
    checklist: list[str] = field(default_factory=list)

    @property
    def total_minutes(self) -> int:
        return sum(line.block.minutes for line in self.lines)

    def to_markdown(self) -> str:
        return agenda_markdown(self)


def _section_titles(m: Module, numbers: tuple[int, ...]) -> list[str]:
    titles = []
    for number in numbers:
        if not 1 <= number <= len(m.sections):
            raise LearnerError(f"module {m.number} has no section {number}", file=str(course_dir() / "formats.yml"))
        titles.append(m.sections[number - 1].title)
    return titles


def _block(raw: dict) -> Block:
    if "day" in raw:
        return Block("day", str(raw["day"]), start=raw.get("start"))
    if "break" in raw:
        return Block("break", str(raw["break"]), int(raw["minutes"]))
    if "activity" in raw:
        return Block("activity", str(raw["activity"]), int(raw["minutes"]))
    m = module(str(raw["module"]))
    sections = tuple(int(n) for n in raw.get("sections") or range(1, len(m.sections) + 1))
    _section_titles(m, sections)  # every section named must exist
    minutes = int(raw.get("minutes") or sum(m.sections[n - 1].minutes for n in sections))
    return Block(
        "module",
        f"Module {m.number}: {m.title}",
        minutes,
        m.number,
        sections,
        tuple(raw.get("tools") or ()),
        tuple(raw.get("prompts") or ()),
    )


@cache
def _formats_file() -> dict:
    path = course_dir() / "formats.yml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise LearnerError(f"the session formats cannot be read ({exc})", file=str(path)) from exc
    if not isinstance(data, dict) or not isinstance(data.get("formats"), list):
        raise LearnerError("the file needs a list of `formats`", file=str(path))
    return data


def formats() -> list[Format]:
    """Every session format, shortest first."""
    result = []
    for raw in _formats_file()["formats"]:
        result.append(
            Format(
                raw["id"],
                raw["title"],
                int(raw["minutes"]),
                raw.get("audience", ""),
                raw.get("start"),
                tuple(_block(b) for b in raw["blocks"]),
            )
        )
    return sorted(result, key=lambda f: f.minutes)


def choose_format(minutes: int | None = None, format_id: str | None = None) -> Format:
    """The format with this id, or the longest one that fits in `minutes`."""
    available = formats()
    if format_id:
        for f in available:
            if f.id == format_id:
                return f
        raise LearnerError(
            f"there is no format {format_id!r}", fix="Choose one of " + ", ".join(f.id for f in available)
        )
    fitting = [f for f in available if minutes is not None and f.minutes <= minutes]
    if not fitting:
        raise LearnerError(
            f"no session format fits in {minutes} minutes",
            fix=f"The shortest is {available[0].title} ({available[0].minutes} minutes)",
        )
    return fitting[-1]


def _clock(start: str) -> dt.datetime:
    try:
        return dt.datetime.strptime(start, "%H:%M")
    except ValueError:
        raise LearnerError(f"the start time {start!r} is not a time", fix="Write it as HH:MM, e.g. 09:30") from None


def agenda(minutes: int | None = None, *, format_id: str | None = None, start: str | None = None) -> Agenda:
    """The agenda of a format (chosen by id, or the longest that fits in `minutes`), with clock times."""
    chosen = choose_format(minutes, format_id)
    data = _formats_file()
    clock = _clock(start or chosen.start) if (start or chosen.start) else None
    lines: list[AgendaLine] = []
    for block in chosen.blocks:
        if block.kind == "day":
            clock = _clock(block.start) if block.start else None
            lines.append(AgendaLine("", block))
            continue
        if clock is None:
            lines.append(AgendaLine("", block))
            continue
        end = clock + dt.timedelta(minutes=block.minutes)
        lines.append(AgendaLine(f"{clock:%H:%M}–{end:%H:%M}", block))
        clock = end
    used: dict[str, set[int]] = {}
    for block in chosen.blocks:
        if block.kind == "module":
            used.setdefault(block.module, set()).update(block.sections)
    skipped = {
        number: [s.title for i, s in enumerate(module(number).sections, start=1) if i not in numbers]
        for number, numbers in used.items()
    }
    not_covered = [f"Module {m.number}: {m.title}" for m in course_modules() if m.number not in used and m.stage]
    return Agenda(
        chosen,
        lines,
        {k: v for k, v in skipped.items() if v},
        not_covered,
        list(data.get("councillor_track") or []),
        list(data.get("checklist") or []),
    )


def agenda_markdown(plan: Agenda) -> str:
    """The agenda as Markdown for the trainer: times, sections and tools, prompts, what is skipped."""
    f = plan.format
    hours, rest = divmod(f.minutes, 60)
    length = f"{hours} h {rest:02d} min" if hours else f"{rest} min"
    out = [
        f"# {f.title} ({length})",
        "",
        f"**For:** {f.audience}",
        "",
        "Generated from `course/course.yml` (section minutes) and `course/formats.yml` (course design): "
        "`python -m helpers agenda --format " + f.id + "`.",
        "",
    ]
    table_open = False
    for line in plan.lines:
        b = line.block
        if b.kind == "day":
            out += ["", f"## {b.title}", ""]
            table_open = False
            continue
        if not table_open:
            out += ["| time | minutes | what | sections and tools |", "|---|---|---|---|"]
            table_open = True
        detail = ""
        if b.kind == "module":
            titles = [module(b.module).sections[n - 1].title for n in b.sections]
            detail = "; ".join(titles)
            if b.tools:
                detail += " — tools: " + ", ".join(f"`{t}`" for t in b.tools)
            if b.prompts:
                detail += " — ask: " + " ".join(f"“{p}”" for p in b.prompts)
        title = f"*{b.title}*" if b.kind == "break" else b.title
        out.append(f"| {line.when or '—'} | {b.minutes} | {title} | {detail} |")
    out += ["", "## What this format skips", ""]
    for number, titles in plan.skipped.items():
        out.append(f"- Module {number}: " + "; ".join(titles))
    if plan.not_covered:
        out.append("- Not covered: " + "; ".join(plan.not_covered) + " (self-paced, after the session)")
    if not plan.skipped and not plan.not_covered:
        out.append("- Nothing: every section of every module is in the agenda.")
    out += ["", "## For a mixed room: the councillor track", ""]
    out += [f"- {prompt}" for prompt in plan.councillor_track]
    out += ["", "## Before the session", ""]
    out += [f"- [ ] {item}" for item in plan.checklist]
    return "\n".join(out).rstrip() + "\n"


def agendas_dir() -> Path:
    return course_dir() / "agendas"


def write_agendas() -> list[Path]:
    """Write every format's agenda to `course/agendas/<id>.md`, where the trainer guide links them."""
    return [atomic_write_text(agendas_dir() / f"{f.id}.md", agenda(format_id=f.id).to_markdown()) for f in formats()]
