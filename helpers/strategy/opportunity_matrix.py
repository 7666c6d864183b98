"""The category opportunity matrix: per category, spend against the local supply (the share already
spent locally, from the spend analysis's indicators, and the local suppliers and SMEs in the register),
sorted into four quadrants with explicit thresholds.

A category whose suppliers' locations are all unknown (a ledger without postcodes or geography table)
has an unknown local share and local supply (NaN, shown as "unknown", never 0%); it goes to the
"location unknown" group, not to a quadrant that would need those figures.

The quadrants, their actions, the capacity measures and the default thresholds are course design
(`course/content/strategy_matrix_quadrants.yaml`, `strategy_matrix_capacity_measures.yaml`,
`strategy_matrix_thresholds.yaml`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from helpers.core.content import by_id, items
from helpers.core.errors import LearnerError
from helpers.core.fmt import money, pct
from helpers.spend import local_spend_share, total_spend
from helpers.strategy.suppliers import SME_SIZES, place_suppliers

UNCLASSIFIED_KEYS = ["unclassified", "unknown", "nan", "<NA>"]
LOCATION_UNKNOWN = "location unknown"
NEEDS_LOCATION = ("grow local spend", "keep", "thin local market")
CAPACITY_COLUMNS = [
    "category",
    "name",
    "cpv_division",
    "spend",
    "spend_share",
    "local_share",
    "spend_outside",
    "local_suppliers",
    "local_smes",
]


def quadrants() -> dict[str, str]:
    """Each quadrant (in order) and its suggested action. Module attribute `QUADRANTS`."""
    return {item["id"]: item["action"] for item in items("strategy_matrix_quadrants")}


def capacity_measures() -> dict[str, str]:
    """What can count as local capacity: column -> label. Module attribute `CAPACITY_MEASURES`."""
    return {item["id"]: item["label"] for item in items("strategy_matrix_capacity_measures")}


def _default(key: str) -> Any:
    return by_id("strategy_matrix_thresholds")[key]["value"]


_CONTENT = {
    "QUADRANTS": quadrants,
    "QUADRANT_ORDER": lambda: tuple(quadrants()),
    "CAPACITY_MEASURES": capacity_measures,
}


def __getattr__(name: str) -> Any:
    """`QUADRANTS`, `QUADRANT_ORDER` and `CAPACITY_MEASURES` are read from the course content when first
    used, not on import (so importing the stage never needs the content folder)."""
    if name in _CONTENT:
        return _CONTENT[name]()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(frozen=True)
class MatrixThresholds:
    """The quadrant lines (course design: move them to fit your city).

    A category is "low priority" below `min_spend_share` of all spend; otherwise "keep" when at least
    `local_share` of its spend is local; otherwise "grow local spend" when it has at least
    `min_local_suppliers` local suppliers (or local SMEs, per `capacity`), else "thin local market".
    Defaults: 2% of total spend, half the category's spend in the area, 20 local firms in the register
    for the CPV division, counting local suppliers.
    """

    min_spend_share: float = field(default_factory=lambda: _default("min_spend_share"))
    local_share: float = field(default_factory=lambda: _default("local_share"))
    min_local_suppliers: int = field(default_factory=lambda: _default("min_local_suppliers"))
    capacity: str = field(default_factory=lambda: _default("capacity"))  # "local_suppliers" or "local_smes"

    def check(self) -> MatrixThresholds:
        if not 0 <= self.min_spend_share < 1:
            raise LearnerError(
                f"the small-spend line {self.min_spend_share:g} must be a share between 0 and 1",
                fix="Write 0.02 for 2%",
            )
        if not 0 < self.local_share <= 1:
            raise LearnerError(
                f"the local-share line {self.local_share:g} must be a share above 0, at most 1", fix="Write 0.5 for 50%"
            )
        if int(self.min_local_suppliers) != self.min_local_suppliers or self.min_local_suppliers < 0:
            raise LearnerError(f"the number of local suppliers {self.min_local_suppliers!r} must be a whole number")
        if self.capacity not in capacity_measures():
            raise LearnerError(f"capacity must be one of {', '.join(capacity_measures())}, not {self.capacity!r}")
        return self


def matrix_thresholds_with(**changes: Any) -> MatrixThresholds:
    """The default thresholds with some changed (for notebooks: `matrix_thresholds_with(local_share=0.4)`)."""
    return replace(MatrixThresholds(), **changes).check()


def _located(group: pd.DataFrame) -> pd.Series:
    """True where a payment's supplier location is known."""
    return group["level"].notna() & (group["level"].astype("str") != "unknown")


