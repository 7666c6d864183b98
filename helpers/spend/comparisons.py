"""The spend indicators compared: year on year, and with the published benchmarks.

A comparison is only as good as both sides: a share our data cannot give is "unknown" on our side
(never 0%, which would read as "far below the benchmark"), with the reason beside it
(`helpers.spend.shares`).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from helpers.core.content import items
from helpers.core.errors import LearnerError
from helpers.core.fmt import UNKNOWN, is_missing, number, pct
from helpers.spend.geography import DEFAULT_LEVELS, GeographyLevels
from helpers.spend.indicators import headline_indicators
from helpers.spend.shares import headline_shares
from helpers.ui.tables import mark_columns

_UNITS = {
    "total": "money",
    "credit_notes": "money",
    "hhi": "points (0-10,000)",
    "suppliers": "count",
    "lines": "count",
    "top_n": "count",
}


def year_on_year(
    p_by_year: Mapping[int, pd.DataFrame], levels: GeographyLevels = DEFAULT_LEVELS, as_text: bool = False
) -> pd.DataFrame:
    """Headline indicators per year and the change between consecutive years.

    One row per indicator; a column per year, then `change <a>-><b>` columns:
    percentage points for shares (0.24 -> 0.26 is +2.0), plain differences for
    money, counts and HHI points (see the `unit` column). A share the data cannot
    give is missing (NaN), and so is its change; `as_text=True` writes every figure
    for reading (shares as percentages, "unknown" where missing).
    """
    if not p_by_year:
        raise LearnerError("no years to compare", fix="Pass a dict {year: payments}")
    years = sorted(p_by_year)
    per_year = {y: headline_indicators(p_by_year[y], levels) for y in years}
    names = list(per_year[years[0]])
    table = pd.DataFrame({"indicator": names, "unit": [_UNITS.get(k, "share") for k in names]})
    for y in years:
        table[str(y)] = pd.array([per_year[y][k] for k in names], dtype="float64")
    for a, b in zip(years, years[1:]):
        diff = table[str(b)] - table[str(a)]
        table[f"change {a}->{b}"] = diff.where(table["unit"] != "share", diff * 100.0)
    if as_text:
        return _as_text(table)
    return mark_columns(table, **{f"change {a}->{b}": "change" for a, b in zip(years, years[1:])})


def _as_text(table: pd.DataFrame) -> pd.DataFrame:
    """A year-on-year table for reading: shares as percentages, changes in points, "unknown" where missing."""
    out = table.copy()
    share = out["unit"] == "share"
    for column in out.columns[2:]:
        change = str(column).startswith("change")
        out[column] = [
            UNKNOWN if is_missing(v) else (f"{v:+.1f} pp" if change else pct(v)) if is_share else number(v)
            for v, is_share in zip(table[column], share)
        ]
    return out


def benchmarks() -> tuple[dict, ...]:
    """The published benchmarks (course/content/spend_benchmarks.yaml): indicator, value, label, source,
    url, note, and the status of each figure."""
    return tuple(items("spend_benchmarks"))


def compare_with_benchmarks(indicators: Mapping[str, float | None]) -> pd.DataFrame:
    """Our figures beside the published benchmarks that measure something comparable.

    Columns indicator, ours (NaN where our data cannot give it), benchmark, source, note (plus label,
    url, ours_text — "unknown" or the share — and why_unknown). Every note says how the benchmark's
    definition differs: read the gap, not just the sign.
    """
    shares = headline_shares(indicators)
    rows = []
    for b in benchmarks():
        key = b["indicator"]
        if key not in indicators:
            continue
        share = shares.get(key)
        value = indicators[key]
        rows.append(
            {
                "indicator": key,
                "ours": float("nan") if value is None else float(value),
                "benchmark": b["value"],
                "source": b["source"],
                "note": b["note"],
                "label": b["label"],
                "url": b["url"],
                "ours_text": share.text() if share else pct(value),
                "why_unknown": share.explain() if share else "",
            }
        )
    columns = ["indicator", "ours", "benchmark", "source", "note", "label", "url", "ours_text", "why_unknown"]
    return mark_columns(pd.DataFrame(rows, columns=columns), ours="share", benchmark="share")


def benchmark_table(indicators: Mapping[str, float | None]) -> pd.DataFrame:
    """`compare_with_benchmarks` in words, for a dashboard, a notebook or an export: our share ("unknown"
    where the data cannot give it, with why), the benchmark, what it measures, its source and the caveat."""
    table = compare_with_benchmarks(indicators)
    out = pd.DataFrame(
        {
            "indicator": table["indicator"],
            "ours": table["ours_text"],
            "benchmark": table["benchmark"].map(pct),
            "what the benchmark measures": table["label"],
            "source": table["source"] + " (" + table["url"] + ")",
            "read with care": table["note"],
        }
    )
    if (table["why_unknown"] != "").any():
        out["about our figure"] = table["why_unknown"]
    return out
