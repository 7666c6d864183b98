"""Module 6, the bids a life-cycle costing compares: the course example, or the learner's own file (a CSV read by
`helpers.core.tables`, only read, never changed).

A learner's file has a `bidder` column and any of the cost columns (`acquisition`, `energy_per_year` or
`energy_kwh_per_year`, `water_per_year`, `consumables_per_year`, `maintenance_per_year`, `end_of_life`,
`externalities_per_year`). An empty cell, "unknown", "?", "n/a" or "-" is an unknown cost (the bid is then not ranked);
a cell that is not a number is reported with its line and also left unknown, never read as zero.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.core.errors import LearnerError
from helpers.core.limits import LimitExceeded
from helpers.core.paths import my_data_dir, repo_root
from helpers.core.tables import read_bytes, read_csv_records
from helpers.core.values import column_decimal, parse_number
from helpers.tendering.life_cycle_cost import ENERGY_KWH, PART_LABELS, PARTS, course_lcc_bids, course_lcc_settings
from helpers.ui.messages import Issue

COST_COLUMNS = tuple(column for column, _, _ in PARTS) + (ENERGY_KWH,)
ALIASES = {"purchase": "acquisition", "purchase_price": "acquisition", "price": "acquisition", "name": "bidder"}
UNKNOWN_WORDS = {"", "unknown", "?", "n/a", "na", "-", "–", "not known"}
EXAMPLE_HEADER = "bidder,acquisition,energy_kwh_per_year,maintenance_per_year,end_of_life"


def _key(text: str) -> str:
    key = re.sub(r"[^0-9a-z]+", "_", str(text).strip().lower()).strip("_")
    return ALIASES.get(key, key)


def read_lcc_bids(name: str, content: bytes) -> tuple[pd.DataFrame, list[Issue]]:
    """An uploaded life-cycle-cost bids CSV as a table (bidder + the cost columns it has, NaN = unknown) and the
    issues found (each naming the file, line and column). LearnerError if it cannot be used at all."""
    shown = Path(str(name)).name or "bids.csv"
    fix = f"Give a CSV file with a header row such as: {EXAMPLE_HEADER}"
    try:
        records, _, delimiter = read_csv_records(bytes(content), "bids file", shown)
    except LimitExceeded:
        raise  # its message names the limit
    except LearnerError as exc:
        raise LearnerError("cannot read the bids table", file=shown, row=exc.row, fix=fix) from None
    records = [(line, cells) for line, cells in records if any(str(c).strip() for c in cells)]
    if not records:
        raise LearnerError("the bids file is empty", file=shown, fix=fix)
    (_, header), body = records[0], records[1:]
    keys = [_key(c) for c in header]
    if "bidder" not in keys:
        raise LearnerError("no column 'bidder'", file=shown, fix=fix)
    costs = [c for c in COST_COLUMNS if c in keys]
    if not costs:
        raise LearnerError("no cost column", file=shown, fix=fix)
    issues = [
        Issue(f"the column {header[i]!r} is not a cost part and is not used", "info", where=shown, field=str(header[i]))
        for i, k in enumerate(keys)
        if k not in costs and k != "bidder" and str(header[i]).strip()
    ]
    where = {c: keys.index(c) for c in ("bidder", *costs)}
    comma_ok = delimiter != ","

    def cell(cells: list[str], column: str) -> str:
        i = where[column]
        return str(cells[i]).strip() if i < len(cells) else ""

    marks = {
        c: column_decimal(
            [cell(cells, c) for _, cells in body if cell(cells, c).lower() not in UNKNOWN_WORDS], comma_ok
        )
        for c in costs
    }
    shown_marks = {m for m in marks.values() if m is not None}
    if len(shown_marks) == 1:  # a column that shows no decimal mark follows the rest of the file (330.000 in 1.234,50)
        marks = {c: m if m is not None else next(iter(shown_marks)) for c, m in marks.items()}
    rows, seen = [], {}
    for line, cells in body:
        bidder = cell(cells, "bidder")
        if not bidder:
            raise LearnerError("the bidder's name is empty", file=shown, row=line, fix="Give every bid a name")
        if bidder in seen:
            raise LearnerError(
                f"the bidder {bidder!r} appears twice (also on line {seen[bidder]})", file=shown, row=line
            )
        seen[bidder] = line
        row = {"bidder": bidder}
        for column in costs:
            text = cell(cells, column)
            label = PART_LABELS.get(column, "energy (kWh a year)")
            if text.lower() in UNKNOWN_WORDS:
                row[column] = np.nan
                continue
            value, problem = parse_number(text, comma_ok, marks[column])
            if value is None:
                issues.append(
                    Issue(
                        f"the {label} {problem}; it is taken as unknown",
                        "warning",
                        fix="Write a plain number such as 125000 or 125000.50, or leave it empty if it is not known",
                        where=f"{shown}, line {line}",
                        line=line,
                        field=column,
                    )
                )
                value = np.nan
            elif value < 0 and column != "end_of_life":
                issues.append(
                    Issue(
                        f"the {label} {value:g} is negative; it is taken as unknown",
                        "warning",
                        fix="Only the end-of-life cost may be negative (a resale value)",
                        where=f"{shown}, line {line}",
                        line=line,
                        field=column,
                    )
                )
                value = np.nan
            row[column] = value
        rows.append(row)
    if not rows:
        raise LearnerError("there are no bids under the header", file=shown, fix=fix)
    return pd.DataFrame(rows, columns=["bidder", *costs]).astype({c: "float64" for c in costs}), issues


def read_lcc_path(path) -> tuple[pd.DataFrame, list[Issue]]:
    """A learner's bids CSV given as a path (as is, or inside my_data/ or the course folder); only read."""
    given = Path(str(path)).expanduser()
    candidates = [given] if given.is_absolute() else [given, my_data_dir() / given, repo_root() / given]
    found = next((c for c in candidates if c.is_file()), None)
    if found is None:
        raise LearnerError(
            "this bids file does not exist",
            file=str(path),
            fix="Check the name and folder (put your files in my_data/)",
        )
    return read_lcc_bids(found.name, read_bytes(found, "bids file"))


