"""Commands for trainers and maintainers: `answer-key` and `course-map`."""

from __future__ import annotations

import argparse

from helpers.core.paths import course_dir
from helpers.core.safety import atomic_write_text
from helpers.learning.agenda import agenda, formats, write_agendas
from helpers.learning.answer_key import answer_key_markdown, answer_key_text
from helpers.learning.app import register_app
from helpers.learning.course import syllabus_block, update_syllabus


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `answer-key` and `course-map` commands."""
    key = subparsers.add_parser(
        "answer-key",
        help="print the self-check answers (for trainers)",
        description="Print every self-check question with its correct answer and explanation, "
        "read from course/quizzes/ now (computed answers are computed on the course data).",
    )
    key.add_argument(
        "--module", action="append", metavar="NN", help="only this module's questions (may be given more than once)"
    )
    key.add_argument("--markdown", action="store_true", help="print Markdown instead of plain text")
    key.set_defaults(func=run_answer_key)

    course_map = subparsers.add_parser(
        "course-map",
        help="print the module table from course/course.yml, or update the syllabus",
        description="Print the module table generated from course/course.yml; with --update, rewrite the "
        "generated block of course/syllabus.md.",
    )
    course_map.add_argument("--update", action="store_true", help="rewrite the table in course/syllabus.md")
    course_map.set_defaults(func=run_course_map)

    plan = subparsers.add_parser(
        "agenda",
        help="print a session agenda (90 min, 3 h, one day, two days, four weeks) for trainers",
        description="Print the agenda of a session format from course/formats.yml, timed from the section "
        "minutes in course/course.yml: the longest format that fits in --minutes, or --format.",
    )
    plan.add_argument("--minutes", type=int, help="the time you have, in minutes (e.g. 180)")
    plan.add_argument(
        "--format",
        dest="format_id",
        help="a format id: " + ", ".join(["taster-90", "workshop-180", "one-day", "two-day", "cohort-4-weeks"]),
    )
    plan.add_argument("--start", help="start time HH:MM (default: the format's own)")
    plan.add_argument("--list", action="store_true", help="list the formats")
    plan.add_argument(
        "--write", action="store_true", help="write every agenda to course/agendas/ (for the trainer guide)"
    )
    plan.set_defaults(func=run_agenda)

    register_app(subparsers)


def run_answer_key(args: argparse.Namespace) -> int:
    """Print the key; exit status 0."""
    text = (answer_key_markdown if args.markdown else answer_key_text)(args.module)
    print(text, end="")
    return 0


def run_course_map(args: argparse.Namespace) -> int:
    """Print the generated block, or write it into the syllabus."""
    if not args.update:
        print(syllabus_block())
        return 0
    path = course_dir() / "syllabus.md"
    atomic_write_text(path, update_syllabus(path.read_text(encoding="utf-8")))
    print(f"updated {path}")
    return 0


def run_agenda(args: argparse.Namespace) -> int:
    """Print one agenda, or the list of formats."""
    if args.write:
        for path in write_agendas():
            print(f"wrote {path}")
        return 0
    if args.list or (args.minutes is None and not args.format_id):
        for f in formats():
            print(f"{f.id:16} {f.minutes:4} min  {f.title}")
        return 0
    print(agenda(args.minutes, format_id=args.format_id, start=args.start).to_markdown(), end="")
    return 0
