"""The spend-analysis workbench (module 3): a thin widget layer over `pipeline`.

`spend_workbench(city, year)` walks a learner through one analysis:
1. source: a course city's ledger, an uploaded file, or a file from `my_data/`; optionally a
   supplier register and a geography table;
2. mapping: which column holds the supplier, the amount…, guessed with reasons, confirmed by
   the learner, and saved for files of the same shape;
3. progress while the pipeline runs; 4. the cleaning report; 5. supplier-name groups, with
   "Split off" to undo a wrong merge; 6. the dashboard (headline figures, filters, linked
   charts, benchmarks); 7. a what-if on local spend and LM3; 8. exports and "save for module 4".

`Workbench` holds the state and does the work without any widget, so tests drive it from
Python; `WorkbenchWidget` only builds controls around it (one small builder per step).
Headless (papermill) the tool shows the headline table, the geography chart and the top
suppliers of the course city and year. Every piece of text from a file reaches the page
escaped (a supplier called `<img src=x onerror=…>` shows as text).
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from helpers.core.errors import LearnerError
from helpers.ui.exports import html_table
from helpers.core.paths import my_data_dir, my_work_dir
from helpers.core.safety import atomic_write_bytes, escape_html
from helpers.spend import enrich, lm3, pipeline
from helpers.spend.indicators import SpendCube, compare_with_benchmarks
from helpers.spend.ingest import column_names, detect_encoding, find_header, sniff_delimiter
from helpers.spend.mapping import (ROLE_LABELS, ROLES, MappingGuess, guess_mapping,
                                   load_mapping, mapping_signature, save_mapping)
from helpers.learning.registry import self_check

ALL = "all"
LEDGER_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx")
PREVIEW_BYTES = 2_000_000          # enough lines to find the header and guess the columns
PREVIEW_ROWS = 500
DEFAULT_RESPEND = 0.40             # course design: the worked example's 40% (brief §2.3)
HEADLINE_LABELS = {
    "total": "Total spend (net, credit notes included)",
    "local_share_city": "Share spent with suppliers in the city",
    "local_share_region": "Share spent in the city or the wider region",
    "sme_share": "Share spent with SMEs",
    "social_economy_share": "Share spent with social-economy organisations",
    "unknown_location_share": "Share whose supplier location is unknown",
    "top10_share": "Share held by the 10 largest suppliers",
    "hhi": "Concentration (HHI, 0-10,000)",
    "suppliers": "Supplier groups",
    "lines": "Payment lines",
}
LEVEL_COLOURS = {"city": "#1e6b34", "region": "#66a84f", "country": "#1a4b9c", "abroad": "#8e24aa",
                 "unknown": "#9e9e9e"}
# a learner's own levels, coloured by distance: greens near, blues far (course design)
NEAR_TO_FAR_COLOURS = ("#1e6b34", "#66a84f", "#a3c85a", "#4f86c6", "#1a4b9c", "#0d2b5e", "#607d8b")
NO_REGISTER_NOTE = ("Without a supplier register, every supplier's size (SME or not) and social-economy "
                    "status are \"unknown\", and without a geography table (postcode → city / region / "
                    "country) every location is \"unknown\". To add them, upload a register CSV with the "
                    "columns of datasets/portavera/suppliers.csv (supplier_id, name, vat_number, postcode, "
                    "country, size_class, social_economy, …) and choose a geography table, then load the "
                    "ledger again.")


# ---------------------------------------------------------------- reading a file's header (no full read)

@dataclass
class LedgerPreview:
    """The header and first rows of a ledger file, the guessed mapping and any saved one."""

    path: Path
    columns: list[str]
    sample: pd.DataFrame
    guess: MappingGuess
    signature: str
    saved: dict[str, str] | None

    @property
    def proposed(self) -> dict[str, str]:
        """The mapping to show first: the one saved for this shape of file, else the guess."""
        return dict(self.saved) if self.saved else self.guess.mapping


def _records_from_text(path: Path, head: bytes) -> list[list[str]]:
    encoding, _ = detect_encoding(head)
    text = head.decode(encoding, errors="replace")
    lines = text.splitlines()[:2000]
    delimiter = sniff_delimiter(text)            # the same choice the full read makes
    try:
        return [row for row in csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter)]
    except csv.Error as exc:
        raise LearnerError(f"the file cannot be read as a table ({exc})", file=path.name,
                           fix="Open it in a spreadsheet and save it again as CSV") from exc


def _records_from_xlsx(path: Path) -> list[list[str]]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable workbook gets the same plain message
        raise LearnerError("this spreadsheet cannot be opened (password-protected or damaged)", file=path.name,
                           fix="Open it in Excel, remove any password, and save it as .xlsx or CSV") from exc
    try:
        for sheet in book.worksheets:
            rows = [["" if v is None else (str(int(v)) if isinstance(v, float) and v.is_integer() else str(v))
                     for v in row] for row in sheet.iter_rows(max_row=PREVIEW_ROWS + 60, values_only=True)]
            if any(any(cells) for cells in rows):
                return rows
    finally:
        book.close()
    raise LearnerError("the spreadsheet has no data in any sheet", file=path.name,
                       fix="Check that you exported the right file")


def preview_ledger(path: str | Path) -> LedgerPreview:
    """Read only the top of a ledger: its columns, a sample, the guessed and any saved mapping.

    The full, careful read happens when the learner confirms the mapping (`ingest.read_ledger`).
    """
    path = Path(path)
    if not path.is_file():
        raise LearnerError("this file does not exist", file=str(path),
                           fix="Check the name and folder (put your own files in my_data/)")
    with open(path, "rb") as handle:            # read-only: the learner's file is never changed
        head = handle.read(PREVIEW_BYTES)
        more = bool(handle.read(1))
    if not head.strip(b" \t\r\n\xef\xbb\xbf"):
        raise LearnerError("the file is empty", file=path.name, fix="Export the ledger again from the finance system")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise LearnerError("this is an old-style .xls or a password-protected spreadsheet", file=path.name,
                           fix="Open it in Excel, remove any password, and save it as .xlsx or CSV")
    if head.startswith(b"PK\x03\x04") or path.suffix.lower() in (".xlsx", ".xlsm"):
        rows = _records_from_xlsx(path)
    else:
        if b"\x00" in head[:4096] and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise LearnerError("this is not a text table (it contains binary data)", file=path.name,
                               fix="Choose the CSV or XLSX export of the ledger")
        if more and b"\n" in head:
            head = head[: head.rfind(b"\n")]   # never cut a character or a line in half
        rows = _records_from_text(path, head)
    try:
        index = find_header(list(enumerate(rows, start=1)))   # the same rule as the full read
    except LearnerError as exc:
        raise LearnerError(exc.message.rstrip("."), file=path.name) from None
    columns = column_names(rows[index])
    if len(columns) < 2:
        raise LearnerError("this does not look like a table: the header has a single column", file=path.name,
                           fix="Check the delimiter, or save the file again as CSV with commas")
    body = [(r + [""] * len(columns))[: len(columns)] for r in rows[index + 1: index + 1 + PREVIEW_ROWS]]
    sample = pd.DataFrame([[c.strip() for c in r] for r in body], columns=columns, dtype="str")
    signature = mapping_signature(columns)
    saved = load_mapping(signature)
    if saved and not all(col in columns for col in saved.values()):
        saved = None
    return LedgerPreview(path, columns, sample, guess_mapping(columns, sample), signature, saved)


def _read_reference_table(path: str | Path, what: str, required: tuple[str, ...], fix: str) -> pd.DataFrame:
    """A small CSV the learner supplies (register, geography): text kept as written, lower-case
    column names, the required columns checked with a plain message naming the file."""
    path = Path(path)
    if not path.is_file():
        raise LearnerError(f"this {what} file does not exist", file=str(path))
    raw = path.read_bytes()
    text = raw.decode(detect_encoding(raw)[0])
    try:
        frame = pd.read_csv(io.StringIO(text), dtype="str", sep=None, engine="python", keep_default_na=False)
    except (pd.errors.ParserError, csv.Error, ValueError) as exc:
        raise LearnerError(f"the {what} cannot be read as a table ({exc})", file=path.name,
                           fix=f"Save it as CSV with one header row: {', '.join(required)}") from exc
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise LearnerError(f"the {what} has no column {', '.join(missing)}", file=path.name, fix=fix)
    return frame


def read_register(path: str | Path) -> pd.DataFrame:
    """A supplier register CSV (the columns of suppliers.csv; ids kept as text, leading zeros too)."""
    frame = _read_reference_table(
        path, "supplier register", ("supplier_id", "name"),
        "Use the columns of datasets/portavera/suppliers.csv: supplier_id, name, vat_number, "
        "postcode, country, size_class, social_economy, …")
    return frame.replace("", pd.NA)


def read_geography(path: str | Path) -> pd.DataFrame:
    """A geography table CSV (postcode_prefix, place, level; text kept as written, spaces trimmed)."""
    columns = ("postcode_prefix", "place", "level")
    frame = _read_reference_table(
        path, "geography table", columns,
        "Use the columns of datasets/portavera/geography.csv: postcode_prefix, place, "
        "level (levels nearest first, e.g. city, metropolitan, regional, national)")
    frame = frame.assign(**{c: frame[c].str.strip() for c in columns})
    return frame.replace("", pd.NA)


def save_upload(name: str, content: bytes) -> Path:
    """Write an uploaded file to my_work/uploads/ (the original on the learner's disk is untouched)."""
    stem = Path(str(name)).name
    safe = re.sub(r"[^\w.\-]+", "_", stem).strip("._") or "upload.csv"
    if Path(safe).suffix.lower() not in LEDGER_SUFFIXES:
        raise LearnerError(f"'{stem}' is not a ledger file this tool reads",
                           fix=f"Upload a {', '.join(LEDGER_SUFFIXES)} file")
    return atomic_write_bytes(my_work_dir() / "uploads" / safe, bytes(content))


def my_data_files(suffixes: tuple[str, ...] = (".csv", ".tsv", ".xlsx")) -> list[Path]:
    """The learner's files in my_data/ that a ledger or register could be (README excluded)."""
    folder = my_data_dir()
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in suffixes)


