"""Export course results as documents a council officer can use: Markdown, HTML,
DOCX (opens in Word) and XLSX (opens in Excel).

Every tool builds a small `Report` (title, sections of paragraphs, bullet lists
and tables) and calls one of the writers here, so escaping and formula
neutralising happen in one place. `download_link_html(path)` turns a saved file
into a link the learner's browser downloads (JupyterLab serves it; a small file
outside the served folders travels inside the link).
"""
from __future__ import annotations

import base64
import io
import mimetypes
import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Mapping, Sequence
from urllib.parse import quote

import pandas as pd

from helpers.core.paths import course_root
from helpers.core.safety import atomic_write_bytes, atomic_write_text, escape_html, neutralise_formula


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

    def add(self, heading: str, *, paragraphs: Sequence[str] = (), bullets: Sequence[str] = (),
            table: pd.DataFrame | None = None) -> "Report":
        self.sections.append(Section(heading, list(paragraphs), list(bullets), table))
        return self


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
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           f"<title>{e(report.title)}</title>",
           "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}"
           "table{border-collapse:collapse}td,th{border:1px solid #999;padding:2px 6px}</style>",
           "</head><body>", f"<h1>{e(report.title)}</h1>"]
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
    """An escaped HTML table (pandas' own `to_html` is escaped too; this one is small and explicit)."""
    e = escape_html
    rows = table if max_rows is None else table.head(max_rows)
    head = "".join(f"<th>{e(c)}</th>" for c in rows.columns)
    body = "".join("<tr>" + "".join(f"<td>{e('' if pd.isna(v) else v)}</td>" for v in r) + "</tr>"
                   for r in rows.itertuples(index=False))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def to_docx_bytes(report: Report) -> bytes:
    """A Word document built with python-docx."""
    import docx  # python-docx

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


# -- download links ---------------------------------------------------------------------------------
INLINE_LIMIT = 5_000_000  # bytes: a bigger file inside a data: link would weigh down the page (and notebook)
MIME_TYPES = {".md": "text/markdown", ".docx": "application/vnd.openxmlformats-officedocument."
              "wordprocessingml.document", ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
              ".zip": "application/zip", ".csv": "text/csv", ".json": "application/json", ".html": "text/html"}


def served_link(path: str | os.PathLike, *, cwd: str | os.PathLike | None = None,
                root: str | os.PathLike | None = None) -> str | None:
    """The link from the notebook's folder to `path`, when JupyterLab serves both from the course folder.

    A notebook's kernel runs in the notebook's folder, and JupyterLab resolves a relative link in an
    output against that folder, then serves it from `<server>/files/…` (with the hub's `/user/NAME/`
    prefix on a JupyterHub). That works when the notebook and the file are both inside the course
    folder (the server is started there or above: `make lab`, `python -m helpers lab`, Binder, a hub
    home) and no folder on the way is hidden (Jupyter does not serve hidden files). Else None.
    """
    root_dir = Path(root) if root is not None else course_root()
    if root_dir is None:
        return None
    here = Path(cwd) if cwd is not None else Path.cwd()
    target = Path(path)
    try:
        root_dir, here, target = root_dir.resolve(), here.resolve(), target.resolve()
        inside = target.relative_to(root_dir)
        here.relative_to(root_dir)
        relative = PurePosixPath(*Path(os.path.relpath(target, here)).parts)  # ValueError across Windows drives
    except (OSError, ValueError):
        return None
    if any(part.startswith(".") for part in inside.parts):
        return None
    return quote(str(relative), safe="/")


def _size_text(size: int) -> str:
    for unit, step in (("MB", 1_000_000), ("kB", 1_000)):
        if size >= step:
            return f"{size / step:.1f} {unit}"
    return f"{size} bytes"


def download_link_html(path: str | os.PathLike, text: str | None = None, *, inline_limit: int = INLINE_LIMIT,
                       cwd: str | os.PathLike | None = None, root: str | os.PathLike | None = None) -> str:
    """An HTML link that downloads the saved file `path` in the learner's browser.

    Prefers a link JupyterLab serves (`served_link`; the `download` attribute tells JupyterLab to let
    the browser download instead of opening the file in a tab); else, for a file up to `inline_limit`
    bytes, a `data:` link carrying the file; else the file's location as text. Everything is escaped.
    """
    target = Path(path)
    if not target.is_file():
        return f'<span class="spw-download-missing">{escape_html(f"{target} was not found")}</span>'
    size = target.stat().st_size
    label = text or f"Download {target.name}"
    label_html = f"{escape_html(label)} ({_size_text(size)})"
    name = escape_html(target.name)
    link = served_link(target, cwd=cwd, root=root)
    if link is not None:
        return (f'<a class="spw-download" href="{escape_html(link)}" download="{name}" target="_blank" '
                f'rel="noopener">{label_html}</a>')
    if size <= inline_limit:
        mime = MIME_TYPES.get(target.suffix.lower()) or mimetypes.guess_type(target.name)[0] or \
            "application/octet-stream"
        data = base64.b64encode(target.read_bytes()).decode("ascii")
        return f'<a class="spw-download" href="data:{mime};base64,{data}" download="{name}">{label_html}</a>'
    return (f'<span class="spw-download-path">{escape_html(f"{target.name} is saved in {target.parent}")} '
            f"({escape_html(_size_text(size))}; too big to download from here: copy it from that folder)</span>")


def download_links_html(paths: Sequence[str | os.PathLike]) -> str:
    """One download link per saved file, on one line (for a tool's message after a Save button)."""
    return " · ".join(download_link_html(p) for p in paths)
