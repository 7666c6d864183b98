"""Module 7, gender-disaggregated KPIs: a contract's returns by sex (staff, hires, pay, training, users)
and what they show, with "unknown" wherever the contractor did not report, never 0.

A gender return is one row per contract, period and measure with two figures, `women` and `men`
(blank when not reported). The measures and what is computed from them are
`course/content/monitoring_gender_kpis.yaml`: women's share of the total, or the gender pay gap (men's
minus women's average hourly pay, as a share of men's). The returns come from a contractor, so they are
checked: a measure the course does not know, or a figure that is not a number or below zero, is an
`Issue` naming the row, and that figure is treated as not reported.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from helpers.core.content import by_id
from helpers.core.errors import LearnerError
from helpers.core.fmt import UNKNOWN, is_missing, number, pct
from helpers.learning.registry import self_check
from helpers.monitoring.files import parse_number
from helpers.monitoring.monitoring_data import find_file
from helpers.monitoring.own_data import read_gender_returns
from helpers.ui.messages import Issue

COLUMNS = ("contract_id", "period", "measure", "women", "men")
SUMMARY_LABELS = {"share_women": "women's share", "pay_gap": "gender pay gap"}


def gender_measures() -> dict[str, dict]:
    """The measures a gender return may carry, by id (measure in words, unit, summary, library entry)."""
    return {k: v for k, v in by_id("monitoring_gender_kpis").items() if v.get("summary")}


def gender_returns_example() -> pd.DataFrame:
    """The playground contract's invented gender returns for 2026 (course design)."""
    return pd.DataFrame(by_id("monitoring_gender_kpis")["example"]["value"], columns=list(COLUMNS))


def _figure(value) -> tuple[float | None, bool]:
    """(the figure, whether it was given but unreadable or negative); read by the course's one number parser."""
    if is_missing(value) or str(value).strip() == "":
        return None, False
    parsed = float(value) if isinstance(value, int | float) else parse_number(value)[0]
    if parsed is None or parsed < 0:
        return None, True
    return parsed, False


def gender_kpis(returns: pd.DataFrame, where: str = "gender returns") -> tuple[pd.DataFrame, list[Issue]]:
    """Each return row with its summary: `total` (women + men), `summary` (women's share or pay gap), `value`
    (0–1, None when it cannot be said) and `status` (reported, partly reported, not reported).

    A summary needs BOTH figures: with one missing it is None ("unknown"), not computed from the other."""
    missing = [c for c in COLUMNS if c not in returns.columns]
    if missing:
        return pd.DataFrame(), [
            Issue(
                f"the gender returns have no {', '.join(missing)} column",
                "error",
                where=where,
                fix=f"Give the columns {', '.join(COLUMNS)}",
            )
        ]
    measures = gender_measures()
    rows, issues = [], []
    for position, row in enumerate(returns.itertuples(index=False), start=2):
        line = int(row.line) if "line" in returns.columns else position  # a file's own line numbers
        measure = str(row.measure).strip()
        if measure not in measures:
            issues.append(
                Issue(
                    f"'{measure}' is not a gender measure the course knows",
                    "error",
                    where=f"{where}, line {line}",
                    line=line,
                    fix=f"Use one of: {', '.join(measures)}",
                )
            )
            continue
        women, bad_women = _figure(row.women)
        men, bad_men = _figure(row.men)
        if bad_women or bad_men:
            issues.append(
                Issue(
                    "a figure is not a number of zero or more, so it counts as not reported",
                    "warning",
                    where=f"{where}, line {line}",
                    line=line,
                    fix="Ask the contractor for the figure",
                )
            )
        spec = measures[measure]
        both = women is not None and men is not None
        if spec["summary"] == "pay_gap":
            value = (men - women) / men if both and men else None
            total = None
        else:
            total = women + men if both else None
            value = women / total if both and total else None
        reported = [women is not None, men is not None]
        rows.append(
            {
                "contract_id": str(row.contract_id),
                "period": str(row.period),
                "measure": spec["measure"],
                "unit": spec["unit"],
                "women": women,
                "men": men,
                "total": total,
                "summary": SUMMARY_LABELS[spec["summary"]],
                "value": value,
                "status": "reported" if all(reported) else "partly reported" if any(reported) else "not reported",
                "library": spec["library"],
            }
        )
    return pd.DataFrame(rows), issues


def gender_kpi_table(kpis: pd.DataFrame) -> pd.DataFrame:
    """The KPIs for the lesson: figures through helpers.core.fmt, "unknown" where not reported."""
    if kpis.empty:
        return pd.DataFrame(columns=["measure", "women", "men", "summary", "status"])
    return pd.DataFrame(
        {
            "contract": kpis["contract_id"],
            "period": kpis["period"],
            "measure": kpis["measure"] + " (" + kpis["unit"] + ")",
            "women": kpis["women"].map(number),
            "men": kpis["men"].map(number),
            "summary": [f"{s}: {pct(v)}" for s, v in zip(kpis["summary"], kpis["value"], strict=True)],
            "status": kpis["status"],
        }
    )


def gender_kpi_lines(kpis: pd.DataFrame) -> list[str]:
    """What the returns show and what to ask for: one line per measure that is reported, then the ones
    that are unknown and the library clause that asks for them."""
    if kpis.empty:
        return ["No gender returns: every gender KPI is unknown. Ask for them in the contract (GEN-ANY-03)."]
    lines = []
    for row in kpis.itertuples(index=False):
        if row.value is not None and not is_missing(row.value):
            lines.append(f"{row.contract_id} {row.period}, {row.measure}: {row.summary} {pct(row.value)}.")
    gaps = kpis[kpis["value"].map(is_missing)]
    for row in gaps.itertuples(index=False):
        lines.append(
            f"{row.contract_id} {row.period}, {row.measure}: {row.summary} {UNKNOWN} ({row.status}; not 0). "
            f"Ask the contractor for both figures, as clause {row.library} requires."
        )
    return lines


@self_check("gender-pay-gap-example-pct")
def gender_pay_gap_example_pct() -> float:
    """Module 7 self-check: the playground contract's gender pay gap in its 2026 example returns, in %."""
    kpis, _ = gender_kpis(gender_returns_example())
    pay = kpis[kpis["summary"] == SUMMARY_LABELS["pay_gap"]]
    return round(100 * float(pay["value"].iloc[0]), 1)


def gender_kpis_from(path=None) -> tuple[pd.DataFrame, list[Issue], str]:
    """Module 7's gender KPIs from the learner's returns file (CSV or XLSX: contract_id, period, measure,
    women, men), or the playground's example when `path` is None. Returns (the KPIs, the issues, what was
    read). A file that cannot be read is one error issue and the example is shown instead, said so."""
    if path is None or str(path).strip() == "":
        kpis, issues = gender_kpis(gender_returns_example(), "the example returns")
        return kpis, issues, "the playground contract's example returns (course design, invented)"
    name = Path(str(path)).name
    try:
        table, issues = read_gender_returns(find_file(path), name)
    except LearnerError as exc:
        kpis, example_issues = gender_kpis(gender_returns_example(), "the example returns")
        problem = Issue(str(exc), "error", fix="The example returns are shown instead", where="")
        return kpis, [problem, *example_issues], "the example returns (your file could not be read)"
    kpis, more = gender_kpis(table, name)
    return kpis, [*issues, *more], f"{name}: {len(table)} row(s) read"
