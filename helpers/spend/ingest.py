"""Read a payment ledger as finance systems export it, and say exactly what was cleaned.

A ledger arrives as CSV or XLSX in whatever encoding, delimiter, number and
date style the finance system uses, often with a title above the header,
subtotal rows, a repeated header on every printed page and a footer. `read_ledger`
detects each of these (never guessing blindly), keeps one row per payment and
returns a `CleaningReport` that says what it detected and what it dropped, with
line numbers, so the learner can check every decision against the file.

The steps, in order: read the file's records (`read_records`), find the header and
the table below it (`find_header`, `body_table`), choose which column holds what
(`choose_mapping`), classify the rows (`cleaning.classify_rows`), then build the
payments and the report's figures. The cleaning decisions (course design) are listed
in `helpers.spend.cleaning`; amounts and dates are read by `helpers.spend.parsing`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.core.errors import LearnerError
from helpers.core.tables import (
    COLUMNWISE_MIN_BYTES,
    check_lines,
    columnwise_available,
    csv_columns,
    csv_records,
    csv_rows,
    detect_encoding,
    line_offset,
    paused_gc,
    read_bytes,
    sniff_delimiter,
    xlsx_records,
)
from helpers.spend.cleaning import (
    CleaningReport,
    IngestResult,
    add_figures,
    classify_rows,
    is_redacted,
    ledger_supplier,
    record_drops,
    record_duplicates,
)
from helpers.spend.columns import per_unique, release_unused_memory
from helpers.spend.ledger_checks import record_currencies, record_period, record_repeated_invoices
from helpers.spend.mapping import ROLES, check_mapping, guess_mapping, header_scores, load_mapping, mapping_signature
from helpers.spend.parsing import MAX_AMOUNT, currency_code, exact_total, parse_amounts, parse_dates

PAYMENT_COLUMNS = [
    "source_line",
    "date",
    "supplier",
    "supplier_id",
    "amount",
    "postcode",
    "category",
    "service_area",
    "vat_number",
    "currency",
    "redacted",
    "is_credit_note",
]


@dataclass
class LedgerRecords:
    """Every record of a ledger file with the line (or sheet row) it starts on, and how it was read."""

    rows: list[list[str]]
    lines: np.ndarray
    encoding: str
    encoding_note: str
    delimiter: str | None
    # A big CSV file as UTF-8 when `rows` holds only its first HEAD_LINES records: `ledger_table`
    # reads the rest column-wise (`tables.csv_columns`), or every record with the exact reader, then
    # releases it.
    data: bytes | None = None


HEAD_LINES = 260  # a big CSV file's first lines, where the header is looked for (it reads 200 records)


@dataclass
class LedgerTable:
    """The header of a ledger and the rows below it, as a table of stripped text."""

    header_index: int
    header_line: int
    columns: list[str]
    body: pd.DataFrame
    lines: np.ndarray  # the line each body row starts on
    too_wide: list[int]  # lines whose cells beyond the header held something


def read_ledger(path, mapping: dict[str, str] | None = None, *, use_saved_mapping: bool = True) -> IngestResult:
    """Read a CSV/XLSX payment ledger into clean payments plus a cleaning report.

    `mapping` (role → column) overrides the guess for the roles it names. Without it,
    a mapping saved for files of the same header (`mapping.save_mapping`) is used if
    `use_saved_mapping`, else the columns are guessed. The file is opened read-only.
    """
    path = Path(path)
    records = read_records(path)
    ledger = ledger_table(records, path)
    used, source = choose_mapping(ledger, mapping, use_saved_mapping, path)
    report = CleaningReport(
        file=path.name,
        encoding=records.encoding,
        delimiter=records.delimiter,
        header_line=ledger.header_line,
        columns=dict(used),
        mapping_source=source,
    )
    _note_layout(report, records, ledger)
    table = ledger.body
    amounts, amount_info = parse_amounts(table[used["amount"]])
    _note_decimal_mark(report, amount_info, used["amount"])
    kinds = classify_rows(table, amounts, used)
    keep = record_drops(report, kinds, table, ledger.lines, amounts)
    report.rows_read = int(len(table))
    report.total_before = round(exact_total(amounts[~kinds.repeated_header]), 2)
    payments = build_payments(
        table[keep], ledger.lines[keep.to_numpy()], used, amounts[keep], amount_info["currency"][keep], report
    )
    supplier = ledger_supplier(table, used)
    add_figures(report, payments, (supplier == "")[keep])
    record_currencies(report, payments)
    record_period(report, payments)
    record_repeated_invoices(report, table[keep], amounts[keep], used)
    record_duplicates(report, payments, table, keep)
    return IngestResult(payments=payments, report=report, mapping=dict(used))


# ---------------------------------------------------------------- the file → records → a table


def read_records(path: Path) -> LedgerRecords:
    """Every record of a CSV or XLSX ledger with its line, refusing old .xls, damaged and binary files."""
    raw = read_bytes(path)
    is_xlsx = raw.startswith(b"PK\x03\x04") or path.suffix.lower() in (".xlsx", ".xlsm")
    if raw.startswith(b"\xd0\xcf\x11\xe0"):
        raise LearnerError(
            "this is an old-style .xls or a password-protected (encrypted) spreadsheet",
            file=str(path),
            fix="Open it in Excel, remove any password, and save it as .xlsx or CSV",
        )
    if is_xlsx:
        if not raw.startswith(b"PK\x03\x04"):
            raise LearnerError(
                "this .xlsx file is damaged (it is not a spreadsheet inside)",
                file=str(path),
                fix="Export it again, or save it as CSV",
            )
        records = xlsx_records(raw, "ledger", file=str(path))
        rows, lines = [cells for _, cells in records], np.array([n for n, _ in records], dtype="int64")
        found = LedgerRecords(rows, lines, "xlsx", "Excel workbook (values, not formulas)", None)
    else:
        if b"\x00" in raw[:4096] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise LearnerError(
                "this is not a text table (it contains binary data)",
                file=str(path),
                fix="Choose the CSV or XLSX export of the ledger",
            )
        encoding, encoding_note = detect_encoding(raw)
        text = raw.decode(encoding)
        delimiter = sniff_delimiter(text)
        if len(raw) >= COLUMNWISE_MIN_BYTES and columnwise_available():
            head = _head_records(text, delimiter, path)
            if head is not None:
                data = raw[3:] if encoding == "utf-8-sig" else raw if encoding == "utf-8" else text.encode("utf-8")
                check_lines(data, "ledger", str(path))
                return LedgerRecords(*head, encoding, encoding_note, delimiter, data)
        with paused_gc():
            rows, lines = csv_rows(text, delimiter, "ledger", str(path))
        found = LedgerRecords(rows, lines, encoding, encoding_note, delimiter)
    if not found.rows:
        raise LearnerError("the file has no rows", file=str(path), fix="Export the ledger again")
    return found


def _head_records(text: str, delimiter: str, path: Path) -> tuple[list[list[str]], np.ndarray] | None:
    """The records on a big CSV file's first HEAD_LINES lines, if each is exactly one line (else None:
    the exact reader then reads the whole file)."""
    head = "\n".join(text.split("\n", HEAD_LINES)[:HEAD_LINES])
    try:
        records = csv_records(head, delimiter, "ledger", str(path))
    except LearnerError:  # the exact reader reports it, with its line
        return None
    if len(records) != HEAD_LINES or records[-1][0] != HEAD_LINES:
        return None
    return [cells for _, cells in records], np.arange(1, HEAD_LINES + 1, dtype="int64")


def _all_records(records: LedgerRecords, path: Path) -> LedgerRecords:
    """Every record of a big CSV file read with the exact reader (when the column-wise one cannot be sure)."""
    with paused_gc():
        rows, lines = csv_rows(records.data.decode("utf-8"), records.delimiter, "ledger", str(path))
    return LedgerRecords(rows, lines, records.encoding, records.encoding_note, records.delimiter)


def _columnwise_body(records: LedgerRecords, header_index: int, columns: list[str]) -> tuple | None:
    """The body of a big CSV file read column-wise (`tables.csv_columns`), or None."""
    first = int(records.lines[header_index + 1])
    offset = line_offset(records.data, first)
    found = None if offset is None else csv_columns(records.data, offset, records.delimiter, len(columns), first)
    if found is None:
        return None
    cells, lines = found
    return pd.DataFrame(dict(zip(columns, cells)), columns=columns), lines


def ledger_table(records: LedgerRecords, path: Path) -> LedgerTable:
    """Find the header among the first records and turn the rows below it into a table."""
    rows, all_lines = records.rows, records.lines
    header_index = find_header([(int(n), cells) for n, cells in zip(all_lines[:200], rows[:200])])
    columns = column_names(rows[header_index])
    if len(columns) < 2:
        raise LearnerError(
            "this does not look like a table: the header has a single column",
            file=str(path),
            fix="Check the delimiter, or save the file again as CSV with commas",
        )
    if records.data is not None:
        body = _columnwise_body(records, header_index, columns)
        exact = None if body is not None else _all_records(records, path)
        records.data = None  # the file's bytes are not needed any more: release them now
        release_unused_memory()  # and what pyarrow's reader freed (its blocks, the unstripped columns)
        if body is not None:
            return LedgerTable(header_index, int(all_lines[header_index]), columns, body[0], body[1], [])
        rows, all_lines = exact.rows, exact.lines
    lines = all_lines[header_index + 1 :]
    with paused_gc():
        body, too_wide = body_table(rows[header_index + 1 :], lines, columns)
    return LedgerTable(header_index, int(all_lines[header_index]), columns, body, lines, too_wide)


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
    raise LearnerError(
        "no header row was found: this does not look like a table of payments",
        fix="Check the file has one row of column names above the payments",
    )


def body_table(body: list[list[str]], lines: np.ndarray, columns: list[str]) -> tuple[pd.DataFrame, list[int]]:
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
    table = pd.DataFrame(
        {name: pd.Series(list(map(str.strip, cells)), dtype="str") for name, cells in zip(columns, cells_by_column)},
        columns=columns,
    )
    return table, too_wide


def column_names(cells: list[str]) -> list[str]:
    """The header's names, stripped; blank ones become 'column N', repeated ones 'name (2)'."""
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


