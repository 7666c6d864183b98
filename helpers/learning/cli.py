"""Commands for learners, trainers and maintainers.

`answer-key`, `course-map` and `agenda` (trainers, maintainers); `my-work export|import|where|forget` (a learner's
work as one archive); `lab` (start JupyterLab without `make`, e.g. on Windows); `hub-link` (the
nbgitpuller link that pulls the course into each learner's home on a JupyterHub).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote, urlencode

from helpers.core.errors import LearnerError
from helpers.core.paths import REASONS, course_dir, course_root, work_location
from helpers.core.safety import atomic_write_text
from helpers.learning.agenda import agenda, formats, write_agendas
from helpers.learning.answer_key import answer_key_markdown, answer_key_text
from helpers.learning.app import register_app
from helpers.learning.competence_cli import register as register_competences
from helpers.learning.course import syllabus_block, update_syllabus
from helpers.learning.my_work import FORGET_CONFIRMATION, export_my_work, forget_everything, import_my_work

START_NOTEBOOK = "notebooks/00_start_here.ipynb"


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `answer-key`, `course-map`, `my-work`, `lab` and `hub-link` commands."""
    key = subparsers.add_parser(
        "answer-key",
        help="print the self-check answers (for trainers)",
        description="Print every self-check question with its correct answer and explanation, "
        "read from course/quizzes/ now (computed answers are computed on the course data).",
    )
    key.add_argument(
        "--module", action="append", metavar="NN", help="only this module's questions (may be given more than once)"
    )
    key.add_argument("--markdown", action="store_true", help="print Markdown instead of plain text")
    key.set_defaults(func=run_answer_key)

    course_map = subparsers.add_parser(
        "course-map",
        help="print the module table from course/course.yml, or update the syllabus",
        description="Print the module table generated from course/course.yml; with --update, rewrite the "
        "generated block of course/syllabus.md.",
    )
    course_map.add_argument("--update", action="store_true", help="rewrite the table in course/syllabus.md")
    course_map.set_defaults(func=run_course_map)
    _register_my_work(subparsers)
    _register_lab(subparsers)
    _register_hub_link(subparsers)

    plan = subparsers.add_parser(
        "agenda",
        help="print a session agenda (90 min, 3 h, one day, two days, four weeks) for trainers",
        description="Print the agenda of a session format from course/formats.yml, timed from the section "
        "minutes in course/course.yml: the longest format that fits in --minutes, or --format.",
    )
    plan.add_argument("--minutes", type=int, help="the time you have, in minutes (e.g. 180)")
    plan.add_argument(
        "--format",
        dest="format_id",
        help="a format id: " + ", ".join(["taster-90", "workshop-180", "one-day", "two-day", "cohort-4-weeks"]),
    )
    plan.add_argument("--start", help="start time HH:MM (default: the format's own)")
    plan.add_argument("--list", action="store_true", help="list the formats")
    plan.add_argument(
        "--write", action="store_true", help="write every agenda to course/agendas/ (for the trainer guide)"
    )
    plan.set_defaults(func=run_agenda)

    register_app(subparsers)
    register_competences(subparsers)


def run_answer_key(args: argparse.Namespace) -> int:
    """Print the key; exit status 0."""
    text = (answer_key_markdown if args.markdown else answer_key_text)(args.module)
    print(text, end="")
    return 0


def run_course_map(args: argparse.Namespace) -> int:
    """Print the generated block, or write it into the syllabus."""
    if not args.update:
        print(syllabus_block())
        return 0
    path = course_dir() / "syllabus.md"
    atomic_write_text(path, update_syllabus(path.read_text(encoding="utf-8")))
    print(f"updated {path}")
    return 0


def run_agenda(args: argparse.Namespace) -> int:
    """Print one agenda, or the list of formats."""
    if args.write:
        for path in write_agendas():
            print(f"wrote {path}")
        return 0
    if args.list or (args.minutes is None and not args.format_id):
        for f in formats():
            print(f"{f.id:16} {f.minutes:4} min  {f.title}")
        return 0
    print(agenda(args.minutes, format_id=args.format_id, start=args.start).to_markdown(), end="")
    return 0


