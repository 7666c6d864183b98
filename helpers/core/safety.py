"""Treat learner data as untrusted: escape it for HTML, defuse it for spreadsheets,
and write files atomically so nothing is half-written or lost.
"""

from __future__ import annotations

import html
import os
import tempfile
from pathlib import Path
from typing import Any

# A spreadsheet treats a cell starting with one of these as a formula (OWASP CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def escape_html(value: Any) -> str:
    """Text safe to place inside HTML: `<img onerror=…>` shows as text and runs nothing."""
    return html.escape("" if value is None else str(value), quote=True)


def neutralise_formula(value: Any) -> Any:
    """Prefix a text cell that a spreadsheet would run as a formula with an apostrophe.

    Numbers are left alone (a credit note of -12.50 stays a number); only text
    starting with `=`, `+`, `-`, `@`, tab or carriage return is changed.
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> Path:
    """Write `data` to `path` via a temporary file in the same folder, then rename.

    A crash or a full disk leaves the old file intact, never a half-written one.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return target


def atomic_write_text(path: str | os.PathLike, text: str) -> Path:
    """`atomic_write_bytes` for UTF-8 text."""
    return atomic_write_bytes(path, text.encode("utf-8"))
