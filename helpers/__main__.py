"""Command line: `python -m helpers COMMAND …` for trainers and automated checks.

Each stage module that offers a command exposes `register(subparsers)`; the
command's function raises `LearnerError` for bad input, which is printed on
one line to stderr with exit status 2 (never a traceback).
"""

from __future__ import annotations

import argparse
import importlib
import sys

from helpers.core.errors import LearnerError
from helpers.core.safety import terminal_text

# Modules that add sub-commands, in the order they are listed in --help.
COMMAND_MODULES: list[str] = [
    "helpers.datagen.cli",
    "helpers.learning.cli",
    "helpers.spend.cli",
    "helpers.preprocurement.cli",
    "helpers.tendering.cli",
    "helpers.monitoring.cli",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m helpers", description="Strategic Procurement Workbook tools.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        parser = build_parser()  # the commands read course content (course/content) as they load
    except LearnerError as exc:
        print(
            f"error: {terminal_text(exc)}\nRun the command from the course folder (it holds course/course.yml),"
            " or set SPW_ROOT to that folder.",
            file=sys.stderr,
        )
        return 2
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except LearnerError as exc:
        print(f"error: {terminal_text(exc)}", file=sys.stderr)
        return 2
    except (FileNotFoundError, IsADirectoryError, PermissionError) as exc:
        print(f"error: cannot read {terminal_text(exc.filename)}: {exc.strerror}.", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
