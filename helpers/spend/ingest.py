"""Read a payment ledger as finance systems export it, and say exactly what was cleaned.

A ledger arrives as CSV or XLSX in whatever encoding, delimiter, number and
date style the finance system uses, often with a title above the header,
subtotal rows, a repeated header on every printed page and a footer. `read_ledger`
detects each of these (never guessing blindly), keeps one row per payment and
returns a `CleaningReport` that says what it detected and what it dropped, with
line numbers, so the learner can check every decision against the file.

Decisions (course design):
- Exact duplicate lines are KEPT (two identical payments can be real) but counted and
  listed as "possible duplicates" in the report.
- Rows with an amount but no supplier name are kept (and counted in a warning).
- Credit notes are negative amounts; `(123.45)` and `123.45-` also read as negative.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.core.errors import LearnerError
from helpers.core.tables import DELIMITER_NAMES, detect_encoding, sniff_delimiter
from helpers.core.tables import csv_rows as _csv_rows
from helpers.core.tables import paused_gc as _paused_gc
from helpers.core.tables import read_bytes as _read_bytes
from helpers.core.tables import xlsx_records as _xlsx_records
from helpers.spend.mapping import (ROLES, check_mapping, guess_mapping, header_scores,
                                   load_mapping, mapping_signature)

PAYMENT_COLUMNS = ["source_line", "date", "supplier", "supplier_id", "amount", "postcode",
                   "category", "service_area", "vat_number", "currency", "redacted", "is_credit_note"]
TEXT_ROLES = ["supplier_id", "postcode", "category", "service_area", "vat_number"]
CURRENCY_SYMBOLS = {"£": "GBP", "€": "EUR", "$": "USD", "zł": "PLN", "Kč": "CZK", "lei": "RON",
                    "Fr.": "CHF", "kr": "SEK"}
CURRENCY_PATTERN = r"\b(?:EUR|GBP|USD|CHF|PLN|RON|CZK|SEK|DKK|HUF|BGN|NOK|UAH)\b|£|€|\$|zł|Kč|\blei\b"
SPACES = "\u00a0\u202f\u2009\u2007\u2008\u200a\u2002\u2003 '’"
# A totals/subtotal label, in the course's languages, as the start of a cell.
TOTALS_PATTERN = (r"(?i)^\W*(?:grand\s+|sub\s*-?\s*|gran\s+|general\s+)?(?:totals?|totaal|subtotaal|"
                  r"totale|subtotale|summe|zwischensumme|gesamt|gesamtsumme|insgesamt|somme|"
                  r"sous-total|suma|razem|ogółem|celkem|součet|σύνολο|yhteensä|kokku|summa|totalt)\b")
REDACTED_PATTERN = (r"(?i)redact|withheld|personal data|data protection|gdpr|not disclosed|"
                    r"anonymi[sz]ed|confidential|datos personales|protecci[oó]n de datos|"
                    r"donn[ée]es personnelles|persoonsgegevens|dados pessoais|dane osobowe|"
                    r"date personale|προσωπικ|osobn[ií] [uú]daje|personenbezogen|datenschutz|"
                    r"dati personali|henkilötie|isikuandme|^\s*[*xX#]{3,}\s*$")
MONTHS = {m: i for i, names in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
     ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
     ("oct", "october"), ("nov", "november"), ("dec", "december")], start=1) for m in names}


@dataclass
class CleaningReport:
    """What was detected in a ledger file and what was dropped, with line numbers."""
    file: str
    encoding: str
    delimiter: str | None
    header_line: int
    rows_read: int = 0
    rows_kept: int = 0
    dropped: list[dict] = field(default_factory=list)
    total_before: float = 0.0
    total_after: float = 0.0
    credit_notes: dict = field(default_factory=lambda: {"count": 0, "total": 0.0})
    redacted: dict = field(default_factory=lambda: {"count": 0, "total": 0.0})
    duplicates: dict = field(default_factory=lambda: {"count": 0, "total": 0.0, "examples": []})
    currency: str | None = None
    decimal: str = "."
    period: tuple = (None, None)
    columns: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    date_order: str | None = None
    mapping_source: str = "guessed"

    def to_dict(self) -> dict:
        """A JSON-able copy (dates as ISO strings)."""
        out = asdict(self)
        out["period"] = {"start": _iso(self.period[0]), "end": _iso(self.period[1])}
        return out

    def to_text(self) -> str:
        """A plain report a learner can read line by line."""
        delim = DELIMITER_NAMES.get(self.delimiter or "", self.delimiter or "(spreadsheet)")
        lines = [f"Cleaning report for {self.file}",
                 f"  read as: encoding {self.encoding}, delimiter {delim}, decimal mark '{self.decimal}'"
                 + (f", dates {self.date_order}" if self.date_order else ""),
                 f"  header found on line {self.header_line}; columns used ({self.mapping_source}): "
                 + ", ".join(f"{role} = '{col}'" for role, col in self.columns.items()),
                 f"  rows read after the header: {self.rows_read:,}; payments kept: {self.rows_kept:,}"]
        for drop in self.dropped:
            where = ", ".join(f"line {e['line']}" for e in drop["examples"][:5])
            lines.append(f"  dropped {drop['count']:,} × {drop['reason']} (e.g. {where})")
        lines.append(f"  total of all amounts read: {self.total_before:,.2f}; "
                     f"total of the payments kept: {self.total_after:,.2f}")
        lines.append(f"  credit notes (negative amounts): {self.credit_notes['count']:,}, "
                     f"total {self.credit_notes['total']:,.2f}")
        lines.append(f"  redacted supplier names: {self.redacted['count']:,}, total {self.redacted['total']:,.2f}")
        if self.duplicates["count"]:
            first = self.duplicates["examples"][0]
            lines.append(f"  possible duplicates (kept): {self.duplicates['count']:,} lines identical to an "
                         f"earlier line, total {self.duplicates['total']:,.2f} (e.g. line {first['line']} "
                         f"repeats line {first['first_line']})")
        start, end = self.period
        lines.append(f"  period: {_iso(start) or '?'} to {_iso(end) or '?'}; currency: {self.currency or 'not stated'}")
        lines.extend(f"  note: {w}" for w in self.warnings)
        return "\n".join(lines)


@dataclass
class IngestResult:
    """The clean payments, the cleaning report and the role → column mapping used."""
    payments: pd.DataFrame
    report: CleaningReport
    mapping: dict[str, str]


def _iso(value) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return pd.Timestamp(value).date().isoformat()


# ---------------------------------------------------------------- columns → values

def _by_distinct_value(parse, values: pd.Series, *args) -> tuple[pd.Series, dict]:
    """Parse each distinct text once (ledgers repeat dates and amounts a lot), then spread back."""
    codes, uniques = pd.factorize(values.astype("str").fillna("").str.strip() if len(values) else values)
    parsed, info = parse(pd.Series(np.asarray(uniques, dtype=object), dtype="str"), *args)
    result = parsed.to_numpy()[codes] if len(uniques) else parsed.to_numpy()[:0]
    for key, item in list(info.items()):
        if isinstance(item, pd.Series):
            info[key] = pd.Series(item.to_numpy()[codes] if len(uniques) else [], index=values.index, dtype=item.dtype)
    return pd.Series(result, index=values.index, dtype=parsed.dtype), info


def parse_amounts(values: pd.Series, decimal: str | None = None) -> tuple[pd.Series, dict]:
    """Money text → float64 (see `_parse_amounts`), parsing each distinct value once."""
    return _by_distinct_value(_parse_amounts, values, decimal)


def parse_dates(values: pd.Series, order: str | None = None) -> tuple[pd.Series, dict]:
    """Date text → datetime64[ns] (see `_parse_dates`), parsing each distinct value once."""
    return _by_distinct_value(_parse_dates, values, order)


def _parse_amounts(values: pd.Series, decimal: str | None = None) -> tuple[pd.Series, dict]:
    """Money text → float64 (NaN where unreadable), deciding the decimal mark from the whole column.

    Handles `1,234.56`, `1.234,56`, `£1,234.56`, `€ 1 234,56` (any space), `(123.45)`,
    `-123.45` and `123.45-`. A single separator followed by exactly three digits is
    ambiguous (`1,234`), so the column's other values decide; info says how.
    """
    text = values.fillna("")
    currency, core, negative = _amount_parts(text)
    info = {"decimal": decimal, "ambiguous": 0, "conflicts": 0}
    if decimal is None:
        both = [("." in c) and ("," in c) for c in core]
        last_dot = [c.rfind(".") > c.rfind(",") for c in core]
        votes_dot = sum(b and d for b, d in zip(both, last_dot))
        votes_comma = sum(b and not d for b, d in zip(both, last_dot))
        shapes = _number_shapes(core)
        votes_dot += shapes["dot_groups"] + shapes["dot_decimals"]          # 1,234,567 / 12.5, 0.1234
        votes_comma += shapes["comma_groups"] + shapes["comma_decimals"]    # 1.234.567 / 12,5
        info["ambiguous"] = shapes["ambiguous"]                             # 1,234 or 1.234
        if votes_comma > votes_dot:
            decimal = ","
        elif votes_dot > votes_comma:
            decimal = "."
        else:
            decimal = "."
            info["assumed"] = True
        info["conflicts"] = min(votes_dot, votes_comma)
        info["decimal"] = decimal
    thousands = "," if decimal == "." else "."
    plain = [c.replace(thousands, "") for c in core]
    if decimal == ",":
        plain = [c.replace(",", ".") for c in plain]
    valid = re.compile(r"(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?").fullmatch
    plain = pd.Series([c if valid(c) else None for c in plain], index=text.index, dtype="str")
    numbers = pd.to_numeric(plain, errors="coerce").astype("float64")
    numbers = numbers.where(~negative, -numbers)
    info["currency"] = currency
    return numbers, info


# Digits and separators only (an optional leading minus): no currency, spaces or brackets to remove.
_SIMPLE_AMOUNT = re.compile(r"-?[\d.,]+")


# The number shapes that vote for a decimal mark. They exclude each other (so one regex
# pass counts them all): several ',' groups; several '.' groups; one '.' not followed by
# exactly three digits; the same with ','; one separator followed by exactly three digits.
_NUMBER_SHAPES = re.compile(r"(?P<dot_groups>\d{1,3}(?:,\d{3}){2,})|(?P<comma_groups>\d{1,3}(?:\.\d{3}){2,})|"
                            r"(?P<dot_decimals>\d*\.(?:\d{1,2}|\d{4,}))|(?P<comma_decimals>\d*,(?:\d{1,2}|\d{4,}))|"
                            r"(?P<ambiguous>\d{1,3}[.,]\d{3})")


def _number_shapes(texts: list[str]) -> dict[str, int]:
    """How many texts have each shape of `_NUMBER_SHAPES` (whole text)."""
    counts = dict.fromkeys(_NUMBER_SHAPES.groupindex, 0)
    match = _NUMBER_SHAPES.fullmatch
    for found in map(match, texts):
        if found is not None:
            counts[found.lastgroup] += 1
    return counts


def _amount_parts(text: pd.Series) -> tuple[pd.Series, list[str], pd.Series]:
    """Currency found, the bare number text and the minus sign of each money text.

    Why two paths: most ledger amounts are plain (`-1,234.56`) and need no regex
    rewriting, so only the others go through `_amount_parts_general` (same results).
    """
    items = text.tolist()
    simple = np.fromiter((_SIMPLE_AMOUNT.fullmatch(t) is not None for t in items), dtype=bool, count=len(items))
    core = [t[1:] if t.startswith("-") else t for t in items]
    negative = np.fromiter((t.startswith("-") for t in items), dtype=bool, count=len(items))
    currency = pd.Series(np.nan, index=text.index, dtype="str")
    if not simple.all():
        others = ~simple
        sub_currency, sub_core, sub_negative = _amount_parts_general(text[others])
        currency[others] = sub_currency
        for position, value in zip(np.flatnonzero(others), sub_core.tolist()):
            core[position] = value
        negative[others] = sub_negative.to_numpy(dtype=bool)
    return currency, core, pd.Series(negative, index=text.index)


def _amount_parts_general(text: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """`_amount_parts` for any text: currency symbols or codes, any spaces, (123.45), 123.45-, '−'."""
    currency = text.str.extract(f"(?i)({CURRENCY_PATTERN})", expand=False)
    core = text.str.replace(f"(?i){CURRENCY_PATTERN}", "", regex=True)
    core = core.str.replace(f"[{SPACES}]", "", regex=True).str.replace("−", "-", regex=False)
    negative = core.str.match(r"^\(.*\)$") | core.str.startswith("-") | core.str.match(r"^[^-].*-$")
    core = core.str.replace(r"^\((.*)\)$", r"\1", regex=True).str.strip("+-")
    return currency, core, negative


def _excel_serial(days: pd.Series) -> pd.Series:
    return pd.Timestamp("1899-12-30") + pd.to_timedelta(days.round(6), unit="D")


def _parse_dates(values: pd.Series, order: str | None = None) -> tuple[pd.Series, dict]:
    """Date text → datetime64[ns] (NaT where unreadable), deciding day/month order from the column.

    Reads ISO dates and datetimes, dd/mm/yyyy or mm/dd/yyyy (and d/m/yy, with / . or -),
    `02-Sep-2024`, and Excel serial numbers. If no value shows the order, day-first is
    assumed (European usage) and info says so.
    """
    text = values.fillna("")
    out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    info: dict = {"order": None, "assumed": False}

    iso = text.str.extract(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?"
                           r"(?:Z|[+-]\d{2}:?\d{2})?$")
    has_iso = iso[0].notna()
    if has_iso.any():
        part = iso.loc[has_iso]
        out.loc[has_iso] = _from_parts(part[0], part[1], part[2], part[3], part[4], part[5])

    ymd = text.str.extract(r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})(?:[ T].*)?$")
    has_ymd = ymd[0].notna()
    if has_ymd.any():
        out.loc[has_ymd] = _from_parts(ymd.loc[has_ymd, 0], ymd.loc[has_ymd, 1], ymd.loc[has_ymd, 2])

    dmy = text.str.extract(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})(?:[ T].*)?$")
    has_dmy = dmy[0].notna()
    if has_dmy.any():
        first = dmy.loc[has_dmy, 0].astype("int64")
        second = dmy.loc[has_dmy, 1].astype("int64")
        day_first_evidence = int((first > 12).sum())
        month_first_evidence = int((second > 12).sum())
        if order is None:
            if month_first_evidence > day_first_evidence:
                order = "month-first"
            else:
                order = "day-first"
                info["assumed"] = day_first_evidence == 0
            info["conflicts"] = min(day_first_evidence, month_first_evidence)
        day, month = (first, second) if order == "day-first" else (second, first)
        year = dmy.loc[has_dmy, 2].astype("int64")
        year = year.where(year >= 100, np.where(year < 70, 2000 + year, 1900 + year))
        out.loc[has_dmy] = _from_parts(year, month, day)
    info["order"] = order if has_dmy.any() else None

    named = text.str.extract(r"^(\d{1,2})[ \-/]([A-Za-z]{3,9})\.?[ \-/,]+(\d{4}|\d{2})(?:[ T].*)?$")
    has_named = named[0].notna() & named[1].str.lower().isin(MONTHS)
    if has_named.any():
        year = named.loc[has_named, 2].astype("int64")
        year = year.where(year >= 100, np.where(year < 70, 2000 + year, 1900 + year))
        month = named.loc[has_named, 1].str.lower().map(MONTHS)
        out.loc[has_named] = _from_parts(year, month, named.loc[has_named, 0])

    serial = text.str.fullmatch(r"\d{5}(\.\d+)?")
    if serial.any():
        days = pd.to_numeric(text[serial], errors="coerce")
        days = days.where((days >= 20000) & (days <= 80000))
        out.loc[serial] = _excel_serial(days).astype("datetime64[ns]")
        info["excel_serial"] = int(days.notna().sum())
    return out.astype("datetime64[ns]"), info


def _from_parts(year, month, day, hour=None, minute=None, second=None) -> pd.Series:
    """Whole columns of date parts → datetimes (NaT where impossible, e.g. 31/02)."""
    parts = {"year": year, "month": month, "day": day, "hour": hour, "minute": minute, "second": second}
    frame = pd.DataFrame({k: pd.to_numeric(v, errors="coerce") for k, v in parts.items() if v is not None})
    frame = frame.fillna({k: 0 for k in ("hour", "minute", "second") if k in frame})
    return pd.to_datetime(frame, errors="coerce").astype("datetime64[ns]")


def is_redacted(names: pd.Series) -> pd.Series:
    """True where a supplier name was withheld (e.g. 'REDACTED UNDER DP ACT', 'datos personales')."""
    codes, uniques = pd.factorize(names.fillna("").astype("str"))
    flags = pd.Series(np.asarray(uniques, dtype=object), dtype="str").str.contains(REDACTED_PATTERN, regex=True)
    return pd.Series(flags.to_numpy(dtype=bool)[codes] if len(uniques) else [], index=names.index, dtype="bool")


def supplier_key(names: pd.Series, ids: pd.Series | None = None) -> pd.Series:
    """A simple grouping key: the supplier number when present, else the name in capitals
    without punctuation or company-form words (LTD, LIMITED, PLC, S.L., GMBH…)."""
    norm = (names.fillna("").astype("str").str.upper()
            .str.replace(r"[^\w\s]", " ", regex=True)
            .str.replace(r"\b(LTD|LIMITED|PLC|LLP|INC|CO|SL|SA|SAS|SARL|BV|NV|GMBH|AG|SRL|SPA|OY|AS|OU)\b",
                         " ", regex=True)
            .str.split().str.join(" "))
    key = "name:" + norm
    if ids is not None:
        has_id = ids.notna() & (ids.astype("str").str.strip() != "")
        key = key.where(~has_id, "id:" + ids.astype("str").str.strip())
    return key


# ---------------------------------------------------------------- the whole file

def find_header(records: list[tuple[int, list[str]]]) -> int:
    """Index of the header: the first row naming several roles (or, failing that, the first
    full-width row of text only). Shared with the workbench's preview, so both agree."""
    widths = pd.Series([sum(1 for c in cells if c.strip()) for _, cells in records[:200]])
    typical = int(widths[widths > 1].mode().max()) if (widths > 1).any() else 1
    for index, (_, cells) in enumerate(records[:60]):
        roles = set()
        for cell in cells:
            roles.update(r for r, (score, _) in header_scores(cell).items() if score >= 0.5)
        if len(roles) >= 2 and ({"amount", "supplier", "date"} & roles):
            return index
    for index, (_, cells) in enumerate(records[:60]):
        filled = [c.strip() for c in cells if c.strip()]
        if len(filled) >= max(2, typical * 0.8) and not any(re.fullmatch(r"[\d\s.,:/()£€$-]+", c) for c in filled):
            return index
    raise LearnerError("no header row was found: this does not look like a table of payments",
                       fix="Check the file has one row of column names above the payments")


