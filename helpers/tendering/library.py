"""Module 6, the criteria library: award criteria, specifications, contract clauses and
selection criteria as data, checked when loaded, suggested for a contract's CPV division,
with their wording filled in.

The library is data, not code: `course/criteria_library/*.yaml`, each file a list
of entries (id, title, theme, type, wording with {placeholders}, placeholders,
verification, link_to_subject_matter, weight_range, cpv_divisions, source), and optionally
`commitments`: the measurable commitments (KPIs) a bidder makes under the entry, which become the
contract's monitoring plan in module 7 (course design, `COMMITMENT_FIELDS`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from helpers.core.content import items
from helpers.core.errors import LearnerError
from helpers.core.paths import course_dir

THEMES = ("social", "green", "innovation", "gender", "local_economy_sme", "fair_work")
TYPES = (
    "reservation",
    "selection_criterion",
    "technical_specification",
    "award_criterion",
    "contract_performance_clause",
)
TYPE_LABELS = {
    "reservation": "reservation (who may take part, Directive 2014/24/EU Art. 20 or 77)",
    "selection_criterion": "selection criterion",
    "technical_specification": "technical specification",
    "award_criterion": "award criterion",
    "contract_performance_clause": "contract performance clause",
}
FIELDS = (
    "id",
    "title",
    "theme",
    "type",
    "wording",
    "placeholders",
    "verification",
    "link_to_subject_matter",
    "weight_range",
    "cpv_divisions",
    "source",
)
COMMITMENT_FIELDS = ("id", "name", "unit", "direction")
"""Each measurable commitment: `id` (lower_snake_case, unique within the entry), `name`, `unit`, `direction`
(higher or lower is better) and optionally `measure` (an id of the open social-value measure set,
course/content/monitoring_social_value_measures.yaml) and `note`."""
DIRECTIONS = ("higher", "lower")
MEASURE_SET = "monitoring_social_value_measures"
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def library_dir() -> Path:
    return course_dir() / "criteria_library"


def _commitment_problems(commitments: Any, where: str, measures: set[str]) -> list[str]:
    """Problems with an entry's `commitments` (absent or empty is fine: not every criterion is measurable)."""
    if commitments is None:
        return []
    if not isinstance(commitments, list):
        return [f"{where}: commitments must be a list of KPIs (id, name, unit, direction)"]
    problems: list[str] = []
    seen: set[str] = set()
    for number, kpi in enumerate(commitments, start=1):
        at = f"{where}, commitment {number}"
        if not isinstance(kpi, Mapping):
            problems.append(f"{at}: a commitment must be a mapping with id, name, unit and direction")
            continue
        at = f"{where}, commitment {kpi.get('id') or number}"
        problems += [
            f"{at}: the field {name!r} is missing or empty"
            for name in COMMITMENT_FIELDS
            if not str(kpi.get(name) or "").strip()
        ]
        ident = str(kpi.get("id") or "")
        if ident and not re.fullmatch(r"[a-z][a-z0-9_]*", ident):
            problems.append(f"{at}: the id must be lower_snake_case (letters, digits, _)")
        if ident in seen:
            problems.append(f"{at}: the id {ident} is used twice in this entry")
        seen.add(ident)
        if kpi.get("direction") and kpi.get("direction") not in DIRECTIONS:
            problems.append(f"{at}: direction must be higher or lower (which is better), not {kpi.get('direction')!r}")
        measure = kpi.get("measure")
        if measure is not None and str(measure) not in measures:
            problems.append(f"{at}: measure {measure!r} is not in the open measure set ({', '.join(sorted(measures))})")
        unknown = sorted(set(kpi) - {*COMMITMENT_FIELDS, "measure", "note"})
        if unknown:
            problems.append(f"{at}: unknown field(s) {', '.join(unknown)}")
    return problems


def _measure_ids() -> set[str]:
    return {str(item["id"]) for item in items(MEASURE_SET)}


def _entry_problems(entry: Any, where: str, measures: set[str] | None = None) -> list[str]:
    if not isinstance(entry, Mapping):
        return [f"{where}: each entry must be a mapping of fields (id, title, …)"]
    problems = [f"{where}: the field {name!r} is missing" for name in FIELDS if name not in entry]
    text_fields = ("id", "title", "wording", "verification", "link_to_subject_matter")
    problems += [
        f"{where}: the field {name!r} is empty"
        for name in text_fields
        if name in entry and not str(entry.get(name) or "").strip()
    ]
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
        if not (
            isinstance(weights, (list, tuple))
            and len(weights) == 2
            and all(isinstance(w, (int, float)) for w in weights)
            and 0 <= weights[0] <= weights[1] <= 100
        ):
            problems.append(f"{where}: an award criterion needs weight_range [min, max] points (0–100)")
    elif weights is not None and "weight_range" in entry:
        problems.append(f"{where}: only award criteria carry a weight_range (use null)")
    divisions = entry.get("cpv_divisions")
    if "cpv_divisions" in entry and not (
        isinstance(divisions, list) and all(re.fullmatch(r"\d\d", str(d)) for d in divisions)
    ):
        problems.append(f"{where}: cpv_divisions must be a list of 2-digit CPV divisions such as '15' (empty = any)")
    source = entry.get("source")
    if "source" in entry and not (
        isinstance(source, Mapping)
        and str(source.get("name") or "").strip()
        and re.match(r"https?://", str(source.get("url") or ""))
    ):
        problems.append(f"{where}: source needs a name and a url (http… or https…)")
    if entry.get("commitments") is not None and kind in ("reservation", "selection_criterion"):
        problems.append(f"{where}: a {kind.replace('_', ' ')} is checked before award, so it carries no commitments")
    problems += _commitment_problems(entry.get("commitments"), where, _measure_ids() if measures is None else measures)
    return problems


