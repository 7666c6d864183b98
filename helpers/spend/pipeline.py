"""One call from a ledger file to an enriched spend analysis.

`analyse_ledger` runs the steps of the workbench in order (read and clean →
group supplier names → join the supplier register → place each payment at a
geography level → assign a sector) and keeps everything a learner needs to
check the result: the cleaning report, the mapping, how well the register
matched. `analyse_city` does it for the course data; module 4 reuses the same
result (or a learner's own analysis saved with `save_analysis`), so spend
indicators are computed one way only.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

from helpers.core.errors import LearnerError
from helpers.core.fmt import money, number, pct
from helpers.core.paths import exports_dir, my_work_dir
from helpers.core.safety import atomic_write_bytes, atomic_write_text, restore_formula
from helpers.data import LEDGER_YEARS, cities, city_info, ledger_path, load_table
from helpers.spend import city_cache, comparisons, enrich, indicators
from helpers.spend.cleaning import CleaningReport
from helpers.spend.columns import release_unused_memory
from helpers.spend.ingest import read_ledger
from helpers.spend.shares import headline_shares
from helpers.ui.exports import Report, save_report, save_tables_xlsx, to_csv_bytes

Progress = Callable[[str, float], None]
STEPS = (
    "Reading and cleaning the ledger",
    "Grouping supplier names",
    "Joining the supplier register",
    "Placing payments on the map",
    "Assigning sectors",
)


@dataclass
class SpendAnalysis:
    """An enriched ledger and what is needed to trust it."""

    payments: pd.DataFrame
    report: CleaningReport
    mapping: dict[str, str]
    source: str
    levels: enrich.GeographyLevels = enrich.DEFAULT_LEVELS
    register_match: pd.DataFrame | None = None
    notes: list[str] = field(default_factory=list)

    def headline(self) -> dict:
        """The headline indicators (see `indicators.headline_indicators`)."""
        return indicators.headline_indicators(self.payments, self.levels)

    def tables(self) -> dict[str, pd.DataFrame]:
        """The indicator tables shown in the dashboard and exported to Excel."""
        p = self.payments
        head = self.headline()
        shares = headline_shares(head)
        return {
            "Headline": pd.DataFrame(
                {
                    "indicator": list(head),
                    "value": ["unknown" if v is None else v for v in head.values()],
                    "about this figure": [shares[k].explain() if k in shares else "" for k in head],
                }
            ),
            "Geography": indicators.geography_shares(p, self.levels),
            "Size class": indicators.size_class_shares(p),
            "Social economy": indicators.share_by(p, "social_economy", missing_label="unknown")
            if "social_economy" in p
            else pd.DataFrame(),
            "Sectors": indicators.sector_shares(p),
            "Top suppliers": indicators.top_suppliers(p, 20),
            "Benchmarks": comparisons.compare_with_benchmarks(head),
            "Data quality": pd.DataFrame([{"reason": d["reason"], "rows": d["count"]} for d in self.report.dropped]),
        }


def _report_progress(progress: Progress | None, step: int) -> None:
    release_unused_memory()  # between steps: the last step's intermediate columns are garbage now
    if progress is not None:
        progress(STEPS[step], step / len(STEPS))


def analyse_ledger(
    path: str | Path,
    *,
    mapping: Mapping[str, str] | None = None,
    register: pd.DataFrame | None = None,
    geography: pd.DataFrame | None = None,
    home_country: str | None = None,
    category_map: pd.DataFrame | None = None,
    cpv_names: pd.DataFrame | None = None,
    levels: enrich.GeographyLevels = enrich.DEFAULT_LEVELS,
    overrides: Mapping[str, str] | None = None,
    progress: Progress | None = None,
    use_saved_mapping: bool = True,
    label: str | None = None,
) -> SpendAnalysis:
    """Read, clean and enrich one ledger. Without a register or geography table the
    size, social-economy and location columns are "unknown" (shown, never dropped)."""
    _report_progress(progress, 0)
    result = read_ledger(path, dict(mapping) if mapping else None, use_saved_mapping=use_saved_mapping)
    _report_progress(progress, 1)
    payments = enrich.group_payments(result.payments, overrides)
    notes: list[str] = []
    match = None
    _report_progress(progress, 2)
    if register is not None:
        payments = enrich.join_register(payments, register)
        match = enrich.match_report(payments)
    else:
        notes.append("No supplier register: size class and social economy are unknown for every payment.")
    _report_progress(progress, 3)
    if geography is not None:
        payments = enrich.place_payments(payments, geography, home_country=home_country, levels=levels)
    else:
        payments = payments.assign(level=levels.unknown, place=pd.NA)
        notes.append("No geography table: every payment's location is unknown.")
    _report_progress(progress, 4)
    payments = enrich.assign_sector(payments, category_map, cpv_names)
    if "size_class" not in payments:
        payments = payments.assign(size_class="unknown", sme=pd.NA, social_economy=pd.NA)
    payments = payments.assign(year=payments["date"].dt.year.astype("Int64"))
    if progress is not None:
        progress("Done", 1.0)
    return SpendAnalysis(payments, result.report, dict(result.mapping), label or Path(path).name, levels, match, notes)


def city_reference(city: str) -> dict:
    """The course data an analysis of `city` uses: register, geography, categories, CPV names."""
    info = city_info(city)
    return {
        "register": load_table("suppliers", city=city),
        "geography": load_table("geography", city=city),
        "home_country": info["home_country_code"],
        "category_map": load_table("category_cpv"),
        "cpv_names": load_table("cpv_divisions"),
    }


def compute_city_analysis(city: str, year: int) -> SpendAnalysis:
    """A course city's analysis computed from its ledger (what `city_cache` stores)."""
    reference = city_reference(city)
    return analyse_ledger(
        ledger_path(city, year), use_saved_mapping=False, label=f"{city_info(city)['name']} {year}", **reference
    )


