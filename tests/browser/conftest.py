"""A real JupyterLab in a real headless browser (Debian chromium driven by Playwright).

One JupyterLab server per test session, on loopback with a token; each test opens
a fresh copy of a notebook (a new kernel), and its session is deleted afterwards.
The server and the browser always shut down, even when a test fails. A screenshot
of every test's page is kept in test-artifacts/browser/.
Without chromium the tests skip on a developer's machine, and fail in CI.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

from tests.conftest import skip_or_fail

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("SPW_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = REPO / "test-artifacts" / "browser"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def chromium() -> Path:
    if not CHROMIUM.exists():
        skip_or_fail(f"chromium not found at {CHROMIUM} (apt-get install chromium)")
    return CHROMIUM


class Lab:
    def __init__(self, url: str, token: str, root: Path) -> None:
        self.url, self.token, self.root = url, token, root

    def api(self, path: str, method: str = "GET"):
        req = urllib.request.Request(
            f"{self.url}{path}", method=method, headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(req, timeout=10) as resp:
            body = resp.read()
            return json.loads(body) if body else None


def jupyterlab_command(port: int, token: str, root: Path, settings: Path, user: Path) -> list[str]:
    """JupyterLab on 127.0.0.1 as the browser tests run it: kernels over IPC (tests/kernels.py), the
    course's settings in `settings`, the user's settings and workspaces in `user`."""
    return [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        f"--port={port}",
        "--ServerApp.port_retries=0",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.token={token}",
        "--allow-root",
        "--KernelManager.transport=ipc",
        f"--ServerApp.root_dir={root}",
        f"--LabApp.app_settings_dir={settings}",
        f"--LabApp.user_settings_dir={user}",
        f"--LabApp.workspaces_dir={user}",
        "--LabApp.expose_app_in_browser=True",
        "--LabApp.news_url=",
    ]


def _wait_for(server: Lab, proc: subprocess.Popen, seconds: float = 60) -> bool:
    """True once the server answers; False if it exited first (e.g. its port was taken)."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            server.api("/api/status")
            return True
        except OSError:
            if proc.poll() is not None:
                return False
            time.sleep(0.3)
    proc.terminate()
    proc.wait(15)
    return False


@pytest.fixture(scope="session")
def lab(chromium, tmp_path_factory):
    base = tmp_path_factory.mktemp("lab")
    root, settings, user, work = (base / "root", base / "settings", base / "user", base / "work")
    for folder in (root, settings, user, work):
        folder.mkdir()
    overrides = json.loads((REPO / "jupyter-settings" / "overrides.json").read_text())
    overrides["@jupyterlab/docmanager-extension:plugin"] = {"autosave": False}
    (settings / "overrides.json").write_text(json.dumps(overrides))
    token = uuid.uuid4().hex
    env = {k: v for k, v in os.environ.items() if k != "SPW_DISPLAY"}
    env["SPW_WORK_DIR"] = str(work)
    log = open(base / "jupyterlab.log", "w")
    proc = None
    try:
        # A port found free can be taken by another test worker before the server binds it:
        # if the server exits at start, try again on a new port. Kernels use IPC (tests/kernels.py).
        for _attempt in range(3):
            port = _free_port()
            proc = subprocess.Popen(
                [*jupyterlab_command(port, token, root, settings, user), "--ServerApp.open_browser=False"],
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
                cwd=root,
            )
            server = Lab(f"http://127.0.0.1:{port}", token, root)
            if _wait_for(server, proc):
                break
        else:
            raise RuntimeError("JupyterLab did not start: see " + str(base / "jupyterlab.log"))
        server.work = work
        yield server
    finally:
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        log.close()


@pytest.fixture(scope="session")
def browser(chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS, headless=True)
        try:
            yield instance
        finally:
            instance.close()


