"""The course city's tenders against the EU thresholds (module 2's worked example on real-looking data).

Each tender published in a year gets its threshold and verdict from `advise`; open procedures at or
above the threshold with fewer than 30 days for tenders are flagged for checking.
"""

from __future__ import annotations

import pandas as pd

from helpers.core.errors import LearnerError
from helpers.data import load_table
from helpers.framework.advice import advise
from helpers.framework.procedures import open_minimum_days

_CATEGORY_TO_CONTRACT_TYPE = {"works": "works", "goods": "supplies", "services": "services"}


def tenders_against_thresholds(
    tenders: pd.DataFrame, city: str, year: int, buyer_type: str = "sub_central"
) -> pd.DataFrame:
    """A city's tenders published in `year`, each with its EU threshold and verdict.

    For open procedures at or above the threshold, `days for tenders` (publication to
    deadline) is compared with the open procedure's minimum with electronic submission (30 days,
    Art. 27(1) and (4) of Directive 2014/24/EU; no PIN, no urgency): a shorter period is flagged for
    checking, not as a breach, because a PIN or urgency allows 15 days (Art. 27(2)-(3)).
    """
    minimum = open_minimum_days(e_submission=True)
    needed = {
        "tender_id",
        "city",
        "title",
        "main_category",
        "procedure",
        "estimated_value_eur",
        "publication_date",
        "submission_deadline",
    }
    missing = sorted(needed - set(tenders.columns))
    if missing:
        raise LearnerError(f"the tenders table has no column(s) {', '.join(missing)}", file="tenders.csv")
    published = pd.to_datetime(tenders["publication_date"], errors="coerce")
    chosen = tenders[(tenders["city"] == city) & (published.dt.year == int(year))]
    rows = []
    for t in chosen.sort_values("publication_date").itertuples(index=False):
        kind = _CATEGORY_TO_CONTRACT_TYPE.get(str(t.main_category))
        if kind is None:
            raise LearnerError(
                f"tender {t.tender_id}: main category {t.main_category!r} is not works, goods or services",
                file="tenders.csv",
            )
        advice = advise(kind, t.estimated_value_eur, buyer_type, pd.Timestamp(t.publication_date).date())
        days = (pd.Timestamp(t.submission_deadline) - pd.Timestamp(t.publication_date)).days
        flag = ""
        if advice.above_threshold and t.procedure == "open" and days < minimum:
            flag = f"under {minimum} days: was a PIN published or urgency justified?"
        rows.append(
            {
                "tender": t.tender_id,
                "title": t.title,
                "contract type": kind,
                "estimated value (€)": float(t.estimated_value_eur),
                "published": pd.Timestamp(t.publication_date).date().isoformat(),
                "threshold (€)": advice.threshold_eur,
                "period": advice.period,
                "verdict": "above" if advice.above_threshold else "below",
                "procedure": t.procedure,
                "days for tenders": days,
                "check": flag,
            }
        )
    columns = [
        "tender",
        "title",
        "contract type",
        "estimated value (€)",
        "published",
        "threshold (€)",
        "period",
        "verdict",
        "procedure",
        "days for tenders",
        "check",
    ]
    return pd.DataFrame(rows, columns=columns)


def city_tenders_check(city: str = "portavera", year: int = 2025) -> pd.DataFrame:
    """`tenders_against_thresholds` on the shipped tenders of a course city."""
    return tenders_against_thresholds(load_table("tenders"), city, year)


def verdict_counts(checked: pd.DataFrame) -> str:
    """One line: how many tenders were above and below the threshold, and how many to check."""
    above = int((checked["verdict"] == "above").sum())
    below = int((checked["verdict"] == "below").sum())
    flagged = int((checked["check"] != "").sum())
    return f"{len(checked)} tenders: {above} above the EU threshold, {below} below; {flagged} to check."