def _body_table(body: list[list[str]], lines: np.ndarray, columns: list[str]) -> tuple[pd.DataFrame, list[int]]:
    """The rows below the header as a table of stripped text (short rows padded with "", extra
    cells cut off), and the lines whose cut-off cells held something.

    Why column by column: turning a million rows into columns with `zip` and stripping each
    column with `map` avoids a Python loop per row.
    """
    width = len(columns)
    lengths = np.fromiter(map(len, body), dtype="int64", count=len(body))
    too_wide = [int(lines[i]) for i in np.flatnonzero(lengths > width) if any(c.strip() for c in body[i][width:])]
    if not (lengths == width).all():
        body = [(cells + [""] * width)[:width] for cells in body]
    cells_by_column = list(zip(*body)) if body else [()] * width
    table = pd.DataFrame({name: pd.Series(list(map(str.strip, cells)), dtype="str")
                          for name, cells in zip(columns, cells_by_column)}, columns=columns)
    return table, too_wide


def column_names(cells: list[str]) -> list[str]:
    names, seen = [], {}
    for i, cell in enumerate(cells, start=1):
        name = cell.replace("\ufeff", "").strip() or f"column {i}"
        if name in seen:
            seen[name] += 1
            name = f"{name} ({seen[name]})"
        else:
            seen[name] = 1
        names.append(name)
    return names


