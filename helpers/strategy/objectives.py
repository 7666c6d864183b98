"""Objectives and targets: measurable objectives with a baseline (from the spend analysis, with its
source), a target and a date; their checks; and the one-page strategy summary to export.

The six outcomes and their suggested indicators are course design (`course/content/strategy_outcomes.yaml`).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from helpers.core.content import content_file
from helpers.core.errors import LearnerError
from helpers.core.fmt import is_missing
from helpers.core.paths import exports_dir
from helpers.core.values import as_date
from helpers.data import city_info
from helpers.spend import analyse_city, headline_shares
from helpers.ui.exports import Report, save_report
from helpers.ui.messages import Issue

CHECKS_OK = "Every objective has a baseline with a source, a target and a future date."

# Which headline figure of the spend analysis is the baseline of which suggested indicator.
BASELINE_KEYS = {
    "share of spend with suppliers in the city": "local_share_city",
    "share of spend with suppliers in the region": "local_share_region",
    "% of spend with smes": "sme_share",
    "% of spend with social-economy organisations": "social_economy_share",
}


@cache
def outcomes() -> dict[str, dict[str, Any]]:
    """The outcomes (course design): key -> name and suggested indicators (indicator, unit, direction of
    improvement). Module attribute `OUTCOMES`."""
    return {
        item["id"]: {
            "name": item["name"],
            "indicators": tuple((i["indicator"], i["unit"], i["better_when"]) for i in item["indicators"]),
        }
        for item in content_file("strategy_outcomes")["items"]
    }


def outcomes_note() -> str:
    """Where the outcomes come from, with Preston's figures. Module attribute `OUTCOMES_NOTE`."""
    return content_file("strategy_outcomes")["note"]


_CONTENT = {"OUTCOMES": outcomes, "OUTCOMES_NOTE": outcomes_note}


def __getattr__(name: str) -> Any:
    """`OUTCOMES` and `OUTCOMES_NOTE` are read from the course content when first used, not on import (so
    importing the stage never needs the content folder)."""
    if name in _CONTENT:
        return _CONTENT[name]()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _indicator_defaults(indicator: str) -> tuple[str, str] | None:
    for outcome in outcomes().values():
        for name, unit, direction in outcome["indicators"]:
            if name == indicator.strip().lower():
                return unit, direction
    return None


def indicator_unit(indicator: str) -> str:
    """The unit of a suggested indicator ("" for one of your own)."""
    return next((u for o in outcomes().values() for n, u, _ in o["indicators"] if n == indicator), "")


def suggested_indicators() -> pd.DataFrame:
    """Every suggested indicator with its outcome, unit and the direction that counts as progress."""
    return pd.DataFrame(
        [
            {"outcome": key, "outcome_name": o["name"], "indicator": name, "unit": unit, "better_when": direction}
            for key, o in outcomes().items()
            for name, unit, direction in o["indicators"]
        ]
    )


def parse_number(value: Any, what: str) -> float:
    """A number as a learner writes it ("12.5", "1,200", "35%"), else a LearnerError naming `what`."""
    try:
        number = float(str(value).replace(",", "").replace("%", "").strip()) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        raise LearnerError(f"the {what} {value!r} is not a number", fix="Write a number such as 12.5") from None
    if math.isnan(number):
        raise LearnerError(f"the {what} is empty", fix="Write a number such as 12.5")
    return number


@dataclass
class Objective:
    """One measurable objective: where we are (baseline, with its source), where we aim, by when.

    `direction` ("higher" or "lower") defaults to the suggested indicator's, else "higher".
    """

    outcome: str
    indicator: str
    baseline: float | None = None
    baseline_source: str = ""
    target: float | None = None
    target_date: dt.date | None = None
    unit: str = ""
    direction: str | None = None

    def better_when(self) -> str:
        if self.direction:
            return self.direction
        defaults = _indicator_defaults(self.indicator)
        return defaults[1] if defaults else "higher"

    def to_dict(self) -> dict:
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["target_date"] = self.target_date.isoformat() if self.target_date else None
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Objective:
        known = {f.name for f in fields(cls)}
        if not isinstance(data, Mapping) or "outcome" not in data or "indicator" not in data:
            raise LearnerError("a saved objective lacks its outcome or indicator", fix="Enter the objective again")
        values = {k: v for k, v in data.items() if k in known}
        if values.get("target_date"):
            values["target_date"] = as_date(values["target_date"], "target date")
        for key in ("baseline", "target"):
            if values.get(key) is not None:
                values[key] = parse_number(values[key], key)
        return cls(**values)


