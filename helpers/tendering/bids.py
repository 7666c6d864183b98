"""Module 6, the bids being evaluated: a shipped tender's bids and quality marks, the brief's
example bids A, B and C, and the learner's own bids from a form, an uploaded CSV or a file
given on the command line (each checked line by line; a file is only read, never changed).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from helpers.core.content import content_file, items
from helpers.core.errors import LearnerError
from helpers.core.limits import LimitExceeded
from helpers.core.tables import read_bytes, read_csv_records
from helpers.core.values import column_decimal
from helpers.core.values import parse_number as read_number
from helpers.data import city_info, load_table
from helpers.tendering.evaluation import quality_points

PLAYGROUND_TENDER = "PV-T-2025-017"  # the running purchase (modules 5-7)
BID_COLUMNS = ("bidder", "price", "quality")  # a learner's bids file: quality as % of the maximum
# A number as a spreadsheet writes it: ASCII digits only (not ١٢٣), no "_" (not 1_000), no inf/nan.


def _brief_bids() -> pd.DataFrame:
    """The brief's rank-reversal set-up (§4.3, course design; course/content/tendering_rank_reversal_bids.yaml):
    quality 60 points, price 40 points; quality as % of the maximum (40/60, 48/60 and 10/60 points)."""
    top = content_file("tendering_rank_reversal_bids")["quality_max_points"]
    bids = items("tendering_rank_reversal_bids")
    return pd.DataFrame(
        {
            "bidder": [b["id"] for b in bids],
            "price": [float(b["price_eur"]) for b in bids],
            "quality_pct": [100 * b["quality_points"] / top for b in bids],
        }
    )


BRIEF_BIDS = _brief_bids()


# ---------------------------------------------------------------- shipped tenders


def featured_tenders() -> list[str]:
    """Tenders shipped with per-criterion quality marks (bid_marks.csv)."""
    return sorted(load_table("bid_marks")["tender_id"].astype("str").unique())


def tender_info(tender_id: str) -> dict:
    """One tender's row of tenders.csv as a dict (LearnerError if it is not in the course data)."""
    tenders = load_table("tenders")
    row = tenders[tenders["tender_id"].astype("str") == str(tender_id)]
    if row.empty:
        raise LearnerError(
            f"there is no tender {tender_id!r} in the course data",
            fix="Use a tender id from datasets/shared/tenders.csv, e.g. PV-T-2025-017",
        )
    return row.iloc[0].to_dict()


def tender_marks(tender_id: str) -> pd.DataFrame:
    """The 0–5 quality marks of a featured tender (bidder, criterion, weight, mark)."""
    marks = load_table("bid_marks")
    return marks[marks["tender_id"].astype("str") == str(tender_id)].rename(columns={"bidder_name": "bidder"})


def marks_table(marks: pd.DataFrame) -> pd.DataFrame:
    """Marks as a grid: one row per bidder, one column per criterion ('name (weight)'), then the
    quality points (Σ mark ÷ 5 × weight) and the % of the maximum."""
    if marks.empty:
        return pd.DataFrame(columns=["bidder"])
    labels = marks["criterion"].astype("str") + " (" + marks["weight"].astype("str") + ")"
    grid = (
        marks.assign(column=labels)
        .pivot_table(index="bidder", columns="column", values="mark", aggfunc="first", sort=False)
        .reset_index()
        .rename_axis(columns=None)
    )
    points = quality_points(marks)
    return grid.merge(points[["bidder", "quality_points", "quality_pct"]], on="bidder").assign(
        quality_points=lambda t: t["quality_points"].round(2), quality_pct=lambda t: t["quality_pct"].round(2)
    )


def tender_bids(tender_id: str) -> pd.DataFrame:
    """A shipped tender's bids as bidder, price, quality_pct, status.

    For a featured tender the quality is recomputed from the 0–5 marks (exact, not rounded)."""
    bids = load_table("bids")
    bids = bids[bids["tender_id"].astype("str") == str(tender_id)]
    if bids.empty:
        raise LearnerError(
            f"the course data has no bids for tender {tender_id!r}", fix="Choose a tender with bids, e.g. PV-T-2025-017"
        )
    table = pd.DataFrame(
        {
            "bidder": bids["bidder_name"].astype("str").to_numpy(),
            "price": bids["price_eur"].astype("float64").to_numpy(),
            "quality_pct": bids["quality_pct"].astype("float64").to_numpy(),
            "status": bids["status"].astype("str").to_numpy(),
        }
    )
    marks = tender_marks(tender_id)
    if not marks.empty:
        exact = quality_points(marks).set_index("bidder")["quality_pct"]
        table["quality_pct"] = table["bidder"].map(exact).fillna(table["quality_pct"]).astype("float64")
    return table


def example_bids(with_c: bool = False) -> pd.DataFrame:
    """The brief's example bids A and B (§4.3), with bid C when `with_c`."""
    return BRIEF_BIDS.iloc[: 3 if with_c else 2].reset_index(drop=True)


def choose_tender(city: str, tender_id: str | None = PLAYGROUND_TENDER) -> str | None:
    """The featured tender to study for `city`: `tender_id` if it is the city's and has marks,
    else the city's first featured tender, else None (use the brief's example bids)."""
    prefix = city_info(city)["id_prefix"]
    featured = [t for t in featured_tenders() if t.startswith(f"{prefix}-")]
    if tender_id in featured:
        return tender_id
    return featured[0] if featured else None


