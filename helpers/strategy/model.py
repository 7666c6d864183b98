"""Module 4, "Procurement strategy": objectives and targets, the lotting advisor, and city cases.

- `OUTCOMES`, `Objective`, `validate_objectives`, `strategy_summary`: set measurable
  objectives with a baseline (from the spend analysis), a target and a date, and export them.
- `lot_plan`, `divide_or_explain`: how splitting a contract into lots changes the turnover a
  bidder needs and how many local SMEs could bid (Directive Arts 46 and 58(3), brief §3.4).
- `CASES`: short summaries of what partner cities did, with sources.
- `category_capacity`, `classify_categories`, `opportunity_matrix`: the category opportunity
  matrix: per category, spend against the local supply (the share already spent locally, from
  `helpers.spend.indicators`, and the local suppliers and SMEs in the register), sorted into
  four quadrants with explicit thresholds (course design).
Figures come from the domain brief with their sources; our own choices say "course design".
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, fields
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd

from helpers.core.errors import LearnerError
from helpers.core.values import as_date
from helpers.ui.exports import Report

# == objectives and targets ===========================================================================
# Course design: suggested indicators per outcome: (indicator, unit, direction of improvement).
OUTCOMES: dict[str, dict[str, Any]] = {
    "local_economy": {"name": "Local economy", "indicators": (
        ("share of spend with suppliers in the city", "%", "higher"),
        ("share of spend with suppliers in the region", "%", "higher"),
        ("local multiplier (LM3)", "ratio", "higher"))},
    "smes_social_economy": {"name": "SMEs and the social economy", "indicators": (
        ("% of spend with SMEs", "%", "higher"),
        ("% of spend with social-economy organisations", "%", "higher"),
        ("% of tenders above the EU threshold divided into lots", "%", "higher"))},
    "carbon": {"name": "Carbon", "indicators": (
        ("emissions from purchased goods and services", "tCO2e", "lower"),
        ("% of tenders with green (GPP) criteria", "%", "higher"))},
    "innovation": {"name": "Innovation", "indicators": (
        ("innovation procurements started per year", "count", "higher"),
        ("% of tenders preceded by a market consultation", "%", "higher"))},
    "gender_equality": {"name": "Gender equality", "indicators": (
        ("% of tenders with gender-responsive criteria", "%", "higher"),
        ("% of contracts that monitor gender data", "%", "higher"))},
    "fair_work": {"name": "Fair work", "indicators": (
        ("% of contract workers paid at least a living wage", "%", "higher"),
        ("apprenticeships and jobs for people far from work created through contracts", "count", "higher"))},
}
OUTCOMES_NOTE = ("The six outcomes and their suggested indicators are the course's design; choose the ones your "
                 "strategy needs. Preston tracked the share of spend kept in the city and in Lancashire: 5% and "
                 "39% in 2012/13, 18.2% and 79.2% by 2016/17 (brief §2.5).")


def _indicator_defaults(indicator: str) -> tuple[str, str] | None:
    for outcome in OUTCOMES.values():
        for name, unit, direction in outcome["indicators"]:
            if name == indicator.strip().lower():
                return unit, direction
    return None


def suggested_indicators() -> pd.DataFrame:
    """Every suggested indicator with its outcome, unit and the direction that counts as progress."""
    return pd.DataFrame([{"outcome": key, "outcome_name": o["name"], "indicator": name, "unit": unit,
                          "better_when": direction} for key, o in OUTCOMES.items()
                         for name, unit, direction in o["indicators"]])


@dataclass
class Objective:
    """One measurable objective: where we are (baseline, with its source), where we aim, by when.

    `direction` ("higher" or "lower") defaults to the suggested indicator's, else "higher".
    """

    outcome: str
    indicator: str
    baseline: float | None = None
    baseline_source: str = ""
    target: float | None = None
    target_date: dt.date | None = None
    unit: str = ""
    direction: str | None = None

    def better_when(self) -> str:
        if self.direction:
            return self.direction
        defaults = _indicator_defaults(self.indicator)
        return defaults[1] if defaults else "higher"

    def to_dict(self) -> dict:
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["target_date"] = self.target_date.isoformat() if self.target_date else None
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Objective":
        known = {f.name for f in fields(cls)}
        if not isinstance(data, Mapping) or "outcome" not in data or "indicator" not in data:
            raise LearnerError("a saved objective lacks its outcome or indicator", fix="Enter the objective again")
        values = {k: v for k, v in data.items() if k in known}
        if values.get("target_date"):
            values["target_date"] = as_date(values["target_date"], "target date")
        for key in ("baseline", "target"):
            if values.get(key) is not None:
                values[key] = _number(values[key], key)
        return cls(**values)


def _number(value: Any, what: str) -> float:
    try:
        number = float(str(value).replace(",", "").replace("%", "").strip()) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        raise LearnerError(f"the {what} {value!r} is not a number", fix="Write a number such as 12.5") from None
    if math.isnan(number):
        raise LearnerError(f"the {what} is empty", fix="Write a number such as 12.5")
    return number


def objectives_to_dict(objectives: Sequence[Objective]) -> dict:
    """A JSON-ready form for the progress store."""
    return {"version": 1, "objectives": [o.to_dict() for o in objectives]}


def objectives_from_dict(data: Mapping[str, Any]) -> list[Objective]:
    """The objectives saved by `objectives_to_dict`."""
    items = data.get("objectives") if isinstance(data, Mapping) else None
    if not isinstance(items, list):
        raise LearnerError("the saved objectives are damaged", fix="Enter the objectives again")
    return [Objective.from_dict(item) for item in items]


@dataclass(frozen=True)
class Issue:
    """One problem with an objective: `severity` is "error" (must fix) or "warning" (should check)."""

    objective: int          # position in the list, from 1
    field: str
    severity: str
    message: str


def validate_objectives(objectives: Sequence[Objective], today: Any = None) -> list[Issue]:
    """Check each objective is measurable: known outcome, baseline with a source, target with a date in
    the future, a target that moves the right way, units that match the indicator, percentages 0-100."""
    day = as_date(today, "date today") if today is not None else dt.date.today()
    issues: list[Issue] = []
    for n, o in enumerate(objectives, start=1):
        def add(field_name: str, severity: str, message: str) -> None:
            issues.append(Issue(n, field_name, severity, message))

        if o.outcome not in OUTCOMES:
            add("outcome", "error", f"'{o.outcome}' is not one of the outcomes: {', '.join(OUTCOMES)}")
        if not str(o.indicator).strip():
            add("indicator", "error", "the indicator is empty: say what will be measured")
        defaults = _indicator_defaults(str(o.indicator))
        if defaults and o.unit and o.unit.strip() != defaults[0]:
            add("unit", "warning", f"'{o.indicator}' is measured in {defaults[0]}, not {o.unit}")
        if o.direction not in (None, "higher", "lower"):
            add("direction", "error", f"direction must be 'higher' or 'lower', not {o.direction!r}")
        unit = (o.unit or (defaults[0] if defaults else "")).strip()
        for name in ("baseline", "target"):
            value = getattr(o, name)
            if value is not None and unit == "%" and not 0 <= value <= 100:
                add(name, "error", f"the {name} {value:g}% is outside 0-100%")
        if o.target is None:
            add("target", "warning", "no target: say what level you aim for")
        else:
            if o.baseline is None:
                add("baseline", "warning", "a target without a baseline: progress cannot be shown; take the "
                                           "baseline from your spend analysis")
            if o.target_date is None:
                add("target_date", "warning", "a target without a date: say by when")
        if o.baseline is not None and not str(o.baseline_source).strip():
            add("baseline_source", "warning", "say where the baseline comes from (e.g. the 2024 spend analysis)")
        if o.target_date is not None and o.target_date <= day:
            add("target_date", "warning", f"the target date {o.target_date.isoformat()} is not in the future")
        if o.target is not None and o.baseline is not None:
            better = o.better_when()
            if o.target == o.baseline:
                add("target", "warning", "the target equals the baseline: no change is planned")
            elif (better == "higher") != (o.target > o.baseline):
                add("target", "warning", f"the target moves the wrong way: this indicator is better when "
                                         f"{better}, but the target is {'lower' if o.target < o.baseline else 'higher'} "
                                         "than the baseline")
    return issues


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return ""
    text = f"{value:,.1f}".rstrip("0").rstrip(".")
    return f"{text}%" if unit == "%" else f"{text} {unit}".strip()


def objectives_table(objectives: Sequence[Objective]) -> pd.DataFrame:
    """The objectives as a table a committee can read."""
    return pd.DataFrame([{"outcome": OUTCOMES.get(o.outcome, {"name": o.outcome})["name"], "indicator": o.indicator,
                          "baseline": _fmt(o.baseline, o.unit), "baseline source": o.baseline_source,
                          "target": _fmt(o.target, o.unit),
                          "by": o.target_date.isoformat() if o.target_date else "",
                          "better when": o.better_when()} for o in objectives],
                        columns=["outcome", "indicator", "baseline", "baseline source", "target", "by", "better when"])


def strategy_summary(objectives: Sequence[Objective], city_name: str, today: Any = None) -> Report:
    """A one-page strategy summary; write it with `helpers.ui.exports.save_report(report, "x.docx")` (or .md)."""
    report = Report(f"Procurement strategy objectives: {city_name}",
                    "Measurable objectives: a baseline with its source, a target and a date.")
    report.add("Objectives", table=objectives_table(objectives))
    issues = validate_objectives(objectives, today=today)
    report.add("Checks", bullets=[f"Objective {i.objective} ({i.severity}): {i.message}." for i in issues]
               or ["Every objective has a baseline with a source, a target and a future date."])
    report.add("About the indicators", paragraphs=[OUTCOMES_NOTE])
    return report


# == suppliers in the register ========================================================================
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


def place_suppliers(register: pd.DataFrame, geography: pd.DataFrame, home_country: str | None = None,
                    city_levels: Sequence[str] = ("city", "region")) -> pd.DataFrame:
    """The register with `level`, `place`, `sme`, `local` (level in `city_levels`), `local_sme` and a
    two-digit `cpv_division`. Levels come from the postcode and the geography table
    (postcode_prefix, place, level); a supplier whose `country` differs from `home_country` is abroad.
    Without `home_country`, the register's most common country is taken as home (course design)."""
    from helpers.spend.enrich import GeographyLevels, place_payments

    missing = [c for c in ("postcode", "size_class", "cpv_division") if c not in register.columns]
    if missing:
        raise LearnerError(f"the supplier register lacks the column(s) {', '.join(missing)}",
                           fix="Use the columns of suppliers.csv (see course/architecture.md)")
    frame = register.copy()
    if home_country is None and "country" in frame and frame["country"].notna().any():
        home_country = str(frame["country"].astype("str").str.strip().str.upper().mode().iloc[0])
    levels_in_table = [lv for lv in dict.fromkeys(geography["level"].dropna().astype("str")) if lv != "abroad"]
    default = GeographyLevels()
    levels = default if set(levels_in_table) <= set(default.levels) else GeographyLevels(tuple(levels_in_table))
    placed = place_payments(frame.assign(postcode=frame["postcode"].astype("str")), geography,
                            home_country=home_country, country_col="country" if "country" in frame else None,
                            levels=levels)
    placed["cpv_division"] = [cpv_division_of(v) if pd.notna(v) and str(v).strip() else pd.NA
                              for v in register["cpv_division"]]
    placed["cpv_division"] = placed["cpv_division"].astype("str")
    placed["sme"] = placed["size_class"].astype("str").str.strip().str.lower().isin(SME_SIZES)
    placed["local"] = placed["level"].isin(list(city_levels))
    placed["local_sme"] = placed["sme"] & placed["local"]
    if "turnover_eur" in placed:
        placed["turnover_eur"] = pd.to_numeric(placed["turnover_eur"], errors="coerce")
    return placed


