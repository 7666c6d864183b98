"""Module 6, the Clean Vehicles Directive's minimum procurement targets (Directive 2009/33/EC as amended by Directive
(EU) 2019/1161, Art. 5 and Annex, Tables 3 and 4), read from `course/content/tendering_clean_vehicles_targets.yaml`.

A figure the content file does not hold (not yet read from the Annex) is "unknown", with where to read it: never
a guess, never zero.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass

import pandas as pd

from helpers.core.content import content_file
from helpers.core.errors import LearnerError
from helpers.core.fmt import pct

CVD_FILE = "tendering_clean_vehicles_targets"
CATEGORY_WORDS = {
    "light_duty": ("light_duty", "light-duty", "light duty", "cars", "car", "vans", "van", "cars and vans", "m1", "n1"),
    "trucks": ("trucks", "truck", "lorries", "n2", "n3"),
    "buses": ("buses", "bus", "m3"),
}


def _plain(text) -> str:
    folded = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return " ".join(folded.lower().replace("_", " ").split())


@dataclass(frozen=True)
class CleanVehicleTarget:
    """One Member State's minimum share for one vehicle category and reference period (`share_pct` None = unknown)."""

    member_state: str
    code: str
    category: str
    category_name: str
    period_start: dt.date
    period_end: dt.date
    share_pct: float | None
    status: str
    table: str
    source: str

    @property
    def period(self) -> str:
        return f"{self.period_start:%-d %B %Y} to {self.period_end:%-d %B %Y}"

    def sentence(self) -> str:
        """The target in one sentence, with its article and source; "unknown" and where to read it if not known."""
        law = content_file(CVD_FILE)
        if self.share_pct is None:
            return (
                f"{self.member_state}, {self.category_name}, {self.period}: minimum share unknown here (the course has "
                f"not yet read it from the primary text). Read it in the {self.table} of Directive 2009/33/EC as "
                f"amended by Directive (EU) 2019/1161 (CELEX {law['celex']}): {law['law_url']}."
            )
        return (
            f"{self.member_state}, {self.category_name}, {self.period}: at least "
            f"{pct(self.share_pct, fraction=False)} of the vehicles covered by the contracts in the Directive's "
            f"scope, across the Member State ({self.table} of Directive 2009/33/EC as amended by Directive (EU) "
            f"2019/1161, CELEX {law['celex']}: {law['law_url']})."
        )


def _member_state(name: str) -> dict:
    wanted = _plain(name)
    for item in content_file(CVD_FILE)["items"]:
        if wanted in (_plain(item["id"]), _plain(item["name"])):
            return item
    names = ", ".join(i["name"] for i in content_file(CVD_FILE)["items"])
    raise LearnerError(f"{name!r} is not an EU Member State the course knows", fix=f"Use one of: {names}")


def _category(name: str) -> dict:
    wanted = _plain(name)
    for category in content_file(CVD_FILE)["categories"]:
        if wanted in {_plain(w) for w in CATEGORY_WORDS[category["id"]]}:
            return category
    raise LearnerError(
        f"{name!r} is not a vehicle category of the Directive", fix="Use 'light-duty', 'trucks' or 'buses'"
    )


def _period(on_date) -> dict:
    day = pd.Timestamp(on_date).date() if on_date is not None else dt.date.today()
    for period in content_file(CVD_FILE)["periods"]:
        if period["start"] <= day <= period["end"]:
            return period
    first, last = content_file(CVD_FILE)["periods"][0], content_file(CVD_FILE)["periods"][-1]
    raise LearnerError(
        f"{day:%-d %B %Y} is outside the Directive's reference periods ({first['start']:%-d %B %Y} to "
        f"{last['end']:%-d %B %Y})",
        fix="Choose a date within them; after 2030 check whether the Directive has been revised",
    )


def clean_vehicle_target(member_state: str, category: str, on_date=None) -> CleanVehicleTarget:
    """The minimum share of clean vehicles for `member_state` (name or ISO code) and `category` ("light-duty",
    "trucks" or "buses") in the reference period containing `on_date` (default: today)."""
    item, kind, period = _member_state(member_state), _category(category), _period(on_date)
    value = item.get(f"{kind['id']}_{period['id'].replace('-', '_')}")
    return CleanVehicleTarget(
        member_state=item["name"],
        code=item["id"],
        category=kind["id"],
        category_name=kind["name"],
        period_start=period["start"],
        period_end=period["end"],
        share_pct=None if value is None else float(value),
        status=item["status"],
        table=kind["table"],
        source=item["source"],
    )


def clean_vehicle_targets(member_state: str) -> pd.DataFrame:
    """Every target of `member_state`: category, reference period, minimum share ("unknown" if not read), status."""
    rows = []
    for period in content_file(CVD_FILE)["periods"]:
        for category in content_file(CVD_FILE)["categories"]:
            target = clean_vehicle_target(member_state, category["id"], period["start"])
            rows.append(
                {
                    "category": target.category_name,
                    "reference period": target.period,
                    "minimum share": pct(target.share_pct, fraction=False),
                    "Annex": target.table,
                    "status": target.status,
                }
            )
    return pd.DataFrame(rows)