# ---------------------------------------------------------------- text, tables and charts (pure)

def _pct(value: float) -> str:
    return f"{value:.1%}"


def _money(value: float, currency: str | None) -> str:
    return f"{currency + ' ' if currency else ''}{value:,.2f}"


def headline_table(head: dict, currency: str | None = None) -> pd.DataFrame:
    """The headline figures as a two-column table in the learner's words."""
    rows = []
    for key, label in HEADLINE_LABELS.items():
        value = head[key]
        text = (_money(value, currency) if key == "total" else f"{value:,.0f}" if key in ("hhi",)
                else f"{value:,}" if key in ("suppliers", "lines") else _pct(value))
        rows.append({"indicator": label, "value": text})
    return pd.DataFrame(rows)


def cleaning_report_html(report) -> str:
    """The cleaning report: what was detected, kept and dropped (with line numbers), all escaped."""
    e = escape_html
    delim = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}.get(report.delimiter or "",
                                                                         report.delimiter or "spreadsheet")
    start, end = (str(d)[:10] if d is not None else "?" for d in report.period)
    facts = pd.DataFrame([
        ("File", report.file), ("Encoding", report.encoding), ("Delimiter", delim),
        ("Decimal mark", report.decimal), ("Dates", report.date_order or "-"),
        ("Header on line", report.header_line), ("Rows read after the header", f"{report.rows_read:,}"),
        ("Payments kept", f"{report.rows_kept:,}"),
        ("Total of all amounts read", f"{report.total_before:,.2f}"),
        ("Total of the payments kept", f"{report.total_after:,.2f}"),
        ("Credit notes (negative, kept)", f"{report.credit_notes['count']:,} lines, {report.credit_notes['total']:,.2f}"),
        ("Redacted supplier names (kept)", f"{report.redacted['count']:,} lines, {report.redacted['total']:,.2f}"),
        ("Possible duplicates (kept)", f"{report.duplicates['count']:,} lines, {report.duplicates['total']:,.2f}"),
        ("Currency", report.currency or "not stated"), ("Period", f"{start} to {end}"),
        ("Columns used", ", ".join(f"{r} = {c}" for r, c in report.columns.items())),
    ], columns=["what", "found"])
    parts = [f'<div class="spw-cleaning"><b>Cleaning report</b>{html_table(facts)}']
    if report.dropped:
        dropped = pd.DataFrame([{"reason": d["reason"], "rows": d["count"],
                                 "examples": "; ".join(f"line {x['line']}: {x['text']}" for x in d["examples"][:3])}
                                for d in report.dropped])
        parts.append(f"<b>Rows dropped, by reason</b>{html_table(dropped)}")
    else:
        parts.append("<p>No rows were dropped.</p>")
    if report.duplicates["count"]:
        dups = pd.DataFrame([{"line": x["line"], "repeats line": x["first_line"], "text": x["text"]}
                             for x in report.duplicates["examples"]])
        parts.append(f"<b>Possible duplicates (kept: two identical payments can be real)</b>{html_table(dups)}")
    if report.warnings:
        parts.append("<ul>" + "".join(f"<li>{e(w)}</li>" for w in report.warnings) + "</ul>")
    return "".join(parts) + "</div>"


def _label(text: object, width: int = 40) -> str:
    """A chart label: shortened and escaped (plotly reads a few HTML tags in labels)."""
    value = str(text)
    return escape_html(value if len(value) <= width else value[: width - 1] + "…")


