"""Social value: what the supplier committed to over the contract, what it has delivered so far,
and whether it is on course.

Bidders commit to quantities of social-value measures (local hires, apprenticeships,
training hours, local subcontract spend, CO₂ saved; the UK National TOMs, domain brief
§4.7) and report delivery against those same measures. Here delivery is monthly.

Two simple yardsticks (course design):
- the pro-rata path: by month m of a T-month contract, m/T of the commitment should be
  delivered (an even pace; real delivery is often lumpy, e.g. apprenticeships start in
  September, so "behind the path" is a prompt to ask, not a breach);
- the run-rate forecast: if delivery goes on at its average pace so far, the total at the
  end is delivered_to_date / elapsed months × term months.

A measure counts as *behind* only when delivery is more than a tolerance below the path
(default 10 %, course design): with small whole numbers, 1 hire against a path of 1.08 is
rounding, not a problem worth an alert.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.core.content import by_id
from helpers.core.errors import LearnerError
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
    term_months and behind_below (the delivery below which the measure counts as behind).
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
    out["delivered_to_date"] = out["delivered_to_date"].fillna(0.0)
    out["pro_rata_target"] = out["committed_total"] * out["elapsed_months"] / out["term_months"]
    out["behind_below"] = out["pro_rata_target"] * floor
    margin = _RELATIVE_EPS * np.maximum(1.0, out["behind_below"].abs())
    out["on_track"] = out["delivered_to_date"] >= out["behind_below"] - margin
    elapsed = out["elapsed_months"].where(out["elapsed_months"] > 0)
    out["forecast_at_end"] = out["delivered_to_date"] / elapsed * out["term_months"]
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
