"""Module 7, the thread from criteria to monitoring: a learner's criteria draft (module 6) becomes *their*
monitoring plan, and the plan's results become the summary that module 4 offers for next year's objectives.

- `monitoring_plan_from_criteria`: one row per KPI, from the measurable commitments the criteria library
  gives each criterion in the draft (course design), with its unit, which direction is better, the target
  from the winning bid's commitments where given (else "unknown": never a guess, never zero) and the
  reporting months from the contract's dates;
- `criteria_without_kpis`: the draft's criteria that have no measurable commitment in the library (the
  learner writes their own KPI, or records why none is needed);
- `monitoring_results`: the plan with each KPI's result, rated met / not met / unknown;
- `results_summary_record`: that summary as plain data for the progress store (tool `monitoring_summary`),
  which module 4's "From your contract monitoring" reads.

All pure functions; the widget is `widgets/plan_from_criteria.py`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from helpers.core.errors import LearnerError
from helpers.core.fmt import is_missing
from helpers.core.paths import exports_dir
from helpers.core.safety import save_new_file
from helpers.core.values import as_date
from helpers.monitoring.kpis import month_label, month_number
from helpers.tendering import CriteriaDraft, load_library
from helpers.ui.exports import to_csv_bytes

PLAN_TOOL = "monitoring_plan"  # the progress store's tool name for saved plans
SUMMARY_TOOL = "monitoring_summary"  # ... and for saved results summaries (read by module 4)
FREQUENCIES = {"monthly": 1, "quarterly": 3, "half-yearly": 6, "yearly": 12}
UNKNOWN_TARGET = "unknown — enter the winning bid's commitment"
UNKNOWN_MONTHS = "unknown — enter the contract's start and end dates"
PLAN_COLUMNS = [
    "criterion",
    "criterion title",
    "theme",
    "kpi_id",
    "kpi",
    "unit",
    "better when",
    "social-value measure",
    "target",
    "target from",
    "reporting months",
    "verification",
]
STATUSES = ("met", "not met", "unknown")


def reporting_months(start: Any, end: Any, frequency: str = "quarterly") -> list[str]:
    """The months (YYYY-MM) in which the supplier reports: the last month of each period from the contract's
    start, and always the contract's last month (the final report)."""
    if frequency not in FREQUENCIES:
        raise LearnerError(
            f"{frequency!r} is not a reporting frequency", fix="Choose one of: " + ", ".join(FREQUENCIES)
        )
    first, last = month_number(as_date(start, "contract start date")), month_number(as_date(end, "contract end date"))
    if last < first:
        raise LearnerError("the contract ends before it starts", fix="Check the start and end dates (YYYY-MM-DD)")
    step = FREQUENCIES[frequency]
    months = list(range(first + step - 1, last + 1, step))
    if not months or months[-1] != last:
        months.append(last)
    return [month_label(m) for m in months]


def _draft(draft: CriteriaDraft | Mapping) -> CriteriaDraft:
    if isinstance(draft, CriteriaDraft):
        return draft
    if isinstance(draft, Mapping):
        try:
            return CriteriaDraft.from_dict(draft)
        except (TypeError, ValueError, AttributeError) as exc:  # a damaged or hand-edited progress file
            raise LearnerError(
                "this saved criteria draft is damaged", fix="Open it in module 6's criteria builder and save it again"
            ) from exc
    raise LearnerError("this is not a criteria draft", fix="Choose a draft saved with the criteria builder (module 6)")


def _commitments(given: Mapping | pd.DataFrame | None) -> dict[str, float]:
    """The winning bid's commitments as {kpi_id: number}; a text that is not a number is named."""
    if given is None:
        return {}
    if isinstance(given, pd.DataFrame):
        if not {"kpi_id", "commitment"} <= set(given.columns):
            raise LearnerError(
                "the winning bid's commitments need the columns kpi_id and commitment",
                fix="One row per KPI: its id (from the plan) and the number the winning bid committed to",
            )
        given = dict(zip(given["kpi_id"].astype(str), given["commitment"], strict=True))
    found: dict[str, float] = {}
    for key, value in given.items():
        if is_missing(value) or str(value).strip() == "":
            continue
        try:
            number = float(str(value).replace(",", "").strip()) if isinstance(value, str) else float(value)
        except (TypeError, ValueError):
            number = math.nan
        if math.isnan(number) or math.isinf(number):
            raise LearnerError(
                f"the winning bid's commitment for {key} is {value!r}, not a number", fix="Write a number such as 12"
            )
        found[str(key).strip()] = number
    return found