def level_colours(levels: enrich.GeographyLevels) -> dict[str, str]:
    """A colour per level: the course colours for city/region/country, else by distance from the city."""
    if levels.levels == enrich.DEFAULT_LEVELS.levels:
        inside = {lv: LEVEL_COLOURS[lv] for lv in levels.levels}
    else:
        far = len(NEAR_TO_FAR_COLOURS) - 1
        inside = {lv: NEAR_TO_FAR_COLOURS[min(i, far)] for i, lv in enumerate(levels.levels)}
    return {**inside, levels.abroad: LEVEL_COLOURS["abroad"], levels.unknown: LEVEL_COLOURS["unknown"]}


def geography_shares_table(shares: pd.DataFrame, levels: enrich.GeographyLevels) -> pd.DataFrame:
    """Spend and share per level in the analysis's order (nearest first, abroad and unknown last; 0 if none)."""
    table = shares.set_index("level")[["amount", "share"]].reindex(list(levels.ordered), fill_value=0.0)
    return table.rename_axis("level").reset_index()


def geography_figure(shares: pd.DataFrame, levels: enrich.GeographyLevels, title: str) -> go.Figure:
    """Share of spend per geographic level, nearest first (level names escaped: they can come from a file)."""
    table = geography_shares_table(shares, levels)
    colours = level_colours(levels)
    fig = go.Figure(go.Bar(x=[_label(lv) for lv in table["level"]], y=table["share"] * 100,
                           marker_color=[colours.get(lv, "#607d8b") for lv in table["level"]],
                           text=[_pct(s) for s in table["share"]], textposition="outside",
                           hovertemplate="%{x}: %{y:.1f}% of spend<extra></extra>"))
    fig.update_layout(title=title, yaxis_title="% of spend", height=330, margin={"t": 70, "l": 50, "r": 20, "b": 40})
    return fig


def size_social_figure(size: pd.DataFrame, social: pd.DataFrame, title: str) -> go.Figure:
    """Share of spend by supplier size class, and with social-economy organisations."""
    fig = make_subplots(rows=1, cols=2, subplot_titles=("by supplier size", "social economy"),
                        column_widths=[0.62, 0.38])
    order = ["micro", "small", "medium", "large", "unknown"]
    s = size.set_index("size_class").reindex(order, fill_value=0.0)
    fig.add_trace(go.Bar(x=order, y=s["share"] * 100, marker_color=["#66a84f"] * 3 + ["#1a4b9c", "#9e9e9e"],
                         name="size", hovertemplate="%{x}: %{y:.1f}%<extra></extra>"), row=1, col=1)
    se = social.set_index("social_economy").reindex(["yes", "no", "unknown"], fill_value=0.0)
    fig.add_trace(go.Bar(x=["yes", "no", "unknown"], y=se["share"] * 100, name="social economy",
                         marker_color=["#8e24aa", "#1a4b9c", "#9e9e9e"],
                         hovertemplate="%{x}: %{y:.1f}%<extra></extra>"), row=1, col=2)
    fig.update_layout(title=title, showlegend=False, height=350, yaxis_title="% of spend",
                      margin={"t": 105, "l": 50, "r": 20, "b": 40})
    return fig


def sector_location_figure(table: pd.DataFrame, levels: enrich.GeographyLevels, title: str,
                           top: int = 12) -> go.Figure:
    """Spend per sector (largest first), stacked by where the suppliers are."""
    pivot = table.pivot_table(index="sector", columns="level", values="amount", aggfunc="sum", fill_value=0.0,
                              observed=True) if len(table) else pd.DataFrame()
    fig = go.Figure()
    if len(pivot):
        pivot = pivot.loc[pivot.sum(axis=1).sort_values(ascending=False).index[:top]].iloc[::-1]
        colours = level_colours(levels)
        for level in levels.ordered:
            if level in pivot:
                name = _label(level)
                fig.add_trace(go.Bar(y=[_label(s) for s in pivot.index], x=pivot[level], name=name, orientation="h",
                                     marker_color=colours.get(level, "#607d8b"),
                                     hovertemplate="%{y}: %{x:,.0f}<extra>" + name + "</extra>"))
    fig.update_layout(title=title, barmode="stack", height=120 + 28 * max(len(pivot), 3), xaxis_title="spend",
                      margin={"t": 70, "l": 260, "r": 20, "b": 40}, legend={"orientation": "h", "y": -0.15})
    return fig


def top_suppliers_figure(top: pd.DataFrame, title: str) -> go.Figure:
    """The largest supplier groups and their share of spend (names escaped)."""
    rows = top.iloc[::-1]
    fig = go.Figure(go.Bar(y=[_label(n) for n in rows["supplier_group"]], x=rows["share"] * 100, orientation="h",
                           marker_color="#1a4b9c", hovertemplate="%{y}: %{x:.1f}% of spend<extra></extra>"))
    fig.update_layout(title=title, xaxis_title="% of spend", height=120 + 26 * max(len(rows), 3),
                      margin={"t": 70, "l": 260, "r": 20, "b": 40})
    return fig


YOY_INDICATORS = {"local_share_city": "in the city", "local_share_region": "city + region", "sme_share": "SMEs",
                  "social_economy_share": "social economy", "top10_share": "top 10 suppliers"}


def year_on_year_figure(per_year: dict[str, dict], title: str) -> go.Figure:
    """The headline shares side by side for each year loaded."""
    fig = go.Figure()
    for year, head in per_year.items():
        fig.add_trace(go.Bar(x=list(YOY_INDICATORS.values()), y=[head[k] * 100 for k in YOY_INDICATORS],
                             name=str(year), hovertemplate="%{x}: %{y:.1f}%<extra>" + str(year) + "</extra>"))
    fig.update_layout(title=title, barmode="group", yaxis_title="% of spend", height=330,
                      margin={"t": 60, "l": 50, "r": 20, "b": 40})
    return fig


