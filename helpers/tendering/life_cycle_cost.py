"""Module 6, life-cycle costing (Art. 68 of Directive 2014/24/EU): what each bid costs the city over its life, not
only to buy.

The cost parts are those of Art. 68(1): acquisition; use (energy, water, consumables); maintenance; end of life; and
costs imputed to environmental externalities, counted only where the learner gives their monetary value (Art. 68(2):
the method must be objective, verifiable, non-discriminatory and its data obtainable with reasonable effort).

Convention (said in every scope): the acquisition is paid at the start (year 0, not discounted); yearly costs at the end
of years 1..N; the end-of-life cost at the end of year N (a negative one is a resale value). Each cost is discounted by
1 ÷ (1 + r)^year at the rate r the learner sets. A cost the bid does not give is "unknown": the bid's total is unknown
and the bid is not ranked, never priced at zero. A part no bid gives (a column absent from the file) is outside the
comparison, and the scope says so.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from helpers.core.content import content_file, items
from helpers.core.errors import LearnerError
from helpers.core.fmt import is_missing, money, number
from helpers.learning.registry import self_check

# (column, label, when it is paid)
PARTS = (
    ("acquisition", "acquisition", "start"),
    ("energy_per_year", "energy", "yearly"),
    ("water_per_year", "water", "yearly"),
    ("consumables_per_year", "consumables", "yearly"),
    ("maintenance_per_year", "maintenance", "yearly"),
    ("end_of_life", "end of life", "end"),
    ("externalities_per_year", "externalities (monetised)", "yearly"),
)
PART_LABELS = {column: label for column, label, _ in PARTS}
ENERGY_KWH = "energy_kwh_per_year"
LCC_EXAMPLE = "tendering_lcc_street_lighting"


def discount_factor(rate_pct: float, year: float) -> float:
    """1 ÷ (1 + r)^year: today's value of one euro paid at the end of `year` (r in %)."""
    return float((1 + float(rate_pct) / 100) ** -float(year))


def annuity_factor(rate_pct: float, years: int) -> float:
    """Σ 1 ÷ (1 + r)^t for t = 1..years: today's value of one euro a year (equals `years` at 0 %)."""
    return float(sum(discount_factor(rate_pct, t) for t in range(1, int(years) + 1)))


def check_settings(years, rate_pct) -> tuple[int, float]:
    """The evaluation period (whole years, 1–60) and the discount rate (%, from −5 to 30), checked."""
    try:
        period, rate = int(years), float(rate_pct)
    except (TypeError, ValueError):
        raise LearnerError("the period and the discount rate must be numbers", fix="e.g. 20 years and 4 %") from None
    if period != float(years) or not 1 <= period <= 60:
        raise LearnerError(f"the period must be a whole number of years from 1 to 60, not {years}")
    if not -5 <= rate <= 30 or rate != rate:
        raise LearnerError(f"the discount rate must be a percentage from -5 to 30, not {rate_pct}")
    return period, rate


def priced_energy(bids: pd.DataFrame, energy_price: float | None) -> pd.DataFrame:
    """`bids` with `energy_per_year` (EUR) filled from `energy_kwh_per_year` × `energy_price` (EUR/kWh) where the
    bid gives kWh and no euro figure; with no price, such a bid's energy cost is unknown (never zero)."""
    table = bids.copy()
    if ENERGY_KWH not in table.columns:
        return table
    price = None if is_missing(energy_price) else float(energy_price)
    from_kwh = table[ENERGY_KWH].astype("float64") * (price if price is not None else np.nan)
    if "energy_per_year" in table.columns:
        table["energy_per_year"] = table["energy_per_year"].astype("float64").fillna(from_kwh)
    else:
        table["energy_per_year"] = from_kwh
    return table


def included_parts(bids: pd.DataFrame) -> list[str]:
    """The cost parts (columns) in the comparison: those the bids give (kWh counts as energy)."""
    present = set(bids.columns) | ({"energy_per_year"} if ENERGY_KWH in bids.columns else set())
    return [column for column, _, _ in PARTS if column in present]


