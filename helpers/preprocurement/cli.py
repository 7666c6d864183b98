"""`python -m helpers health-check`: red flags on past tenders, from the course's CSV tables
(tenders.csv and bids.csv columns) or from OCDS JSON files (`--ocds FILE_OR_FOLDER`)."""
from __future__ import annotations

import argparse
import json

import pandas as pd

from helpers.core.errors import LearnerError


def register(subparsers) -> None:
    """Add the `health-check` command."""
    parser = subparsers.add_parser(
        "health-check", help="red flags on past tenders (short periods, single bids, heavy discounts)",
        description="Flag past tenders: R003 short submission period, R018 single bid, R058 heavily "
                    "discounted winning bid, and periods below the Directive's minimum. A flag is a "
                    "question, not a verdict. Exit status: 0 done, 2 input unusable.")
    parser.add_argument("tables", nargs="*", metavar="CSV", help="TENDERS.csv BIDS.csv (columns as in the course data)")
    parser.add_argument("--ocds", metavar="PATH", help="an OCDS JSON file or a folder of them, instead of the CSVs")
    parser.add_argument("--r003-days", type=int, default=15, help="short-period limit in days (default 15)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    parser.set_defaults(func=run)


def _csv(path: str, name: str) -> pd.DataFrame:
    try:
        return pd.read_csv(path, dtype="str", encoding="utf-8-sig", keep_default_na=False, na_values=[""])
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise LearnerError(f"cannot read the {name} table ({type(exc).__name__})", file=path,
                           fix="Give a UTF-8 CSV file with a header row") from exc


def run(args: argparse.Namespace) -> int:
    from helpers.preprocurement.model import FLAG_CAVEAT, FLAGS, health_summary, tender_flags

    issues: list[str] = []
    if args.ocds:
        if args.tables:
            raise LearnerError("give either TENDERS.csv BIDS.csv or --ocds PATH, not both")
        from helpers.preprocurement.ocds import read_ocds
        tenders, bids, issues = read_ocds(args.ocds)
    elif len(args.tables) == 2:
        tenders, bids = _csv(args.tables[0], "tenders"), _csv(args.tables[1], "bids")
    else:
        raise LearnerError("give two CSV files (TENDERS.csv BIDS.csv) or --ocds PATH",
                           fix="Example: python -m helpers health-check datasets/shared/tenders.csv datasets/shared/bids.csv")
    flags = tender_flags(tenders, bids, r003_days=args.r003_days)
    summary = health_summary(flags)
    flagged = flags[flags["flagged"]]
    if args.json:
        print(json.dumps({
            "tenders": int(len(flags)), "flagged": int(len(flagged)),
            "counts": {code: int(flags[code].sum()) for code in FLAGS},
            "flagged_tenders": [{"tender_id": r.tender_id, "flags": [c for c in FLAGS if getattr(r, c)]}
                                for r in flagged.itertuples(index=False)],
            "summary": json.loads(summary.to_json(orient="records")),
            "issues": issues, "caveat": FLAG_CAVEAT}, ensure_ascii=False))
        return 0
    print(f"{len(flags)} tenders, {len(flagged)} flagged.")
    for code, (title, _) in FLAGS.items():
        print(f"  {code:<20} {title}: {int(flags[code].sum())}")
    for row in flagged.itertuples(index=False):
        print(f"- {row.tender_id}: {', '.join(c for c in FLAGS if getattr(row, c))}")
    for issue in issues:
        print(f"note: {issue}")
    print(FLAG_CAVEAT)
    return 0
