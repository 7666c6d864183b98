"""`python -m helpers check-returns RETURNS.csv`: check a supplier's KPI returns file
against the contracts and KPIs (the shipped ones, or your own with --contracts/--kpis)."""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from helpers.core.errors import LearnerError
from helpers.core.safety import terminal_json, terminal_text
from helpers.core.tables import read_bytes, read_csv_records
from helpers.data import load_table
from helpers.monitoring.kpis import expected_months, month_label, month_number
from helpers.monitoring.returns import read_kpi_returns
from helpers.ui.messages import Issue


def register(subparsers) -> None:
    """Add the `check-returns` command."""
    parser = subparsers.add_parser(
        "check-returns",
        help="check a KPI returns file (CSV or XLSX) against the contracts and their KPIs",
        description="Check a KPI returns file: unknown contracts or KPIs, bad months or values, repeated rows. "
        "Exit status: 0 no problems, 1 rows with problems, 2 file unusable.",
    )
    parser.add_argument("returns", help="the returns file (.csv or .xlsx) with contract_id, kpi_id, period, value")
    parser.add_argument(
        "--as-of",
        help="the last month whose returns are due (YYYY-MM): later months are "
        "flagged and missing months up to it are listed",
    )
    parser.add_argument("--contracts", help="a contracts CSV to check against (default: the course data)")
    parser.add_argument("--kpis", help="a KPIs CSV to check against (default: the course data)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    parser.set_defaults(func=run)


def _csv_table(path: str, name: str) -> pd.DataFrame:
    """A contracts or KPIs CSV given on the command line, read by `helpers.core.tables` (text cells; empty
    cells missing). The file is only read."""
    file = Path(path)
    if not file.exists() or file.is_dir():
        raise LearnerError(
            f"cannot read the {name} table: the file does not exist", file=path, fix="Give a CSV file with a header row"
        )
    # read only, regular files within the limits (helpers.core.limits)
    records, _, _ = read_csv_records(read_bytes(file, f"{name} table"), f"{name} table", file.name)
    records = [cells for _, cells in records if any(c.strip() for c in cells)]
    if not records:
        raise LearnerError(
            f"cannot read the {name} table: it is empty", file=path, fix="Give a CSV file with a header row"
        )
    header, body = [c.strip() for c in records[0]], records[1:]
    rows = [
        [cells[i] if i < len(cells) and cells[i] != "" else float("nan") for i in range(len(header))] for cells in body
    ]
    return pd.DataFrame(rows, columns=header, dtype="object")


def _table(path: str | None, name: str) -> pd.DataFrame:
    return _csv_table(path, name) if path else load_table(name)


def _issue_json(issue: Issue, file: str) -> dict:
    """One issue for the JSON output (the same keys as always: file, line, message, fix, severity)."""
    return {"file": file, "line": issue.line, "message": issue.message, "fix": issue.fix, "severity": issue.severity}


def check(args: argparse.Namespace) -> dict:
    """The check's findings as a JSON-able dict."""
    contracts, kpis = _table(args.contracts, "contracts"), _table(args.kpis, "kpis")
    as_of = month_label(month_number(args.as_of)) if args.as_of else None
    good, issues = read_kpi_returns(args.returns, contracts, kpis, as_of=as_of)
    missing: list[dict] = []
    if as_of is not None and not good.empty:
        sent = contracts[contracts["contract_id"].astype("str").isin(set(good["contract_id"]))]
        grid = expected_months(
            sent, kpis.assign(contract_id=kpis["contract_id"].astype("str"), kpi_id=kpis["kpi_id"].astype("str")), as_of
        )
        have = set(zip(good["contract_id"], good["kpi_id"], good["period"]))
        missing = [
            {"contract_id": c, "kpi_id": k, "period": month_label(m)}
            for c, k, m in zip(grid["contract_id"], grid["kpi_id"], grid["month"])
            if (c, k, month_label(m)) not in have
        ]
    return {
        "file": args.returns,
        "rows_ok": int(len(good)),
        "rows_with_problems": len({i.line for i in issues}),
        "issues": [_issue_json(i, Path(args.returns).name) for i in issues],
        "missing_returns": missing,
        "as_of": as_of,
    }


def run(args: argparse.Namespace) -> int:
    """Run `check-returns`: 0 if every row is usable, 1 if some rows have problems."""
    found = check(args)
    if args.json:
        print(terminal_json(found))
        return 1 if found["issues"] else 0
    lines = [f"{found['file']}: {found['rows_ok']} row(s) OK, {found['rows_with_problems']} with problems"]
    for issue in found["issues"]:
        where = f"line {issue['line']}" if issue["line"] is not None else "file"
        lines.append(f"  {where}: {issue['message']}. {issue['fix']}.")
    if found["missing_returns"]:
        lines.append(
            f"  {len(found['missing_returns'])} return(s) due by {found['as_of']} are not in the file "
            "(for the contracts it covers), e.g. "
            + ", ".join(f"{m['contract_id']} {m['kpi_id']} {m['period']}" for m in found["missing_returns"][:5])
        )
    print(terminal_text("\n".join(lines)))  # data from the file cannot drive the terminal
    return 1 if found["issues"] else 0
