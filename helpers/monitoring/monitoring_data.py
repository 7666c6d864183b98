"""The monitoring data a lesson or the dashboard works on: the course city's five tables, with any of
them replaced by the learner's own files (contract register, KPI definitions, KPI returns,
social-value commitments and delivery), each checked line by line.

`load_monitoring_data(city, contracts=..., kpis=..., returns=...)` never raises for a problem in a
learner's file: an unusable file becomes an error `Issue` (file, line, fix) and the course data is
kept for that table, saying so; `MonitoringData.use_file` does the same for one file at a time (the
dashboard's upload). Every table the learner did not give is said to come from the course data,
and one that no longer matches their contracts is emptied with a note on what to add.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from helpers.core.content import by_id
from helpers.core.errors import LearnerError
from helpers.core.paths import my_data_dir, repo_root
from helpers.core.safety import escape_html
from helpers.monitoring.dashboard import TABLE_NAMES, city_tables
from helpers.monitoring.kpis import RETURN_COLUMNS, latest_month, month_label, month_number
from helpers.monitoring.own_data import read_contracts, read_kpis, read_social_value
from helpers.monitoring.returns import read_kpi_returns
from helpers.ui.messages import Issue, issues_html

COURSE_AS_OF = str(by_id("monitoring_rules")["course_as_of"]["value"])
"""The month the course data is looked at by default (course design; course/content/monitoring_rules.yaml)."""
KIND_LABELS = {
    "contracts": "contract register",
    "kpis": "KPI definitions",
    "kpi_returns": "KPI returns",
    "social_value_commitments": "social-value commitments",
    "social_value_delivery": "social-value delivery",
}
NEEDS = {
    "kpis": "contract_id, kpi_id, target, direction",
    "kpi_returns": "contract_id, kpi_id, period, value",
    "social_value_commitments": "contract_id, measure, committed_total",
    "social_value_delivery": "contract_id, period, measure, delivered",
}


def find_file(path) -> Path:
    """A learner's file as given, or inside my_data/ or the course folder when it is not found as given
    (a notebook runs in notebooks/, so 'my_data/contracts.csv' is found either way)."""
    given = Path(str(path)).expanduser()
    if given.exists() or given.is_absolute():
        return given
    for base in (my_data_dir(), repo_root()):
        candidate = base / given
        if candidate.exists():
            return candidate
    return given


@dataclass
class MonitoringData:
    """The five monitoring tables (in `TABLE_NAMES` order), where each came from, the problems found in
    the learner's files and the month looked at."""

    city: str
    tables: dict[str, pd.DataFrame]
    as_of: str
    sources: dict[str, str] = field(default_factory=dict)
    given: dict[str, str] = field(default_factory=dict)  # kind -> the learner's file in use
    issues: list[Issue] = field(default_factory=list)
    fixed_as_of: bool = False

    @property
    def own(self) -> bool:
        """True when any of the tables comes from the learner's files."""
        return bool(self.given)

    @property
    def place(self) -> str:
        """How results name the data: the city, or "Your data" once the contract register is the learner's."""
        return "Your data" if "contracts" in self.given else self.city.title()

    def args(self) -> tuple[pd.DataFrame, ...]:
        """The five tables, in the order the monitoring functions take them."""
        return tuple(self.tables[name] for name in TABLE_NAMES)

    # ------------------------------------------------------------ one file

    def use_file(self, kind: str, path, shown: str | None = None) -> tuple[bool, list[Issue]]:
        """Check the learner's `kind` file and, if it has usable rows, use them instead of the table in use.
        Returns (used, the issues); a file that cannot be used at all is one error issue, and the
        tables stay as they were."""
        if kind not in KIND_LABELS:
            raise LearnerError(f"'{kind}' is not a monitoring table", fix="Use one of: " + ", ".join(KIND_LABELS))
        name = shown or Path(str(path)).name
        try:
            table, issues = self._read(kind, find_file(path), name)
        except LearnerError as exc:
            issue = Issue(
                str(exc),
                "error",
                fix=f"The {KIND_LABELS[kind]} in use stays: {self.sources.get(kind, 'the course data')}",
                where="",
            )
            self.issues.append(issue)
            return False, [issue]
        if table.empty:
            issues.append(
                Issue(
                    f"none of its rows can be used, so the {KIND_LABELS[kind]} in use stays: "
                    f"{self.sources.get(kind, 'the course data')}",
                    "error",
                    fix="Correct the lines listed and load the file again",
                    where=name,
                )
            )
            self.issues.extend(issues)
            return False, issues
        rows = len(table)
        label = KIND_LABELS[kind]
        self.issues = [i for i in self.issues if not (i.severity == "info" and i.where == label)]  # now given
        self.tables[kind] = table.drop(columns="line").reset_index(drop=True)
        self.given[kind] = name
        self.sources[kind] = f"your file {name} ({rows} usable row{'s' if rows != 1 else ''})"
        if kind == "contracts":
            issues.extend(self._match_contracts())
        if kind == "kpi_returns" and not self.fixed_as_of:
            self.as_of = latest_month(self.tables["kpi_returns"])
        self.issues.extend(issues)
        return True, issues

    def _read(self, kind: str, path: Path, name: str) -> tuple[pd.DataFrame, list[Issue]]:
        contracts = self.tables["contracts"]
        if kind == "contracts":
            return read_contracts(path, name)
        if kind == "kpis":
            return read_kpis(path, contracts, name)
        if kind == "kpi_returns":
            good, issues = read_kpi_returns(path, contracts, self.tables["kpis"], shown=name)
            return good[[*RETURN_COLUMNS, "line"]].astype({"period": "string"}), issues
        return read_social_value(path, kind, contracts, name)

    def _match_contracts(self) -> list[Issue]:
        """After a new contract register: keep only the other tables' rows for its contracts, and say
        what to add where the course's tables no longer cover any of them."""
        ids = set(self.tables["contracts"]["contract_id"].astype("str"))
        notes = []
        for kind in TABLE_NAMES[1:]:
            table = self.tables[kind]
            kept = table[table["contract_id"].astype("str").isin(ids)].reset_index(drop=True)
            dropped = len(table) - len(kept)
            self.tables[kind] = kept
            if kind not in self.given and kept.empty:
                self.sources[kind] = "none yet (the course's rows are for other contracts)"
                notes.append(
                    Issue(
                        f"your contracts have no {KIND_LABELS[kind]} yet",
                        "info",
                        fix=f"Add a file with the columns {NEEDS[kind]} to see them",
                        where=KIND_LABELS[kind],
                    )
                )
            elif dropped and kind in self.given:
                notes.append(
                    Issue(
                        f"{dropped} row(s) of {self.given[kind]} are for contracts not in the new register and are "
                        "left out",
                        "warning",
                        fix="Load the matching contract register, or check the contract ids",
                        where=self.given[kind],
                    )
                )
        if "kpi_returns" not in self.given and not self.fixed_as_of:
            self.as_of = COURSE_AS_OF
        return notes

    # ------------------------------------------------------------ what it shows

    def register(self) -> pd.DataFrame:
        """The contract register with the columns the learner's file had (all of them for the course data)."""
        contracts = self.tables["contracts"]
        given = contracts.attrs.get("columns_given")
        return contracts[given].copy() if given else contracts.copy()

    def summary_lines(self, month: bool = True) -> list[str]:
        """Where each table comes from, and (with `month`) the month looked at, in words."""
        lines = [f"{KIND_LABELS[k]}: {self.sources.get(k, 'the course data')}" for k in TABLE_NAMES]
        return [*lines, f"month looked at: {self.as_of}"] if month else lines

    def summary_html(self, problems: bool = True, month: bool = True) -> str:
        """The sources, the month and what was found (escaped), for a notebook cell or the dashboard;
        `problems=False` keeps only the notes on what is missing (the dashboard shows each upload's
        problems beside the upload, and its month in its own drop-down: `month=False`). On the
        course data alone it is one line."""
        if not self.own and not self.issues:
            return (
                f'<div class="spw-monitoring-data">Data: the course data ({escape_html(self.city.title())})'
                + (f", month looked at {escape_html(self.as_of)}" if month else "")
                + ". Your own files can replace any of its tables.</div>"
            )
        items = "".join(f"<li>{escape_html(line)}</li>" for line in self.summary_lines(month))
        shown = self.issues if problems else [i for i in self.issues if i.severity == "info"]
        found = (
            issues_html(
                shown,
                heading="What was found (a line of your files with an error is left out):",
                css_class="spw-data-issues",
            )
            if shown
            else ""
        )
        return f'<div class="spw-monitoring-data"><b>{escape_html(self.place)}</b><ul>{items}</ul>{found}</div>'

    def _repr_html_(self) -> str:
        return self.summary_html()

    def __repr__(self) -> str:
        issues = "\n".join(f"  {i}" for i in self.issues)
        return "\n".join([self.place, *(f"  {line}" for line in self.summary_lines())]) + (
            "\nWhat was found:\n" + issues if issues else ""
        )