# == lotting advisor ===================================================================================
TURNOVER_CAP_MULTIPLE = 2
TURNOVER_NOTE = (
    "Article 58(3) of Directive 2014/24/EU: a minimum turnover requirement is generally capped at twice the "
    "contract value, and with lots the cap applies to each lot (brief §3.4; the brief's source for this is "
    "secondary, https://tendermetric.com/insights/eu-procurement-for-smes, so check the Directive's text). The cap "
    "is a maximum: a buyer may ask for less or nothing. The tool assumes the buyer sets the minimum turnover "
    "at `turnover_ratio` x the lot value (default 2, the most the cap allows: the hardest case for SMEs); "
    "lower the ratio to see how a lighter requirement opens a lot. Register turnover is yearly: for a "
    "multi-year contract, give `contract_years` to base the requirement on the lot's yearly value instead "
    "(course design; it never exceeds the cap).")


def _lot_values(contract_value: float, lots: Sequence[float] | int) -> list[float]:
    if isinstance(lots, bool):
        raise LearnerError("give the number of lots or a list of lot values")
    if isinstance(lots, int):
        if lots < 1:
            raise LearnerError(f"the number of lots must be 1 or more, not {lots}")
        return [contract_value / lots] * lots
    values = [_number(v, "lot value") for v in lots]
    if not values or any(v <= 0 for v in values):
        raise LearnerError("every lot needs a value above zero", fix="Check the list of lot values")
    if abs(sum(values) - contract_value) > 0.005 * contract_value:
        raise LearnerError(f"the lots add up to {sum(values):,.0f}, not the contract value {contract_value:,.0f}",
                           fix="Make the lot values add up to the contract value")
    return values