# ---------------------------------------------------------------- the state (no widgets)

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
        self.levels = enrich.DEFAULT_LEVELS          # the levels of the analysis on show
        self.next_levels = enrich.DEFAULT_LEVELS     # the levels of the chosen geography table (next analysis)
        self.label = ""
        self.currency: str | None = None
        self.notes: list[str] = []
        self.mapping: dict[str, str] = {}
        self.mapping_saved_to: Path | None = None

    # -- sources
    def load_shipped(self, city: str = "portavera", year: int = 2025,
                     progress: Callable[[str, float], None] | None = None) -> dict:
        """Analyse a course city's ledgers (both years, for the year-on-year view); filter on `year`."""
        from helpers.data import LEDGER_YEARS, city_info

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
        self.levels = analyses[int(year)].levels                      # course cities: the default levels
        self._use(pd.concat([a.payments for a in analyses.values()], ignore_index=True),
                  {str(y): a.report for y, a in analyses.items()}, {"year": str(int(year))})
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
        levels = enrich.DEFAULT_LEVELS
        if isinstance(geography, str):
            from helpers.data import city_info, load_table

            info = city_info(geography)
            self.geography, self.geography_label = load_table("geography", city=geography), \
                f"{info['name']}'s geography table (course data)"
            home_country = home_country or info["home_country_code"]
        elif isinstance(geography, Path):
            self.geography, self.geography_label = read_geography(geography), geography.name
            levels = enrich.GeographyLevels.from_table(self.geography)
        elif isinstance(geography, pd.DataFrame):
            self.geography, self.geography_label = geography, "your geography table"
            levels = enrich.GeographyLevels.from_table(geography)
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
        chosen = enrich.GeographyLevels(current.levels, current.abroad, current.unknown, local, regional)
        if chosen.levels.index(chosen.regional) < chosen.levels.index(chosen.local):
            raise LearnerError(f"the wider region ('{chosen.regional}') cannot be nearer than the city "
                               f"('{chosen.local}')", fix="Choose a wider-region level at or beyond the local one")
        self.levels = chosen
        if self.next_levels.levels == chosen.levels:
            self.next_levels = chosen
        if self.payments is not None:
            self.cube = SpendCube(self.payments, chosen)
            return self.headline()
        return {}

    def confirm_mapping(self, mapping: dict[str, str],
                        progress: Callable[[str, float], None] | None = None) -> dict:
        """Run the analysis of the previewed file with this mapping, and save the mapping for its shape."""
        if self.preview is None:
            raise LearnerError("no file is loaded yet", fix="Upload a ledger or choose one from my_data/ first")
        chosen = {r: c for r, c in mapping.items() if c}
        if "amount" not in chosen:
            raise LearnerError("no column is chosen as the amount paid — choose it in the mapping",
                               fix="Pick the column holding the net amount of each payment, then confirm again")
        from helpers.data import load_table

        levels = self.next_levels if self.geography is not None else enrich.DEFAULT_LEVELS
        analysis = pipeline.analyse_ledger(
            self.preview.path, mapping=chosen, register=self.register, geography=self.geography,
            home_country=self.home_country, category_map=load_table("category_cpv"),
            cpv_names=load_table("cpv_divisions"), levels=levels, progress=progress,
            label=self.preview.path.name)
        self.mapping_saved_to = save_mapping(self.preview.signature, analysis.mapping)
        self.mapping = dict(analysis.mapping)
        self.label, self.currency, self.notes = analysis.source, analysis.report.currency, list(analysis.notes)
        self.levels = analysis.levels
        years = sorted(analysis.payments["year"].dropna().astype("int64").unique())
        self._use(analysis.payments, {"file": analysis.report},
                  {"year": str(years[-1])} if len(years) > 1 else {})
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
        return {dim: [ALL] + sorted(str(v) for v in cube.categories[dim])
                for dim in ("year", "service_area", "category", "level")}

    def set_filters(self, **filters: str | None) -> dict:
        """Change filters (year, service_area, category, level; "all" or None removes one); the headline."""
        options = self.filter_options()
        for dim, value in filters.items():
            if dim not in options:
                raise LearnerError(f"cannot filter by '{dim}'", fix=f"Use one of: {', '.join(options)}")
            value = ALL if value in (None, "") else str(value)
            if value not in options[dim]:
                raise LearnerError(f"'{value}' is not a value of {dim} in this ledger",
                                   fix=f"Choose one of: {', '.join(options[dim][:12])}")
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
        return (f"Geography levels, nearest first: {' → '.join(lv.ordered)}. In the city: "
                f"{', '.join(lv.city_levels)}. In the city or the wider region: {', '.join(lv.region_levels)}.")

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
            lines.append(f"Supplier size unknown for {_pct(unknown)} of spend (not counted as SME).")
        return "\n".join(lines)

    def filtered_table(self) -> pd.DataFrame:
        """The cube rows (payments summed by every dimension) matching the filters."""
        cube = self._need()
        return cube.table[cube.mask(self.filters)]

    def figures(self) -> dict[str, go.Figure]:
        """The five dashboard charts for the current filters."""
        cube = self._need()
        where = f"<br><sub>{escape_html(f'{self.label}, {self.filter_text()}')}</sub>"   # data: escaped
        years = [y for y in self.filter_options()["year"][1:] if y != "unknown"]
        other = {k: v for k, v in self.filters.items() if k != "year"}
        per_year = {y: cube.indicators({**other, "year": y}) for y in years}
        return {
            "geography": geography_figure(self.geography_table(), self.levels,
                                          "Where the money goes" + where),
            "size": size_social_figure(cube.share_by("size_class", self.filters),
                                       cube.share_by("social_economy", self.filters),
                                       "SMEs and the social economy" + where),
            "sector": sector_location_figure(self.filtered_table(), self.levels,
                                             "Sectors by supplier location" + where),
            "top": top_suppliers_figure(cube.top_suppliers(self.filters, 10), "Top 10 suppliers" + where),
            "years": year_on_year_figure(per_year, "Year on year" + ("" if len(per_year) > 1 else
                                                                     ": only one year loaded") + (
                f"<br><sub>{escape_html(', '.join(f'{k} {v}' for k, v in other.items()))}</sub>" if other else "")),
        }

    def benchmarks(self) -> pd.DataFrame:
        """Our headline shares beside the published benchmarks, with their sources."""
        table = compare_with_benchmarks(self.headline())
        return pd.DataFrame({"indicator": table["indicator"], "ours": table["ours"].map(_pct),
                             "benchmark": table["benchmark"].map(_pct), "what the benchmark measures": table["label"],
                             "source": table["source"] + " (" + table["url"] + ")", "read with care": table["note"]})

    # -- supplier groups
    def variant_groups(self) -> pd.DataFrame:
        """Supplier groups that merged more than one name variant, largest spend first."""
        if self.payments is None:
            return pd.DataFrame(columns=["supplier_group", "names", "supplier_ids", "amount", "lines"])
        p = self.payments
        # one row per (group, name, id) first: a ledger repeats a few thousand of them many times
        pairs = pd.DataFrame({"supplier_group": p["supplier_group"].astype("str"),
                              "name": p["supplier"].astype("str").fillna("(blank)"),
                              "supplier_id": p["supplier_id"].astype("str"), "amount": p["amount"]}) \
            .groupby(["supplier_group", "name", "supplier_id"], dropna=False, sort=False)["amount"] \
            .agg(["sum", "size"]).reset_index()
        variants = pairs.groupby("supplier_group")["name"].nunique()
        pairs = pairs[pairs["supplier_group"].isin(variants[variants > 1].index)]
        groups = pairs.groupby("supplier_group").agg(
            names=("name", lambda s: sorted(s.unique())),
            supplier_ids=("supplier_id", lambda s: sorted(s.dropna().unique())),
            amount=("sum", "sum"), lines=("size", "sum")).reset_index()
        return groups.sort_values(["amount", "supplier_group"], ascending=[False, True], ignore_index=True)

    def group_count(self) -> int:
        return int(self.payments["supplier_group"].nunique()) if self.payments is not None else 0

    def split_off(self, name: str) -> int:
        """Undo a wrong merge: payments to the name variant `name` become a group of their own."""
        self._need()
        known = set(self.payments["supplier"].astype("str").str.strip())
        if name not in known:
            raise LearnerError(f"no payment is made to a supplier named '{name}'",
                               fix="Choose a name variant from the list")
        self.overrides[name] = name
        return self._regroup()

    def clear_overrides(self) -> int:
        """Go back to the automatic grouping."""
        self.overrides = {}
        return self._regroup()

    def _regroup(self) -> int:
        self.payments = enrich.group_payments(self.payments, self.overrides or None)
        self.cube = SpendCube(self.payments, self.levels)
        return self.group_count()

    # -- what-if and LM3
    def what_if(self, shift_pct: float, respend_rate: float = DEFAULT_RESPEND) -> dict:
        """New local share and LM3 if `shift_pct`% of non-local spend in categories with local suppliers moved."""
        table = self.filtered_table()
        head = self.headline()
        if not head["total"] > 0:
            raise LearnerError("there is no spend in this selection", fix="Widen the filters")
        local = list(self.levels.city_levels)
        new_share, new_lm3 = lm3.what_if_shift(table, shift_pct, None, respend_rate, local_levels=local)
        before = lm3.lm3_scenario(head["total"], max(0.0, min(1.0, head["local_share_city"])), respend_rate).lm3
        sentence = (f"If {shift_pct:.0f}% of the spend with suppliers known to be outside the city, in categories "
                    f"where city suppliers already work, moved to city suppliers, the city share would go from "
                    f"{_pct(head['local_share_city'])} to {_pct(new_share)}, and LM3 (with city suppliers "
                    f"re-spending {respend_rate:.0%} locally) from {before:.2f} to {new_lm3:.2f}.")
        return {"share_before": head["local_share_city"], "share_after": new_share, "lm3_before": before,
                "lm3_after": new_lm3, "sentence": sentence}

    # -- exports
    def analysis(self) -> pipeline.SpendAnalysis:
        """The analysis of the chosen year (all years when none is chosen), with the learner's groups."""
        self._need()
        payments, year = self.payments, self.filters.get("year")
        if year and year != "unknown":
            payments = payments[payments["year"].astype("str") == year]
        report = self.reports.get(year) or next(iter(self.reports.values()))
        label = f"{self.label} {year}" if year and self.label and year not in self.label else self.label
        return pipeline.SpendAnalysis(payments.reset_index(drop=True), report, dict(self.mapping), label,
                                      self.levels, None, list(self.notes))

    def export(self) -> list[Path]:
        """Excel tables and the Markdown + HTML summary in my_work/exports/."""
        return pipeline.export_analysis(self.analysis())

    def save_for_module4(self, name: str) -> Path:
        """Save the enriched payments under `name` for module 4's opportunity matrix."""
        return pipeline.save_analysis(self.analysis(), name)


