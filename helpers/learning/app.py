"""App mode: the same lesson notebooks served by Voilà, with the lesson text and live tools and no code.

`python -m helpers app` (or `make app`) starts Voilà on the repository on 127.0.0.1 and opens the
course menu (`app/course_menu.ipynb`, which shows `course_menu()`); each module opens from there at
`voila/render/notebooks/NN_name.ipynb`. Nothing is copied: Voilà runs the notebooks in `notebooks/`.

Voilà's settings are in `voila.json` at the repository root (read by Voilà from the folder it starts
in, on its own and as a server extension on Binder or a hub): which JupyterLab extensions its page
loads, and the cell tags it leaves out of the app (the "how to run" line and the trainer's notes,
which are for JupyterLab and slides). The kernels Voilà starts have its `VOILA_*` environment, which
`helpers.ui.display` reads as "a widget front end is attached"; the launcher also sets
`SPW_DISPLAY=widgets` for them.

`python -m helpers slides 06` serves one module as live slides: Voilà's reveal.js template (the
course's `spw-slides` template, whose reveal.js CSS is served locally, so it works offline) uses the
notebook's slide metadata; the tools stay live and the trainer's notes become speaker notes (press S).
jupyterlab-rise presents the same notebook inside JupyterLab, but it cannot draw ipywidgets 8 widgets
(jupyterlab-contrib/rise#119), so the tools need these Voilà slides.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import webbrowser
from urllib.parse import quote

from IPython.display import HTML, display

from helpers.core.errors import LearnerError
from helpers.core.paths import repo_root
from helpers.core.safety import escape_html
from helpers.learning.course import Module, course_modules
from helpers.ui.theme import TEXT

MENU_NOTEBOOK = "app/course_menu.ipynb"
SLIDES_TEMPLATE = "spw-slides"  # jupyter-settings/voila/templates/: Voilà's reveal.js slides, CSS served locally
SLIDES_CONFIG = "jupyter-settings/slides"  # its voila.json: that template, the local CSS, the speaker notes kept
DEFAULT_PORT = 8866
BINDER_REPOSITORY = "strategic-procurement/workbook"
# Cell tags Voilà leaves out of the app (voila.json and the server configuration written by postBuild).
APP_HIDDEN_TAGS = ("spw-how-to-run", "spw-trainer-notes")


def module_app_path(m: Module) -> str:
    """The path of a module's app below the server's base URL."""
    return f"voila/render/notebooks/{quote(m.notebook)}.ipynb"


def menu_app_path() -> str:
    return f"voila/render/{MENU_NOTEBOOK}"


def binder_url(repository: str = BINDER_REPOSITORY, ref: str = "HEAD", path: str | None = None) -> str:
    """A mybinder.org link that opens the course menu (or `path`, e.g. a module's app) in app mode."""
    target = path or menu_app_path()
    return f"https://mybinder.org/v2/gh/{repository}/{ref}?urlpath={quote(target, safe='')}"


def hub_url(hub: str, user: str, path: str | None = None) -> str:
    """The app-mode URL of a course copy on a JupyterHub (the course in the user's home folder)."""
    return f"{hub.rstrip('/')}/user/{quote(user)}/{path or menu_app_path()}"


def menu_html() -> str:
    """The course menu: every module with its stage of the cycle, its time and a link to its app."""
    rows = []
    for m in course_modules():
        label = m.title if not m.stage else f"Module {int(m.number)}: {m.title}"
        href = "../notebooks/" + quote(m.notebook) + ".ipynb"
        rows.append(
            '<li class="spw-menu-item" style="margin:0 0 10px 0;padding:8px 12px;border:1px solid #d0d7de;'
            'border-radius:6px;list-style:none">'
            f'<a href="{escape_html(href)}" style="font-size:1.1em;font-weight:600">'
            f"{escape_html(label)}</a>"
            f'<div style="color:{TEXT["muted"]}">{escape_html(m.cycle_stage)} · about {m.minutes} minutes</div></li>'
        )
    return (
        '<nav class="spw-course-menu" aria-label="Course modules">'
        "<p>Each module opens as an app, in a new tab: the lesson text and its tools, without any code. The "
        "tools start with the course city, Portavera; change a setting and the results update straight away. Your "
        "answers and drafts are saved as in JupyterLab.</p>"
        f'<ul style="padding:0">{"".join(rows)}</ul>'
        "<p>To see how a result is made, or to change it, open the same notebook in JupyterLab "
        "(<code>make lab</code>).</p></nav>"
    )


def course_menu() -> None:
    """Show the course menu (the cell of `app/course_menu.ipynb`)."""
    display(HTML(menu_html()))


def voila_command(port: int = DEFAULT_PORT, *, root: str | None = None) -> list[str]:
    """The command that serves the course in app mode on 127.0.0.1 (the browser is opened separately)."""
    return [
        sys.executable,
        "-m",
        "voila",
        str(root or repo_root()),
        "--no-browser",
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
    ]


def _prepend(path: str, value: str) -> str:
    return os.pathsep.join([path, *[p for p in value.split(os.pathsep) if p and p != path]])


def app_environment(base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for Voilà and its kernels: live widgets, this course's `helpers` first, and its
    Voilà template for slides (`jupyter-settings/voila/templates`) on the Jupyter data path."""
    env = dict(os.environ if base is None else base)
    env["SPW_DISPLAY"] = "widgets"
    root = repo_root()
    env["PYTHONPATH"] = _prepend(str(root), env.get("PYTHONPATH", ""))
    env["JUPYTER_PATH"] = _prepend(str(root / "jupyter-settings"), env.get("JUPYTER_PATH", ""))
    return env


def module_notebook(number: str) -> str:
    """The path (from the repository root) of module `number`'s notebook, e.g. "06"."""
    known = {m.number: m for m in course_modules()}
    key = str(number).zfill(2)
    if key not in known:
        raise LearnerError(f"the course has no module {number!r}", fix="Use a number from 00 to 07, e.g. 06")
    return known[key].path


def slides_command(number: str, port: int = DEFAULT_PORT) -> list[str]:
    """Voilà serving one module as reveal.js slides: the section headings start slides, the tools are live,
    no code is shown, and the trainer's notes are speaker notes (press S); only the how-to-run line is left out."""
    return [
        sys.executable,
        "-m",
        "voila",
        str(repo_root() / module_notebook(number)),
        "--no-browser",
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
        f"--Voila.config_file_paths={repo_root() / SLIDES_CONFIG}",
    ]


def _port_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def _open_when_ready(url: str, port: int, proc: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline and proc.poll() is None:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
        except OSError:
            time.sleep(0.5)
            continue
        webbrowser.open(url)
        return


def run_app(args: argparse.Namespace) -> int:
    """Start Voilà in the foreground (Ctrl+C stops it) and open the course menu in the browser."""
    url = f"http://127.0.0.1:{args.port}/{menu_app_path()}"
    note = f"App mode: the course menu is at {url}\n(each module opens as an app from there; Ctrl+C stops the server)"
    return _serve(voila_command(args.port), url, args, note)


def run_slides(args: argparse.Namespace) -> int:
    """Serve one module as live slides (Voilà + reveal.js) and open them in the browser."""
    command = slides_command(args.module, args.port)
    url = f"http://127.0.0.1:{args.port}/"
    note = (
        f"Slides of {module_notebook(args.module)} at {url}\n(arrow keys move between slides, S opens the speaker "
        "notes, F is full screen; Ctrl+C stops the server)"
    )
    return _serve(command, url, args, note)


def _serve(command: list[str], url: str, args: argparse.Namespace, note: str) -> int:
    if not _port_free(args.port):
        raise LearnerError(
            f"port {args.port} on 127.0.0.1 is already in use (is the app already running?)",
            fix="Open the address printed when it started, or choose another port: python -m helpers app --port 8867",
        )
    print(note)
    proc = subprocess.Popen(command, env=app_environment(), cwd=repo_root())
    if not args.no_browser:
        threading.Thread(target=_open_when_ready, args=(url, args.port, proc), daemon=True).start()

    def stop(*_: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)  # `kill` stops Voilà and its kernels too, never leaves them
    try:
        return proc.wait()
    except KeyboardInterrupt:
        _stop(proc)
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)


def _stop(proc: subprocess.Popen) -> None:
    """Stop Voilà (it shuts down its kernels on SIGTERM); kill it if it does not stop in 15 s."""
    if proc.poll() is None:
        proc.terminate()
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def register_app(subparsers: argparse._SubParsersAction) -> None:
    """Add the `app` and `slides` commands."""
    app = subparsers.add_parser(
        "app",
        help="open the course as apps (Voilà): the lessons and tools without code",
        description="Serve the course notebooks with Voilà on 127.0.0.1 and open the course menu: each module "
        "shows its lesson text and live tools, with no code cells.",
    )
    app.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"the port (default {DEFAULT_PORT})")
    app.add_argument("--no-browser", action="store_true", help="do not open a browser (print the address only)")
    app.set_defaults(func=run_app)

    slides = subparsers.add_parser(
        "slides",
        help="present one module as live slides (Voilà + reveal.js): tools live, no code, speaker notes",
        description="Serve one module's notebook as reveal.js slides on 127.0.0.1: each section is a slide, the "
        "tools are live widgets, no code is shown, and the trainer's notes are speaker notes (press S).",
    )
    slides.add_argument("module", help="the module number, e.g. 06")
    slides.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"the port (default {DEFAULT_PORT})")
    slides.add_argument("--no-browser", action="store_true", help="do not open a browser (print the address only)")
    slides.set_defaults(func=run_slides)
