"""`python -m helpers health-check`: red flags on past tenders, from the course's CSV tables
(tenders.csv and bids.csv columns) or from OCDS JSON files (`--ocds FILE_OR_FOLDER`)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pandas as pd

from helpers.core.errors import LearnerError
from helpers.core.tables import read_bytes, read_csv_records
from helpers.preprocurement.ocds import read_ocds
from helpers.preprocurement.red_flags import flag_caveat, flag_meanings, health_summary, tender_flags


def register(subparsers) -> None:
    """Add the `health-check` command."""
    parser = subparsers.add_parser(
        "health-check",
        help="red flags on past tenders (short periods, single bids, heavy discounts)",
        description="Flag past tenders: R003 short submission period, R018 single bid, R058 heavily "
        "discounted winning bid, and periods below the Directive's minimum. A flag is a "
        "question, not a verdict. Exit status: 0 done, 2 input unusable.",
    )
    parser.add_argument("tables", nargs="*", metavar="CSV", help="TENDERS.csv BIDS.csv (columns as in the course data)")
    parser.add_argument("--ocds", metavar="PATH", help="an OCDS JSON file or a folder of them, instead of the CSVs")
    parser.add_argument("--r003-days", type=int, default=15, help="short-period limit in days (default 15)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    parser.set_defaults(func=run)


def _csv(path: str, name: str) -> pd.DataFrame:
    """A tenders or bids CSV file as text columns (empty cells missing), read by the one table reader."""
    records, _, _ = read_csv_records(read_bytes(Path(path)))
    rows = [(line, row) for line, row in records if row]
    if not rows:
        raise LearnerError(
            f"cannot read the {name} table (it is empty)", file=path, fix="Give a UTF-8 CSV file with a header row"
        )
    header = rows[0][1]
    for line, row in rows[1:]:
        if len(row) > len(header):
            raise LearnerError(
                f"cannot read the {name} table (line {line} has {len(row)} fields, the header {len(header)})",
                file=path,
                fix="Give a UTF-8 CSV file with a header row",
            )
    body = [row + [""] * (len(header) - len(row)) for _, row in rows[1:]]
    frame = pd.DataFrame(body, columns=header, dtype="str")
    return frame.mask(frame == "")


def run(args: argparse.Namespace) -> int:
    issues: list[str] = []
    if args.ocds:
        if args.tables:
            raise LearnerError("give either TENDERS.csv BIDS.csv or --ocds PATH, not both")
        tenders, bids, issues = read_ocds(args.ocds)
    elif len(args.tables) == 2:
        tenders, bids = _csv(args.tables[0], "tenders"), _csv(args.tables[1], "bids")
    else:
        raise LearnerError(
            "give two CSV files (TENDERS.csv BIDS.csv) or --ocds PATH",
            fix="Example: python -m helpers health-check datasets/shared/tenders.csv datasets/shared/bids.csv",
        )
    flags = tender_flags(tenders, bids, r003_days=args.r003_days)
    meanings = flag_meanings()
    summary = health_summary(flags)
    flagged = flags[flags["flagged"]]
    if args.json:
        print(
            json.dumps(
                {
                    "tenders": int(len(flags)),
                    "flagged": int(len(flagged)),
                    "counts": {code: int(flags[code].sum()) for code in meanings},
                    "flagged_tenders": [
                        {"tender_id": r.tender_id, "flags": [c for c in meanings if getattr(r, c)]}
                        for r in flagged.itertuples(index=False)
                    ],
                    "summary": json.loads(summary.to_json(orient="records")),
                    "issues": issues,
                    "caveat": flag_caveat(),
                },
                ensure_ascii=False,
            )
        )
        return 0
    print(f"{len(flags)} tenders, {len(flagged)} flagged.")
    for code, (title, _) in meanings.items():
        print(f"  {code:<20} {title}: {int(flags[code].sum())}")
    for row in flagged.itertuples(index=False):
        print(f"- {row.tender_id}: {', '.join(c for c in meanings if getattr(row, c))}")
    for issue in issues:
        print(f"note: {issue}")
    print(flag_caveat())
    return 0
