"""The work-folder rules: right on a laptop, in a hub image, with a read-only install, on Windows."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path, PurePosixPath, PureWindowsPath

import pytest

from helpers.core import paths
from helpers.core.errors import LearnerError

REPO = Path(__file__).resolve().parents[3]


def make_course(folder: Path) -> Path:
    """A minimal course folder: the marker file and a notebooks/ folder."""
    (folder / "course").mkdir(parents=True, exist_ok=True)
    (folder / "course" / "course.yml").write_text("modules: []\n", encoding="utf-8")
    (folder / "notebooks").mkdir(exist_ok=True)
    return folder


@pytest.fixture()
def clean_env(monkeypatch, tmp_path):
    """No SPW_* variables, a private user data folder, and a fresh 'resolved once' memory."""
    for name in ("SPW_WORK_DIR", "SPW_ROOT", "SPW_HOSTING"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(paths, "_RESOLVED", {})
    data = tmp_path / "user-data"
    monkeypatch.setattr(paths, "user_data_dir", lambda: data)
    return data


# -- pure rules ---------------------------------------------------------------------------------------
def test_user_paths_posix():
    cwd, home = PurePosixPath("/srv/course/notebooks"), PurePosixPath("/home/ana")
    assert paths.resolve_user_path("~", cwd=cwd, home=home) == home
    assert paths.resolve_user_path("~/spw work", cwd=cwd, home=home) == PurePosixPath("/home/ana/spw work")
    assert paths.resolve_user_path("my_work", cwd=cwd, home=home) == PurePosixPath("/srv/course/notebooks/my_work")
    assert paths.resolve_user_path("../my_work", cwd=cwd, home=home) == PurePosixPath("/srv/course/my_work")
    assert paths.resolve_user_path(" /data/w/ ", cwd=cwd, home=home) == PurePosixPath("/data/w")


def test_user_paths_windows():
    cwd = PureWindowsPath(r"C:\Users\Ana\Course\notebooks")
    home = PureWindowsPath(r"C:\Users\Ana")
    resolve = paths.resolve_user_path
    assert resolve("~", cwd=cwd, home=home) == home
    assert resolve(r"~\spw", cwd=cwd, home=home) == PureWindowsPath(r"C:\Users\Ana\spw")
    assert resolve("~/spw", cwd=cwd, home=home) == PureWindowsPath(r"C:\Users\Ana\spw")
    assert resolve(r"work\..\w2", cwd=cwd, home=home) == PureWindowsPath(r"C:\Users\Ana\Course\notebooks\w2")
    assert resolve(r"..\my_work", cwd=cwd, home=home) == PureWindowsPath(r"C:\Users\Ana\Course\my_work")
    assert resolve(r"D:\Training\work", cwd=cwd, home=home) == PureWindowsPath(r"D:\Training\work")
    assert resolve(r"\Training", cwd=cwd, home=home) == PureWindowsPath(r"C:\Training")
    assert resolve(r"\\council-nas\home\ana\spw", cwd=cwd, home=home) == PureWindowsPath(r"\\council-nas\home\ana\spw")
    assert resolve("D:/Training/work", cwd=cwd, home=home) == PureWindowsPath(r"D:\Training\work")


def test_course_root_is_found_upwards_with_windows_paths():
    course = PureWindowsPath(r"C:\Users\Ana\Course")
    is_course = {course}.__contains__
    assert paths.find_course_root(course / "notebooks", is_course) == course
    assert paths.find_course_root(course / "notebooks" / "deep" / "er", is_course) == course
    assert paths.find_course_root(PureWindowsPath(r"C:\Users\Ana\Documents"), is_course) is None


def test_work_folder_rules_in_order():
    cwd, home = PureWindowsPath(r"C:\Users\Ana\Course\notebooks"), PureWindowsPath(r"C:\Users\Ana")
    data = PureWindowsPath(r"C:\Users\Ana\AppData\Local\strategic-procurement-workbook")
    root = PureWindowsPath(r"C:\Users\Ana\Course")
    facts = dict(cwd=cwd, home=home, data_dir=data)
    chosen = paths.choose_work_dir(r"~\spw", course_root=root, usable=lambda _: True, **facts)
    assert (chosen.path, chosen.reason) == (PureWindowsPath(r"C:\Users\Ana\spw"), "SPW_WORK_DIR")
    chosen = paths.choose_work_dir("", course_root=root, usable=lambda _: True, **facts)
    assert (chosen.path, chosen.reason) == (root / "my_work", "course folder")
    chosen = paths.choose_work_dir(None, course_root=root, usable=lambda _: False, **facts)
    assert (chosen.path, chosen.reason) == (data / "my_work", "user data folder")
    chosen = paths.choose_work_dir(None, course_root=None, usable=lambda _: True, **facts)
    assert (chosen.path, chosen.reason) == (data / "my_work", "no course folder")
    assert set(paths.REASONS) == {"SPW_WORK_DIR", "course folder", "user data folder", "no course folder"}


# -- this machine ------------------------------------------------------------------------------------
def test_course_folder_is_found_from_the_notebook_folder(clean_env, tmp_path, monkeypatch):
    course = make_course(tmp_path / "home" / "ana" / "workbook")
    monkeypatch.chdir(course / "notebooks")
    assert paths.course_root() == course
    assert paths.my_work_dir() == course / "my_work"
    assert paths.work_location().reason == "course folder"
    assert paths.my_data_dir() == course / "my_data"
    assert paths.exports_dir() == course / "my_work" / "exports" and paths.exports_dir().is_dir()


def test_spw_root_wins_over_the_current_folder(clean_env, tmp_path, monkeypatch):
    here, there = make_course(tmp_path / "here"), make_course(tmp_path / "there")
    monkeypatch.chdir(here / "notebooks")
    monkeypatch.setenv("SPW_ROOT", str(there))
    assert paths.course_root() == there
    assert paths.my_work_dir() == there / "my_work"


def test_without_a_course_folder_work_goes_to_the_user_data_folder(clean_env, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(paths, "PACKAGE_DIR", tmp_path / "site-packages" / "helpers")
    assert paths.course_root() is None
    assert paths.my_work_dir() == clean_env / "my_work"
    assert paths.work_location().reason == "no course folder"
    with pytest.raises(LearnerError, match="course data folder was not found"):
        paths.datasets_dir()


def test_read_only_course_folder_uses_the_user_data_folder(clean_env, tmp_path, monkeypatch):
    course = make_course(tmp_path / "srv" / "course")
    monkeypatch.chdir(course / "notebooks")
    monkeypatch.setattr(paths, "can_write", lambda folder: not str(folder).startswith(str(course)))
    assert paths.my_work_dir() == clean_env / "my_work"
    assert paths.work_location().reason == "user data folder"
    assert paths.my_data_dir() == clean_env / "my_work" / "my_data"
    assert not (course / "my_work").exists()


def test_a_course_folder_owned_by_someone_else_is_not_used(clean_env, tmp_path, monkeypatch):
    if not hasattr(os, "geteuid"):
        pytest.skip("ownership is a POSIX rule")
    course = make_course(tmp_path / "shared")
    monkeypatch.chdir(course)
    monkeypatch.setattr(os, "geteuid", lambda: os.stat(course).st_uid + 1)
    assert paths.work_location().reason == "user data folder"


def test_tilde_and_relative_spw_work_dir(clean_env, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("SPW_WORK_DIR", "~/spw-work")
    assert paths.my_work_dir() == tmp_path / "home" / "spw-work"
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir(), second.mkdir()
    monkeypatch.setenv("SPW_WORK_DIR", "relative-work")
    monkeypatch.chdir(first)
    assert paths.my_work_dir() == first / "relative-work"
    monkeypatch.chdir(second)  # a notebook that changes folder does not move the work folder
    assert paths.my_work_dir() == first / "relative-work"
    assert paths.work_location().reason == "SPW_WORK_DIR"


def test_an_unwritable_work_folder_is_a_learner_error(clean_env, tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv("SPW_WORK_DIR", str(blocker / "work"))
    with pytest.raises(LearnerError, match="cannot be saved") as info:
        paths.my_work_dir()
    assert "SPW_WORK_DIR" in str(info.value)


def test_binder_and_hub_detection():
    assert paths.on_binder({"BINDER_REQUEST": "v2/gh/org/repo/v1.0"})
    assert paths.on_binder({"BINDER_SERVICE_HOST": "10.0.0.1"})
    assert not paths.on_binder({"JUPYTERHUB_USER": "ana"})
    assert paths.on_binder({"SPW_HOSTING": "binder"}) and not paths.on_binder(
        {"SPW_HOSTING": "local", "BINDER_REQUEST": "x"}
    )
    assert paths.on_jupyterhub({"JUPYTERHUB_SERVICE_PREFIX": "/user/ana/"}) and not paths.on_jupyterhub({})


# -- a non-editable, read-only install (subprocesses: the real import machinery) -----------------------
PROBE = """
import json, sys
from helpers.core import paths
from helpers.learning.progress import store
s = store(); s.save_settings("probe", {"ok": True})
print(json.dumps({"root": str(paths.course_root()), "work": str(paths.my_work_dir()),
                  "reason": paths.work_location().reason, "progress": str(s.path),
                  "package": str(paths.PACKAGE_DIR)}))
