"""Module 1, "Why procurement matters": the scale of public buying, the cycle of
procurement, Preston's story, and an estimator of how much more money stays in
the local economy when more of a city's spend goes to local suppliers.

Every figure carries its source and whether it was checked in that source
(`verified`) or not (`unverified`). The estimator follows the Local Multiplier 3
(LM3) of the New Economics Foundation, in three rounds of spending.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import pandas as pd

from helpers.core.errors import LearnerError
from helpers.learning.registry import self_check

# -- the scale of public buying ----------------------------------------------------------
_URBACT_COURSE = "https://urbact.eu/articles/buying-better-future"
_URBACT_FIRST_RUN = "https://urbact.eu/articles/urbacts-strategic-procurement-knowledge-click-button"
_URBACT_GRPP = "https://urbact.eu/whats-new/news/public-procurement-course"
_PRESTON_2013 = ("https://www.publicsectorexecutive.com/Public-Sector-News/"
                 "anchor-institutions-using-spending-clout-to-boost-local-economy")
_PRESTON_2017 = ("https://cles.org.uk/community-wealth-building-in-practice/community-wealth-building-places/"
                 "community-wealth-building-in-preston/")
_PRESTON_COUNCIL = "https://preston.gov.uk/article/1338/Community-Wealth-Building-in-action"
_PRESTON_MODEL = "https://www.prestonpartnership.org/key-projects/the-preston-model/"
_NORTHUMBERLAND = "https://sustainablehackney.org.uk/page/buying-local-worth-400-more"

SCALE_FACTS: list[dict[str, str]] = [
    {"fact": "Share of EU GDP that public buyers spend each year",
     "figure": "about 14% (a 2021 Commission press release says 'over 14%')",
     "source_url": "https://futurium.ec.europa.eu/urban-agenda/public-procurement/library/public-feedback-"
                   "summary-italian-risultati-pubblici-del-piano-di-intervento-sviluppato-dalla?language=it",
     "status": "verified"},
    {"fact": "Public authorities in the EU that buy goods, services and works", "figure": "over 250,000",
     "source_url": "https://archive.urbact.eu/html-20220603052649-Urbact-Gender-Equal-Cities/"
                   "27-Urbact-Gender-Equal-Cities.html",
     "status": "verified"},
    {"fact": "URBACT's free online course on strategic procurement: videos", "figure":
     "14 (7 learning modules plus matching city case studies)", "source_url": _URBACT_COURSE,
     "status": "verified"},
    {"fact": "The course's first run (March 2021, three weeks): registered participants",
     "figure": "600+ from 40+ countries and 150 cities", "source_url": _URBACT_FIRST_RUN,
     "status": "verified"},
    {"fact": "Gender-responsive procurement modules added with EIGE in 2022", "figure": "4",
     "source_url": _URBACT_GRPP, "status": "verified"},
    {"fact": "Preston's six anchor institutions: yearly spend on goods and services (2012/13)",
     "figure": "£750m, of which 5% with Preston-based organisations", "source_url": _PRESTON_2013,
     "status": "verified"},
    {"fact": "Share of that spend retained in Preston by 2016/17", "figure": "18.2% (+£74m a year)",
     "source_url": _PRESTON_2017, "status": "verified"},
    {"fact": "Northumberland: what £1 spent with a local supplier is worth to the county",
     "figure": "£1.76 (local suppliers re-spent 76% locally; non-local 36%)",
     "source_url": _NORTHUMBERLAND, "status": "verified"},
]


def scale_facts_table() -> pd.DataFrame:
    """The scale facts as a table (fact, figure, source, status) to show or export."""
    return pd.DataFrame(SCALE_FACTS, columns=["fact", "figure", "source_url", "status"])


# -- the cycle of procurement --------------------------------------------------------------
CYCLE_SOURCE = "https://urbact.eu/toolbox-home/embedding-gender-equality-public-procurement-34"

# The stage names are URBACT's (GRPP module 3/4); which course module covers each stage is
# course design. Module 2 (the EU rules) frames every stage, so it is not tied to one.
PROCUREMENT_CYCLE: list[dict] = [
    {"stage": "Identifying outcomes", "modules": ["01", "04"],
     "what": "decide what the city wants its spending to achieve (jobs, skills, carbon)"},
    {"stage": "Spend analysis", "modules": ["03"],
     "what": "find out where the money goes: places, sectors, kinds of business"},
    {"stage": "Commissioning", "modules": ["04", "05"],
     "what": "design the service, talk to the market, decide on lots"},
    {"stage": "Tendering", "modules": ["06"],
     "what": "write the criteria and run the procedure"},
    {"stage": "Decision-making", "modules": ["06"],
     "what": "evaluate the tenders and award the contract"},
    {"stage": "Monitoring", "modules": ["07"],
     "what": "check that the contract and its social value are delivered"},
]


def cycle_table() -> pd.DataFrame:
    """The stages in order, with the course modules that cover each (course design)."""
    return pd.DataFrame([{"step": i + 1, "stage": s["stage"], "course modules": ", ".join(s["modules"]),
                          "what happens": s["what"]} for i, s in enumerate(PROCUREMENT_CYCLE)])


def cycle_figure():
    """The cycle drawn as a circle of labelled stages, clockwise from the top, with arrows."""
    import plotly.graph_objects as go

    count = len(PROCUREMENT_CYCLE)
    angles = [math.pi / 2 - 2 * math.pi * i / count for i in range(count)]
    xs = [math.cos(a) for a in angles]
    ys = [math.sin(a) for a in angles]
    labels = [f"<b>{i + 1}. {s['stage']}</b><br>module {' & '.join(s['modules'])}"
              for i, s in enumerate(PROCUREMENT_CYCLE)]
    fig = go.Figure(go.Scatter(
        x=xs, y=ys, mode="markers+text", text=labels, textposition="middle center",
        marker={"size": 120, "color": "#dbe8f7", "line": {"color": "#1a4b9c", "width": 2}},
        hovertext=[s["what"] for s in PROCUREMENT_CYCLE], hoverinfo="text", showlegend=False))
    for i in range(count):
        j = (i + 1) % count
        # Arrows between neighbouring stages, shortened so they do not hide the labels.
        start = (xs[i] + 0.3 * (xs[j] - xs[i]), ys[i] + 0.3 * (ys[j] - ys[i]))
        end = (xs[i] + 0.7 * (xs[j] - xs[i]), ys[i] + 0.7 * (ys[j] - ys[i]))
        fig.add_annotation(x=end[0], y=end[1], ax=start[0], ay=start[1], xref="x", yref="y",
                           axref="x", ayref="y", showarrow=True, arrowhead=3, arrowsize=1.5,
                           arrowwidth=2, arrowcolor="#1a4b9c", text="")
    fig.add_annotation(x=0, y=0, text="The cycle of<br>procurement", showarrow=False,
                       font={"size": 16})
    fig.update_layout(title="The procurement cycle and the course modules (stages: URBACT)",
                      xaxis={"visible": False, "range": [-1.6, 1.6]},
                      yaxis={"visible": False, "range": [-1.4, 1.4], "scaleanchor": "x"},
                      height=520, margin={"l": 10, "r": 10, "t": 50, "b": 10},
                      plot_bgcolor="white")
    return fig


# -- Preston -------------------------------------------------------------------------------
PRESTON_STORY: dict = {
    "anchors_spend_2012_13_gbp": 750_000_000,
    "preston_share_2012_13_pct": 5.0,
    "preston_spend_2012_13_gbp": 38_000_000,       # "about £38m" in the source
    "lancashire_share_2012_13_pct": 39.0,
    "leaked_out_of_lancashire_2012_13_gbp": 458_000_000,
    "preston_share_2016_17_pct": 18.2,
    "lancashire_share_2016_17_pct": 79.2,
    "preston_increase_gbp": 74_000_000,
    "lancashire_increase_gbp": 200_000_000,
    "preston_retained_later_gbp": 112_000_000,
    "extra_if_preston_share_10pct_gbp_reported": 37_000_000,  # the source rounds £37.5m down
    "sources": {"2012/13": _PRESTON_2013, "2016/17": _PRESTON_2017, "council": _PRESTON_COUNCIL,
                "later": _PRESTON_MODEL},
}


def preston_table() -> pd.DataFrame:
    """Preston's anchor institutions, 2012/13 against 2016/17, each row with its source."""
    rows = [
        ("Yearly spend of the six anchors on goods and services", "£750m", "not reported", _PRESTON_2013),
        ("Share spent with Preston-based organisations", "5%", "18.2%", f"{_PRESTON_2013} ; {_PRESTON_2017}"),
        ("Share spent with Lancashire-based organisations", "39%", "79.2%", f"{_PRESTON_2013} ; {_PRESTON_2017}"),
        ("Spend retained in Preston", "about £38m", "£112m (+£74m)", f"{_PRESTON_2013} ; {_PRESTON_MODEL}"),
        ("Change in spend retained in Lancashire", "(baseline)", "+£200m", _PRESTON_2017),
        ("Spend leaking out of Lancashire", "£458m", "not reported", _PRESTON_2013),
    ]
    return pd.DataFrame(rows, columns=["measure", "2012/13", "2016/17", "source"])