def lot_plan(contract_value: float, lots: Sequence[float] | int, register: pd.DataFrame, cpv_division: Any,
             geography: pd.DataFrame, city_levels: Sequence[str] = ("city", "region"), turnover_ratio: float = 2.0,
             contract_years: float | None = None, home_country: str | None = None,
             include_whole: bool = True) -> pd.DataFrame:
    """For each lot: its value, the highest minimum-turnover requirement allowed (2 x value), the
    requirement assumed (see `TURNOVER_NOTE`), the local SMEs in this CPV division, and how many of
    them have at least that turnover. With `include_whole`, a first row shows the undivided contract.

    Columns: lot, value, max_turnover_requirement, required_turnover, local_smes_in_division, local_smes_able.
    SMEs whose turnover is missing are not counted as able.
    """
    value = _number(contract_value, "contract value")
    if value <= 0:
        raise LearnerError("the contract value must be above zero")
    ratio = _number(turnover_ratio, "turnover ratio")
    if not 0 < ratio <= TURNOVER_CAP_MULTIPLE:
        raise LearnerError(f"the turnover ratio {ratio:g} is outside 0-{TURNOVER_CAP_MULTIPLE}",
                           fix="Above 2 x the contract value the requirement would break the Art. 58(3) cap")
    years = None if contract_years is None else _number(contract_years, "contract length in years")
    if years is not None and years <= 0:
        raise LearnerError("the contract length must be more than 0 years")
    if "turnover_eur" not in register.columns:
        raise LearnerError("the supplier register lacks the column turnover_eur", fix="Use suppliers.csv's columns")
    placed = place_suppliers(register, geography, home_country=home_country, city_levels=city_levels)
    division = cpv_division_of(cpv_division)
    pool = placed[(placed["cpv_division"] == division) & placed["local_sme"]]
    turnover = pool["turnover_eur"]
    values = _lot_values(value, lots)
    named = ([("whole contract", value)] if include_whole else []) + [
        (f"lot {i}", v) for i, v in enumerate(values, start=1)]
    rows = []
    for name, lot_value in named:
        cap = TURNOVER_CAP_MULTIPLE * lot_value
        basis = lot_value / years if years else lot_value
        required = min(ratio * basis, cap)
        rows.append({"lot": name, "value": round(lot_value, 2), "max_turnover_requirement": round(cap, 2),
                     "required_turnover": round(required, 2), "local_smes_in_division": int(len(pool)),
                     "local_smes_able": int((turnover >= required - 1e-6).sum())})
    return pd.DataFrame(rows)