def cache_city_analyses() -> list[Path]:
    """Compute and cache every course city's analysis whose cache is missing or stale (`make data`);
    the files written."""
    written = []
    for city in cities():
        for year in LEDGER_YEARS:
            if city_cache.is_current(city, year):
                continue
            path = city_cache.write(city, year, compute_city_analysis(city, year))
            if path is not None:
                written.append(path)
    return written


@lru_cache(maxsize=8)
def _city_analysis(city: str, year: int) -> SpendAnalysis:
    cached = city_cache.read(city, year)  # made by `make data`; None when missing or stale
    if cached is None:
        return compute_city_analysis(city, year)
    return SpendAnalysis(
        cached["payments"],
        cached["report"],
        cached["mapping"],
        cached["source"],
        enrich.DEFAULT_LEVELS,
        cached["register_match"],
        cached["notes"],
    )


def analyse_city(city: str = "portavera", year: int = 2025) -> SpendAnalysis:
    """The enriched analysis of a course city's ledger for one year (cached; a copy of the payments)."""
    cached = _city_analysis(city, int(year))
    return SpendAnalysis(
        cached.payments.copy(),
        cached.report,
        dict(cached.mapping),
        cached.source,
        cached.levels,
        cached.register_match,
        list(cached.notes),
    )


def analysis_for(city: str = "portavera", year: int = 2025, ledger: str | Path | None = None) -> SpendAnalysis:
    """The analysis a notebook works on: the learner's `ledger` (read with the mapping saved for files of
    its shape, else the guessed one; course CPV tables; no register or geography table, so size and
    location are unknown) when given, else the course city's `year`."""
    if not ledger:
        return analyse_city(city, year)
    path = Path(ledger)
    if not path.is_file():
        raise LearnerError(
            f"the ledger {path} does not exist", fix="Check the path given as ledger= (relative to the notebook)"
        )
    return analyse_ledger(path, category_map=load_table("category_cpv"), cpv_names=load_table("cpv_divisions"))


