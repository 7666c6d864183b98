"""Read values a learner typed or a file held, with one plain message when they are not usable.

Dates cover the whole range real exports use: `0001-01-01` and `9999-12-31` are read (they are
common "no date" placeholders in finance systems) and can be recognised as placeholders, and a
date outside the range pandas can hold is never an `OutOfBoundsDatetime` traceback.
"""

from __future__ import annotations

import datetime as dt
import re
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


# ---------------------------------------------------------------- a number as written in a learner's file

SPACES = re.compile(r"[\s\u00a0\u202f']")
CURRENCY = re.compile(r"(?i)^(eur|€)\s*|\s*(eur|€)$")


def column_decimal(cells, comma_decimal_ok: bool = True) -> str | None:
    """The decimal mark a column of numbers uses, from the cells that show it ("," for 12.500,00 or 85,5;
    "." for 12,500.00 or 85.5), or None when no cell tells. A comma is never the decimal mark of a
    comma-separated file."""
    european = english = False
    for cell in cells:
        text = CURRENCY.sub("", SPACES.sub("", str(cell).strip())).rstrip("%")
        if re.fullmatch(r"-?\d*(\.\d{3})*,\d+", text) and not re.fullmatch(r"-?\d{1,3},\d{3}", text):
            european = True
        elif re.fullmatch(r"-?\d*(,\d{3})*\.\d+", text) and not re.fullmatch(r"-?\d{1,3}\.\d{3}", text):
            english = True
    if european and comma_decimal_ok and not english:
        return ","
    if english and not european:
        return "."
    return None if comma_decimal_ok else "."


def parse_number(cell, comma_decimal_ok: bool = True, decimal: str | None = None) -> tuple[float | None, str]:
    """A number as written in a file: "1234.5", "1 234,50", "1.234,50", "1,234.50", "EUR 95", "85,5".
    `decimal` is the column's decimal mark when known (`column_decimal`); without it "1,250" and
    "8.000" are ambiguous (1250 or 1.25; 8000 or 8) and are refused, saying so.
    Returns (value, "") or (None, the problem in words)."""
    text = CURRENCY.sub("", SPACES.sub("", str(cell).strip()))
    if text.endswith("%"):
        text = text[:-1]
    if not text:
        return None, "is empty"
    shown = str(cell).strip()
    if not text.isascii() or "_" in text:  # float() would take other scripts' digits and 1_000
        return None, f"'{shown}' is not a number"
    if decimal is None and not comma_decimal_ok:
        decimal = "."
    if "," in text and "." in text:
        mark = "," if text.rfind(",") > text.rfind(".") else "."
        text = text.replace("." if mark == "," else ",", "").replace(",", ".")
    elif re.fullmatch(r"-?\d{1,3}([.,]\d{3})+", text) and (decimal is not None or len(re.findall(r"[.,]", text)) > 1):
        separator = text[len(text) - 4]
        if len(re.findall(r"[.,]", text)) > 1 or separator != decimal:
            text = text.replace(separator, "")  # 1.234.567, or 8.000 in a column whose decimal mark is ","
        else:
            text = text.replace(",", ".")
    elif re.fullmatch(r"-?\d{1,3}[.,]\d{3}", text):
        whole, part = re.split(r"[.,]", text)
        return None, f"'{shown}' could be {whole}{part} or {(whole + '.' + part).rstrip('0').rstrip('.')}"
    elif "," in text:
        if comma_decimal_ok and re.fullmatch(r"-?\d*,\d+", text):
            text = text.replace(",", ".")
        else:
            return None, f"'{shown}' is not a number (a comma as decimal mark?)"
    try:
        value = float(text)
    except ValueError:
        return None, f"'{shown}' is not a number"
    if value != value or abs(value) == float("inf"):
        return None, f"'{shown}' is not a number"
    return value, ""