def divide_or_explain(lots: Sequence[float] | int, reason: str = "") -> str:
    """The text to record in the procurement file about lots (Art. 46, "divide or explain")."""
    count = lots if isinstance(lots, int) else len(list(lots))
    if count > 1:
        return (f"The contract is divided into {count} lots. Article 46 of Directive 2014/24/EU asks buyers to "
                "consider lots; smaller lots lower the turnover and capacity a bidder needs, and a DG GROW study "
                "found that dividing contracts into lots raises SMEs' chances of winning (brief §3.4)."
                + (f" Reasons: {reason.strip()}" if reason.strip() else ""))
    text = ("The contract is not divided into lots. Article 46 of Directive 2014/24/EU requires the buyer to "
            "state its main reasons for not dividing (\"divide or explain\").")
    return text + (f" Reasons: {reason.strip()}" if reason.strip() else
                   " Reasons: [write here why one contract serves this purchase better than lots]")


# == category opportunity matrix =======================================================================
QUADRANTS: dict[str, str] = {
    "grow local spend": "Large spend, a low local share, and local firms that could supply: look at lots, "
                        "below-threshold invitations and meet-the-buyer events so they can bid.",
    "keep": "Most of this spend already stays in the area: keep the local supply healthy when contracts are renewed.",
    "thin local market": "Large spend, a low local share and few local firms: develop the market (SME engagement, "
                         "consortia, social-economy support) before expecting local bids.",
    "low priority": "A small share of spend: not where a strategy starts.",
    "unclassified": "No sector: assign one in the spend analysis (module 3) first.",
}
QUADRANT_ORDER = tuple(QUADRANTS)
CAPACITY_MEASURES = {"local_suppliers": "local suppliers", "local_smes": "local SMEs"}