# -- my-work ----------------------------------------------------------------------------------------
def _register_my_work(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "my-work",
        help="download, restore or remove your work (progress, drafts, analyses, exports)",
        description="Your course work as one archive: take it from Binder or a laptop and bring it back "
        "elsewhere; restoring never overwrites newer work.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True
    export = actions.add_parser("export", help="write your work to one .zip archive")
    export.add_argument("file", metavar="FILE.zip")
    export.add_argument("--with-uploads", action="store_true", help="include uploads and your files in my_data")
    export.set_defaults(func=run_my_work_export)
    restore = actions.add_parser("import", help="restore an archive made by `export` (merges, keeps newer work)")
    restore.add_argument("file", metavar="FILE.zip")
    restore.set_defaults(func=run_my_work_import)
    where = actions.add_parser("where", help="print where your work is saved on this machine, and why")
    where.set_defaults(func=run_my_work_where)
    forget = actions.add_parser("forget", help="remove your work from this machine (a shared computer)")
    forget.add_argument("--yes", action="store_true", help="confirm: remove it (export it first to keep a copy)")
    forget.set_defaults(func=run_my_work_forget)


def run_my_work_export(args: argparse.Namespace) -> int:
    path = export_my_work(args.file, include_uploads=args.with_uploads)
    print(f"saved your work to {path} ({path.stat().st_size:,} bytes)")
    return 0


def run_my_work_import(args: argparse.Namespace) -> int:
    print(import_my_work(args.file).text())
    return 0


def run_my_work_where(args: argparse.Namespace) -> int:
    choice = work_location()
    print(f"{choice.path} ({REASONS[choice.reason]})")
    return 0


def run_my_work_forget(args: argparse.Namespace) -> int:
    if not args.yes:
        raise LearnerError(
            "nothing was removed",
            fix="Add --yes to remove your work from this machine "
            "(run `python -m helpers my-work export FILE.zip` first to keep a copy)",
        )
    print(forget_everything(FORGET_CONFIRMATION).text())
    return 0


# -- lab ----------------------------------------------------------------------------------------------
def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def lab_command(
    root: Path,
    *,
    port: int = 8888,
    open_browser: bool = True,
    as_root: bool = False,
    notebook: str = START_NOTEBOOK,
    settings_dir: Path | None = None,
) -> list[str]:
    """The JupyterLab command `python -m helpers lab` runs (from `root`): 127.0.0.1 only."""
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        f"--ServerApp.root_dir={root}",
    ]
    if as_root:
        command.append("--allow-root")  # JupyterLab refuses to run as root without it
    if not open_browser:
        command.append("--no-browser")
    if settings_dir is not None:
        command.append(f"--LabApp.app_settings_dir={settings_dir}")
    return [*command, notebook]


def _lab_settings(root: Path) -> Path | None:
    """Install the course's JupyterLab settings as `make lab` does; else the folder to point JupyterLab at."""
    shipped = root / "jupyter-settings" / "overrides.json"
    installed = Path(sys.prefix, "share", "jupyter", "lab", "settings", "overrides.json")
    if installed.is_file() or not shipped.is_file():
        return None
    try:
        installed.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shipped, installed)
        return None
    except OSError:  # a shared, read-only environment: use the course's folder for this run
        return shipped.parent


def _register_lab(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "lab",
        help="open the course in JupyterLab (no `make` needed; Windows, macOS, Linux)",
        description="Generate the course data if missing, then start JupyterLab on 127.0.0.1 at the "
        "start-here notebook. Run it from the course folder (or below it).",
    )
    parser.add_argument("--port", type=int, default=8888, help="port to listen on (default 8888)")
    parser.add_argument("--no-browser", action="store_true", help="do not open a browser")
    parser.add_argument("--dry-run", action="store_true", help="print the command instead of running it")
    parser.set_defaults(func=run_lab)


