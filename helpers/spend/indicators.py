"""The spend-analysis indicators of brief §2.2, as pure functions of an enriched payments table.

Every share is a share of TOTAL NET SPEND (credit notes included, so they reduce
their supplier's spend). Payments whose location, size or sector is unknown are
never dropped: they keep an "unknown" / "unclassified" row and stay in the
denominator, so the shares of a breakdown always sum to 1 (course design: a
share that quietly ignores the unknown looks better than the evidence allows).

Columns used (added by helpers.spend.enrich): `amount`, `supplier_group`,
`level`, `size_class`, `social_economy`, `sector`; `is_credit_note`, `date`,
`service_area`, `category` where available.

`SpendCube` pre-aggregates a large table once so a dashboard can recompute the
headline indicators for a filter in milliseconds.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from helpers.core.errors import LearnerError
from helpers.spend.columns import UNKNOWN
from helpers.spend.geography import DEFAULT_LEVELS, GeographyLevels
from helpers.spend.register import SIZE_CLASSES
from helpers.spend.sectors import UNCLASSIFIED
from helpers.spend.shares import share_value
from helpers.ui.tables import mark_columns

SME_CLASSES = ("micro", "small", "medium")
_FIX = "Enrich the payments first (helpers.spend.enrich: group_payments, join_register, place_payments, assign_sector)"


def _need(p: pd.DataFrame, *columns: str) -> None:
    missing = [c for c in columns if c not in p.columns]
    if missing:
        raise LearnerError(f"the payments table has no column {', '.join(repr(c) for c in missing)}", fix=_FIX)


def _ratio(part: float, whole: float, known: bool = True) -> float | None:
    """part / whole; None (unknown, never 0) when there is no spend or nothing has the fact (`shares`)."""
    return share_value(part, whole, known)


def _known(values: pd.Series, unknown: str = UNKNOWN) -> pd.Series:
    """True where a payment's fact (level, size class, social-economy flag) is known."""
    return values.notna() & (values.astype("str") != unknown)


def total_spend(p: pd.DataFrame) -> float:
    """Net spend: payments minus credit notes."""
    _need(p, "amount")
    return float(p["amount"].sum())


def _labels(p: pd.DataFrame, column: str, missing_label: str) -> pd.Series:
    values = p[column]
    if values.dtype == "boolean" or values.dtype == bool:
        values = values.astype("boolean").map({True: "yes", False: "no"})
    return values.astype("str").fillna(missing_label)


def share_by(
    p: pd.DataFrame, column: str, order: Sequence[str] | None = None, missing_label: str | None = None
) -> pd.DataFrame:
    """Spend and share of total spend per value of `column`, largest first or in `order`.

    Missing values become "unknown" ("unclassified" for sector) and keep their
    row; with `order`, every listed value gets a row (0 when absent) and values
    not listed follow. Shares sum to 1 whenever there is any spend.
    """
    _need(p, column, "amount")
    label = missing_label or (UNCLASSIFIED if column == "sector" else UNKNOWN)
    sums = p.groupby(_labels(p, column, label), sort=False)["amount"].sum()
    if order is not None:
        listed = [o for o in order]
        extra = [v for v in sums.sort_values(ascending=False).index if v not in listed]
        sums = sums.reindex(listed + extra, fill_value=0.0)
    else:
        sums = sums.sort_values(ascending=False, kind="stable")
        if label in sums.index:  # unknown last: it is not a "winner"
            sums = pd.concat([sums.drop(label), sums.loc[[label]]])
    total = float(sums.sum())
    out = pd.DataFrame({column: sums.index.astype("str"), "amount": sums.to_numpy(dtype="float64")})
    out["share"] = out["amount"] / total if total else np.nan  # no spend: unknown, not 0
    return out


def _levels(levels: GeographyLevels | Iterable[str] | None) -> tuple[str, ...]:
    if levels is None:
        return DEFAULT_LEVELS.city_levels
    if isinstance(levels, GeographyLevels):
        return levels.city_levels
    if isinstance(levels, str):
        return (levels,)
    return tuple(levels)


def local_spend_share(
    p: pd.DataFrame, levels: GeographyLevels | Iterable[str] = ("city",), unknown: str = UNKNOWN
) -> float | None:
    """Share of spend with suppliers placed at any of `levels` (e.g. ("city", "region")).

    None (unknown) when no payment has a known location: without locations the share cannot be said.
    """
    _need(p, "level", "amount")
    chosen = _levels(levels)
    known = bool(_known(p["level"], unknown).any())
    return _ratio(p.loc[p["level"].isin(chosen), "amount"].sum(), p["amount"].sum(), known)


