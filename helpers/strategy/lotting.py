"""Lots: how splitting a contract into lots changes the turnover a bidder needs and how many local SMEs
could bid (Directive 2014/24/EU Arts 46 and 58(3), brief §3.4), and the "divide or explain" text.

The turnover cap and its note are in `course/content/strategy_turnover_cap.yaml`, with their source.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from helpers.core.content import by_id
from helpers.core.errors import LearnerError
from helpers.core.fmt import money
from helpers.strategy.objectives import parse_number
from helpers.strategy.suppliers import cpv_division_of, place_suppliers


def turnover_cap_multiple() -> int:
    """A minimum-turnover requirement is capped at this multiple of the (lot) value, Art. 58(3).
    Module attribute `TURNOVER_CAP_MULTIPLE`."""
    return by_id("strategy_turnover_cap")["turnover_cap"]["multiple"]


def turnover_note() -> str:
    """The cap, its source, and what the tool assumes. Module attribute `TURNOVER_NOTE`."""
    return by_id("strategy_turnover_cap")["turnover_cap"]["note"]


_CONTENT = {"TURNOVER_CAP_MULTIPLE": turnover_cap_multiple, "TURNOVER_NOTE": turnover_note}


def __getattr__(name: str) -> Any:
    """`TURNOVER_CAP_MULTIPLE` and `TURNOVER_NOTE` are read from the course content when first used, not on
    import (so importing the stage never needs the content folder)."""
    if name in _CONTENT:
        return _CONTENT[name]()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _lot_values(contract_value: float, lots: Sequence[float] | int) -> list[float]:
    if isinstance(lots, bool):
        raise LearnerError("give the number of lots or a list of lot values")
    if isinstance(lots, int):
        if lots < 1:
            raise LearnerError(f"the number of lots must be 1 or more, not {lots}")
        return [contract_value / lots] * lots
    values = [parse_number(v, "lot value") for v in lots]
    if not values or any(v <= 0 for v in values):
        raise LearnerError("every lot needs a value above zero", fix="Check the list of lot values")
    if abs(sum(values) - contract_value) > 0.005 * contract_value:
        raise LearnerError(
            f"the lots add up to {money(sum(values), None, decimals=0)}, not the contract value "
            f"{money(contract_value, None, decimals=0)}",
            fix="Make the lot values add up to the contract value",
        )
    return values


def parse_lots(text: str) -> int | list[float]:
    """ "4" -> 4 lots of equal value; "300000, 500000, 400000" -> those lot values."""
    raw = str(text).strip()
    if not raw:
        raise LearnerError("give the number of lots or the lot values", fix="e.g. 4, or 300000; 500000; 400000")
    parts = [p for p in raw.replace(";", " ").replace("\n", " ").split() if p]
    if len(parts) == 1 and parts[0].isdigit():
        return int(parts[0])
    return [parse_number(p, "lot value") for p in parts]


def lot_plan(
    contract_value: float,
    lots: Sequence[float] | int,
    register: pd.DataFrame,
    cpv_division: Any,
    geography: pd.DataFrame,
    city_levels: Sequence[str] = ("city", "region"),
    turnover_ratio: float = 2.0,
    contract_years: float | None = None,
    home_country: str | None = None,
    include_whole: bool = True,
) -> pd.DataFrame:
    """For each lot: its value, the highest minimum-turnover requirement allowed (2 x value), the
    requirement assumed (see `TURNOVER_NOTE`), the local SMEs in this CPV division, and how many of
    them have at least that turnover. With `include_whole`, a first row shows the undivided contract.

    Columns: lot, value, max_turnover_requirement, required_turnover, local_smes_in_division, local_smes_able.
    SMEs whose turnover is missing are not counted as able.
    """
    value = parse_number(contract_value, "contract value")
    if value <= 0:
        raise LearnerError("the contract value must be above zero")
    ratio = parse_number(turnover_ratio, "turnover ratio")
    cap_multiple = turnover_cap_multiple()
    if not 0 < ratio <= cap_multiple:
        raise LearnerError(
            f"the turnover ratio {ratio:g} is outside 0-{cap_multiple}",
            fix="Above 2 x the contract value the requirement would break the Art. 58(3) cap",
        )
    years = None if contract_years is None else parse_number(contract_years, "contract length in years")
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
        (f"lot {i}", v) for i, v in enumerate(values, start=1)
    ]
    rows = []
    for name, lot_value in named:
        cap = cap_multiple * lot_value
        basis = lot_value / years if years else lot_value
        required = min(ratio * basis, cap)
        rows.append(
            {
                "lot": name,
                "value": round(lot_value, 2),
                "max_turnover_requirement": round(cap, 2),
                "required_turnover": round(required, 2),
                "local_smes_in_division": int(len(pool)),
                "local_smes_able": int((turnover >= required - 1e-6).sum()),
            }
        )
    return pd.DataFrame(rows)


def divide_or_explain(lots: Sequence[float] | int, reason: str = "") -> str:
    """The text to record in the procurement file about lots (Art. 46, "divide or explain")."""
    count = lots if isinstance(lots, int) else len(list(lots))
    if count > 1:
        return (
            f"The contract is divided into {count} lots. Article 46 of Directive 2014/24/EU asks buyers to "
            "consider lots; smaller lots lower the turnover and capacity a bidder needs, and a study for the "
            "European Commission (DG GROW, 2019) found that dividing contracts into lots raises SMEs' chances "
            "of winning." + (f" Reasons: {reason.strip()}" if reason.strip() else "")
        )
    text = (
        "The contract is not divided into lots. Article 46 of Directive 2014/24/EU requires the buyer to "
        'state its main reasons for not dividing ("divide or explain").'
    )
    return text + (
        f" Reasons: {reason.strip()}"
        if reason.strip()
        else " Reasons: [write here why one contract serves this purchase better than lots]"
    )
