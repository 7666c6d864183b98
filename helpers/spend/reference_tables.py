"""A learner's own reference tables for a spend analysis: the supplier register and the
geography table (postcode prefix → place and level).

Both are small CSV files read through the course's one table reader
(`helpers.core.tables`: encoding and delimiter detected, the file opened read-only);
cells are kept as written (supplier numbers keep their leading zeros), column names
are trimmed and lower-cased, and a missing column is one plain message naming the file.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from helpers.core.errors import LearnerError
from helpers.core.limits import LimitExceeded
from helpers.core.tables import read_bytes, read_csv_records

REGISTER_COLUMNS_FIX = (
    "Use the columns of datasets/portavera/suppliers.csv: supplier_id, name, vat_number, "
    "postcode, country, size_class, social_economy, …"
)
GEOGRAPHY_COLUMNS = ("postcode_prefix", "place", "level")
GEOGRAPHY_COLUMNS_FIX = (
    "Use the columns of datasets/portavera/geography.csv: postcode_prefix, place, "
    "level (levels nearest first, e.g. city, metropolitan, regional, national)"
)


def _unique_names(names: list[str]) -> list[str]:
    """Header names made distinct the way spreadsheets and pandas do: a second 'x' becomes 'x.1'."""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        if name in seen:
            seen[name] += 1
            name = f"{name}.{seen[name]}"
        else:
            seen[name] = 0
        out.append(name)
    return out


def read_reference_table(path: str | Path, what: str, required: tuple[str, ...], fix: str) -> pd.DataFrame:
    """A small CSV the learner supplies (register, geography): text kept as written, lower-case
    column names, the required columns checked with a plain message naming the file."""
    path = Path(path)
    if not path.exists() or path.is_dir():
        raise LearnerError(f"this {what} file does not exist", file=str(path))
    raw = read_bytes(path, what)  # read-only, regular files within the limits (helpers.core.limits)
    if not raw.strip(b" \t\r\n\xef\xbb\xbf"):
        raise LearnerError(
            f"the {what} is empty", file=path.name, fix=f"Save it as CSV with one header row: {', '.join(required)}"
        )
    try:
        records, _, _ = read_csv_records(raw, what, path.name)
    except LimitExceeded:
        raise  # its message names the limit
    except LearnerError as exc:
        raise LearnerError(
            f"the {what} cannot be read as a table (line {exc.row})",
            file=path.name,
            fix=f"Save it as CSV with one header row: {', '.join(required)}",
        ) from exc
    rows = [(line, cells) for line, cells in records if any(c.strip() for c in cells)]
    if not rows:
        raise LearnerError(
            f"the {what} is empty", file=path.name, fix=f"Save it as CSV with one header row: {', '.join(required)}"
        )
    header = _unique_names([cell.replace("\ufeff", "") for cell in rows[0][1]])
    width = len(header)
    for line, cells in rows[1:]:
        if len(cells) > width:
            raise LearnerError(
                f"the {what} cannot be read as a table (line {line} has {len(cells)} cells, the header {width})",
                file=path.name,
                fix=f"Save it as CSV with one header row: {', '.join(required)}",
            )
    body = [cells + [""] * (width - len(cells)) for _, cells in rows[1:]]
    frame = pd.DataFrame(body, columns=header, dtype="str") if body else pd.DataFrame(columns=header, dtype="str")
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise LearnerError(f"the {what} has no column {', '.join(missing)}", file=path.name, fix=fix)
    return frame


def read_register(path: str | Path) -> pd.DataFrame:
    """A supplier register CSV (the columns of suppliers.csv; ids kept as text, leading zeros too)."""
    frame = read_reference_table(path, "supplier register", ("supplier_id", "name"), REGISTER_COLUMNS_FIX)
    return frame.replace("", pd.NA)


def read_geography(path: str | Path) -> pd.DataFrame:
    """A geography table CSV (postcode_prefix, place, level; text kept as written, spaces trimmed)."""
    frame = read_reference_table(path, "geography table", GEOGRAPHY_COLUMNS, GEOGRAPHY_COLUMNS_FIX)
    frame = frame.assign(**{c: frame[c].str.strip() for c in GEOGRAPHY_COLUMNS})
    return frame.replace("", pd.NA)
