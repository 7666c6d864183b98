"""The one way figures are written for learners: money, percentages, plain numbers.

Every view, export and message formats through these functions, so a share is
never shown as `0.35` in one place and `35.0%` in another, and a figure that the
data cannot support is written as "unknown", never as zero.
"""

from __future__ import annotations

import math
from typing import Any

UNKNOWN = "unknown"


def is_missing(value: Any) -> bool:
    """True for None, NaN, pandas' NA and NaT: a figure the data could not give."""
    if value is None:
        return True
    try:
        return bool(value != value) or (isinstance(value, float) and math.isinf(value))
    except (TypeError, ValueError):  # pandas.NA refuses bool(); it is missing
        return True


def money(value: Any, currency: str | None = "EUR", *, decimals: int = 2, unknown: str = UNKNOWN) -> str:
    """`money(1234.5)` → 'EUR 1,234.50'; `money(1234.5, None)` → '1,234.50'; missing → 'unknown'."""
    if is_missing(value):
        return unknown
    text = f"{float(value):,.{decimals}f}"
    return f"{currency} {text}" if currency else text


def pct(share: Any, *, decimals: int = 1, fraction: bool = True, unknown: str = UNKNOWN) -> str:
    """A share as a percentage: `pct(0.354)` → '35.4%'; `pct(35.4, fraction=False)` → '35.4%'."""
    if is_missing(share):
        return unknown
    value = float(share) * (100 if fraction else 1)
    return f"{value:,.{decimals}f}%"


def number(value: Any, *, unknown: str = UNKNOWN) -> str:
    """A plain number without needless decimals: 1.6 → '1.6', 2_800_000 → '2,800,000', 0.125 → '0.13'."""
    if is_missing(value):
        return unknown
    value = float(value)
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def count(value: Any, noun: str, plural: str | None = None, *, unknown: str = UNKNOWN) -> str:
    """`count(1, "tender")` → '1 tender'; `count(3, "tender")` → '3 tenders'; whole units only."""
    if is_missing(value):
        return f"{unknown} {plural or noun + 's'}"
    whole = int(round(float(value)))
    return f"{whole:,} {noun if whole == 1 else (plural or noun + 's')}"
