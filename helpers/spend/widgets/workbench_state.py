"""The workbench's state: one spend analysis in progress, without any widget.

`Workbench` holds the source, the mapping, the enriched payments, the learner's supplier
groups, the geography levels and the filters, and does the work; tests drive it from
Python and `WorkbenchWidget` only builds controls around it. The headline figures come
from a `SpendCube`, so a filter change recomputes them in milliseconds.

Every figure states its scope: a learner's file opens on the whole file (the headline total
then equals the cleaning report's total of the payments kept), the filters in force name the
column of the headline figures and every chart's subtitle, and `scope_text` says what the
selection holds and what it leaves out. `session` / `reopen` (in `workbench_session`) let the
widget reopen on the learner's last ledger after a kernel restart.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from helpers.core.errors import LearnerError
from helpers.core.fmt import money, pct
from helpers.data import LEDGER_YEARS, city_info, load_table
from helpers.spend import lm3, pipeline
from helpers.spend.cleaning import year_span
from helpers.spend.comparisons import benchmark_table
from helpers.spend.geography import DEFAULT_LEVELS, GeographyLevels
from helpers.spend.indicators import NO_CURRENCY, SpendCube
from helpers.spend.ledger_checks import main_years
from helpers.spend.ledger_files import LedgerPreview, preview_ledger
from helpers.spend.mapping import save_mapping
from helpers.spend.reference_tables import read_geography, read_register
from helpers.spend.suppliers import group_payments, name_variant_groups
from helpers.spend.widgets.workbench_figures import dashboard_figures, geography_shares_table
from helpers.spend.widgets.workbench_views import headline_table

ALL = "all"
FILTERS = ("year", "service_area", "category", "level", "currency")


class Workbench:
    """One spend analysis in progress: its source, mapping, payments, groups and filters."""

    def __init__(self) -> None:
        self.payments: pd.DataFrame | None = None
        self.reports: dict[str, object] = {}
        self.cube: SpendCube | None = None
        self.filters: dict[str, str] = {}
        self.overrides: dict[str, str] = {}
        self.preview: LedgerPreview | None = None
        self.register: pd.DataFrame | None = None
        self.register_label = ""
        self.register_path: Path | None = None  # where the register came from (None: course data or a table)
        self.geography: pd.DataFrame | None = None
        self.geography_label = ""
        self.geography_choice = ""  # "city:<id>", a file path, or "" (none)
        self.home_country: str | None = None
        self.levels = DEFAULT_LEVELS  # the levels of the analysis on show
        self.next_levels = DEFAULT_LEVELS  # the levels of the chosen geography table (next analysis)
        self.label = ""
        self.source: dict = {}  # {"kind": "course", "city", "year"} or {"kind": "file", "path", "name"}
        self.currency: str | None = None
        self.notes: list[str] = []
        self.mapping: dict[str, str] = {}
        self.mapping_saved_to: Path | None = None

    # -- sources
    def load_shipped(
        self, city: str = "portavera", year: int = 2025, progress: Callable[[str, float], None] | None = None
    ) -> dict:
        """Analyse a course city's ledgers (both years, for the year-on-year view); filter on `year`,
        the year of the course ledger (and cleaning report) on show."""
        name = city_info(city)["name"]
        analyses = {}
        for step, y in enumerate(LEDGER_YEARS):
            if progress:
                progress(f"Analysing {name} {y} (course data)", step / len(LEDGER_YEARS))
            analyses[y] = pipeline.analyse_city(city, y)
        self.preview, self.mapping, self.mapping_saved_to = None, dict(analyses[int(year)].mapping), None
        self.label, self.currency = name, "EUR"
        self.source = {"kind": "course", "city": city, "year": int(year)}
        self.register_label = f"{name}'s supplier register (course data)"
        self.geography_label = f"{name}'s geography table (course data)"
        self.notes = []
        self.levels = analyses[int(year)].levels  # course cities: the default levels
        self._use(
            pd.concat([a.payments for a in analyses.values()], ignore_index=True),
            {str(y): a.report for y, a in analyses.items()},
            {"year": str(int(year))},
        )
        if progress:
            progress("Done", 1.0)
        return self.headline()

    def load_file(self, path: str | Path) -> LedgerPreview:
        """Look at a ledger file's columns and propose a mapping (the analysis waits for confirm_mapping)."""
        self.preview = preview_ledger(path)
        return self.preview

    def load_ledger(
        self,
        path: str | Path,
        mapping: dict[str, str] | None = None,
        progress: Callable[[str, float], None] | None = None,
    ) -> dict:
        """Preview and analyse a ledger in one step, with `mapping` or the one proposed (saved for files
        of its shape, else guessed): a notebook's `ledger=` parameter and a reopened session use it."""
        preview = self.load_file(path)
        return self.confirm_mapping(mapping or preview.proposed, progress=progress)

    def use_register(self, register: pd.DataFrame | str | Path | None, label: str = "") -> None:
        """Use a supplier register for the next analysis (None: no register)."""
        self.register_path = None
        if register is None or isinstance(register, pd.DataFrame):
            self.register = register
        else:
            self.register = read_register(register)
            self.register_path = Path(register)
            label = label or Path(register).name
        self.register_label = label if self.register is not None else ""

    def use_geography(self, geography: pd.DataFrame | str | Path | None, home_country: str | None = None) -> None:
        """Use a geography table for the next analysis: a course city's (by id), a table or CSV file, or None.

        A course city's table keeps the default levels (city, region, country); a learner's
        table brings its own levels, nearest first (`GeographyLevels.from_table`), e.g.
        Pamplona's city, metropolitan, regional, national. The learner's earlier choice of
        local and regional levels is kept when the new table has the same levels.
        """
        levels = DEFAULT_LEVELS
        self.geography_choice = ""
        if isinstance(geography, str):
            info = city_info(geography)
            self.geography, self.geography_label = (
                load_table("geography", city=geography),
                f"{info['name']}'s geography table (course data)",
            )
            self.geography_choice = f"city:{geography}"
            home_country = home_country or info["home_country_code"]
        elif isinstance(geography, Path):
            self.geography, self.geography_label = read_geography(geography), geography.name
            self.geography_choice = str(geography)
            levels = GeographyLevels.from_table(self.geography)
        elif isinstance(geography, pd.DataFrame):
            self.geography, self.geography_label = geography, "your geography table"
            levels = GeographyLevels.from_table(geography)
        else:
            self.geography, self.geography_label = None, ""
        self.next_levels = self.next_levels if self.next_levels.levels == levels.levels else levels
        self.home_country = (home_country or "").strip().upper() or None

    def set_levels(self, local: str | None = None, regional: str | None = None) -> dict:
        """Choose which levels count as local (in the city) and as the wider region; the new headline.

        Both are cumulative from the nearest level: with Pamplona's levels, regional =
        "regional" counts city + metropolitan + regional. Only the indicators change: each
        payment keeps its level.
        """
        current = self.levels
        local, regional = local or current.local, regional or current.regional
        chosen = GeographyLevels(current.levels, current.abroad, current.unknown, local, regional)
        if chosen.levels.index(chosen.regional) < chosen.levels.index(chosen.local):
            raise LearnerError(
                f"the wider region ('{chosen.regional}') cannot be nearer than the city ('{chosen.local}')",
                fix="Choose a wider-region level at or beyond the local one",
            )
        self.levels = chosen
        if self.next_levels.levels == chosen.levels:
            self.next_levels = chosen
        if self.payments is not None:
            self.cube = SpendCube(self.payments, chosen)
            return self.headline()
        return {}

    def confirm_mapping(self, mapping: dict[str, str], progress: Callable[[str, float], None] | None = None) -> dict:
        """Run the analysis of the previewed file with this mapping, and save the mapping for its shape.

        The dashboard opens on the whole file: no filter, so the headline total is the cleaning
        report's total of the payments kept (lines dated outside the main period included, and said)."""
        if self.preview is None:
            raise LearnerError("no file is loaded yet", fix="Upload a ledger or choose one from my_data/ first")
        chosen = {r: c for r, c in mapping.items() if c}
        if "amount" not in chosen:
            raise LearnerError(
                "no column is chosen as the amount paid — choose it in the mapping",
                fix="Pick the column holding the net amount of each payment, then confirm again",
            )
        levels = self.next_levels if self.geography is not None else DEFAULT_LEVELS
        path = self.preview.path
        analysis = pipeline.analyse_ledger(
            path,
            mapping=chosen,
            register=self.register,
            geography=self.geography,
            home_country=self.home_country,
            category_map=load_table("category_cpv"),
            cpv_names=load_table("cpv_divisions"),
            levels=levels,
            progress=progress,
            label=path.name,
        )
        self.mapping_saved_to = save_mapping(self.preview.signature, analysis.mapping)
        self.mapping = dict(analysis.mapping)
        self.label, self.currency, self.notes = analysis.source, analysis.report.currency, list(analysis.notes)
        self.source = {"kind": "file", "path": str(path), "name": path.name}
        self.levels = analysis.levels
        self._use(analysis.payments, {"file": analysis.report}, {})
        return self.headline()

    def _use(self, payments: pd.DataFrame, reports: dict, filters: dict) -> None:
        self.payments, self.reports, self.overrides = payments, reports, {}
        self.cube = SpendCube(payments, self.levels)
        self.filters = {}
        self.set_filters(**filters)

    # -- dashboard
    def _need(self) -> SpendCube:
        if self.cube is None:
            raise LearnerError("no analysis yet", fix="Load a course ledger, or confirm the mapping of your file")
        return self.cube

    def filter_options(self) -> dict[str, list[str]]:
        """The values each filter can take (the first is always "all"); currency only with several."""
        cube = self._need()
        return {dim: [ALL] + sorted(str(v) for v in cube.categories[dim]) for dim in FILTERS}

    def set_filters(self, **filters: str | None) -> dict:
        """Change filters (year, service_area, category, level, currency; "all" or None removes one); the headline."""
        options = self.filter_options()
        for dim, value in filters.items():
            if dim not in options:
                raise LearnerError(f"cannot filter by '{dim}'", fix=f"Use one of: {', '.join(options)}")
            value = ALL if value in (None, "") else str(value)
            if value not in options[dim]:
                raise LearnerError(
                    f"'{value}' is not a value of {dim} in this ledger",
                    fix=f"Choose one of: {', '.join(options[dim][:12])}",
                )
            if value == ALL:
                self.filters.pop(dim, None)
            else:
                self.filters[dim] = value
        return self.headline()

    def headline(self) -> dict:
        """The headline indicators of the payments matching the filters (from the cube: fast)."""
        return self._need().indicators(self.filters)

    def currencies(self) -> list[str]:
        """The currencies in the analysis ("not stated" for lines without one)."""
        return [str(c) for c in self._need().categories["currency"]]

    def view_currency(self) -> str | None:
        """The currency of the figures on show: the chosen one, the ledger's only one, or None (several)."""
        chosen = self.filters.get("currency")
        if chosen:
            return None if chosen == NO_CURRENCY else chosen
        stated = [c for c in self.currencies() if c != NO_CURRENCY]
        return self.currency if len(stated) <= 1 else None

    def geography_table(self) -> pd.DataFrame:
        """Spend and share per level for the current filters, in the analysis's order (abroad, unknown last)."""
        return geography_shares_table(self._need().share_by("level", self.filters), self.levels)

    def levels_text(self) -> str:
        """The levels in use and which count as local and as the wider region, in plain words."""
        lv = self.levels
        return (
            f"Geography levels, nearest first: {' → '.join(lv.ordered)}. In the city: "
            f"{', '.join(lv.city_levels)}. In the city or the wider region: {', '.join(lv.region_levels)}."
        )

    def filter_text(self) -> str:
        return ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in self.filters.items()) or "all payments"

    def _report_on_show(self):
        year = self.filters.get("year")
        return self.reports.get(year) or self.reports.get("file") or next(iter(self.reports.values()), None)

    def scope_text(self) -> str:
        """What the figures cover: the source, the filters, the lines and period, and what the
        selection leaves out or mixes (lines outside the main period, several currencies)."""
        head, report = self.headline(), self._report_on_show()
        parts = [f"{self.label}: {self.filter_text()}, {head['lines']:,} payment lines"]
        if self.source.get("kind") == "course":
            parts.append(f"course ledger {self.source['year']} and its cleaning report")
        elif not self.filters and report is not None:
            parts.append(
                f"the whole file: the total equals the cleaning report's total of the payments kept "
                f"({money(report.total_after, None)})"
            )
        elif report is not None:
            parts.append(f"the whole file holds {money(report.total_after, None)} on {report.rows_kept:,} lines")
        if report is not None and report.outside_period and "year" not in self.filters:
            out = report.outside_period
            parts.append(
                f"{out['count']:,} line(s) dated {year_span(out['years'])}, outside the main period "
                f"({year_span(report.main_years)}), are included"
            )
        return "; ".join(parts) + "."

    def total_note(self) -> str:
        """What the headline total adds up (beside the figure): several currencies, invoice totals that
        look repeated per line, or that it equals the cleaning report's kept total."""
        notes = []
        stated = [c for c in self.currencies() if c != NO_CURRENCY]
        if len(stated) > 1 and "currency" not in self.filters:
            notes.append(
                f"Adds amounts in {', '.join(stated)} as they stand (no exchange rate): not an amount in any "
                "one currency. Choose a currency in the filter."
            )
        report = self._report_on_show()
        repeated = report.repeated_invoices if report is not None else {}
        if repeated:
            instead = f" Use '{repeated['use_instead']}' as the amount." if repeated.get("use_instead") else ""
            notes.append(
                f"May count invoice totals more than once: {repeated['invoices']:,} invoice numbers repeat the "
                f"same amount on each of their lines ({money(repeated['counted_again'], None)} counted again; "
                f"see the cleaning report).{instead}"
            )
        if not self.filters and report is not None and self.source.get("kind") == "file":
            notes.append("Equals the cleaning report's total of the payments kept.")
        return " ".join(notes)

    def headline_frame(self) -> pd.DataFrame:
        """The headline table: figures named by their scope, with what is unknown or mixed beside them."""
        notes = {"total": self.total_note()} if self.total_note() else {}
        return headline_table(self.headline(), self.view_currency(), self.filter_text(), notes)

    def headline_text(self) -> str:
        """The headline figures as plain lines (shares rounded to 0.1 pp), with their scope and notes."""
        table = self.headline_frame()
        lines = [self.scope_text()]
        for row in table.itertuples(index=False):
            lines.append(f"{row[0]}: {row[1]}" + (f" ({row[2]})" if row[2] else ""))
        size = self._need().share_by("size_class", self.filters).set_index("size_class")["share"]
        unknown = float(size.get("unknown", 0.0))
        if unknown > 0:
            lines.append(f"Supplier size unknown for {pct(unknown)} of spend (not counted as SME).")
        return "\n".join(lines)

    def filtered_table(self) -> pd.DataFrame:
        """The cube rows (payments summed by every dimension) matching the filters."""
        cube = self._need()
        return cube.table[cube.mask(self.filters)]

    def main_years(self) -> list[str]:
        """The years with a meaningful share of the payment lines (the only ones year on year)."""
        if self.payments is None:
            return []
        return [str(y) for y in main_years(self.payments["date"])]

    def figures(self) -> dict[str, go.Figure]:
        """The five dashboard charts for the current filters."""
        return dashboard_figures(self._need(), self.filters, self.levels, self.label, self.main_years())

    def benchmarks(self) -> pd.DataFrame:
        """Our headline shares beside the published benchmarks ("unknown" where the data cannot give ours)."""
        return benchmark_table(self.headline())

    # -- supplier groups
    def variant_groups(self) -> pd.DataFrame:
        """Supplier groups that merged more than one name variant, largest spend first."""
        return name_variant_groups(self.payments)

    def group_count(self) -> int:
        return int(self.payments["supplier_group"].nunique()) if self.payments is not None else 0

    def split_off(self, name: str) -> int:
        """Undo a wrong merge: payments to the name variant `name` become a group of their own."""
        self._need()
        known = set(self.payments["supplier"].astype("str").str.strip())
        if name not in known:
            raise LearnerError(
                f"no payment is made to a supplier named '{name}'", fix="Choose a name variant from the list"
            )
        self.overrides[name] = name
        return self._regroup()

    def clear_overrides(self) -> int:
        """Go back to the automatic grouping."""
        self.overrides = {}
        return self._regroup()

    def _regroup(self) -> int:
        self.payments = group_payments(self.payments, self.overrides or None)
        self.cube = SpendCube(self.payments, self.levels)
        return self.group_count()

    # -- what-if and LM3
    def what_if(self, shift_pct: float, respend_rate: float | None = None) -> dict:
        """New local share and LM3 if `shift_pct`% of non-local spend in categories with local suppliers moved
        (`lm3.what_if`: unknown, with the reason, when the selection has no supplier location).

        `respend_rate` defaults to the course's worked example (`lm3.default_respend_rate`).
        """
        if respend_rate is None:
            respend_rate = lm3.default_respend_rate()
        return lm3.what_if(self.filtered_table(), self.headline(), self.levels.city_levels, shift_pct, respend_rate)

    # -- exports
    def analysis(self) -> pipeline.SpendAnalysis:
        """The analysis of the chosen year (the whole file when no year is chosen), with the learner's groups."""
        self._need()
        payments, year = self.payments, self.filters.get("year")
        if year and year != "unknown":
            payments = payments[payments["year"].astype("str") == year]
        label = f"{self.label} {year}" if year and self.label and year not in self.label else self.label
        return pipeline.SpendAnalysis(
            payments.reset_index(drop=True),
            self._report_on_show(),
            dict(self.mapping),
            label,
            self.levels,
            None,
            list(self.notes),
        )

    def export(self) -> list[Path]:
        """Excel tables and the Markdown + HTML summary in my_work/exports/."""
        return pipeline.export_analysis(self.analysis())

    def save_for_module4(self, name: str, replace: bool = False) -> Path:
        """Save the enriched payments under `name` for module 4's opportunity matrix (an analysis
        already saved under `name` only when `replace`)."""
        return pipeline.save_analysis(self.analysis(), name, replace=replace)