def run_lab(args: argparse.Namespace) -> int:
    root = course_root()
    if root is None:
        raise LearnerError(
            f"no course folder was found from {Path.cwd()} upwards",
            fix="Change to the folder you cloned or unzipped the course into (it holds "
            "course/course.yml), then run `python -m helpers lab` again",
        )
    if args.dry_run:
        print(" ".join(lab_command(root, port=args.port, open_browser=not args.no_browser, as_root=_is_root())))
        return 0
    env = {**os.environ, "SPW_ROOT": str(root)}
    made = subprocess.run([sys.executable, "-m", "helpers", "generate-data", "--if-missing"], cwd=root, env=env)
    if made.returncode:
        return made.returncode
    command = lab_command(
        root, port=args.port, open_browser=not args.no_browser, as_root=_is_root(), settings_dir=_lab_settings(root)
    )
    try:
        return subprocess.call(command, cwd=root)
    except KeyboardInterrupt:  # Ctrl-C reaches JupyterLab too; it shuts down by itself
        return 0


# -- hub-link -------------------------------------------------------------------------------------------
def repo_folder(repo: str) -> str:
    """The folder nbgitpuller clones `repo` into: its last path part without `.git`."""
    name = repo.rstrip("/").split("/")[-1]
    return name[:-4] if name.endswith(".git") else name


def nbgitpuller_link(
    repo: str,
    *,
    branch: str | None = None,
    notebook: str = START_NOTEBOOK,
    hub: str = "",
    targetpath: str | None = None,
    app: str = "lab",
) -> str:
    """The nbgitpuller link that clones (first visit) or updates (later visits) `repo` and opens `notebook`.

    Each learner who follows it gets their own copy in their home folder on the hub; nbgitpuller's
    merge keeps their changes. `targetpath` is always given, so the folder is the same whatever the
    repository URL ends with.
    """
    if not repo.strip():
        raise LearnerError("hub-link needs a repository URL", fix="Give --repo https://github.com/OWNER/NAME")
    if app not in ("lab", "notebook"):
        raise LearnerError(f"unknown app {app!r}", fix="Use --app lab or --app notebook")
    folder = targetpath or repo_folder(repo)
    opened = f"{folder}/{notebook.lstrip('/')}"
    params = {"repo": repo}
    if branch:
        params["branch"] = branch
    params["targetpath"] = folder
    params["urlpath"] = f"lab/tree/{opened}" if app == "lab" else f"tree/{opened}"
    return f"{hub.rstrip('/')}/hub/user-redirect/git-pull?{urlencode(params, quote_via=quote, safe='')}"


def _register_hub_link(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "hub-link",
        help="print the nbgitpuller link that puts the course in each learner's hub home",
        description="Print the link to give learners on a JupyterHub with nbgitpuller: it clones the course "
        "into their home on the first click, updates it on later clicks, and opens the notebook.",
    )
    parser.add_argument("--repo", required=True, help="the course repository, e.g. https://github.com/OWNER/NAME")
    parser.add_argument("--branch", help="branch or tag (default: the repository's default branch)")
    parser.add_argument("--notebook", default=START_NOTEBOOK, help=f"notebook to open (default {START_NOTEBOOK})")
    parser.add_argument(
        "--hub",
        default="",
        help="the hub's address, e.g. https://hub.example.org (without it the link starts at /hub/…)",
    )
    parser.add_argument("--targetpath", help="folder name in each home (default: the repository's name)")
    parser.add_argument("--app", default="lab", choices=("lab", "notebook"), help="open in JupyterLab (default)")
    parser.set_defaults(func=run_hub_link)


def run_hub_link(args: argparse.Namespace) -> int:
    print(
        nbgitpuller_link(
            args.repo,
            branch=args.branch,
            notebook=args.notebook,
            hub=args.hub,
            targetpath=args.targetpath,
            app=args.app,
        )
    )
    return 0