def life_cycle_costs(
    bids: pd.DataFrame, years: int, discount_rate_pct: float, energy_price: float | None = None
) -> pd.DataFrame:
    """Each bid's present value per cost part, its life-cycle cost (`lcc`) and rank (1 = lowest).

    A bid missing a part that other bids give has `lcc` NaN ("unknown"), no rank, and `missing` names the parts."""
    period, rate = check_settings(years, discount_rate_pct)
    table = priced_energy(bids, energy_price)
    parts = included_parts(bids)
    yearly, end = annuity_factor(rate, period), discount_factor(rate, period)
    weight = {"start": 1.0, "yearly": yearly, "end": end}
    out = pd.DataFrame({"bidder": table["bidder"].astype("str").to_numpy()})
    for column, _, when in PARTS:
        if column in parts:
            out[column] = table[column].astype("float64").to_numpy() * weight[when]
    values = out[parts] if parts else pd.DataFrame(index=out.index)
    out["missing"] = [", ".join(PART_LABELS[c] for c in parts if pd.isna(row[c])) for _, row in values.iterrows()]
    known = out["missing"].eq("") & bool(parts)
    out["lcc"] = values.sum(axis=1, min_count=1).where(known)
    out["rank"] = out["lcc"].rank(method="min").astype("Int64")
    out["status"] = np.where(known, "ranked", "unknown: " + out["missing"] + " not given")
    return out.sort_values(["rank", "bidder"], na_position="last").reset_index(drop=True)


def lcc_table(costs: pd.DataFrame) -> pd.DataFrame:
    """`life_cycle_costs` for people: euro amounts formatted, "unknown" where a figure is missing."""
    parts = [c for c, _, _ in PARTS if c in costs.columns]
    shown = pd.DataFrame({"rank": [("–" if pd.isna(r) else int(r)) for r in costs["rank"]], "bidder": costs["bidder"]})
    for column in parts:
        shown[PART_LABELS[column]] = [money(v, decimals=0) for v in costs[column]]
    shown["life-cycle cost (present value)"] = [money(v, decimals=0) for v in costs["lcc"]]
    shown["status"] = costs["status"]
    return shown


def lcc_ranking_lines(costs: pd.DataFrame) -> str:
    """The ranking in words, one bid a line; an unranked bid says which cost is unknown."""
    lines = []
    for row in costs.itertuples(index=False):
        if pd.isna(row.lcc):
            lines.append(f"–. {row.bidder}: unknown ({row.missing} not given), not ranked")
        else:
            lines.append(f"{int(row.rank)}. {row.bidder}: {money(row.lcc, decimals=0)}")
    return "\n".join(lines)


def lcc_winner(costs: pd.DataFrame) -> str | None:
    """The bid with the lowest known life-cycle cost (None if none is known; ties joined with 'and')."""
    first = costs[costs["rank"] == 1]
    return " and ".join(first["bidder"].astype("str")) if len(first) else None


def lcc_scope(bids: pd.DataFrame, years: int, discount_rate_pct: float, energy_price: float | None = None) -> list[str]:
    """What the comparison counts and leaves out, in sentences (shown beside every result)."""
    period, rate = check_settings(years, discount_rate_pct)
    parts = included_parts(bids)
    absent = [label for column, label, _ in PARTS if column not in parts]
    lines = [
        f"{len(bids)} bids over {period} years at a discount rate of {number(rate)} %: acquisition at the start, "
        f"yearly costs at the end of each year, the end-of-life cost at the end of year {period}; each discounted by "
        "1 ÷ (1 + rate)^year (Art. 68 of Directive 2014/24/EU).",
        "Counted: " + (", ".join(PART_LABELS[c] for c in parts) or "nothing") + ".",
    ]
    if absent:
        lines.append("Not in these bids, so not counted for any bid: " + ", ".join(absent) + ".")
    if "externalities_per_year" not in parts:
        lines.append(
            "Externalities (e.g. CO2) are counted only where their monetary value is set by a method that "
            "is objective, verifiable, non-discriminatory and whose data bidders can obtain (Art. 68(2)); "
            "none is set here."
        )
    if ENERGY_KWH in bids.columns:
        lines.append(
            f"Energy bid in kWh is priced at {number(energy_price)} EUR/kWh."
            if not is_missing(energy_price)
            else "Energy is bid in kWh but no electricity price is set, so its cost is unknown: enter your price."
        )
    unknown = life_cycle_costs(bids, period, rate, energy_price)
    unknown = unknown[unknown["lcc"].isna()]
    if len(unknown):
        lines.append(
            "Not ranked (a cost is unknown, never taken as zero): "
            + "; ".join(f"{r.bidder} ({r.missing})" for r in unknown.itertuples(index=False))
            + ". Ask the bidder or complete the figure."
        )
    return lines


