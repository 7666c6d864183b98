"""`python -m helpers spend-summary LEDGER`: the cleaning report and headline figures of a ledger.

The shares (in the city, with SMEs, with social-economy organisations) need a supplier register and
a geography table (`--register`, `--geography`); without them each is `null` in `--json`, with the
reason and what to add, and "unknown" in the text (never 0%)."""

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
from helpers.spend.parsing import exact_total
from helpers.spend.pipeline import analyse_ledger
from helpers.spend.reference_tables import read_geography, read_register
from helpers.spend.shares import headline_shares
from helpers.spend.suppliers import group_payments

SHARES = {
    "local_share_city": "spent with suppliers in the city",
    "local_share_region": "spent in the city or the wider region",
    "sme_share": "spent with SMEs",
    "social_economy_share": "spent with social-economy organisations",
    "top10_share": "held by the 10 largest suppliers",
}


def register(subparsers) -> None:
    """Add the `spend-summary` command."""
    parser = subparsers.add_parser(
        "spend-summary",
        help="read a payment ledger and print its cleaning report and headline figures",
        description="Read a payment ledger (CSV or XLSX) and print what was cleaned and the headline figures.",
    )
    parser.add_argument("ledger", help="the ledger file (.csv or .xlsx)")
    parser.add_argument("--mapping", help='a JSON file of role: column pairs, e.g. {"amount": "Net Amount"}')
    parser.add_argument("--register", help="a supplier register CSV (size class, social economy, postcode)")
    parser.add_argument("--geography", help="a geography table CSV (postcode_prefix, place, level)")
    parser.add_argument("--home-country", help="the ledger's home country code, e.g. GB (with --geography)")
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


def summary(result: IngestResult, top: int = 10, headline: dict | None = None) -> dict:
    """The headline figures of a read ledger, JSON-able. With `headline` (an enriched analysis's
    headline indicators) also `shares`: each share as {value (null when unknown), unknown_share,
    reason, what_to_add}."""
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
        "rows_dropped": [
            # amounts on those lines; null when none of them holds a readable amount (unknown, not 0)
            {"reason": d["reason"], "count": d["count"], "amounts": d.get("total") or None}
            for d in report.dropped
        ],
        "total": round(total, 2),
        "total_before": report.total_before,
        "total_dropped": report.total_dropped,
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
        "currencies": report.currencies,
        "main_years": report.main_years,
        "outside_main_period": report.outside_period or None,
        "repeated_invoices": report.repeated_invoices or None,
        "warnings": report.warnings,
        **({"shares": _shares(headline)} if headline is not None else {}),
    }


def _shares(headline: dict) -> dict:
    shares = headline_shares(headline)
    return {key: shares[key].to_dict() for key in SHARES}


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
        *[f"  share {SHARES[key]}: {_share_text(value)}" for key, value in figures.get("shares", {}).items()],
        f"  period: {figures['period']['start'] or '?'} to {figures['period']['end'] or '?'}",
        "  top suppliers:",
    ]
    for rank, row in enumerate(figures["top_suppliers"], start=1):
        share = pct(row["share"], unknown="-")
        lines.append(f"    {rank:>2}. {row['name'][:50]:<50} {money(row['amount'], None):>16} {share:>7}")
    return "\n".join(lines)


def _share_text(share: dict) -> str:
    if share["value"] is None:
        return f"unknown: {share['reason']}; to know it, add {share['what_to_add']}"
    text = pct(share["value"])
    return text + (f" ({share['reason']})" if share["reason"] else "")


def run(args: argparse.Namespace) -> int:
    """Run `spend-summary`: print the report (or one JSON object) and return 0."""
    mapping = read_mapping_file(args.mapping) if args.mapping else None
    analysis = analyse_ledger(
        args.ledger,
        mapping=mapping,
        register=read_register(args.register) if args.register else None,
        geography=read_geography(args.geography) if args.geography else None,
        home_country=args.home_country,
    )
    result = IngestResult(analysis.payments, analysis.report, analysis.mapping)
    figures = summary(result, headline=analysis.headline())
    if args.json:
        print(terminal_json(figures))
    else:
        print(terminal_text(summary_text(result, figures)))  # data cannot drive the terminal
    return 0
