"""Local Multiplier 3 (LM3): how much local economic activity each unit of spend creates.

NEF's LM3 (brief §2.3) follows money over three rounds:
- round 1: the total spent;
- round 2: the part of it received by suppliers and staff based in the local area;
- round 3: the part of round 2 those local suppliers and staff re-spend locally
  (measured with a supplier survey);

and LM3 = (round 1 + round 2 + round 3) / round 1.

Worked example (brief §2.3, course design, in course/content/spend_lm3_worked_example.yaml;
arithmetic checked in the tests): €10.0m spent, €4.0m with local suppliers, who
re-spend 40% locally, so round 3 is €1.6m and LM3 = 1.56; with 60% local spend LM3 = 1.84.

`local_multiplier_3` is the formula (also reachable as `lm3.lm3`, its old name).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from helpers.core.content import by_id
from helpers.core.errors import LearnerError
from helpers.core.fmt import money, pct
from helpers.spend.shares import headline_shares

NORTHUMBERLAND_KEYS = (
    "local_respend",
    "nonlocal_respend",
    "per_pound_local",
    "per_pound_nonlocal",
    "shift",
    "shift_gain_gbp",
    "published",
    "explanation",
    "sources",
)


@dataclass(frozen=True)
class LM3Result:
    """The three rounds, the multiplier, and how round 3 was estimated."""

    round1: float
    round2: float
    round3: float
    lm3: float
    respend_rate: float  # round 3 / round 2: the spend-weighted local re-spend rate
    survey_coverage: float  # share of round 2 covered by survey answers (0 without a survey)
    note: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


def _check_rate(rate: float, what: str) -> float:
    value = float(rate)
    if not 0.0 <= value <= 1.0 or np.isnan(value):
        raise LearnerError(f"the {what} must be a share between 0 and 1 (got {rate})", fix="Write 40% as 0.40")
    return value


def local_multiplier_3(round1: float, round2: float, round3: float) -> float:
    """LM3 = (round 1 + round 2 + round 3) / round 1.

    Round 2 cannot exceed round 1 (local spend is part of the total) and round 3
    cannot exceed round 2 (suppliers re-spend part of what they received).
    """
    r1, r2, r3 = float(round1), float(round2), float(round3)
    if not r1 > 0:
        raise LearnerError(f"round 1 (the total spent) must be more than zero (got {round1})")
    if r2 < 0 or r3 < 0:
        raise LearnerError("rounds 2 and 3 cannot be negative")
    if r2 > r1:
        raise LearnerError(
            f"round 2 ({money(r2, None)}) is more than round 1 ({money(r1, None)})",
            fix="Round 2 is the part of the total spent locally, so it cannot exceed the total",
        )
    if r3 > r2:
        raise LearnerError(
            f"round 3 ({money(r3, None)}) is more than round 2 ({money(r2, None)})",
            fix="Round 3 is the part of round 2 that local suppliers re-spend locally",
        )
    return (r1 + r2 + r3) / r1


lm3 = local_multiplier_3  # the formula's old name: `from helpers.spend import lm3; lm3.lm3(10, 4, 1.6)`


def worked_example() -> dict:
    """The course's LM3 worked example (course/content/spend_lm3_worked_example.yaml): total, local spend,
    re-spend rate and the LM3 they give (course design, brief §2.3)."""
    return by_id("spend_lm3_worked_example")["worked-example"]


def default_respend_rate() -> float:
    """The re-spend rate a what-if starts from: the worked example's 40% (course design, brief §2.3)."""
    return float(worked_example()["respend_rate"])


def _local_amounts(local_spend: pd.DataFrame | pd.Series, key: str) -> pd.Series:
    """Local spend summed per supplier group or category."""
    if isinstance(local_spend, pd.Series):
        return local_spend.astype("float64").groupby(level=0).sum()
    if key not in local_spend or "amount" not in local_spend:
        raise LearnerError(
            f"the local spend table needs the columns {key} and amount",
            fix="Pass the local payments (or spend per supplier group / category)",
        )
    return local_spend.groupby(local_spend[key].astype("str"))["amount"].sum()