def main_year_payments(analysis: SpendAnalysis) -> dict[int, pd.DataFrame]:
    """The payments of each year of the ledger's main period (the years with a meaningful share of its
    lines), for `year_on_year`: stray lines dated in other years get no column of their own."""
    years = analysis.report.main_years if analysis.report is not None else []
    p = analysis.payments
    return {int(y): p[p["year"] == y] for y in years}


# -- a learner's own analysis, saved for module 4 -----------------------------------------
ANALYSES = "analyses"
SAVED_COLUMNS = [
    "date",
    "year",
    "supplier",
    "supplier_group",
    "amount",
    "category",
    "service_area",
    "level",
    "size_class",
    "sme",
    "social_economy",
    "sector",
    "cpv_division",
    "currency",
]


def _analysis_dir() -> Path:
    path = my_work_dir() / ANALYSES
    path.mkdir(parents=True, exist_ok=True)
    return path


def _safe_name(name: str) -> str:
    cleaned = "".join(ch if ch.isalnum() or ch in "-_ " else "_" for ch in str(name)).strip()
    if not cleaned:
        raise LearnerError("an analysis needs a name", fix="Type a name, e.g. 'My city 2025', and save again")
    return cleaned[:80]


def analysis_name_for(ledger: str | Path) -> str:
    """The name a ledger's analysis is saved under when a notebook is given the ledger (`ledger=`):
    its file name without the extension, so module 4 finds what module 3 saved."""
    return _safe_name(Path(ledger).stem)


def analysis_exists(name: str) -> bool:
    """True when an analysis is already saved under `name`."""
    return str(name) in _saved()


class AlreadySaved(LearnerError):
    """An analysis of that name is saved already: the learner chooses to replace it or not."""


def _saved() -> dict[str, str]:
    """Each saved analysis's name → the stem of its files (unreadable descriptions skipped)."""
    found = {}
    for meta in sorted(_analysis_dir().glob("*.json")):
        try:
            name = json.loads(meta.read_text(encoding="utf-8"))["name"]
        except (OSError, ValueError, KeyError, TypeError):
            continue  # a save in progress, or a damaged file: never a reason to fail
        if isinstance(name, str):
            found.setdefault(name, meta.stem)
    return found


def _claim_stem(name: str) -> str:
    """A file stem for a new analysis: its cleaned name, or `name_2`… when another analysis whose
    name cleans to the same text ("Lisbon/2025", "Lisbon_2025") has it. Claimed atomically."""
    base, folder = _safe_name(name), _analysis_dir()
    for n in range(1, 10_000):
        stem = base if n == 1 else f"{base}_{n}"
        if (folder / f"{stem}.csv").exists():
            continue
        try:
            os.close(os.open(folder / f"{stem}.json", os.O_WRONLY | os.O_CREAT | os.O_EXCL))
        except FileExistsError:
            continue
        return stem
    raise LearnerError(f"too many analyses called {base!r}", fix="Choose another name")


