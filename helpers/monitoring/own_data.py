"""A learner's own monitoring tables: their contract register, KPI definitions and social-value
commitments and delivery (the KPI returns are read by `returns.read_kpi_returns`).

Each reader takes a CSV or XLSX file (read by `helpers.core.tables` through `files.read_records`:
any encoding, comma/semicolon/tab-separated), checks it line by line and returns the usable rows
in the shape of the course tables, with a list of `Issue`s that name the file, the line and the
fix. A file that cannot be used at all (missing, empty, no header with the needed columns)
raises `LearnerError`. Column names may be written in any case and spacing ("Start date"), a few
usual other names are understood ("Contract", "Supplier", "Month"), dates may be ISO or day
first (01/10/2025), numbers English or European (1,234.50 or 1.234,50). Files are only read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from helpers.core.errors import LearnerError
from helpers.monitoring.files import (
    Records,
    column_decimal,
    header_key,
    parse_date,
    parse_number,
    period_text,
    read_records,
)
from helpers.ui.messages import Issue

HIGHER_WORDS = {"higher", "high", "up", "max", "maximise", "maximize", "more", "increase"}
LOWER_WORDS = {"lower", "low", "down", "min", "minimise", "minimize", "less", "fewer", "decrease"}


@dataclass(frozen=True)
class Schema:
    """What one kind of monitoring table needs: its columns in the course's order, the required ones,
    which are numbers, dates or months, and other names learners use for them."""

    label: str
    columns: tuple[str, ...]
    required: tuple[str, ...]
    numbers: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()
    months: tuple[str, ...] = ()
    aliases: dict[str, str] = field(default_factory=dict)


SCHEMAS = {
    "contracts": Schema(
        "contract register",
        (
            "contract_id",
            "tender_id",
            "title",
            "supplier_id",
            "supplier_name",
            "service_area",
            "cpv_code",
            "value_eur",
            "monthly_charge_eur",
            "start_date",
            "end_date",
            "contract_owner",
            "contract_manager",
            "service_credit_pct",
            "service_credit_cap_pct",
        ),
        ("contract_id", "start_date", "end_date"),
        numbers=("value_eur", "monthly_charge_eur", "service_credit_pct", "service_credit_cap_pct"),
        dates=("start_date", "end_date"),
        aliases={
            "contract": "contract_id",
            "contract_reference": "contract_id",
            "start": "start_date",
            "end": "end_date",
            "supplier": "supplier_name",
            "contract_title": "title",
            "description": "title",
            "value": "value_eur",
            "contract_value_eur": "value_eur",
            "monthly_charge": "monthly_charge_eur",
            "service_credit": "service_credit_pct",
            "service_credit_%": "service_credit_pct",
            "credit_pct": "service_credit_pct",
            "service_credit_cap": "service_credit_cap_pct",
            "service_credit_cap_%": "service_credit_cap_pct",
            "cap_pct": "service_credit_cap_pct",
            "owner": "contract_owner",
            "manager": "contract_manager",
            "department": "service_area",
        },
    ),
    "kpis": Schema(
        "KPI definitions",
        ("contract_id", "kpi_id", "name", "unit", "target", "direction", "tolerance_pct"),
        ("contract_id", "kpi_id", "target", "direction"),
        numbers=("target", "tolerance_pct"),
        aliases={
            "contract": "contract_id",
            "kpi": "kpi_id",
            "kpi_name": "name",
            "better": "direction",
            "better_when": "direction",
            "tolerance": "tolerance_pct",
            "tolerance_%": "tolerance_pct",
        },
    ),
    "social_value_commitments": Schema(
        "social-value commitments",
        ("contract_id", "measure", "unit", "committed_total"),
        ("contract_id", "measure", "committed_total"),
        numbers=("committed_total",),
        aliases={"contract": "contract_id", "committed": "committed_total", "commitment": "committed_total"},
    ),
    "social_value_delivery": Schema(
        "social-value delivery",
        ("contract_id", "period", "measure", "delivered"),
        ("contract_id", "period", "measure", "delivered"),
        numbers=("delivered",),
        months=("period",),
        aliases={"contract": "contract_id", "month": "period"},
    ),
    "gender_returns": Schema(
        "gender returns",
        ("contract_id", "period", "measure", "women", "men"),
        ("contract_id", "measure"),
        numbers=("women", "men"),  # blank = not reported (unknown), never 0
        aliases={
            "contract": "contract_id",
            "month": "period",
            "year": "period",
            "female": "women",
            "male": "men",
            "woman": "women",
            "man": "men",
        },
    ),
}


def _header(records: Records, schema: Schema) -> dict[str, int]:
    """Where each known column is in the file; LearnerError naming the missing required ones."""
    line, cells = records.rows[0]
    where: dict[str, int] = {}
    for position, cell in enumerate(cells):
        key = header_key(cell)
        key = schema.aliases.get(key, key)
        if key in schema.columns and key not in where:
            where[key] = position
    missing = [c for c in schema.required if c not in where]
    if missing:
        raise LearnerError(
            f"the header on line {line} has no column {', '.join(missing)}",
            file=records.name,
            fix=f"The first row of the {schema.label} must name the columns {', '.join(schema.required)} "
            f"(others it may have: {', '.join(c for c in schema.columns if c not in schema.required)})",
        )
    return where


def _rows(
    records: Records, schema: Schema, check: Callable[[dict, Callable[[str, str], None]], None] | None = None
) -> tuple[pd.DataFrame, list[Issue]]:
    """Every record parsed and checked; rows with an error are left out and each problem is an Issue."""
    where = _header(records, schema)
    body = records.rows[1:]
    marks = {
        column: column_decimal(
            [cells[where[column]] for _, cells in body if where[column] < len(cells)], records.comma_decimal_ok
        )
        for column in schema.numbers
        if column in where
    }
    issues: list[Issue] = []
    good: list[dict] = []
    for line, cells in body:
        found: list[tuple[str, str, str]] = []

        def flag(message: str, fix: str, column: str = "") -> None:
            found.append((message, fix, column))  # noqa: B023 - used at once, inside this loop

        row: dict = {"line": line}
        for column, position in where.items():
            raw = cells[position].strip() if position < len(cells) else ""
            if column in schema.numbers:
                value, problem = parse_number(raw, records.comma_decimal_ok, marks[column]) if raw else (np.nan, "")
                if value is None:
                    flag(f"{column} {problem}", "Write a plain number, e.g. 1250.50 (or 1250,50)", column)
                row[column] = value
            elif column in schema.dates:
                value, problem = parse_date(raw)
                if value is None:
                    flag(
                        f"{column} {problem}" if problem != "is empty" else f"{column} is empty",
                        "Write the date as YYYY-MM-DD or DD/MM/YYYY, e.g. 2025-10-01",
                        column,
                    )
                row[column] = value
            elif column in schema.months:
                month = period_text(raw, records.spreadsheet)
                if month is None:
                    flag(
                        f"the month '{raw}' is not written YYYY-MM", "Write the month as YYYY-MM, e.g. 2026-03", column
                    )
                row[column] = month
            else:
                row[column] = raw
                if column in schema.required and not raw:
                    flag(f"{column} is empty", f"Fill in the {column} on every line", column)
        if not found and check is not None:
            check(row, flag)
        for message, fix, column in found:
            issues.append(
                Issue(message, "error", fix=fix, where=f"{records.name}, line {line}", line=line, field=column)
            )
        if not found:
            good.append(row)
    table = pd.DataFrame(good, columns=["line", *schema.columns]).reindex(columns=["line", *schema.columns])
    for column in schema.numbers:
        table[column] = pd.to_numeric(table[column], errors="coerce").astype("float64")
    for column in schema.dates:
        table[column] = pd.to_datetime(table[column], errors="coerce")
    for column in schema.columns:
        if column not in (*schema.numbers, *schema.dates):
            table[column] = table[column].astype("string")
    table.attrs["columns_given"] = [c for c in schema.columns if c in where]
    return table, issues


def read_contracts(path, shown: str | None = None) -> tuple[pd.DataFrame, list[Issue]]:
    """A learner's contract register: contract_id, start_date and end_date are needed; the monthly charge
    and the service-credit % and cap make service credits known (without them a red month's credit is
    "unknown"). Returns (the usable rows, with every course column; the issues)."""
    records = read_records(path, "contract register", shown)
    seen: dict[str, int] = {}

    def check(row: dict, flag) -> None:
        cid = row["contract_id"]
        if cid in seen:
            flag(f"contract {cid} is already on line {seen[cid]}", "Keep one row per contract", "contract_id")
        elif row["end_date"] < row["start_date"]:
            flag(
                f"the contract ends ({row['end_date']}) before it starts ({row['start_date']})",
                "Check the start and end dates (day first: DD/MM/YYYY)",
                "end_date",
            )
        else:
            seen[cid] = row["line"]
        for column in ("service_credit_pct", "service_credit_cap_pct"):
            value = row.get(column, np.nan)
            if value == value and not 0 <= value <= 100:
                flag(f"{column} is {value:g}, not a % from 0 to 100", "Write the % as a number, e.g. 3", column)

    table, issues = _rows(records, SCHEMAS["contracts"], check)
    given = table.attrs["columns_given"]
    missing = [c for c in ("monthly_charge_eur", "service_credit_pct") if c not in given]
    if missing and len(table):
        issues.append(
            Issue(
                f"the register has no column {', '.join(missing)}, so a month with a red KPI has an unknown "
                "service credit (never 0)",
                "warning",
                fix="Add the monthly charge (EUR) and the service-credit % per red KPI (and its cap) to see credits",
                where=records.name,
            )
        )
    return table, issues


def read_kpis(path, contracts: pd.DataFrame, shown: str | None = None) -> tuple[pd.DataFrame, list[Issue]]:
    """A learner's KPI definitions for the contracts in `contracts`: contract_id, kpi_id, target and direction
    ("higher" or "lower" is better) are needed; name, unit and tolerance_pct (the amber band) may follow."""
    records = read_records(path, "KPI definitions", shown)
    known = set(contracts["contract_id"].astype("str"))
    seen: dict[tuple[str, str], int] = {}

    def check(row: dict, flag) -> None:
        cid, kid = row["contract_id"], row["kpi_id"]
        words = str(row["direction"]).strip().lower().split()
        first = words[0] if words else ""
        direction = "higher" if first in HIGHER_WORDS else "lower" if first in LOWER_WORDS else None
        if cid not in known:
            flag(f"contract '{cid}' is not in the contract register", "Check the contract id", "contract_id")
        if direction is None:
            flag(
                f"the direction '{row['direction']}' is not 'higher' or 'lower'",
                "Say whether a higher or a lower value is better",
                "direction",
            )
        row["direction"] = direction
        tolerance = row.get("tolerance_pct", np.nan)
        if tolerance == tolerance and not 0 <= tolerance < 100:
            flag(f"tolerance_pct {tolerance:g} is not from 0 to 100", "Write the amber band as a %, e.g. 10", "")
        if (cid, kid) in seen:
            flag(f"KPI {kid} of contract {cid} is already on line {seen[(cid, kid)]}", "Keep one row per KPI", "")
        else:
            seen[(cid, kid)] = row["line"]

    return _rows(records, SCHEMAS["kpis"], check)


def read_social_value(
    path, kind: str, contracts: pd.DataFrame, shown: str | None = None
) -> tuple[pd.DataFrame, list[Issue]]:
    """A learner's social-value commitments (contract_id, measure, committed_total, unit) or monthly
    delivery (contract_id, period, measure, delivered), for the contracts in `contracts`."""
    schema = SCHEMAS[kind]
    records = read_records(path, schema.label, shown)
    known = set(contracts["contract_id"].astype("str"))

    def check(row: dict, flag) -> None:
        if row["contract_id"] not in known:
            flag(f"contract '{row['contract_id']}' is not in the contract register", "Check the contract id", "")

    return _rows(records, schema, check)


def read_gender_returns(path, shown: str | None = None) -> tuple[pd.DataFrame, list[Issue]]:
    """A contractor's returns by sex (module 7): contract_id and measure are needed; period, women and men
    follow. A blank figure is "not reported" (unknown), never 0; the measures are checked by `gender_kpis`."""
    return _rows(read_records(path, "gender returns", shown), SCHEMAS["gender_returns"])