# ---------------------------------------------------------------- the widget

class WorkbenchWidget:
    """The live workbench: one small builder per step around a `Workbench`.

    Controls are attributes (`city`, `year`, `mapping_controls`, `filter_controls`, `shift`…)
    so a test can set values and read `headline.value` without a browser.
    """

    def __init__(self, city: str = "portavera", year: int = 2025) -> None:
        import ipywidgets as w

        from helpers.ui.display import guarded, message_html

        self.w, self.wb = w, Workbench()
        self.message = w.HTML()
        self.message.add_class("spw-wb-message")
        self._message_html = message_html
        self._guard = guarded(self.say)
        self.charts: dict[str, go.FigureWidget] = {}
        self._quiet = False
        steps = [self._source_step(city, year), self._mapping_step(), self._progress_step(),
                 self._cleaning_step(), self._groups_step(), self._dashboard_step(), self._what_if_step(),
                 self._export_step()]
        self.widget = w.VBox([self.message] + steps)
        self.widget.add_class("spw-workbench")
        self._guard(self.load_course)()

    # -- helpers
    def say(self, text: str, kind: str = "info") -> None:
        """Show one plain message at the top of the tool (escaped)."""
        self.message.value = self._message_html(text, kind) if text else ""

    def _heading(self, text: str):
        return self.w.HTML(f"<h4 style='margin:12px 0 4px 0'>{escape_html(text)}</h4>")

    def _on(self, control, handler: Callable[[], None]) -> None:
        if isinstance(control, self.w.Button):
            control.on_click(self._guard(lambda _: handler()))
        else:
            control.observe(self._guard(lambda change: None if self._quiet else handler()), names="value")

    def _progress(self, step: str, fraction: float) -> None:
        self.progress.value = float(fraction)
        self.progress_label.value = f"<span class='spw-progress-step'>{escape_html(step)}</span>"

    # -- 1. source
    def _source_step(self, city: str, year: int):
        from helpers.data import LEDGER_YEARS, cities

        w = self.w
        wide = {"description_width": "initial"}
        self.city = w.Dropdown(options=cities(), value=city, description="Course city", style=wide)
        self.year = w.Dropdown(options=[str(y) for y in LEDGER_YEARS], value=str(year), description="Year", style=wide)
        self.load_button = w.Button(description="Load the course ledger", icon="database", layout=w.Layout(width="auto"))
        self.upload = w.FileUpload(accept=",".join(LEDGER_SUFFIXES), multiple=False, description="Upload a ledger")
        self.my_data = w.Dropdown(description="or a file in my_data/", style=wide, layout=w.Layout(width="420px"))
        self.refresh_button = w.Button(description="Refresh list", icon="refresh")
        self.use_file_button = w.Button(description="Use this file", icon="check")
        self.register_upload = w.FileUpload(accept=".csv", multiple=False, description="Upload a register")
        self.register_pick = w.Dropdown(description="or register from my_data/", style=wide,
                                        layout=w.Layout(width="420px"))
        self.geography = w.Dropdown(description="Geography table", style=wide, layout=w.Layout(width="420px"))
        self.home_country = w.Text(value="", description="Home country code", placeholder="e.g. GB", style=wide,
                                   layout=w.Layout(width="220px"))
        self.source_note = w.HTML()
        self.source_note.add_class("spw-source-note")
        for control, css in ((self.city, "spw-city"), (self.year, "spw-year"), (self.upload, "spw-upload"),
                             (self.my_data, "spw-mydata"), (self.register_upload, "spw-register-upload"),
                             (self.geography, "spw-geography"), (self.load_button, "spw-load")):
            control.add_class(css)
        self._fill_file_lists()
        self._on(self.load_button, self.load_course)
        self._on(self.upload, self._on_upload)
        self._on(self.refresh_button, self._fill_file_lists)
        self._on(self.use_file_button, self._on_my_data)
        self._on(self.register_upload, self._on_register_upload)
        self._on(self.register_pick, self._on_register_pick)
        box = w.VBox([self._heading("1. Choose the ledger"),
                      w.HBox([self.city, self.year, self.load_button]),
                      w.HTML("<i>Or your own city's ledger (CSV, TSV, TXT or XLSX). An upload is copied to "
                             "my_work/uploads/; your original file is never changed. Large files: put them in "
                             "the my_data/ folder and pick them here.</i>"),
                      w.HBox([self.upload, self.my_data, self.refresh_button, self.use_file_button]),
                      w.HTML("<i>Optional for your own ledger: a supplier register (size, social economy, "
                             "postcode) and a geography table (postcode → city / region / country).</i>"),
                      w.HBox([self.register_upload, self.register_pick]),
                      w.HBox([self.geography, self.home_country]), self.source_note])
        box.add_class("spw-source")
        return box

    def _fill_file_lists(self) -> None:
        from helpers.data import cities, city_info

        files = my_data_files()
        folder = my_data_dir()
        named = [(str(p.relative_to(folder)), str(p)) for p in files]
        self._quiet = True
        try:
            self.my_data.options = named or [("(no .csv, .tsv or .xlsx file in my_data/)", "")]
            self.register_pick.options = [("(no register)", "")] + [n for n in named if n[1].endswith(".csv")]
            self.geography.options = ([("none: every location unknown", "")]
                                      + [(f"{city_info(c)['name']} (course data)", f"city:{c}") for c in cities()]
                                      + [(f"my_data/{label}", path) for label, path in named if path.endswith(".csv")])
        finally:
            self._quiet = False
        self.use_file_button.disabled = not files

    def _apply_reference_choice(self) -> None:
        choice = self.geography.value or ""
        if choice.startswith("city:"):
            self.wb.use_geography(choice[5:], self.home_country.value)
        elif choice:
            self.wb.use_geography(Path(choice), self.home_country.value)
        else:
            self.wb.use_geography(None)

    def _on_register_upload(self) -> None:
        files = self.register_upload.value
        if files:
            path = atomic_write_bytes(my_work_dir() / "uploads" / "register_upload.csv", bytes(files[0]["content"]))
            self.wb.use_register(read_register(path), Path(str(files[0]["name"])).name)
            self.say(f"Supplier register {self.wb.register_label}: {len(self.wb.register):,} suppliers. "
                     "It is used when you confirm the mapping of your ledger.", "ok")

    def _on_register_pick(self) -> None:
        if self.register_pick.value:
            self.wb.use_register(self.register_pick.value)
            self.say(f"Supplier register {self.wb.register_label}: {len(self.wb.register):,} suppliers.", "ok")
        else:
            self.wb.use_register(None)

    def load_course(self) -> None:
        """Load the chosen course city and year (both years, for the year-on-year chart)."""
        self.say("")
        self.wb.load_shipped(self.city.value, int(self.year.value), progress=self._progress)
        self.mapping_box.children = [self.w.HTML(
            "<i>The course ledgers are read with their known columns; upload your own ledger to see the "
            "mapping step.</i>")]
        self.source_note.value = self._message_html(
            f"Using {self.wb.label}'s ledgers for 2024 and 2025 with its supplier register and geography table.",
            "info")
        self.show_analysis()

    def load_path(self, path: str | Path, shown_name: str | None = None) -> None:
        """Preview a ledger file and show the mapping step."""
        preview = self.wb.load_file(path)
        self._show_mapping(preview, shown_name or Path(path).name)

    def _on_upload(self) -> None:
        files = self.upload.value
        if files:
            item = files[0]
            path = save_upload(str(item["name"]), bytes(item["content"]))
            self.load_path(path, Path(str(item["name"])).name)

    def _on_my_data(self) -> None:
        if self.my_data.value:
            self.load_path(self.my_data.value)

    # -- 2. mapping
    def _mapping_step(self):
        w = self.w
        self.mapping_box = w.VBox()
        self.mapping_controls: dict[str, object] = {}
        self.confirm_button = w.Button(description="Confirm mapping", button_style="primary", icon="check")
        self.confirm_button.add_class("spw-confirm")
        self._on(self.confirm_button, self.confirm)
        box = w.VBox([self._heading("2. Check which column is which"), self.mapping_box])
        box.add_class("spw-mapping")
        return box

    def _show_mapping(self, preview: LedgerPreview, name: str) -> None:
        w = self.w
        proposed = preview.proposed
        rows = []
        self.mapping_controls = {}
        for role in ROLES:
            guess = preview.guess.roles.get(role)
            control = w.Dropdown(options=[("(not in this file)", "")] + [(c, c) for c in preview.columns],
                                 value=proposed.get(role, ""), description=ROLE_LABELS[role],
                                 style={"description_width": "150px"}, layout=w.Layout(width="430px"))
            control.add_class(f"spw-map-{role}")
            if preview.saved and role in preview.saved:
                why = "as you confirmed for files of this shape"
            elif guess is not None:
                why = f"guess, {guess.confidence:.0%} sure: {guess.reason}"
            else:
                why = "no column looks like this; choose one if the file has it"
            rows.append(w.HBox([control, w.HTML(f"<small>{escape_html(why)}</small>")]))
            self.mapping_controls[role] = control
        intro = (f"<b>{escape_html(name)}</b>: {len(preview.columns)} columns. Check each role, correct it if "
                 "needed, then confirm. The confirmed mapping is saved and used again for files with the same "
                 "columns.")
        if preview.saved:
            intro += " <b>A mapping you confirmed earlier for files of this shape is filled in.</b>"
        register = (f"Supplier register: {escape_html(self.wb.register_label)}." if self.wb.register is not None
                    else "No supplier register chosen.")
        self.mapping_box.children = [w.HTML(f"<p>{intro}</p><p><small>{register} Geography: choose it above "
                                            "before confirming.</small></p>")] + rows + [self.confirm_button]
        if "amount" not in proposed:
            self.say("No column looks like an amount: choose it in the mapping (amount paid), then confirm.",
                     "warning")
        else:
            self.say(f"{name} is ready: check the mapping below and press Confirm mapping.", "info")

    def confirm(self) -> None:
        """Run the analysis with the mapping as shown in the drop-downs."""
        self._apply_reference_choice()
        mapping = {role: control.value for role, control in self.mapping_controls.items() if control.value}
        self.say("")
        self.wb.confirm_mapping(mapping, progress=self._progress)
        notes = [f"Mapping saved for files of this shape ({self.wb.mapping_saved_to.name}); the next file with "
                 "the same columns is filled in for you."]
        if self.wb.register is None or self.wb.geography is None:
            notes.append(NO_REGISTER_NOTE)
        self.source_note.value = "".join(self._message_html(n, "info") for n in notes)
        self.show_analysis()

    # -- 3. progress
    def _progress_step(self):
        w = self.w
        self.progress = w.FloatProgress(value=0.0, min=0.0, max=1.0, description="Progress")
        self.progress_label = w.HTML()
        self.progress.add_class("spw-progress")
        box = w.HBox([self.progress, self.progress_label])
        return box

    # -- 4. cleaning report
    def _cleaning_step(self):
        self.cleaning = self.w.HTML()
        return self.w.VBox([self._heading("3. What was cleaned"), self.cleaning])

    # -- 5. supplier groups
    def _groups_step(self):
        w = self.w
        self.groups_table = w.HTML()
        self.groups_table.add_class("spw-groups")
        self.variant = w.Dropdown(description="Name variant", style={"description_width": "initial"},
                                  layout=w.Layout(width="520px"))
        self.variant.add_class("spw-variant")
        self.split_button = w.Button(description="Split off", icon="scissors")
        self.split_button.add_class("spw-split")
        self.undo_button = w.Button(description="Undo all splits", icon="undo")
        self._on(self.split_button, self.split)
        self._on(self.undo_button, self.undo_splits)
        return w.VBox([self._heading("4. Supplier names grouped"),
                       w.HTML("<i>Spellings of one supplier are grouped (same supplier number, or the same name "
                              "without punctuation and company forms such as Ltd or S.L.). If two different "
                              "suppliers were merged, choose a name and split it off.</i>"),
                       self.groups_table, w.HBox([self.variant, self.split_button, self.undo_button])])

    def _show_groups(self) -> None:
        groups = self.wb.variant_groups()
        shown = groups.head(15).assign(names=groups["names"].head(15).map("; ".join),
                                       supplier_ids=groups["supplier_ids"].head(15).map(", ".join),
                                       amount=groups["amount"].head(15).map(lambda v: f"{v:,.2f}"))
        text = (f"{self.wb.group_count():,} supplier groups; {len(groups):,} merge more than one name variant"
                + (f"; {len(self.wb.overrides)} split off by you" if self.wb.overrides else "") + ".")
        self.groups_table.value = (f"<div class='spw-groups-count'>{escape_html(text)}</div>"
                                   + (html_table(shown) if len(groups) else ""))
        options = [(f"{n}  (in {g})", n) for g, names in zip(groups["supplier_group"], groups["names"])
                   for n in names][:500]
        self._quiet = True
        try:
            self.variant.options = options or [("(no merged names)", "")]
            self.variant.index = None         # re-send the selection: the page shows the first name
            self.variant.index = 0
        finally:
            self._quiet = False
        self.split_button.disabled = not options

    def split(self) -> None:
        if self.variant.value:
            name = self.variant.value
            count = self.wb.split_off(name)
            self.say(f"'{name}' is now a group of its own ({count:,} groups).", "ok")
            self.show_analysis()

    def undo_splits(self) -> None:
        self.wb.clear_overrides()
        self.say("Back to the automatic grouping.", "info")
        self.show_analysis()

    # -- 6. dashboard
    def _dashboard_step(self):
        w = self.w
        wide = {"description_width": "initial"}
        self.filter_controls = {
            "year": w.Dropdown(description="Year", style=wide),
            "service_area": w.Dropdown(description="Service area", style=wide),
            "category": w.Dropdown(description="Category", style=wide, layout=w.Layout(width="360px")),
            "level": w.Dropdown(description="Supplier location", style=wide),
        }
        for dim, control in self.filter_controls.items():
            control.add_class(f"spw-filter-{dim.replace('_', '-')}")
            self._on(control, self.refresh)
        self.levels_note = w.HTML()
        self.levels_note.add_class("spw-levels")
        self.local_level = w.Dropdown(description="counts as local (in the city)", style=wide)
        self.region_level = w.Dropdown(description="counts as the wider region", style=wide)
        self.local_level.add_class("spw-local-level")
        self.region_level.add_class("spw-region-level")
        self._on(self.local_level, self.change_levels)
        self._on(self.region_level, self.change_levels)
        self.headline = w.HTML()
        self.headline.add_class("spw-headline")
        self.chart_boxes = {}
        for key in ("geography", "size", "sector", "top", "years"):
            box = w.Box(layout=w.Layout(width="100%"))
            box.add_class(f"spw-chart-{key}")
            self.chart_boxes[key] = box
        self.benchmark_table = w.HTML()
        self.benchmark_table.add_class("spw-benchmarks")
        return w.VBox([self._heading("5. Dashboard"), self.levels_note, w.HBox([self.local_level, self.region_level]),
                       w.HBox(list(self.filter_controls.values())), self.headline,
                       self.chart_boxes["geography"], self.chart_boxes["size"], self.chart_boxes["sector"], self.chart_boxes["top"], self.chart_boxes["years"],
                       self._heading("Compared with published benchmarks"),
                       w.HTML("<i>Definitions differ: read the note before comparing.</i>"), self.benchmark_table])

    def _fill_filters(self) -> None:
        options = self.wb.filter_options()
        self._quiet = True
        try:
            for dim, control in self.filter_controls.items():
                control.options = options[dim]
                control.value = self.wb.filters.get(dim, ALL)
        finally:
            self._quiet = False

    def _fill_levels(self) -> None:
        """Show the levels of the analysis and the learner's choice of local and wider-region levels."""
        levels = self.wb.levels
        self._quiet = True
        try:
            for control, value in ((self.local_level, levels.local), (self.region_level, levels.regional)):
                control.options = list(levels.levels)
                control.value = value
        finally:
            self._quiet = False
        self.levels_note.value = (f"<p class='spw-levels-text'>{escape_html(self.wb.levels_text())} "
                                  "<i>Choose below which levels count as local and as the wider region "
                                  "(each includes the nearer levels).</i></p>")

    def change_levels(self) -> None:
        """The learner chose other local / wider-region levels: redraw the headline, charts and what-if."""
        try:
            self.wb.set_levels(self.local_level.value, self.region_level.value)
        finally:
            self._fill_levels()                 # on a bad choice, show the levels still in use
        self.refresh()

    def refresh(self) -> None:
        """Apply the filters, then redraw the headline, charts, benchmarks and what-if."""
        self.wb.set_filters(**{dim: c.value for dim, c in self.filter_controls.items()})
        head = self.wb.headline()
        table = headline_table(head, self.wb.currency)
        self.headline.value = (f"<div class='spw-headline-figures'><b>{escape_html(self.wb.label)}</b>: "
                               f"{escape_html(self.wb.filter_text())}{html_table(table)}"
                               + "".join(self._message_html(n, "warning") for n in self.wb.notes) + "</div>")
        for key, fig in self.wb.figures().items():
            chart = self.charts.get(key)
            if chart is None:
                chart = go.FigureWidget(fig)
                self.charts[key] = chart
                self.chart_boxes[key].children = [chart]
            else:
                with chart.batch_update():
                    chart.data = []
                chart.add_traces(list(fig.data))
                chart.layout = fig.layout
        self.benchmark_table.value = html_table(self.wb.benchmarks())
        self.update_what_if()

    def show_analysis(self) -> None:
        """Show the cleaning report, the groups and the dashboard of the analysis just made."""
        report = self.wb.analysis().report
        self.cleaning.value = cleaning_report_html(report)
        self._show_groups()
        self._fill_filters()
        self._fill_levels()
        self.refresh()

    # -- 7. what-if
    def _what_if_step(self):
        w = self.w
        self.shift = w.IntSlider(value=10, min=0, max=100, step=5, description="Shift (%)",
                                 style={"description_width": "initial"})
        self.respend = w.FloatSlider(value=DEFAULT_RESPEND, min=0.0, max=1.0, step=0.05, description="Re-spend rate",
                                     readout_format=".0%", style={"description_width": "initial"})
        self.shift.add_class("spw-shift")
        self.respend.add_class("spw-respend")
        self.what_if_result = w.HTML()
        self.what_if_result.add_class("spw-what-if")
        self._on(self.shift, self.update_what_if)
        self._on(self.respend, self.update_what_if)
        return w.VBox([self._heading("6. What if more were spent locally?"),
                       w.HTML("<i>Move a share of the spend with suppliers outside the city, in categories where "
                              "city suppliers already work, to city suppliers. The re-spend rate is the share of "
                              "their income that city suppliers spend again locally (40% in the course's worked "
                              "example; measure it with a supplier survey).</i>"),
                       w.HBox([self.shift, self.respend]), self.what_if_result])

    def update_what_if(self) -> None:
        result = self.wb.what_if(self.shift.value, self.respend.value)
        self.what_if_result.value = f"<p class='spw-what-if-text'>{escape_html(result['sentence'])}</p>"

    # -- 8. exports
    def _export_step(self):
        w = self.w
        self.export_button = w.Button(description="Export tables (Excel)", icon="download",
                                      layout=w.Layout(width="auto"))
        self.summary_button = w.Button(description="Export summary (Markdown + HTML)", icon="download",
                                       layout=w.Layout(width="auto"))
        self.save_name = w.Text(value="", placeholder="e.g. My city 2025", description="Name",
                                style={"description_width": "initial"})
        self.save_button = w.Button(description="Save this analysis for module 4", icon="save",
                                    layout=w.Layout(width="auto"))
        self.export_message = w.HTML()
        self.export_message.add_class("spw-export-message")
        for button in (self.export_button, self.summary_button):
            self._on(button, self.export)
        self._on(self.save_button, self.save)
        return w.VBox([self._heading("7. Export and save"), w.HBox([self.export_button, self.summary_button]),
                       w.HBox([self.save_name, self.save_button]), self.export_message])

    def _scope(self) -> str:
        year = self.wb.filters.get("year")
        return (f"the whole of {year}" if year else "all payments") + " (other filters are not applied)"

    def export(self) -> list[Path]:
        paths = self.wb.export()
        self.export_message.value = self._message_html(
            f"Saved {self._scope()} (tables in Excel, summary in Markdown and HTML): "
            + ", ".join(str(p) for p in paths), "ok")
        return paths

    def save(self) -> Path:
        path = self.wb.save_for_module4(self.save_name.value)
        self.export_message.value = self._message_html(
            f"Saved {self._scope()} as '{self.save_name.value}' for module 4: {path}", "ok")
        return path


