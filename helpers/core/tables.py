"""The one reader of tables that learners bring: ledgers, registers, geography tables, bids,
KPI returns. It reads bytes read-only (the source is never modified), detects the
encoding and the delimiter, and keeps the physical line each record starts on, so
every message can name the file and the line.

It reads only regular files (never a FIFO, a device or a link that leaves its folder) and
enforces the limits of `helpers.core.limits` (file size, lines, cell length, and for XLSX
the unpacked size and packing ratio) before the work that could stall, so a hostile or
broken file is refused in well under a second with a message naming the limit.
"""

from __future__ import annotations

import csv
import gc
import io
import os
import stat
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

import numpy as np
import openpyxl
import pandas as pd

from helpers.core.errors import LearnerError
from helpers.core.limits import cell_too_long, check_rows, check_size, check_zip, limits_for
from helpers.core.paths import my_data_dir

try:  # pyarrow (requirements.lock) reads a big CSV file column-wise; without it every file takes the exact path
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pa_csv
except ImportError:  # pragma: no cover - the course environment has it
    pa = pc = pa_csv = None

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


def _kind(mode: int) -> str | None:
    """What a file that is not a regular file is, in words (None for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _check_link(path: Path) -> None:
    """Refuse a link that leads out of its folder (or out of my_data/, for a file inside it)."""
    if not path.is_symlink():
        return
    target = path.resolve()
    folder = Path(os.path.abspath(path)).parent.resolve()
    roots = [folder]
    data = my_data_dir().resolve()
    if folder == data or data in folder.parents:
        roots.append(data)
    if not any(target == root or root in target.parents for root in roots):
        raise LearnerError(
            "this is a link to a file outside its folder, which the course does not follow",
            file=str(path),
            fix="Copy the file itself into my_data/ (or next to the link) and choose the copy",
        )


@contextmanager
def open_source(path: str | os.PathLike, what: str = "ledger") -> Iterator[BinaryIO]:
    """A learner's file opened read-only, after checking it is a regular file within its size limit.

    Opened without blocking, so a FIFO is refused instead of waiting forever for a writer;
    a device such as /dev/zero is refused instead of read without end."""
    path = Path(path)
    shown = str(path)
    if not os.path.lexists(path):
        raise LearnerError(
            "this file does not exist", file=shown, fix="Check the name and folder (put your own files in my_data/)"
        )
    _check_link(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except IsADirectoryError:
        raise LearnerError(
            f"this is a folder, not a {what} file", file=shown, fix="Choose a .csv or .xlsx file inside it"
        ) from None
    except FileNotFoundError:
        raise LearnerError(
            "this file does not exist", file=shown, fix="Check the name and folder (put your own files in my_data/)"
        ) from None
    except PermissionError:
        raise LearnerError(
            "this file cannot be opened: you do not have permission to read it",
            file=shown,
            fix="Copy it into my_data/ and choose the copy",
        ) from None
    except OSError as exc:
        raise LearnerError(f"this file cannot be opened ({exc.strerror})", file=shown) from None
    try:
        info = os.fstat(fd)
        kind = _kind(info.st_mode)
        if kind == "a folder":
            raise LearnerError(
                f"this is a folder, not a {what} file", file=shown, fix="Choose a .csv or .xlsx file inside it"
            )
        if kind:
            raise LearnerError(
                f"this is {kind}, not a {what} file, and the course reads only ordinary files",
                file=shown,
                fix="Save the data to a .csv or .xlsx file and choose that file",
            )
        check_size(info.st_size, what, path.name)
        handle = os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
    with handle:
        yield handle


def read_bytes(path: Path, what: str = "ledger") -> bytes:
    """The bytes of a learner's file, read-only; `what` names the file in messages ("ledger", "bids file")
    and chooses its limits (`helpers.core.limits`)."""
    path = Path(path)
    with open_source(path, what) as handle:  # read-only: the source file is never modified
        raw = handle.read(limits_for(what).max_bytes + 1)
    check_size(len(raw), what, path.name)  # a file that grew while it was read
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


def check_lines(text: str | bytes, what: str, file: str) -> None:
    """Refuse a text table with more lines than the limit, before it is split into cells."""
    newline, carriage = ("\n", "\r") if isinstance(text, str) else (b"\n", b"\r")
    check_rows(max(text.count(newline), text.count(carriage)), what, file)


@contextmanager
def cell_limit(what: str) -> Iterator[int]:
    """Let Python's CSV reader refuse a cell longer than the limit (it raises csv.Error)."""
    limit = limits_for(what).max_cell
    before = csv.field_size_limit(limit)
    try:
        yield limit
    finally:
        csv.field_size_limit(before)


