"""`python -m helpers generate-data`: write the course data, check it, or make only the missing ledgers."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from helpers.core.errors import LearnerError
from helpers.core.paths import repo_root
from helpers.datagen.generate import check, generate_all, generate_missing
from helpers.spend.pipeline import cache_city_analyses


def _run(args: argparse.Namespace) -> int:
    out = Path(args.out) if args.out else repo_root() / "datasets"
    if args.check:
        problems = check(out)
        if problems:
            raise LearnerError(
                "the data check found problems: " + "; ".join(problems),
                fix="Run `python -m helpers generate-data` to rebuild the data",
            )
        print(f"ok: every file in {out} matches datapackage.json")
        return 0
    if args.if_missing:
        made = generate_missing(out)
        print(f"course data ready ({made} ledger files generated)" if made else "course data ready")
        _cache_analyses(out)
        return 0
    out.mkdir(parents=True, exist_ok=True)
    package = generate_all(out, progress=sys.stdout.isatty())
    print(f"wrote {len(package['resources'])} files and datapackage.json to {out}")
    _cache_analyses(out)
    return 0


def _cache_analyses(out: Path) -> None:
    """Cache the course cities' analyses next to the course data (`helpers.spend.city_cache`)."""
    if out.resolve() != (repo_root() / "datasets").resolve():
        return  # a copy of the data elsewhere (e.g. --out for a check): the course reads only datasets/
    written = cache_city_analyses()
    print(f"cached {len(written)} course analyses (datasets/<city>/analysis_<year>.arrow)")


def register(subparsers) -> None:
    """Add `generate-data [--out DIR] [--check | --if-missing]` to `python -m helpers`."""
    p = subparsers.add_parser(
        "generate-data",
        help="(re)generate the synthetic course data",
        description="Generate the deterministic synthetic datasets, or check them.",
    )
    p.add_argument("--out", metavar="DIR", help="folder to write to (default: the repository's datasets/)")
    p.add_argument(
        "--check",
        action="store_true",
        help="regenerate into a temporary folder and compare hashes with datapackage.json",
    )
    p.add_argument(
        "--if-missing",
        action="store_true",
        help="only generate the git-ignored ledgers that are missing (used by make and Binder)",
    )
    p.set_defaults(func=_run)
