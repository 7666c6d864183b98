"""Check a supplier's KPI returns file (CSV or XLSX) before it goes into the dashboard.

`read_kpi_returns` never changes the file. A file that cannot be used at all (not
found, empty, not a table, required columns missing) raises `LearnerError`; problems
in single rows come back as a list of `Issue`s, each naming the file, the line and
the fix, and only the rows without problems are returned.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from helpers.core.errors import LearnerError
from helpers.monitoring.kpis import PERIOD_PATTERN, RETURN_COLUMNS, contract_months, month_label, month_number

from helpers.core.tables import read_csv_records


@dataclass(frozen=True)
class Issue:
    """One problem in a returns file: where it is, what is wrong, what to do."""

    file: str
    line: int | None
    message: str
    fix: str
    severity: str = "error"   # "error": the row is left out; "warning": kept, but check it

    def __str__(self) -> str:
        where = f"{self.file}, line {self.line}" if self.line is not None else self.file
        return f"{where}: {self.message}. {self.fix}."

    def to_dict(self) -> dict:
        return asdict(self)


def _xlsx_rows(path: Path) -> list[tuple[int, list]]:
    import zipfile

    import openpyxl
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, TypeError) as exc:
        raise LearnerError("this spreadsheet cannot be opened (damaged or password-protected)", file=str(path),
                           fix="Open it in Excel and save it again as .xlsx or CSV") from exc
    try:
        sheet = book.worksheets[0]
        return [(n, list(cells)) for n, cells in enumerate(sheet.iter_rows(values_only=True), start=1)]
    finally:
        book.close()


def _header_key(name) -> str:
    return re.sub(r"[\s\-]+", "_", str(name or "").strip().lower())


def _period_text(cell) -> str | None:
    """A cell as YYYY-MM, or None. A spreadsheet date (any day) counts as its month."""
    if isinstance(cell, (datetime, date)):
        return f"{cell.year:04d}-{cell.month:02d}"
    text = str(cell).strip() if cell is not None else ""
    return text if PERIOD_PATTERN.match(text) else None


def _value(cell) -> float | None:
    if isinstance(cell, bool):
        return None
    if isinstance(cell, (int, float)):
        return float(cell)
    try:
        number = float(str(cell).strip().replace(" ", ""))
    except ValueError:
        return None
    return number if number == number and abs(number) != float("inf") else None


def read_kpi_returns(path, contracts: pd.DataFrame, kpis: pd.DataFrame, *,
                     as_of=None) -> tuple[pd.DataFrame, list[Issue]]:
    """Read and check a KPI returns file against the contracts and their KPIs.

    Returns (the good rows as contract_id, kpi_id, period, value, line; the issues).
    Checked: unknown contracts, KPIs the contract does not have, months not written
    YYYY-MM or outside the contract's term (or after `as_of`, if given), values that
    are not numbers, and repeated contract + KPI + month rows (the first is kept).
    Column names may differ in case and spacing ("Contract ID" is contract_id).
    """
    file = Path(path)
    name = file.name
    if not file.is_file():
        raise LearnerError("this file does not exist" if not file.exists() else "this is a folder, not a file",
                           file=str(path), fix="Check the name and folder of the returns file")
    suffix = file.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        rows = _xlsx_rows(file)
    elif suffix in (".csv", ".txt", ""):
        with open(file, "rb") as handle:  # read only: the source file is never changed
            rows, _, _ = read_csv_records(handle.read())
    else:
        raise LearnerError(f"'{suffix}' files cannot be read here", file=name,
                           fix="Save the returns as .csv or .xlsx")
    rows = [(n, cells) for n, cells in rows if any(str(c).strip() for c in cells if c is not None)]
    if not rows:
        raise LearnerError("the file is empty", file=name, fix="Export the returns again with a header row")
    header_line, header = rows[0]
    keys = [_header_key(c) for c in header]
    missing = [c for c in RETURN_COLUMNS if c not in keys]
    if missing:
        raise LearnerError(f"the header on line {header_line} has no column {', '.join(missing)}", file=name,
                           fix=f"The first row must name the columns {', '.join(RETURN_COLUMNS)}")
    where = {c: keys.index(c) for c in RETURN_COLUMNS}

    terms = contract_months(contracts).set_index("contract_id")
    kpi_ids = kpis.assign(contract_id=kpis["contract_id"].astype("str"), kpi_id=kpis["kpi_id"].astype("str"))
    known_kpis = kpi_ids.groupby("contract_id")["kpi_id"].apply(list).to_dict()
    last_due = month_number(as_of) if as_of is not None else None
    issues: list[Issue] = []
    good: list[dict] = []
    seen: dict[tuple, int] = {}

    def flag(line: int, message: str, fix: str) -> None:
        issues.append(Issue(name, line, message, fix))

    for line, cells in rows[1:]:
        cells = list(cells) + [None] * (len(keys) - len(cells))
        cid = str(cells[where["contract_id"]] or "").strip()
        kid = str(cells[where["kpi_id"]] or "").strip()
        raw_period, raw_value = cells[where["period"]], cells[where["value"]]
        problems_before = len(issues)
        if cid not in terms.index:
            flag(line, f"contract '{cid}' is not in the contracts table",
                 "Check the contract id against the contract register (for example PV-C-2025-017)")
        elif kid not in known_kpis.get(cid, []):
            flag(line, f"contract {cid} has no KPI '{kid}'",
                 f"Use one of its KPIs: {', '.join(known_kpis.get(cid, [])) or 'none defined'}")
        period = _period_text(raw_period)
        if period is None:
            flag(line, f"the period '{'' if raw_period is None else raw_period}' is not a month written YYYY-MM",
                 "Write the month as YYYY-MM, for example 2026-03 (format the column as text in a spreadsheet)")
        elif cid in terms.index:
            term = terms.loc[cid]
            month = month_number(period)
            if not term["first_month"] <= month <= term["last_month"]:
                flag(line, f"{period} is outside the term of contract {cid} "
                     f"({month_label(term['first_month'])} to {month_label(term['last_month'])})",
                     "Check the month and the contract id")
            elif last_due is not None and month > last_due:
                flag(line, f"{period} is after {month_label(last_due)}, the last month due",
                     "Check the month, or set a later --as-of month")
        value = _value(raw_value)
        if value is None:
            shown = "" if raw_value is None else str(raw_value).strip()
            hint = (" (a comma as decimal mark?)" if re.fullmatch(r"-?\d+,\d+", shown) else "")
            flag(line, (f"the value '{shown}' is not a number{hint}" if shown else "the value is empty"),
                 "Enter the figure as a plain number with a point as decimal mark, e.g. 85.5; "
                 "leave the whole row out if there is no return for that month")
        if len(issues) > problems_before:
            continue
        key = (cid, kid, period)
        if key in seen:
            flag(line, f"contract {cid}, KPI {kid}, {period} already has a return on line {seen[key]}",
                 "Keep one row per contract, KPI and month (the first one was kept)")
            continue
        seen[key] = line
        good.append({"contract_id": cid, "kpi_id": kid, "period": period, "value": value, "line": line})
    table = pd.DataFrame(good, columns=RETURN_COLUMNS + ["line"])
    table["value"] = table["value"].astype("float64")
    return table, issues