def _csv_error(exc: csv.Error, what: str, file: str | None, row: int) -> LearnerError:
    if "field larger than field limit" in str(exc):
        return cell_too_long(what, file or "", row)
    return LearnerError(
        f"the file cannot be read as a table ({exc})",
        file=file,
        row=row,
        fix="Open it in a spreadsheet and save it again as CSV",
    )


def first_lines(text: str, count: int) -> list[str]:
    """`text.splitlines()[:count]`, without splitting the whole of a big file."""
    size = 1 << 16
    while True:
        lines = text[:size].splitlines()
        if len(lines) > count or size >= len(text):  # line `count` ends inside the part split
            return lines[:count]
        size *= 4


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the most rows of one consistent width."""
    head = "\n".join(first_lines(text, 60))
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


def csv_rows(
    text: str, delimiter: str, what: str = "ledger", file: str | None = None
) -> tuple[list[list[str]], np.ndarray]:
    """Every CSV record and the physical line it starts on, read in one C-level pass.

    Why: a per-record Python loop is most of the reading time on a big ledger. If the
    reader used exactly one line per record (no quoted newlines), record i starts on
    line i + 1; otherwise the line-by-line reader counts them (same result, slower).
    Refuses more lines, or a longer cell, than the limits for `what`.
    """
    check_lines(text, what, file or "")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    with cell_limit(what):
        try:
            rows = list(reader)
        except csv.Error:
            rows = None
    if rows is not None and reader.line_num == len(rows):
        return rows, np.arange(1, len(rows) + 1, dtype="int64")
    records = csv_records(text, delimiter, what, file)  # quoted newlines (or an error to report with its line)
    return [cells for _, cells in records], np.array([line for line, _ in records], dtype="int64")


# A CSV body at least this big is read column-wise by `csv_columns` (below it the exact reader is fast).
COLUMNWISE_MIN_BYTES = 1_000_000
# The characters Python's str.strip() removes (those whose isspace() is true; a test checks the list).
PYTHON_WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


def columnwise_available() -> bool:
    """Whether big CSV bodies can be read column-wise (pyarrow is installed and pandas stores text in it)."""
    return pa is not None and getattr(pd.Series([], dtype="str").dtype, "storage", "") == "pyarrow"


def line_offset(data: bytes, line: int) -> int | None:
    """The byte offset where physical `line` (1-based, lines ending in LF) starts; None past the end."""
    offset = 0
    for _ in range(line - 1):
        offset = data.find(b"\n", offset) + 1
        if not offset:
            return None
    return offset


def csv_columns(
    data: bytes, offset: int, delimiter: str, width: int, first_line: int, what: str = "ledger"
) -> tuple[list[pd.Series], np.ndarray] | None:
    """The records of a UTF-8 CSV file from byte `offset` on (the body below a header) as `width`
    columns of stripped text, and the physical line each record starts on, read column-wise by
    pyarrow's multi-threaded reader.

    Why: splitting a million records into Python lists is most of the time and memory of reading
    a big ledger. The result equals the exact reader's (`csv_rows`, then `str.strip` per cell), so
    this path is taken only when that is certain, and None sends the caller to the exact reader:
    a record of another width (pyarrow refuses it; the exact reader pads or cuts it and reports
    it), a quote mark inside a cell, an odd number of quote marks, a NUL byte, a cell above the
    limit for `what`, or a record count that differs from the count of LF line ends. Equal counts
    mean every record is one line (a line break inside a cell, or a lone CR, would make them
    differ), so record i starts on line `first_line + i`."""
    if not columnwise_available() or offset >= len(data) or data.find(b"\x00", offset) >= 0:
        return None
    if data.count(b'"', offset) % 2:
        return None
    names = [f"c{i}" for i in range(width)]
    try:
        table = pa_csv.read_csv(
            pa.BufferReader(pa.py_buffer(data).slice(offset)),
            read_options=pa_csv.ReadOptions(column_names=names),
            parse_options=pa_csv.ParseOptions(
                delimiter=delimiter, quote_char='"', double_quote=True, escape_char=False, ignore_empty_lines=False
            ),
            convert_options=pa_csv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                null_values=[],
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    count = data.count(b"\n", offset) + (not data.endswith(b"\n"))
    if table.num_rows != count:
        return None
    max_cell = limits_for(what).max_cell
    columns = []
    for name in names:
        column = table.column(name)
        table = table.drop_columns([name])  # release each column's buffer as soon as it is converted
        if pc.any(pc.match_substring(column, '"')).as_py():
            return None
        if (pc.max(pc.utf8_length(column)).as_py() or 0) > max_cell:
            return None
        columns.append(_as_str(_strip_like_python(column)))
    return columns, np.arange(first_line, first_line + count, dtype="int64")


def _strip_like_python(column):
    """`str.strip()` of every cell, exactly as Python does it (the same characters), column-wise."""
    return pc.utf8_trim(column, characters=PYTHON_WHITESPACE)


def _as_str(column) -> pd.Series:
    """A pyarrow text column as a pandas "str" Series (stored in pyarrow, without copying each string)."""
    return pd.Series(pd.Series([], dtype="str").dtype.__from_arrow__(column))


def read_csv_records(
    raw: bytes, what: str = "table", file: str | None = None
) -> tuple[list[tuple[int, list[str]]], str, str]:
    """Decode a delimited text file (detected encoding) and split it into records with the
    physical line each starts on. Returns (records, encoding, delimiter); used for any
    table a learner uploads, not only ledgers. The limits for `what` apply (size, lines, cells)."""
    check_size(len(raw), what, file or "")
    check_lines(raw, what, file or "")
    encoding, _ = detect_encoding(raw)
    text = raw.decode(encoding)
    delimiter = sniff_delimiter(text)
    return csv_records(text, delimiter, what, file), encoding, delimiter


def csv_records(text: str, delimiter: str, what: str = "table", file: str | None = None) -> list[tuple[int, list[str]]]:
    """Every CSV record with the physical line it starts on (quoted newlines counted)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records, previous = [], 0
    with cell_limit(what):
        try:
            for row in reader:
                records.append((previous + 1, row))
                previous = reader.line_num
        except csv.Error as exc:
            raise _csv_error(exc, what, file, previous + 1) from None
    return records