@dataclass(frozen=True)
class MatrixThresholds:
    """The quadrant lines (course design: move them to fit your city).

    A category is "low priority" below `min_spend_share` of all spend; otherwise "keep" when at least
    `local_share` of its spend is local; otherwise "grow local spend" when it has at least
    `min_local_suppliers` local suppliers (or local SMEs, per `capacity`), else "thin local market".
    """

    min_spend_share: float = 0.02          # 2% of total spend
    local_share: float = 0.50              # half the category's spend stays in the area
    min_local_suppliers: int = 20          # local firms in the register for this CPV division
    capacity: str = "local_suppliers"      # or "local_smes"

    def check(self) -> "MatrixThresholds":
        if not 0 <= self.min_spend_share < 1:
            raise LearnerError(f"the small-spend line {self.min_spend_share:g} must be a share between 0 and 1",
                               fix="Write 0.02 for 2%")
        if not 0 < self.local_share <= 1:
            raise LearnerError(f"the local-share line {self.local_share:g} must be a share above 0, at most 1",
                               fix="Write 0.5 for 50%")
        if int(self.min_local_suppliers) != self.min_local_suppliers or self.min_local_suppliers < 0:
            raise LearnerError(f"the number of local suppliers {self.min_local_suppliers!r} must be a whole number")
        if self.capacity not in CAPACITY_MEASURES:
            raise LearnerError(f"capacity must be one of {', '.join(CAPACITY_MEASURES)}, not {self.capacity!r}")
        return self


