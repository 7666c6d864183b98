"""Social value: what the supplier committed to over the contract, what it has delivered so far,
and whether it is on course.

Bidders commit to quantities of social-value measures (local hires, apprenticeships,
training hours, local subcontract spend, CO₂ saved: the course's open measure set,
course/content/monitoring_social_value_measures.yaml) and report delivery against those same
measures. Here delivery is monthly.

Two simple yardsticks (course design):
- the pro-rata path: by month m of a T-month contract, m/T of the commitment should be
  delivered (an even pace; real delivery is often lumpy, e.g. apprenticeships start in
  September, so "behind the path" is a prompt to ask, not a breach);
- the run-rate forecast: if delivery goes on at its average pace so far, the total at the
  end is delivered_to_date / elapsed months × term months.

A measure counts as *behind* only when delivery is more than a tolerance below the path
(default 10 %, course design): with small whole numbers, 1 hire against a path of 1.08 is
rounding, not a problem worth an alert.

People and other countable things are counted in whole units (the units listed in
course/content/monitoring_rules.yaml, `whole_units`): a fraction the supplier reported is rounded
down (and the views say so), and what is needed to be on track is the next whole number, so no
view ever shows "2.93 apprenticeships".
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from helpers.core.content import by_id, items
from helpers.core.errors import LearnerError
from helpers.core.fmt import is_missing, money
from helpers.monitoring.kpis import (
    _RELATIVE_EPS,
    _numbers,
    contract_months,
    month_label,
    month_number,
    month_numbers,
    require_columns,
)

COMMITMENT_COLUMNS = ["contract_id", "measure", "committed_total"]
DELIVERY_COLUMNS = ["contract_id", "period", "measure", "delivered"]
# Course design: "behind" = more than 10 % below the pro-rata path (course/content/monitoring_rules.yaml).
SV_BEHIND_TOLERANCE_PCT = float(by_id("monitoring_rules")["sv_behind_tolerance_pct"]["value"])
# Course design: units counted in whole numbers (course/content/monitoring_rules.yaml).
WHOLE_UNITS = frozenset(str(u).strip().lower() for u in by_id("monitoring_rules")["whole_units"]["value"])
MEASURE_NAMES = {item["id"]: item["name"] for item in items("monitoring_measures")}
MONEY_UNITS = {"eur", "euro", "euros", "€"}


def is_whole_unit(unit) -> bool:
    """True for people and other things counted in whole numbers ("people", "jobs", "count", ...)."""
    return isinstance(unit, str) and unit.strip().lower() in WHOLE_UNITS


def measure_name(measure) -> str:
    """A social-value measure in plain words: the course data's codes by their names, others as written."""
    text = str(measure)
    return MEASURE_NAMES.get(text, text.replace("_", " ").strip())


def whole_down(value: float) -> float:
    """A delivered count rounded down to whole units (a hair of floating-point noise is not lost)."""
    return float(math.floor(float(value) + 1e-9))


def whole_up(value: float) -> float:
    """The smallest whole number at or above `value` (what is needed to reach it)."""
    return float(math.ceil(float(value) - 1e-9))


def amount(value, unit) -> str:
    """A quantity with its unit, for a message: whole units without decimals, money as EUR 1,234.50,
    others with at most two decimals ("unknown" when missing)."""
    if is_missing(value):
        return "unknown"
    text_unit = str(unit).strip() if isinstance(unit, str) else ""
    if text_unit.lower() in MONEY_UNITS:
        return money(value)
    if is_whole_unit(text_unit) and float(value).is_integer():
        one = int(value) == 1 and text_unit.lower() == "people"
        return f"{int(value):,} {'person' if one else text_unit}"
    number = f"{float(value):,.2f}".rstrip("0").rstrip(".")
    return f"{number} {text_unit}".strip()


def _check_tolerance(tolerance_pct: float) -> float:
    try:
        value = float(tolerance_pct)
    except (TypeError, ValueError):
        value = float("nan")
    if not 0 <= value < 100:
        raise LearnerError(
            f"a social-value tolerance of {tolerance_pct} % is not usable",
            fix="Choose a tolerance between 0 and 100 % (10 % is the course default)",
        )
    return value


def _delivery(delivery: pd.DataFrame) -> pd.DataFrame:
    require_columns(delivery, DELIVERY_COLUMNS, "social value delivery table")
    out = delivery[DELIVERY_COLUMNS].copy()
    out["contract_id"] = out["contract_id"].astype("str")
    out["measure"] = out["measure"].astype("str")
    out["month"] = month_numbers(out["period"], "social value delivery table")
    out["delivered"] = _numbers(out["delivered"], "social value delivery table", "delivered").fillna(0.0)
    return out


def _commitments(commitments: pd.DataFrame, contracts: pd.DataFrame, as_of) -> pd.DataFrame:
    require_columns(commitments, COMMITMENT_COLUMNS, "social value commitments table")
    out = commitments.copy()
    out["contract_id"] = out["contract_id"].astype("str")
    out["measure"] = out["measure"].astype("str")
    out["committed_total"] = _numbers(out["committed_total"], "social value commitments table", "committed_total")
    if "unit" not in out.columns:
        out["unit"] = ""
    out = out.merge(contract_months(contracts), on="contract_id", how="inner")
    out["elapsed_months"] = np.clip(month_number(as_of) - out["first_month"] + 1, 0, out["term_months"])
    return out


