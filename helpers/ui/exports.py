"""Export course results as documents a council officer can use: Markdown, HTML,
DOCX (opens in Word) and XLSX (opens in Excel).

Every tool builds a small `Report` (title, sections of paragraphs, bullet lists
and tables) and calls one of the writers here, so escaping and formula
neutralising happen in one place:

- every writer replaces control characters (which make XLSX and DOCX writers fail
  and a terminal misbehave) by �, and says how many in the document itself;
- Markdown escapes the text it is given: no raw HTML, no image, no link and no
  formatting that the text did not ask for (web addresses are shown as code, never
  as links), `$` is not maths;
- HTML escapes every piece of text;
- every CSV and XLSX cell that a spreadsheet would run as a formula is neutralised.

`download_link_html(path)` turns a saved file into a link the learner's browser downloads
(JupyterLab serves it; a small file outside the served folders travels inside the link).
"""

from __future__ import annotations

import base64
import io
import mimetypes
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import quote

import pandas as pd

from helpers.core.paths import course_root
from helpers.core.safety import (
    REPLACEMENT,
    atomic_write_bytes,
    atomic_write_text,
    clean_control,
    escape_html,
    neutralise_formula,
)
from helpers.ui.display import in_voila
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


class _Cleaner:
    """Replace control characters in each text it is given, counting them for the note."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, value: object) -> str:
        text, replaced = clean_control(value)
        self.count += replaced
        return text

    def note(self) -> str | None:
        """The sentence the document ends with when something was replaced."""
        if not self.count:
            return None
        return (
            f"Note: {self.count} control character(s) in the data could not be written and were replaced "
            f"by {REPLACEMENT}."
        )


# Web addresses and e-mail addresses that renderers (GitHub, JupyterLab) turn into links by themselves.
_LINKABLE = re.compile(
    r"(?i)\b(?:(?:https?|s?ftps?|file|mailto|xmpp|javascript|data|vbscript):|www\.)[^\s<>]*[^\s<>).,;:!?'\"]"
    r"|[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+"
)
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]~$&<>])")  # backslash escapes: CommonMark shows them as is
_BLOCK_START = re.compile(r"^(?:([#+\-=])|(\d{1,9})([.)]))")


def _code_span(text: str) -> str:
    """`text` as an inline code span, fenced with more backticks than it holds."""
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    return f"{fence} {text} {fence}" if text.startswith("`") or text.endswith("`") else f"{fence}{text}{fence}"


def _md_plain(text: str) -> str:
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", text)


def _md_line(text: str) -> str:
    """One line of text as Markdown that shows exactly this text (see the module's docstring)."""
    out, last = [], 0
    for found in _LINKABLE.finditer(text):
        out += [_md_plain(text[last : found.start()]), _code_span(found.group())]
        last = found.end()
    out.append(_md_plain(text[last:]))
    line = "".join(out).lstrip()
    return _BLOCK_START.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", line)


def md_text(value: object, clean: _Cleaner | None = None, *, multiline: bool = False) -> str:
    """Learner or file text as Markdown that shows exactly that text: no HTML, images, links or
    formatting it did not ask for. Line breaks become spaces unless `multiline`."""
    text = clean(value) if clean is not None else clean_control(value)[0]
    lines = re.split(r"\r\n|\r|\n", text)
    if not multiline:
        return _md_line(" ".join(lines))
    return "\n".join(_md_line(line) for line in lines)


def _md_cell(value: object, clean: _Cleaner | None = None) -> str:
    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else value
    return md_text(text, clean).replace("|", "\\|")


def table_to_markdown(table: pd.DataFrame, clean: _Cleaner | None = None) -> str:
    """A pipe table (no extra dependency such as tabulate), every cell escaped."""
    cols = [str(c) for c in table.columns]
    lines = ["| " + " | ".join(_md_cell(c, clean) for c in cols) + " |", "|" + "---|" * len(cols)]
    for row in table.itertuples(index=False):
        lines.append("| " + " | ".join(_md_cell(v, clean) for v in row) + " |")
    return "\n".join(lines)


def to_markdown(report: Report) -> str:
    """The report as Markdown; all of its text is escaped (`md_text`)."""
    clean = _Cleaner()
    out = [f"# {md_text(report.title, clean)}"]
    if report.subtitle:
        out += ["", f"*{md_text(report.subtitle, clean)}*"]
    for section in report.sections:
        out += ["", f"## {md_text(section.heading, clean)}"]
        for para in section.paragraphs:
            out += ["", md_text(para, clean, multiline=True)]
        if section.bullets:
            out += [""] + [f"- {md_text(b, clean)}" for b in section.bullets]
        if section.table is not None:
            out += ["", table_to_markdown(section.table, clean)]
    if clean.note():
        out += ["", md_text(clean.note())]
    return "\n".join(out) + "\n"


def to_html(report: Report) -> str:
    """A standalone HTML page; every piece of text is escaped (and control characters replaced)."""
    clean = _Cleaner()

    def e(value: object) -> str:
        return escape_html(clean(value))

    title = e(report.title)
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{title}</title>",
        "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}"
        "table{border-collapse:collapse}td,th{border:1px solid #999;padding:2px 6px}</style>",
        "</head><body>",
        f"<h1>{title}</h1>",
    ]
    if report.subtitle:
        out.append(f"<p><em>{e(report.subtitle)}</em></p>")
    for section in report.sections:
        out.append(f"<h2>{e(section.heading)}</h2>")
        out += [f"<p>{e(p)}</p>" for p in section.paragraphs]
        if section.bullets:
            out.append("<ul>" + "".join(f"<li>{e(b)}</li>" for b in section.bullets) + "</ul>")
        if section.table is not None:
            text_only = section.table.map(lambda v: clean(v) if isinstance(v, str) else v)
            out.append(html_table(text_only.rename(columns=clean)))
    if clean.note():
        out.append(f"<p><em>{e(clean.note())}</em></p>")
    out.append("</body></html>")
    return "\n".join(out)