def objectives_to_dict(objectives: Sequence[Objective]) -> dict:
    """A JSON-ready form for the progress store."""
    return {"version": 1, "objectives": [o.to_dict() for o in objectives]}


def objectives_from_dict(data: Mapping[str, Any]) -> list[Objective]:
    """The objectives saved by `objectives_to_dict`."""
    items = data.get("objectives") if isinstance(data, Mapping) else None
    if not isinstance(items, list):
        raise LearnerError("the saved objectives are damaged", fix="Enter the objectives again")
    return [Objective.from_dict(item) for item in items]


def _objective_issues(o: Objective, n: int, day: dt.date) -> list[Issue]:
    """The issues of objective number `n` (from 1)."""
    issues: list[Issue] = []

    def add(field_name: str, severity: str, message: str) -> None:
        issues.append(Issue(message, severity, where=f"Objective {n}", item=n - 1, field=field_name))

    if o.outcome not in outcomes():
        add("outcome", "error", f"'{o.outcome}' is not one of the outcomes: {', '.join(outcomes())}")
    if not str(o.indicator).strip():
        add("indicator", "error", "the indicator is empty: say what will be measured")
    defaults = _indicator_defaults(str(o.indicator))
    if defaults and o.unit and o.unit.strip() != defaults[0]:
        add("unit", "warning", f"'{o.indicator}' is measured in {defaults[0]}, not {o.unit}")
    if o.direction not in (None, "higher", "lower"):
        add("direction", "error", f"direction must be 'higher' or 'lower', not {o.direction!r}")
    unit = (o.unit or (defaults[0] if defaults else "")).strip()
    for name in ("baseline", "target"):
        value = getattr(o, name)
        if value is not None and unit == "%" and not 0 <= value <= 100:
            add(name, "error", f"the {name} {value:g}% is outside 0-100%")
    if o.target is None:
        add("target", "warning", "no target: say what level you aim for")
    else:
        if o.baseline is None:
            add(
                "baseline",
                "warning",
                "a target without a baseline: progress cannot be shown; take the baseline from your spend analysis",
            )
        if o.target_date is None:
            add("target_date", "warning", "a target without a date: say by when")
    if o.baseline is not None and not str(o.baseline_source).strip():
        add("baseline_source", "warning", "say where the baseline comes from (e.g. the 2024 spend analysis)")
    if o.target_date is not None and o.target_date <= day:
        add("target_date", "warning", f"the target date {o.target_date.isoformat()} is not in the future")
    if o.target is not None and o.baseline is not None:
        better = o.better_when()
        if o.target == o.baseline:
            add("target", "warning", "the target equals the baseline: no change is planned")
        elif (better == "higher") != (o.target > o.baseline):
            add(
                "target",
                "warning",
                f"the target moves the wrong way: this indicator is better when "
                f"{better}, but the target is {'lower' if o.target < o.baseline else 'higher'} "
                "than the baseline",
            )
    return issues


def validate_objectives(objectives: Sequence[Objective], today: Any = None) -> list[Issue]:
    """Check each objective is measurable: known outcome, baseline with a source, target with a date in
    the future, a target that moves the right way, units that match the indicator, percentages 0-100.

    Each issue says `where` ("Objective 2"), `item` (its position from 0) and the `field` concerned."""
    day = as_date(today, "date today") if today is not None else dt.date.today()
    return [issue for n, o in enumerate(objectives, start=1) for issue in _objective_issues(o, n, day)]


def _with_unit(value: float | None, unit: str) -> str:
    """12.0 and "%" -> "12%"; 5000 and "tCO2e" -> "5,000 tCO2e" (one decimal at most, none when whole)."""
    if value is None:
        return ""
    text = f"{value:,.1f}".rstrip("0").rstrip(".")
    return f"{text}%" if unit == "%" else f"{text} {unit}".strip()


