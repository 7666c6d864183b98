"""Shared fixtures.

Real public files live in ../shared/data/real beside the repository. On a
developer's machine without them, real-data tests skip; in CI (CI=true) they
must never skip, so a missing folder fails the run instead.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from helpers.core import notices

REPO = Path(__file__).resolve().parents[1]
IN_CI = os.environ.get("CI", "").lower() == "true"


def shared_dir() -> Path:
    return Path(os.environ.get("SPW_SHARED", REPO.parent / "shared"))


def skip_or_fail(message: str) -> None:
    """Skip a test whose outside requirement is missing; in CI (CI=true) fail instead."""
    if IN_CI:
        pytest.fail(message + " (CI=true: this test may not skip)")
    pytest.skip(message)


@pytest.fixture(scope="session")
def real_data_dir() -> Path:
    """`../shared/data/real`; skips locally when absent, fails in CI."""
    path = shared_dir() / "data" / "real"
    if not path.is_dir():
        skip_or_fail(f"real test data not found at {path}")
    return path


@pytest.fixture()
def work_dir(tmp_path, monkeypatch) -> Path:
    """A private learner work folder (progress store, exports) for one test."""
    path = tmp_path / "my_work"
    monkeypatch.setenv("SPW_WORK_DIR", str(path))
    return path


@pytest.fixture(autouse=True)
def _no_leftover_notices():
    """Each test starts with no pending learner notices (helpers.core.notices is per process)."""
    notices.take()
    yield
    notices.take()
