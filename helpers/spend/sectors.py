"""Which sector each payment belongs to: the supplier's CPV division from the register, or the
ledger's own expense category mapped to a CPV division."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from helpers.core.errors import LearnerError
from helpers.spend.columns import UNKNOWN, per_unique, spread
from helpers.spend.shares import threshold

UNCLASSIFIED = "unclassified"


def cpv_division(values: pd.Series) -> pd.Series:
    """Two-digit CPV division from "45", "45000000-7", 3 (read as a number) or "03"."""
    return per_unique(values, _cpv_division_each)


def _cpv_division_each(values: pd.Series) -> pd.Series:
    text = values.astype("str").str.strip().str.replace(r"\.0$", "", regex=True)
    digits = text.str.extract(r"^(\d{1,8})", expand=False)
    div = digits.where(digits.str.len() != 1, "0" + digits).str[:2]
    div = div.where(~((digits.str.len() > 2) & (digits.str.len() < 8)), pd.NA)  # not a division nor a code
    return div.astype("str")


def _first_col(frame: pd.DataFrame, options: tuple[str, ...], what: str) -> str:
    for name in options:
        if name in frame.columns:
            return name
    raise LearnerError(f"the {what} has none of the columns {', '.join(options)}")


def _cpv_name_map(cpv_names: pd.DataFrame | Mapping[str, str] | None) -> dict[str, str]:
    if cpv_names is None:
        return {}
    if isinstance(cpv_names, Mapping):
        names = pd.Series(dict(cpv_names))
        return dict(zip(cpv_division(pd.Series(names.index.astype("str"))), names.astype("str")))
    div = _first_col(cpv_names, ("division", "cpv_division", "code"), "CPV names table")
    name = _first_col(cpv_names, ("name", "label", "EN", "description"), "CPV names table")
    return dict(zip(cpv_division(cpv_names[div]), cpv_names[name].astype("str")))


def _category_divisions(payments: pd.DataFrame, category_map: pd.DataFrame | None) -> pd.Series:
    """The CPV division of each payment's expense category, through the learner's category map."""
    if category_map is None or "category" not in payments:
        return pd.Series(pd.NA, index=payments.index, dtype="str")
    cat_col = _first_col(category_map, ("category", "expense_category"), "category map")
    div_col = _first_col(category_map, ("cpv_division", "division"), "category map")
    lookup = dict(
        zip(category_map[cat_col].astype("str").str.strip().str.casefold(), cpv_division(category_map[div_col]))
    )
    return per_unique(
        payments["category"], lambda v: v.astype("str").str.strip().str.casefold().map(lookup).astype("str")
    )


def assign_sector(
    payments: pd.DataFrame,
    category_map: pd.DataFrame | None = None,
    cpv_names: pd.DataFrame | Mapping[str, str] | None = None,
    prefer: str = "register",
) -> pd.DataFrame:
    """Add `sector` (e.g. "45 Construction work") and `sector_source` (register | category | none).

    The sector comes from the register's CPV division (or NACE section) of the
    supplier, which is what Preston's SIC-based analysis measured, or from the
    ledger's own expense category through `category_map` (columns category and
    cpv_division, or expense_category and division as in datasets/shared/category_cpv.csv).
    `prefer="category"` puts the ledger's category first (what was bought rather
    than what the supplier mainly does). A register NACE section ("NACE F") is used
    only when neither gives a CPV division, so one breakdown mixes as few
    classifications as possible. Payments with none stay "unclassified".
    """
    if prefer not in ("register", "category"):
        raise LearnerError("prefer must be 'register' or 'category'")
    out = payments.copy()
    names = _cpv_name_map(cpv_names)
    blank = pd.Series(pd.NA, index=out.index, dtype="str")
    reg_div = cpv_division(out["cpv_division"]) if "cpv_division" in out else blank
    reg_nace = out["nace_section"].astype("str") if "nace_section" in out else blank
    cat_div = _category_divisions(out, category_map)
    # The sector depends only on these three values: decide it once per distinct combination.
    parts = pd.DataFrame({"register": reg_div, "category": cat_div, "nace": reg_nace}, index=out.index)
    combo = parts.groupby(list(parts.columns), dropna=False, sort=False).ngroup().to_numpy()
    first_rows = pd.Series(np.arange(len(parts))).groupby(combo).first().to_numpy()
    distinct = parts.iloc[first_rows].reset_index(drop=True)
    sector, source = _sectors(distinct, names, prefer)
    out["sector"] = spread(sector, combo, out.index)
    out["sector_source"] = spread(source, combo, out.index)
    return out


def _sectors(parts: pd.DataFrame, names: Mapping[str, str], prefer: str) -> tuple[pd.Series, pd.Series]:
    """The sector and its source for each row of (register division, category division, NACE section)."""

    def label(div: pd.Series) -> pd.Series:
        def each(d: pd.Series) -> pd.Series:
            d = d.astype("str")
            return (d + " " + d.map(names).astype("str")).fillna("CPV " + d).astype("str")

        return per_unique(div, each)

    reg_label, cat_label = label(parts["register"]), label(parts["category"])
    nace_label = per_unique(parts["nace"], lambda v: ("NACE " + v.astype("str")).astype("str"))
    order = [(reg_label, "register"), (cat_label, "category")]
    if prefer == "category":
        order.reverse()
    order.append((nace_label, "register"))  # NACE only when no CPV division is known
    sector = pd.Series(pd.NA, index=parts.index, dtype="str")
    source = pd.Series("none", index=parts.index, dtype="str")
    for values, name in order:
        fill = sector.isna() & values.notna()
        sector = sector.where(~fill, values)
        source = source.where(~fill, name)
    return sector.fillna(UNCLASSIFIED).astype("str"), source.astype("str")


def sector_coverage(payments: pd.DataFrame) -> float | None:
    """Share of the spend (positive lines) whose CPV sector is known; None without spend."""
    if "sector" not in payments or "amount" not in payments:
        return 0.0
    positive = payments["amount"].clip(lower=0)
    total = float(positive.sum())
    if not total:
        return None
    known = payments["sector"].notna() & (payments["sector"].astype("str") != UNCLASSIFIED)
    return float(positive[known].sum()) / total


def grouping_column(payments: pd.DataFrame) -> str:
    """ "sector" when the CPV sector is known for enough of the spend (`min_sector_coverage`, course
    design), else "category" (the ledger's own expense categories) when the ledger has them."""
    coverage = sector_coverage(payments)
    if coverage is not None and coverage >= threshold("min_sector_coverage"):
        return "sector"
    if "category" in payments:
        categories = payments["category"].astype("str")
        if (payments["category"].notna() & (categories != UNKNOWN) & (categories != "")).any():
            return "category"
    return "sector"