class NotebookPage:
    """A notebook open in JupyterLab, with the few actions tests need."""

    def __init__(self, page, lab: Lab, name: str) -> None:
        self.page, self.lab, self.name = page, lab, name

    def wait_idle(self, timeout: float = 120) -> None:
        # the notebook of the current tab (a restored workspace could hold hidden others)
        self.page.wait_for_selector(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook", timeout=timeout * 1000)
        self.page.wait_for_function(
            """() => { const s = document.querySelector('.jp-Notebook-ExecutionIndicator, .jp-KernelStatus');
                       const t = document.title || '';
                       return !!window.jupyterapp && window.jupyterapp.shell.currentWidget &&
                              window.jupyterapp.shell.currentWidget.sessionContext &&
                              window.jupyterapp.shell.currentWidget.sessionContext.session &&
                              window.jupyterapp.shell.currentWidget.sessionContext.session.kernel &&
                              window.jupyterapp.shell.currentWidget.sessionContext.session.kernel
                                .status === 'idle'; }""",
            timeout=timeout * 1000,
        )

    def run_all(self, timeout: float = 240) -> None:
        """Run every cell and wait until the kernel is idle and no cell is queued or running."""
        self.wait_idle()
        self.page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
        self.page.wait_for_timeout(500)
        self.page.wait_for_function(
            """() => { const prompts = [...document.querySelectorAll('.jp-InputArea-prompt')];
                       const k = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
                       return k.status === 'idle' && !prompts.some(p => p.textContent.includes('*')); }""",
            timeout=timeout * 1000,
        )

    def wait_text(self, selector: str, text: str, timeout: int = 60_000) -> None:
        """Wait until the first element matching `selector` shows `text`."""
        self.page.wait_for_function(
            f"() => {{ const e = document.querySelector({selector!r}); return e && e.innerText.includes({text!r}); }}",
            timeout=timeout,
        )

    def errors(self) -> list[str]:
        return self.page.locator(
            ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
        ).all_inner_texts()

    def screenshot(self, label: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{label}.png"
        self.page.screenshot(path=str(path), full_page=False)
        return path


@pytest.fixture()
def open_notebook(lab, browser, request):
    """`open_notebook("03")` opens a fresh copy of notebooks/03_*.ipynb in JupyterLab."""
    opened: list[NotebookPage] = []
    contexts = []

    def opener(stem_prefix: str) -> NotebookPage:
        source = next((REPO / "notebooks").glob(f"{stem_prefix}_*.ipynb"))
        name = f"{source.stem}-{uuid.uuid4().hex[:6]}.ipynb"
        shutil.copy(source, lab.root / name)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        contexts.append(context)
        page = context.new_page()
        # ?reset: start from an empty workspace, so notebooks of earlier tests are not reopened
        page.goto(f"{lab.url}/lab/tree/{name}?reset&token={lab.token}", wait_until="domcontentloaded")
        nb = NotebookPage(page, lab, name)
        nb.wait_idle()
        opened.append(nb)
        return nb

    yield opener
    label = request.node.name.replace("/", "_").replace("[", "-").replace("]", "")
    for index, nb in enumerate(opened):
        try:
            nb.screenshot(label if index == 0 else f"{label}-{index}")
        except Exception:  # noqa: BLE001 - a failed screenshot must not hide the test result
            pass
        try:
            for session in lab.api("/api/sessions"):
                if session.get("path", "").endswith(nb.name):
                    lab.api(f"/api/sessions/{session['id']}", method="DELETE")
        except Exception:  # noqa: BLE001
            pass
    for context in contexts:
        context.close()


# --- App mode (Voilà) and accessibility (axe-core) -------------------------------------------------

APP_ARTIFACTS = REPO / "test-artifacts" / "app"
# What the course itself puts on the page. In JupyterLab: the rendered lesson text and the cells'
# outputs (JupyterLab's own menus, toolbars and side bars are not the course's, and are left out).
# In Voilà, everything inside #rendered_cells is the course's.
AXE_LAB_SCOPE = {"include": [[".jp-OutputArea-output"], [".jp-MarkdownCell .jp-RenderedMarkdown"]]}
AXE_APP_SCOPE = {"include": [["#rendered_cells"]]}
AXE_BLOCKING = ("serious", "critical")


def choose_file(page, button, path, tries: int = 3) -> None:
    """Click an upload button and give the file chooser `path`. ipywidgets' FileUpload keeps its
    <input type=file> out of the page, so the test answers the chooser; a click that lands while the tool
    redraws (under load) opens none, so it is clicked again, up to `tries` times."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for attempt in range(tries):
        try:
            with page.expect_file_chooser(timeout=20_000) as chooser:
                button.click()
            chooser.value.set_files(str(path))
            return
        except PlaywrightTimeout:
            if attempt == tries - 1:
                raise


def axe_violations(page, context: dict, impacts: tuple[str, ...] = AXE_BLOCKING) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations of `impacts` inside `context`, one readable line each."""
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}}
    results = Axe().run(page, context=context, options=options)
    found = []
    for violation in results.response["violations"]:
        if violation["impact"] in impacts:
            targets = "; ".join(" ".join(map(str, n["target"])) for n in violation["nodes"][:4])
            found.append(f"{violation['id']} ({violation['impact']}, {len(violation['nodes'])}×): {targets}")
    return found


class VoilaServer:
    def __init__(self, url: str, log: Path, work: Path) -> None:
        self.url, self.log, self.work = url, log, work

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


