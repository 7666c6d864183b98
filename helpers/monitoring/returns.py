"""Check a supplier's KPI returns file (CSV or XLSX) before it goes into the dashboard.

`read_kpi_returns` never changes the file. A file that cannot be used at all (not
found, empty, not a table, required columns missing) raises `LearnerError`; problems
in single rows come back as a list of `helpers.ui.messages.Issue`s, each naming the file and
the line (`where`, `line`) and the fix, and only the rows without problems are returned.
Both CSV and XLSX files are read by `helpers.core.tables`.
"""

from __future__ import annotations

import pandas as pd

from helpers.core.errors import LearnerError
from helpers.monitoring.files import column_decimal, header_key, parse_number, period_text, read_records
from helpers.monitoring.kpis import RETURN_COLUMNS, contract_months, month_label, month_number
from helpers.ui.messages import Issue


def _row_problems(
    cid: str,
    kid: str,
    raw_period: str,
    raw_value: str,
    spreadsheet: bool,
    comma_decimal_ok: bool,
    decimal: str | None,
    terms: pd.DataFrame,
    known_kpis: dict,
    last_due: int | None,
) -> tuple[list[tuple[str, str]], str | None, float | None]:
    """One record's problems as (message, fix) pairs, with its month (YYYY-MM) and value when readable."""
    problems: list[tuple[str, str]] = []
    if cid not in terms.index:
        problems.append(
            (
                f"contract '{cid}' is not in the contracts table",
                "Check the contract id against the contract register (for example PV-C-2025-017)",
            )
        )
    elif kid not in known_kpis.get(cid, []):
        problems.append(
            (
                f"contract {cid} has no KPI '{kid}'",
                f"Use one of its KPIs: {', '.join(known_kpis.get(cid, [])) or 'none defined'}",
            )
        )
    period = period_text(raw_period, spreadsheet)
    if period is None:
        problems.append(
            (
                f"the period '{raw_period}' is not a month written YYYY-MM",
                "Write the month as YYYY-MM, for example 2026-03 (format the column as text in a spreadsheet)",
            )
        )
    elif cid in terms.index:
        term = terms.loc[cid]
        month = month_number(period)
        if not term["first_month"] <= month <= term["last_month"]:
            problems.append(
                (
                    f"{period} is outside the term of contract {cid} "
                    f"({month_label(term['first_month'])} to {month_label(term['last_month'])})",
                    "Check the month and the contract id",
                )
            )
        elif last_due is not None and month > last_due:
            problems.append(
                (
                    f"{period} is after {month_label(last_due)}, the last month due",
                    "Check the month, or set a later --as-of month",
                )
            )
    value, problem = parse_number(raw_value, comma_decimal_ok, decimal)
    if value is None:
        problems.append(
            (
                f"the value {problem}" if problem != "is empty" else "the value is empty",
                "Enter the figure as a plain number, e.g. 85.5 (or 85,5 in a semicolon-separated file); "
                "leave the whole row out if there is no return for that month",
            )
        )
    return problems, period, value


def read_kpi_returns(
    path, contracts: pd.DataFrame, kpis: pd.DataFrame, *, as_of=None, shown: str | None = None
) -> tuple[pd.DataFrame, list[Issue]]:
    """Read and check a KPI returns file against the contracts and their KPIs.

    Returns (the good rows as contract_id, kpi_id, period, value, line; the issues).
    Checked: unknown contracts, KPIs the contract does not have, months not written
    YYYY-MM or outside the contract's term (or after `as_of`, if given), values that
    are not numbers, and repeated contract + KPI + month rows (the first is kept).
    Column names may differ in case and spacing ("Contract ID" is contract_id); a decimal comma
    (85,5) is read in a file whose columns are not separated by commas. `shown` is the file's name
    in messages (an upload's own name rather than its temporary copy).
    """
    found = read_records(path, "returns file", shown)
    name, spreadsheet, rows = found.name, found.spreadsheet, found.rows
    header_line, header = rows[0]
    keys = [header_key(c) for c in header]
    missing = [c for c in RETURN_COLUMNS if c not in keys]
    if missing:
        raise LearnerError(
            f"the header on line {header_line} has no column {', '.join(missing)}",
            file=name,
            fix=f"The first row must name the columns {', '.join(RETURN_COLUMNS)}",
        )
    where = {c: keys.index(c) for c in RETURN_COLUMNS}
    decimal = column_decimal(
        [cells[where["value"]] for _, cells in rows[1:] if where["value"] < len(cells)], found.comma_decimal_ok
    )
    terms = contract_months(contracts).set_index("contract_id")
    kpi_ids = kpis.assign(contract_id=kpis["contract_id"].astype("str"), kpi_id=kpis["kpi_id"].astype("str"))
    known_kpis = kpi_ids.groupby("contract_id")["kpi_id"].apply(list).to_dict()
    last_due = month_number(as_of) if as_of is not None else None
    issues: list[Issue] = []
    good: list[dict] = []
    seen: dict[tuple, int] = {}

    def flag(line: int, message: str, fix: str) -> None:
        issues.append(Issue(message, "error", fix=fix, where=f"{name}, line {line}", line=line))

    for line, cells in rows[1:]:
        cells = list(cells) + [""] * (len(keys) - len(cells))
        cid, kid = cells[where["contract_id"]].strip(), cells[where["kpi_id"]].strip()
        problems, period, value = _row_problems(
            cid,
            kid,
            cells[where["period"]],
            cells[where["value"]],
            spreadsheet,
            found.comma_decimal_ok,
            decimal,
            terms,
            known_kpis,
            last_due,
        )
        for message, fix in problems:
            flag(line, message, fix)
        if problems:
            continue
        key = (cid, kid, period)
        if key in seen:
            flag(
                line,
                f"contract {cid}, KPI {kid}, {period} already has a return on line {seen[key]}",
                "Keep one row per contract, KPI and month (the first one was kept)",
            )
            continue
        seen[key] = line
        good.append({"contract_id": cid, "kpi_id": kid, "period": period, "value": value, "line": line})
    table = pd.DataFrame(good, columns=RETURN_COLUMNS + ["line"])
    table["value"] = table["value"].astype("float64")
    return table, issues
