"""`doctor()`: the first code cell of every notebook.

Checks the set-up a lesson depends on, including that work can be saved (and
says where), and prints one short OK line, or one precise fix per problem. On
Binder it adds one line: work vanishes with the session, so download it. It
never raises, so a lesson can always start.
"""

from __future__ import annotations

import os
import sys
import tempfile
from importlib import metadata
from pathlib import Path

from helpers.core.errors import LearnerError
from helpers.core.paths import FIX_WRITABLE, datasets_dir, my_work_dir, on_binder, repo_root
from helpers.ui.display import has_widget_frontend
from helpers.ui.page import show_page_setup

FIX_INSTALL = (
    "run `make lab` from the repository root (it installs the pinned versions; without make: "
    "`python -m pip install -r requirements.lock -e .`, then `python -m helpers lab`)"
)
BINDER_LINE = (
    "On Binder: your work vanishes when this session ends. Download it before you leave "
    "(start-here page, “Your work”) and restore it next time."
)
KEY_PACKAGES = ("pandas", "plotly", "ipywidgets", "anywidget", "jupyterlab_widgets", "nbformat")


def pinned_versions(lock: Path | None = None) -> dict[str, str]:
    """Package → version from `requirements.lock` (names normalised to lower case, `_` → `-`)."""
    path = lock or repo_root() / "requirements.lock"
    pins: dict[str, str] = {}
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.split("#", 1)[0].strip()
            if "==" in line:
                name, version = line.split("==", 1)
                pins[name.strip().lower().replace("_", "-")] = version.strip()
    return pins


def problems() -> list[str]:
    """Everything that would stop the course working, each with its fix."""
    found: list[str] = []
    if sys.version_info[:2] != (3, 11):
        found.append(
            f"Python {sys.version_info.major}.{sys.version_info.minor} is running; the course "
            f"needs Python 3.11: {FIX_INSTALL}, then choose the kernel of .venv"
        )
    pins = pinned_versions()
    for name in KEY_PACKAGES:
        key = name.lower().replace("_", "-")
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            found.append(f"{name} is not installed: {FIX_INSTALL}")
            continue
        if key in pins and pins[key] != installed:
            found.append(f"{name} {installed} is installed but the course pins {pins[key]}: {FIX_INSTALL}")
    try:
        if int(metadata.version("ipywidgets").split(".")[0]) != 8:
            found.append(f"widgets need ipywidgets 8: {FIX_INSTALL}")
    except metadata.PackageNotFoundError:
        pass
    try:
        datasets_dir()
    except Exception as exc:  # noqa: BLE001 - report, never raise
        found.append(str(exc))
    problem = work_problem()
    if problem:
        found.append(problem)
    return found


def work_problem() -> str:
    """ "" when a file can be saved in the work folder (tried for real), else what is wrong and the fix."""
    try:
        folder = my_work_dir()
    except LearnerError as exc:
        return str(exc)
    try:
        fd, probe = tempfile.mkstemp(prefix=".spw-doctor-", dir=folder)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        return f"your work cannot be saved in {folder} ({exc.strerror or exc}): {FIX_WRITABLE}"
    return ""


def doctor(verbose: bool = False) -> bool:
    """Print "OK …" or the fixes; return True when everything is in order. Also sets up the page (the
    course's styles and accessibility fixes, `helpers.ui.page`)."""
    show_page_setup()
    issues = problems()
    if not issues:
        mode = "widgets on" if has_widget_frontend() else "no widget front end: tools show static views"
        print(
            f"OK: Python {sys.version.split()[0]}, pandas {metadata.version('pandas')}, "
            f"plotly {metadata.version('plotly')}, course data found ({mode}); your work is saved in "
            f"{my_work_dir()}."
        )
        if on_binder():
            print(BINDER_LINE)
        return True
    print("Set-up problems:")
    for issue in issues:
        print(f"  - {issue}")
    return False
