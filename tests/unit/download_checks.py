"""Checks shared by every stage tool's Save / Export test: the `DownloadArea` under the button holds a
working link per written file, and on Binder the warning plus all the learner's work as one file."""

from __future__ import annotations

import base64
import os
import re
from html import unescape
from pathlib import Path
from urllib.parse import unquote

from helpers.core.paths import BINDER_VARIABLES
from helpers.core.safety import escape_html

BINDER_WARNING = "vanishes when this session ends"
WHOLE_WORK = "Download all my work (one file)"


def not_on_binder(monkeypatch) -> None:
    """A laptop or a hub: no Binder variable, no `SPW_HOSTING`."""
    for name in ("SPW_HOSTING", *BINDER_VARIABLES):
        monkeypatch.delenv(name, raising=False)


def on_binder(monkeypatch) -> None:
    not_on_binder(monkeypatch)
    monkeypatch.setenv("SPW_HOSTING", "binder")


def linked_bytes(href: str) -> bytes:
    """What the browser would download: a `data:` link's bytes, or the file a relative link points at
    (relative to the kernel's folder, as JupyterLab resolves it under /files/)."""
    if href.startswith("data:"):
        return base64.b64decode(href.split(",", 1)[1])
    return (Path(os.getcwd()) / unquote(href)).read_bytes()


def links(html: str) -> dict[str, str]:
    """{download name: href} of every download link in `html`."""
    found = re.findall(r'<a class="spw-download" href="([^"]+)" download="([^"]+)"', html)
    return {unescape(name): unescape(href) for href, name in found}


def assert_links(area, paths: list[Path]) -> dict[str, str]:
    """The area links every file of `paths` (its name escaped), each link giving the file's bytes."""
    html = area.html
    shown = links(html)
    for path in paths:
        assert f'download="{escape_html(path.name)}"' in html, path.name
        assert linked_bytes(shown[path.name]) == path.read_bytes(), path.name
    return shown


def assert_local_links_only(area, paths: list[Path]) -> None:
    """Not on Binder: exactly the written files' links, no warning, no whole-work archive."""
    shown = assert_links(area, paths)
    assert sorted(shown) == sorted(p.name for p in paths)
    assert BINDER_WARNING not in area.html and WHOLE_WORK not in area.html


def assert_binder_offer(area, work_dir: Path) -> None:
    """On Binder: the warning and a link to a fresh archive of all the learner's work."""
    assert BINDER_WARNING in area.html and WHOLE_WORK in area.html
    archives = sorted((work_dir / "downloads").glob("my-work-*.zip"))
    assert len(archives) == 1  # the older offers are replaced, not piled up
    assert_links(area, archives)