def html_table(table: pd.DataFrame, max_rows: int | None = None) -> str:
    """An escaped HTML table, formatted as every learner-facing table is (helpers.ui.tables: money and
    percentages through helpers.core.fmt, column names in words, no internal columns, status chips)."""
    return learner_table_html(table if max_rows is None else table.head(max_rows))


def to_docx_bytes(report: Report) -> bytes:
    """A Word document built with python-docx (control characters replaced: Word cannot hold them)."""
    import docx  # python-docx (with lxml) loads in ~0.2 s: only when a Word document is written

    clean = _Cleaner()
    document = docx.Document()
    document.add_heading(clean(report.title), level=0)
    if report.subtitle:
        document.add_paragraph(clean(report.subtitle)).italic = True
    for section in report.sections:
        document.add_heading(clean(section.heading), level=1)
        for para in section.paragraphs:
            document.add_paragraph(clean(para))
        for bullet in section.bullets:
            document.add_paragraph(clean(bullet), style="List Bullet")
        if section.table is not None:
            table = section.table
            grid = document.add_table(rows=1, cols=len(table.columns))
            grid.style = "Table Grid"
            for cell, name in zip(grid.rows[0].cells, table.columns):
                cell.text = clean(name)
            for row in table.itertuples(index=False):
                cells = grid.add_row().cells
                for cell, value in zip(cells, row):
                    missing = value is None or (isinstance(value, float) and pd.isna(value))
                    cell.text = "" if missing else clean(value)
    if clean.note():
        document.add_paragraph(clean.note()).italic = True
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _safe_cell(value: object, clean: _Cleaner | None = None) -> object:
    """A cell for a spreadsheet or CSV: text with control characters replaced, then neutralised."""
    if isinstance(value, str):
        return neutralise_formula(clean(value) if clean else clean_control(value)[0])
    return value


def neutralise_table(table: pd.DataFrame, clean: _Cleaner | None = None) -> pd.DataFrame:
    """A copy of `table` whose text cells (and column names) cannot run as spreadsheet formulas,
    with control characters replaced."""
    safe = table.copy()
    safe.columns = [_safe_cell(str(c), clean) for c in safe.columns]
    for col in safe.columns:
        if safe[col].dtype == object or pd.api.types.is_string_dtype(safe[col]):
            safe[col] = safe[col].map(lambda v: _safe_cell(v, clean)).astype(object)
    return safe


