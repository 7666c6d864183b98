"""Module 4, "From your contract monitoring": last year's monitoring results (module 7) become suggested
objectives for next year's strategy, closing the thread criteria → monitoring → strategy.

Module 7 saves a results summary in the progress store (tool `MONITORING_SUMMARY_TOOL`): plain records,
one per KPI, with its unit, which direction is better, the library theme, the target, the result and a
status (met, not met, unknown). Here each KPI becomes a suggestion in the learner's words and an
`Objective` whose baseline is the result (with its source), never a guessed target: the learner sets it.

Which strategy outcome a library theme serves (`THEME_OUTCOMES`) is course design.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from helpers.core.errors import LearnerError
from helpers.core.fmt import is_missing
from helpers.strategy.objectives import Objective

MONITORING_SUMMARY_TOOL = "monitoring_summary"
# Course design: the strategy outcome (course/content/strategy_outcomes.yaml) each library theme serves.
THEME_OUTCOMES = {
    "green": "carbon",
    "social": "fair_work",
    "fair_work": "fair_work",
    "local_economy_sme": "local_economy",
    "innovation": "innovation",
    "gender": "gender_equality",
}
SUGGESTION_COLUMNS = [
    "outcome",
    "indicator",
    "unit",
    "better when",
    "last target",
    "last result",
    "status",
    "suggestion",
]


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or is_missing(value) or isinstance(value, str):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _show(value: Any, unit: str) -> str:
    number = _number(value)
    return "unknown" if number is None else f"{number:,.2f}".rstrip("0").rstrip(".") + f" {unit}".rstrip()


def _kpis(summary: Mapping) -> list[Mapping]:
    kpis = summary.get("kpis") if isinstance(summary, Mapping) else None
    if not isinstance(kpis, list) or not all(isinstance(k, Mapping) for k in kpis):
        raise LearnerError(
            "this monitoring summary is damaged or from another tool",
            fix="Save the results summary again in module 7 (Your monitoring plan from your criteria)",
        )
    return kpis


def suggestion(status: str, target: Any, result: Any, unit: str) -> str:
    """What to do next year with one KPI, by its status."""
    if status == "met":
        return (
            f"Met ({_show(result, unit)} against a target of {_show(target, unit)}): keep the criterion in the next "
            "contract of this kind and consider a more ambitious target."
        )
    if status == "not met":
        return (
            f"Not met ({_show(result, unit)} against a target of {_show(target, unit)}): ask the supplier why, keep "
            "the objective, and plan how to reach it (a clearer clause, lots, support to bidders)."
        )
    return (
        "Unknown (no target or no result was recorded): make it measurable first — agree the target at award and "
        "the reporting in the contract."
    )


def objectives_from_monitoring(summary: Mapping) -> pd.DataFrame:
    """One suggested objective per KPI of a saved monitoring summary (columns `SUGGESTION_COLUMNS`), KPIs not
    met first, then unknown, then met."""
    rows = []
    for kpi in _kpis(summary):
        status = str(kpi.get("status") or "unknown")
        status = status if status in ("met", "not met") else "unknown"
        unit = str(kpi.get("unit") or "")
        rows.append(
            {
                "outcome": THEME_OUTCOMES.get(str(kpi.get("theme")), "fair_work"),
                "indicator": str(kpi.get("kpi") or ""),
                "unit": unit,
                "better when": kpi.get("better_when") if kpi.get("better_when") in ("higher", "lower") else "higher",
                "last target": _show(kpi.get("target"), unit),
                "last result": _show(kpi.get("result"), unit),
                "status": status,
                "suggestion": suggestion(status, kpi.get("target"), kpi.get("result"), unit),
            }
        )
    table = pd.DataFrame(rows, columns=SUGGESTION_COLUMNS)
    order = table["status"].map({"not met": 0, "unknown": 1, "met": 2})
    return table.assign(_o=order).sort_values("_o", kind="stable").drop(columns="_o").reset_index(drop=True)


def suggested_objectives(summary: Mapping, name: str = "") -> list[Objective]:
    """The suggestions as `Objective`s for the objectives builder: the result is the baseline (with its source),
    the target is left for the learner to set (the checks then ask for it)."""
    contract = str(summary.get("contract") or name or "a contract")
    found = []
    for kpi in _kpis(summary):
        result = _number(kpi.get("result"))
        found.append(
            Objective(
                outcome=THEME_OUTCOMES.get(str(kpi.get("theme")), "fair_work"),
                indicator=str(kpi.get("kpi") or ""),
                baseline=result,
                baseline_source=f"contract monitoring (module 7): {contract}" if result is not None else "",
                unit=str(kpi.get("unit") or ""),
                direction=kpi.get("better_when") if kpi.get("better_when") in ("higher", "lower") else None,
            )
        )
    return found


def summaries_in_brief(names: Sequence[str]) -> str:
    """One line for the list of saved summaries."""
    if not names:
        return (
            "No monitoring summary saved yet: in module 7, build your monitoring plan from your criteria, "
            "enter the results and save the summary; it then appears here."
        )
    return f"{len(names)} monitoring summary(ies) saved: " + ", ".join(names)


# Course design: three KPIs of module 7's worked example (the playground contract after its first year), as
# module 7 saves them; shown when the learner has saved no summary yet (a test keeps them in step).
EXAMPLE_SUMMARY = {
    "version": 1,
    "contract": "the playground contract (course example)",
    "kpis": [
        {
            "kpi": "Share of each site's play value open to children with disabilities",
            "unit": "% of play value",
            "better_when": "higher",
            "theme": "social",
            "target": 30.0,
            "result": 32.0,
            "status": "met",
        },
        {
            "kpi": "People facing barriers to work employed on the contract",
            "unit": "people",
            "better_when": "higher",
            "theme": "social",
            "target": 4.0,
            "result": 3.0,
            "status": "not met",
        },
        {
            "kpi": "Share of the equipment's materials, by weight, recycled or certified timber",
            "unit": "% by weight",
            "better_when": "higher",
            "theme": "green",
            "target": "unknown — enter the winning bid's commitment",
            "result": "unknown — not reported",
            "status": "unknown",
        },
    ],
}