def validate_library(entries: list[Mapping]) -> list[str]:
    """Every problem in a list of library entries, in plain words naming the file and the entry.

    An entry may carry a `file` key (added by `load_library`) so that problems name the file.
    """
    problems: list[str] = []
    seen: dict[str, str] = {}
    measures = _measure_ids()
    for number, entry in enumerate(entries, start=1):
        ident = entry.get("id") if isinstance(entry, Mapping) else None
        file = entry.get("file") if isinstance(entry, Mapping) else None
        where = (f"{file}, " if file else "") + (f"entry {ident}" if ident else f"entry number {number}")
        problems += _entry_problems(entry, where, measures)
        if ident:
            if ident in seen:
                problems.append(f"{where}: the id {ident} is used twice (also in {seen[ident] or 'this list'})")
            seen.setdefault(ident, file or "")
    return problems


def _read_entries(directory: Path) -> list[dict]:
    entries: list[dict] = []
    files = sorted(directory.glob("*.yaml"))
    if not files:
        raise LearnerError(
            "no criteria library files (*.yaml) were found",
            file=str(directory),
            fix="Restore course/criteria_library from the repository",
        )
    for path in files:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            line = getattr(getattr(exc, "problem_mark", None), "line", None)
            raise LearnerError(
                "this criteria file is not valid YAML",
                file=path.name,
                row=None if line is None else line + 1,
                fix="Check the indentation and quotes near that line",
            ) from exc
        if isinstance(data, Mapping):
            data = data.get("entries")
        if not isinstance(data, list):
            raise LearnerError("a criteria file must hold a list of entries", file=path.name)
        for entry in data:
            if isinstance(entry, dict):
                entry = dict(entry)
                if isinstance(entry.get("cpv_divisions"), list):  # YAML reads 15 (unquoted) as a number
                    entry["cpv_divisions"] = [
                        f"{d:02d}" if isinstance(d, int) else str(d) for d in entry["cpv_divisions"]
                    ]
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
    table = pd.DataFrame(
        [
            {
                **{k: e[k] for k in FIELDS if k != "source"},
                "source": e["source"]["name"],
                "source_url": e["source"]["url"],
                "file": e["file"],
                "commitments": [dict(k) for k in e.get("commitments") or []],
            }
            for e in entries
        ]
    )
    return table.set_index("id", drop=False).rename_axis(None)


def commitments_of(entry: Mapping | pd.Series) -> list[dict]:
    """The measurable commitments (KPIs) of a library entry: [] when it has none."""
    found = entry_data(entry).get("commitments")
    return [dict(k) for k in found] if isinstance(found, list) else []


def cpv_division(cpv_code: str) -> str:
    """The 2-digit CPV division of a code such as '37535200-9' (LearnerError if it is not a CPV code)."""
    text = str(cpv_code or "").strip()
    if not re.fullmatch(r"\d{2}(\d{6}(-\d)?)?", text):
        raise LearnerError(
            f"{text!r} is not a CPV code",
            fix="Give the 8-digit code with its check digit, e.g. 37535200-9, or a 2-digit division",
        )
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


def entry_data(entry: Any) -> Mapping:
    """A library entry as a plain mapping (a table row or a dict)."""
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
    data, values = entry_data(entry), dict(values or {})
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


def suggestions_table(suggested: pd.DataFrame) -> pd.DataFrame:
    """Suggested entries in the learner's words (wording filled with the defaults)."""
    return pd.DataFrame(
        {
            "id": suggested["id"],
            "title": suggested["title"],
            "theme": suggested["theme"],
            "type": suggested["type"].map(TYPE_LABELS),
            "points (typical)": suggested["weight_range"].map(
                lambda r: f"{r[0]}–{r[1]}" if isinstance(r, list) else "–"
            ),
            "wording": [fill_wording(row) for _, row in suggested.iterrows()],
            "verification": suggested["verification"],
            "source": suggested["source"],
            "for": suggested["match"],
        }
    ).reset_index(drop=True)


def commitments_table(library: pd.DataFrame, entry_ids: list[str] | None = None) -> pd.DataFrame:
    """The measurable commitments (KPIs) of some library entries, one row per KPI, in the learner's words;
    an entry without one is listed with "none" (it is checked once, or the learner writes its KPI).
    Without `entry_ids`, the entries of the course's playground draft (course/content/tendering_playground_draft.yaml).
    """
    ids = [item["id"] for item in items("tendering_playground_draft")] if entry_ids is None else list(entry_ids)
    unknown = [i for i in ids if i not in library.index]
    if unknown:
        raise LearnerError(f"not in the criteria library: {', '.join(unknown)}", fix="Use the library's entry ids")
    rows = []
    for ident in ids:
        entry = library.loc[ident]
        kpis = commitments_of(entry) or [{}]
        for kpi in kpis:
            rows.append(
                {
                    "criterion": ident,
                    "title": entry["title"],
                    "type": TYPE_LABELS[entry["type"]],
                    "KPI": kpi.get("name", "none in the library"),
                    "unit": kpi.get("unit", ""),
                    "better when": kpi.get("direction", ""),
                    "social-value measure": kpi.get("measure", ""),
                }
            )
    return pd.DataFrame(rows)