def _sheet_name(name: object, taken: set[str]) -> str:
    base = "".join(ch for ch in clean_control(name)[0] if ch not in "[]:*?/\\" and ch != REPLACEMENT)
    base = base.strip("' ")[:31] or "Sheet"
    sheet, n = base, 1
    while sheet.lower() in taken:
        n += 1
        sheet = f"{base[: 31 - len(str(n)) - 1]} {n}"
    taken.add(sheet.lower())
    return sheet


def to_xlsx_bytes(tables: Mapping[str, pd.DataFrame]) -> bytes:
    """A workbook with one sheet per table; text cells neutralised (no formulas run on open) and
    control characters replaced, with a "Notes" sheet saying how many when there were any."""
    clean = _Cleaner()
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        taken: set[str] = set()
        for name, table in tables.items():
            neutralise_table(table, clean).to_excel(writer, sheet_name=_sheet_name(name, taken), index=False)
        if clean.note():
            pd.DataFrame({"note": [clean.note()]}).to_excel(writer, sheet_name=_sheet_name("Notes", taken), index=False)
    return buffer.getvalue()


def to_csv_bytes(table: pd.DataFrame) -> bytes:
    """A UTF-8 CSV of `table` whose text cells cannot run as formulas in a spreadsheet (read it back
    with `helpers.core.safety.restore_formula`) and hold no control characters."""
    return neutralise_table(table).to_csv(index=False).encode("utf-8")


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


def save_table_csv(table: pd.DataFrame, path: str | Path) -> Path:
    """Write `table` to a CSV atomically, text cells neutralised (`to_csv_bytes`)."""
    return atomic_write_bytes(path, to_csv_bytes(table))


# -- download links ---------------------------------------------------------------------------------
INLINE_LIMIT = 5_000_000  # bytes: a bigger file inside a data: link would weigh down the page (and notebook)
MIME_TYPES = {
    ".md": "text/markdown",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".zip": "application/zip",
    ".csv": "text/csv",
    ".json": "application/json",
    ".html": "text/html",
}


def served_link(
    path: str | os.PathLike, *, cwd: str | os.PathLike | None = None, root: str | os.PathLike | None = None
) -> str | None:
    """The link from the notebook's folder to `path`, when JupyterLab serves both from the course folder.

    A notebook's kernel runs in the notebook's folder, and JupyterLab resolves a relative link in an
    output against that folder, then serves it from `<server>/files/…` (with the hub's `/user/NAME/`
    prefix on a JupyterHub). That works when the notebook and the file are both inside the course
    folder (the server is started there or above: `make lab`, `python -m helpers lab`, Binder, a hub
    home) and no folder on the way is hidden (Jupyter does not serve hidden files). Else None; also in
    app mode, where Voilà serves only the images its `file_allowlist` lets through (the link carries the file).
    """
    root_dir = Path(root) if root is not None else course_root()
    if root_dir is None or in_voila():
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


def download_link_html(
    path: str | os.PathLike,
    text: str | None = None,
    *,
    inline_limit: int = INLINE_LIMIT,
    cwd: str | os.PathLike | None = None,
    root: str | os.PathLike | None = None,
) -> str:
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
        return (
            f'<a class="spw-download" href="{escape_html(link)}" download="{name}" target="_blank" '
            f'rel="noopener">{label_html}</a>'
        )
    if size <= inline_limit:
        mime = (
            MIME_TYPES.get(target.suffix.lower()) or mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        )
        data = base64.b64encode(target.read_bytes()).decode("ascii")
        return f'<a class="spw-download" href="data:{mime};base64,{data}" download="{name}">{label_html}</a>'
    return (
        f'<span class="spw-download-path">{escape_html(f"{target.name} is saved in {target.parent}")} '
        f"({escape_html(_size_text(size))}; too big to download from here: copy it from that folder)</span>"
    )


def download_links_html(paths: Sequence[str | os.PathLike]) -> str:
    """One download link per saved file, on one line (for a tool's message after a Save button)."""
    return " · ".join(download_link_html(p) for p in paths)