# ---------------------------------------------------------------- entry points

def static_workbench(city: str = "portavera", year: int = 2025) -> list:
    """The headless view: the headline table, the geography chart and the top suppliers."""
    wb = Workbench()
    head = wb.load_shipped(city, year)
    cube = wb.cube
    top = cube.top_suppliers(wb.filters, 10)
    top = top.assign(amount=top["amount"].map(lambda v: f"{v:,.2f}"), share=top["share"].map(_pct),
                     cumulative_share=top["cumulative_share"].map(_pct))
    return [headline_table(head, wb.currency),
            geography_figure(cube.share_by("level", wb.filters), wb.levels,
                             f"Where the money goes ({escape_html(wb.label)} {year})"),
            top]


def spend_workbench(city: str = "portavera", year: int = 2025) -> None:
    """Show the spend-analysis workbench: widgets in JupyterLab, a static view when headless."""
    from helpers.ui.display import show_tool

    show_tool(lambda: WorkbenchWidget(city, year).widget, lambda: static_workbench(city, year))


# ---------------------------------------------------------------- notebook helpers and self-checks

def headline_summary(city: str = "portavera", year: int = 2025) -> str:
    """One line of a course city's headline shares (rounded to 0.1 pp): the notebook's key result."""
    from helpers.data import city_info

    head = pipeline.analyse_city(city, int(year)).headline()
    return (f"{city_info(city)['name']} {int(year)}: in the city {head['local_share_city']:.1%}; "
            f"city + region {head['local_share_region']:.1%}; SMEs {head['sme_share']:.1%}; "
            f"social economy {head['social_economy_share']:.1%}; location unknown "
            f"{head['unknown_location_share']:.1%}; top 10 suppliers {head['top10_share']:.1%}; "
            f"HHI {head['hhi']:,.0f}")


