"""Market engagement: planning a preliminary market consultation (Directive Art. 40) back from the
contract start, who to tell about it (local SMEs first), a transparency log that keeps every supplier
on an equal footing, and the plan to share with colleagues.

Legal minimum periods come from `course/content/preprocurement_legal_minimum_periods.yaml` with their sources; the
other allowances are course design (`course/content/preprocurement_engagement_allowances.yaml`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from helpers.core.content import by_id
from helpers.core.errors import LearnerError
from helpers.core.paths import exports_dir
from helpers.core.values import as_date
from helpers.preprocurement import legal_minimums as legal
from helpers.strategy import cpv_division_of, place_suppliers
from helpers.ui.exports import Report, save_report

DESIGN = "course design"


def _allowance(key: str) -> int:
    return by_id("preprocurement_engagement_allowances")[key]["value"]


@dataclass(frozen=True)
class Allowances:
    """Course-design time allowances (not legal minimums): change them to fit your city."""

    # length of the preliminary market consultation
    consultation_weeks: int = field(default_factory=lambda: _allowance("consultation_weeks"))
    # from the end of the consultation to the contract notice
    documents_weeks: int = field(default_factory=lambda: _allowance("documents_weeks"))
    # restricted: from requests to participate to invitations
    shortlisting_days: int = field(default_factory=lambda: _allowance("shortlisting_days"))
    # from the tender deadline to the award decision
    evaluation_days: int = field(default_factory=lambda: _allowance("evaluation_days"))
    # from the award decision to the contract (check your national rule)
    standstill_days: int = field(default_factory=lambda: _allowance("standstill_days"))


Milestone = tuple[str, dt.date, str, str]


def _open_notice(deadline: dt.date, e_submission: bool, pin_published: bool) -> list[Milestone]:
    days = legal.open_minimum_days(e_submission, pin_published)
    full, electronic = legal.days("open"), legal.days("open_e_submission")
    why = (
        f"{days} days after a PIN"
        if pin_published
        else f"{full} days less {full - electronic} with electronic submission"
        if e_submission
        else f"{full} days"
    )
    return [
        (
            "Contract notice published",
            deadline - dt.timedelta(days),
            f"legal minimum: {days} days ({why})",
            legal.source("open"),
        )
    ]


def _restricted_notice(deadline: dt.date, pin_published: bool, a: Allowances) -> list[Milestone]:
    tender_days = legal.days("restricted_tenders_after_pin" if pin_published else "restricted_tenders")
    invite = deadline - dt.timedelta(tender_days)
    requests = invite - dt.timedelta(a.shortlisting_days)
    request_days = legal.days("restricted_requests")
    return [
        (
            "Invitations to tender sent to shortlisted candidates",
            invite,
            f"legal minimum: {tender_days} days for tenders"
            + (" after a PIN" if pin_published else "")
            + " (sub-central buyers may agree another deadline with the candidates)",
            f"{legal.source('restricted_tenders')} ; {legal.source('sub_central_agreement')}",
        ),
        ("Deadline for requests to participate", requests, f"{DESIGN}: {a.shortlisting_days} days to shortlist", ""),
        (
            "Contract notice published",
            requests - dt.timedelta(request_days),
            f"legal minimum: {request_days} days for requests to participate",
            legal.source("restricted_requests"),
        ),
    ]


def consultation_timeline(
    contract_start: Any,
    procedure: str = "open",
    e_submission: bool = True,
    pin_published: bool = False,
    allowances: Allowances | None = None,
    today: Any = None,
) -> pd.DataFrame:
    """Milestones counted back from the contract start: legal minimum time limits (brief §3.2) plus
    course-design allowances for the consultation, documents, shortlisting, evaluation and standstill
    (`Allowances()` when not given).

    Columns: milestone, date, days_before_start, basis, source, and `late` (the date is before `today`).
    """
    start = as_date(contract_start, "contract start")
    a = Allowances() if allowances is None else allowances
    if procedure not in ("open", "restricted"):
        raise LearnerError(
            f"the timeline covers open and restricted procedures, not {procedure!r}",
            fix="Choose 'open' or 'restricted'; other procedures have no fixed minimum in the course table",
        )
    for name, value in asdict(a).items():
        if not isinstance(value, int) or value < 0:
            raise LearnerError(
                f"the allowance {name} is {value!r}", fix="Use a whole number of days or weeks, 0 or more"
            )
    rows: list[Milestone] = [("Contract starts", start, "your plan", "")]
    award = start - dt.timedelta(a.standstill_days)
    rows.append(
        (
            "Award decision sent to all bidders; standstill begins",
            award,
            f"{DESIGN}: {a.standstill_days} days' standstill (check your national rule)",
            "",
        )
    )
    deadline = award - dt.timedelta(a.evaluation_days)
    rows.append(("Deadline for tenders", deadline, f"{DESIGN}: {a.evaluation_days} days to evaluate", ""))
    rows += (
        _open_notice(deadline, e_submission, pin_published)
        if procedure == "open"
        else _restricted_notice(deadline, pin_published, a)
    )
    notice = rows[-1][1]
    if pin_published:
        rows.append(
            (
                "Prior information notice (PIN) published, at the latest",
                notice - dt.timedelta(legal.days("pin_before_notice")),
                f"legal: {legal.days('pin_before_notice')} days to 12 months before the contract notice",
                legal.source("pin_before_notice"),
            )
        )
    consult_end = notice - dt.timedelta(weeks=a.documents_weeks)
    rows.append(
        (
            "Market consultation closes; summary of what was shared published to all",
            consult_end,
            f"{DESIGN}: {a.documents_weeks} weeks to finish the tender documents",
            "",
        )
    )
    rows.append(
        (
            "Preliminary market consultation opens (Art. 40)",
            consult_end - dt.timedelta(weeks=a.consultation_weeks),
            f"{DESIGN}: {a.consultation_weeks} weeks of consultation",
            "",
        )
    )
    frame = pd.DataFrame(rows, columns=["milestone", "date", "basis", "source"])
    frame["days_before_start"] = [(start - d).days for d in frame["date"]]
    frame = frame.sort_values("date", kind="stable").reset_index(drop=True)
    frame["date"] = pd.to_datetime(frame["date"])
    frame["late"] = frame["date"] < pd.Timestamp(as_date(today, "date today")) if today is not None else False
    return frame[["milestone", "date", "days_before_start", "basis", "source", "late"]]


def invitation_list(
    register: pd.DataFrame,
    cpv_division: Any,
    geography: pd.DataFrame,
    home_country: str | None = None,
    city_levels: Sequence[str] = ("city", "region"),
) -> pd.DataFrame:
    """Suppliers in the register working in this CPV division, local SMEs first, then other local
    firms, then the rest (each group by name). Who to tell about the consultation, not who may bid:
    an open consultation must stay open to everyone (equal treatment)."""
    division = cpv_division_of(cpv_division)
    placed = place_suppliers(register, geography, home_country=home_country, city_levels=city_levels)
    found = placed[placed["cpv_division"] == division].copy()
    found["order"] = np.where(found["local_sme"], 0, np.where(found["local"], 1, 2))
    found = found.sort_values(["order", "name"], kind="stable")
    cols = [
        c
        for c in (
            "supplier_id",
            "name",
            "size_class",
            "sme",
            "social_economy",
            "place",
            "level",
            "local",
            "local_sme",
            "turnover_eur",
        )
        if c in found.columns
    ]
    return found[cols].reset_index(drop=True)


@dataclass
class TransparencyLog:
    """What was shared with which supplier and when, during a market consultation.

    Equal treatment: every question and its answer is shared with all (without the
    asker's name), and anything told to one supplier is published to all.
    """

    purchase: str = ""
    entries: list[dict] = field(default_factory=list)

    COLUMNS = ("id", "kind", "date", "supplier", "summary", "info_shared", "answer", "shared_with_all_on")

    def _add(self, **values: Any) -> int:
        entry = {c: None for c in self.COLUMNS}
        entry.update(values, id=len(self.entries) + 1)
        self.entries.append(entry)
        return entry["id"]

    def add_contact(self, on: Any, supplier: str, summary: str, info_shared: str = "") -> int:
        """A meeting, call or visit with one supplier; `info_shared` is what the city told them."""
        if not str(supplier).strip():
            raise LearnerError("name the supplier you met", fix="Write the supplier's name")
        return self._add(
            kind="contact",
            date=as_date(on, "date").isoformat(),
            supplier=str(supplier),
            summary=str(summary),
            info_shared=str(info_shared),
        )

    def add_question(self, on: Any, asked_by: str, question: str) -> int:
        """A question from a supplier; answer it with `answer`, which shares it with all."""
        if not str(question).strip():
            raise LearnerError("the question is empty", fix="Write the supplier's question")
        return self._add(
            kind="question", date=as_date(on, "date").isoformat(), supplier=str(asked_by), summary=str(question)
        )

    def _entry(self, entry_id: int) -> dict:
        if not 1 <= int(entry_id) <= len(self.entries):
            raise LearnerError(f"there is no log entry number {entry_id}", fix="Use an id from the log")
        return self.entries[int(entry_id) - 1]

    def answer(self, question_id: int, answer: str, on: Any) -> None:
        """Answer a question and publish question and answer to all suppliers on the same day."""
        entry = self._entry(question_id)
        if entry["kind"] != "question":
            raise LearnerError(f"entry {question_id} is not a question")
        entry["answer"], entry["shared_with_all_on"] = str(answer), as_date(on, "date").isoformat()

    def share_with_all(self, entry_id: int, on: Any) -> None:
        """Record that what was told to one supplier has been published to everyone."""
        self._entry(entry_id)["shared_with_all_on"] = as_date(on, "date").isoformat()

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.entries, columns=list(self.COLUMNS))

    def published_qa(self) -> pd.DataFrame:
        """The questions and answers as shared with all: no supplier names."""
        frame = self.to_frame()
        frame = frame[(frame["kind"] == "question") & frame["answer"].notna()]
        return frame.rename(columns={"summary": "question", "shared_with_all_on": "published_on"})[
            ["question", "answer", "published_on"]
        ].reset_index(drop=True)

    def problems(self) -> list[str]:
        """Equal-treatment gaps: unanswered questions, information given to one supplier only."""
        out = []
        for e in self.entries:
            if e["kind"] == "question" and not e["answer"]:
                out.append(f"Question {e['id']} ({e['date']}) has no answer yet; answer it and share it with all.")
            elif e["kind"] == "contact" and e["info_shared"] and not e["shared_with_all_on"]:
                out.append(
                    f"Entry {e['id']}: what was told to {e['supplier']} on {e['date']} has not been "
                    "shared with all suppliers."
                )
        return out

    def to_dict(self) -> dict:
        return {"purchase": self.purchase, "entries": [dict(e) for e in self.entries]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TransparencyLog:
        entries = data.get("entries", []) if isinstance(data, Mapping) else None
        if not isinstance(entries, list):
            raise LearnerError("this saved transparency log is damaged", fix="Start a new log")
        return cls(str(data.get("purchase", "")), [{c: e.get(c) for c in cls.COLUMNS} for e in entries])

    def to_report(self) -> Report:
        report = Report(
            f"Market consultation log: {self.purchase}".rstrip(": "),
            "Every question and answer is shared with all suppliers (equal treatment).",
        )
        report.add("Log", table=self.to_frame())
        report.add("Questions and answers shared with all", table=self.published_qa())
        report.add("Open points", bullets=self.problems() or ["None: everything shared with all."])
        return report


def engagement_plan_report(
    purchase: str,
    timeline: pd.DataFrame,
    invitations: pd.DataFrame | None = None,
    log: TransparencyLog | None = None,
    notes: Iterable[str] = (),
) -> Report:
    """A market engagement plan to share with colleagues: timeline, who to tell, the log's open points."""
    report = Report(
        f"Market engagement plan: {purchase}",
        "Preliminary market consultation under Article 40 of Directive 2014/24/EU: talk to the "
        "market before tendering without distorting competition.",
    )
    shown = timeline.assign(date=pd.to_datetime(timeline["date"]).dt.strftime("%Y-%m-%d"))
    report.add(
        "Timeline",
        paragraphs=[
            "Counted back from the contract start. Rows marked 'legal minimum' use "
            "the time limits of Directive 2014/24/EU (Arts 27-28); 'course design' rows are "
            "allowances to adjust."
        ],
        table=shown[["milestone", "date", "basis"]],
    )
    if invitations is not None:
        local = int(invitations["local_sme"].sum()) if "local_sme" in invitations else 0
        report.add(
            "Who to tell about the consultation",
            paragraphs=[
                f"{len(invitations)} suppliers in the register work in this sector; {local} are "
                "local SMEs (listed first). Publish the consultation openly too: anyone may take part."
            ],
            table=invitations.head(50),
        )
    report.add(
        "Equal treatment",
        bullets=[
            "Keep a log of every contact: who, when, what was said.",
            "Share every question and answer with all suppliers, without the asker's name.",
            "Give everyone the same information and the same time to prepare.",
        ]
        + (log.problems() if log is not None else []),
    )
    if notes:
        report.add("Notes", bullets=list(notes))
    return report


def export_engagement_plan(
    purchase: str, timeline: pd.DataFrame, invitations: pd.DataFrame | None = None, log: TransparencyLog | None = None
) -> list[Path]:
    """The engagement plan as Markdown and Word in the exports folder."""
    report = engagement_plan_report(purchase, timeline, invitations, log)
    stem = "".join(ch if ch.isalnum() else "_" for ch in purchase.strip())[:60] or "purchase"
    return [
        save_report(report, exports_dir() / f"engagement_plan_{stem}.md"),
        save_report(report, exports_dir() / f"engagement_plan_{stem}.docx"),
    ]
