"""Download links for saved files (helpers.ui.exports): served by JupyterLab, or inside the link."""

from __future__ import annotations

import base64
import re
from html import unescape
from pathlib import Path

from helpers.ui.exports import download_link_html, download_links_html, served_link


def course_with_file(tmp_path: Path, rel: str, content: bytes = b"PK\x03\x04 zip bytes") -> tuple[Path, Path]:
    root = tmp_path / "course"
    (root / "notebooks").mkdir(parents=True)
    target = root / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)
    return root, target


def test_a_file_in_the_course_folder_gets_a_relative_link_from_the_notebook(tmp_path):
    root, target = course_with_file(tmp_path, "my_work/downloads/my-work 2026 #1.zip")
    assert served_link(target, cwd=root / "notebooks", root=root) == "../my_work/downloads/my-work%202026%20%231.zip"
    html = download_link_html(target, cwd=root / "notebooks", root=root)
    # `download` makes JupyterLab let the browser download it, through <base>/files/my_work/downloads/…
    assert 'href="../my_work/downloads/my-work%202026%20%231.zip"' in html
    assert 'download="my-work 2026 #1.zip"' in html and "Download my-work 2026 #1.zip (14 bytes)" in html
    assert served_link(target, cwd=root, root=root) == "my_work/downloads/my-work%202026%20%231.zip"


def test_hidden_or_outside_files_travel_inside_the_link(tmp_path):
    root, hidden = course_with_file(tmp_path, ".local/share/spw/my_work/exports/plan.md", b"# Plan\n")
    assert served_link(hidden, cwd=root / "notebooks", root=root) is None
    html = download_link_html(hidden, "Download the plan", cwd=root / "notebooks", root=root)
    href = re.search(r'href="([^"]+)"', html).group(1)
    assert href.startswith("data:text/markdown;base64,")
    assert base64.b64decode(href.split(",", 1)[1]) == b"# Plan\n"
    assert ">Download the plan (7 bytes)</a>" in html
    outside = tmp_path / "elsewhere" / "report.docx"
    outside.parent.mkdir()
    outside.write_bytes(b"docx")
    assert served_link(outside, cwd=root / "notebooks", root=root) is None
    assert "wordprocessingml" in download_link_html(outside, cwd=root / "notebooks", root=root)
    # A kernel not started in the course folder (papermill in a temporary folder) cannot rely on relative links.
    _, inside = course_with_file(tmp_path / "b", "my_work/exports/x.md")
    assert served_link(inside, cwd=tmp_path, root=tmp_path / "b" / "course") is None


def test_big_files_outside_the_served_folders_are_named_not_inlined(tmp_path):
    big = tmp_path / "big <archive>.zip"
    big.write_bytes(b"0" * 2048)
    html = download_link_html(big, inline_limit=1000, cwd=tmp_path / "x", root=tmp_path / "x")
    assert "href" not in html and "too big to download from here" in html
    assert "&lt;archive&gt;" in html and "<archive>" not in html
    assert "was not found" in download_link_html(tmp_path / "nope.md")


def test_names_are_escaped_and_links_join(tmp_path):
    root, first = course_with_file(tmp_path, 'my_work/exports/"><img src=x onerror=alert(1)>.md')
    second = root / "my_work" / "exports" / "b.md"
    second.write_text("b")
    html = download_link_html(first, cwd=root / "notebooks", root=root)
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert unescape(re.search(r'download="([^"]+)"', html).group(1)) == '"><img src=x onerror=alert(1)>.md'
    assert download_links_html([second]).count("<a ") + download_links_html([second]).count("<span") == 1


def test_in_app_mode_the_link_carries_the_file(tmp_path, monkeypatch):
    # Voilà serves only the images its file_allowlist names: a /files/ link to a .docx would be a 404.
    root, target = course_with_file(tmp_path, "my_work/exports/plan.md", b"# Plan\n")
    assert served_link(target, cwd=root / "notebooks", root=root) == "../my_work/exports/plan.md"
    monkeypatch.setenv("VOILA_SERVER_URL", "/")
    assert served_link(target, cwd=root / "notebooks", root=root) is None
    href = re.search(r'href="([^"]+)"', download_link_html(target, cwd=root / "notebooks", root=root)).group(1)
    assert href == "data:text/markdown;base64," + base64.b64encode(b"# Plan\n").decode("ascii")