@pytest.fixture(scope="session")
def voila_app(chromium, tmp_path_factory):
    """The course served as `python -m helpers app` serves it (helpers.learning.app.voila_command, with
    the repository's voila.json), but without `SPW_DISPLAY`: the widgets must come from Voilà's own
    kernel environment, as they do on Binder or a hub where nothing sets that variable."""
    from helpers.learning.app import app_environment, voila_command

    base = tmp_path_factory.mktemp("voila")
    work = base / "work"
    work.mkdir()
    env = app_environment()
    env.pop("SPW_DISPLAY")
    env["SPW_WORK_DIR"] = str(work)
    log_path = base / "voila.log"
    log = open(log_path, "w")
    proc = None
    try:
        for _attempt in range(3):
            port = _free_port()
            proc = subprocess.Popen(
                [*voila_command(port), "--KernelManager.transport=ipc"],
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
                cwd=REPO,
            )
            deadline = time.time() + 90
            while time.time() < deadline and proc.poll() is None:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.5)
            if proc.poll() is None:
                break
        else:
            raise RuntimeError("Voilà did not start: see " + str(log_path))
        yield VoilaServer(f"http://127.0.0.1:{port}", log_path, work)
    finally:
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        log.close()


class AppPage:
    """A page of the course in app mode (Voilà), with the few checks tests need."""

    def __init__(self, page) -> None:
        self.page = page

    def wait_rendered(self, timeout: float = 300) -> None:
        """Until Voilà has run every cell and shown the page, and the widget manager has drawn widgets."""
        self.page.locator("#rendered_cells").wait_for(state="visible", timeout=timeout * 1000)

    def errors(self) -> list[str]:
        """Error outputs, stderr, and Voilà's stripped-error notices ("There was an error…")."""
        texts = self.page.locator(
            ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr'], "
            ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.error']"
        ).all_inner_texts()
        body = self.page.inner_text("#rendered_cells")
        for marker in ("Traceback", "There was an error when executing cell", "An exception occurred at the server"):
            if marker in body:
                texts.append(marker)
        return texts

    def code_visible(self) -> int:
        """Code editors or code cell inputs on the page (app mode must show none)."""
        return self.page.locator(".jp-CodeCell .jp-InputArea, .cm-editor, .jp-InputArea-editor").count()

    def screenshots(self, label: str, max_shots: int = 30) -> list[Path]:
        """Screenshots down the whole page (Voilà scrolls #rendered_cells), kept in test-artifacts/app/."""
        APP_ARTIFACTS.mkdir(parents=True, exist_ok=True)
        height = self.page.evaluate("() => document.querySelector('#rendered_cells').scrollHeight")
        step = self.page.viewport_size["height"] - 50
        paths = []
        for index, y in enumerate(range(0, height, step)):
            if index >= max_shots:
                break
            self.page.evaluate(f"() => document.querySelector('#rendered_cells').scrollTo(0, {y})")
            self.page.wait_for_timeout(250)
            path = APP_ARTIFACTS / f"{label}-{index:02d}.png"
            self.page.screenshot(path=str(path))
            paths.append(path)
        self.page.evaluate("() => document.querySelector('#rendered_cells').scrollTo(0, 0)")
        return paths


@pytest.fixture()
def open_app(voila_app, browser):
    """`open_app("notebooks/03_spend_analysis.ipynb")` opens that page of the app at 1280 px wide."""
    contexts = []

    def opener(path: str, width: int = 1280) -> AppPage:
        context = browser.new_context(viewport={"width": width, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{voila_app.url}/voila/render/{path}", wait_until="load", timeout=600_000)
        app_page = AppPage(page)
        app_page.wait_rendered()
        return app_page

    yield opener
    for context in contexts:
        context.close()  # closing the page shuts its Voilà kernel down


@pytest.fixture(scope="module")
def voila_slides(chromium, tmp_path_factory):
    """`voila_slides("02")` serves module 02 as live slides exactly as `python -m helpers slides 02` does."""
    from helpers.learning.app import app_environment, slides_command

    procs = []
    logs = []

    def start(number: str) -> str:
        base = tmp_path_factory.mktemp(f"slides{number}")
        env = app_environment()
        env["SPW_WORK_DIR"] = str(base / "work")
        log = open(base / "voila.log", "w")
        logs.append(log)
        port = _free_port()
        proc = subprocess.Popen(
            [*slides_command(number, port), "--KernelManager.transport=ipc"],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=REPO,
        )
        procs.append(proc)
        deadline = time.time() + 90
        while time.time() < deadline and proc.poll() is None:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return f"http://127.0.0.1:{port}/"
            except OSError:
                time.sleep(0.5)
        raise RuntimeError("the slides server did not start: see " + str(base / "voila.log"))

    try:
        yield start
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(20)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
        for log in logs:
            log.close()