def category_capacity(payments: pd.DataFrame, register: pd.DataFrame | None = None,
                      geography: pd.DataFrame | None = None, by: str = "cpv_division",
                      local_levels: Sequence[str] = ("city", "region"), home_country: str | None = None) -> pd.DataFrame:
    """Per category: spend, its share of all spend, the share spent locally, and the local supply.

    `payments` is an enriched ledger (`helpers.spend.pipeline.analyse_city(...).payments` or a saved
    analysis from module 3). `by` is "cpv_division" (the sector) or "category" (the ledger's expense
    category; its suppliers are counted in the CPV division holding most of its spend).
    The local share is `helpers.spend.indicators.local_spend_share` on the category's payments at
    `local_levels`. With a register and geography, `local_suppliers` / `local_smes` count the register's
    suppliers placed at those levels in the division; without them (course design) they count the
    distinct local supplier groups already paid in the category (`attrs["capacity_source"]` says which).

    Columns: category, name, cpv_division, spend, spend_share, local_share, spend_outside,
    local_suppliers, local_smes; largest spend first.
    """
    from helpers.spend import indicators

    if by not in ("cpv_division", "category"):
        raise LearnerError(f"group by 'cpv_division' or 'category', not {by!r}")
    need = [c for c in ("amount", "level", by) if c not in payments.columns]
    if by == "category" and "cpv_division" not in payments.columns:
        need.append("cpv_division")
    if need:
        raise LearnerError(f"the payments lack the column(s) {', '.join(need)}",
                           fix="Use an enriched spend analysis (module 3: analyse_city or a saved analysis)")
    levels = tuple(local_levels)
    frame = payments.assign(_key=payments[by].astype("str").fillna("unclassified").replace({"": "unclassified"}),
                            _div=payments["cpv_division"].astype("str").fillna("unclassified")
                            if "cpv_division" in payments else "unclassified")
    total = indicators.total_spend(frame)
    use_register = register is not None and geography is not None
    if use_register:
        placed = place_suppliers(register, geography, home_country=home_country, city_levels=levels)
        per_division = placed.groupby("cpv_division").agg(local_suppliers=("local", "sum"),
                                                          local_smes=("local_sme", "sum"))
    sme_sizes = set(SME_SIZES)
    rows = []
    for key, group in frame.groupby("_key", sort=False):
        spend = indicators.total_spend(group)
        division = key if by == "cpv_division" else str(group.groupby("_div")["amount"].sum().idxmax())
        name = key
        if "sector" in group and group["sector"].notna().any():
            name = str(group["sector"].mode().iloc[0]) if by == "cpv_division" else key
        if use_register:
            counts = per_division.loc[division] if division in per_division.index else {"local_suppliers": 0,
                                                                                        "local_smes": 0}
            local_n, sme_n = int(counts["local_suppliers"]), int(counts["local_smes"])
        else:
            local = group[group["level"].isin(levels)]
            group_col = "supplier_group" if "supplier_group" in local else "supplier"
            local_n = int(local[group_col].nunique()) if group_col in local else 0
            sizes = local["size_class"].astype("str").str.lower() if "size_class" in local else pd.Series(dtype="str")
            sme_n = int(local.loc[sizes.isin(sme_sizes), group_col].nunique()) if group_col in local else 0
        share = indicators.local_spend_share(group, levels)
        rows.append({"category": key, "name": name, "cpv_division": division, "spend": round(spend, 2),
                     "spend_share": spend / total if total else 0.0, "local_share": share,
                     "spend_outside": round(spend * (1 - share), 2),
                     "local_suppliers": local_n, "local_smes": sme_n})
    columns = ["category", "name", "cpv_division", "spend", "spend_share", "local_share", "spend_outside",
               "local_suppliers", "local_smes"]
    out = pd.DataFrame(rows, columns=columns).sort_values(["spend", "category"], ascending=[False, True],
                                                          kind="stable").reset_index(drop=True)
    out.attrs["capacity_source"] = "register" if use_register else "suppliers paid"
    out.attrs["local_levels"] = levels
    return out


def classify_categories(capacity: pd.DataFrame, thresholds: MatrixThresholds = MatrixThresholds()) -> pd.DataFrame:
    """Add `quadrant` and `action` to a `category_capacity` table, using the thresholds' rules in order
    (small spend, then high local share, then local capacity); the table keeps its order."""
    t = thresholds.check()
    out = capacity.copy()
    small = out["spend_share"] < t.min_spend_share
    high = out["local_share"] >= t.local_share
    able = out[t.capacity] >= t.min_local_suppliers
    unclassified = out["category"].isin(["unclassified", "unknown", "nan", "<NA>"])
    quadrant = np.select([unclassified, small, high, able],
                         ["unclassified", "low priority", "keep", "grow local spend"], "thin local market")
    out["quadrant"] = pd.Series(quadrant, index=out.index).astype("str")
    out["action"] = out["quadrant"].map(QUADRANTS)
    out.attrs.update(capacity.attrs, thresholds=t)
    return out


def opportunity_matrix(payments: pd.DataFrame, register: pd.DataFrame | None = None,
                       geography: pd.DataFrame | None = None, thresholds: MatrixThresholds = MatrixThresholds(),
                       by: str = "cpv_division", local_levels: Sequence[str] = ("city", "region"),
                       home_country: str | None = None) -> pd.DataFrame:
    """The category opportunity matrix: `category_capacity` then `classify_categories` (see both)."""
    return classify_categories(category_capacity(payments, register, geography, by=by, local_levels=local_levels,
                                                 home_country=home_country), thresholds)


def quadrant_counts(matrix: pd.DataFrame) -> pd.DataFrame:
    """How many categories, and how much spend, fall in each quadrant (every quadrant listed)."""
    grouped = matrix.groupby("quadrant")["spend"].agg(["size", "sum"])
    shown = [q for q in QUADRANT_ORDER if q != "unclassified" or q in grouped.index]
    grouped = grouped.reindex(shown, fill_value=0)
    total = float(matrix["spend"].sum())
    return pd.DataFrame({"quadrant": grouped.index, "categories": grouped["size"].astype("int64").to_numpy(),
                         "spend": grouped["sum"].to_numpy(dtype="float64"),
                         "spend_share": (grouped["sum"] / total).to_numpy(dtype="float64") if total else 0.0})


