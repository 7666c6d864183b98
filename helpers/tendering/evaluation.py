"""Module 6, evaluating tenders: price formulas, quality marks, total scores and
ranks, how the winner depends on the price weight, and abnormally low tenders.

Figures and rules come from the course brief (§4.2–4.4, §4.9): the three price
formulas (relative to the lowest bid, linear between bounds set by the buyer,
logarithmic), quality marks on a 0–5 scale, the OCP Cardinal R058 "heavily
discounted bid" fence and the six Article 69 rules. Screens that are our own
choice are labelled "course design". The scale, the Article 69 steps and the
course-design screens are data in `course/content/tendering_*.yaml`.

Everything is a pure function over pandas objects, so a widget can call it with
the learner's table and show the result.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import pandas as pd

from helpers.core.content import by_id, items
from helpers.core.errors import LearnerError

FORMULAS = ("relative", "linear", "log")
PRICE_RANGE = (0.01, 1e13)  # a bid is at least a cent; above ten trillion is a typing error (as helpers.spend amounts)

RELATIVE_EXPLANATION = (
    "Relative to the lowest bid: the cheapest valid bid gets all the price points and every other bid gets "
    "the same share of them as the lowest price is of its own price (price points = maximum × lowest price ÷ "
    "this price). It is the most common formula, but a bid's points depend on the other bids: a new, very "
    "cheap bid lowers everyone else's price points and can even swap the order of two other bidders "
    "(rank reversal)."
)
LINEAR_EXPLANATION = (
    "Linear between two bounds the buyer sets and publishes in advance: a bid at or below the lower bound "
    "gets all the price points, a bid at or above the upper bound gets none, and points fall in a straight "
    "line in between (price points = maximum × (upper − price) ÷ (upper − lower)). Each bid is scored on "
    "its own, so other bids cannot change its points. Here a bid outside the bounds is clipped to full or "
    "zero points, so no bid scores more than the maximum or below zero (a course-design choice: say in the "
    "tender documents what happens outside the bounds)."
)
LOG_EXPLANATION = (
    "Logarithmic: the lowest bid gets all the price points, a bid A times the lowest price (A, for example "
    "1.5, 2 or 3, is announced in advance) gets zero, and dearer bids get negative points (price points = "
    "maximum × (1 − log(price ÷ lowest) ÷ log A)). The points are not floored at zero on purpose: the "
    "difference between any two bids then depends only on the ratio of their prices, not on the lowest bid, "
    "so a third bid cannot reverse the order of two others."
)
FORMULA_EXPLANATIONS = {"relative": RELATIVE_EXPLANATION, "linear": LINEAR_EXPLANATION, "log": LOG_EXPLANATION}

QUALITY_SCALE: dict[int, str] = {item["id"]: item["descriptor"] for item in items("tendering_quality_scale")}
"""The common 0–5 marking scale with descriptors (brief §4.4, general practice;
course/content/tendering_quality_scale.yaml)."""

ARTICLE_69_STEPS: tuple[str, ...] = tuple(item["text"] for item in items("tendering_article_69_steps"))
"""Article 69 of Directive 2014/24/EU in the course's own words (brief §4.9;
course/content/tendering_article_69_steps.yaml). The Directive sets no numeric trigger: the buyer decides
case by case, but the explanation step cannot be skipped."""

_RULES = by_id("tendering_rules")
EXPLANATION_SCREEN_PCT: float = float(_RULES["explanation_screen_pct"]["value"])
"""Course design (not law): a bid more than this % below the median of the valid bids is put on the
'ask for an explanation' list. The Directive sets no number (brief §4.9)."""
LINEAR_BOUNDS_OF_ESTIMATE: tuple[float, float] = tuple(_RULES["linear_bounds_of_estimate"]["value"])
LINEAR_BOUNDS_OF_PRICES: tuple[float, float] = tuple(_RULES["linear_bounds_of_prices"]["value"])


# ---------------------------------------------------------------- price formulas


def _prices(prices: Iterable[float] | pd.Series, labels: pd.Series | None = None) -> pd.Series:
    """Prices as floats; a missing, non-numeric or non-positive price raises LearnerError naming the bid."""
    series = prices.copy() if isinstance(prices, pd.Series) else pd.Series(list(prices))
    values = pd.to_numeric(series, errors="coerce").astype("float64")
    bad = values.isna() | ~np.isfinite(values) | (values < PRICE_RANGE[0]) | (values > PRICE_RANGE[1])
    if len(values) == 0:
        raise LearnerError("there are no prices to score", fix="Add at least one bid with a price")
    if bad.any():
        first = values.index[bad][0]
        who = labels.loc[first] if labels is not None else first
        raise LearnerError(
            f"the price of bid {who!r} is {series.loc[first]!r}: a price must be a number above 0 "
            f"(from {PRICE_RANGE[0]:g}, a cent, to {PRICE_RANGE[1]:,.0f})",
            fix="Correct the price, or leave the bid out",
        )
    return values


def _max_points(max_points: float) -> float:
    value = float(max_points)
    if not math.isfinite(value) or value < 0:
        raise LearnerError(f"the maximum price points must be 0 or more, not {max_points!r}")
    return value


def price_points_relative(prices, max_points: float) -> pd.Series:
    """Points relative to the lowest bid: max × lowest ÷ price (brief §4.2, formula 1)."""
    values, top = _prices(prices), _max_points(max_points)
    return (top * values.min() / values).rename("price_points")


def price_points_linear(prices, max_points: float, lower: float, upper: float) -> pd.Series:
    """Points falling in a straight line from `lower` (full points) to `upper` (zero), clipped to [0, max]."""
    values, top = _prices(prices), _max_points(max_points)
    lower, upper = float(lower), float(upper)
    if not (math.isfinite(lower) and math.isfinite(upper)) or lower >= upper:
        raise LearnerError(
            f"the lower price bound ({lower:g}) must be below the upper bound ({upper:g})",
            fix="Set the bounds so that MIN < MAX",
        )
    return (top * (upper - values) / (upper - lower)).clip(0.0, top).rename("price_points")


def price_points_log(prices, max_points: float, base: float = 2.0) -> pd.Series:
    """Logarithmic points: max × (1 − log(price ÷ lowest) ÷ log base); negative above base × lowest."""
    values, top = _prices(prices), _max_points(max_points)
    base = float(base)
    if not math.isfinite(base) or base <= 1:
        raise LearnerError(
            f"the log formula's base A must be above 1, not {base:g}",
            fix="Use the value announced in the tender, for example 1.5, 2 or 3",
        )
    # log(price) - log(lowest), not log(price ÷ lowest): the ratio of far-apart prices can overflow to inf.
    return (top * (1 - (np.log(values) - math.log(values.min())) / math.log(base))).rename("price_points")


def price_points(prices, max_points: float, formula: str = "relative", **formula_args) -> pd.Series:
    """Dispatch to one of the formulas by name ('relative', 'linear' needs lower/upper, 'log' takes base)."""
    if formula == "relative":
        return price_points_relative(prices, max_points)
    if formula == "linear":
        if "lower" not in formula_args or "upper" not in formula_args:
            raise LearnerError(
                "the linear formula needs the buyer's lower and upper price bounds",
                fix="Give lower= and upper= (on the command line: --bounds MIN,MAX)",
            )
        return price_points_linear(prices, max_points, formula_args["lower"], formula_args["upper"])
    if formula == "log":
        return price_points_log(prices, max_points, formula_args.get("base", 2.0))
    raise LearnerError(f"unknown price formula {formula!r}", fix="Use one of: " + ", ".join(FORMULAS))


def linear_bounds(bids: pd.DataFrame, estimate: float | None = None) -> tuple[float, float]:
    """Default bounds for the linear formula (course design): 75 % and 125 % of the estimated value,
    or, without an estimate, 80 % of the lowest and 120 % of the highest price, rounded to 1,000."""
    if estimate and estimate > 0:
        low, high = (share * estimate for share in LINEAR_BOUNDS_OF_ESTIMATE)
    else:
        prices = pd.to_numeric(bids["price"], errors="coerce")
        low = LINEAR_BOUNDS_OF_PRICES[0] * float(prices.min())
        high = LINEAR_BOUNDS_OF_PRICES[1] * float(prices.max())
    return float(math.floor(low / 1000) * 1000), float(math.ceil(high / 1000) * 1000)


# ---------------------------------------------------------------- quality


def quality_points(marks: pd.DataFrame) -> pd.DataFrame:
    """Quality points per bidder: Σ mark ÷ 5 × weight, with the maximum and the % of it.

    `marks` has columns bidder (or bidder_name), criterion, weight, mark (0–5).
    """
    table = marks.rename(columns={"bidder_name": "bidder"}) if "bidder" not in marks else marks
    missing = [c for c in ("bidder", "criterion", "weight", "mark") if c not in table]
    if missing:
        raise LearnerError(
            "the marks table has no column " + ", ".join(repr(c) for c in missing),
            fix="Give one row per bidder and criterion with bidder, criterion, weight, mark",
        )
    weight = pd.to_numeric(table["weight"], errors="coerce")
    mark = pd.to_numeric(table["mark"], errors="coerce")
    bad = mark.isna() | (mark < 0) | (mark > 5) | weight.isna() | (weight < 0)
    if bad.any():
        row = bad.to_numpy().nonzero()[0][0]
        raise LearnerError(
            f"row {row + 1} of the marks ({table['bidder'].iloc[row]}, {table['criterion'].iloc[row]}) "
            "needs a mark from 0 to 5 and a weight of 0 or more",
            fix="Correct the mark or the weight",
        )
    scored = pd.DataFrame(
        {"bidder": table["bidder"].to_numpy(), "points": (mark / 5 * weight).to_numpy(), "weight": weight.to_numpy()}
    )
    totals = (
        scored.groupby("bidder", sort=False)
        .agg(quality_points=("points", "sum"), max_quality_points=("weight", "sum"))
        .reset_index()
    )
    share = totals["quality_points"] / totals["max_quality_points"].where(totals["max_quality_points"] > 0)
    return totals.assign(quality_pct=100 * share)


# ---------------------------------------------------------------- total scores

SCORE_COLUMNS = ["bidder", "price", "price_points", "quality_points", "total", "rank", "excluded_reason"]


def _bid_table(bids: pd.DataFrame) -> pd.DataFrame:
    table = bids.rename(columns={"bidder_name": "bidder", "price_eur": "price"})
    for column in ("bidder", "price"):
        if column not in table:
            raise LearnerError(
                f"the bids table has no {column!r} column",
                fix="Give one row per bid with bidder, price and quality_pct (or quality_points)",
            )
    return table.reset_index(drop=True)


def _rank(totals: pd.Series) -> pd.Series:
    """1 for the highest total; equal totals (to 1e-9) share a rank."""
    return totals.round(9).rank(method="min", ascending=False).astype("Int64")


def score_bids(
    bids: pd.DataFrame,
    price_weight: float,
    formula: str = "relative",
    *,
    quality_weight: float | None = None,
    min_quality_pct: float | None = None,
    **formula_args,
) -> pd.DataFrame:
    """Score and rank bids: price points by `formula` out of `price_weight`, plus quality points.

    `bids` has bidder, price and either quality_pct (0–100 % of the maximum quality, turned into
    points out of `quality_weight`, by default 100 − price_weight) or quality_points (used as given).
    A `status` column other than 'valid' excludes a bid. Bids below `min_quality_pct` are excluded
    before price is scored, so they cannot set the lowest price. Ranks run 1..n; ties share a rank.
    """
    table = _bid_table(bids)
    price_weight = float(price_weight)
    if not math.isfinite(price_weight) or price_weight < 0:
        raise LearnerError(f"the price weight must be 0 or more, not {price_weight:g}")
    quality_max = 100.0 - price_weight if quality_weight is None else float(quality_weight)
    prices = _prices(table["price"], table["bidder"])
    if "quality_points" in table:
        q_points = pd.to_numeric(table["quality_points"], errors="coerce")
        q_pct = 100 * q_points / quality_max if quality_max > 0 else pd.Series(np.nan, index=table.index)
    elif "quality_pct" in table:
        q_pct = pd.to_numeric(table["quality_pct"], errors="coerce")
        if ((q_pct < 0) | (q_pct > 100)).any():
            row = ((q_pct < 0) | (q_pct > 100)).to_numpy().nonzero()[0][0]
            raise LearnerError(
                f"bid {table['bidder'].iloc[row]!r} has quality {q_pct.iloc[row]:g}%: "
                "quality must be from 0 to 100 % of the maximum"
            )
        q_points = q_pct / 100 * quality_max
    elif price_weight >= 100 or quality_max == 0:
        q_pct = pd.Series(np.nan, index=table.index)
        q_points = pd.Series(0.0, index=table.index)
    else:
        raise LearnerError(
            "the bids table has no quality_pct or quality_points column",
            fix="Add each bid's quality as % of the maximum (quality_pct), or set the price weight to 100",
        )
    if q_points.isna().any() and quality_max > 0:
        row = q_points.isna().to_numpy().nonzero()[0][0]
        raise LearnerError(
            f"bid {table['bidder'].iloc[row]!r} has no quality score", fix="Give every valid bid a quality score"
        )

    reason = pd.Series("", index=table.index, dtype="str")
    if "status" in table:
        status = table["status"].astype("str").str.strip().str.lower()
        reason = reason.mask(status.ne("valid"), "not a valid bid (status: " + table["status"].astype("str") + ")")
    if min_quality_pct is not None:
        low = reason.eq("") & (q_pct.fillna(-1) < float(min_quality_pct))
        reason = reason.mask(
            low, f"quality below the minimum of {float(min_quality_pct):g}% (excluded before price is scored)"
        )
    kept = reason.eq("")
    points = pd.Series(np.nan, index=table.index)
    if kept.any():
        points.loc[kept] = price_points(prices[kept], price_weight, formula, **formula_args)
    q_shown = q_points.where(kept)
    total = points + q_shown.fillna(0).where(kept)
    rank = pd.Series(pd.NA, index=table.index, dtype="Int64")
    if kept.any():
        rank.loc[kept] = _rank(total[kept])
    result = pd.DataFrame(
        {
            "bidder": table["bidder"].astype("str"),
            "price": prices,
            "price_points": points,
            "quality_points": q_shown,
            "total": total,
            "rank": rank,
            "excluded_reason": reason,
        }
    )
    order = result["rank"].astype("Float64").fillna(np.inf).astype(float)
    return result.iloc[np.argsort(order.to_numpy(), kind="stable")].reset_index(drop=True)


# ---------------------------------------------------------------- price weight sensitivity


def _lines(bids: pd.DataFrame, formula: str, min_quality_pct: float | None, formula_args: dict) -> pd.DataFrame:
    """For each valid bid, its total as a line in the price weight W: 100·q + W·(p − q).

    p = price points per point of weight (the formula with maximum 1), q = quality share (0–1).
    """
    table = _bid_table(bids)
    if "quality_pct" not in table:
        raise LearnerError(
            "the weight sensitivity needs each bid's quality as % of the maximum (quality_pct)",
            fix="Add a quality_pct column (0–100)",
        )
    scored = score_bids(table, 0.0, formula, min_quality_pct=min_quality_pct, **formula_args)
    valid = scored[scored["excluded_reason"].eq("")]["bidder"]
    kept = table[table["bidder"].astype("str").isin(set(valid))].reset_index(drop=True)
    p = price_points(kept["price"].astype("float64"), 1.0, formula, **formula_args).to_numpy()
    q = pd.to_numeric(kept["quality_pct"]).to_numpy(dtype=float) / 100
    return pd.DataFrame({"bidder": kept["bidder"].astype("str"), "intercept": 100 * q, "slope": p - q})


def weight_sensitivity(
    bids: pd.DataFrame, formula: str = "relative", *, min_quality_pct: float | None = None, **formula_args
) -> pd.DataFrame:
    """For each bidder, the exact range(s) of price weight W (0–100) over which it ranks first.

    Quality carries 100 − W. With the formula fixed, each bid's total is a straight line in W, so
    the winner can change only where two lines cross; the crossings are solved exactly. Returns
    bidder, wins_from, wins_to (one row per range; a bidder that never ranks first gets one row
    with empty bounds). At a crossing both bidders tie for first, so ranges meet at that weight.
    """
    lines = _lines(bids, formula, min_quality_pct, formula_args)
    a, b = lines["intercept"].to_numpy(), lines["slope"].to_numpy()
    points = {0.0, 100.0}
    for i in range(len(lines)):
        for j in range(i + 1, len(lines)):
            if not math.isclose(b[i], b[j], abs_tol=1e-12):
                w = (a[j] - a[i]) / (b[i] - b[j])
                if 0 < w < 100:
                    points.add(float(w))
    cuts = sorted(points)
    spans: dict[str, list[list[float]]] = {name: [] for name in lines["bidder"]}
    for low, high in zip(cuts[:-1], cuts[1:]):
        mid = (low + high) / 2
        totals = a + mid * b
        best = totals.max()
        for k in np.flatnonzero(np.isclose(totals, best, rtol=0, atol=1e-9)):
            ranges = spans[lines["bidder"].iloc[k]]
            if ranges and math.isclose(ranges[-1][1], low, abs_tol=1e-12):
                ranges[-1][1] = high
            else:
                ranges.append([low, high])
    rows = []
    for name in lines["bidder"]:
        if spans[name]:
            rows += [{"bidder": name, "wins_from": lo, "wins_to": hi} for lo, hi in spans[name]]
        else:
            rows.append({"bidder": name, "wins_from": np.nan, "wins_to": np.nan})
    return pd.DataFrame(rows, columns=["bidder", "wins_from", "wins_to"])


def ranking_by_price_weight(
    bids: pd.DataFrame,
    formula: str = "relative",
    *,
    step: float = 1,
    min_quality_pct: float | None = None,
    **formula_args,
) -> pd.DataFrame:
    """Totals and ranks for price weights 0, step, …, 100 (long table for a line chart)."""
    if not step or step <= 0 or step > 100:
        raise LearnerError(f"the step must be above 0 and at most 100, not {step!r}")
    lines = _lines(bids, formula, min_quality_pct, formula_args)
    weights = np.unique(np.append(np.arange(0.0, 100.0, float(step)), 100.0))
    frames = []
    for w in weights:
        totals = pd.Series(lines["intercept"] + w * lines["slope"])
        frames.append(
            pd.DataFrame({"price_weight": w, "bidder": lines["bidder"], "total": totals, "rank": _rank(totals)})
        )
    return pd.concat(frames, ignore_index=True)


# ---------------------------------------------------------------- abnormally low tenders


def r058_fence(gaps: pd.Series) -> float:
    """The upper outlier fence Q3 + 1.5 × (Q3 − Q1) over a population of gaps (OCP Cardinal R058).

    Quartiles use pandas' default linear interpolation.
    """
    values = pd.to_numeric(pd.Series(gaps), errors="coerce").dropna()
    if values.empty:
        raise LearnerError(
            "there are no gaps to compute the fence from", fix="Use tenders with a winner and at least two valid bids"
        )
    q1, q3 = values.quantile(0.25), values.quantile(0.75)
    return float(q3 + 1.5 * (q3 - q1))


def heavily_discounted(gaps: pd.Series, fence: float) -> pd.Series:
    """True where the gap is at or above the fence (R058 'heavily discounted bid')."""
    return pd.to_numeric(pd.Series(gaps), errors="coerce").ge(fence).rename("heavily_discounted")


def tender_gaps(bids: pd.DataFrame) -> pd.DataFrame:
    """Per tender (and lot): the winning price, the second-lowest valid price and the gap between them.

    gap = (second-lowest valid bid − winning bid) ÷ winning bid. Needs tender_id, price (or
    price_eur), winner (true/false); `status` other than 'valid' and `lot` are used when present.
    Tenders without a winner or with fewer than two valid bids have no gap and are left out.
    """
    table = _bid_table(bids)
    for column in ("tender_id", "winner"):
        if column not in table:
            raise LearnerError(
                f"the bids table has no {column!r} column",
                fix="Give tender_id, price, winner (and status) for each bid",
            )
    valid = (
        table["status"].astype("str").str.strip().str.lower().eq("valid")
        if "status" in table
        else pd.Series(True, index=table.index)
    )
    table = table[valid].assign(
        price=lambda t: pd.to_numeric(t["price"], errors="coerce"),
        winner=lambda t: t["winner"].astype("str").str.strip().str.lower().isin({"true", "1", "yes"}),
    )
    keys = ["tender_id", "lot"] if "lot" in table else ["tender_id"]
    rows = []
    for key, group in table.groupby(keys, sort=True):
        key = key if isinstance(key, tuple) else (key,)
        prices = group["price"].dropna().sort_values()
        won = group[group["winner"]]
        if len(prices) < 2 or won.empty:
            continue
        winning, second = float(won["price"].iloc[0]), float(prices.iloc[1])
        rows.append(
            {
                **dict(zip(keys, key)),
                "winner": won["bidder"].iloc[0],
                "winning_price": winning,
                "second_lowest_price": second,
                "gap": (second - winning) / winning,
            }
        )
    return pd.DataFrame(rows, columns=keys + ["winner", "winning_price", "second_lowest_price", "gap"])


def abnormally_low_flags(bids: pd.DataFrame, fence: float | None = None) -> pd.DataFrame:
    """R058 over a population of tenders: each tender's gap, the fence, and whether it is flagged.

    The fence is computed from all the gaps in `bids` unless given. A flag is a prompt to look
    closer and ask for an explanation (Article 69), never a reason to reject on its own.
    """
    gaps = tender_gaps(bids)
    limit = r058_fence(gaps["gap"]) if fence is None else float(fence)
    return gaps.assign(fence=limit, heavily_discounted=heavily_discounted(gaps["gap"], limit).to_numpy())


def explanation_requests(bids: pd.DataFrame, threshold_pct: float = EXPLANATION_SCREEN_PCT) -> pd.DataFrame:
    """Course-design screen: bids more than `threshold_pct` % below the median of the valid bids.

    Works on one tender's bids, or per tender when a tender_id column is present. Returns bidder,
    price, median_price, below_median_pct, ask_for_explanation.
    """
    table = _bid_table(bids)
    if "status" in table:
        table = table[table["status"].astype("str").str.strip().str.lower().eq("valid")]
    table = table.assign(price=_prices(table["price"], table["bidder"]).to_numpy())
    group = table.groupby("tender_id", sort=False)["price"] if "tender_id" in table else None
    median = group.transform("median") if group is not None else pd.Series(table["price"].median(), index=table.index)
    below = 100 * (median - table["price"]) / median
    columns = (["tender_id"] if "tender_id" in table else []) + ["bidder", "price"]
    return (
        table[columns]
        .assign(median_price=median, below_median_pct=below, ask_for_explanation=below > float(threshold_pct))
        .reset_index(drop=True)
    )
