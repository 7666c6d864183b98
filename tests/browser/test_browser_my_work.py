"""Download and restore in a real browser: the "Your work" tool and both kinds of download link.

Its own JupyterLab, started at a small course folder (as `python -m helpers lab`, Binder and a hub
home do), so the work folder is found from the notebook and served by JupyterLab under /files/.
"""

from __future__ import annotations

import base64
import io
import json
import os
import shutil
import subprocess
import time
import uuid
import zipfile
from pathlib import Path

import nbformat
import pytest

from tests.browser.conftest import Lab, NotebookPage, _free_port, _wait_for, choose_file, jupyterlab_command

pytestmark = pytest.mark.browser
REPO = Path(__file__).resolve().parents[2]

CELLS = [
    "from helpers.learning.progress import store\nstore().save_draft('criteria', 'School meals', {'price_weight': 40})",
    "from helpers.learning.my_work_widget import my_work_tool\nmy_work_tool()",
    "from pathlib import Path\nfrom IPython.display import HTML\nfrom helpers.ui.exports import download_link_html\n"
    "hidden = Path('..', '.hidden', 'plan.md')\nhidden.parent.mkdir(exist_ok=True)\n"
    "hidden.write_text('# Plan\\n', encoding='utf-8')\n"
    "HTML(download_link_html(hidden, 'Download the plan'))",
]
EXPORT_CELLS = [  # a stage tool's Export on Binder: a link per file, the warning and all work as one file
    "import os\nos.environ['SPW_HOSTING'] = 'binder'",
    "from helpers.tendering import criteria_builder\ncriteria_builder()",
]
FETCH = """async (href) => { const r = await fetch(href);
    const bytes = new Uint8Array(await r.arrayBuffer()); let s = '';
    for (const b of bytes) s += String.fromCharCode(b);
    return [r.status, btoa(s)]; }"""


@pytest.fixture()
def course_lab(chromium, tmp_path):
    root = tmp_path / "workbook"
    shutil.copytree(REPO / "course", root / "course")  # the criteria library and content, as in a clone
    (root / "course" / "course.yml").write_text("modules: []\n", encoding="utf-8")
    (root / "notebooks").mkdir()
    for name, cells in (("mine.ipynb", CELLS), ("export.ipynb", EXPORT_CELLS)):
        notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
        notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(notebook, root / "notebooks" / name)
    settings, user = tmp_path / "settings", tmp_path / "user"
    settings.mkdir(), user.mkdir()
    overrides = json.loads((REPO / "jupyter-settings" / "overrides.json").read_text())
    (settings / "overrides.json").write_text(json.dumps(overrides))
    token = uuid.uuid4().hex
    env = {k: v for k, v in os.environ.items() if k not in ("SPW_WORK_DIR", "SPW_ROOT", "SPW_DISPLAY")}
    env["PYTHONPATH"] = str(REPO)
    port = _free_port()
    with open(tmp_path / "jupyterlab.log", "w") as log:
        proc = subprocess.Popen(
            jupyterlab_command(port, token, root, settings, user),
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=root,
        )
        try:
            server = Lab(f"http://127.0.0.1:{port}", token, root)
            assert _wait_for(server, proc), (tmp_path / "jupyterlab.log").read_text()
            yield server
        finally:
            proc.terminate()
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def test_download_forget_and_restore_in_the_browser(course_lab, browser, tmp_path):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    try:
        page = context.new_page()
        page.goto(
            f"{course_lab.url}/lab/tree/notebooks/mine.ipynb?reset&token={course_lab.token}",
            wait_until="domcontentloaded",
        )
        nb = NotebookPage(page, course_lab, "mine.ipynb")
        nb.run_all()
        assert not nb.errors()
        tool = page.locator(".spw-my-work")
        tool.wait_for(timeout=30_000)
        assert "inside your course folder" in tool.inner_text()

        # Download my work: the link is served by JupyterLab from the course folder.
        tool.get_by_role("button", name="Download my work").click()
        link = tool.locator("a.spw-download")
        link.wait_for(timeout=30_000)
        assert "/files/my_work/downloads/my-work-" in link.get_attribute("href")
        with page.expect_download(timeout=30_000) as info:
            link.click()
        archive = tmp_path / info.value.suggested_filename
        info.value.save_as(archive)
        assert archive.name.startswith("my-work-") and "progress.json" in zipfile.ZipFile(archive).namelist()

        # A data: link for a file JupyterLab does not serve (a hidden folder).
        inline = page.locator("a.spw-download", has_text="Download the plan")
        assert inline.get_attribute("href").startswith("data:text/markdown;base64,")
        with page.expect_download(timeout=30_000) as info:
            inline.click()
        assert Path(info.value.path()).read_text(encoding="utf-8") == "# Plan\n"

        # Forget everything (asks first), then restore the archive through the upload button.
        tool.get_by_role("button", name="Forget everything on this machine").click()
        tool.get_by_role("button", name="Yes, forget everything").click()
        nb.wait_text(".spw-my-work", "Removed from this machine")
        progress = course_lab.root / "my_work" / "progress.json"
        assert not progress.exists()
        choose_file(page, tool.locator(".spw-restore-my-work"), archive)
        nb.wait_text(".spw-my-work", "1 added: draft: criteria / School meals")
        deadline = time.time() + 10
        while not progress.exists() and time.time() < deadline:
            time.sleep(0.2)
        saved = json.loads(progress.read_text(encoding="utf-8"))
        assert saved["drafts"]["criteria"]["School meals"]["content"] == {"price_weight": 40}
        nb.screenshot("my_work_download_restore")
    finally:
        context.close()


def test_a_tools_export_links_are_served_by_jupyterlab_with_binders_offer(course_lab, browser, tmp_path):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    try:
        page = context.new_page()
        page.goto(
            f"{course_lab.url}/lab/tree/notebooks/export.ipynb?reset&token={course_lab.token}",
            wait_until="domcontentloaded",
        )
        nb = NotebookPage(page, course_lab, "export.ipynb")
        nb.run_all()
        assert not nb.errors()
        builder = page.locator(".spw-criteria-builder")
        builder.locator("button.spw-export").click()
        area = builder.locator(".spw-export-downloads")
        area.locator("a.spw-download", has_text="Download all my work (one file)").wait_for(timeout=60_000)
        assert "vanishes when this session ends" in area.inner_text()
        exports = course_lab.root / "my_work" / "exports"
        stem = "criteria_playground_equipment_supply_and_maintena"
        for name in (f"{stem}.docx", f"{stem}.md"):
            href = area.locator(f'a.spw-download[download="{name}"]').get_attribute("href")
            assert f"/files/my_work/exports/{name}" in href  # served by JupyterLab, not carried in the page
            status, body = page.evaluate(FETCH, href)
            assert status == 200 and base64.b64decode(body) == (exports / name).read_bytes()
        offer = area.locator("a.spw-download", has_text="Download all my work (one file)").get_attribute("href")
        assert "/files/my_work/downloads/my-work-" in offer
        status, body = page.evaluate(FETCH, offer)
        members = zipfile.ZipFile(io.BytesIO(base64.b64decode(body))).namelist()
        assert status == 200 and f"work/exports/{stem}.md" in members and "progress.json" in members
        with page.expect_download(timeout=30_000) as info:  # a click downloads (the `download` attribute)
            area.locator(f'a.spw-download[download="{stem}.md"]').click()
        assert info.value.suggested_filename == f"{stem}.md"
        assert Path(info.value.path()).read_bytes() == (exports / f"{stem}.md").read_bytes()
        nb.screenshot("criteria_builder_export_download")
    finally:
        context.close()
