"""Find the course's folders wherever a notebook runs from.

A notebook may run from the repository root, from `notebooks/`, on Binder, or
under papermill in a temporary folder. The package itself sits in the
repository (installed editable), so the repository root is found from this
file, with the `SPW_ROOT` environment variable as an override.
"""

from __future__ import annotations

import os
from pathlib import Path

from helpers.core.errors import LearnerError

PACKAGE_DIR = Path(__file__).resolve().parents[1]  # helpers/, above core/


def repo_root() -> Path:
    """The repository root: `SPW_ROOT` if set, else the folder holding `helpers/`."""
    override = os.environ.get("SPW_ROOT")
    return Path(override).resolve() if override else PACKAGE_DIR.parent


def datasets_dir() -> Path:
    """The shipped `datasets/` folder, with a clear error if it is missing."""
    path = repo_root() / "datasets"
    if not (path / "datapackage.json").is_file():
        raise LearnerError(
            f"the course data folder was not found at {path}",
            fix="Run `make lab` from the repository root, or set SPW_ROOT to the folder that holds datasets/",
        )
    return path


def course_dir() -> Path:
    """The `course/` folder (quizzes, criteria library, guides)."""
    return repo_root() / "course"


def my_data_dir() -> Path:
    """The git-ignored folder where learners put their own large files."""
    return repo_root() / "my_data"


def my_work_dir() -> Path:
    """Where learner work (progress, drafts, exports) is saved; `SPW_WORK_DIR` overrides it."""
    override = os.environ.get("SPW_WORK_DIR")
    path = Path(override) if override else repo_root() / "my_work"
    path.mkdir(parents=True, exist_ok=True)
    return path


def exports_dir() -> Path:
    """Where exported reports and documents go (inside the learner's work folder)."""
    path = my_work_dir() / "exports"
    path.mkdir(parents=True, exist_ok=True)
    return path
