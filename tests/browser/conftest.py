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
                [
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
                    "--ServerApp.open_browser=False",
                ],
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