def city_bids(city: str) -> pd.DataFrame:
    """The bids of all of a city's tenders (the population for the R058 fence)."""
    tenders = load_table("tenders")
    ids = set(tenders.loc[tenders["city"].astype("str") == city, "tender_id"].astype("str"))
    bids = load_table("bids")
    return bids[bids["tender_id"].astype("str").isin(ids)]


# ---------------------------------------------------------------- the learner's bids


def parse_number(
    text: str, what: str, file: str, line: int, decimal: str | None = None, comma_ok: bool = True
) -> float:
    """A price or quality typed by the learner ('125 000', '125.000,50' and '1,250.50' are fine); LearnerError
    naming the file and line. `decimal` is the column's decimal mark when the file shows it."""
    value, problem = read_number(text, comma_ok, decimal)
    if value is None:
        raise LearnerError(
            f"the {what} {problem}" if problem != "is empty" else f"the {what} is empty",
            file=file,
            row=line,
            fix="Write plain numbers such as 125000 or 125000.50 (125000,50 in a semicolon-separated file)",
        )
    return value


def price_and_quality(
    price: str, quality: str, where: str, line: int, marks: dict | None = None
) -> tuple[float, float]:
    """One bid's price (above 0) and quality (0–100 % of the maximum), checked; `marks` holds each
    column's decimal mark and whether a comma may be one (from the file)."""
    marks = marks or {}
    comma_ok = marks.get("comma_ok", True)
    value = parse_number(price, "price", where, line, marks.get("price"), comma_ok)
    if value <= 0:
        raise LearnerError(f"the price {value:g} must be above 0", file=where, row=line)
    share = parse_number(quality, "quality", where, line, marks.get("quality"), comma_ok)
    if not 0 <= share <= 100:
        raise LearnerError(f"the quality {share:g} must be from 0 to 100 (% of the maximum)", file=where, row=line)
    return value, share


def _bid_rows(rows: list[dict], where: str) -> pd.DataFrame:
    """Check bidder/price/quality rows (already read as text) and return them as a bids table."""
    checked, seen = [], {}
    for row in rows:
        line, name = row["line"], str(row["bidder"]).strip()
        if not name:
            raise LearnerError("the bidder's name is empty", file=where, row=line, fix="Give every bid a name")
        if name in seen:
            raise LearnerError(
                f"the bidder {name!r} appears twice (also on line {seen[name]})",
                file=where,
                row=line,
                fix="Give each bid its own name, e.g. 'B2'",
            )
        seen[name] = line
        price, quality = price_and_quality(row["price"], row["quality"], where, line, row.get("marks"))
        checked.append({"bidder": name, "price": price, "quality_pct": quality})
    if not checked:
        raise LearnerError("there are no bids to score", file=where, fix="Fill in at least one row")
    return pd.DataFrame(checked)


def bids_from_form(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    """The learner's bids from the form (bidder, price, quality as typed); empty rows are skipped."""
    filled = [
        {"line": n, "bidder": b, "price": p, "quality": q}
        for n, (b, p, q) in enumerate(rows, start=1)
        if any(str(v).strip() for v in (b, p, q))
    ]
    return _bid_rows(filled, "the bids form")


def bid_records(raw: bytes, shown: str) -> list[dict]:
    """A bids CSV (any encoding and delimiter, read by `helpers.core.tables`) as one dict per
    record: its line, bidder, price and quality as text. Column names may differ in case."""
    try:
        records, _, delimiter = read_csv_records(bytes(raw), "bids file", shown)
    except LimitExceeded:
        raise  # its message names the limit
    except LearnerError as exc:
        raise LearnerError(
            "cannot read the bids table",
            file=shown,
            row=exc.row,
            fix="Give a CSV file with a header row: bidder,price,quality",
        ) from None
    records = [(line, cells) for line, cells in records if any(str(c).strip() for c in cells)]
    if not records:
        raise LearnerError(
            "cannot read the bids table", file=shown, fix="Give a CSV file with a header row: bidder,price,quality"
        )
    (_, header), body = records[0], records[1:]
    keys = [str(c).strip().lower() for c in header]
    missing = [c for c in BID_COLUMNS if c not in keys]
    if missing:
        raise LearnerError(
            "no column " + ", ".join(repr(c) for c in missing),
            file=shown,
            fix="The header row must name the columns bidder, price, quality",
        )
    where = {c: keys.index(c) for c in BID_COLUMNS}
    comma_ok = delimiter != ","
    marks = {
        column: column_decimal([cells[where[column]] for _, cells in body if where[column] < len(cells)], comma_ok)
        for column in ("price", "quality")
    }
    marks["comma_ok"] = comma_ok
    return [
        {"line": line, "marks": marks, **{c: cells[i] if i < len(cells) else "" for c, i in where.items()}}
        for line, cells in body
    ]


def read_uploaded_bids(name: str, content: bytes) -> pd.DataFrame:
    """An uploaded bids CSV (bidder, price, quality) checked line by line; the upload is only read."""
    shown = Path(str(name)).name or "bids.csv"
    return _bid_rows(bid_records(content, shown), shown)


def read_bids_file(path: str) -> pd.DataFrame:
    """BIDS.csv (bidder, price, quality) as bidder, price, quality_pct, for `python -m helpers evaluate`;
    LearnerError naming the line for bad values. The file is only read."""
    file = Path(path)
    if not file.exists():
        raise LearnerError("file not found", file=path, fix="Check the path to the bids CSV")
    # read only, regular files within the limits; the same checks as the widget (a bidder twice is refused)
    rows = bid_records(read_bytes(file, "bids file"), file.name)
    if not rows:
        raise LearnerError("there are no bids in the file", file=file.name)
    return _bid_rows(rows, file.name)
