"""Module 6, a learner's criteria draft: the contract, the price weight and formula, the
items taken from the criteria library (or written by the learner), the checks a reviewer
would make, and the tender-ready criteria document.

A draft (`CriteriaDraft`) is plain data, so the progress store can save it with
`to_dict()` and a widget can rebuild it with `from_dict()`. The library itself is
`helpers.tendering.library`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

from helpers.core.content import by_id, items
from helpers.core.errors import LearnerError
from helpers.core.fmt import money
from helpers.core.paths import exports_dir
from helpers.tendering.library import TYPE_LABELS, TYPES, cpv_division, entry_data, fill_wording, suggest_criteria
from helpers.ui.documents import CoverPage, save_formal_docx
from helpers.ui.exports import Report, Section, save_report
from helpers.ui.messages import Issue

PRICE_WEIGHT_BAND: tuple[float, float] = tuple(by_id("tendering_rules")["price_weight_band"]["value"])
"""Course design, a rule of thumb (not law) for the price weight in a price-quality award
(course/content/tendering_rules.yaml)."""

PLAYGROUND_CPV = "37535200-9"  # the running purchase (modules 5-7)
PLAYGROUND_SUBJECT = "Playground equipment supply and maintenance"
PLAYGROUND_VALUE_EUR = 1_200_000.0
PLAYGROUND_BUYER = "City of Portavera"  # the fictional course city
PLAYGROUND_REFERENCE = "PV-T-2025-017"  # the playground tender in the course data
PLAYGROUND_DRAFT = tuple((item["id"], item["weight"]) for item in items("tendering_playground_draft"))
"""The default draft for the playground purchase (course design): four award criteria worth 60 points
with price 40, one technical specification and two contract performance clauses."""


# ---------------------------------------------------------------- a learner's draft


@dataclass
class DraftItem:
    """One criterion in a draft: from the library (`entry_id`) or written by the learner (`custom_text`)."""

    entry_id: str | None = None
    type: str = "award_criterion"
    weight: float | None = None
    values: dict = field(default_factory=dict)
    custom_text: str = ""
    verification: str = ""
    title: str = ""

    @classmethod
    def from_entry(
        cls, entry: Mapping | pd.Series, weight: float | None = None, values: Mapping | None = None
    ) -> DraftItem:
        """An item taken from a library entry, with its type and verification copied."""
        data = entry_data(entry)
        if weight is None and data["type"] == "award_criterion" and data.get("weight_range"):
            low, high = data["weight_range"]
            weight = float(round((low + high) / 2))
        return cls(
            entry_id=data["id"],
            type=data["type"],
            weight=weight,
            values=dict(values or {}),
            verification=str(data.get("verification") or ""),
            title=str(data.get("title") or ""),
        )


@dataclass
class CriteriaDraft:
    """A learner's criteria for one contract: the contract, the price weight and the items."""

    subject: str = ""
    cpv_code: str = ""
    value_eur: float | None = None
    lots: int = 1
    price_weight: float = 40.0
    price_formula: str = "relative"
    price_formula_args: dict = field(default_factory=dict)
    items: list[DraftItem] = field(default_factory=list)
    # for the document's title page, and the learner's own notes (e.g. why a weight is outside its range)
    buyer: str = ""
    reference: str = ""
    version: str = "1.0"
    notes: str = ""

    def __post_init__(self) -> None:
        self.items = [
            item if isinstance(item, DraftItem) else DraftItem(**_known(item, DraftItem)) for item in self.items
        ]

    def add(self, entry: Mapping | pd.Series, weight: float | None = None, values: Mapping | None = None) -> DraftItem:
        """Add a library entry (award criteria get the middle of their weight range unless given)."""
        item = DraftItem.from_entry(entry, weight, values)
        self.items.append(item)
        return item

    @property
    def quality_weight(self) -> float:
        return sum(float(i.weight or 0) for i in self.items if i.type == "award_criterion")

    def to_dict(self) -> dict:
        """Plain JSON-able data for the progress store."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping) -> CriteriaDraft:
        """Rebuild a draft saved with `to_dict` (unknown keys are ignored)."""
        return cls(**_known(data, cls))


def _known(data: Mapping, kind: type) -> dict:
    names = set(kind.__dataclass_fields__)
    return {k: v for k, v in dict(data).items() if k in names}


def _label(item: DraftItem, index: int) -> str:
    name = item.title or item.entry_id or (item.custom_text[:40] + ("…" if len(item.custom_text) > 40 else ""))
    return f"item {index + 1} ({name})" if name else f"item {index + 1}"


def _draft_issues(draft: CriteriaDraft) -> list[Issue]:
    """Findings about the whole draft: the CPV code, the total weight and the price weight."""
    issues: list[Issue] = []
    try:
        cpv_division(draft.cpv_code)
    except LearnerError:
        issues.append(
            Issue(
                f"the contract's CPV code {draft.cpv_code!r} is not a CPV code; give the 8-digit code "
                "with its check digit, e.g. 37535200-9",
                "error",
                code="cpv_code",
            )
        )
    price = float(draft.price_weight or 0)
    award_total = draft.quality_weight
    if abs(award_total + price - 100) > 1e-9:
        issues.append(
            Issue(
                f"the award criteria carry {award_total:g} points and price {price:g}: together "
                f"{award_total + price:g}, but they must add up to 100",
                "error",
                code="weights_total",
            )
        )
    low, high = PRICE_WEIGHT_BAND
    if price < low or price > high:
        issues.append(
            Issue(
                f"the price weight is {price:g} out of 100, outside {low:g}–{high:g}. This band is a "
                "course-design rule of thumb, not law: check it suits the market. Recital 90 of the "
                "Directive lets Member States ban or restrict price-only awards, and requires criteria "
                "that are objective and allow the relative value of tenders to be compared",
                "warning",
                code="price_weight_band",
            )
        )
    return issues


def _item_issues(item: DraftItem, index: int, entry: pd.Series | None, division: str | None) -> list[Issue]:
    """Findings about one item: its type, its verification, its points and its link to the contract."""
    label = _label(item, index)
    issues: list[Issue] = []

    def add(severity: str, code: str, message: str) -> None:
        issues.append(Issue(message, severity, code=code, item=index))

    if item.type not in TYPES:
        add("error", "unknown_type", f"{label}: type {item.type!r} is not one of " + ", ".join(TYPES))
    if not str(item.verification or "").strip():
        add(
            "error",
            "no_verification",
            f"{label} says nothing about how it will be verified: say what evidence the "
            "bidder gives (a label, a certificate, a report) and who checks it when",
        )
    weight = float(item.weight or 0)
    if item.type == "award_criterion":
        if weight <= 0:
            add(
                "error",
                "zero_weight",
                f"{label} is an award criterion with no points, so it cannot change the "
                "result: give it points, or make it a specification or a contract clause",
            )
        elif entry is not None and entry["weight_range"]:
            lo, hi = entry["weight_range"]
            if not lo <= weight <= hi:
                add(
                    "warning",
                    "weight_outside_range",
                    f"{label} carries {weight:g} points; the library's typical range for it is {lo:g}–{hi:g}. "
                    "Say why in your notes, or adjust it",
                )
    elif weight != 0 and item.type in TYPES:
        where = {
            "technical_specification": "in the specification (a minimum every bid must meet)",
            "contract_performance_clause": "in a contract clause (what the winner must do)",
            "selection_criterion": "in the selection stage (pass or fail on the bidder)",
            "reservation": "in the call for competition (it decides who may take part)",
        }[item.type]
        add(
            "error",
            "weight_on_non_award",
            f"{label} is a {TYPE_LABELS[item.type]} but has {weight:g} points: it belongs {where}, not in the "
            "award, so set its weight to 0 or make it an award criterion",
        )
    if entry is not None and division and entry["cpv_divisions"] and division not in entry["cpv_divisions"]:
        add(
            "warning",
            "not_linked",
            f"{label} is written for CPV division(s) {', '.join(entry['cpv_divisions'])}, "
            f"not {division}: check that it is linked to the subject matter of this contract",
        )
    return issues


def validate_draft(draft: CriteriaDraft, library: pd.DataFrame) -> list[Issue]:
    """Check a draft the way a reviewer would, each finding in plain words (`Issue`s with a `code`, and
    `item`, the 0-based position of the item concerned, when the finding is about one)."""
    issues = _draft_issues(draft)
    try:
        division = cpv_division(draft.cpv_code)
    except LearnerError:
        division = None
    seen: set[str] = set()
    for index, item in enumerate(draft.items):
        label = _label(item, index)
        entry = None
        if item.entry_id:
            if item.entry_id in library.index:
                entry = library.loc[item.entry_id]
            else:
                issues.append(
                    Issue(
                        f"{label}: {item.entry_id} is not in the criteria library",
                        "error",
                        code="unknown_entry",
                        item=index,
                    )
                )
            if item.entry_id in seen:
                issues.append(Issue(f"{label} appears more than once", "warning", code="duplicate", item=index))
            seen.add(item.entry_id)
        elif not item.custom_text.strip():
            issues.append(
                Issue(f"{label}: a criterion of your own needs its wording", "error", code="no_text", item=index)
            )
        issues += _item_issues(item, index, entry, division)
    return issues


# ---------------------------------------------------------------- the document


def _estimated_value(value: float | None) -> str:
    return "not given" if value is None else money(value, decimals=0) + " (net of VAT)"


def price_formula_statement(draft: CriteriaDraft) -> str:
    """The price scoring rule in words, as it would appear in the tender documents."""
    top = f"{float(draft.price_weight):g}"
    args = draft.price_formula_args or {}
    if draft.price_formula == "relative":
        return (
            f"Price carries {top} points. The lowest valid price receives {top} points; every other tender "
            f"receives {top} × (lowest valid price ÷ its price)."
        )
    if draft.price_formula == "linear":
        lower, upper = args.get("lower", "[lower bound]"), args.get("upper", "[upper bound]")
        return (
            f"Price carries {top} points. A price at or below EUR {lower} receives {top} points, a price at or "
            f"above EUR {upper} receives 0, and prices in between receive {top} × (EUR {upper} − price) ÷ "
            f"(EUR {upper} − EUR {lower})."
        )
    if draft.price_formula == "log":
        base = args.get("base", 2)
        return (
            f"Price carries {top} points. Each tender receives {top} × (1 − log(price ÷ lowest valid price) ÷ "
            f"log {base}). A price {base} times the lowest receives 0 points and a dearer price receives fewer "
            "than 0."
        )
    raise LearnerError(f"unknown price formula {draft.price_formula!r}", fix="Use relative, linear or log")


def _wording(item: DraftItem, library: pd.DataFrame) -> str:
    if item.custom_text.strip():
        return item.custom_text.strip()
    if item.entry_id in library.index:
        return fill_wording(library.loc[item.entry_id], item.values)
    return ""


def _source(item: DraftItem, library: pd.DataFrame) -> str:
    if item.entry_id in library.index:
        row = library.loc[item.entry_id]
        return f"{row['source']} ({row['source_url']})"
    return "the buyer's own wording"


def draft_report(draft: CriteriaDraft, library: pd.DataFrame) -> Report:
    """A tender-ready criteria document: summary, award criteria and price, specifications,
    contract clauses, selection criteria, each with how it is verified, plus open issues."""
    title = draft.subject or "Contract"
    report = Report(
        f"Award criteria and contract conditions: {title}",
        "Draft prepared with the Strategic Procurement Workbook (course templates; have it checked "
        "by your legal team before publication).",
    )
    report.add(
        "Contract summary",
        bullets=[
            f"Subject: {title}",
            f"CPV code: {draft.cpv_code or 'not given'}",
            f"Estimated value: {_estimated_value(draft.value_eur)}",
            f"Lots: {draft.lots}",
            "Award method: best price-quality ratio (most economically advantageous tender, Article 67)",
            f"Weighting: quality {draft.quality_weight:g} points, price {float(draft.price_weight):g} points "
            f"(total {draft.quality_weight + float(draft.price_weight):g})",
        ],
    )
    by_type = {kind: [(i, it) for i, it in enumerate(draft.items) if it.type == kind] for kind in TYPES}
    rows = [
        {
            "No.": n,
            "Criterion": it.title or it.entry_id or "Own criterion",
            "Wording": _wording(it, library),
            "Points": f"{float(it.weight or 0):g}",
            "How it is verified": it.verification,
        }
        for n, (_, it) in enumerate(by_type["award_criterion"], start=1)
    ]
    rows.append(
        {
            "No.": len(rows) + 1,
            "Criterion": "Price",
            "Wording": price_formula_statement(draft),
            "Points": f"{float(draft.price_weight):g}",
            "How it is verified": "The priced tender form.",
        }
    )
    report.add(
        "Award criteria",
        paragraphs=[
            "Tenders are scored against the criteria below; the tender with the highest total wins. Quality marks "
            "run from 0 to 5 (0 unacceptable or no answer, 1 poor, 2 weak, 3 satisfactory, 4 good, 5 excellent) and "
            "each criterion's points are mark ÷ 5 × its weight."
        ],
        table=pd.DataFrame(rows),
    )
    report.add("Price scoring", paragraphs=[price_formula_statement(draft)])
    headings = {
        "technical_specification": (
            "Technical specifications (minimum requirements for every tender)",
            "None in this draft.",
        ),
        "contract_performance_clause": (
            "Contract performance clauses (obligations of the winning tenderer)",
            "None in this draft.",
        ),
        "selection_criterion": ("Selection criteria (about the tenderer, checked before award)", "None in this draft."),
        "reservation": ("Reservation (who may take part, stated in the call for competition)", "None in this draft."),
    }
    for kind, (heading, empty) in headings.items():
        items = by_type[kind]
        bullets = [
            f"{it.title or it.entry_id or 'Own wording'}: {_wording(it, library)} "
            f"Verification: {it.verification or 'NOT STATED'}"
            for _, it in items
        ]
        report.add(heading, paragraphs=[] if items else [empty], bullets=bullets)
    if draft.notes.strip():
        report.add("Notes", paragraphs=[p.strip() for p in draft.notes.strip().split("\n\n") if p.strip()])
    sources = sorted({_source(it, library) for it in draft.items})
    report.add("Sources of the template wording", bullets=sources or ["None."])
    return report


# Column widths (cm, of the 17 cm of an A4 page) of the award criteria table: the wording gets the room.
AWARD_TABLE_WIDTHS = (1.1, 3.3, 6.2, 1.9, 4.5)


def draft_cover(draft: CriteriaDraft, date: dt.date | None = None) -> CoverPage:
    """The title page of the criteria document: buyer, reference, date and version."""
    return CoverPage(
        title=f"Award criteria and contract conditions: {draft.subject or 'Contract'}",
        buyer=draft.buyer,
        reference=draft.reference,
        version=draft.version,
        date=date,
        status="Draft for legal review before publication",
        details=(("CPV code", draft.cpv_code or "not given"), ("Estimated value", _estimated_value(draft.value_eur))),
        note="Prepared with the Strategic Procurement Workbook. The wording of library entries is course "
        "template wording, not legal text: have it checked by your legal team before publication.",
    )


def save_draft_report(
    draft: CriteriaDraft,
    library: pd.DataFrame,
    path: str | Path | None = None,
    fmt: str = "docx",
    date: dt.date | None = None,
) -> Path:
    """Write the criteria document (.docx with a title page and numbered pages, or .md; default in the
    learner's exports folder). The tool's checks stay in the tool: the document holds the criteria."""
    if path is None:
        slug = re.sub(r"[^a-z0-9]+", "_", (draft.subject or "contract").lower()).strip("_")[:40] or "contract"
        path = exports_dir() / f"criteria_{slug}.{fmt}"
    report, cover = draft_report(draft, library), draft_cover(draft, date)
    if Path(path).suffix.lower() == ".docx":
        return save_formal_docx(report, path, cover, widths={"Award criteria": AWARD_TABLE_WIDTHS})
    report.sections.insert(0, Section("About this document", bullets=[f"{k}: {v}" for k, v in cover.lines()]))
    return save_report(report, path)


# ---------------------------------------------------------------- a starting draft and its table


def default_draft(
    library: pd.DataFrame,
    cpv_code: str = PLAYGROUND_CPV,
    subject: str = PLAYGROUND_SUBJECT,
    value_eur: float | None = PLAYGROUND_VALUE_EUR,
) -> CriteriaDraft:
    """A sensible starting draft: for the playground CPV division (37) the course's example
    draft; for another CPV, the first award criteria suggested for it, with price 40."""
    draft = CriteriaDraft(subject=subject, cpv_code=cpv_code, value_eur=value_eur, price_weight=40.0)
    if str(cpv_code).startswith("37"):
        draft.buyer, draft.reference = PLAYGROUND_BUYER, PLAYGROUND_REFERENCE
        for entry_id, weight in PLAYGROUND_DRAFT:
            draft.add(library.loc[entry_id], weight=weight)
        return draft
    suggested = suggest_criteria(library, cpv_code)
    award = suggested[suggested["type"] == "award_criterion"].head(3)
    for entry in award.itertuples(index=False):
        draft.add(library.loc[entry.id])
    if len(award):  # share the 60 quality points in proportion to the suggested weights
        total = draft.quality_weight
        for item in draft.items:
            item.weight = float(round(60 * item.weight / total)) if total else 20.0
        draft.items[-1].weight += 60 - draft.quality_weight
    for kind in ("technical_specification", "contract_performance_clause"):
        first = suggested[suggested["type"] == kind].head(1)
        for entry in first.itertuples(index=False):
            draft.add(library.loc[entry.id])
    return draft


def draft_table(draft: CriteriaDraft, library: pd.DataFrame) -> pd.DataFrame:
    """The draft's items with their points and filled wording, then the price line."""
    rows = []
    for n, item in enumerate(draft.items, start=1):
        wording = item.custom_text or (
            fill_wording(library.loc[item.entry_id], item.values) if item.entry_id in library.index else ""
        )
        rows.append(
            {
                "no.": n,
                "criterion": item.title or item.entry_id,
                "type": TYPE_LABELS.get(item.type, item.type),
                "points": float(item.weight or 0),
                "wording": wording,
            }
        )
    rows.append(
        {
            "no.": len(rows) + 1,
            "criterion": "Price",
            "type": "award criterion",
            "points": float(draft.price_weight),
            "wording": price_formula_statement(draft),
        }
    )
    return pd.DataFrame(rows)
