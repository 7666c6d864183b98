"""`python -m helpers my-work …`, `lab`, `hub-link`, and doctor's work-folder check."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from helpers.__main__ import main
from helpers.learning import checkup
from helpers.learning.cli import lab_command, nbgitpuller_link, repo_folder
from helpers.learning.progress import store

REPO = Path(__file__).resolve().parents[3]


def test_my_work_export_import_where_forget(work_dir, tmp_path, monkeypatch, capsys):
    store().save_draft("objectives", "Portavera 2026", {"objectives": ["SME share 30%"]})
    archive = tmp_path / "week 2.zip"
    assert main(["my-work", "export", str(archive)]) == 0
    assert "saved your work to" in capsys.readouterr().out
    assert "progress.json" in zipfile.ZipFile(archive).namelist()

    monkeypatch.setenv("SPW_WORK_DIR", str(tmp_path / "next-session"))
    assert main(["my-work", "where"]) == 0
    assert capsys.readouterr().out.strip() == f"{tmp_path / 'next-session'} (set by SPW_WORK_DIR)"
    assert main(["my-work", "import", str(archive)]) == 0
    assert "1 added: draft: objectives / Portavera 2026" in capsys.readouterr().out
    assert store().list_drafts("objectives") == ["Portavera 2026"]

    assert main(["my-work", "forget"]) == 2
    assert "nothing was removed" in capsys.readouterr().err and store().list_drafts("objectives")
    assert main(["my-work", "forget", "--yes"]) == 0
    assert "Removed from this machine" in capsys.readouterr().out and store().list_drafts("objectives") == []
    assert main(["my-work", "import", str(tmp_path / "nope.zip")]) == 2
    assert "was not found" in capsys.readouterr().err


def test_hub_link_is_the_nbgitpuller_link():
    link = nbgitpuller_link(
        "https://github.com/strategic-procurement/workbook.git", branch="v1.2", hub="https://hub.example.org/"
    )
    parts = urlsplit(link)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "hub.example.org", "/hub/user-redirect/git-pull")
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert query == {
        "repo": "https://github.com/strategic-procurement/workbook.git",
        "branch": "v1.2",
        "targetpath": "workbook",
        "urlpath": "lab/tree/workbook/notebooks/00_start_here.ipynb",
    }
    plain = nbgitpuller_link("https://gitlab.com/a/b", notebook="/notebooks/03_spend_analysis.ipynb", app="notebook")
    assert plain.startswith("/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgitlab.com%2Fa%2Fb&targetpath=b&")
    assert plain.endswith("urlpath=tree%2Fb%2Fnotebooks%2F03_spend_analysis.ipynb")
    assert repo_folder("file:///srv/git/workbook/") == "workbook"


def test_hub_link_command(capsys):
    assert (
        main(
            [
                "hub-link",
                "--repo",
                "https://github.com/o/workbook",
                "--branch",
                "main",
                "--notebook",
                "notebooks/04_procurement_strategy.ipynb",
                "--hub",
                "https://h.example",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out.strip()
    assert out.startswith("https://h.example/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com%2Fo%2Fworkbook")
    assert "branch=main" in out and "urlpath=lab%2Ftree%2Fworkbook%2Fnotebooks%2F04_procurement_strategy.ipynb" in out
    assert main(["hub-link", "--repo", " "]) == 2


def test_lab_command_listens_on_localhost_and_adds_allow_root_only_for_root(tmp_path):
    command = lab_command(tmp_path, port=9999, open_browser=False)
    assert command[:3] == [sys.executable, "-m", "jupyterlab"]
    assert "--ServerApp.ip=127.0.0.1" in command and "--ServerApp.port=9999" in command
    assert f"--ServerApp.root_dir={tmp_path}" in command and "--no-browser" in command
    assert "--allow-root" not in command and command[-1] == "notebooks/00_start_here.ipynb"
    assert "--allow-root" in lab_command(tmp_path, as_root=True)


def test_lab_dry_run_from_a_notebook_folder():
    result = subprocess.run(
        [sys.executable, "-m", "helpers", "lab", "--dry-run", "--no-browser"],
        cwd=REPO / "notebooks",
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert result.returncode == 0, result.stderr
    assert f"--ServerApp.root_dir={REPO}" in result.stdout and "notebooks/00_start_here.ipynb" in result.stdout


def test_doctor_says_where_work_is_saved(work_dir, capsys, monkeypatch):
    monkeypatch.delenv("SPW_HOSTING", raising=False)
    for name in ("BINDER_REQUEST", "BINDER_SERVICE_HOST"):
        monkeypatch.delenv(name, raising=False)
    assert checkup.doctor() is True
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and out[0].endswith(f"your work is saved in {work_dir}.")
    monkeypatch.setenv("BINDER_REQUEST", "v2/gh/strategic-procurement/workbook/v1.0")
    checkup.doctor()
    assert capsys.readouterr().out.strip().splitlines()[1].startswith("On Binder: your work vanishes")


def test_doctor_reports_work_that_cannot_be_saved(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv("SPW_WORK_DIR", str(blocker / "work"))
    problems = checkup.problems()
    assert any("your work cannot be saved in" in p and "SPW_WORK_DIR" in p for p in problems)


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX permissions")
def test_doctor_reports_a_work_folder_without_write_permission(tmp_path, monkeypatch):
    folder = tmp_path / "work"
    folder.mkdir()
    monkeypatch.setenv("SPW_WORK_DIR", str(folder))
    monkeypatch.setattr(
        checkup.tempfile, "mkstemp", lambda **_: (_ for _ in ()).throw(PermissionError(13, "Permission denied"))
    )
    assert checkup.work_problem() == (
        f"your work cannot be saved in {folder} (Permission denied): {checkup.FIX_WRITABLE}"
    )


def test_lab_installs_the_course_settings_or_points_at_them(tmp_path, monkeypatch):
    from helpers.learning import cli

    root = tmp_path / "course"
    (root / "jupyter-settings").mkdir(parents=True)
    (root / "jupyter-settings" / "overrides.json").write_text("{}", encoding="utf-8")
    monkeypatch.setattr(cli.sys, "prefix", str(tmp_path / "venv"))
    assert cli._lab_settings(root) is None
    assert (tmp_path / "venv" / "share" / "jupyter" / "lab" / "settings" / "overrides.json").is_file()
    assert cli._lab_settings(root) is None  # already there: left alone
    blocked = tmp_path / "read-only-venv"
    blocked.write_text("not a folder")  # mkdir under it fails, as in a shared read-only environment
    monkeypatch.setattr(cli.sys, "prefix", str(blocked))
    assert cli._lab_settings(root) == root / "jupyter-settings"
