"""Shared pieces of the attack suite: the hostile strings, and a check that a file was not changed."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from pathlib import Path

import IPython.display
import openpyxl
import pytest

# A label that would be a link, an image and a script if it reached plotly or a page unescaped.
HOSTILE = '<a href="javascript:alert(1)">click</a><img src=x onerror=alert(1)><script>alert(2)</script>'
# What an attacker can put in a cell: a formula, a terminal escape, control characters.
FORMULAS = ['=HYPERLINK("http://evil.example","x")', "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3", "=1+1"]
CONTROL = "ACME\x01 Ltd\x0b\x1b[31m red\x07\x00"

# Tags plotly would render from a label; the course's own labels use only these harmless ones.
_OWN_TAGS = {"br", "sub", "sup", "b", "i", "em", "extra"}
_TAG = re.compile(r"<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9]*)")


def raw_tags(text: str) -> set[str]:
    """The HTML tags in `text` that are not the course's own (<br>, <sub>, <b>…)."""
    return {m.group(2).lower() for m in _TAG.finditer(text)} - _OWN_TAGS


def strings_of(value) -> list[str]:
    """Every string inside a nested structure (a plotly figure's JSON, say)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in strings_of(item)]
    if isinstance(value, (list, tuple)):
        return [s for item in value for s in strings_of(item)]
    if hasattr(value, "tolist"):
        return strings_of(value.tolist())
    return []


def digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def xlsx_bomb(path: Path, unpacked_mb: int = 100) -> Path:
    """A real workbook whose one shared string unpacks to `unpacked_mb` MB (the file stays ~100 KB
    per 100 MB): written in chunks, never held in memory whole."""
    book = openpyxl.Workbook()
    book.active.append(["supplier", "amount"])
    book.active.append(["ACME", 1])
    plain = io.BytesIO()
    book.save(plain)
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for item in source.infolist():
            if item.filename != "xl/sharedStrings.xml":
                out.writestr(item, source.read(item.filename))
        with out.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            part.write(b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ')
            part.write(b'count="2" uniqueCount="2"><si><t>supplier</t></si><si><t>')
            chunk = b"A" * 1_000_000
            for _ in range(unpacked_mb):
                part.write(chunk)
            part.write(b"</t></si></sst>")
    return path


@pytest.fixture()
def quiet_display(monkeypatch):
    """Outside a kernel `display` prints figures; the tests read the widgets instead."""
    monkeypatch.setattr(IPython.display, "display", lambda *a, **k: None)
