"""Where the opportunity matrix gets its spend: a course city's ledger for a year (with the city's
supplier register), or an analysis the learner saved in module 3 (without a register); the course
city's matrix and the `grow-count` self-check."""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from helpers.core.errors import LearnerError
from helpers.core.fmt import pct
from helpers.data import LEDGER_YEARS, cities, city_info, load_table
from helpers.learning.registry import self_check
from helpers.spend import (
    analyse_city,
    analysis_for,
    analysis_name_for,
    grouping_column,
    list_analyses,
    load_analysis,
    load_analysis_meta,
    save_notebook_analysis,
    sector_coverage,
)
from helpers.strategy.opportunity_matrix import (
    MatrixThresholds,
    category_capacity,
    classify_categories,
    matrix_in_brief,
)


def course_source(city: str, year: int) -> str:
    return f"course:{city}:{int(year)}"


def matrix_sources(city: str = "portavera", year: int = 2025) -> list[tuple[str, str]]:
    """(label, key) of every source: the course cities' ledgers, then the analyses saved in module 3."""
    first = course_source(city, year)
    options = [
        (f"{city_info(c)['name']} {y} (course data)", course_source(c, y)) for c in cities() for y in LEDGER_YEARS
    ]
    options.sort(key=lambda item: item[1] != first)
    return options + [(f"{name} (my saved analysis)", f"saved:{name}") for name in list_analyses()]


def _saved_levels(name: str) -> tuple[str, ...]:
    """The 'local' levels of a saved analysis: its levels up to the regional one (city + region)."""
    try:
        meta = load_analysis_meta(name)
        levels = list(meta["levels"])
        return tuple(levels[: levels.index(meta["regional"]) + 1])
    except (LearnerError, OSError, ValueError, KeyError):
        return ("city", "region")


@lru_cache(maxsize=8)
def _course_capacity(city: str, year: int, capacity_levels: tuple[str, ...]) -> pd.DataFrame:
    return category_capacity(
        analyse_city(city, year).payments,
        load_table("suppliers", city=city),
        load_table("geography", city=city),
        local_levels=capacity_levels,
        home_country=city_info(city)["home_country_code"],
    )


def source_capacity(key: str, local: str = "city + region") -> tuple[pd.DataFrame, str]:
    """The `category_capacity` table of a source key and its label. Course data count the register's
    suppliers; a saved analysis counts the local suppliers it paid (no register is saved with it)."""
    kind, _, rest = str(key).partition(":")
    if kind == "course":
        city, _, year = rest.partition(":")
        levels = ("city",) if local == "city" else ("city", "region")
        return _course_capacity(city, int(year), levels).copy(), f"{city_info(city)['name']} {year}"
    if kind == "saved":
        levels = _saved_levels(rest)
        levels = levels[:1] if local == "city" else levels
        return saved_capacity(rest, levels), rest
    raise LearnerError(f"unknown source {key!r}", fix="Choose a source from the list")


def saved_capacity(name: str, levels: tuple[str, ...] = ("city", "region")) -> pd.DataFrame:
    """The `category_capacity` of an analysis saved in module 3: by CPV division when the sector is known
    for enough of its spend, else by the ledger's own category (e.g. Devon's "Expense Type"), saying so
    in `attrs["grouping_note"]`."""
    payments = load_analysis(name)
    by = "category" if grouping_column(payments) == "category" else "cpv_division"
    neither = by == "cpv_division" and "cpv_division" not in payments
    if neither:  # no CPV division and no category: all spend is one "unclassified" row, and the note says why
        payments = payments.assign(cpv_division=pd.NA)
    capacity = category_capacity(payments, local_levels=levels, by=by)
    if neither:
        capacity.attrs["grouping_note"] = (
            "This saved analysis has neither CPV divisions nor the ledger's own expense categories, so all its "
            "spend is one 'unclassified' row. In module 3, map the ledger's expense category (or type) column, "
            "then save the analysis again."
        )
    elif by == "category":
        column = _saved_meta(name).get("mapping", {}).get("category", "expense category")
        capacity.attrs["grouping_note"] = (
            f"Categories are the ledger's own '{column}' values: a CPV sector is known for only "
            f"{pct(sector_coverage(payments))} of the spend, too little to group by sector."
        )
    return capacity


def _saved_meta(name: str) -> dict:
    try:
        return load_analysis_meta(name)
    except (LearnerError, OSError, ValueError):
        return {}


def saved_matrix(name: str, thresholds: MatrixThresholds | None = None) -> pd.DataFrame:
    """The opportunity matrix of an analysis saved in module 3 (its local levels, the default thresholds)."""
    return classify_categories(saved_capacity(name, _saved_levels(name)), thresholds or MatrixThresholds())


def course_matrix(city: str = "portavera", year: int = 2025) -> pd.DataFrame:
    """The course city's opportunity matrix with the default thresholds."""
    capacity, _ = source_capacity(course_source(city, year))
    return classify_categories(capacity, MatrixThresholds())


@self_check("grow-count")
def grow_count(city: str = "portavera", year: int = 2025) -> int:
    """How many categories are "grow local spend" with the default thresholds."""
    return int((course_matrix(city, year)["quadrant"] == "grow local spend").sum())


def analysis_for_module4(ledger=None) -> tuple[str | None, str]:
    """The saved analysis a notebook given `ledger=` works on, and a sentence saying which.

    The analysis module 3 saved for that ledger (`analysis_name_for`); if there is none, the ledger is
    analysed now, as module 3 would (the mapping saved for its shape, else the guess), and saved. Without
    `ledger`: (None, "") and the notebook uses the course city."""
    if not ledger:
        return None, ""
    name = analysis_name_for(ledger)
    if name in list_analyses():
        meta = _saved_meta(name)
        try:
            saved_matrix(name)  # it opens: the notebook's later cells can use it
        except LearnerError as exc:
            return None, f"The analysis saved as '{name}' cannot be opened ({exc}) The course data are used below."
        return name, (
            f"Using '{name}', the analysis of {meta.get('file', name)} saved in module 3 "
            f"({meta.get('lines', 0):,} payment lines; {meta.get('period', 'period not recorded')})."
        )
    try:
        text = save_notebook_analysis(analysis_for(ledger=ledger), ledger)
    except LearnerError as exc:  # the notebook goes on with the course data, and says why
        return None, f"The ledger could not be analysed ({exc}) The course data are used below instead."
    return name, f"No analysis of this ledger was saved in module 3, so it was analysed now. {text}"


def saved_analyses_in_brief() -> str:
    """Each analysis the learner saved, with its matrix in brief (one that cannot be opened says why)."""
    names = list_analyses()
    if not names:
        return "No saved analysis yet: save one in module 3 (Save this analysis for module 4)."
    parts = []
    for name in names:
        try:
            parts.append(matrix_in_brief(saved_matrix(name), name))
        except (LearnerError, OSError, ValueError, KeyError) as exc:
            parts.append(f"{name}: could not be opened ({exc}).")
    return "\n\n".join(parts)
