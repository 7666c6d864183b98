"""Module 6, building award criteria: the criteria library, suggestions for a
contract, a learner's draft with its checks, and the tender-ready document.

The library is data, not code: `course/criteria_library/*.yaml`, each file a list
of entries (id, title, theme, type, wording with {placeholders}, placeholders,
verification, link_to_subject_matter, weight_range, cpv_divisions, source). A
draft (`CriteriaDraft`) is plain data, so the progress store can save it with
`to_dict()` and a widget can rebuild it with `from_dict()`.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Mapping

import pandas as pd
import yaml

from helpers.core.errors import LearnerError
from helpers.ui.exports import Report, save_report
from helpers.core.paths import course_dir, exports_dir

THEMES = ("social", "green", "innovation", "gender", "local_economy_sme", "fair_work")
TYPES = ("selection_criterion", "technical_specification", "award_criterion", "contract_performance_clause")
TYPE_LABELS = {"selection_criterion": "selection criterion", "technical_specification": "technical specification",
               "award_criterion": "award criterion", "contract_performance_clause": "contract performance clause"}
FIELDS = ("id", "title", "theme", "type", "wording", "placeholders", "verification", "link_to_subject_matter",
          "weight_range", "cpv_divisions", "source")
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")

PRICE_WEIGHT_BAND = (20.0, 80.0)
"""Course design, a rule of thumb (not law) for the price weight in a price-quality award."""


def library_dir() -> Path:
    return course_dir() / "criteria_library"


# ---------------------------------------------------------------- the library

def _entry_problems(entry: Any, where: str) -> list[str]:
    if not isinstance(entry, Mapping):
        return [f"{where}: each entry must be a mapping of fields (id, title, …)"]
    problems = [f"{where}: the field {name!r} is missing" for name in FIELDS if name not in entry]
    text_fields = ("id", "title", "wording", "verification", "link_to_subject_matter")
    problems += [f"{where}: the field {name!r} is empty" for name in text_fields
                 if name in entry and not str(entry.get(name) or "").strip()]
    if entry.get("theme") not in THEMES and "theme" in entry:
        problems.append(f"{where}: theme {entry.get('theme')!r} is not one of {', '.join(THEMES)}")
    kind = entry.get("type")
    if kind not in TYPES and "type" in entry:
        problems.append(f"{where}: type {kind!r} is not one of {', '.join(TYPES)}")
    holders = entry.get("placeholders") or {}
    if not isinstance(holders, Mapping):
        problems.append(f"{where}: placeholders must map each name to a description and a default")
        holders = {}
    for name, spec in holders.items():
        if not isinstance(spec, Mapping) or "description" not in spec or "default" not in spec:
            problems.append(f"{where}: placeholder {name!r} needs a description and a default")
    used = set(PLACEHOLDER.findall(str(entry.get("wording") or "")))
    for name in sorted(used - set(holders)):
        problems.append(f"{where}: the wording uses {{{name}}} but it is not listed under placeholders")
    for name in sorted(set(holders) - used):
        problems.append(f"{where}: placeholder {name!r} is not used in the wording")
    weights = entry.get("weight_range")
    if kind == "award_criterion":
        if not (isinstance(weights, (list, tuple)) and len(weights) == 2
                and all(isinstance(w, (int, float)) for w in weights) and 0 <= weights[0] <= weights[1] <= 100):
            problems.append(f"{where}: an award criterion needs weight_range [min, max] points (0–100)")
    elif weights is not None and "weight_range" in entry:
        problems.append(f"{where}: only award criteria carry a weight_range (use null)")
    divisions = entry.get("cpv_divisions")
    if "cpv_divisions" in entry and not (isinstance(divisions, list)
                                         and all(re.fullmatch(r"\d\d", str(d)) for d in divisions)):
        problems.append(f"{where}: cpv_divisions must be a list of 2-digit CPV divisions such as '15' (empty = any)")
    source = entry.get("source")
    if "source" in entry and not (isinstance(source, Mapping) and str(source.get("name") or "").strip()
                                  and re.match(r"https?://", str(source.get("url") or ""))):
        problems.append(f"{where}: source needs a name and a url (http… or https…)")
    return problems


def validate_library(entries: list[Mapping]) -> list[str]:
    """Every problem in a list of library entries, in plain words naming the file and the entry.

    An entry may carry a `file` key (added by `load_library`) so that problems name the file.
    """
    problems: list[str] = []
    seen: dict[str, str] = {}
    for number, entry in enumerate(entries, start=1):
        ident = entry.get("id") if isinstance(entry, Mapping) else None
        file = entry.get("file") if isinstance(entry, Mapping) else None
        where = (f"{file}, " if file else "") + (f"entry {ident}" if ident else f"entry number {number}")
        problems += _entry_problems(entry, where)
        if ident:
            if ident in seen:
                problems.append(f"{where}: the id {ident} is used twice (also in {seen[ident] or 'this list'})")
            seen.setdefault(ident, file or "")
    return problems


def _read_entries(directory: Path) -> list[dict]:
    entries: list[dict] = []
    files = sorted(directory.glob("*.yaml"))
    if not files:
        raise LearnerError("no criteria library files (*.yaml) were found", file=str(directory),
                           fix="Restore course/criteria_library from the repository")
    for path in files:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            line = getattr(getattr(exc, "problem_mark", None), "line", None)
            raise LearnerError("this criteria file is not valid YAML", file=path.name,
                               row=None if line is None else line + 1,
                               fix="Check the indentation and quotes near that line") from exc
        if isinstance(data, Mapping):
            data = data.get("entries")
        if not isinstance(data, list):
            raise LearnerError("a criteria file must hold a list of entries", file=path.name)
        for entry in data:
            if isinstance(entry, dict):
                entry = dict(entry)
                if isinstance(entry.get("cpv_divisions"), list):   # YAML reads 15 (unquoted) as a number
                    entry["cpv_divisions"] = [f"{d:02d}" if isinstance(d, int) else str(d)
                                              for d in entry["cpv_divisions"]]
                entry["file"] = path.name
            entries.append(entry)
    return entries


def load_library(directory: str | Path | None = None) -> pd.DataFrame:
    """The criteria library as a table (one row per entry), checked; a bad entry raises LearnerError."""
    folder = Path(directory) if directory is not None else library_dir()
    entries = _read_entries(folder)
    problems = validate_library(entries)
    if problems:
        file, _, message = problems[0].partition(", ") if ".yaml, " in problems[0] else ("", "", problems[0])
        more = f" ({len(problems) - 1} more problem(s) after this one)" if len(problems) > 1 else ""
        raise LearnerError(message + more, file=file or None, fix="Correct the entry and load the library again")
    table = pd.DataFrame([{**{k: e[k] for k in FIELDS if k != "source"},
                           "source": e["source"]["name"], "source_url": e["source"]["url"], "file": e["file"]}
                          for e in entries])
    return table.set_index("id", drop=False).rename_axis(None)


def cpv_division(cpv_code: str) -> str:
    """The 2-digit CPV division of a code such as '37535200-9' (LearnerError if it is not a CPV code)."""
    text = str(cpv_code or "").strip()
    if not re.fullmatch(r"\d{2}(\d{6}(-\d)?)?", text):
        raise LearnerError(f"{text!r} is not a CPV code",
                           fix="Give the 8-digit code with its check digit, e.g. 37535200-9, or a 2-digit division")
    return text[:2]


def suggest_criteria(library: pd.DataFrame, cpv_code: str, themes: list[str] | None = None) -> pd.DataFrame:
    """Entries for a contract: those listing its CPV division first, then those for any contract.

    Adds a `match` column ('this sector' or 'any contract'); `themes` keeps only those themes.
    """
    division = cpv_division(cpv_code)
    if themes:
        unknown = sorted(set(themes) - set(THEMES))
        if unknown:
            raise LearnerError(f"unknown theme(s): {', '.join(unknown)}", fix="Use: " + ", ".join(THEMES))
    sector = library["cpv_divisions"].map(lambda ds: division in ds)
    anyone = library["cpv_divisions"].map(lambda ds: len(ds) == 0)
    keep = sector | anyone
    if themes:
        keep &= library["theme"].isin(themes)
    found = library[keep].assign(match=sector[keep].map({True: "this sector", False: "any contract"}))
    order = (~sector[keep]).astype(int)
    return found.assign(_order=order).sort_values(["_order", "theme", "id"], kind="stable").drop(columns="_order")


def _entry(entry: Any) -> Mapping:
    return entry.to_dict() if isinstance(entry, pd.Series) else entry


def _show(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def fill_wording(entry: Mapping | pd.Series, values: Mapping[str, Any] | None = None) -> str:
    """The entry's wording with each {placeholder} replaced by `values`, or by its default.

    A plain text substitution in one pass: nothing is evaluated, and braces in the learner's
    values are kept as typed. A placeholder with neither value nor default is left as {name}.
    """
    data, values = _entry(entry), dict(values or {})
    holders = data.get("placeholders") or {}

    def replace(match: re.Match) -> str:
        name = match.group(1)
        if name in values and str(values[name]).strip() != "":
            return _show(values[name])
        spec = holders.get(name)
        if isinstance(spec, Mapping) and spec.get("default") is not None:
            return _show(spec["default"])
        return match.group(0)

    return PLACEHOLDER.sub(replace, str(data.get("wording") or ""))


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
    def from_entry(cls, entry: Mapping | pd.Series, weight: float | None = None,
                   values: Mapping | None = None) -> "DraftItem":
        """An item taken from a library entry, with its type and verification copied."""
        data = _entry(entry)
        if weight is None and data["type"] == "award_criterion" and data.get("weight_range"):
            low, high = data["weight_range"]
            weight = float(round((low + high) / 2))
        return cls(entry_id=data["id"], type=data["type"], weight=weight, values=dict(values or {}),
                   verification=str(data.get("verification") or ""), title=str(data.get("title") or ""))


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

    def __post_init__(self) -> None:
        self.items = [item if isinstance(item, DraftItem) else DraftItem(**_known(item, DraftItem))
                      for item in self.items]

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
    def from_dict(cls, data: Mapping) -> "CriteriaDraft":
        """Rebuild a draft saved with `to_dict` (unknown keys are ignored)."""
        return cls(**_known(data, cls))


def _known(data: Mapping, kind: type) -> dict:
    names = set(kind.__dataclass_fields__)
    return {k: v for k, v in dict(data).items() if k in names}


@dataclass(frozen=True)
class Issue:
    """One finding about a draft: 'error' must be fixed before publishing; 'warning' needs a look."""

    severity: str
    code: str
    message: str
    item: int | None = None   # position of the item in the draft (0-based), if the issue is about one

    def to_dict(self) -> dict:
        return asdict(self)


def _label(item: DraftItem, index: int) -> str:
    name = item.title or item.entry_id or (item.custom_text[:40] + ("…" if len(item.custom_text) > 40 else ""))
    return f"item {index + 1} ({name})" if name else f"item {index + 1}"


def validate_draft(draft: CriteriaDraft, library: pd.DataFrame) -> list[Issue]:
    """Check a draft the way a reviewer would, each finding in plain words."""
    issues: list[Issue] = []
    division = None
    try:
        division = cpv_division(draft.cpv_code)
    except LearnerError:
        issues.append(Issue("error", "cpv_code", f"the contract's CPV code {draft.cpv_code!r} is not a CPV code; "
                                                 "give the 8-digit code with its check digit, e.g. 37535200-9"))
    price = float(draft.price_weight or 0)
    award_total = draft.quality_weight
    if abs(award_total + price - 100) > 1e-9:
        issues.append(Issue("error", "weights_total",
                            f"the award criteria carry {award_total:g} points and price {price:g}: together "
                            f"{award_total + price:g}, but they must add up to 100"))
    low, high = PRICE_WEIGHT_BAND
    if price < low or price > high:
        issues.append(Issue("warning", "price_weight_band",
                            f"the price weight is {price:g} out of 100, outside {low:g}–{high:g}. This band is a "
                            "course-design rule of thumb, not law: check it suits the market. Recital 90 of the "
                            "Directive lets Member States ban or restrict price-only awards, and requires criteria "
                            "that are objective and allow the relative value of tenders to be compared"))
    seen: set[str] = set()
    for index, item in enumerate(draft.items):
        label = _label(item, index)
        entry = None
        if item.entry_id:
            if item.entry_id in library.index:
                entry = library.loc[item.entry_id]
            else:
                issues.append(Issue("error", "unknown_entry", f"{label}: {item.entry_id} is not in the criteria "
                                                              "library", index))
            if item.entry_id in seen:
                issues.append(Issue("warning", "duplicate", f"{label} appears more than once", index))
            seen.add(item.entry_id)
        elif not item.custom_text.strip():
            issues.append(Issue("error", "no_text", f"{label}: a criterion of your own needs its wording", index))
        if item.type not in TYPES:
            issues.append(Issue("error", "unknown_type", f"{label}: type {item.type!r} is not one of "
                                                         + ", ".join(TYPES), index))
        if not str(item.verification or "").strip():
            issues.append(Issue("error", "no_verification",
                                f"{label} says nothing about how it will be verified: say what evidence the "
                                "bidder gives (a label, a certificate, a report) and who checks it when", index))
        weight = float(item.weight or 0)
        if item.type == "award_criterion":
            if weight <= 0:
                issues.append(Issue("error", "zero_weight",
                                    f"{label} is an award criterion with no points, so it cannot change the "
                                    "result: give it points, or make it a specification or a contract clause",
                                    index))
            elif entry is not None and entry["weight_range"]:
                lo, hi = entry["weight_range"]
                if not lo <= weight <= hi:
                    issues.append(Issue("warning", "weight_outside_range",
                                        f"{label} carries {weight:g} points; the library's typical range for it "
                                        f"is {lo:g}–{hi:g}. Say why in your notes, or adjust it", index))
        elif weight != 0 and item.type in TYPES:
            where = {"technical_specification": "in the specification (a minimum every bid must meet)",
                     "contract_performance_clause": "in a contract clause (what the winner must do)",
                     "selection_criterion": "in the selection stage (pass or fail on the bidder)"}[item.type]
            issues.append(Issue("error", "weight_on_non_award",
                                f"{label} is a {TYPE_LABELS[item.type]} but has {weight:g} points: it belongs "
                                f"{where}, not in the award, so set its weight to 0 or make it an award criterion",
                                index))
        if entry is not None and division and entry["cpv_divisions"] and division not in entry["cpv_divisions"]:
            issues.append(Issue("warning", "not_linked",
                                f"{label} is written for CPV division(s) {', '.join(entry['cpv_divisions'])}, "
                                f"not {division}: check that it is linked to the subject matter of this contract",
                                index))
    return issues


# ---------------------------------------------------------------- the document

def _money(value: float | None) -> str:
    return "not given" if value is None else f"EUR {float(value):,.0f} (net of VAT)"


def price_formula_statement(draft: CriteriaDraft) -> str:
    """The price scoring rule in words, as it would appear in the tender documents."""
    top = f"{float(draft.price_weight):g}"
    args = draft.price_formula_args or {}
    if draft.price_formula == "relative":
        return (f"Price carries {top} points. The lowest valid price receives {top} points; every other tender "
                f"receives {top} × (lowest valid price ÷ its price).")
    if draft.price_formula == "linear":
        lower, upper = args.get("lower", "[lower bound]"), args.get("upper", "[upper bound]")
        return (f"Price carries {top} points. A price at or below EUR {lower} receives {top} points, a price at or "
                f"above EUR {upper} receives 0, and prices in between receive {top} × (EUR {upper} − price) ÷ "
                f"(EUR {upper} − EUR {lower}).")
    if draft.price_formula == "log":
        base = args.get("base", 2)
        return (f"Price carries {top} points. Each tender receives {top} × (1 − log(price ÷ lowest valid price) ÷ "
                f"log {base}). A price {base} times the lowest receives 0 points and a dearer price receives fewer "
                "than 0.")
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
    report = Report(f"Award criteria and contract conditions: {title}",
                    "Draft prepared with the Strategic Procurement Workbook (course templates; have it checked "
                    "by your legal team before publication).")
    report.add("Contract summary", bullets=[
        f"Subject: {title}", f"CPV code: {draft.cpv_code or 'not given'}", f"Estimated value: {_money(draft.value_eur)}",
        f"Lots: {draft.lots}",
        "Award method: best price-quality ratio (most economically advantageous tender, Article 67)",
        f"Weighting: quality {draft.quality_weight:g} points, price {float(draft.price_weight):g} points "
        f"(total {draft.quality_weight + float(draft.price_weight):g})"])
    by_type = {kind: [(i, it) for i, it in enumerate(draft.items) if it.type == kind] for kind in TYPES}
    rows = [{"No.": n, "Criterion": it.title or it.entry_id or "Own criterion", "Wording": _wording(it, library),
             "Points": f"{float(it.weight or 0):g}", "How it is verified": it.verification}
            for n, (_, it) in enumerate(by_type["award_criterion"], start=1)]
    rows.append({"No.": len(rows) + 1, "Criterion": "Price", "Wording": price_formula_statement(draft),
                 "Points": f"{float(draft.price_weight):g}", "How it is verified": "The priced tender form."})
    report.add("Award criteria", paragraphs=[
        "Tenders are scored against the criteria below; the tender with the highest total wins. Quality marks "
        "run from 0 to 5 (0 unacceptable or no answer, 1 poor, 2 weak, 3 satisfactory, 4 good, 5 excellent) and "
        "each criterion's points are mark ÷ 5 × its weight."], table=pd.DataFrame(rows))
    report.add("Price scoring", paragraphs=[price_formula_statement(draft)])
    headings = {"technical_specification": ("Technical specifications (minimum requirements for every tender)",
                                            "None in this draft."),
                "contract_performance_clause": ("Contract performance clauses (obligations of the winning "
                                                "tenderer)", "None in this draft."),
                "selection_criterion": ("Selection criteria (about the tenderer, checked before award)",
                                        "None in this draft.")}
    for kind, (heading, empty) in headings.items():
        items = by_type[kind]
        bullets = [f"{it.title or it.entry_id or 'Own wording'}: {_wording(it, library)} "
                   f"Verification: {it.verification or 'NOT STATED'}" for _, it in items]
        report.add(heading, paragraphs=[] if items else [empty], bullets=bullets)
    issues = validate_draft(draft, library)
    report.add("Checks before publication",
               paragraphs=["No open issues were found by the workbook's checks."] if not issues else [],
               bullets=[f"{i.severity.upper()}: {i.message}." for i in issues])
    sources = sorted({_source(it, library) for it in draft.items})
    report.add("Sources of the template wording", bullets=sources or ["None."])
    return report


def save_draft_report(draft: CriteriaDraft, library: pd.DataFrame, path: str | Path | None = None,
                      fmt: str = "docx") -> Path:
    """Write the criteria document (.docx or .md; default in the learner's exports folder)."""
    if path is None:
        slug = re.sub(r"[^a-z0-9]+", "_", (draft.subject or "contract").lower()).strip("_")[:40] or "contract"
        path = exports_dir() / f"criteria_{slug}.{fmt}"
    return save_report(draft_report(draft, library), path)