def save_analysis(analysis: SpendAnalysis, name: str, *, replace: bool = False) -> Path:
    """Save the enriched payments (the columns module 4 needs), their levels and their scope (file,
    lines, kept total, period, mapping), atomically.

    An analysis already saved under `name` is replaced only when `replace` (else `AlreadySaved`,
    which asks); two names that clean to the same file name are saved side by side. Text cells
    are neutralised in the CSV (no formula runs if it is opened in a spreadsheet)."""
    _safe_name(name)  # a name is needed
    existing = _saved().get(str(name))
    if existing and not replace:
        raise AlreadySaved(
            f"an analysis called {name!r} is saved already",
            fix="Click save again to replace it, or type another name",
        )
    stem = existing or _claim_stem(str(name))
    columns = [c for c in SAVED_COLUMNS if c in analysis.payments]
    folder = _analysis_dir()
    atomic_write_bytes(folder / f"{stem}.csv", to_csv_bytes(analysis.payments[columns]))
    report = analysis.report
    meta = {
        "name": name,
        "source": analysis.source,
        "levels": list(analysis.levels.levels),
        "local": analysis.levels.local,
        "regional": analysis.levels.regional,
        "mapping": dict(analysis.mapping),
        "lines": int(len(analysis.payments)),
        "total": round(float(analysis.payments["amount"].sum()), 2),
        "file": report.file if report is not None else analysis.source,
        "period": report.period_text() if report is not None else "",
        "currency": report.currency_text() if report is not None else "",
    }
    atomic_write_text(folder / f"{stem}.json", json.dumps(meta, ensure_ascii=False, indent=1))
    return folder / f"{stem}.csv"


def _stem_of(name: str) -> str | None:
    return _saved().get(str(name))


def load_analysis_meta(name: str) -> dict:
    """What was saved with an analysis: its name, source and geography levels."""
    stem = _stem_of(name)
    if stem is None:
        raise LearnerError(f"no saved analysis called {name!r}", fix="Save one in module 3 first")
    return json.loads((_analysis_dir() / f"{stem}.json").read_text(encoding="utf-8"))


def save_notebook_analysis(analysis: SpendAnalysis, ledger: str | Path) -> str:
    """Save a notebook's analysis of `ledger` for module 4 under `analysis_name_for(ledger)`; what was
    saved (and replaced), in words."""
    name = analysis_name_for(ledger)
    replaced = analysis_exists(name)
    save_analysis(analysis, name, replace=True)  # the notebook says so when it replaces one
    return (
        f"Saved the analysis of {Path(ledger).name} for module 4 as '{name}': "
        f"{len(analysis.payments):,} payment lines, total {money(analysis.payments['amount'].sum(), None)}."
        + (" It replaces the analysis saved earlier under this name." if replaced else "")
    )


def list_analyses() -> list[str]:
    """Names of the analyses the learner saved."""
    return sorted(_saved())


def load_analysis(name: str) -> pd.DataFrame:
    """A saved analysis's payments (for module 4's opportunity matrix)."""
    stem = _stem_of(name)
    path = _analysis_dir() / f"{stem}.csv"
    if stem is None or not path.is_file():
        raise LearnerError(
            f"no saved analysis called {name!r}",
            fix=f"Choose one of: {', '.join(list_analyses()) or 'none saved yet (save one in module 3)'}",
        )
    text_columns = ("cpv_division", "category", "service_area", "supplier", "supplier_group", "level", "currency")
    try:
        frame = pd.read_csv(path, dtype={c: "str" for c in text_columns}, parse_dates=["date"])
    except (ValueError, UnicodeDecodeError, OSError) as exc:  # pandas' parser errors are ValueErrors
        raise LearnerError(
            f"the saved analysis {name!r} cannot be read ({exc})",
            file=str(path),
            fix="Save the analysis again in module 3",
        ) from exc
    missing = [c for c in ("amount", "level", "supplier_group") if c not in frame]
    if missing:
        raise LearnerError(
            f"the saved analysis {name!r} lacks the column(s) {', '.join(missing)}",
            file=str(path),
            fix="Save the analysis again in module 3",
        )
    for column in frame.columns:  # undo the formula guard written by to_csv_bytes
        if frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column]):
            guarded = frame[column].str.startswith("'", na=False)
            if guarded.any():
                frame.loc[guarded, column] = frame.loc[guarded, column].map(restore_formula)
    return frame


