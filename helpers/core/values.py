"""Read values a learner typed or a file held, with one plain message when they are not usable."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from helpers.core.errors import LearnerError


def as_date(value: Any, what: str = "date") -> dt.date:
    """A date from a date, datetime, pandas Timestamp or "YYYY-MM-DD" text."""
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise LearnerError(
            f"the {what} {value!r} is not a date", fix="Write it as YYYY-MM-DD, e.g. 2025-06-01"
        ) from None
