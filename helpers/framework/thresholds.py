"""The EU procurement thresholds: which threshold applies to a purchase, by contract type, buyer type
and date, with each period's source. The categories are in `course/content/framework_thresholds.yaml`;
the amounts and their periods in the legal facts table (`legal_facts.yaml`, `helpers.framework.facts`).

The Directive applies when a purchase's estimated value is equal to or greater than the threshold.
The thresholds for works and for supplies and services are revised every two years; the course's table
covers 2022 to 2027. The light-regime threshold (Art. 4(d)) is fixed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pandas as pd

from helpers.core.content import content_file, items
from helpers.core.errors import LearnerError
from helpers.core.fmt import money
from helpers.core.values import as_date
from helpers.framework.facts import legal_facts
from helpers.learning.registry import self_check

THRESHOLDS_FILE = "framework_thresholds"
CONTRACT_TYPES = ("works", "supplies", "services", "social_services", "concession")
BUYER_TYPES = ("sub_central", "central", "utility")
_REGULATION = re.compile(r"Delegated Regulation \(EU\) \d{4}/\d+")


@dataclass(frozen=True)
class ThresholdPeriod:
    """One two-year period of thresholds: calendar years `start`..`end` inclusive."""

    label: str
    start: dt.date
    end: dt.date
    values: dict[str, int]
    source: str
    articles: dict[str, str]


def _label(start: dt.date, end: dt.date) -> str:
    return f"{start.year}–{str(end.year)[2:]}"


def threshold_periods() -> tuple[ThresholdPeriod, ...]:
    """The periods in the legal facts table, oldest first, each with its threshold per category (the fixed
    light-regime threshold in every period) and the delegated regulation that set the period's figures."""
    facts = [f for f in legal_facts().values() if f.category]
    dated = sorted({(f.valid_from, f.valid_to) for f in facts if f.valid_from is not None})
    periods = []
    for start, end in dated:
        values, articles = {}, {}
        for f in facts:
            if f.valid_from is None or (f.valid_from, f.valid_to) == (start, end):
                values[f.category] = int(f.value)
                articles[f.category] = f.citation
        main = next(f for f in facts if f.category == "supplies_services_sub_central" and f.valid_from == start)
        regulation = _REGULATION.search(main.article)
        source = f"Commission {regulation.group(0)}: {main.source}" if regulation else main.source
        periods.append(ThresholdPeriod(_label(start, end), start, end, values, source, articles))
    return tuple(periods)


def categories() -> dict[str, str]:
    """Each category of contract (key) with its name in the learner's words, in the table's order."""
    return {item["id"]: item["name"] for item in items(THRESHOLDS_FILE)}


def thresholds_page() -> str:
    """The European Commission's page with the current and past thresholds."""
    return content_file(THRESHOLDS_FILE)["page"]


def thresholds_note() -> str:
    """What the thresholds are: euro, net of VAT, revised every two years (the light regime's is fixed)."""
    return " ".join(content_file(THRESHOLDS_FILE)["note"].split())


def thresholds_table() -> pd.DataFrame:
    """The thresholds per category (rows) and period (columns), in euro net of VAT."""
    periods = threshold_periods()
    rows = [{"contract type": name, **{p.label: p.values[key] for p in periods}} for key, name in categories().items()]
    return pd.DataFrame(rows)


def thresholds_display() -> pd.DataFrame:
    """The thresholds table with euro amounts written out, for reading."""
    periods = threshold_periods()
    table = thresholds_table()
    shown = table.astype({p.label: "object" for p in periods})
    for period in periods:
        shown[period.label] = [f"€{money(v, None, decimals=0)}" for v in table[period.label]]
    return shown


def thresholds_sources() -> pd.DataFrame:
    """Each period with the dates it applies and its source."""
    return pd.DataFrame(
        [
            {"period": p.label, "from": p.start.isoformat(), "to": p.end.isoformat(), "source": p.source}
            for p in threshold_periods()
        ]
    )


def period_for(on_date) -> tuple[ThresholdPeriod, str | None]:
    """The threshold period covering `on_date`, and a warning when the date is past the table."""
    day = as_date(on_date, "procedure start date")
    periods = threshold_periods()
    if day < periods[0].start:
        raise LearnerError(
            f"the course's threshold table starts on {periods[0].start.isoformat()}; {day.isoformat()} is earlier",
            fix=f"Check older thresholds on {thresholds_page()}",
        )
    for period in periods:
        if period.start <= day <= period.end:
            return period, None
    last = periods[-1]
    return last, (
        f"{day.isoformat()} is after the course's table ends ({last.end.isoformat()}); the "
        f"{last.label} thresholds are used, but thresholds are revised every two years, so "
        f"check the current values on {thresholds_page()}"
    )


def threshold_category(contract_type: str, buyer_type: str) -> str:
    """The category of the threshold table that covers this contract and buyer."""
    if contract_type not in CONTRACT_TYPES:
        raise LearnerError(
            f"{contract_type!r} is not a contract type the advisor knows",
            fix=f"Use one of: {', '.join(CONTRACT_TYPES)}",
        )
    if buyer_type not in BUYER_TYPES:
        raise LearnerError(
            f"{buyer_type!r} is not a buyer type the advisor knows",
            fix=f"Use one of: {', '.join(BUYER_TYPES)} (a city is sub_central)",
        )
    for item in items(THRESHOLDS_FILE):
        if contract_type in item["contract_types"] and buyer_type in item["buyer_types"]:
            return item["id"]
    if buyer_type == "utility":
        raise LearnerError(
            f"the course's threshold table gives utilities' thresholds for supplies and services only, "
            f"not for {contract_type.replace('_', ' ')}",
            fix=f"Check the Directive 2014/25/EU thresholds on {thresholds_page()}",
        )
    raise LearnerError(
        f"the course's threshold table has no threshold for {contract_type.replace('_', ' ')} "
        f"bought by a {buyer_type.replace('_', '-')} buyer",
        fix=f"Check the thresholds on {thresholds_page()}",
    )


def threshold_for(contract_type: str, buyer_type: str, on_date) -> int:
    """The EU threshold (euro, net of VAT) for this contract and buyer on this date."""
    period, _ = period_for(on_date)
    return period.values[threshold_category(contract_type, buyer_type)]


# -- self-check computations (the quiz engine calls only these) ----------------------------------
@self_check("threshold-eur")
def threshold_eur_for(contract_type: str, buyer_type: str, on_date: str) -> float:
    """The threshold for one case, as a number (for a numeric self-check)."""
    return float(threshold_for(contract_type, buyer_type, on_date))