# -- the "more local spend" estimator (LM3) ------------------------------------------------------
LM3_SOURCE = "https://archive.urbact.eu/node/12306"
RESPEND_RATE_WORKED_EXAMPLE = 0.40   # course design: the brief's worked example
RESPEND_RATE_NORTHUMBERLAND_LOCAL = 0.76     # verified: local suppliers, Northumberland 2005
RESPEND_RATE_NORTHUMBERLAND_NON_LOCAL = 0.36  # verified: non-local suppliers, same study


@dataclass(frozen=True)
class LocalSpendEstimate:
    """Three LM3 rounds before and after a shift of spend to local suppliers.

    Round 1 is the total spend, round 2 the part paid to local suppliers, round 3
    what those local suppliers re-spend locally. Money is in the learner's currency.
    """

    total_spend: float
    local_share_before: float    # percent, 0-100
    local_share_after: float     # percent, 0-100
    respend_rate: float          # fraction, 0-1
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
        names = ["Round 1: total spend", "Round 2: paid to local suppliers",
                 "Round 3: re-spent locally by them", "LM3 = (R1 + R2 + R3) / R1"]
        before = [*self.rounds_before, self.lm3_before]
        after = [*self.rounds_after, self.lm3_after]
        return pd.DataFrame({"measure": names, "before": before, "after": after,
                             "change": [a - b for a, b in zip(after, before)]})

    def explanation(self) -> str:
        """The estimate in plain words, with the arithmetic shown."""
        c = self.currency
        r1, r2, r3 = self.rounds_before
        a1, a2, a3 = self.rounds_after
        rate = f"{self.respend_rate:.0%}"
        return (
            f"Today {self.local_share_before:g}% of {c}{_money(r1)} goes to local suppliers "
            f"({c}{_money(r2)}), and they re-spend {rate} of it locally ({c}{_money(r3)}): "
            f"LM3 = ({_money(r1)} + {_money(r2)} + {_money(r3)}) / {_money(r1)} = {self.lm3_before:.2f}. "
            f"At {self.local_share_after:g}%: {c}{_money(a2)} to local suppliers, {c}{_money(a3)} re-spent, "
            f"LM3 = {self.lm3_after:.2f}. Extra money circulating locally each year: "
            f"{c}{_money(self.extra_paid_locally)} paid directly + {c}{_money(self.extra_respent_locally)} "
            f"re-spent = {c}{_money(self.extra_local_money)}. "
            "The model counts only local suppliers' re-spend; if non-local suppliers also re-spend some "
            "money in the area, both LM3 values are higher and the gain from the shift is smaller."
        )