def geography_shares(p: pd.DataFrame, levels: GeographyLevels = DEFAULT_LEVELS) -> pd.DataFrame:
    """Spend and share per geographic level, nearest first, abroad and unknown last.

    When no payment's location is known, only the "unknown" row is returned: rows of 0% for the
    city and the region would say "nothing is spent locally" when the data cannot tell."""
    table = share_by(p, "level", order=levels.levels + (levels.abroad,), missing_label=levels.unknown)
    if not _known(p["level"], levels.unknown).any():
        table = table[table["level"] == levels.unknown].reset_index(drop=True)
    return table


def size_class_shares(p: pd.DataFrame) -> pd.DataFrame:
    """Spend and share per size class (micro, small, medium, large, unknown) plus an "SME total" row.

    The five class rows sum to 1; the last row, "SME total", is micro + small +
    medium (EU Recommendation 2003/361 classes; unknown is not counted as SME). When no
    supplier's size is known, only "unknown" is listed and the SME total is unknown (NaN), not 0.
    """
    table = share_by(p, "size_class", order=SIZE_CLASSES + (UNKNOWN,))
    if not _known(p["size_class"]).any():
        table = table[table["size_class"] == UNKNOWN]
        total_row = pd.DataFrame({"size_class": ["SME total"], "amount": [np.nan], "share": [np.nan]})
        return pd.concat([table, total_row], ignore_index=True)
    sme = table[table["size_class"].isin(SME_CLASSES)][["amount", "share"]].sum()
    total_row = pd.DataFrame({"size_class": ["SME total"], "amount": [sme["amount"]], "share": [sme["share"]]})
    return pd.concat([table, total_row], ignore_index=True)


def sme_share(p: pd.DataFrame) -> float | None:
    """Share of spend with micro, small and medium enterprises (unknown size counts as not SME).

    None (unknown) when no payment's supplier has a known size.
    """
    _need(p, "size_class", "amount")
    known = bool(_known(p["size_class"]).any())
    return _ratio(p.loc[p["size_class"].isin(SME_CLASSES), "amount"].sum(), p["amount"].sum(), known)


def social_economy_share(p: pd.DataFrame) -> float | None:
    """Share of spend with social-economy organisations (cooperatives, foundations, …) per the register.

    None (unknown) when no payment's supplier has a known social-economy status.
    """
    _need(p, "social_economy", "amount")
    status = p["social_economy"].astype("boolean")
    flag = status.fillna(False).astype("bool")
    return _ratio(p.loc[flag, "amount"].sum(), p["amount"].sum(), bool(status.notna().any()))


def sector_shares(p: pd.DataFrame) -> pd.DataFrame:
    """Spend and share per sector, largest first, "unclassified" last."""
    return share_by(p, "sector")


def sector_by_location(
    p: pd.DataFrame, levels: GeographyLevels = DEFAULT_LEVELS, normalise: str | None = None, by: str = "sector"
) -> pd.DataFrame:
    """Spend per sector (rows) and geographic level (columns): where each sector's money goes.

    `normalise="index"` gives each sector's spend split by level (rows sum to 1),
    the view that shows market gaps: sectors bought mostly from outside the area.
    `by="category"` uses the ledger's own expense categories instead of the CPV sector
    (`sectors.grouping_column` says which a ledger supports).
    """
    _need(p, by, "level", "amount")
    missing = UNCLASSIFIED if by == "sector" else UNKNOWN
    table = pd.pivot_table(
        p.assign(**{by: _labels(p, by, missing)}, level=_labels(p, "level", levels.unknown)),
        index=by,
        columns="level",
        values="amount",
        aggfunc="sum",
        fill_value=0.0,
        observed=True,
    )
    cols = [c for c in levels.ordered if c in table.columns] + [c for c in table.columns if c not in levels.ordered]
    table = table.reindex(columns=cols)
    table = table.loc[table.sum(axis=1).sort_values(ascending=False, kind="stable").index]
    table.columns.name = "level"
    if normalise == "index":
        sums = table.sum(axis=1)
        table = table.div(sums.where(sums != 0), axis=0).fillna(0.0)
    elif normalise is not None:
        raise LearnerError("normalise must be None or 'index'")
    return mark_columns(table, default="share" if normalise == "index" else "money")