def data_quality_facts(city: str = "portavera", year: int = 2025) -> pd.DataFrame:
    """The data-quality numbers of a course ledger: redactions, missing postcodes, credit notes, duplicates."""
    analysis = pipeline.analyse_city(city, int(year))
    p, report = analysis.payments, analysis.report
    missing = p["postcode"].isna()
    rows = [("payment lines kept", f"{report.rows_kept:,} of {report.rows_read:,} read"),
            ("credit notes (negative lines, kept)", f"{report.credit_notes['count']:,} lines, "
                                                    f"{report.credit_notes['total']:,.2f}"),
            ("supplier name redacted (kept, grouped by supplier number)",
             f"{report.redacted['count']:,} lines, {report.redacted['total']:,.2f}"),
            ("no postcode in the ledger", f"{int(missing.sum()):,} lines ({missing.mean():.1%}); "
                                          f"{int((missing & p['level'].ne('unknown')).sum()):,} placed "
                                          "with the register's postcode"),
            ("possible duplicates (kept, to check)", f"{report.duplicates['count']:,} lines, "
                                                     f"{report.duplicates['total']:,.2f}"),
            ("matched to the supplier register", f"{(p['register_match'] != 'none').mean():.1%} of lines")]
    return pd.DataFrame(rows, columns=["check", "what the cleaning report found"])


@self_check("city-share-pct")
def city_share_pct(city: str = "portavera", year: int = 2025) -> float:
    """Share of a course city's spend with suppliers in the city, in percent."""
    return pipeline.analyse_city(city, int(year)).headline()["local_share_city"] * 100


@self_check("sme-share-pct")
def sme_share_pct(city: str = "portavera", year: int = 2025) -> float:
    """Share of a course city's spend with SMEs, in percent."""
    return pipeline.analyse_city(city, int(year)).headline()["sme_share"] * 100