def _money(value: float) -> str:
    """1.6 → '1.6', 2_800_000 → '2,800,000', 37_500_000.0 → '37,500,000'."""
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _number(value, what: str) -> float:
    if isinstance(value, bool):
        raise LearnerError(f"{what} must be a number, not {value!r}")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise LearnerError(f"{what} must be a number, not {value!r}", fix="Type digits only, e.g. 40") from None
    if not math.isfinite(number):
        raise LearnerError(f"{what} must be a finite number, not {value!r}")
    return number


def lm3_rounds(total_spend: float, local_share: float, respend_rate: float) -> tuple[float, float, float]:
    """Round 1 = total; round 2 = local share × total; round 3 = re-spend rate × round 2."""
    round2 = total_spend * local_share / 100
    return (total_spend, round2, respend_rate * round2)


def local_spend_estimate(total_spend: float, local_share: float, extra_local_pts: float,
                         respend_rate: float = RESPEND_RATE_WORKED_EXAMPLE,
                         currency: str = "€") -> LocalSpendEstimate:
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
    total = _number(total_spend, "The total spend")
    share = _number(local_share, "The local share")
    extra = _number(extra_local_pts, "The extra local percentage points")
    rate = _number(respend_rate, "The re-spend rate")
    if total <= 0:
        raise LearnerError(f"the total spend must be more than zero (you gave {total:g})",
                           fix="Enter a year's spend, e.g. 10000000 for 10 million")
    if not 0 <= share <= 100:
        raise LearnerError(f"the local share is a percentage between 0 and 100 (you gave {share:g})")
    after = share + extra
    if not 0 <= after <= 100:
        raise LearnerError(f"{share:g}% plus {extra:g} points gives {after:g}%, outside 0 to 100",
                           fix="Choose fewer extra percentage points")
    if not 0 <= rate <= 1:
        raise LearnerError(f"the re-spend rate is a fraction between 0 and 1 (you gave {rate:g})",
                           fix="For 40% enter 0.40")
    return LocalSpendEstimate(total, share, after, rate, lm3_rounds(total, share, rate),
                              lm3_rounds(total, after, rate), currency)