def grow_candidates(matrix: pd.DataFrame, n: int = 5) -> pd.DataFrame:
    """The "grow local spend" categories with the most spend going outside the area, largest first."""
    grow = matrix[matrix["quadrant"] == "grow local spend"]
    return grow.sort_values(["spend_outside", "category"], ascending=[False, True]).head(n).reset_index(drop=True)


def matrix_in_brief(matrix: pd.DataFrame, label: str, n: int = 3) -> str:
    """The matrix in two lines: categories per quadrant, and the top "grow local spend" categories."""
    counts = quadrant_counts(matrix)
    parts = [f"{row.quadrant} {row.categories}" for row in counts.itertuples(index=False)]
    top = grow_candidates(matrix, n)
    listed = "; ".join(f"{r.name} ({r.local_share:.0%} local, EUR {r.spend_outside / 1e6:,.1f}m outside)"
                       for r in top.itertuples(index=False)) or "none"
    return f"{label}: {', '.join(parts)}.\nTop 'grow local spend': {listed}"


# == cases ==============================================================================================
CASES: dict[str, dict[str, Any]] = {
    "preston": {
        "city": "Preston (UK)", "title": "Anchor institutions buying locally",
        "text": ("In 2012/13 six anchor institutions in Preston together spent £750m a year on goods and "
                 "services, but only 5% with Preston-based organisations and 39% in Lancashire. By 2016/17 the "
                 "spend retained had risen to 18.2% in Preston and 79.2% in Lancashire, with all contracts let "
                 "through fully competitive processes. The Preston Model names its anchors: UCLan, Community "
                 "Gateway, Preston's College, Cardinal Newman College, Lancashire Constabulary, Lancashire County "
                 "Council and NHS Lancashire. The city council's own Preston share doubled from 14% (2012) to "
                 "28% (2016)."),
        "sources": ["https://www.publicsectorexecutive.com/Public-Sector-News/anchor-institutions-using-spending-"
                    "clout-to-boost-local-economy",
                    "https://cles.org.uk/community-wealth-building-in-practice/community-wealth-building-places/"
                    "community-wealth-building-in-preston/",
                    "https://preston.gov.uk/article/1338/Community-Wealth-Building-in-action",
                    "https://www.prestonpartnership.org/key-projects/the-preston-model/",
                    "https://www.public-sector.co.uk/article/8166c18e92ce0d4ee57a346ee19568f8"]},
    "koszalin": {
        "city": "Koszalin (PL)", "title": "Spend analysis as a recurring exercise",
        "text": ("Koszalin tied its spend analysis to economic development and building SMEs' capacity, "
                 "extended it to other local anchor institutions, and repeats it regularly rather than once."),
        "sources": ["https://preston.gov.uk/article/3545/Making-Spend-Matter-Toolkit-Koszalin-basic-and-advanced-"
                    "spend-analysis-case-studies"]},
    "famalicao": {
        "city": "Vila Nova de Famalicão (PT)", "title": "From spend analysis to a Strategic Procurement Plan",
        "text": ("Famalicão used spend analysis to measure spend by geography, sector and business type, as the "
                 "evidence base for a Strategic Procurement Plan, and as a political and policy instrument. It "
                 "built its own database to suit local circumstances."),
        "sources": ["https://preston.gov.uk:443/article/3544/Making-Spend-Matter-Toolkit-Vila-Nova-de-Famalic%C3%A3o-"
                    "basic-and-advanced-spend-analysis-case-studies"]},
    "rotterdam": {
        "city": "Rotterdam (NL) and Finland", "title": "Room for local firms below the EU threshold",
        "text": ("Below €221,000, Rotterdam may invite a selected group of 3-5 (local) companies instead of "
                 "advertising openly. Finland, by contrast, requires national publication above €60,000. Below "
                 "the EU thresholds national rules apply, but transparency, equal treatment and "
                 "non-discrimination still bind."),
        "sources": ["https://build-procurement.eu/?p=4070"]},
}


def cases_table() -> pd.DataFrame:
    """The cases as a table: city, title, text, sources."""
    return pd.DataFrame([{"case": key, "city": c["city"], "title": c["title"], "text": c["text"],
                          "sources": " ; ".join(c["sources"])} for key, c in CASES.items()])
