"""Read values a learner typed or a file held, with one plain message when they are not usable.

Dates cover the whole range real exports use: `0001-01-01` and `9999-12-31` are read (they are
common "no date" placeholders in finance systems) and can be recognised as placeholders, and a
date outside the range pandas can hold is never an `OutOfBoundsDatetime` traceback.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from helpers.core.errors import LearnerError

# The dates a pandas datetime64[ns] column can hold (1677-09-21 to 2262-04-11).
TIMESTAMP_RANGE = (pd.Timestamp.min.date() + dt.timedelta(days=1), pd.Timestamp.max.date())
# "No date" in finance exports: the first and last representable days, SQL Server's default
# and the Excel serial 0 (shown as 1899-12-30 or 1900-01-00, read as 1899-12-31).
PLACEHOLDER_DATES = frozenset({dt.date(1, 1, 1), dt.date(1900, 1, 1), dt.date(1899, 12, 30), dt.date(1899, 12, 31)})


def is_placeholder_date(day: dt.date) -> bool:
    """True for a date a finance system writes for "no date": any day of year 9999 (9999-12-31
    above all), 0001-01-01, 1900-01-01, or the Excel serial 0."""
    return day.year == 9999 or day in PLACEHOLDER_DATES


def as_date(value: Any, what: str = "date") -> dt.date:
    """A date from a date, datetime, pandas Timestamp, numpy datetime64 or "YYYY-MM-DD" text
    (years 0001 to 9999)."""
    if value is None or value is pd.NaT or (isinstance(value, float) and np.isnan(value)):
        raise LearnerError(f"the {what} is empty", fix="Write it as YYYY-MM-DD, e.g. 2025-06-01")
    if isinstance(value, np.datetime64):
        if np.isnat(value):
            raise LearnerError(f"the {what} is empty", fix="Write it as YYYY-MM-DD, e.g. 2025-06-01")
        return dt.date.fromisoformat(str(value.astype("datetime64[D]")))
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text[:10] if len(text) > 10 and text[10] in "T " else text)
    except ValueError:
        raise LearnerError(
            f"the {what} {text[:40]!r} is not a date", fix="Write it as YYYY-MM-DD, e.g. 2025-06-01"
        ) from None


def timestamp_or_none(value: Any, what: str = "date") -> pd.Timestamp | None:
    """A pandas Timestamp for a date, or None for a placeholder ("no date"); a real date outside
    the years pandas can hold (1677–2262) is a LearnerError naming the range, never a traceback."""
    day = as_date(value, what)
    if is_placeholder_date(day):
        return None
    low, high = TIMESTAMP_RANGE
    if not low <= day <= high:
        raise LearnerError(
            f"the {what} {day.isoformat()} is outside the years the course can compute with ({low.year}–{high.year})",
            fix="Check the year; for 'no end date' leave the cell empty or write 9999-12-31",
        )
    return pd.Timestamp(day)
