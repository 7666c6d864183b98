"""`python -m helpers evaluate BIDS.csv`: score and rank bids with a price formula.

BIDS.csv has columns bidder, price, quality (quality as % of the maximum, 0–100). With price
weight W out of 100, quality carries 100 − W: quality points = quality ÷ 100 × (100 − W).
"""

from __future__ import annotations

import argparse
import math

from helpers.core.errors import LearnerError
from helpers.core.safety import terminal_json, terminal_text
from helpers.tendering.bids import read_bids_file
from helpers.tendering.evaluation import FORMULAS, score_bids


def register(subparsers) -> None:
    """Add the `evaluate` command."""
    parser = subparsers.add_parser(
        "evaluate",
        help="score and rank bids (price formula + quality)",
        description="Score and rank bids. BIDS.csv: bidder, price, quality (%% of the maximum quality, 0-100). "
        "Price carries W points out of 100 and quality 100 - W.",
    )
    parser.add_argument("bids", help="CSV file with columns bidder, price, quality")
    parser.add_argument("--formula", choices=FORMULAS, default="relative", help="price formula (default relative)")
    parser.add_argument("--price-weight", type=float, required=True, metavar="W", help="price weight out of 100")
    parser.add_argument("--bounds", metavar="MIN,MAX", help="lower and upper price bounds (linear formula)")
    parser.add_argument(
        "--log-base",
        type=float,
        default=2.0,
        metavar="A",
        help="log formula: a bid A times the lowest price scores 0 (default 2)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    parser.set_defaults(func=run)


def _bounds(text: str | None) -> dict:
    if not text:
        raise LearnerError("the linear formula needs --bounds MIN,MAX (the buyer's lower and upper price bounds)")
    parts = text.split(",")
    if len(parts) != 2:
        raise LearnerError(f"--bounds {text!r} must be two numbers, MIN,MAX")
    try:
        lower, upper = (float(p) for p in parts)
    except ValueError:
        raise LearnerError(f"--bounds {text!r} must be two numbers, MIN,MAX") from None
    if not lower < upper:
        raise LearnerError(f"in --bounds MIN ({lower:g}) must be below MAX ({upper:g})")
    return {"lower": lower, "upper": upper}


def evaluate(args: argparse.Namespace) -> dict:
    """The ranking as a JSON-able dict."""
    weight = args.price_weight
    if not (math.isfinite(weight) and 0 <= weight <= 100):
        raise LearnerError(f"--price-weight {weight:g} must be from 0 to 100")
    formula_args: dict = {}
    if args.formula == "linear":
        formula_args = _bounds(args.bounds)
    elif args.formula == "log":
        formula_args = {"base": args.log_base}
    bids = read_bids_file(args.bids)
    scored = score_bids(bids, weight, args.formula, **formula_args)
    ranking = [
        {
            "bidder": r.bidder,
            "price": float(r.price),
            "price_points": round(float(r.price_points), 4),
            "quality_points": round(float(r.quality_points), 4),
            "total": round(float(r.total), 4),
            "rank": int(r.rank),
        }
        for r in scored.itertuples(index=False)
    ]
    return {
        "file": args.bids,
        "formula": args.formula,
        "price_weight": weight,
        "quality_weight": 100 - weight,
        **formula_args,
        "ranking": ranking,
    }


def run(args: argparse.Namespace) -> int:
    found = evaluate(args)
    if args.json:
        print(terminal_json(found))
        return 0
    for r in found["ranking"]:  # printed data cannot drive the terminal (escape sequences removed)
        r["bidder"] = terminal_text(r["bidder"]).replace("\n", " ").replace("\t", " ")
    print(
        f"{terminal_text(found['file'])}: formula {found['formula']}, price {found['price_weight']:g} points, "
        f"quality {found['quality_weight']:g} points"
    )
    width = max(6, *(len(r["bidder"]) for r in found["ranking"]))
    print(f"{'rank':>4}  {'bidder':<{width}}  {'price':>14}  {'price pts':>9}  {'quality pts':>11}  {'total':>7}")
    for r in found["ranking"]:
        print(
            f"{r['rank']:>4}  {r['bidder']:<{width}}  {r['price']:>14,.2f}  {r['price_points']:>9.2f}  "
            f"{r['quality_points']:>11.2f}  {r['total']:>7.2f}"
        )
    return 0