def _paid_capacity(group: pd.DataFrame, levels: tuple[str, ...]) -> tuple[float, float]:
    """Without a register: the distinct local supplier groups already paid in the category, and the SMEs;
    unknown (NaN) when no payment in the category has a known location."""
    if not _located(group).any():
        return np.nan, np.nan
    local = group[group["level"].isin(levels)]
    group_col = "supplier_group" if "supplier_group" in local else "supplier"
    local_n = int(local[group_col].nunique()) if group_col in local else 0
    sizes = local["size_class"].astype("str").str.lower() if "size_class" in local else pd.Series(dtype="str")
    sme_n = int(local.loc[sizes.isin(set(SME_SIZES)), group_col].nunique()) if group_col in local else 0
    return local_n, sme_n


def _category_row(
    key: str, group: pd.DataFrame, by: str, total: float, levels: tuple[str, ...], per_division: pd.DataFrame | None
) -> dict:
    spend = total_spend(group)
    division = key if by == "cpv_division" else str(group.groupby("_div")["amount"].sum().idxmax())
    if by == "category" and division in UNCLASSIFIED_KEYS:
        division = pd.NA
    name = key
    if "sector" in group and group["sector"].notna().any():
        name = str(group["sector"].mode().iloc[0]) if by == "cpv_division" else key
    if per_division is not None and not pd.isna(division):
        counts = (
            per_division.loc[division] if division in per_division.index else {"local_suppliers": 0, "local_smes": 0}
        )
        local_n, sme_n = int(counts["local_suppliers"]), int(counts["local_smes"])
    elif per_division is not None:  # no CPV division for the category: the register cannot be counted
        local_n, sme_n = np.nan, np.nan
    else:
        local_n, sme_n = _paid_capacity(group, levels)
    share = local_spend_share(group, levels)
    share = np.nan if share is None else share  # unknown (no location in the category), never 0
    return {
        "category": key,
        "name": name,
        "cpv_division": division,
        "spend": round(spend, 2),
        "spend_share": spend / total if total else np.nan,
        "local_share": share,
        "spend_outside": round(spend * (1 - share), 2) if not np.isnan(share) else np.nan,
        "local_suppliers": local_n,
        "local_smes": sme_n,
    }


def category_capacity(
    payments: pd.DataFrame,
    register: pd.DataFrame | None = None,
    geography: pd.DataFrame | None = None,
    by: str = "cpv_division",
    local_levels: Sequence[str] = ("city", "region"),
    home_country: str | None = None,
) -> pd.DataFrame:
    """Per category: spend, its share of all spend, the share spent locally, and the local supply.

    `payments` is an enriched ledger (`helpers.spend.analyse_city(...).payments` or a saved
    analysis from module 3). `by` is "cpv_division" (the sector) or "category" (the ledger's own
    expense category or type; its suppliers are counted in the CPV division holding most of its
    spend, when there is one). A category with no known supplier location has local_share,
    spend_outside and (without a register) local_suppliers / local_smes unknown (NaN).
    The local share is the spend analysis's `local_spend_share` on the category's payments at
    `local_levels`. With a register and geography, `local_suppliers` / `local_smes` count the register's
    suppliers placed at those levels in the division; without them (course design) they count the
    distinct local supplier groups already paid in the category (`attrs["capacity_source"]` says which).

    Columns: category, name, cpv_division, spend, spend_share, local_share, spend_outside,
    local_suppliers, local_smes; largest spend first.
    """
    if by not in ("cpv_division", "category"):
        raise LearnerError(f"group by 'cpv_division' or 'category', not {by!r}")
    need = [c for c in ("amount", "level", by) if c not in payments.columns]
    if need:
        raise LearnerError(
            f"the payments lack the column(s) {', '.join(need)}",
            fix="Use an enriched spend analysis (module 3: analyse_city or a saved analysis)",
        )
    levels = tuple(local_levels)
    frame = payments.assign(
        _key=payments[by].astype("str").fillna("unclassified").replace({"": "unclassified"}),
        _div=payments["cpv_division"].astype("str").fillna("unclassified")
        if "cpv_division" in payments
        else "unclassified",
    )
    total = total_spend(frame)
    use_register = register is not None and geography is not None
    per_division = None
    if use_register:
        placed = place_suppliers(register, geography, home_country=home_country, city_levels=levels)
        per_division = placed.groupby("cpv_division").agg(
            local_suppliers=("local", "sum"), local_smes=("local_sme", "sum")
        )
    rows = [
        _category_row(key, group, by, total, levels, per_division) for key, group in frame.groupby("_key", sort=False)
    ]
    out = (
        pd.DataFrame(rows, columns=CAPACITY_COLUMNS)
        .sort_values(["spend", "category"], ascending=[False, True], kind="stable")
        .reset_index(drop=True)
    )
    out.attrs["capacity_source"] = "register" if use_register else "suppliers paid"
    out.attrs["local_levels"] = levels
    out.attrs["by"] = by
    return out


