"""The workbench's state: one spend analysis in progress, without any widget.

`Workbench` holds the source, the mapping, the enriched payments, the learner's supplier
groups, the geography levels and the filters, and does the work; tests drive it from
Python and `WorkbenchWidget` only builds controls around it. The headline figures come
from a `SpendCube`, so a filter change recomputes them in milliseconds.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from helpers.core.errors import LearnerError
from helpers.core.fmt import pct
from helpers.data import LEDGER_YEARS, city_info, load_table
from helpers.spend import lm3, pipeline
from helpers.spend.comparisons import benchmark_table
from helpers.spend.geography import DEFAULT_LEVELS, GeographyLevels
from helpers.spend.indicators import SpendCube
from helpers.spend.ledger_files import LedgerPreview, preview_ledger
from helpers.spend.mapping import save_mapping
from helpers.spend.reference_tables import read_geography, read_register
from helpers.spend.suppliers import group_payments
from helpers.spend.widgets.workbench_figures import (
    geography_figure,
    geography_shares_table,
    sector_location_figure,
    size_social_figure,
    top_suppliers_figure,
    year_on_year_figure,
)
from helpers.spend.widgets.workbench_views import headline_table
from helpers.ui.theme import chart_label

ALL = "all"


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
        self.geography: pd.DataFrame | None = None
        self.geography_label = ""
        self.home_country: str | None = None
        self.levels = DEFAULT_LEVELS  # the levels of the analysis on show
        self.next_levels = DEFAULT_LEVELS  # the levels of the chosen geography table (next analysis)
        self.label = ""
        self.currency: str | None = None
        self.notes: list[str] = []
        self.mapping: dict[str, str] = {}
        self.mapping_saved_to: Path | None = None

    # -- sources
    def load_shipped(
        self, city: str = "portavera", year: int = 2025, progress: Callable[[str, float], None] | None = None
    ) -> dict:
        """Analyse a course city's ledgers (both years, for the year-on-year view); filter on `year`."""
        name = city_info(city)["name"]
        analyses = {}
        for step, y in enumerate(LEDGER_YEARS):
            if progress:
                progress(f"Analysing {name} {y} (course data)", step / len(LEDGER_YEARS))
            analyses[y] = pipeline.analyse_city(city, y)
        self.preview, self.mapping, self.mapping_saved_to = None, dict(analyses[int(year)].mapping), None
        self.label, self.currency = name, "EUR"
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

    def use_register(self, register: pd.DataFrame | str | Path | None, label: str = "") -> None:
        """Use a supplier register for the next analysis (None: no register)."""
        if register is None or isinstance(register, pd.DataFrame):
            self.register = register
        else:
            self.register = read_register(register)
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
        if isinstance(geography, str):
            info = city_info(geography)
            self.geography, self.geography_label = (
                load_table("geography", city=geography),
                f"{info['name']}'s geography table (course data)",
            )
            home_country = home_country or info["home_country_code"]
        elif isinstance(geography, Path):
            self.geography, self.geography_label = read_geography(geography), geography.name
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
        """Run the analysis of the previewed file with this mapping, and save the mapping for its shape."""
        if self.preview is None:
            raise LearnerError("no file is loaded yet", fix="Upload a ledger or choose one from my_data/ first")
        chosen = {r: c for r, c in mapping.items() if c}
        if "amount" not in chosen:
            raise LearnerError(
                "no column is chosen as the amount paid — choose it in the mapping",
                fix="Pick the column holding the net amount of each payment, then confirm again",
            )
        levels = self.next_levels if self.geography is not None else DEFAULT_LEVELS
        analysis = pipeline.analyse_ledger(
            self.preview.path,
            mapping=chosen,
            register=self.register,
            geography=self.geography,
            home_country=self.home_country,
            category_map=load_table("category_cpv"),
            cpv_names=load_table("cpv_divisions"),
            levels=levels,
            progress=progress,
            label=self.preview.path.name,
        )
        self.mapping_saved_to = save_mapping(self.preview.signature, analysis.mapping)
        self.mapping = dict(analysis.mapping)
        self.label, self.currency, self.notes = analysis.source, analysis.report.currency, list(analysis.notes)
        self.levels = analysis.levels
        years = sorted(analysis.payments["year"].dropna().astype("int64").unique())
        self._use(analysis.payments, {"file": analysis.report}, {"year": str(years[-1])} if len(years) > 1 else {})
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
        """The values each filter can take (the first is always "all")."""
        cube = self._need()
        return {
            dim: [ALL] + sorted(str(v) for v in cube.categories[dim])
            for dim in ("year", "service_area", "category", "level")
        }

    def set_filters(self, **filters: str | None) -> dict:
        """Change filters (year, service_area, category, level; "all" or None removes one); the headline."""
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

    def headline_text(self) -> str:
        """The headline figures as plain lines (shares rounded to 0.1 pp)."""
        head, cube = self.headline(), self._need()
        size = cube.share_by("size_class", self.filters).set_index("size_class")["share"]
        lines = [f"{self.label}: {self.filter_text()}"]
        for key, row in headline_table(head, self.currency).set_index("indicator").iterrows():
            lines.append(f"{key}: {row['value']}")
        unknown = float(size.get("unknown", 0.0))
        if unknown > 0:
            lines.append(f"Supplier size unknown for {pct(unknown)} of spend (not counted as SME).")
        return "\n".join(lines)

    def filtered_table(self) -> pd.DataFrame:
        """The cube rows (payments summed by every dimension) matching the filters."""
        cube = self._need()
        return cube.table[cube.mask(self.filters)]

    def figures(self) -> dict[str, go.Figure]:
        """The five dashboard charts for the current filters."""
        cube = self._need()
        where = f"<br><sub>{chart_label(f'{self.label}, {self.filter_text()}')}</sub>"  # data: escaped
        years = [y for y in self.filter_options()["year"][1:] if y != "unknown"]
        other = {k: v for k, v in self.filters.items() if k != "year"}
        per_year = {y: cube.indicators({**other, "year": y}) for y in years}
        return {
            "geography": geography_figure(self.geography_table(), self.levels, "Where the money goes" + where),
            "size": size_social_figure(
                cube.share_by("size_class", self.filters),
                cube.share_by("social_economy", self.filters),
                "SMEs and the social economy" + where,
            ),
            "sector": sector_location_figure(
                self.filtered_table(), self.levels, "Sectors by supplier location" + where
            ),
            "top": top_suppliers_figure(cube.top_suppliers(self.filters, 10), "Top 10 suppliers" + where),
            "years": year_on_year_figure(
                per_year,
                "Year on year"
                + ("" if len(per_year) > 1 else ": only one year loaded")
                + (f"<br><sub>{chart_label(', '.join(f'{k} {v}' for k, v in other.items()))}</sub>" if other else ""),
            ),
        }

    def benchmarks(self) -> pd.DataFrame:
        """Our headline shares beside the published benchmarks, with their sources."""
        return benchmark_table(self.headline())

    # -- supplier groups
    def variant_groups(self) -> pd.DataFrame:
        """Supplier groups that merged more than one name variant, largest spend first."""
        if self.payments is None:
            return pd.DataFrame(columns=["supplier_group", "names", "supplier_ids", "amount", "lines"])
        p = self.payments
        # one row per (group, name, id) first: a ledger repeats a few thousand of them many times
        pairs = (
            pd.DataFrame(
                {
                    "supplier_group": p["supplier_group"].astype("str"),
                    "name": p["supplier"].astype("str").fillna("(blank)"),
                    "supplier_id": p["supplier_id"].astype("str"),
                    "amount": p["amount"],
                }
            )
            .groupby(["supplier_group", "name", "supplier_id"], dropna=False, sort=False)["amount"]
            .agg(["sum", "size"])
            .reset_index()
        )
        variants = pairs.groupby("supplier_group")["name"].nunique()
        pairs = pairs[pairs["supplier_group"].isin(variants[variants > 1].index)]
        groups = (
            pairs.groupby("supplier_group")
            .agg(
                names=("name", lambda s: sorted(s.unique())),
                supplier_ids=("supplier_id", lambda s: sorted(s.dropna().unique())),
                amount=("sum", "sum"),
                lines=("size", "sum"),
            )
            .reset_index()
        )
        return groups.sort_values(["amount", "supplier_group"], ascending=[False, True], ignore_index=True)

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
        """New local share and LM3 if `shift_pct`% of non-local spend in categories with local suppliers moved.

        `respend_rate` defaults to the course's worked example (`lm3.default_respend_rate`).
        """
        if respend_rate is None:
            respend_rate = lm3.default_respend_rate()
        table = self.filtered_table()
        head = self.headline()
        if not head["total"] > 0:
            raise LearnerError("there is no spend in this selection", fix="Widen the filters")
        local = list(self.levels.city_levels)
        new_share, new_lm3 = lm3.what_if_shift(table, shift_pct, None, respend_rate, local_levels=local)
        before = lm3.lm3_scenario(head["total"], max(0.0, min(1.0, head["local_share_city"])), respend_rate).lm3
        sentence = (
            f"If {shift_pct:.0f}% of the spend with suppliers known to be outside the city, in categories "
            f"where city suppliers already work, moved to city suppliers, the city share would go from "
            f"{pct(head['local_share_city'])} to {pct(new_share)}, and LM3 (with city suppliers "
            f"re-spending {pct(respend_rate, decimals=0)} locally) from {before:.2f} to {new_lm3:.2f}."
        )
        return {
            "share_before": head["local_share_city"],
            "share_after": new_share,
            "lm3_before": before,
            "lm3_after": new_lm3,
            "sentence": sentence,
        }

    # -- exports
    def analysis(self) -> pipeline.SpendAnalysis:
        """The analysis of the chosen year (all years when none is chosen), with the learner's groups."""
        self._need()
        payments, year = self.payments, self.filters.get("year")
        if year and year != "unknown":
            payments = payments[payments["year"].astype("str") == year]
        report = self.reports.get(year) or next(iter(self.reports.values()))
        label = f"{self.label} {year}" if year and self.label and year not in self.label else self.label
        return pipeline.SpendAnalysis(
            payments.reset_index(drop=True), report, dict(self.mapping), label, self.levels, None, list(self.notes)
        )

    def export(self) -> list[Path]:
        """Excel tables and the Markdown + HTML summary in my_work/exports/."""
        return pipeline.export_analysis(self.analysis())

    def save_for_module4(self, name: str) -> Path:
        """Save the enriched payments under `name` for module 4's opportunity matrix."""
        return pipeline.save_analysis(self.analysis(), name)
