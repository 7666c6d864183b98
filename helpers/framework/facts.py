"""The legal facts table: every legal figure the course uses, once, with its law, article, primary source,
the day it was checked and, for figures that change on a schedule, the period it is valid for
(`course/content/legal_facts.yaml`).

Tools read figures with `fact_value("open-tenders")`; `legal_facts_table()` shows the table to learners;
`expired_series(today)` names the scheduled series with no figure for today (the thresholds are revised
every two years: a test fails when the table runs out, so a new period cannot be forgotten).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from helpers.core.content import content_file, items
from helpers.core.errors import LearnerError
from helpers.core.values import as_date

FACTS_FILE = "legal_facts"


@dataclass(frozen=True)
class LegalFact:
    """One legal figure with where it comes from. `valid_from`/`valid_to` are None when it has no schedule."""

    id: str
    value: float
    unit: str
    what: str
    law: str
    article: str
    source: str
    checked: dt.date
    valid_from: dt.date | None
    valid_to: dt.date | None
    series: str | None = None
    category: str | None = None

    @property
    def citation(self) -> str:
        """'Directive 2014/24/EU, Art. 27(1)': the law and article, for a one-line legal basis."""
        return f"{self.law}, {self.article}"

    def valid_on(self, day: dt.date) -> bool:
        """True when the figure applies on `day` (always, for a figure without a schedule)."""
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)


def _date(value, what: str) -> dt.date | None:
    return None if value in (None, "") else as_date(value, what)


def legal_facts() -> dict[str, LegalFact]:
    """Every legal fact by id, in file order."""
    facts = {}
    for item in items(FACTS_FILE):
        facts[item["id"]] = LegalFact(
            id=item["id"],
            value=item["value"],
            unit=item["unit"],
            what=" ".join(str(item["what"]).split()),
            law=item["law"],
            article=item["article"],
            source=item["source"],
            checked=as_date(item["checked"], f"checked date of {item['id']}"),
            valid_from=_date(item["valid_from"], f"valid_from of {item['id']}"),
            valid_to=_date(item["valid_to"], f"valid_to of {item['id']}"),
            series=item.get("series"),
            category=item.get("category"),
        )
    return facts


def fact(fact_id: str) -> LegalFact:
    """One legal fact; a clear message when the id is not in the table."""
    facts = legal_facts()
    if fact_id not in facts:
        raise LearnerError(
            f"the legal facts table has no figure {fact_id!r}",
            file=f"course/content/{FACTS_FILE}.yaml",
            fix="Restore the file from the course repository",
        )
    return facts[fact_id]


def fact_value(fact_id: str) -> int | float:
    """The figure itself (an int when it is a whole number)."""
    value = fact(fact_id).value
    return int(value) if float(value).is_integer() else float(value)


def facts_note() -> str:
    """What the figures are (net of VAT, revised every two years, transposed by each Member State)."""
    return " ".join(content_file(FACTS_FILE)["note"].split())


def series_members(series: str) -> list[LegalFact]:
    """The facts of one scheduled series, oldest first."""
    return sorted((f for f in legal_facts().values() if f.series == series), key=lambda f: f.valid_from or dt.date.min)


def expired_series(today: dt.date | str | None = None) -> dict[str, dt.date]:
    """Each scheduled series with no figure valid on `today`, with the day its last figure ended."""
    day = dt.date.today() if today is None else as_date(today, "date")
    ended = {}
    for series in sorted({f.series for f in legal_facts().values() if f.series}):
        members = series_members(series)
        if not any(f.valid_on(day) for f in members):
            ended[series] = max(f.valid_to for f in members if f.valid_to is not None)
    return ended


def legal_facts_table(kind: str | None = None) -> pd.DataFrame:
    """The table for learners: figure, what it is, law and article, source, checked, valid from/to.

    `kind` keeps only the ids starting with it (e.g. "threshold", "open", "modification")."""
    rows = []
    for f in legal_facts().values():
        if kind and not f.id.startswith(kind):
            continue
        shown = f"{f.value:,.0f}" if f.unit == "EUR" else f"{f.value:g}"
        rows.append(
            {
                "figure": f"€{shown}" if f.unit == "EUR" else f"{shown} {f.unit}",
                "what": f.what,
                "law and article": f.citation,
                "source": f.source,
                "checked": f.checked.isoformat(),
                "valid": "until the law changes"
                if f.valid_from is None and f.valid_to is None
                else f"{f.valid_from.isoformat() if f.valid_from else '…'} to "
                f"{f.valid_to.isoformat() if f.valid_to else 'until the law changes'}",
            }
        )
    return pd.DataFrame(rows, columns=["figure", "what", "law and article", "source", "checked", "valid"])
