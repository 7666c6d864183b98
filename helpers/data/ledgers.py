"""The payment ledgers: large, git-ignored, and made on first use.

The ledgers are raw finance-system exports (turning one into clean payments is
`helpers.spend.ingest`'s job). They are not committed; when one is missing,
`ledger_path` runs the course's data generator, which makes them and checks
each against the hash recorded in `datapackage.json`.

The generator (`helpers.datagen`) sits above this layer: it builds the data to
follow rules of the stages (the monitoring stage's RAG rule). So the data layer
never imports it; it runs it as the command `python -m helpers generate-data
--if-missing`, in a child process with the same Python and the same `helpers`.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from helpers.core.errors import LearnerError
from helpers.core.paths import PACKAGE_DIR, repo_root
from helpers.data.package import check_city, data_folder, read_package

LEDGER_YEARS = (2024, 2025)
GENERATING = "Generating the payment ledgers (first use, a few seconds)…"


def ledger_path(city: str, year: int) -> Path:
    """Where a city's payment ledger for a year is, generating all ledgers first if they are missing."""
    check_city(city)
    if year not in LEDGER_YEARS:
        raise LearnerError(
            f"there is no {year} ledger in the course data",
            fix=f"Choose one of the years: {', '.join(str(y) for y in LEDGER_YEARS)}",
        )
    folder = data_folder()
    path = folder / city / f"ledger_{year}.csv"
    if not path.is_file():
        run_generator(folder)
    return path


def missing_ledgers(folder: Path) -> list[str]:
    """The ledger files `datapackage.json` records that are not in `folder` (paths relative to it)."""
    recorded = [r["path"] for r in read_package(str(folder))["resources"] if r["table"].startswith("ledger_")]
    return [rel for rel in recorded if not (folder / rel).is_file()]


def ensure_ledgers() -> int:
    """Generate any missing ledger (checked against the recorded hashes); return how many were missing."""
    folder = data_folder()
    missing = missing_ledgers(folder)
    if missing:
        run_generator(folder)
    return len(missing)


def generator_command(folder: Path) -> list[str]:
    """The command that makes the missing ledgers in `folder`."""
    return [sys.executable, "-m", "helpers", "generate-data", "--if-missing", "--out", str(folder)]


def run_generator(folder: Path) -> None:
    """Make the missing ledgers in `folder` (a few seconds), saying so first; a `LearnerError` if it fails.

    The child process runs this very `helpers` package (its folder first on the path) from the course
    folder, whose course content the commands read (a package installed in site-packages, as on a
    hub, has none beside it), and writes where `folder` says.
    """
    print(GENERATING, flush=True)
    env = {key: value for key, value in os.environ.items() if key != "SPW_ROOT"}
    package_parent = str(PACKAGE_DIR.parent)
    root = repo_root()  # the learner's course folder, else the folder holding the package
    env["SPW_ROOT"] = str(root)
    env["PYTHONPATH"] = (
        os.pathsep.join([package_parent, env["PYTHONPATH"]]) if env.get("PYTHONPATH") else package_parent
    )
    done = subprocess.run(
        generator_command(folder), cwd=root, env=env, capture_output=True, text=True, encoding="utf-8", errors="replace"
    )
    if done.returncode == 0:
        return
    lines = [line.strip() for line in done.stderr.splitlines() if line.strip()]
    last = lines[-1] if lines else f"exit status {done.returncode}"
    if last.startswith("error: "):
        raise LearnerError(last.removeprefix("error: "))
    raise LearnerError(
        f"the course data generator failed ({last})",
        fix="Run `python -m helpers generate-data` in a terminal to see the whole message, and tell your trainer",
    )