def lm3_from_analysis(
    total: float,
    local_spend: float | pd.DataFrame | pd.Series,
    respend_rate: float | None = None,
    survey: pd.DataFrame | None = None,
) -> LM3Result:
    """LM3 from a spend analysis (rounds 1–2) and a re-spend rate or a supplier survey (round 3).

    Without a survey, round 3 = `respend_rate` × local spend. With a survey
    (columns `supplier_group` or `category`, and `respend_share` 0–1), pass the
    local spend broken down by the same key (the local payments, or a Series of
    spend per key): each surveyed key's spend is multiplied by its own re-spend
    share. Local spend nobody answered for gets `respend_rate` if given, else the
    spend-weighted average of the answers (course design: the usual extrapolation
    from a sample; the result says how much of round 2 the survey covered).
    """
    r1 = float(total)
    if survey is None:
        if respend_rate is None:
            raise LearnerError("give a re-spend rate or a supplier survey to estimate round 3")
        rate = _check_rate(respend_rate, "re-spend rate")
        r2 = float(
            local_spend.sum()
            if isinstance(local_spend, pd.Series)
            else local_spend["amount"].sum()
            if isinstance(local_spend, pd.DataFrame)
            else local_spend
        )
        r3 = r2 * rate
        return LM3Result(r1, r2, r3, local_multiplier_3(r1, r2, r3), rate, 0.0, "round 3 = re-spend rate × local spend")
    key = "supplier_group" if "supplier_group" in survey else "category" if "category" in survey else None
    if key is None or "respend_share" not in survey:
        raise LearnerError(
            "the supplier survey needs a supplier_group or category column and respend_share",
            fix="One row per supplier group (or category) with its local re-spend share, 0 to 1",
        )
    if isinstance(local_spend, (int, float)):
        raise LearnerError(
            "with a survey, pass the local spend per supplier group or category, not one number",
            fix="Pass the local payments table, e.g. p[p['level'] == 'city']",
        )
    shares = pd.to_numeric(survey["respend_share"], errors="coerce")
    bad = survey.index[shares.isna() | (shares < 0) | (shares > 1)]
    if len(bad):
        raise LearnerError(
            "a re-spend share is missing or not between 0 and 1",
            file="supplier survey",
            row=int(bad[0]) + 2,
            fix="Write 40% as 0.40",
        )
    answers = shares.groupby(survey[key].astype("str")).mean()
    amounts = _local_amounts(local_spend, key)
    r2 = float(amounts.sum())
    answered = amounts.index.isin(answers.index)
    covered = float(amounts[answered].sum())
    r3_surveyed = float((amounts[answered] * answers.reindex(amounts.index[answered])).sum())
    if respend_rate is not None:
        fill = _check_rate(respend_rate, "re-spend rate")
        note = f"unsurveyed local spend at the given rate {pct(fill, decimals=0)}"
    else:
        fill = r3_surveyed / covered if covered else 0.0
        note = "unsurveyed local spend at the survey's spend-weighted average"
    r3 = r3_surveyed + (r2 - covered) * fill
    rate = r3 / r2 if r2 else 0.0
    return LM3Result(r1, r2, r3, local_multiplier_3(r1, r2, r3), rate, covered / r2 if r2 else 0.0, note)


def lm3_scenario(total: float, local_share: float, respend_rate: float) -> LM3Result:
    """LM3 if `local_share` of `total` went to local suppliers who re-spend `respend_rate` locally."""
    share = _check_rate(local_share, "local share")
    rate = _check_rate(respend_rate, "re-spend rate")
    r1 = float(total)
    r2 = r1 * share
    r3 = r2 * rate
    return LM3Result(r1, r2, r3, local_multiplier_3(r1, r2, r3), rate, 0.0, "scenario")


def northumberland_explainer() -> dict:
    """The best-known LM3 figures (Northumberland County Council with NEF, 2005) and how to read them."""
    figures = by_id("spend_lm3_northumberland")["northumberland-2005"]
    return {key: list(figures[key]) if key == "sources" else figures[key] for key in NORTHUMBERLAND_KEYS}