def classify_categories(capacity: pd.DataFrame, thresholds: MatrixThresholds | None = None) -> pd.DataFrame:
    """Add `quadrant` and `action` to a `category_capacity` table, using the thresholds' rules in order
    (small spend, then — when the local share or supply is unknown — "location unknown", then high
    local share, then local capacity); the table keeps its order.
    Without `thresholds`, the defaults (`MatrixThresholds()`)."""
    t = (MatrixThresholds() if thresholds is None else thresholds).check()
    out = capacity.copy()
    small = out["spend_share"] < t.min_spend_share
    unknown = out["local_share"].isna() | out[t.capacity].isna()
    high = out["local_share"] >= t.local_share
    able = out[t.capacity] >= t.min_local_suppliers
    unclassified = out["category"].isin(UNCLASSIFIED_KEYS)
    quadrant = np.select(
        [unclassified, small, unknown, high, able],
        ["unclassified", "low priority", LOCATION_UNKNOWN, "keep", "grow local spend"],
        "thin local market",
    )
    out["quadrant"] = pd.Series(quadrant, index=out.index).astype("str")
    out["action"] = out["quadrant"].map(quadrants())
    out.attrs.update(capacity.attrs, thresholds=t)
    return out


def opportunity_matrix(
    payments: pd.DataFrame,
    register: pd.DataFrame | None = None,
    geography: pd.DataFrame | None = None,
    thresholds: MatrixThresholds | None = None,
    by: str = "cpv_division",
    local_levels: Sequence[str] = ("city", "region"),
    home_country: str | None = None,
) -> pd.DataFrame:
    """The category opportunity matrix: `category_capacity` then `classify_categories` (see both)."""
    return classify_categories(
        category_capacity(payments, register, geography, by=by, local_levels=local_levels, home_country=home_country),
        thresholds,
    )


def quadrant_counts(matrix: pd.DataFrame) -> pd.DataFrame:
    """How many categories, and how much spend, fall in each quadrant (every quadrant listed)."""
    grouped = matrix.groupby("quadrant")["spend"].agg(["size", "sum"])
    shown = [q for q in quadrants() if q not in ("unclassified", LOCATION_UNKNOWN) or q in grouped.index]
    grouped = grouped.reindex(shown, fill_value=0)
    total = float(matrix["spend"].sum())
    return pd.DataFrame(
        {
            "quadrant": grouped.index,
            "categories": grouped["size"].astype("int64").to_numpy(),
            "spend": grouped["sum"].to_numpy(dtype="float64"),
            "spend_share": (grouped["sum"] / total).to_numpy(dtype="float64") if total else 0.0,
        }
    )


def counts_to_show(matrix: pd.DataFrame) -> pd.DataFrame:
    """`quadrant_counts`, without grow / keep / thin when no category could be placed in them because
    every one that needed a local share has an unknown location: "grow 0" would read as a finding."""
    counts = quadrant_counts(matrix)
    placed = counts[counts["quadrant"].isin(NEEDS_LOCATION)]["categories"].sum()
    if placed == 0 and (counts["quadrant"] == LOCATION_UNKNOWN).any():
        counts = counts[~counts["quadrant"].isin(NEEDS_LOCATION)].reset_index(drop=True)
    return counts


def grow_candidates(matrix: pd.DataFrame, n: int = 5) -> pd.DataFrame:
    """The "grow local spend" categories with the most spend going outside the area, largest first."""
    grow = matrix[matrix["quadrant"] == "grow local spend"]
    return grow.sort_values(["spend_outside", "category"], ascending=[False, True]).head(n).reset_index(drop=True)


def matrix_in_brief(matrix: pd.DataFrame, label: str, n: int = 3) -> str:
    """The matrix in two lines: categories per quadrant, and the top "grow local spend" categories.

    When categories have no known supplier location, the brief says how many and how much spend, and
    does not count them as "0 to grow": grow, keep and thin need the local share."""
    counts = counts_to_show(matrix).set_index("quadrant")
    unknown = LOCATION_UNKNOWN in counts.index
    placed = bool(counts.index.isin(NEEDS_LOCATION).any())
    parts = [
        f"{q} {int(counts.loc[q, 'categories'])}"
        + (f" ({pct(counts.loc[q, 'spend_share'], decimals=0)} of spend)" if q == LOCATION_UNKNOWN else "")
        for q in counts.index
    ]
    top = grow_candidates(matrix, n)
    listed = (
        "; ".join(
            f"{r.name} ({pct(r.local_share, decimals=0)} local, {money(r.spend_outside / 1e6, decimals=1)}m outside)"
            for r in top.itertuples(index=False)
        )
        or "none"
    )
    text = f"{label}: {', '.join(parts)}."
    if unknown and not placed:
        return (
            text + "\nNo category can be placed as grow, keep or thin: their suppliers' locations are unknown "
            "(add a geography table and postcodes in module 3)."
        )
    return text + f"\nTop 'grow local spend': {listed}"