def monitoring_plan_from_criteria(
    draft: CriteriaDraft | Mapping,
    winning_bid_commitments: Mapping | pd.DataFrame | None = None,
    start: Any = None,
    end: Any = None,
    frequency: str = "quarterly",
    library: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The monitoring plan of a criteria draft: one row per KPI (the columns `PLAN_COLUMNS`).

    `winning_bid_commitments` maps a KPI id (`kpi_id`) to the number the winning bid committed to (or is a
    table with `kpi_id` and `commitment`); a KPI without one has the target "unknown — enter the winning
    bid's commitment". `start` and `end` are the contract's dates; without them the reporting months are
    unknown. A commitment for a KPI that is not in the plan is refused (a typing slip would otherwise be lost).
    """
    chosen = _draft(draft)
    entries = load_library() if library is None else library
    targets = _commitments(winning_bid_commitments)
    months = reporting_months(start, end, frequency) if start is not None and end is not None else None
    months_text = ", ".join(months) if months else UNKNOWN_MONTHS
    rows = []
    for item in chosen.items:
        if not item.entry_id or item.entry_id not in entries.index:
            continue
        entry = entries.loc[item.entry_id]
        for kpi in _kpis_of(entry):
            target = targets.get(kpi["id"])
            rows.append(
                {
                    "criterion": item.entry_id,
                    "criterion title": item.title or entry["title"],
                    "theme": entry["theme"],
                    "kpi_id": kpi["id"],
                    "kpi": kpi["name"],
                    "unit": kpi["unit"],
                    "better when": kpi["direction"],
                    "social-value measure": kpi.get("measure") or "",
                    "target": UNKNOWN_TARGET if target is None else target,
                    "target from": "not given yet" if target is None else "the winning bid's commitment",
                    "reporting months": months_text,
                    "verification": item.verification or entry["verification"],
                }
            )
    plan = pd.DataFrame(rows, columns=PLAN_COLUMNS)
    stray = sorted(set(targets) - set(plan["kpi_id"]))
    if stray:
        raise LearnerError(
            f"the winning bid's commitments name KPI(s) not in this plan: {', '.join(stray)}",
            fix="Use the plan's KPI ids: " + (", ".join(plan["kpi_id"]) or "this draft has none"),
        )
    plan.attrs["reporting_months"] = months or []
    plan.attrs["subject"] = chosen.subject
    return plan


def criteria_without_kpis(draft: CriteriaDraft | Mapping, library: pd.DataFrame | None = None) -> pd.DataFrame:
    """The draft's criteria with no measurable commitment in the library, and what to do about each."""
    chosen = _draft(draft)
    entries = load_library() if library is None else library
    rows = []
    for item in chosen.items:
        if item.entry_id and item.entry_id in entries.index:
            entry = entries.loc[item.entry_id]
            if _kpis_of(entry):
                continue
            checked_once = entry["type"] in ("technical_specification", "reservation", "selection_criterion")
            rows.append(
                {
                    "criterion": item.entry_id,
                    "title": item.title or entry["title"],
                    "what to do": "checked once (at award or delivery): record the check, no KPI needed"
                    if checked_once
                    else "no measurable commitment in the library: write your own KPI, or say why none is needed",
                }
            )
        else:
            rows.append(
                {
                    "criterion": "(your own)",
                    "title": item.title or item.custom_text[:60],
                    "what to do": "your own criterion: write its KPI (name, unit, which direction is better)",
                }
            )
    return pd.DataFrame(rows, columns=["criterion", "title", "what to do"])


def _kpis_of(entry: pd.Series) -> list[dict]:
    found = entry.get("commitments")
    return [dict(k) for k in found] if isinstance(found, list) else []


def _status(target: Any, result: Any, better: str) -> str:
    if isinstance(target, str) or is_missing(target) or is_missing(result):
        return "unknown"
    met = float(result) >= float(target) if better == "higher" else float(result) <= float(target)
    return "met" if met else "not met"


def monitoring_results(plan: pd.DataFrame, results: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """Each KPI of the plan with its result (from `results`, {kpi_id: number}) and its status: met, not met,
    or unknown (no target, or no result reported: never counted as met or as zero)."""
    given = _commitments(results)  # the same reading: numbers only, a text that is not one is named
    stray = sorted(set(given) - set(plan["kpi_id"]))
    if stray:
        raise LearnerError(f"results for KPI(s) not in this plan: {', '.join(stray)}", fix="Use the plan's KPI ids")
    out = plan[["criterion", "theme", "kpi_id", "kpi", "unit", "better when", "target"]].copy()
    out["result"] = [given.get(k, "unknown — not reported") for k in out["kpi_id"]]
    out["status"] = [
        _status(t, given.get(k), b) for t, k, b in zip(out["target"], out["kpi_id"], out["better when"], strict=True)
    ]
    return out.reset_index(drop=True)


def results_summary_record(results: pd.DataFrame, contract: str = "") -> dict:
    """The results as plain data for the progress store (tool `SUMMARY_TOOL`), read by module 4."""

    def plain(value: Any) -> Any:
        return value if isinstance(value, str) else float(value)

    return {
        "version": 1,
        "contract": str(contract),
        "kpis": [
            {
                "kpi": row["kpi"],
                "unit": row["unit"],
                "better_when": row["better when"],
                "theme": row["theme"],
                "target": plain(row["target"]),
                "result": plain(row["result"]),
                "status": row["status"],
            }
            for _, row in results.iterrows()
        ],
    }


def status_counts(results: pd.DataFrame) -> dict[str, int]:
    """How many KPIs are met, not met and unknown."""
    counts = results["status"].value_counts()
    return {s: int(counts.get(s, 0)) for s in STATUSES}


def parse_pairs(text: str, what: str = "commitments") -> dict[str, str]:
    """Lines such as `inclusive_play_share = 30` as {kpi_id: "30"} (empty lines and lines starting with # are
    skipped; the KPI id as the tables show it, "inclusive play share", is read the same); a line without `=` is
    named by its number."""
    found: dict[str, str] = {}
    for number, line in enumerate(str(text or "").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        if not sep or not key.strip():
            raise LearnerError(
                f"line {number} of the {what} is not 'kpi_id = number': {line[:60]!r}",
                fix="Write one KPI a line, for example: inclusive_play_share = 30",
            )
        found["_".join(key.strip().lower().split())] = value.strip()  # "Contract emissions" = contract_emissions
    return found


def export_plan_csv(plan: pd.DataFrame, stem: str) -> Path:
    """The plan as a CSV in the exports folder (formulas neutralised; an existing file is never replaced)."""
    if plan.empty:
        raise LearnerError("the plan has no KPIs to export", fix="Choose a draft whose criteria carry commitments")
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in str(stem).strip())[:60] or "plan"
    return save_new_file(exports_dir() / f"monitoring_plan_{safe}.csv", to_csv_bytes(plan))