def _group_sums(p: pd.DataFrame) -> pd.Series:
    _need(p, "supplier_group", "amount")
    return p.groupby(p["supplier_group"].astype("str").fillna("(no supplier)"), sort=False)["amount"].sum()


def _top_table(sums: pd.Series, total: float, n: int) -> pd.DataFrame:
    """Top-n rows of supplier-group sums (ties by name, so results are repeatable)."""
    frame = pd.DataFrame({"supplier_group": sums.index.astype("str"), "amount": sums.to_numpy(dtype="float64")})
    frame = frame.sort_values(["amount", "supplier_group"], ascending=[False, True]).head(n)
    frame["share"] = frame["amount"] / total if total else np.nan  # no spend: unknown, not 0
    frame["cumulative_share"] = frame["share"].cumsum()
    return frame.reset_index(drop=True)


def top_suppliers(p: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The n supplier groups with most net spend, with their share and the running total share."""
    return _top_table(_group_sums(p), total_spend(p), n)


def top_n_concentration(p: pd.DataFrame, n: int = 10) -> float | None:
    """Share of total spend held by the n largest supplier groups (brief §2.2: concentration); None
    when there is no spend."""
    table = top_suppliers(p, n)
    return _ratio(float(table["amount"].sum()), total_spend(p))


def _hhi_from_sums(sums: np.ndarray) -> float | None:
    positive = sums[sums > 0]
    total = positive.sum()
    if total <= 0:
        return None  # no supplier with positive spend: no concentration to measure
    return float(((positive / total * 100.0) ** 2).sum())


def hhi(p: pd.DataFrame) -> float | None:
    """Herfindahl-Hirschman index of supplier-group shares, on the 0–10,000 scale.

    HHI = sum of (share × 100)², over groups with positive net spend (a group whose
    credit notes exceed its payments has no share). 10,000 = one supplier takes
    everything; 100 suppliers with equal spend give 100. Course design: the course
    uses it to compare years and cities, not against a threshold.
    """
    return _hhi_from_sums(_group_sums(p).to_numpy(dtype="float64"))


def _suppliers(p: pd.DataFrame) -> int:
    return int(p["supplier_group"].nunique(dropna=False)) if len(p) else 0


def headline_indicators(p: pd.DataFrame, levels: GeographyLevels = DEFAULT_LEVELS) -> dict:
    """The headline figures of a spend analysis, as one dict (shares 0–1, money in the ledger's currency).

    total, credit_notes (sum of the credit-note lines, ≤ 0), local_share_city,
    local_share_region (city + region: cumulative), sme_share,
    social_economy_share, unknown_location_share, unknown_size_share,
    unknown_social_economy_share, top10_share, hhi, suppliers (number of supplier
    groups), lines. A share the data cannot give is None, never 0 (`helpers.spend.shares`;
    `headline_shares` turns the dict's shares into `Share`s that say why).
    """
    _need(p, "amount", "level", "size_class", "social_economy", "supplier_group")
    total = total_spend(p)
    credit = p["is_credit_note"].astype("bool") if "is_credit_note" in p else p["amount"] < 0
    social_known = p["social_economy"].astype("boolean").notna()
    return {
        "total": total,
        "credit_notes": float(p.loc[credit, "amount"].sum()),
        "local_share_city": local_spend_share(p, levels.city_levels, levels.unknown),
        "local_share_region": local_spend_share(p, levels.region_levels, levels.unknown),
        "sme_share": sme_share(p),
        "social_economy_share": social_economy_share(p),
        "unknown_location_share": _ratio(p.loc[~_known(p["level"], levels.unknown), "amount"].sum(), total),
        "unknown_size_share": _ratio(p.loc[~_known(p["size_class"]), "amount"].sum(), total),
        "unknown_social_economy_share": _ratio(p.loc[~social_known, "amount"].sum(), total),
        "top10_share": top_n_concentration(p, 10),
        "hhi": hhi(p),
        "suppliers": _suppliers(p),
        "lines": int(len(p)),
    }


def top_300_lens(p: pd.DataFrame, n: int = 300, levels: GeographyLevels = DEFAULT_LEVELS) -> dict:
    """The headline indicators on the n largest supplier groups only (Preston's "top 300" proxy, brief §2.1).

    Adds `top_n` (n) and `coverage` (share of all spend those suppliers hold), so the
    learner sees how good a proxy the lens is.
    """
    sums = _group_sums(p)
    top = _top_table(sums, total_spend(p), n)["supplier_group"]
    sub = p[p["supplier_group"].astype("str").isin(top)]
    out = headline_indicators(sub, levels)
    out["top_n"] = int(n)
    out["coverage"] = _ratio(total_spend(sub), total_spend(p))
    return out


# --------------------------------------------------------------------------- fast cube

CUBE_DIMENSIONS = (
    "year",
    "service_area",
    "category",
    "level",
    "size_class",
    "social_economy",
    "sector",
    "currency",
    "supplier_group",
)
FILTER_DIMENSIONS = (
    "year",
    "service_area",
    "category",
    "level",
    "size_class",
    "social_economy",
    "sector",
    "currency",
)
NO_CURRENCY = "not stated"


class SpendCube:
    """Payments summed once by year × service area × category × level × size × social economy × sector × supplier.

    A million payment lines shrink to the distinct combinations (usually tens of
    thousands); each dimension is stored as categorical codes, so a filter is a few
    numpy comparisons and the supplier sums one `bincount`. `indicators(filters)`
    equals `headline_indicators` on the filtered payments.
    """

    def __init__(self, p: pd.DataFrame, levels: GeographyLevels = DEFAULT_LEVELS) -> None:
        _need(p, "amount", "level", "size_class", "social_economy", "supplier_group")
        self.levels = levels
        frame = pd.DataFrame(index=p.index)
        if "date" in p:
            frame["year"] = pd.to_datetime(p["date"]).dt.year.astype("Int64").astype("str")
        else:
            frame["year"] = pd.Series(pd.NA, index=p.index, dtype="str")
        for col, missing in (
            ("service_area", UNKNOWN),
            ("category", UNKNOWN),
            ("level", levels.unknown),
            ("size_class", UNKNOWN),
            ("social_economy", UNKNOWN),
            ("sector", UNCLASSIFIED),
            ("currency", NO_CURRENCY),
            ("supplier_group", "(no supplier)"),
        ):
            source = p[col] if col in p else pd.Series(pd.NA, index=p.index, dtype="str")
            if col == "social_economy":
                source = source.astype("boolean")
            frame[col] = _labels(pd.DataFrame({col: source}), col, missing)
        frame["year"] = frame["year"].fillna(UNKNOWN)
        credit = p["is_credit_note"].astype("bool") if "is_credit_note" in p else p["amount"] < 0
        frame["amount"] = p["amount"].astype("float64")
        frame["credit"] = p["amount"].where(credit, 0.0).astype("float64")
        frame["lines"] = 1
        for col in CUBE_DIMENSIONS:
            frame[col] = frame[col].astype("category")
        cube = (
            frame.groupby(list(CUBE_DIMENSIONS), observed=True, sort=False)[["amount", "credit", "lines"]]
            .sum()
            .reset_index()
        )
        self.table = cube
        self.categories = {c: cube[c].cat.categories for c in CUBE_DIMENSIONS}
        self.codes = {c: cube[c].cat.codes.to_numpy() for c in CUBE_DIMENSIONS}
        self.amount = cube["amount"].to_numpy(dtype="float64")
        self.credit = cube["credit"].to_numpy(dtype="float64")
        self.lines = cube["lines"].to_numpy(dtype="int64")
        # the headline flags, computed once (as float64, so a filtered sum is one dot product)
        self.flags = {
            "city": self._in("level", levels.city_levels),
            "region": self._in("level", levels.region_levels),
            "unknown_location": self._in("level", [levels.unknown]),
            "sme": self._in("size_class", SME_CLASSES),
            "social": self._in("social_economy", ["yes"]),
            "unknown_size": self._in("size_class", [UNKNOWN]),
            "unknown_social": ~self._in("social_economy", ["yes", "no"]),
        }
        self.flags = {k: v.astype("float64") for k, v in self.flags.items()}

    def _in(self, dim: str, labels: Iterable[object]) -> np.ndarray:
        """Boolean per cube row: is the row's `dim` one of `labels` (a lookup on the category codes)."""
        wanted = {str(v) for v in labels}
        cats = self.categories[dim]
        allowed = np.zeros(len(cats) + 1, dtype=bool)  # the extra slot is code -1 (missing)
        allowed[:-1] = np.isin(cats.astype("str"), list(wanted))
        return allowed[self.codes[dim]]

    def mask(self, filters: Mapping[str, object] | None = None) -> np.ndarray:
        """Cube rows matching the filters ({dimension: value or list}; None / "all" / [] = no filter)."""
        keep = np.ones(len(self.amount), dtype=bool)
        for dim, value in (filters or {}).items():
            if dim not in CUBE_DIMENSIONS:
                raise LearnerError(f"cannot filter by '{dim}'", fix=f"Use one of: {', '.join(FILTER_DIMENSIONS)}")
            if value is None or (isinstance(value, str) and value == "all"):
                continue
            values = [value] if isinstance(value, (str, int, np.integer, bool)) else list(value)
            if not values:
                continue
            if dim == "social_economy":
                values = [{True: "yes", False: "no"}.get(v, v) if isinstance(v, bool) else v for v in values]
            keep &= self._in(dim, values)
        return keep

    def _supplier_sums(self, keep: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Net spend and line count per supplier group (no boolean gathers: weights are zeroed instead)."""
        n = len(self.categories["supplier_group"])
        codes = self.codes["supplier_group"]
        sums = np.bincount(codes, weights=np.where(keep, self.amount, 0.0), minlength=n)
        lines = np.bincount(codes, weights=np.where(keep, self.lines, 0), minlength=n)
        return sums, lines

    def _share_of(
        self, flag: np.ndarray, kept_amount: np.ndarray, total: float, kept_lines: np.ndarray, unknown: str = ""
    ) -> float | None:
        """The share of `flag`; None when no kept line has the fact (`unknown`: the flag of its absence)."""
        known = not unknown or bool(kept_lines @ (1.0 - self.flags[unknown]) > 0)
        return _ratio(float(kept_amount @ flag), total, known)

    def indicators(self, filters: Mapping[str, object] | None = None) -> dict:
        """The `headline_indicators` dict for the payments matching `filters`."""
        keep = self.mask(filters)
        kept = np.where(keep, self.amount, 0.0)
        lines = np.where(keep, self.lines, 0).astype("float64")
        total = float(kept.sum())
        sums, n_lines = self._supplier_sums(keep)
        present = n_lines > 0
        top = np.sort(sums[present])[::-1][:10]
        f = self.flags
        return {
            "total": total,
            "credit_notes": float(self.credit @ keep),
            "local_share_city": self._share_of(f["city"], kept, total, lines, "unknown_location"),
            "local_share_region": self._share_of(f["region"], kept, total, lines, "unknown_location"),
            "sme_share": self._share_of(f["sme"], kept, total, lines, "unknown_size"),
            "social_economy_share": self._share_of(f["social"], kept, total, lines, "unknown_social"),
            "unknown_location_share": self._share_of(f["unknown_location"], kept, total, lines),
            "unknown_size_share": self._share_of(f["unknown_size"], kept, total, lines),
            "unknown_social_economy_share": self._share_of(f["unknown_social"], kept, total, lines),
            "top10_share": _ratio(top.sum(), total),
            "hhi": _hhi_from_sums(sums[present]),
            "suppliers": int(present.sum()),
            "lines": int(n_lines.sum()),
        }

    def top_suppliers(self, filters: Mapping[str, object] | None = None, n: int = 10) -> pd.DataFrame:
        """`top_suppliers` for the payments matching `filters`."""
        keep = self.mask(filters)
        sums, counts = self._supplier_sums(keep)
        series = pd.Series(sums[counts > 0], index=self.categories["supplier_group"][counts > 0])
        return _top_table(series, float(sums.sum()), n)

    def share_by(self, column: str, filters: Mapping[str, object] | None = None) -> pd.DataFrame:
        """`share_by` on a cube dimension for the payments matching `filters` (largest first)."""
        if column not in CUBE_DIMENSIONS:
            raise LearnerError(f"the cube has no dimension '{column}'", fix=f"Use one of: {', '.join(CUBE_DIMENSIONS)}")
        keep = self.mask(filters)
        cats = self.categories[column]
        sums = np.bincount(self.codes[column], weights=np.where(keep, self.amount, 0.0), minlength=len(cats))
        counts = np.bincount(self.codes[column], weights=keep.astype("float64"), minlength=len(cats))
        out = pd.DataFrame({column: cats.astype("str"), "amount": sums})[counts > 0]
        out = out.sort_values("amount", ascending=False, kind="stable").reset_index(drop=True)
        total = float(out["amount"].sum())
        out["share"] = out["amount"] / total if total else np.nan  # no spend: unknown, not 0
        return out