def what_if_shift(
    p: pd.DataFrame,
    shift_pct: float,
    categories_with_local_suppliers: Iterable[str] | None,
    respend_rate: float,
    local_levels: Iterable[str] = ("city",),
    category_col: str = "category",
) -> tuple[float, float]:
    """(new local share, new LM3) if `shift_pct` percent of non-local spend moved to local suppliers.

    Only spend in categories where local suppliers exist can move
    (`categories_with_local_suppliers`; None = every category that already has
    positive local spend). Course design: only spend with suppliers KNOWN to be
    non-local moves (unknown locations stay put), and a category's net non-local
    spend below zero counts as zero. `shift_pct` is in percent: 10 means 10%.
    """
    for col in ("amount", "level", category_col):
        if col not in p:
            raise LearnerError(
                f"the payments table has no column '{col}'",
                fix="Enrich the payments first (helpers.spend.enrich.place_payments)",
            )
    percent = float(shift_pct)
    if not 0.0 <= percent <= 100.0:
        raise LearnerError(f"the shift must be a percentage between 0 and 100 (got {shift_pct})")
    rate = _check_rate(respend_rate, "re-spend rate")
    local_levels = tuple(local_levels)
    total = float(p["amount"].sum())
    if not total > 0:
        raise LearnerError("there is no spend to shift (total is zero or negative)")
    is_local = p["level"].isin(local_levels)
    known_nonlocal = ~is_local & p["level"].notna() & (p["level"] != "unknown")
    category = p[category_col].astype("str").fillna("unknown")
    if categories_with_local_suppliers is None:
        local_by_cat = p.loc[is_local].groupby(category[is_local])["amount"].sum()
        eligible = set(local_by_cat[local_by_cat > 0].index)
    else:
        eligible = {str(c) for c in categories_with_local_suppliers}
    movable = (
        p.loc[known_nonlocal & category.isin(eligible)]
        .groupby(category[known_nonlocal & category.isin(eligible)])["amount"]
        .sum()
        .clip(lower=0)
        .sum()
    )
    new_local = float(p.loc[is_local, "amount"].sum()) + percent / 100.0 * float(movable)
    new_share = new_local / total
    return new_share, lm3_scenario(total, min(max(new_share, 0.0), 1.0), rate).lm3


def what_if(
    table: pd.DataFrame,
    head: dict,
    local_levels: Iterable[str],
    shift_pct: float,
    respend_rate: float,
) -> dict:
    """The workbench's what-if on a selection: `what_if_shift` on its payments (or cube rows, `table`)
    with its headline `head`; the city share and LM3 before and after, and a sentence saying them.

    When the city share is unknown (no supplier location in the selection) or there is no spend,
    the figures are None and the sentence says why and what to add: an unknown share moved by 10%
    is still unknown, never "0.0% to 0.0%, LM3 1.00 to 1.00".
    """
    rate = _check_rate(respend_rate, "re-spend rate")
    city = headline_shares(head)["local_share_city"]
    unknown = {"share_before": None, "share_after": None, "lm3_before": None, "lm3_after": None}
    if not city.known:
        return {
            **unknown,
            "sentence": f"The what-if cannot be worked out for this selection: the share spent in the city is "
            f"unknown, because {city.reason}. To use it, add {city.what_to_add}.",
        }
    if not head["total"] > 0:
        return {**unknown, "sentence": "The what-if needs spend above zero in the selection: widen the filters."}
    new_share, new_lm3 = what_if_shift(table, shift_pct, None, rate, local_levels=tuple(local_levels))
    before = lm3_scenario(head["total"], max(0.0, min(1.0, city.value)), rate).lm3
    sentence = (
        f"If {float(shift_pct):.0f}% of the spend with suppliers known to be outside the city, in categories "
        f"where city suppliers already work, moved to city suppliers, the city share would go from "
        f"{pct(city.value)} to {pct(new_share)}, and LM3 (with city suppliers re-spending "
        f"{pct(rate, decimals=0)} locally) from {before:.2f} to {new_lm3:.2f}."
    )
    if city.large_unknown:
        sentence += (
            f" The supplier location is unknown for {pct(city.unknown_share)} of this spend: that spend is "
            f"neither moved nor counted as in the city, so both shares are floors."
        )
    return {
        "share_before": city.value,
        "share_after": new_share,
        "lm3_before": before,
        "lm3_after": new_lm3,
        "sentence": sentence,
    }


def lm3_summary(head: dict, respend_rate: float, label: str) -> str:
    """LM3 of a spend analysis's headline with one re-spend rate, in a sentence; "unknown" with the reason
    and what to add when the share spent in the city is unknown (an LM3 of 1.00 would read as "no local
    spend at all")."""
    rate = _check_rate(respend_rate, "re-spend rate")
    city = headline_shares(head)["local_share_city"]
    if not city.known or not head["total"] > 0:
        return f"LM3 for {label}: unknown, because {city.reason}. To know it, add {city.what_to_add}."
    result = lm3_scenario(head["total"], max(0.0, min(1.0, city.value)), rate)
    floor = " (a floor: the location is unknown for part of the spend)" if city.large_unknown else ""
    return (
        f"LM3 for {label}: {result.lm3:.2f}{floor}, with {city.text()} of spend in the city and city suppliers "
        f"re-spending {pct(rate, decimals=0)} locally."
    )
