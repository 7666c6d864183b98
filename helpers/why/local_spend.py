"""The "more local spend" estimator: how much more money stays in the local economy
when more of a city's spend goes to local suppliers.

It follows the Local Multiplier 3 (LM3) of the New Economics Foundation, in three
rounds of spending: round 1 is the total spend, round 2 the part paid to local
suppliers, round 3 what those suppliers re-spend locally.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from helpers.core.errors import LearnerError
from helpers.core.fmt import number
from helpers.learning.registry import self_check
from helpers.ui import theme
from helpers.ui.charts import chart_with_summary

BEFORE_COLOUR = theme.OKABE_ITO["sky_blue"]  # the bars of today's local share
AFTER_COLOUR = theme.OKABE_ITO["blue"]  # the bars after the shift

# The estimator's parameters (module-level defaults of `local_spend_estimate`, so they stay in code);
# the Northumberland study is also in the scale facts (`course/content/why_scale_facts.yaml`).
LM3_SOURCE = "https://archive.urbact.eu/node/12306"
RESPEND_RATE_WORKED_EXAMPLE = 0.40  # course design: the course's LM3 worked example
RESPEND_RATE_NORTHUMBERLAND_LOCAL = 0.76  # verified: local suppliers, Northumberland 2005
RESPEND_RATE_NORTHUMBERLAND_NON_LOCAL = 0.36  # verified: non-local suppliers, same study


@dataclass(frozen=True)
class LocalSpendEstimate:
    """Three LM3 rounds before and after a shift of spend to local suppliers.

    Round 1 is the total spend, round 2 the part paid to local suppliers, round 3
    what those local suppliers re-spend locally. Money is in the learner's currency.
    """

    total_spend: float
    local_share_before: float  # percent, 0-100
    local_share_after: float  # percent, 0-100
    respend_rate: float  # fraction, 0-1
    rounds_before: tuple[float, float, float]
    rounds_after: tuple[float, float, float]
    currency: str = "€"

    @property
    def lm3_before(self) -> float:
        return sum(self.rounds_before) / self.rounds_before[0]

    @property
    def lm3_after(self) -> float:
        return sum(self.rounds_after) / self.rounds_after[0]

    @property
    def extra_paid_locally(self) -> float:
        """Change in round 2: more money paid directly to local suppliers."""
        return self.rounds_after[1] - self.rounds_before[1]

    @property
    def extra_respent_locally(self) -> float:
        """Change in round 3: more money re-spent locally by those suppliers."""
        return self.rounds_after[2] - self.rounds_before[2]

    @property
    def extra_local_money(self) -> float:
        """Extra money circulating locally per year: change in round 2 plus change in round 3."""
        return self.extra_paid_locally + self.extra_respent_locally

    def table(self) -> pd.DataFrame:
        """Rounds, LM3 and the change, before and after, as a small table."""
        names = [
            "Round 1: total spend",
            "Round 2: paid to local suppliers",
            "Round 3: re-spent locally by them",
            "LM3 = (R1 + R2 + R3) / R1",
        ]
        before = [*self.rounds_before, self.lm3_before]
        after = [*self.rounds_after, self.lm3_after]
        return pd.DataFrame(
            {"measure": names, "before": before, "after": after, "change": [a - b for a, b in zip(after, before)]}
        )

    def explanation(self) -> str:
        """The estimate in plain words, with the arithmetic shown."""
        c = self.currency
        r1, r2, r3 = self.rounds_before
        a1, a2, a3 = self.rounds_after
        rate = f"{self.respend_rate:.0%}"
        return (
            f"Today {self.local_share_before:g}% of {c}{number(r1)} goes to local suppliers "
            f"({c}{number(r2)}), and they re-spend {rate} of it locally ({c}{number(r3)}): "
            f"LM3 = ({number(r1)} + {number(r2)} + {number(r3)}) / {number(r1)} = {self.lm3_before:.2f}. "
            f"At {self.local_share_after:g}%: {c}{number(a2)} to local suppliers, {c}{number(a3)} re-spent, "
            f"LM3 = {self.lm3_after:.2f}. Extra money circulating locally each year: "
            f"{c}{number(self.extra_paid_locally)} paid directly + {c}{number(self.extra_respent_locally)} "
            f"re-spent = {c}{number(self.extra_local_money)}. "
            "The model counts only local suppliers' re-spend; if non-local suppliers also re-spend some "
            "money in the area, both LM3 values are higher and the gain from the shift is smaller."
        )


def _as_number(value, what: str) -> float:
    if isinstance(value, bool):
        raise LearnerError(f"{what} must be a number, not {value!r}")
    try:
        parsed = float(value)
    except (TypeError, ValueError):
        raise LearnerError(f"{what} must be a number, not {value!r}", fix="Type digits only, e.g. 40") from None
    if not math.isfinite(parsed):
        raise LearnerError(f"{what} must be a finite number, not {value!r}")
    return parsed


def lm3_rounds(total_spend: float, local_share: float, respend_rate: float) -> tuple[float, float, float]:
    """Round 1 = total; round 2 = local share × total; round 3 = re-spend rate × round 2."""
    round2 = total_spend * local_share / 100
    return (total_spend, round2, respend_rate * round2)


def local_spend_estimate(
    total_spend: float,
    local_share: float,
    extra_local_pts: float,
    respend_rate: float = RESPEND_RATE_WORKED_EXAMPLE,
    currency: str = "€",
) -> LocalSpendEstimate:
    """If `extra_local_pts` percentage points more of our spend went to local suppliers,
    how much more money would circulate locally each year?

    `total_spend` > 0 (a year's spend); `local_share` and the share after the change are
    percentages 0-100 (`extra_local_pts` may be negative for a fall); `respend_rate` is
    the fraction (0-1) of their income that local suppliers re-spend locally: the default
    0.40 is the course's worked example (course design); Northumberland measured 0.76 for
    its local suppliers (`RESPEND_RATE_NORTHUMBERLAND_LOCAL`). Example: €10.0m, 40% local,
    40% re-spend gives LM3 1.56; at 60% local, 1.84, and (6.0 + 2.4) - (4.0 + 1.6) = €2.8m more
    circulates. With `respend_rate=0`, the result is Preston's first-round arithmetic:
    £750m × (10% - 5%) = £37.5m, which the source reports rounded as "£37m".
    """
    total = _as_number(total_spend, "The total spend")
    share = _as_number(local_share, "The local share")
    extra = _as_number(extra_local_pts, "The extra local percentage points")
    rate = _as_number(respend_rate, "The re-spend rate")
    if total <= 0:
        raise LearnerError(
            f"the total spend must be more than zero (you gave {total:g})",
            fix="Enter a year's spend, e.g. 10000000 for 10 million",
        )
    if not 0 <= share <= 100:
        raise LearnerError(f"the local share is a percentage between 0 and 100 (you gave {share:g})")
    after = share + extra
    if not 0 <= after <= 100:
        raise LearnerError(
            f"{share:g}% plus {extra:g} points gives {after:g}%, outside 0 to 100",
            fix="Choose fewer extra percentage points",
        )
    if not 0 <= rate <= 1:
        raise LearnerError(
            f"the re-spend rate is a fraction between 0 and 1 (you gave {rate:g})", fix="For 40% enter 0.40"
        )
    return LocalSpendEstimate(
        total, share, after, rate, lm3_rounds(total, share, rate), lm3_rounds(total, after, rate), currency
    )


def estimator_figure(result: LocalSpendEstimate) -> go.Figure:
    """Bars of the three rounds, before and after the shift, with LM3 in the title."""
    rounds = ["Round 1<br>total spend", "Round 2<br>paid to local suppliers", "Round 3<br>re-spent locally"]
    c = result.currency
    fig = go.Figure()
    for name, values, colour in (
        (f"now ({result.local_share_before:g}% local)", result.rounds_before, BEFORE_COLOUR),
        (f"after ({result.local_share_after:g}% local)", result.rounds_after, AFTER_COLOUR),
    ):
        fig.add_bar(
            x=rounds,
            y=list(values),
            name=name,
            marker_color=colour,
            text=[f"{c}{number(v)}" for v in values],
            textposition="outside",
        )
    fig.update_layout(
        barmode="group",
        yaxis_title=f"money ({c})",
        legend_title="local share",
        title=(
            f"LM3 {result.lm3_before:.2f} → {result.lm3_after:.2f}: "
            f"{c}{number(result.extra_local_money)} more circulating locally each year"
        ),
        height=450,
        margin={"t": 60},
    )
    return chart_with_summary(
        fig,
        f"Money in each round now and after the shift: total spend {c}{number(result.total_spend)}; paid to local "
        f"suppliers {c}{number(result.rounds_before[1])} now, {c}{number(result.rounds_after[1])} after; re-spent "
        f"locally {c}{number(result.rounds_before[2])} now, {c}{number(result.rounds_after[2])} after "
        f"(LM3 {result.lm3_before:.2f} → {result.lm3_after:.2f}).",
    )


# -- self-check computations (the quiz engine calls only these) ----------------------------------
@self_check("lm3")
def lm3_for(total_spend: float, local_share: float, respend_rate: float) -> float:
    """LM3 of one scenario, rounded to 4 decimals (for a numeric self-check)."""
    return round(local_spend_estimate(total_spend, local_share, 0, respend_rate).lm3_before, 4)


@self_check("extra-local-money")
def extra_local_money_for(total_spend: float, local_share: float, extra_local_pts: float, respend_rate: float) -> float:
    """Extra money circulating locally for one scenario, in the units of `total_spend`."""
    result = local_spend_estimate(total_spend, local_share, extra_local_pts, respend_rate)
    return round(result.extra_local_money, 6)
