"""Treat learner data as untrusted: escape it for HTML, defuse it for spreadsheets and terminals,
clean control characters out of documents, write files atomically so nothing is half-written
or lost, and never replace a file silently (a new name instead).
"""

from __future__ import annotations

import filecmp
import html
import json
import os
import re
import tempfile
import unicodedata
from datetime import datetime
from pathlib import Path
from typing import Any

from helpers.core.errors import LearnerError

# A spreadsheet treats a cell starting with one of these as a formula (OWASP CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

# Characters a document must not hold: C0 controls but tab, newline and carriage return (XML 1.0
# forbids them: XLSX and DOCX writers fail outright), DEL and C1 controls (a terminal may run them),
# lone surrogates (not encodable) and the two non-characters U+FFFE, U+FFFF.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
REPLACEMENT = "\ufffd"  # �, so the reader sees that something was there

# Terminal escape sequences (CSI, OSC, DCS/PM/APC, two-character escapes, 8-bit CSI) and the
# characters that move the cursor or reorder text (bidirectional overrides, "Trojan source").
_ESCAPE_SEQUENCE = re.compile(
    r"\x1b(?:\[[0-?]*[ -/]*[@-~]?|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[PX^_][^\x1b]*(?:\x1b\\)?|[ -/]*[0-~]?)"
    r"|\x9b[0-?]*[ -/]*[@-~]?"
)
_TERMINAL_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def escape_html(value: Any) -> str:
    """Text safe to place inside HTML: `<img onerror=…>` shows as text and runs nothing."""
    return html.escape("" if value is None else str(value), quote=True)


def _formula_like(text: str) -> bool:
    """True for text a spreadsheet would run, and for such text already guarded by apostrophes."""
    return text.lstrip("'").startswith(FORMULA_PREFIXES) and (text.startswith(FORMULA_PREFIXES) or text.startswith("'"))


def neutralise_formula(value: Any) -> Any:
    """Prefix a text cell that a spreadsheet would run as a formula with an apostrophe.

    Numbers are left alone (a credit note of -12.50 stays a number); only text
    starting with `=`, `+`, `-`, `@`, tab or carriage return is changed (and text that
    starts with apostrophes before one of those, so `restore_formula` can undo it exactly).
    """
    if isinstance(value, str) and _formula_like(value):
        return "'" + value
    return value


def restore_formula(value: Any) -> Any:
    """Undo `neutralise_formula` on a cell read back from a file the course wrote."""
    if isinstance(value, str) and value.startswith("'") and _formula_like(value[1:]):
        return value[1:]
    return value


def clean_control(value: Any) -> tuple[str, int]:
    """Text without the characters a document cannot hold (see `_CONTROL`), each replaced by �,
    and how many were replaced."""
    text = "" if value is None else str(value)
    cleaned, count = _CONTROL.subn(REPLACEMENT, text)
    return cleaned, count


def terminal_text(value: Any) -> str:
    """Text safe to print in a terminal: escape sequences removed, other control characters and
    bidirectional overrides dropped (newlines and tabs kept), so data cannot recolour, move the
    cursor, retitle the window or reorder what the learner reads."""
    text = _ESCAPE_SEQUENCE.sub("", "" if value is None else str(value))
    return _TERMINAL_CONTROL.sub("", text)


def terminal_json(payload: Any) -> str:
    """`json.dumps` for printing: valid JSON, nothing lost, but every character a terminal could act
    on (C1 controls, bidirectional overrides) written as a \\u escape."""
    text = json.dumps(payload, ensure_ascii=False)
    return _TERMINAL_CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> Path:
    """Write `data` to `path` via a temporary file in the same folder, then rename.

    A crash or a full disk leaves the old file intact, never a half-written one.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name[:40]}.", suffix=".tmp", dir=target.parent)
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


# ---------------------------------------------------------------- never replace a file silently

MAX_NAME_BYTES = 255  # the longest file name most file systems accept


def check_upload_name(name: Any, what: str = "file") -> str:
    """The name of an uploaded file (its last part), refused with a plain message when no file
    could be saved under it: empty, `.` or `..`, a NUL character, or longer than 255 bytes."""
    text = "" if name is None else str(name)
    if "\x00" in text:
        raise LearnerError(f"the {what}'s name holds a NUL character", fix="Rename the file and upload it again")
    base = text.replace("\\", "/").rsplit("/", 1)[-1].strip()
    if base in ("", ".", ".."):
        raise LearnerError(
            f"the {what} has no usable name ({text[:40]!r})",
            fix="Rename the file, e.g. ledger_2025.csv, and upload it again",
        )
    if len(base.encode("utf-8", "surrogatepass")) > MAX_NAME_BYTES:
        raise LearnerError(
            f"the {what}'s name is longer than {MAX_NAME_BYTES} bytes, more than a file system accepts",
            fix="Rename the file with a shorter name and upload it again",
        )
    return base


def safe_file_name(name: str, default: str = "file") -> str:
    """A file name made of letters, digits, `-`, `_` and `.` (accents kept, other characters `_`),
    never hidden, never empty, at most 120 characters."""
    text = unicodedata.normalize("NFC", str(name))
    cleaned = re.sub(r"[^\w.\-]+", "_", text).strip("._")
    if len(cleaned) > 120:
        stem, dot, suffix = cleaned.rpartition(".")
        cleaned = (stem[: 119 - len(suffix)] + dot + suffix) if dot and len(suffix) <= 10 else cleaned[:120]
    return cleaned or default


def _numbered(path: Path, n: int) -> Path:
    return path if n == 1 else path.with_name(f"{path.stem}_{n}{path.suffix}")


def save_new_file(path: str | os.PathLike, data: bytes) -> Path:
    """Write `data` at `path`, or, when a different file is already there, at `name_2.ext`,
    `name_3.ext`…: an existing file is never replaced. The same content already saved under one
    of those names is reused. Each candidate is claimed atomically (two saves at once get two
    names), and the content appears whole or not at all."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name[:40]}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        for n in range(1, 10_000):
            candidate = _numbered(target, n)
            if candidate.is_file() and filecmp.cmp(candidate, tmp, shallow=False):
                return candidate  # the very same file is already saved
            try:
                os.link(tmp, candidate)  # fails if the name is taken: never replaces
                return candidate
            except FileExistsError:
                continue
            except OSError:  # a file system without hard links: claim the name, then fill it
                try:
                    claim = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL)
                except FileExistsError:
                    continue
                os.close(claim)
                os.replace(tmp, candidate)
                return candidate
        raise LearnerError(f"too many files called {target.stem}_N in {target.parent.name}/", fix="Tidy the folder")
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def keep_aside(path: str | os.PathLike, label: str) -> Path:
    """Move `path` to `stem.label-YYYYmmdd-HHMMSS[_N].ext` beside it, never over an existing file
    (two in one second get two names). Returns the new path."""
    source = Path(path)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    base = source.with_name(f"{source.stem}.{label}-{stamp}{source.suffix}")
    for n in range(1, 10_000):
        candidate = _numbered(base, n)
        try:
            os.link(source, candidate)
        except FileExistsError:
            continue
        except OSError:  # no hard links: claim the name, then move over the empty claim
            try:
                claim = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL)
            except FileExistsError:
                continue
            os.close(claim)
            os.replace(source, candidate)
            return candidate
        os.unlink(source)
        return candidate
    raise LearnerError(f"too many backups of {source.name}", fix="Move old backups out of the folder")
