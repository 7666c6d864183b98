"""Find the course's folders and the learner's work folder wherever a notebook runs.

The **course folder** holds `course/course.yml`, `datasets/` and `notebooks/`. It is:

1. `SPW_ROOT`, when set (an explicit choice by a trainer or a test);
2. else the kernel's current folder or the nearest folder above it that is a course folder: a notebook's
   kernel runs in the notebook's own folder, so a clone in the learner's home (as nbgitpuller makes,
   or Binder's copy of the repository) is found from the notebook itself;
3. else the folder holding the `helpers` package, when it is a course folder (an editable install,
   as `make lab` makes). A package installed into site-packages is never taken for the course folder.

The **work folder** (progress, drafts, saved analyses and mappings, uploads, exports) is:

1. `SPW_WORK_DIR`, when set: `~` and `$VARIABLES` are expanded, and a relative path is resolved once,
   against the folder the process was in when it first asked (a later `os.chdir` does not move it);
2. else `my_work/` inside the course folder, when the learner can write there and owns it;
3. else `my_work/` in the learner's own data folder (platformdirs: `~/.local/share/…` on Linux,
   `~/Library/Application Support/…` on macOS, `%LOCALAPPDATA%\\…` on Windows). So work is never
   saved next to a shared, read-only install, and two learners never share one progress file.

The rules are pure functions over `PurePath`s (`find_course_root`, `resolve_user_path`,
`choose_work_dir`), so they are tested with Windows-style paths too; the functions without arguments
apply them to this machine.
"""

from __future__ import annotations

import ntpath
import os
import posixpath
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePath, PureWindowsPath

import platformdirs

from helpers.core.errors import LearnerError

PACKAGE_DIR = Path(__file__).resolve().parents[1]  # helpers/, above core/
APP_NAME = "strategic-procurement-workbook"
COURSE_MARKER = ("course", "course.yml")  # a folder holding this file is a course folder
WORK_FOLDER = "my_work"
FIX_WRITABLE = "Set SPW_WORK_DIR to a folder you can write to (for example ~/spw_work), then restart the kernel"


# -- pure rules (tested with POSIX and Windows paths) --------------------------------------------
def find_course_root(start: PurePath, is_course: Callable[[PurePath], bool]) -> PurePath | None:
    """`start` or the nearest folder above it for which `is_course` is true, else None."""
    for folder in (start, *start.parents):
        if is_course(folder):
            return folder
    return None


def _flavour(path: PurePath):
    return ntpath if isinstance(path, PureWindowsPath) else posixpath


def resolve_user_path(raw: str, *, cwd: PurePath, home: PurePath) -> PurePath:
    """A path typed by a user, made absolute: `~` → `home`, relative → under `cwd`, `..` folded.

    `cwd` and `home` give the flavour: with `PureWindowsPath`s, `~\\work`, `D:\\work` and `work\\..\\w`
    are read the Windows way.
    """
    kind = type(cwd)
    text = str(raw).strip()
    module = _flavour(cwd)
    if text == "~" or text.startswith("~/") or (module is ntpath and text.startswith("~\\")):
        text = str(home) + text[1:]
    path = kind(text)
    if not path.is_absolute():
        # On Windows, "\\work" (rooted, no drive) or "D:work" (drive, not rooted) join cwd's way.
        path = cwd / path
    return kind(module.normpath(str(path)))


@dataclass(frozen=True)
class WorkChoice:
    """Where work is saved and why (`reason` is one of the `REASONS` keys)."""

    path: PurePath
    reason: str


REASONS = {
    "SPW_WORK_DIR": "set by SPW_WORK_DIR",
    "course folder": "inside your course folder",
    "user data folder": "in your own data folder, because the course folder cannot be written here",
    "no course folder": "in your own data folder, because no course folder was found",
}


def choose_work_dir(
    env_value: str | None,
    *,
    course_root: PurePath | None,
    usable: Callable[[PurePath], bool],
    data_dir: PurePath,
    cwd: PurePath,
    home: PurePath,
) -> WorkChoice:
    """Apply the work-folder rules (see the module docstring) to the given facts."""
    if env_value and env_value.strip():
        return WorkChoice(resolve_user_path(env_value, cwd=cwd, home=home), "SPW_WORK_DIR")
    if course_root is not None:
        if usable(course_root):
            return WorkChoice(course_root / WORK_FOLDER, "course folder")
        return WorkChoice(data_dir / WORK_FOLDER, "user data folder")
    return WorkChoice(data_dir / WORK_FOLDER, "no course folder")


# -- this machine ---------------------------------------------------------------------------------
def is_course_folder(folder: PurePath) -> bool:
    """True when `folder` holds `course/course.yml`."""
    return Path(folder, *COURSE_MARKER).is_file()


def _expand(raw: str) -> str:
    return os.path.expandvars(os.path.expanduser(raw.strip()))


def _cwd() -> Path | None:
    try:
        return Path.cwd()
    except OSError:  # the folder the kernel started in was deleted (a finished temporary run)
        return None


