"""Suppliers in the register: where each one is (city, region, country, abroad), whether it is an SME,
and its two-digit CPV division. Used by the opportunity matrix, the lotting advisor and module 5's
invitation list."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from helpers.core.errors import LearnerError
from helpers.spend import GeographyLevels, place_payments

SME_SIZES = ("micro", "small", "medium")


def cpv_division_of(value: Any) -> str:
    """The two-digit CPV division of "37", 37, "37535200-9" or "03"."""
    text = str(value).strip()
    if text.endswith(".0"):
        text = text[:-2]
    digits = "".join(ch for ch in text.split("-")[0] if ch.isdigit())
    if not digits or len(digits) > 8 or not text[:1].isdigit():
        raise LearnerError(f"{value!r} is not a CPV code or division", fix="Write e.g. 37 or 37535200-9")
    return digits.zfill(2)[:2] if len(digits) <= 2 else digits[:2]


def place_suppliers(
    register: pd.DataFrame,
    geography: pd.DataFrame,
    home_country: str | None = None,
    city_levels: Sequence[str] = ("city", "region"),
) -> pd.DataFrame:
    """The register with `level`, `place`, `sme`, `local` (level in `city_levels`), `local_sme` and a
    two-digit `cpv_division`. Levels come from the postcode and the geography table
    (postcode_prefix, place, level); a supplier whose `country` differs from `home_country` is abroad.
    Without `home_country`, the register's most common country is taken as home (course design)."""
    missing = [c for c in ("postcode", "size_class", "cpv_division") if c not in register.columns]
    if missing:
        raise LearnerError(
            f"the supplier register lacks the column(s) {', '.join(missing)}",
            fix="Use the columns of suppliers.csv (see course/architecture.md)",
        )
    frame = register.copy()
    if home_country is None and "country" in frame and frame["country"].notna().any():
        home_country = str(frame["country"].astype("str").str.strip().str.upper().mode().iloc[0])
    levels_in_table = [lv for lv in dict.fromkeys(geography["level"].dropna().astype("str")) if lv != "abroad"]
    default = GeographyLevels()
    levels = default if set(levels_in_table) <= set(default.levels) else GeographyLevels(tuple(levels_in_table))
    placed = place_payments(
        frame.assign(postcode=frame["postcode"].astype("str")),
        geography,
        home_country=home_country,
        country_col="country" if "country" in frame else None,
        levels=levels,
    )
    placed["cpv_division"] = [
        cpv_division_of(v) if pd.notna(v) and str(v).strip() else pd.NA for v in register["cpv_division"]
    ]
    placed["cpv_division"] = placed["cpv_division"].astype("str")
    placed["sme"] = placed["size_class"].astype("str").str.strip().str.lower().isin(SME_SIZES)
    placed["local"] = placed["level"].isin(list(city_levels))
    placed["local_sme"] = placed["sme"] & placed["local"]
    if "turnover_eur" in placed:
        placed["turnover_eur"] = pd.to_numeric(placed["turnover_eur"], errors="coerce")
    return placed