def preston_check() -> dict:
    """Preston's "5% to 10%" claim, recomputed: £750m × (10% - 5%) = £37.5m a year paid
    to Preston-based organisations (round 2 only). The source reports it rounded as "£37m";
    the difference is rounding, not a different method."""
    result = local_spend_estimate(PRESTON_STORY["anchors_spend_2012_13_gbp"],
                                  PRESTON_STORY["preston_share_2012_13_pct"], 5, respend_rate=0,
                                  currency="£")
    reported = PRESTON_STORY["extra_if_preston_share_10pct_gbp_reported"]
    return {"computed_gbp": result.extra_paid_locally, "reported_gbp": reported,
            "note": (f"£750m × (10% − 5%) = £{_money(result.extra_paid_locally)}; the source reports "
                     f"£{_money(reported)}, i.e. £37.5m rounded. Source: {_PRESTON_2013}")}


def estimator_figure(result: LocalSpendEstimate):
    """Bars of the three rounds, before and after the shift, with LM3 in the title."""
    import plotly.graph_objects as go

    rounds = ["Round 1<br>total spend", "Round 2<br>paid to local suppliers", "Round 3<br>re-spent locally"]
    c = result.currency
    fig = go.Figure()
    for name, values, colour in (
            (f"now ({result.local_share_before:g}% local)", result.rounds_before, "#9db4d3"),
            (f"after ({result.local_share_after:g}% local)", result.rounds_after, "#1a4b9c")):
        fig.add_bar(x=rounds, y=list(values), name=name, marker_color=colour,
                    text=[f"{c}{_money(v)}" for v in values], textposition="outside")
    fig.update_layout(
        barmode="group", yaxis_title=f"money ({c})", legend_title="local share",
        title=(f"LM3 {result.lm3_before:.2f} → {result.lm3_after:.2f}: "
               f"{c}{_money(result.extra_local_money)} more circulating locally each year"),
        height=450, margin={"t": 60})
    return fig


# -- self-check computations (the quiz engine calls only these) ----------------------------------
@self_check("lm3")
def lm3_for(total_spend: float, local_share: float, respend_rate: float) -> float:
    """LM3 of one scenario, rounded to 4 decimals (for a numeric self-check)."""
    return round(local_spend_estimate(total_spend, local_share, 0, respend_rate).lm3_before, 4)


@self_check("extra-local-money")
def extra_local_money_for(total_spend: float, local_share: float, extra_local_pts: float,
                          respend_rate: float) -> float:
    """Extra money circulating locally for one scenario, in the units of `total_spend`."""
    result = local_spend_estimate(total_spend, local_share, extra_local_pts, respend_rate)
    return round(result.extra_local_money, 6)