def lcc_by_rate(
    bids: pd.DataFrame, years: int, rates: Iterable[float], energy_price: float | None = None
) -> pd.DataFrame:
    """Each known bid's life-cycle cost at each discount rate (rate, bidder, lcc, rank)."""
    frames = [life_cycle_costs(bids, years, r, energy_price).assign(rate=float(r)) for r in rates]
    table = pd.concat(frames, ignore_index=True)
    return table.loc[table["lcc"].notna(), ["rate", "bidder", "lcc", "rank"]].reset_index(drop=True)


def winners_by_rate(bids: pd.DataFrame, years: int, rates: Iterable[float], energy_price=None) -> list[tuple]:
    """(from rate, to rate, winner) for each run of rates with the same winner."""
    runs: list[list] = []
    for rate in rates:
        winner = lcc_winner(life_cycle_costs(bids, years, rate, energy_price))
        if runs and runs[-1][2] == winner:
            runs[-1][1] = float(rate)
        else:
            runs.append([float(rate), float(rate), winner])
    return [tuple(r) for r in runs]


def lcc_summary(costs: pd.DataFrame, bids: pd.DataFrame, discount_rate_pct: float) -> str:
    """One sentence that says what the life-cycle-cost chart shows (for readers who cannot see it)."""
    ranked = costs[costs["lcc"].notna()]
    if ranked.empty:
        return "No bid has a known life-cycle cost, so the chart shows no totals."
    winner = lcc_winner(costs)
    cheapest = None
    if "acquisition" in bids.columns and bids["acquisition"].notna().any():
        cheapest = str(bids.loc[bids["acquisition"].astype("float64").idxmin(), "bidder"])
    low = ranked["lcc"].min()
    text = f"At {number(discount_rate_pct)} %, {winner} has the lowest life-cycle cost ({money(low, decimals=0)})"
    if len(ranked) > 1:
        second = ranked.sort_values("lcc")["lcc"].iloc[1]
        text += f", {money(second - low, decimals=0)} below the next bid"
    if cheapest and cheapest != winner:
        text += f", although {cheapest} is the cheapest to buy"
    unranked = len(costs) - len(ranked)
    return text + (f"; {unranked} bid(s) not ranked because a cost is unknown." if unranked else ".")


# ---------------------------------------------------------------- the course example


def course_lcc_bids() -> pd.DataFrame:
    """The course example's bids (synthetic): bidder, acquisition, energy in kWh a year, maintenance, end of life."""
    fields = content_file(LCC_EXAMPLE)["fields"]
    return pd.DataFrame(items(LCC_EXAMPLE))[fields[1:]].astype({c: "float64" for c in fields[2:]})


def course_lcc_settings() -> dict:
    """The course example's period, electricity price and starting discount rate (course design)."""
    return dict(content_file(LCC_EXAMPLE)["settings"])


@self_check("lcc-course-example-keur")
def course_example_lcc(bidder: str = "NordLys Belysning A/S", discount_rate_pct: float = 4.0) -> float:
    """The course example's life-cycle cost of `bidder` at `discount_rate_pct`, in EUR thousand (one decimal)."""
    settings = course_lcc_settings()
    costs = life_cycle_costs(
        course_lcc_bids(), settings["years"], discount_rate_pct, settings["energy_price_eur_per_kwh"]
    )
    row = costs[costs["bidder"] == bidder]
    if row.empty or pd.isna(row["lcc"].iloc[0]):
        raise LearnerError(f"{bidder} is not a bid of the course example with a known life-cycle cost")
    return round(float(row["lcc"].iloc[0]) / 1000, 1)
