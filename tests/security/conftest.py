"""Shared pieces of the attack suite: the hostile strings, and a check that a file was not changed."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

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