def objectives_table(objectives: Sequence[Objective]) -> pd.DataFrame:
    """The objectives as a table a committee can read."""
    return pd.DataFrame(
        [
            {
                "outcome": outcomes().get(o.outcome, {"name": o.outcome})["name"],
                "indicator": o.indicator,
                "baseline": _with_unit(o.baseline, o.unit),
                "baseline source": o.baseline_source,
                "target": _with_unit(o.target, o.unit),
                "by": o.target_date.isoformat() if o.target_date else "",
                "better when": o.better_when(),
            }
            for o in objectives
        ],
        columns=["outcome", "indicator", "baseline", "baseline source", "target", "by", "better when"],
    )


def strategy_summary(objectives: Sequence[Objective], city_name: str, today: Any = None) -> Report:
    """A one-page strategy summary; write it with `helpers.ui.exports.save_report(report, "x.docx")` (or .md)."""
    report = Report(
        f"Procurement strategy objectives: {city_name}",
        "Measurable objectives: a baseline with its source, a target and a date.",
    )
    report.add("Objectives", table=objectives_table(objectives))
    issues = validate_objectives(objectives, today=today)
    report.add("Checks", bullets=[f"{i.where} ({i.severity}): {i.message}." for i in issues] or [CHECKS_OK])
    report.add("About the indicators", paragraphs=[outcomes_note()])
    return report


def export_objectives(objectives: list[Objective], city_name: str, stem: str) -> list[Path]:
    """The strategy summary as Markdown and Word in the exports folder."""
    if not objectives:
        raise LearnerError("there are no objectives to export", fix="Add at least one objective")
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in str(stem).strip())[:60] or "strategy"
    report = strategy_summary(objectives, city_name)
    return [
        save_report(report, exports_dir() / f"objectives_{safe}.md"),
        save_report(report, exports_dir() / f"objectives_{safe}.docx"),
    ]


# == baselines from the spend analysis ================================================================
def baseline_for(indicator: str, headline: dict) -> float | None:
    """The baseline (in %) of an indicator the spend analysis measures, else None (also when the analysis
    cannot give it: a share with no supplier location or size known is unknown, never a baseline of 0)."""
    key = BASELINE_KEYS.get(str(indicator).strip().lower())
    value = headline.get(key) if key else None
    return None if value is None or is_missing(value) else round(100 * float(value), 1)


def baseline_unknown(indicator: str, headline: dict) -> str:
    """Why the spend analysis cannot give an indicator's baseline, and what to add ("" when it can, or
    when the analysis does not measure the indicator at all)."""
    key = BASELINE_KEYS.get(str(indicator).strip().lower())
    if not key or key not in headline or baseline_for(indicator, headline) is not None:
        return ""
    return headline_shares(headline)[key].explain()


def baselines_table(headline: dict, source: str) -> pd.DataFrame:
    """The baselines the spend analysis gives, one row per indicator it measures: baseline (or "unknown"),
    and its source (or why it is unknown and what to add)."""
    names = {i.lower(): i for o in outcomes().values() for i, _, _ in o["indicators"]}
    rows = []
    for indicator in BASELINE_KEYS:
        value = baseline_for(indicator, headline)
        rows.append(
            {
                "indicator": names.get(indicator, indicator),
                "baseline": "unknown" if value is None else f"{value:g}%",
                "source, or why unknown": source if value is not None else baseline_unknown(indicator, headline),
            }
        )
    return pd.DataFrame(rows)


def baseline_source(city: str, year: int) -> str:
    """How a baseline taken from the course city's spend analysis names its source."""
    return f"{city_info(city)['name']} {year} spend analysis (module 3)"


def example_objectives(city: str = "portavera", year: int = 2025) -> list[Objective]:
    """Two worked objectives with baselines from the spend analysis (targets are illustrations)."""
    head = analyse_city(city, year).headline()
    source = baseline_source(city, year)
    city_share = baseline_for("share of spend with suppliers in the city", head)
    sme = baseline_for("% of spend with SMEs", head)
    return [
        Objective(
            "local_economy",
            "share of spend with suppliers in the city",
            city_share,
            source,
            round(city_share + 5, 1),
            dt.date(year + 4, 12, 31),
            "%",
        ),
        Objective(
            "smes_social_economy",
            "% of spend with SMEs",
            sme,
            source,
            round(sme + 5, 1),
            dt.date(year + 4, 12, 31),
            "%",
        ),
    ]
