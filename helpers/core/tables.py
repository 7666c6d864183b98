"""The one reader of tables that learners bring: ledgers, registers, geography tables, bids,
KPI returns. It reads bytes read-only (the source is never modified), detects the
encoding and the delimiter, and keeps the physical line each record starts on, so
every message can name the file and the line.
"""

from __future__ import annotations

import csv
import gc
import io
import zipfile
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd

from helpers.core.errors import LearnerError

DELIMITERS = [",", ";", "\t", "|"]
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}


def detect_encoding(raw: bytes) -> tuple[str, str]:
    """The encoding of a text file and how it was decided: BOM, strict UTF-8, cp1252 or Latin-1."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig", "UTF-8 with a byte-order mark"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16", "UTF-16 with a byte-order mark"
    try:
        raw.decode("utf-8")
        return "utf-8", "UTF-8 (every byte sequence is valid UTF-8)"
    except UnicodeDecodeError:
        pass
    high = {b for b in set(raw) if 0x80 <= b <= 0x9F}
    if high:
        try:
            decoded = bytes(sorted(high)).decode("cp1252")
            if all(ch.isprintable() for ch in decoded):
                return "cp1252", "Windows-1252 (not UTF-8; bytes 0x80–0x9F are Windows-1252 characters such as € or ’)"
        except UnicodeDecodeError:
            pass
    return "latin-1", (
        "Latin-1 (not UTF-8; no Windows-1252-only characters, so Latin-1 and Windows-1252 read this file identically)"
        if not high
        else "Latin-1 (not UTF-8, and some bytes are not Windows-1252)"
    )


def read_bytes(path: Path, what: str = "ledger") -> bytes:
    """The bytes of a learner's file, read-only; `what` names the file in messages ("ledger", "bids file")."""
    path = Path(path)
    if not path.exists():
        raise LearnerError(
            "this file does not exist", file=str(path), fix="Check the name and folder (put your own files in my_data/)"
        )
    if path.is_dir():
        raise LearnerError(
            f"this is a folder, not a {what} file", file=str(path), fix="Choose a .csv or .xlsx file inside it"
        )
    with open(path, "rb") as handle:  # read-only: the source file is never modified
        raw = handle.read()
    if not raw.strip(b" \t\r\n\xef\xbb\xbf"):
        raise LearnerError(
            "the file is empty",
            file=str(path),
            fix=(
                "Export the ledger again from the finance system"
                if what == "ledger"
                else f"Save the {what} again and check that it has rows"
            ),
        )
    return raw


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the most rows of one consistent width."""
    head = "\n".join(text.splitlines()[:60])
    best, best_score = ",", -1
    for delim in DELIMITERS:
        try:
            rows = [r for r in csv.reader(io.StringIO(head), delimiter=delim) if any(c.strip() for c in r)]
        except csv.Error:
            continue
        widths = pd.Series([len(r) for r in rows if len(r) > 1], dtype="int64")
        if widths.empty:
            continue
        width = int(widths.mode().max())
        score = int((widths == width).sum()) * min(width, 50)
        if score > best_score:
            best, best_score = delim, score
    return best


@contextmanager
def paused_gc():
    """Pause Python's cycle collector while millions of small lists are built.

    Why: each collection scans every list made so far, so reading a million-row ledger
    with it running takes several times longer; the lists hold no cycles to collect.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def csv_rows(text: str, delimiter: str) -> tuple[list[list[str]], np.ndarray]:
    """Every CSV record and the physical line it starts on, read in one C-level pass.

    Why: a per-record Python loop is most of the reading time on a big ledger. If the
    reader used exactly one line per record (no quoted newlines), record i starts on
    line i + 1; otherwise the line-by-line reader counts them (same result, slower).
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = list(reader)
    except csv.Error:
        rows = None
    if rows is not None and reader.line_num == len(rows):
        return rows, np.arange(1, len(rows) + 1, dtype="int64")
    records = csv_records(text, delimiter)  # quoted newlines (or an error to report with its line)
    return [cells for _, cells in records], np.array([line for line, _ in records], dtype="int64")


def read_csv_records(raw: bytes) -> tuple[list[tuple[int, list[str]]], str, str]:
    """Decode a delimited text file (detected encoding) and split it into records with the
    physical line each starts on. Returns (records, encoding, delimiter); used for any
    table a learner uploads, not only ledgers."""
    encoding, _ = detect_encoding(raw)
    text = raw.decode(encoding)
    delimiter = sniff_delimiter(text)
    return csv_records(text, delimiter), encoding, delimiter


def csv_records(text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """Every CSV record with the physical line it starts on (quoted newlines counted)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records, previous = [], 0
    try:
        for row in reader:
            records.append((previous + 1, row))
            previous = reader.line_num
    except csv.Error as exc:
        raise LearnerError(
            f"the file cannot be read as a table ({exc})",
            row=previous + 1,
            fix="Open it in a spreadsheet and save it again as CSV",
        ) from exc
    return records


def xlsx_records(path: Path) -> list[tuple[int, list[str]]]:
    """The first sheet with data, as text cells, with their sheet row numbers (values, not formulas)."""
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, TypeError) as exc:
        raise LearnerError(
            "this spreadsheet cannot be opened: it is password-protected (encrypted) or damaged",
            file=str(path),
            fix="Open it in Excel, remove the password, and save it as .xlsx or CSV",
        ) from exc
    except Exception as exc:  # openpyxl raises its own types for unreadable parts
        raise LearnerError(
            f"this spreadsheet cannot be read ({type(exc).__name__})",
            file=str(path),
            fix="Open it in Excel and save it again as .xlsx or CSV",
        ) from exc
    try:
        for sheet in book.worksheets:
            records: list[tuple[int, list[str]]] = []
            for number, row in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
                records.append((number, [cell_text(v) for v in row]))
            if any(any(c for c in cells) for _, cells in records):
                return records
    finally:
        book.close()
    raise LearnerError(
        "the spreadsheet has no data in any sheet", file=str(path), fix="Check that you exported the right file"
    )


def cell_text(value) -> str:
    """One spreadsheet cell as text: dates in ISO form, numbers in plain '.' decimals."""
    if value is None:
        return ""
    if hasattr(value, "isoformat") and not isinstance(value, str):
        return str(value)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return repr(value) if not value.is_integer() else str(int(value))
    return str(value)
