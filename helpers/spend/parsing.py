"""Amounts and dates as finance systems write them: `1.234,56`, `(123.45)`, `£1,234.56-`,
`02-Sep-2024`, `45123` (an Excel serial)…

`parse_amounts` and `parse_dates` read a whole column at once and decide the decimal
mark, or the day/month order, from all of its values, saying how they decided. Both
the ledger reader (`ingest`) and the column guesser (`mapping`) use them.

Hostile or odd values never abort a ledger: a date outside the years pandas holds is
"no date" (placeholders such as 9999-12-31 are counted as such), a four-digit year is
never taken for a two-digit one (01/01/0001 is not 2001), and an amount that is not
finite or above `MAX_AMOUNT` is unreadable, never rounded silently (below it, every cent of
an amount is kept exactly, so a 40-digit amount cannot pass with invented digits).
`exact_total` adds amounts to the exact cent.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd

from helpers.core.tables import columnwise_available
from helpers.spend.columns import spread

try:  # pyarrow (requirements.lock) reads a column of ASCII amounts with compiled regexes
    import pyarrow as pa
    import pyarrow.compute as pc
except ImportError:  # pragma: no cover - the course environment has it
    pa = pc = None

CURRENCY_CODES = ("EUR", "GBP", "USD", "CHF", "PLN", "RON", "CZK", "SEK", "DKK", "HUF", "BGN", "NOK", "UAH")
CURRENCY_SYMBOLS = {
    "£": "GBP",
    "€": "EUR",
    "$": "USD",
    "zł": "PLN",
    "Kč": "CZK",
    "lei": "RON",
    "Fr.": "CHF",
    "kr": "SEK",
}
CURRENCY_PATTERN = r"\b(?:EUR|GBP|USD|CHF|PLN|RON|CZK|SEK|DKK|HUF|BGN|NOK|UAH)\b|£|€|\$|zł|Kč|\blei\b"
MAX_AMOUNT = 1e13  # ten trillion: above any public body's yearly spend; below it float64 keeps every cent
SPACES = "\u00a0\u202f\u2009\u2007\u2008\u200a\u2002\u2003 '’"
MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for m in names
}


def _by_distinct_value(parse, values: pd.Series, *args) -> tuple[pd.Series, dict]:
    """Parse each distinct text once (ledgers repeat dates and amounts a lot), then spread back."""
    codes, uniques = pd.factorize(values.astype("str").fillna("").str.strip() if len(values) else values)
    parsed, info = parse(pd.Series(np.asarray(uniques, dtype=object), dtype="str"), *args)
    for key, item in list(info.items()):
        if isinstance(item, pd.Series):
            info[key] = spread(item, codes, values.index)
    return spread(parsed, codes, values.index), info


def parse_amounts(values: pd.Series, decimal: str | None = None) -> tuple[pd.Series, dict]:
    """Money text → float64 (see `_parse_amounts`), parsing each distinct value once."""
    return _by_distinct_value(_parse_amounts, values, decimal)


def parse_dates(values: pd.Series, order: str | None = None) -> tuple[pd.Series, dict]:
    """Date text → datetime64[ns] (see `_parse_dates`), parsing each distinct value once."""
    return _by_distinct_value(_parse_dates, values, order)


def _decide_decimal(votes_dot: int, votes_comma: int, shapes: dict[str, int], info: dict) -> str:
    """The column's decimal mark from its votes: values with both marks (the last one is the decimal)
    plus the number shapes (1,234,567 / 12.5 vote '.', 1.234.567 / 12,5 vote ','); a tie is '.',
    recorded as assumed. `info` gets the count of ambiguous values (1,234) and of conflicting votes."""
    votes_dot += shapes["dot_groups"] + shapes["dot_decimals"]
    votes_comma += shapes["comma_groups"] + shapes["comma_decimals"]
    info["ambiguous"] = shapes["ambiguous"]
    decimal = "," if votes_comma > votes_dot else "."
    if votes_comma == votes_dot:
        info["assumed"] = True
    info["conflicts"] = min(votes_dot, votes_comma)
    info["decimal"] = decimal
    return decimal


def _parse_amounts(values: pd.Series, decimal: str | None = None) -> tuple[pd.Series, dict]:
    """Money text → float64 (NaN where unreadable), deciding the decimal mark from the whole column.

    Handles `1,234.56`, `1.234,56`, `£1,234.56`, `€ 1 234,56` (any space), `(123.45)`,
    `-123.45` and `123.45-`. A single separator followed by exactly three digits is
    ambiguous (`1,234`), so the column's other values decide; info says how.
    """
    text = values.fillna("")
    if _ascii_in_arrow(text):
        return _parse_ascii_amounts(text, decimal)
    currency, core, negative = _amount_parts(text)
    info = {"decimal": decimal, "ambiguous": 0, "conflicts": 0}
    if decimal is None:
        both = [("." in c) and ("," in c) for c in core]
        last_dot = [c.rfind(".") > c.rfind(",") for c in core]
        votes_dot = sum(b and d for b, d in zip(both, last_dot))
        votes_comma = sum(b and not d for b, d in zip(both, last_dot))
        shapes = _number_shapes(core)
        decimal = _decide_decimal(votes_dot, votes_comma, shapes, info)
    thousands = "," if decimal == "." else "."
    plain = [c.replace(thousands, "") for c in core]
    if decimal == ",":
        plain = [c.replace(",", ".") for c in plain]
    valid = re.compile(_VALID_NUMBER).fullmatch
    plain = pd.Series([c if valid(c) else None for c in plain], index=text.index, dtype="str")
    numbers = pd.to_numeric(plain, errors="coerce").astype("float64")
    numbers = numbers.where(~negative, -numbers)
    too_large = numbers.notna() & ~(numbers.abs() <= MAX_AMOUNT)  # inf (1e400) included
    info["too_large"] = too_large
    numbers = numbers.mask(too_large)
    info["currency"] = currency
    return numbers, info


def _ascii_in_arrow(text: pd.Series) -> bool:
    """Whether a text column can be read with pyarrow's compiled regexes and mean the same: stored in
    pyarrow, and ASCII only (where `\\d` is [0-9] for Python's `re` and for pyarrow alike)."""
    if not len(text) or not columnwise_available():
        return False
    return bool(pc.all(pc.string_is_ascii(pa.array(text))).as_py())


def _full(array, pattern: str):
    """Python's `re.fullmatch(pattern, value) is not None` for each ASCII value, column-wise."""
    return pc.match_substring_regex(array, f"^(?:{pattern})$")


def _parse_ascii_amounts(text: pd.Series, decimal: str | None) -> tuple[pd.Series, dict]:
    """`_parse_amounts` for an ASCII column stored in pyarrow, step for step the same rules and results,
    with each per-value Python step done column-wise (regexes anchored as `fullmatch`)."""
    values = pa.array(text)
    simple = _full(values, r"-?[\d.,]+")
    negative = pc.starts_with(values, "-").to_numpy(zero_copy_only=False)
    core = pc.replace_substring_regex(values, "^-", "", max_replacements=1)
    currency = pd.Series(np.nan, index=text.index, dtype="str")
    if not pc.all(simple).as_py():
        others = ~simple.to_numpy(zero_copy_only=False)
        sub_currency, sub_core, sub_negative = _amount_parts_general(text[others])
        currency[others] = sub_currency
        core = pc.replace_with_mask(core, pa.array(others), pa.array(sub_core.tolist(), type=core.type))
        negative[others] = sub_negative.to_numpy(dtype=bool)
    info = {"decimal": decimal, "ambiguous": 0, "conflicts": 0}
    if decimal is None:

        def count(mask) -> int:
            return int(pc.sum(pc.cast(mask, pa.int64())).as_py() or 0)

        both = pc.and_(pc.match_substring(core, "."), pc.match_substring(core, ","))
        last_dot = pc.match_substring_regex(core, r"\.[^.,]*$")  # the last of '.' and ',' is a '.'
        votes_dot, votes_comma = count(pc.and_(both, last_dot)), count(pc.and_(both, pc.invert(last_dot)))
        shapes, taken = {}, pa.array(np.zeros(len(core), dtype=bool))
        for name, pattern in _SHAPES.items():  # the first alternative that matches the whole text
            found = pc.and_(_full(core, pattern), pc.invert(taken))
            shapes[name], taken = count(found), pc.or_(taken, found)
        decimal = _decide_decimal(votes_dot, votes_comma, shapes, info)
    thousands = "," if decimal == "." else "."
    plain = pc.replace_substring(core, thousands, "")
    if decimal == ",":
        plain = pc.replace_substring(plain, ",", ".")
    plain = pc.if_else(_full(plain, _VALID_NUMBER), plain, pa.scalar(None, type=plain.type))
    plain = pd.Series(pd.Series([], dtype="str").dtype.__from_arrow__(plain), index=text.index)
    numbers = pd.to_numeric(plain, errors="coerce").astype("float64")
    negative = pd.Series(negative, index=text.index)
    numbers = numbers.where(~negative, -numbers)
    too_large = numbers.notna() & ~(numbers.abs() <= MAX_AMOUNT)  # inf (1e400) included
    info["too_large"] = too_large
    numbers = numbers.mask(too_large)
    info["currency"] = currency
    return numbers, info


def exact_total(amounts) -> float:
    """The sum of amounts (missing ones skipped), exact to the cent.

    Amounts in whole cents (every ledger amount, including exports that write 501.00000000000006
    for 501) are added as integer cents, so no rounding builds up over millions of lines; the
    result is the float nearest the exact total. Other amounts are added with `math.fsum`
    (correctly rounded)."""
    values = np.asarray(amounts, dtype="float64")
    values = values[~np.isnan(values)]
    if not len(values):
        return 0.0
    cents = np.round(values * 100)
    if not (np.abs(cents) < 2**53).all() or not (np.abs(values * 100 - cents) <= 1e-6).all():
        return math.fsum(values)
    whole = cents.astype("int64")
    total = sum(int(chunk.sum()) for chunk in np.array_split(whole, max(1, len(whole) // 1000)))
    return total / 100


# Digits and separators only (an optional leading minus): no currency, spaces or brackets to remove.
_SIMPLE_AMOUNT = re.compile(r"-?[\d.,]+")


# The number shapes that vote for a decimal mark. They exclude each other (so one regex
# pass counts them all): several ',' groups; several '.' groups; one '.' not followed by
# exactly three digits; the same with ','; one separator followed by exactly three digits.
_SHAPES = {
    "dot_groups": r"\d{1,3}(?:,\d{3}){2,}",
    "comma_groups": r"\d{1,3}(?:\.\d{3}){2,}",
    "dot_decimals": r"\d*\.(?:\d{1,2}|\d{4,})",
    "comma_decimals": r"\d*,(?:\d{1,2}|\d{4,})",
    "ambiguous": r"\d{1,3}[.,]\d{3}",
}
_NUMBER_SHAPES = re.compile("|".join(f"(?P<{name}>{pattern})" for name, pattern in _SHAPES.items()))
_VALID_NUMBER = r"(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?"


def _number_shapes(texts: list[str]) -> dict[str, int]:
    """How many texts have each shape of `_NUMBER_SHAPES` (whole text)."""
    counts = dict.fromkeys(_NUMBER_SHAPES.groupindex, 0)
    match = _NUMBER_SHAPES.fullmatch
    for found in map(match, texts):
        if found is not None:
            counts[found.lastgroup] += 1
    return counts


def _amount_parts(text: pd.Series) -> tuple[pd.Series, list[str], pd.Series]:
    """Currency found, the bare number text and the minus sign of each money text.

    Why two paths: most ledger amounts are plain (`-1,234.56`) and need no regex
    rewriting, so only the others go through `_amount_parts_general` (same results).
    """
    items = text.tolist()
    simple = np.fromiter((_SIMPLE_AMOUNT.fullmatch(t) is not None for t in items), dtype=bool, count=len(items))
    core = [t[1:] if t.startswith("-") else t for t in items]
    negative = np.fromiter((t.startswith("-") for t in items), dtype=bool, count=len(items))
    currency = pd.Series(np.nan, index=text.index, dtype="str")
    if not simple.all():
        others = ~simple
        sub_currency, sub_core, sub_negative = _amount_parts_general(text[others])
        currency[others] = sub_currency
        for position, value in zip(np.flatnonzero(others), sub_core.tolist()):
            core[position] = value
        negative[others] = sub_negative.to_numpy(dtype=bool)
    return currency, core, pd.Series(negative, index=text.index)


def _amount_parts_general(text: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """`_amount_parts` for any text: currency symbols or codes, any spaces, (123.45), 123.45-, '−'."""
    currency = text.str.extract(f"(?i)({CURRENCY_PATTERN})", expand=False)
    core = text.str.replace(f"(?i){CURRENCY_PATTERN}", "", regex=True)
    core = core.str.replace(f"[{SPACES}]", "", regex=True).str.replace("−", "-", regex=False)
    negative = core.str.match(r"^\(.*\)$") | core.str.startswith("-") | core.str.match(r"^[^-].*-$")
    core = core.str.replace(r"^\((.*)\)$", r"\1", regex=True).str.strip("+-")
    return currency, core, negative


def _excel_serial(days: pd.Series) -> pd.Series:
    return pd.Timestamp("1899-12-30") + pd.to_timedelta(days.round(6), unit="D")


def _parse_dates(values: pd.Series, order: str | None = None) -> tuple[pd.Series, dict]:
    """Date text → datetime64[ns] (NaT where unreadable), deciding day/month order from the column.

    Reads ISO dates and datetimes, dd/mm/yyyy or mm/dd/yyyy (and d/m/yy, with / . or -),
    `02-Sep-2024`, and Excel serial numbers. If no value shows the order, day-first is
    assumed (European usage) and info says so.
    """
    text = values.fillna("")
    out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    info: dict = {"order": None, "assumed": False}
    # Rows whose date is a "no date" placeholder (9999-12-31…) or outside 1678–2261, filled by _from_parts.
    info["placeholder"] = pd.Series(False, index=text.index, dtype="bool")
    info["out_of_range"] = pd.Series(False, index=text.index, dtype="bool")

    iso = text.str.extract(
        r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?"
        r"(?:Z|[+-]\d{2}:?\d{2})?$"
    )
    has_iso = iso[0].notna()
    if has_iso.any():
        part = iso.loc[has_iso]
        out.loc[has_iso] = _from_parts(part[0], part[1], part[2], part[3], part[4], part[5], info=info)

    ymd = text.str.extract(r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})(?:[ T].*)?$")
    has_ymd = ymd[0].notna()
    if has_ymd.any():
        out.loc[has_ymd] = _from_parts(ymd.loc[has_ymd, 0], ymd.loc[has_ymd, 1], ymd.loc[has_ymd, 2], info=info)

    dmy = text.str.extract(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})(?:[ T].*)?$")
    has_dmy = dmy[0].notna()
    if has_dmy.any():
        first = dmy.loc[has_dmy, 0].astype("int64")
        second = dmy.loc[has_dmy, 1].astype("int64")
        day_first_evidence = int((first > 12).sum())
        month_first_evidence = int((second > 12).sum())
        if order is None:
            if month_first_evidence > day_first_evidence:
                order = "month-first"
            else:
                order = "day-first"
                info["assumed"] = day_first_evidence == 0
            info["conflicts"] = min(day_first_evidence, month_first_evidence)
        day, month = (first, second) if order == "day-first" else (second, first)
        out.loc[has_dmy] = _from_parts(_full_year(dmy.loc[has_dmy, 2]), month, day, info=info)
    info["order"] = order if has_dmy.any() else None

    named = text.str.extract(r"^(\d{1,2})[ \-/]([A-Za-z]{3,9})\.?[ \-/,]+(\d{4}|\d{2})(?:[ T].*)?$")
    has_named = named[0].notna() & named[1].str.lower().isin(MONTHS)
    if has_named.any():
        month = named.loc[has_named, 1].str.lower().map(MONTHS)
        out.loc[has_named] = _from_parts(_full_year(named.loc[has_named, 2]), month, named.loc[has_named, 0], info=info)

    serial = text.str.fullmatch(r"\d{5}(\.\d+)?")
    if serial.any():
        days = pd.to_numeric(text[serial], errors="coerce")
        days = days.where((days >= 20000) & (days <= 80000))
        out.loc[serial] = _excel_serial(days).astype("datetime64[ns]")
        info["excel_serial"] = int(days.notna().sum())
    return out.astype("datetime64[ns]"), info


def _full_year(text: pd.Series) -> pd.Series:
    """Years as numbers: a two-digit year is 19xx from 70, else 20xx; a four-digit one as written
    (0001 stays year 1, never 2001)."""
    year = pd.to_numeric(text, errors="coerce").astype("int64")
    two_digits = text.str.len() == 2
    return year.where(~two_digits, np.where(year < 70, 2000 + year, 1900 + year))


# The years a datetime64[ns] column holds whole (it ends on 1677-09-21 and 2262-04-11).
_SAFE_YEARS = (1678, 2261)


def _from_parts(year, month, day, hour=None, minute=None, second=None, *, info: dict | None = None) -> pd.Series:
    """Whole columns of date parts → datetimes (NaT where impossible, e.g. 31/02).

    A "no date" placeholder (any day of 9999, 0001-01-01, 0000-00-00, 1900-01-01, the Excel serial 0)
    and a date outside the years pandas holds are NaT too, marked in `info["placeholder"]` and
    `info["out_of_range"]`, never an OutOfBoundsDatetime."""
    parts = {"year": year, "month": month, "day": day, "hour": hour, "minute": minute, "second": second}
    frame = pd.DataFrame({k: pd.to_numeric(v, errors="coerce") for k, v in parts.items() if v is not None})
    frame = frame.fillna({k: 0 for k in ("hour", "minute", "second") if k in frame})
    y, m, d = frame["year"], frame["month"], frame["day"]
    placeholder = (
        (y == 9999)
        | (y == 0)
        | ((y == 1) & (m == 1) & (d == 1))
        | ((y == 1900) & (m == 1) & (d.isin([0, 1])))
        | ((y == 1899) & (m == 12) & (d.isin([30, 31])))
    )
    in_range = y.between(*_SAFE_YEARS)
    out = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    if in_range.any():
        out[in_range] = pd.to_datetime(frame[in_range], errors="coerce").astype("datetime64[ns]")
    if info is not None:
        info["placeholder"].loc[frame.index] = placeholder.to_numpy(dtype=bool)
        info["out_of_range"].loc[frame.index] = (~in_range & ~placeholder & y.notna()).to_numpy(dtype=bool)
    return out


def currency_code(symbol: str) -> str:
    """The ISO code of a currency symbol or code found in an amount: '£' → 'GBP', 'eur' → 'EUR'."""
    upper = symbol.upper()
    if upper in CURRENCY_CODES:
        return upper
    return CURRENCY_SYMBOLS.get(symbol, CURRENCY_SYMBOLS.get(symbol.lower(), upper))
