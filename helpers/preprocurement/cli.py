"""`python -m helpers health-check`: red flags on past tenders, from the course's CSV tables
(tenders.csv and bids.csv columns) or from OCDS JSON (`--ocds FILE_FOLDER_OR_ZIP`).

For every flag it says what it could check: how many tenders it applied to, how many were flagged, and how
many could not be checked and why (`--json`: a list under "flags", one entry per flag). Text taken from the
data is stripped of terminal control sequences before it is printed.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

import pandas as pd

from helpers.core.errors import LearnerError
from helpers.core.tables import read_bytes, read_csv_records
from helpers.preprocurement.flag_scope import coverage_text, missing_data
from helpers.preprocurement.ocds import OcdsData, read_ocds
from helpers.preprocurement.red_flags import (
    any_checked,
    flag_caveat,
    flag_coverage,
    flag_meanings,
    flags_headline,
    health_summary,
    tender_flags,
    unrecognised_procedures,
)

MAX_LISTED = 20  # data issues printed in the text output (all are in --json)
# ANSI/VT escape sequences (CSI, OSC, other ESC sequences), then any other control character
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]?|\x9b[0-?]*[ -/]*[@-~]"
)
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def terminal_safe(text: object) -> str:
    """Text from the data made safe to print: escape sequences removed, other control characters (and
    bidirectional overrides) replaced by a space, so a supplier name can never move the cursor or recolour."""
    return _CONTROLS.sub(" ", _ESCAPES.sub("", str(text)))


def json_safe(payload: object) -> str:
    """JSON for the terminal: C0 controls are escaped by json; C1 controls and bidi overrides are escaped too."""
    text = json.dumps(payload, ensure_ascii=False)
    return _CONTROLS.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def register(subparsers) -> None:
    """Add the `health-check` command."""
    parser = subparsers.add_parser(
        "health-check",
        help="red flags on past tenders (short periods, single bids, heavy discounts)",
        description="Flag past tenders: R003 short submission period, R018 single bid, R058 heavily "
        "discounted winning bid, and periods below the Directive's minimum (EU buyers). For each flag it says "
        "how many tenders it could check, and why not the others. A flag is a question, not a verdict. "
        "Exit status: 0 done, 2 input unusable.",
    )
    parser.add_argument("tables", nargs="*", metavar="CSV", help="TENDERS.csv BIDS.csv (columns as in the course data)")
    parser.add_argument(
        "--ocds", metavar="PATH", help="an OCDS JSON file, a folder of them or a .zip, instead of the CSVs"
    )
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


def _read(args: argparse.Namespace) -> tuple[pd.DataFrame, pd.DataFrame, OcdsData | None]:
    if args.ocds:
        if args.tables:
            raise LearnerError("give either TENDERS.csv BIDS.csv or --ocds PATH, not both")
        data = read_ocds(args.ocds)
        return data.tenders, data.bids, data
    if len(args.tables) == 2:
        return _csv(args.tables[0], "tenders"), _csv(args.tables[1], "bids"), None
    raise LearnerError(
        "give two CSV files (TENDERS.csv BIDS.csv) or --ocds PATH",
        fix="Example: python -m helpers health-check datasets/shared/tenders.csv datasets/shared/bids.csv",
    )


def run(args: argparse.Namespace) -> int:
    try:
        tenders, bids, data = _read(args)
        flags = tender_flags(tenders, bids, r003_days=args.r003_days)
    except LearnerError as exc:
        raise LearnerError(terminal_safe(exc)) from None
    coverage = flag_coverage(flags)
    unknown = unrecognised_procedures(flags)
    meanings = flag_meanings()
    flagged = flags[flags["flagged"]]
    if args.json:
        payload = {
            "tenders": int(len(flags)),
            "flagged": int(len(flagged)) if any_checked(flags) else None,
            "flags": coverage,
            "flagged_tenders": [
                {"tender_id": r.tender_id, "flags": [c for c in meanings if getattr(r, c)]}
                for r in flagged.itertuples(index=False)
            ],
            "summary": json.loads(health_summary(flags).to_json(orient="records")),
            "unrecognised_procedures": unknown,
            "buyers_assumed_in_eu": bool(flags.attrs["buyers_assumed_in_eu"]),
            "missing_data": missing_data(flags),
            "files_read": data.files_read if data else 2,
            "unreadable_files": [{"file": f, "reason": why} for f, why in (data.unreadable if data else [])],
            "data_issues": [i.to_dict() for i in data.data_issues] if data else [],
            "issues": data.issues if data else [],
            "caveat": flag_caveat(),
        }
        print(json_safe(payload))
        return 0
    _print_text(flags, coverage, unknown, data)
    return 0


def _print_text(flags: pd.DataFrame, coverage: list[dict], unknown: dict[str, int], data: OcdsData | None) -> None:
    say = lambda text: print(terminal_safe(text))  # noqa: E731 - every printed line goes through terminal_safe
    say(flags_headline(flags) + ".")
    for entry in coverage:
        say(f"  {entry['flag']:<20} {entry['title']}: {coverage_text(entry)}")
        if "law" in entry:
            say(f"  {'':<20} ({entry['law']})")
    if flags.attrs["buyers_assumed_in_eu"]:
        say("note: the tables have no buyer_country column, so the buyers are taken to be in the EU")
    meanings = list(flag_meanings())
    for row in flags[flags["flagged"]].itertuples(index=False):
        say(f"- {row.tender_id}: {', '.join(c for c in meanings if getattr(row, c))}")
    if unknown:
        say("procedures not recognised: " + "; ".join(f"{name} ({n})" for name, n in unknown.items()))
    for lack in missing_data(flags):
        say(
            f"missing: {lack['missing']} for {lack['tenders']} of {len(flags)} tenders; to check more, add "
            f"{lack['add']}"
        )
    if data:
        say(f"files read: {data.files_read}; not read: {len(data.unreadable)}")
        for name, why in data.unreadable:
            say(f"not read: {name}: {why}")
        for note in data.notes:
            say(f"note: {note}")
        for issue in data.data_issues[:MAX_LISTED]:
            say(f"data issue: {issue}")
        more = len(data.data_issues) - MAX_LISTED + data.more_data_issues
        if more > 0:
            say(f"data issue: {more} more (see --json)")
    say(flag_caveat())