# ---------------------------------------------------------------- which column is which


def choose_mapping(
    ledger: LedgerTable, mapping: dict[str, str] | None, use_saved_mapping: bool, path: Path
) -> tuple[dict[str, str], str]:
    """The role → column mapping to read with, and where it came from (given, saved or guessed).

    A given or saved mapping wins for the roles it names; the guess fills the others.
    """
    columns = ledger.columns
    source = "guessed"
    used: dict[str, str] = dict(guess_mapping(columns, ledger.body.head(500)).mapping)
    chosen = None
    if mapping is not None:
        chosen, source = check_mapping(mapping), "given"
    elif use_saved_mapping:
        saved = load_mapping(mapping_signature(columns))
        if saved and all(col in columns for col in saved.values()):
            chosen, source = saved, "saved for files of this shape"
    if chosen is not None:
        missing = [col for col in chosen.values() if col not in columns]
        if missing:
            raise LearnerError(
                f"the mapping names column(s) {', '.join(repr(m) for m in missing)}, "
                f"which are not in the file (its columns: {', '.join(columns)})",
                file=str(path),
                fix="Choose columns from that list in the mapping",
            )
        used = {r: c for r, c in used.items() if r not in chosen and c not in chosen.values()}
        used.update(chosen)
    used = {r: used[r] for r in ROLES if r in used}
    if "amount" not in used:
        raise LearnerError(
            "no column looks like an amount — choose it in the mapping",
            file=str(path),
            fix=f"Name the amount column (one of: {', '.join(columns)})",
        )
    return used, source


