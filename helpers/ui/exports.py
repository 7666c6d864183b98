"""Export course results as documents a council officer can use: Markdown, HTML,
DOCX (opens in Word) and XLSX (opens in Excel).

Every tool builds a small `Report` (title, sections of paragraphs, bullet lists
and tables) and calls one of the writers here, so escaping and formula
neutralising happen in one place.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from helpers.core.safety import atomic_write_bytes, atomic_write_text, escape_html, neutralise_formula
from helpers.ui.tables import learner_table_html


@dataclass
class Section:
    """One heading with its paragraphs, bullet points and an optional table."""

    heading: str
    paragraphs: Sequence[str] = ()
    bullets: Sequence[str] = ()
    table: pd.DataFrame | None = None


@dataclass
class Report:
    """A document: a title, an optional subtitle line, and sections in order."""

    title: str
    subtitle: str = ""
    sections: list[Section] = field(default_factory=list)

    def add(
        self,
        heading: str,
        *,
        paragraphs: Sequence[str] = (),
        bullets: Sequence[str] = (),
        table: pd.DataFrame | None = None,
    ) -> Report:
        self.sections.append(Section(heading, list(paragraphs), list(bullets), table))
        return self

    def _repr_markdown_(self) -> str:
        """A report shows itself as its Markdown in a notebook (the learner's text escaped)."""
        return to_markdown(self)


def _md_cell(value: object) -> str:
    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    return text.replace("|", "\\|").replace("\n", " ")


def table_to_markdown(table: pd.DataFrame) -> str:
    """A pipe table (no extra dependency such as tabulate)."""
    cols = [str(c) for c in table.columns]
    lines = ["| " + " | ".join(_md_cell(c) for c in cols) + " |", "|" + "---|" * len(cols)]
    for row in table.itertuples(index=False):
        lines.append("| " + " | ".join(_md_cell(v) for v in row) + " |")
    return "\n".join(lines)


def to_markdown(report: Report) -> str:
    out = [f"# {report.title}"]
    if report.subtitle:
        out += ["", f"*{report.subtitle}*"]
    for section in report.sections:
        out += ["", f"## {section.heading}"]
        for para in section.paragraphs:
            out += ["", para]
        if section.bullets:
            out += [""] + [f"- {b}" for b in section.bullets]
        if section.table is not None:
            out += ["", table_to_markdown(section.table)]
    return "\n".join(out) + "\n"


def to_html(report: Report) -> str:
    """A standalone HTML page; every piece of text is escaped."""
    e = escape_html
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{e(report.title)}</title>",
        "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}"
        "table{border-collapse:collapse}td,th{border:1px solid #999;padding:2px 6px}</style>",
        "</head><body>",
        f"<h1>{e(report.title)}</h1>",
    ]
    if report.subtitle:
        out.append(f"<p><em>{e(report.subtitle)}</em></p>")
    for section in report.sections:
        out.append(f"<h2>{e(section.heading)}</h2>")
        out += [f"<p>{e(p)}</p>" for p in section.paragraphs]
        if section.bullets:
            out.append("<ul>" + "".join(f"<li>{e(b)}</li>" for b in section.bullets) + "</ul>")
        if section.table is not None:
            out.append(html_table(section.table))
    out.append("</body></html>")
    return "\n".join(out)


def html_table(table: pd.DataFrame, max_rows: int | None = None) -> str:
    """An escaped HTML table, formatted as every learner-facing table is (helpers.ui.tables: money and
    percentages through helpers.core.fmt, column names in words, no internal columns, status chips)."""
    return learner_table_html(table if max_rows is None else table.head(max_rows))


def to_docx_bytes(report: Report) -> bytes:
    """A Word document built with python-docx."""
    import docx  # python-docx (with lxml) loads in ~0.2 s: only when a Word document is written

    document = docx.Document()
    document.add_heading(report.title, level=0)
    if report.subtitle:
        document.add_paragraph(report.subtitle).italic = True
    for section in report.sections:
        document.add_heading(section.heading, level=1)
        for para in section.paragraphs:
            document.add_paragraph(para)
        for bullet in section.bullets:
            document.add_paragraph(bullet, style="List Bullet")
        if section.table is not None:
            table = section.table
            grid = document.add_table(rows=1, cols=len(table.columns))
            grid.style = "Table Grid"
            for cell, name in zip(grid.rows[0].cells, table.columns):
                cell.text = str(name)
            for row in table.itertuples(index=False):
                cells = grid.add_row().cells
                for cell, value in zip(cells, row):
                    cell.text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def neutralise_table(table: pd.DataFrame) -> pd.DataFrame:
    """A copy of `table` whose text cells (and column names) cannot run as spreadsheet formulas."""
    safe = table.copy()
    safe.columns = [neutralise_formula(str(c)) for c in safe.columns]
    for col in safe.columns:
        if safe[col].dtype == object or pd.api.types.is_string_dtype(safe[col]):
            safe[col] = safe[col].map(neutralise_formula)
    return safe


def to_xlsx_bytes(tables: Mapping[str, pd.DataFrame]) -> bytes:
    """A workbook with one sheet per table; text cells neutralised (no formulas run on open)."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, table in tables.items():
            sheet = "".join(ch for ch in str(name) if ch not in "[]:*?/\\")[:31] or "Sheet"
            neutralise_table(table).to_excel(writer, sheet_name=sheet, index=False)
    return buffer.getvalue()


def save_report(report: Report, path: str | Path) -> Path:
    """Write `report` by the file's ending: .md, .html, .docx."""
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix == ".md":
        return atomic_write_text(target, to_markdown(report))
    if suffix in {".html", ".htm"}:
        return atomic_write_text(target, to_html(report))
    if suffix == ".docx":
        return atomic_write_bytes(target, to_docx_bytes(report))
    raise ValueError(f"unknown report format {suffix!r}: use .md, .html or .docx")


def save_tables_xlsx(tables: Mapping[str, pd.DataFrame], path: str | Path) -> Path:
    """Write `tables` to an .xlsx workbook atomically, text cells neutralised."""
    return atomic_write_bytes(path, to_xlsx_bytes(tables))
