"""Reading the cells of a learner's monitoring files (contracts, KPIs, returns, social value):
the records of a CSV or XLSX file with their line numbers (through `helpers.core.tables`, which
detects the encoding and the delimiter), header names in any spelling, numbers written the
European or the English way, dates and months. Each parser returns a value or a problem in
plain words, so the readers can name the file, the line and the fix. Files are only read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from helpers.core.errors import LearnerError
from helpers.core.tables import DELIMITER_NAMES, read_bytes, read_csv_records, xlsx_records
from helpers.core.values import column_decimal, parse_number
from helpers.monitoring.kpis import PERIOD_PATTERN

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm")
TEXT_SUFFIXES = (".csv", ".txt", ".tsv", "")
XLSX_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?: \d{2}:\d{2}:\d{2})?$")  # ISO, or a spreadsheet date as read
DAY_FIRST = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$")
__all__ = [
    "Records",
    "column_decimal",
    "header_key",
    "parse_date",
    "parse_number",
    "period_text",
    "read_records",
]


@dataclass(frozen=True)
class Records:
    """A learner's file as records: its shown name, the non-empty rows with their line numbers,
    and how it was read (spreadsheet or text; encoding and delimiter in words)."""

    name: str
    rows: list[tuple[int, list[str]]]
    spreadsheet: bool
    delimiter: str = ","
    how: str = ""

    @property
    def comma_decimal_ok(self) -> bool:
        """A comma may be a decimal mark unless it also separates the columns."""
        return self.spreadsheet or self.delimiter != ","


def read_records(path, what: str = "file", shown: str | None = None) -> Records:
    """The non-empty records of a CSV/TXT or XLSX file; LearnerError naming the file when it is unusable."""
    file = Path(path)
    name = shown or file.name
    suffix = file.suffix.lower()
    if suffix not in SPREADSHEET_SUFFIXES + TEXT_SUFFIXES:
        raise LearnerError(f"'{suffix}' files cannot be read here", file=name, fix=f"Save the {what} as .csv or .xlsx")
    try:
        if suffix in SPREADSHEET_SUFFIXES:
            read_bytes(file, what)  # the same plain message for a missing file, a folder or an empty file
            rows, how, delimiter = xlsx_records(file, what, file=name), "a spreadsheet (first sheet with data)", ","
        else:
            rows, encoding, delimiter = read_csv_records(read_bytes(file, what), what, name)
            how = f"text, {encoding}, {DELIMITER_NAMES.get(delimiter, repr(delimiter))}-separated"
    except LearnerError as exc:  # name the file as the learner knows it (an upload sits in a temporary folder)
        where = name + (f", line {exc.row}" if exc.row is not None else "")
        exc.message = exc.message.replace(str(file), name) if exc.file else f"{where}: {exc.message}"
        exc.file = name
        raise
    rows = [(n, [str(c) for c in cells]) for n, cells in rows if any(str(c).strip() for c in cells)]
    if not rows:
        raise LearnerError("the file is empty", file=name, fix=f"Export the {what} again with a header row")
    return Records(name, rows, suffix in SPREADSHEET_SUFFIXES, delimiter, how)


def header_key(name) -> str:
    """A column name in one spelling: "Contract ID" → contract_id, "Monthly charge (EUR)" → monthly_charge_eur."""
    return re.sub(r"[^0-9a-z%]+", "_", str(name or "").strip().lower()).strip("_")


def parse_date(cell) -> tuple[date | None, str]:
    """A date as written in a file: 2025-10-01, a spreadsheet date, or day first: 01/10/2025, 1.10.2025.
    Returns (date, "") or (None, the problem in words)."""
    text = str(cell).strip()
    if not text:
        return None, "is empty"
    iso = XLSX_DATE.match(text)
    parts = (int(iso.group(1)), int(iso.group(2)), int(iso.group(3))) if iso else None
    if parts is None and (day_first := DAY_FIRST.match(text)):
        parts = (int(day_first.group(3)), int(day_first.group(2)), int(day_first.group(1)))
    if parts is None:
        return None, f"'{text}' is not a date"
    try:
        return date(*parts), ""
    except ValueError:
        return None, f"'{text}' is not a date (day first: DD/MM/YYYY)" if not iso else f"'{text}' is not a date"


def period_text(cell, spreadsheet: bool = False) -> str | None:
    """A month as YYYY-MM, or None. A spreadsheet date (any day) counts as its month."""
    text = str(cell).strip()
    dated = XLSX_DATE.match(text) if spreadsheet else None
    if dated:
        text = f"{dated.group(1)}-{dated.group(2)}"
    return text if PERIOD_PATTERN.match(text) else None