def read_ledger(path, mapping: dict[str, str] | None = None, *,
                use_saved_mapping: bool = True) -> IngestResult:
    """Read a CSV/XLSX payment ledger into clean payments plus a cleaning report.

    `mapping` (role → column) overrides the guess for the roles it names. Without it,
    a mapping saved for files of the same header (`mapping.save_mapping`) is used if
    `use_saved_mapping`, else the columns are guessed. The file is opened read-only.
    """
    path = Path(path)
    raw = _read_bytes(path)
    name = path.name
    is_xlsx = raw.startswith(b"PK\x03\x04") or path.suffix.lower() in (".xlsx", ".xlsm")
    if raw.startswith(b"\xd0\xcf\x11\xe0"):
        raise LearnerError("this is an old-style .xls or a password-protected (encrypted) spreadsheet",
                           file=str(path), fix="Open it in Excel, remove any password, and save it as .xlsx or CSV")
    if is_xlsx:
        if not raw.startswith(b"PK\x03\x04"):
            raise LearnerError("this .xlsx file is damaged (it is not a spreadsheet inside)", file=str(path),
                               fix="Export it again, or save it as CSV")
        records = _xlsx_records(path)
        rows, all_lines = [cells for _, cells in records], np.array([n for n, _ in records], dtype="int64")
        encoding, encoding_note, delimiter = "xlsx", "Excel workbook (values, not formulas)", None
    else:
        if b"\x00" in raw[:4096] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise LearnerError("this is not a text table (it contains binary data)", file=str(path),
                               fix="Choose the CSV or XLSX export of the ledger")
        encoding, encoding_note = detect_encoding(raw)
        text = raw.decode(encoding)
        delimiter = sniff_delimiter(text)
        with _paused_gc():
            rows, all_lines = _csv_rows(text, delimiter)
    if not rows:
        raise LearnerError("the file has no rows", file=str(path), fix="Export the ledger again")

    header_index = find_header([(int(n), cells) for n, cells in zip(all_lines[:200], rows[:200])])
    header_line, header_cells = int(all_lines[header_index]), rows[header_index]
    columns = column_names(header_cells)
    width = len(columns)
    if width < 2:
        raise LearnerError("this does not look like a table: the header has a single column", file=str(path),
                           fix="Check the delimiter, or save the file again as CSV with commas")
    body = rows[header_index + 1:]
    lines = all_lines[header_index + 1:]
    with _paused_gc():
        table, too_wide = _body_table(body, lines, columns)

    # ---- mapping
    signature = mapping_signature(columns)
    source = "guessed"
    sample = table.head(500)
    guess = guess_mapping(columns, sample)
    used: dict[str, str] = dict(guess.mapping)
    chosen = None
    if mapping is not None:
        chosen, source = check_mapping(mapping), "given"
    elif use_saved_mapping:
        saved = load_mapping(signature)
        if saved and all(col in columns for col in saved.values()):
            chosen, source = saved, "saved for files of this shape"
    if chosen is not None:
        missing = [col for col in chosen.values() if col not in columns]
        if missing:
            raise LearnerError(f"the mapping names column(s) {', '.join(repr(m) for m in missing)}, "
                               f"which are not in the file (its columns: {', '.join(columns)})",
                               file=str(path), fix="Choose columns from that list in the mapping")
        used = {r: c for r, c in used.items() if r not in chosen and c not in chosen.values()}
        used.update(chosen)
    used = {r: used[r] for r in ROLES if r in used}
    if "amount" not in used:
        raise LearnerError("no column looks like an amount — choose it in the mapping", file=str(path),
                           fix=f"Name the amount column (one of: {', '.join(columns)})")

    report = CleaningReport(file=name, encoding=encoding, delimiter=delimiter, header_line=header_line,
                            columns=dict(used), mapping_source=source)
    if header_index:
        report.warnings.append(f"{header_index} line(s) above the header were skipped as a title or preamble "
                               f"(from line {int(all_lines[0])}).")
    report.warnings.append(f"encoding: {encoding_note}.")
    if too_wide:
        report.warnings.append(f"{len(too_wide)} row(s) have more cells than the header; the extra cells "
                               f"were ignored (e.g. line {too_wide[0]}).")

    # ---- classify rows
    amounts, amount_info = parse_amounts(table[used["amount"]])
    report.decimal = amount_info["decimal"]
    if amount_info.get("assumed") and amount_info["ambiguous"]:
        report.warnings.append(f"the decimal mark could not be told from the amounts ('{used['amount']}' has "
                               f"only values like 1,234); '.' was assumed — check a few rows.")
    if amount_info["conflicts"]:
        report.warnings.append(f"{amount_info['conflicts']} amount(s) use the other decimal mark than the rest "
                               f"of the column; read with '{report.decimal}'.")
    n_filled = (table != "").sum(axis=1)
    blank = n_filled == 0
    could_be_header = ~blank & amounts.isna()   # a header's amount cell is a word
    same_as_header = pd.DataFrame({c: table.loc[could_be_header, c].str.casefold() == c.casefold()
                                   for c in columns}).sum(axis=1).reindex(table.index, fill_value=0)
    repeated_header = could_be_header & (same_as_header >= np.maximum(2, (n_filled * 0.6)))
    supplier = table[used["supplier"]] if "supplier" in used else pd.Series("", index=table.index)
    no_supplier = supplier == ""
    # "no date" = nothing readable as a date (a "TOTAL" label often sits in the date column)
    no_date = parse_dates(table[used["date"]])[0].isna() if "date" in used else pd.Series(True, index=table.index)
    # Only rows without a date, or without an amount, can be totals rows: check their words.
    maybe_total = ~blank & (no_date | (amounts.isna() & (n_filled <= 3)))
    other_text = table.loc[maybe_total, [c for c in columns if c != used["amount"]]]
    totals_word = other_text.apply(lambda col: col.str.contains(TOTALS_PATTERN, regex=True)).any(axis=1)
    totals_word = totals_word.reindex(table.index, fill_value=False).astype("bool")
    supplier_is_total = supplier.str.contains(TOTALS_PATTERN, regex=True)
    # A real payment has a date: "TOTAL GAS & POWER LTD" with a date stays a payment.
    totals = ~repeated_header & totals_word & amounts.notna() & no_date & (no_supplier | supplier_is_total)
    totals |= ~repeated_header & totals_word & amounts.isna() & (n_filled <= 3)
    # A row with no supplier whose amount equals the sum of the rows before it is a (sub)total too.
    candidate = ~blank & ~repeated_header & ~totals & amounts.notna()
    running = amounts.where(candidate & ~no_supplier, 0.0).fillna(0.0)
    cumulative = running.cumsum()
    last_total_cum = 0.0
    check = (candidate & no_supplier) if "supplier" in used else pd.Series(False, index=table.index)
    for idx in np.flatnonzero((check | totals).to_numpy()):
        before = float(cumulative.iloc[idx] - running.iloc[idx])
        if totals.iloc[idx]:   # a labelled subtotal: the next subtotal starts after it
            last_total_cum = before
            continue
        value = float(amounts.iloc[idx])
        if before and (abs(value - (before - last_total_cum)) < 0.005 or abs(value - before) < 0.005):
            totals.iloc[idx] = True
            last_total_cum = before
    no_amount_text = ~blank & ~repeated_header & ~totals & (table[used["amount"]] == "")
    note_line = no_amount_text & (n_filled <= 1)
    no_amount = no_amount_text & ~note_line
    unreadable = ~blank & ~repeated_header & ~totals & ~no_amount_text & amounts.isna()
    drop_reasons = [("blank line", blank), ("repeated header row", repeated_header),
                    ("totals or subtotal row", totals),
                    ("note or footer line (one filled cell, no amount)", note_line),
                    ("no amount", no_amount), ("amount is not a number", unreadable)]
    keep = pd.Series(True, index=table.index)
    def row_text(position: int) -> str:
        return " | ".join(table.iloc[position])[:200]

    for reason, mask in drop_reasons:
        mask = mask & keep
        if mask.any():
            where = np.flatnonzero(mask.to_numpy())
            report.dropped.append({"reason": reason, "count": int(len(where)), "examples": [
                {"line": int(lines[i]), "text": row_text(i)} for i in where[:5]]})
            keep &= ~mask

    report.rows_read = int(len(table))
    report.total_before = round(float(amounts[~repeated_header].sum()), 2)

    kept = table[keep]
    kept_amounts = amounts[keep]
    # ---- build the payments table
    payments = pd.DataFrame({"source_line": lines[keep.to_numpy()]}, index=kept.index)
    if "date" in used:
        dates, date_info = parse_dates(kept[used["date"]])
        report.date_order = date_info.get("order")
        if date_info.get("order") and date_info.get("assumed"):
            report.warnings.append("no date shows whether the day or the month comes first; day-first "
                                   "(dd/mm) was assumed, as usual in Europe.")
        elif date_info.get("order") == "month-first":
            report.warnings.append("dates are month-first (mm/dd), as some values have a 'month' above 12.")
        if date_info.get("excel_serial"):
            report.warnings.append(f"{date_info['excel_serial']} date(s) were Excel serial numbers, converted.")
        bad_dates = dates.isna() & (kept[used["date"]] != "")
        if bad_dates.any():
            first = int(payments["source_line"][bad_dates].iloc[0])
            report.warnings.append(f"{int(bad_dates.sum())} date(s) could not be read and are left empty "
                                   f"(e.g. line {first}: '{kept[used['date']][bad_dates].iloc[0]}').")
    else:
        dates = pd.Series(pd.NaT, index=kept.index, dtype="datetime64[ns]")
        report.warnings.append("no date column was found; the period is unknown.")
    payments["date"] = dates.astype("datetime64[ns]")
    payments["supplier"] = supplier[keep].astype("str")
    for role in ["supplier_id"]:
        payments[role] = _text_or_na(kept, used.get(role))
    payments["amount"] = kept_amounts.astype("float64")
    for role in ["postcode", "category", "service_area", "vat_number"]:
        payments[role] = _text_or_na(kept, used.get(role))
    symbol_currency = amount_info["currency"][keep].map(_currency_code, na_action="ignore")
    if "currency" in used:
        payments["currency"] = _text_or_na(kept, used["currency"]).str.upper()
    else:
        found = symbol_currency.dropna().unique()
        # One symbol in the whole column (e.g. '£' on some rows): it is the ledger's currency.
        payments["currency"] = (pd.Series(found[0], index=kept.index, dtype="str") if len(found) == 1
                                else symbol_currency.astype("str"))
    payments["redacted"] = is_redacted(payments["supplier"]).astype("bool")
    payments["is_credit_note"] = (payments["amount"] < 0).astype("bool")
    payments = payments[PAYMENT_COLUMNS].reset_index(drop=True)

    # ---- figures
    report.rows_kept = int(len(payments))
    report.total_after = round(float(payments["amount"].sum()), 2)
    credit = payments["is_credit_note"]
    report.credit_notes = {"count": int(credit.sum()), "total": round(float(payments.loc[credit, "amount"].sum()), 2)}
    red = payments["redacted"]
    report.redacted = {"count": int(red.sum()), "total": round(float(payments.loc[red, "amount"].sum()), 2)}
    if no_supplier[keep].any():
        report.warnings.append(f"{int(no_supplier[keep].sum())} kept payment(s) have no supplier name.")
    currencies = payments["currency"].dropna()
    report.currency = str(currencies.mode().iloc[0]) if len(currencies) else None
    if currencies.nunique() > 1:
        report.warnings.append(f"more than one currency appears: {', '.join(sorted(currencies.unique()))}.")
    if payments["date"].notna().any():
        report.period = (payments["date"].min(), payments["date"].max())
    # one grouping of identical rows gives both "is a copy" and "copy of which line"
    first_line = kept.reset_index(drop=True).groupby(list(columns), sort=False, dropna=False).ngroup()
    duplicated = first_line.duplicated(keep="first")
    if duplicated.any():
        first_of_group = pd.Series(payments["source_line"].to_numpy()).groupby(first_line.to_numpy()).transform("first")
        dup = duplicated.to_numpy()
        report.duplicates = {
            "count": int(dup.sum()), "total": round(float(payments["amount"][dup].sum()), 2),
            "examples": [{"line": int(payments["source_line"].iloc[i]), "first_line": int(first_of_group.iloc[i]),
                          "text": row_text(int(np.flatnonzero(keep.to_numpy())[i]))}
                         for i in np.flatnonzero(dup)[:5]]}
        report.warnings.append(f"{report.duplicates['count']} line(s) are exact copies of an earlier line; "
                               f"they are kept (two identical payments can be real) — check them.")
    return IngestResult(payments=payments, report=report, mapping=dict(used))


def _currency_code(symbol: str) -> str:
    upper = symbol.upper()
    if upper in {"EUR", "GBP", "USD", "CHF", "PLN", "RON", "CZK", "SEK", "DKK", "HUF", "BGN", "NOK", "UAH"}:
        return upper
    return CURRENCY_SYMBOLS.get(symbol, CURRENCY_SYMBOLS.get(symbol.lower(), upper))


def _text_or_na(table: pd.DataFrame, column: str | None) -> pd.Series:
    """A stripped text column with empty cells as missing (NA)."""
    if column is None:
        return pd.Series(pd.NA, index=table.index, dtype="str")
    values = table[column]
    return values.where(values != "", pd.NA).astype("str")
