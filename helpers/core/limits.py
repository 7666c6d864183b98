"""The limits every reader of a learner's file enforces, stated once (SECURITY.md lists them).

A file above a limit is refused at once, before it is read, with a message naming the limit
and what to do: a zip bomb, a FIFO or `/dev/zero` given as a ledger must never stall a
notebook. The defaults are sized so that real files pass: a multi-year city ledger of
several million lines (about 200 bytes a line) is well inside the ledger's limits, and a
spreadsheet cell may hold as much as Excel allows.

`SPW_LIMITS_SCALE` (a number, e.g. 2) multiplies the size and row limits, for a trainer
with a larger file; the cell, ratio and depth limits stay as they are.
"""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass, replace

from helpers.core.errors import LearnerError

EXCEL_CELL_CHARACTERS = 32_767  # the most text an Excel cell holds
MB = 1_000_000
GB = 1_000_000_000


@dataclass(frozen=True)
class Limits:
    """What one kind of file may hold (sizes in bytes)."""

    max_bytes: int  # the file on disk (or the upload)
    max_rows: int  # lines of a text table, rows of a spreadsheet
    max_cell: int = EXCEL_CELL_CHARACTERS  # characters in one cell
    max_unpacked: int = 500 * MB  # XLSX/zip: all parts unpacked
    max_ratio: int = 100  # XLSX/zip: unpacked ÷ packed size of one large part (real sheets: 5–20)
    max_parts: int = 10_000  # XLSX/zip: parts inside
    max_depth: int = 64  # JSON: nesting of lists and objects


class LimitExceeded(LearnerError):
    """A file above one of the limits: its message names the limit and what to do, so a reader that
    rewords other errors passes this one on as it is."""


_TABLE = Limits(max_bytes=200 * MB, max_rows=2_000_000)
LIMITS: dict[str, Limits] = {
    # ~200 bytes a line: 2 GB is ten million lines, several years of a large city's payments.
    "ledger": Limits(max_bytes=2 * GB, max_rows=10_000_000, max_unpacked=2 * GB),
    "supplier register": Limits(max_bytes=1 * GB, max_rows=5_000_000, max_unpacked=2 * GB),
    "geography table": _TABLE,
    "bids file": _TABLE,
    "KPI returns": _TABLE,
    "table": _TABLE,
    "OCDS file": Limits(max_bytes=1 * GB, max_rows=10_000_000, max_depth=64),
    "progress file": Limits(max_bytes=50 * MB, max_rows=1_000_000, max_depth=64),
}
# The parts of a workbook that are unpacked whole or that never need be large.
_SMALL_PART_BYTES = 1_000_000  # the ratio is only checked for parts larger than this


def limits_for(what: str) -> Limits:
    """The limits for a kind of file ("ledger", "bids file"…; any other kind: those of "table"),
    scaled by `SPW_LIMITS_SCALE` when it is set."""
    found = LIMITS.get(what, _TABLE)
    try:
        scale = float(os.environ.get("SPW_LIMITS_SCALE", "1") or 1)
    except ValueError:
        scale = 1.0
    if not 1 <= scale <= 1000:  # a typo never lowers the limits or lifts them without bound
        scale = 1.0
    if scale == 1:
        return found
    return replace(
        found,
        max_bytes=int(found.max_bytes * scale),
        max_rows=int(found.max_rows * scale),
        max_unpacked=int(found.max_unpacked * scale),
    )


def size_words(n: int) -> str:
    """Bytes in words: '2 GB', '200 MB', '12 KB'."""
    for unit, size in (("GB", GB), ("MB", MB), ("KB", 1000)):
        if n >= size:
            value = n / size
            return f"{value:.1f} {unit}".replace(".0 ", " ")
    return f"{n} bytes"


_RAISE = "or ask your trainer to raise the limit (environment variable SPW_LIMITS_SCALE, e.g. 2)"


def check_size(size: int, what: str, file: str) -> None:
    """Refuse a file larger than the limit for its kind."""
    limit = limits_for(what).max_bytes
    if size > limit:
        raise LimitExceeded(
            f"the file is {size_words(size)}, above the {size_words(limit)} this course reads for a {what}",
            file=file,
            fix=f"Split it (for example one file per year) or remove columns you do not need, {_RAISE}",
        )


def check_rows(count: int, what: str, file: str, unit: str = "lines") -> None:
    """Refuse a table with more lines (or rows) than the limit for its kind."""
    limit = limits_for(what).max_rows
    if count > limit:
        raise LimitExceeded(
            f"the file has more than {limit:,} {unit}, the most this course reads for a {what}",
            file=file,
            fix=f"Split it (for example one file per year), {_RAISE}",
        )


def cell_too_long(what: str, file: str, row: int | None, length: int | None = None) -> LimitExceeded:
    """The error for a cell longer than a spreadsheet cell can be."""
    limit = limits_for(what).max_cell
    size = f" ({length:,} characters)" if length else ""
    return LimitExceeded(
        f"a cell is longer than {limit:,} characters{size}, the most a spreadsheet cell holds: "
        "this is not a table of values (a damaged export, or a quote character that is never closed)",
        file=file,
        row=row,
        fix="Open the file in a spreadsheet, check that row, and save it again as CSV or XLSX",
    )


def check_zip(archive: zipfile.ZipFile, what: str, file: str) -> None:
    """Refuse an XLSX whose parts unpack to more than the limit, or one part packed suspiciously
    tightly (a "zip bomb": a 100 KB file with a 100 MB cell), before anything is unpacked.

    The sizes checked are the ones the archive declares; Python's zipfile never unpacks more than
    a part declares (it stops and reports a damaged file), so they cannot lie."""
    limits = limits_for(what)
    parts = archive.infolist()
    fix = "Open it in Excel and save it again (or save it as CSV)"
    if len(parts) > limits.max_parts:
        raise LimitExceeded(
            f"this spreadsheet holds {len(parts):,} parts (more than {limits.max_parts:,}): "
            "it is not a normal workbook",
            file=file,
            fix=fix,
        )
    total = sum(p.file_size for p in parts)
    if total > limits.max_unpacked:
        raise LimitExceeded(
            f"this spreadsheet unpacks to {size_words(total)}, above the {size_words(limits.max_unpacked)} "
            f"this course reads for a {what}",
            file=file,
            fix=f"Save it as CSV, or split it (one file per year), {_RAISE}",
        )
    for part in parts:
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > _SMALL_PART_BYTES and ratio > limits.max_ratio:
            raise LimitExceeded(
                f"part {part.filename[:80]!r} of this spreadsheet unpacks to {size_words(part.file_size)} from "
                f"{size_words(part.compress_size)} ({ratio:,.0f} times; real sheets are 5 to 20 times, the limit is "
                f"{limits.max_ratio}): it is damaged or built to exhaust memory",
                file=file,
                fix=fix,
            )