@dataclass
class LccCase:
    """The bids a life-cycle costing compares, with the settings to start from and where they come from.
    `problems` says why the learner's file could not be used (the course example is then used, and says so)."""

    bids: pd.DataFrame
    label: str
    years: int
    energy_price: float | None
    discount_rate_pct: float
    own: bool = False
    issues: list[Issue] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        head = " ".join(self.problems)
        what = (
            f"Using your bids from {self.label} ({len(self.bids)} bids)."
            if self.own
            else f"Using the course example: {self.label} ({len(self.bids)} synthetic bids)."
        )
        return (head + " " + what).strip()


def lcc_case(
    lcc_bids=None, years: int | None = None, energy_price: float | None = None, discount_rate_pct: float | None = None
) -> LccCase:
    """The bids for module 6's life-cycle costing: the learner's file `lcc_bids` if given and usable, else the
    course example. Settings not given come from the course example (the energy price only for the example:
    for the learner's own bids an energy price must be entered, else energy in kWh stays unknown). Never raises
    for a problem in the learner's file."""
    settings = course_lcc_settings()
    start = {
        "years": int(years if years is not None else settings["years"]),
        "discount_rate_pct": float(
            discount_rate_pct if discount_rate_pct is not None else settings["discount_rate_pct"]
        ),
    }
    problems: list[str] = []
    if lcc_bids not in (None, ""):
        try:
            bids, issues = read_lcc_path(lcc_bids)
            return LccCase(bids, Path(str(lcc_bids)).name, energy_price=energy_price, own=True, issues=issues, **start)
        except LearnerError as exc:
            problems.append(f"Your bids could not be used: {exc} The notebook goes on with the course example.")
    price = energy_price if energy_price is not None else settings["energy_price_eur_per_kwh"]
    return LccCase(
        course_lcc_bids(),
        "Portavera's street-lighting renewal",
        energy_price=float(price),
        problems=problems,
        **start,
    )