def open_workbook(source: str | os.PathLike | bytes, what: str = "table", file: str | None = None):
    """An XLSX workbook opened read-only (values, not formulas), after checking its unpacked size and
    packing ratio (`limits.check_zip`); `source` is a path or the file's bytes. Close it after use."""
    shown = file or (str(source) if not isinstance(source, bytes) else what)
    if isinstance(source, bytes):
        check_size(len(source), what, shown)
        data = source
    else:
        data = read_bytes(Path(source), what)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise LearnerError(
            "this is an old-style .xls or a password-protected (encrypted) spreadsheet",
            file=shown,
            fix="Open it in Excel, remove any password, and save it as .xlsx or CSV",
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_zip(archive, what, shown)
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except LearnerError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, KeyError, ValueError, TypeError, EOFError) as exc:
        raise LearnerError(
            "this spreadsheet cannot be opened: it is password-protected (encrypted) or damaged",
            file=shown,
            fix="Open it in Excel, remove the password, and save it as .xlsx or CSV",
        ) from exc
    except Exception as exc:  # openpyxl raises its own types for unreadable parts
        raise LearnerError(
            f"this spreadsheet cannot be read ({type(exc).__name__})",
            file=shown,
            fix="Open it in Excel and save it again as .xlsx or CSV",
        ) from exc


def xlsx_records(
    path: str | os.PathLike | bytes, what: str = "table", *, max_rows: int | None = None, file: str | None = None
) -> list[tuple[int, list[str]]]:
    """The first sheet with data, as text cells, with their sheet row numbers (values, not formulas).

    `path` may be the file's bytes. Only the first `max_rows` rows are read when it is given; the
    limits for `what` apply (unpacked size, rows, cell length)."""
    shown = file or (str(path) if not isinstance(path, bytes) else what)
    book = open_workbook(path, what, shown)
    limits = limits_for(what)
    try:
        for sheet in book.worksheets:
            records: list[tuple[int, list[str]]] = []
            for number, row in enumerate(sheet.iter_rows(min_row=1, max_row=max_rows, values_only=True), start=1):
                cells = [cell_text(v) for v in row]
                longest = max(map(len, cells), default=0)
                if longest > limits.max_cell:
                    raise cell_too_long(what, shown, number, longest)
                records.append((number, cells))
                if number > limits.max_rows:
                    check_rows(number, what, shown, unit="rows")
            if any(any(c for c in cells) for _, cells in records):
                return records
    except LearnerError:
        raise
    except Exception as exc:  # a part openpyxl cannot parse (damaged XML, an impossible date)
        raise LearnerError(
            f"this spreadsheet cannot be read ({type(exc).__name__})",
            file=shown,
            fix="Open it in Excel and save it again as .xlsx or CSV",
        ) from exc
    finally:
        book.close()
    raise LearnerError(
        "the spreadsheet has no data in any sheet", file=shown, fix="Check that you exported the right file"
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