# ---------------------------------------------------------------- the payments and the report's notes


def _note_layout(report: CleaningReport, records: LedgerRecords, ledger: LedgerTable) -> None:
    if ledger.header_index:
        report.warnings.append(
            f"{ledger.header_index} line(s) above the header were skipped as a title or "
            f"preamble (from line {int(records.lines[0])})."
        )
    report.warnings.append(f"encoding: {records.encoding_note}.")
    if ledger.too_wide:
        report.warnings.append(
            f"{len(ledger.too_wide)} row(s) have more cells than the header; the extra cells "
            f"were ignored (e.g. line {ledger.too_wide[0]})."
        )


def _note_decimal_mark(report: CleaningReport, amount_info: dict, amount_column: str) -> None:
    report.decimal = amount_info["decimal"]
    if amount_info.get("assumed") and amount_info["ambiguous"]:
        report.warnings.append(
            f"the decimal mark could not be told from the amounts ('{amount_column}' has "
            f"only values like 1,234); '.' was assumed — check a few rows."
        )
    if amount_info["too_large"].any():
        report.warnings.append(
            f"{int(amount_info['too_large'].sum())} amount(s) are above {MAX_AMOUNT:,.0f} or not finite; they are "
            "counted as 'amount is not a number', not rounded (check the export)."
        )
    if amount_info["conflicts"]:
        report.warnings.append(
            f"{amount_info['conflicts']} amount(s) use the other decimal mark than the rest "
            f"of the column; read with '{report.decimal}'."
        )