def course_data(city: str = "portavera", as_of=None) -> MonitoringData:
    """The course city's monitoring tables (LearnerError for a city with no contracts)."""
    tables = city_tables(city)
    label = f"the course data ({city.title()})"
    month = month_label(month_number(as_of)) if as_of is not None else COURSE_AS_OF
    return MonitoringData(city, dict(tables), month, {k: label for k in TABLE_NAMES}, fixed_as_of=as_of is not None)


def load_monitoring_data(
    city: str = "portavera",
    *,
    contracts=None,
    kpis=None,
    returns=None,
    commitments=None,
    delivery=None,
    as_of=None,
) -> MonitoringData:
    """The course city's monitoring tables with the learner's own files in place of any of them (paths to
    CSV or XLSX files; None keeps the course table). The files are read in order (contracts, KPIs,
    returns, social value), each checked against the ones before. `as_of` (YYYY-MM) is the month looked
    at; None means the latest month of the learner's returns, or 2026-03 for the course data.
    Problems never raise: they are listed in `issues` and shown with the data."""
    problems = []
    try:
        as_of = month_label(month_number(as_of)) if as_of is not None else None
    except LearnerError as exc:
        problems.append(Issue(f"the month looked at: {exc}", "error", fix="The default month is used instead"))
        as_of = None
    try:
        data = course_data(city, as_of)
    except LearnerError as exc:
        problems.append(Issue(str(exc), "error", fix="The course city Portavera is used instead"))
        data = course_data("portavera", as_of)
    data.issues.extend(problems)
    given = {
        "contracts": contracts,
        "kpis": kpis,
        "kpi_returns": returns,
        "social_value_commitments": commitments,
        "social_value_delivery": delivery,
    }
    for kind, path in given.items():
        if path is None or str(path).strip() == "":
            continue
        used, _ = data.use_file(kind, path)
        if kind == "contracts" and not used:
            others = [KIND_LABELS[k] for k, p in given.items() if k != "contracts" and p]
            if others:
                data.issues.append(
                    Issue(
                        f"your {', '.join(others)} were not read: they are checked against your contract register",
                        "warning",
                        fix="Correct the contract register and run again",
                        where="contract register",
                    )
                )
            break
    return data
