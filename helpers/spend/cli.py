"""`python -m helpers spend-summary LEDGER`: the cleaning report and headline figures of a ledger."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pandas as pd

from helpers.core.errors import LearnerError
from helpers.core.fmt import money, pct
from helpers.core.safety import terminal_json, terminal_text
from helpers.core.tables import read_bytes
from helpers.spend.cleaning import IngestResult
from helpers.spend.ingest import read_ledger
from helpers.spend.parsing import exact_total
from helpers.spend.suppliers import group_payments


def register(subparsers) -> None:
    """Add the `spend-summary` command."""
    parser = subparsers.add_parser(
        "spend-summary",
        help="read a payment ledger and print its cleaning report and headline figures",
        description="Read a payment ledger (CSV or XLSX) and print what was cleaned and the headline figures.",
    )
    parser.add_argument("ledger", help="the ledger file (.csv or .xlsx)")
    parser.add_argument("--mapping", help='a JSON file of role: column pairs, e.g. {"amount": "Net Amount"}')
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    parser.set_defaults(func=run)


def read_mapping_file(path: str) -> dict[str, str]:
    """A mapping JSON file: either {role: column} or {"mapping": {role: column}}."""
    file = Path(path)
    if not file.exists():
        raise LearnerError("the mapping file does not exist", file=path, fix="Check its name and folder")
    raw = read_bytes(file, "mapping file")  # an ordinary file within the limits: never a FIFO or a device
    try:
        payload = json.loads(raw.decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise LearnerError(
            f"the mapping file is not valid JSON ({exc})",
            file=path,
            fix='Write it as {"amount": "Net Amount", "supplier": "Supplier Name"}',
        ) from exc
    if isinstance(payload, dict) and isinstance(payload.get("mapping"), dict):
        payload = payload["mapping"]
    if not isinstance(payload, dict):
        raise LearnerError(
            "the mapping file must hold role: column pairs",
            file=path,
            fix='Write it as {"amount": "Net Amount", "supplier": "Supplier Name"}',
        )
    return payload


def supplier_groups(payments: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Per payment: a supplier group key and its display name (both the group's name).

    Uses `helpers.spend.suppliers.group_payments`: name variants and supplier numbers merged.
    """
    groups = group_payments(payments)["supplier_group"].reset_index(drop=True)
    return groups, groups


def summary(result: IngestResult, top: int = 10) -> dict:
    """The headline figures of a read ledger, JSON-able."""
    report, payments = result.report, result.payments.reset_index(drop=True)
    groups, display = supplier_groups(payments)
    names = display.groupby(groups).first()
    amounts = payments["amount"].groupby(groups).sum().sort_values(ascending=False, kind="stable")
    total = exact_total(payments["amount"])
    top_rows = [
        {
            "name": str(names[key]),
            "amount": round(float(value), 2),
            "share": round(float(value) / total, 4) if total else None,
        }
        for key, value in amounts.head(top).items()
    ]
    period = report.to_dict()["period"]
    return {
        "file": report.file,
        "rows_read": report.rows_read,
        "rows_kept": report.rows_kept,
        "rows_dropped": [{"reason": d["reason"], "count": d["count"]} for d in report.dropped],
        "total": round(total, 2),
        "total_before": report.total_before,
        "credit_notes": report.credit_notes,
        "redacted": report.redacted,
        "possible_duplicates": {"count": report.duplicates["count"], "total": report.duplicates["total"]},
        "suppliers": int(groups.nunique()),
        "top_suppliers": top_rows,
        "period": period,
        "columns": report.columns,
        "encoding": report.encoding,
        "delimiter": report.delimiter,
        "decimal": report.decimal,
        "currency": report.currency,
        "warnings": report.warnings,
    }


def summary_text(result: IngestResult, figures: dict) -> str:
    """The cleaning report followed by the headline figures, as plain text."""
    lines = [
        result.report.to_text(),
        "",
        "Headline figures",
        f"  payments: {figures['rows_kept']:,}; total spend (credit notes included): {money(figures['total'], None)}",
        f"  credit notes: {figures['credit_notes']['count']:,} ({money(figures['credit_notes']['total'], None)}); "
        f"redacted: {figures['redacted']['count']:,} ({money(figures['redacted']['total'], None)})",
        f"  distinct suppliers: {figures['suppliers']:,}",
        f"  period: {figures['period']['start'] or '?'} to {figures['period']['end'] or '?'}",
        "  top suppliers:",
    ]
    for rank, row in enumerate(figures["top_suppliers"], start=1):
        share = pct(row["share"], unknown="-")
        lines.append(f"    {rank:>2}. {row['name'][:50]:<50} {money(row['amount'], None):>16} {share:>7}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """Run `spend-summary`: print the report (or one JSON object) and return 0."""
    mapping = read_mapping_file(args.mapping) if args.mapping else None
    result = read_ledger(args.ledger, mapping)
    figures = summary(result)
    if args.json:
        print(terminal_json(figures))
    else:
        print(terminal_text(summary_text(result, figures)))  # data cannot drive the terminal
    return 0