def build_payments(
    kept: pd.DataFrame,
    lines: np.ndarray,
    used: dict[str, str],
    amounts: pd.Series,
    symbols: pd.Series,
    report: CleaningReport,
) -> pd.DataFrame:
    """The payments table (`PAYMENT_COLUMNS`) from the rows kept, noting date problems in the report."""
    payments = pd.DataFrame({"source_line": lines}, index=kept.index)
    payments["date"] = _payment_dates(kept, used, payments["source_line"], report).astype("datetime64[ns]")
    payments["supplier"] = ledger_supplier(kept, used).astype("str")
    payments["supplier_id"] = _text_or_na(kept, used.get("supplier_id"))
    payments["amount"] = amounts.astype("float64")
    for role in ["postcode", "category", "service_area", "vat_number"]:
        payments[role] = _text_or_na(kept, used.get(role))
    symbol_currency = per_unique(symbols, lambda v: v.map(currency_code, na_action="ignore"))
    if "currency" in used:
        payments["currency"] = _text_or_na(kept, used["currency"]).str.upper()
    else:
        found = symbol_currency.dropna().unique()
        # One symbol in the whole column (e.g. '£' on some rows): it is the ledger's currency.
        payments["currency"] = (
            pd.Series(found[0], index=kept.index, dtype="str") if len(found) == 1 else symbol_currency.astype("str")
        )
    payments["redacted"] = is_redacted(payments["supplier"]).astype("bool")
    payments["is_credit_note"] = (payments["amount"] < 0).astype("bool")
    return payments[PAYMENT_COLUMNS].reset_index(drop=True)


def _payment_dates(
    kept: pd.DataFrame, used: dict[str, str], source_line: pd.Series, report: CleaningReport
) -> pd.Series:
    """The payment dates (NaT where unreadable), with the day/month order and any problem in the report."""
    if "date" not in used:
        report.warnings.append("no date column was found; the period is unknown.")
        return pd.Series(pd.NaT, index=kept.index, dtype="datetime64[ns]")
    dates, date_info = parse_dates(kept[used["date"]])
    report.date_order = date_info.get("order")
    if date_info.get("order") and date_info.get("assumed"):
        report.warnings.append(
            "no date shows whether the day or the month comes first; day-first (dd/mm) was assumed, as usual in Europe."
        )
    elif date_info.get("order") == "month-first":
        report.warnings.append("dates are month-first (mm/dd), as some values have a 'month' above 12.")
    if date_info.get("excel_serial"):
        report.warnings.append(f"{date_info['excel_serial']} date(s) were Excel serial numbers, converted.")
    placeholder, far = date_info["placeholder"], date_info["out_of_range"]
    if placeholder.any():
        report.warnings.append(
            f"{int(placeholder.sum())} date(s) are placeholders for 'no date' such as 9999-12-31 or 0001-01-01; "
            f"they are kept as no date (e.g. line {int(source_line[placeholder].iloc[0])})."
        )
    if far.any():
        report.warnings.append(
            f"{int(far.sum())} date(s) are outside the years 1678-2261 and are left empty "
            f"(e.g. line {int(source_line[far].iloc[0])}: '{kept[used['date']][far].iloc[0][:40]}')."
        )
    bad_dates = dates.isna() & (kept[used["date"]] != "") & ~placeholder & ~far
    if bad_dates.any():
        first = int(source_line[bad_dates].iloc[0])
        report.warnings.append(
            f"{int(bad_dates.sum())} date(s) could not be read and are left empty "
            f"(e.g. line {first}: '{kept[used['date']][bad_dates].iloc[0]}')."
        )
    return dates


def _text_or_na(table: pd.DataFrame, column: str | None) -> pd.Series:
    """A stripped text column with empty cells as missing (NA)."""
    if column is None:
        return pd.Series(pd.NA, index=table.index, dtype="str")
    values = table[column]
    return values.where(values != "", pd.NA).astype("str")