def social_value_progress(
    commitments: pd.DataFrame,
    delivery: pd.DataFrame,
    contracts: pd.DataFrame,
    as_of,
    tolerance_pct: float = SV_BEHIND_TOLERANCE_PCT,
) -> pd.DataFrame:
    """Each contract's social-value commitments against delivery up to `as_of` (YYYY-MM, inclusive).

    Columns: contract_id, measure, committed_total, delivered_to_date, pro_rata_target
    (committed_total × elapsed months / term months), on_track (not behind: delivered ≥
    pro-rata × (1 − tolerance_pct/100), inclusive), forecast_at_end (run-rate:
    delivered_to_date / elapsed × term; blank before the start), then unit, elapsed_months,
    term_months, behind_below (the delivery below which the measure counts as behind),
    whole (counted in whole units), delivered_reported (the sum as reported) and needed_now
    (the least delivery that is on track: for whole units the next whole number).

    For whole units, delivered_to_date is the reported sum rounded down and the forecast is
    rounded down too: 2.5 people reported count as 2.
    """
    floor = 1 - _check_tolerance(tolerance_pct) / 100
    plan = _commitments(commitments, contracts, as_of)
    deliv = _delivery(delivery)
    done = (
        deliv[deliv["month"] <= month_number(as_of)]
        .groupby(["contract_id", "measure"], as_index=False)["delivered"]
        .sum()
        .rename(columns={"delivered": "delivered_to_date"})
    )
    out = plan.merge(done, on=["contract_id", "measure"], how="left")
    out["delivered_reported"] = out["delivered_to_date"].fillna(0.0)
    out["whole"] = out["unit"].map(is_whole_unit).astype("bool")
    out["delivered_to_date"] = out["delivered_reported"].where(~out["whole"], out["delivered_reported"].map(whole_down))
    out["pro_rata_target"] = out["committed_total"] * out["elapsed_months"] / out["term_months"]
    out["behind_below"] = out["pro_rata_target"] * floor
    margin = _RELATIVE_EPS * np.maximum(1.0, out["behind_below"].abs())
    out["on_track"] = out["delivered_to_date"] >= out["behind_below"] - margin
    out["needed_now"] = out["behind_below"].where(~out["whole"], out["behind_below"].map(whole_up))
    elapsed = out["elapsed_months"].where(out["elapsed_months"] > 0)
    forecast = out["delivered_to_date"] / elapsed * out["term_months"]
    out["forecast_at_end"] = forecast.where(~out["whole"], forecast.map(lambda v: v if v != v else whole_down(v)))
    out = out.sort_values(["contract_id", "measure"], kind="stable").reset_index(drop=True)
    return out[
        [
            "contract_id",
            "measure",
            "committed_total",
            "delivered_to_date",
            "pro_rata_target",
            "on_track",
            "forecast_at_end",
            "unit",
            "elapsed_months",
            "term_months",
            "behind_below",
            "whole",
            "delivered_reported",
            "needed_now",
        ]
    ]


def social_value_path(
    commitments: pd.DataFrame, delivery: pd.DataFrame, contracts: pd.DataFrame, as_of
) -> pd.DataFrame:
    """Month by month, for a chart: contract_id, measure, period, delivered, cumulative
    (delivered so far) and pro_rata (where an even pace would be), from each contract's
    first month up to `as_of` or its end."""
    plan = _commitments(commitments, contracts, as_of)
    counts = plan["elapsed_months"].to_numpy()
    rows = np.repeat(np.arange(len(plan)), counts)
    step = np.arange(len(rows)) - np.repeat(np.cumsum(counts) - counts, counts) + 1
    grid = pd.DataFrame(
        {
            "contract_id": plan["contract_id"].to_numpy()[rows],
            "measure": plan["measure"].to_numpy()[rows],
            "month": plan["first_month"].to_numpy()[rows] + step - 1,
            "pro_rata": (plan["committed_total"].to_numpy()[rows] * step / plan["term_months"].to_numpy()[rows]),
        }
    )
    monthly = _delivery(delivery).groupby(["contract_id", "measure", "month"], as_index=False)["delivered"].sum()
    out = grid.merge(monthly, on=["contract_id", "measure", "month"], how="left")
    out["delivered"] = out["delivered"].fillna(0.0)
    out = out.sort_values(["contract_id", "measure", "month"], kind="stable").reset_index(drop=True)
    out["cumulative"] = out.groupby(["contract_id", "measure"])["delivered"].cumsum()
    out["period"] = pd.Series([month_label(m) for m in out["month"]], index=out.index, dtype="str")
    return out[["contract_id", "measure", "period", "delivered", "cumulative", "pro_rata"]]


def social_value_table(progress: pd.DataFrame) -> pd.DataFrame:
    """Social-value progress (from `social_value_progress`) in the learner's words: plain measure names,
    amounts with their units (people whole, money in EUR), what being on track needs by now, and the status."""
    rows = []
    for r in progress.itertuples(index=False):
        unit = r.unit if isinstance(r.unit, str) else ""
        delivered = amount(r.delivered_to_date, unit)
        if r.whole and r.delivered_reported != r.delivered_to_date:
            delivered += f" ({r.delivered_reported:g} reported, rounded down)"
        started = r.elapsed_months > 0
        rows.append(
            {
                "contract": r.contract_id,
                "measure": measure_name(r.measure),
                "committed": amount(r.committed_total, unit),
                "delivered so far": delivered,
                "on track needs at least": amount(r.needed_now, unit) if started else "-",
                "status": ("on track" if r.on_track else "behind") if started else "not started",
                "at this pace by the end": amount(r.forecast_at_end, unit) if started else "unknown (not started)",
            }
        )
    columns = [
        "contract",
        "measure",
        "committed",
        "delivered so far",
        "on track needs at least",
        "status",
        "at this pace by the end",
    ]
    return pd.DataFrame(rows, columns=columns)