"""


def _installed_copy(site: Path) -> Path:
    """The helpers package copied as a plain (non-editable) install would put it."""
    shutil.copytree(REPO / "helpers", site / "helpers", ignore=shutil.ignore_patterns("__pycache__"))
    return site


def _probe(cwd: Path, site: Path, data_home: Path, user: int | None = None) -> dict:
    import json

    env = {k: v for k, v in os.environ.items() if not k.startswith("SPW_") and k != "PYTHONPATH"}
    env.update(
        {
            "PYTHONPATH": str(site),
            "XDG_DATA_HOME": str(data_home),
            "HOME": str(data_home),
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    # setpriv (util-linux) switches user; Python's own setuid would also lose the right to reach the
    # interpreter under /root, which this machine's venv links to.
    prefix = [] if user is None else ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups"]
    result = subprocess.run(
        [*prefix, sys.executable, "-c", PROBE], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_non_editable_install_finds_the_clone_and_never_writes_beside_the_package(tmp_path):
    site = _installed_copy(tmp_path / "site-packages")
    clone = make_course(tmp_path / "home" / "ana" / "workbook")
    found = _probe(clone / "notebooks", site, tmp_path / "xdg")
    assert found["package"] == str(site / "helpers")
    assert found["root"] == str(clone) and found["work"] == str(clone / "my_work")
    assert Path(found["progress"]).is_file()
    # Started outside any course folder: the user's data folder, never site-packages.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    found = _probe(elsewhere, site, tmp_path / "xdg")
    assert found["root"] == "None" and found["reason"] == "no course folder"
    assert found["work"].startswith(str(tmp_path / "xdg")) and str(site) not in found["work"]
    assert not any(p.name in {"my_work", "progress.json"} for p in site.rglob("*"))


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0 or not shutil.which("setpriv"),
    reason="needs root and setpriv to act as another user",
)
def test_read_only_install_and_course_folder_as_another_user():
    """A hub image: package and course folder belong to root; the learner (nobody) saves in their data folder."""
    base = Path(tempfile.mkdtemp(prefix="spw-readonly-"))
    try:
        os.chmod(base, 0o755)
        site = _installed_copy(base / "site-packages")
        course = make_course(base / "srv" / "course")
        learner_home = base / "home"
        learner_home.mkdir()
        os.chown(learner_home, 65534, 65534)
        for folder in (base, site, course):
            for path in [folder, *folder.rglob("*")]:
                os.chmod(path, 0o755 if path.is_dir() else 0o644)
        found = _probe(course / "notebooks", site, learner_home, user=65534)
        assert found["root"] == str(course) and found["reason"] == "user data folder"
        assert found["work"] == str(learner_home / paths.APP_NAME / "my_work")
        assert Path(found["progress"]).is_file()
        assert not (course / "my_work").exists()
        assert stat.S_IMODE(os.stat(course).st_mode) == 0o755
    finally:
        shutil.rmtree(base, ignore_errors=True)


def test_a_deleted_current_folder_is_not_an_error(clean_env, tmp_path, monkeypatch):
    gone = tmp_path / "papermill-run"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()
    monkeypatch.setattr(paths, "PACKAGE_DIR", tmp_path / "site-packages" / "helpers")
    assert paths.course_root() is None
    assert paths.work_location().reason == "no course folder"