def course_root() -> Path | None:
    """The course folder (see the module docstring), or None when there is none."""
    override = os.environ.get("SPW_ROOT", "").strip()
    if override:
        return Path(_resolved_once(override))
    here = _cwd()
    found = find_course_root(here, is_course_folder) if here is not None else None
    if found is not None:
        return Path(found)
    if is_course_folder(PACKAGE_DIR.parent):
        return PACKAGE_DIR.parent
    return None


def repo_root() -> Path:
    """The course folder; when none is found, the folder holding `helpers/` (so errors name a place)."""
    return course_root() or PACKAGE_DIR.parent


_RESOLVED: dict[str, Path] = {}


def _resolved_once(raw: str) -> Path:
    """`raw` expanded and made absolute the first time it is seen; the same answer ever after."""
    if raw not in _RESOLVED:
        _RESOLVED[raw] = Path(resolve_user_path(_expand(raw), cwd=_cwd() or Path.home(), home=Path.home())).resolve()
    return _RESOLVED[raw]


def user_data_dir() -> Path:
    """The learner's own data folder for this course (platformdirs; not roaming on Windows)."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=False))


def can_write(folder: Path) -> bool:
    """True when a file can be created (and removed) in `folder`, or in the folder that would hold it."""
    target = folder
    while not target.exists() and target.parent != target:
        target = target.parent
    try:
        fd, probe = tempfile.mkstemp(prefix=".spw-write-test-", dir=target)
    except OSError:
        return False
    os.close(fd)
    try:
        os.unlink(probe)
    except OSError:
        pass
    return True


def _owned_by_me(folder: Path) -> bool:
    """On POSIX, True when this user owns `folder` (a shared folder another user owns is not ours)."""
    if not hasattr(os, "geteuid"):  # Windows: permissions say enough
        return True
    try:
        return folder.stat().st_uid == os.geteuid()
    except OSError:
        return False


def course_folder_usable(root: PurePath) -> bool:
    """True when work may be saved inside the course folder `root`: writable, and this user's own."""
    work = Path(root) / WORK_FOLDER
    where = work if work.is_dir() else Path(root)
    return can_write(where) and _owned_by_me(where)


def work_location() -> WorkChoice:
    """Where the learner's work goes on this machine, and why."""
    raw = os.environ.get("SPW_WORK_DIR", "")
    if raw.strip():
        return WorkChoice(_resolved_once(raw), "SPW_WORK_DIR")
    choice = choose_work_dir(
        None,
        course_root=course_root(),
        usable=course_folder_usable,
        data_dir=user_data_dir(),
        cwd=_cwd() or Path.home(),
        home=Path.home(),
    )
    return WorkChoice(Path(choice.path), choice.reason)


def _made(path: Path) -> Path:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise LearnerError(f"your work cannot be saved in {path} ({exc.strerror or exc})", fix=FIX_WRITABLE) from exc
    return path


def datasets_dir() -> Path:
    """The shipped `datasets/` folder, with a clear error if it is missing."""
    path = repo_root() / "datasets"
    if not (path / "datapackage.json").is_file():
        raise LearnerError(
            f"the course data folder was not found at {path}",
            fix="Run `make lab` (or `python -m helpers lab`) from the repository root, open the notebooks "
            "from inside the course folder, or set SPW_ROOT to the folder that holds datasets/",
        )
    return path


def course_dir() -> Path:
    """The `course/` folder (quizzes, criteria library, guides)."""
    return repo_root() / "course"


def my_data_dir() -> Path:
    """The learner's own files: `my_data/` in the course folder, or beside the work folder when that is read-only."""
    root = course_root()
    if root is not None and course_folder_usable(root):
        return root / "my_data"
    return Path(work_location().path) / "my_data"


def my_work_dir() -> Path:
    """Where learner work (progress, drafts, exports) is saved, made if missing (see the module docstring)."""
    return _made(Path(work_location().path))


def exports_dir() -> Path:
    """Where exported reports and documents go (inside the learner's work folder)."""
    return _made(my_work_dir() / "exports")


# -- where the course is running ----------------------------------------------------------------------
BINDER_VARIABLES = (
    "BINDER_SERVICE_HOST",
    "BINDER_REQUEST",
    "BINDER_REPO_URL",
    "BINDER_LAUNCH_HOST",
    "BINDER_PERSISTENT_REQUEST",
    "BINDER_REF_URL",
)


def on_binder(environ: dict | None = None) -> bool:
    """True on a Binder session (mybinder.org or any BinderHub); `SPW_HOSTING=binder|local` overrides."""
    env = os.environ if environ is None else environ
    forced = env.get("SPW_HOSTING", "").strip().lower()
    if forced:
        return forced == "binder"
    return any(env.get(name) for name in BINDER_VARIABLES)


def on_jupyterhub(environ: dict | None = None) -> bool:
    """True when a JupyterHub started this server (Binder is a JupyterHub too)."""
    env = os.environ if environ is None else environ
    return bool(env.get("JUPYTERHUB_USER") or env.get("JUPYTERHUB_SERVICE_PREFIX"))
