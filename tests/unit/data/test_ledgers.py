"""The git-ignored payment ledgers: made on first use by running the generator as a command, checked
against the recorded hashes; the data layer never imports the generator."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import data
from helpers.core.errors import LearnerError
from helpers.data import ledgers

REPO = Path(__file__).resolve().parents[3]


def _copy_without_ledgers(tmp_path: Path) -> Path:
    copy = tmp_path / "datasets"
    shutil.copytree(REPO / "datasets", copy, ignore=shutil.ignore_patterns("ledger_*.csv"))
    return copy


def test_ledger_path_generates_missing_ledgers(tmp_path, monkeypatch, capsys):
    copy = _copy_without_ledgers(tmp_path)
    monkeypatch.setenv("SPW_ROOT", str(tmp_path))
    assert not (copy / "valmora" / "ledger_2024.csv").exists()
    path = data.ledger_path("valmora", 2024)
    assert path == copy / "valmora" / "ledger_2024.csv"
    assert "Generating the payment ledgers" in capsys.readouterr().out
    recorded = {r["path"]: r["hash"] for r in json.loads((copy / "datapackage.json").read_text())["resources"]}
    for city in data.cities():
        for year in (2024, 2025):
            rel = f"{city}/ledger_{year}.csv"
            assert "sha256:" + hashlib.sha256((copy / rel).read_bytes()).hexdigest() == recorded[rel]


def test_ensure_ledgers_runs_the_generator_once_and_says_how_many_were_missing(tmp_path, monkeypatch):
    copy = _copy_without_ledgers(tmp_path)
    monkeypatch.setenv("SPW_ROOT", str(tmp_path))
    runs = []
    monkeypatch.setattr(ledgers, "run_generator", runs.append)
    assert ledgers.missing_ledgers(copy) == [f"{c}/ledger_{y}.csv" for c in data.cities() for y in (2024, 2025)]
    assert data.ensure_ledgers() == 6
    assert runs == [copy]
    monkeypatch.setenv("SPW_ROOT", str(REPO))
    assert data.ensure_ledgers() == 0 and runs == [copy]  # all there: the generator is not run


def _child_that_fails(message: str) -> list[str]:
    return [sys.executable, "-c", f"import sys; print({message!r}, file=sys.stderr); sys.exit(2)"]


def test_a_generator_problem_is_shown_as_a_learner_error(tmp_path, monkeypatch, capsys):
    message = (
        "error: the regenerated valmora/ledger_2024.csv does not match datapackage.json. Update the "
        "repository (git pull) and run `python -m helpers generate-data`."
    )
    monkeypatch.setattr(ledgers, "generator_command", lambda folder: _child_that_fails(message))
    with pytest.raises(LearnerError) as err:
        ledgers.run_generator(tmp_path)
    assert str(err.value) == message.removeprefix("error: ")
    assert "Generating the payment ledgers" in capsys.readouterr().out
    monkeypatch.setattr(ledgers, "generator_command", lambda folder: _child_that_fails("Traceback: boom"))
    with pytest.raises(LearnerError, match=r"the course data generator failed \(Traceback: boom\)"):
        ledgers.run_generator(tmp_path)


def test_the_generator_runs_as_this_python_and_this_package(tmp_path):
    command = ledgers.generator_command(tmp_path)
    assert command == [sys.executable, "-m", "helpers", "generate-data", "--if-missing", "--out", str(tmp_path)]


def test_the_data_layer_does_not_import_the_generator():
    code = (
        "import sys, helpers.data; from helpers.data import ledgers, package, design; "
        "print(sorted(m for m in sys.modules if m.startswith('helpers.datagen') or m.startswith('helpers.monitoring')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_the_generator_starts_in_the_learners_course_folder(tmp_path, monkeypatch):
    """On a hub the package sits in site-packages, with no course content beside it: the child must
    start in (and be told) the learner's course folder, whose course/content the commands read."""
    seen = {}

    def run(command, cwd, env, **kwargs):
        seen.update(cwd=str(cwd), root=env.get("SPW_ROOT"))
        return subprocess.CompletedProcess(command, 0, "", "")

    monkeypatch.setenv("SPW_ROOT", str(tmp_path))
    monkeypatch.setattr(ledgers.subprocess, "run", run)
    ledgers.run_generator(tmp_path / "datasets")
    assert seen == {"cwd": str(tmp_path), "root": str(tmp_path)}