def saved_headline(name: str) -> dict:
    """The headline indicators of an analysis saved in module 3, with the geography levels saved with it
    (a share its data cannot give is None: `helpers.spend.shares`)."""
    meta = load_analysis_meta(name)
    levels = enrich.DEFAULT_LEVELS
    try:
        levels = enrich.GeographyLevels(tuple(meta["levels"]), local=meta.get("local"), regional=meta.get("regional"))
    except (KeyError, TypeError, LearnerError):
        pass  # an analysis saved before the levels were kept: the default levels
    payments = load_analysis(name)
    for column, missing in (("level", levels.unknown), ("size_class", "unknown")):
        if column in payments:
            payments[column] = payments[column].fillna(missing)
    if "social_economy" in payments:
        payments["social_economy"] = (
            payments["social_economy"].map({True: True, False: False, "True": True, "False": False}).astype("boolean")
        )
    return indicators.headline_indicators(payments, levels)


# -- exports -------------------------------------------------------------------------------
def summary_report(analysis: SpendAnalysis) -> Report:
    """A one-page summary a learner can paste into a council report: every share "unknown" where the
    data cannot give it, with why and what to add, and the scope (file, lines, period, exclusions)."""
    head = analysis.headline()
    shares = headline_shares(head)
    report_ = analysis.report
    report = Report(
        f"Where the money goes: {analysis.source}",
        f"Spend analysis of {head['lines']:,} payment lines of {report_.file}, {report_.period_text()}; "
        f"currency: {report_.currency_text()}.",
    )
    text = {key: share.text() for key, share in shares.items()}
    report.add(
        "Headline figures",
        bullets=[
            f"Total spend (net, credit notes included): {money(head['total'], None)}",
            f"Spent with suppliers in the city: {text['local_share_city']}; "
            f"in the city or the wider region: {text['local_share_region']}",
            f"Spent with SMEs: {text['sme_share']}; with social-economy organisations: {text['social_economy_share']}",
            f"Location unknown: {text['unknown_location_share']} of spend (shown, not dropped)",
            f"Top 10 suppliers hold {text['top10_share']} of spend; HHI {number(head['hhi'])} "
            f"across {head['suppliers']:,} suppliers",
        ],
    )
    explained = list(dict.fromkeys(s.explain() for s in shares.values() if s.explain()))
    if explained:
        report.add("What the data cannot show yet", bullets=explained)
    tables = analysis.tables()
    report.add("Where the money goes", table=_as_text_shares(tables["Geography"]))
    report.add("Largest suppliers", table=_as_text_shares(tables["Top suppliers"].head(10)))
    report.add(
        "Compared with published benchmarks",
        paragraphs=["Definitions differ between studies: read each note before comparing."],
        table=comparisons.benchmark_table(head),
    )
    quality = [f"{d['count']:,} rows dropped: {d['reason']}" for d in report_.dropped]
    quality.append(f"Amounts on dropped lines (not payments): {report_.dropped_text()}")
    quality.append(
        f"{report_.credit_notes['count']:,} credit notes kept (total {money(report_.credit_notes['total'], None)})"
    )
    quality.append(f"{report_.redacted['count']:,} payments with a redacted supplier name")
    report.add("Data quality", bullets=quality + list(report_.warnings) + analysis.notes)
    return report


def _as_text_shares(table: pd.DataFrame) -> pd.DataFrame:
    out = table.copy()
    for column in out.columns:
        if "share" in str(column):
            out[column] = out[column].map(pct)
        elif column == "amount":
            out[column] = out[column].map(lambda v: money(v, None))
    return out


def export_analysis(analysis: SpendAnalysis, stem: str | None = None) -> list[Path]:
    """Write the indicator tables (XLSX, formulas neutralised) and the summary (Markdown, HTML)."""
    name = _safe_name(stem or analysis.source).replace(" ", "_")
    folder = exports_dir()
    report = summary_report(analysis)
    return [
        save_tables_xlsx({k: v for k, v in analysis.tables().items() if not v.empty}, folder / f"spend_{name}.xlsx"),
        save_report(report, folder / f"spend_{name}.md"),
        save_report(report, folder / f"spend_{name}.html"),
    ]
