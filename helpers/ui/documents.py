"""A document a council officer can send: a `Report` (helpers.ui.exports) as a Word file with a title
page (who buys, the reference, the date, the version), A4 pages numbered "Page X of Y", tables whose
columns are sized to what they hold, and header rows repeated on every page.

`helpers.ui.exports.to_docx_bytes` writes a plain working document; this writer is for documents that
leave the building (the criteria document of module 6). LibreOffice converts the result to PDF
(tests/unit/ui/test_documents.py checks the page count and the text of that PDF).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from helpers.core.safety import atomic_write_bytes, clean_control
from helpers.ui.exports import Report

PAGE_WIDTH_CM, PAGE_HEIGHT_CM, MARGIN_CM = 21.0, 29.7, 2.0  # A4
TEXT_WIDTH_CM = PAGE_WIDTH_CM - 2 * MARGIN_CM
MIN_COLUMN_CM = 1.2


@dataclass
class CoverPage:
    """What the title page says. Empty fields are printed as "not given", never left out."""

    title: str
    buyer: str = ""
    reference: str = ""
    version: str = ""
    date: dt.date | None = None
    status: str = "Draft"
    note: str = ""
    details: Sequence[tuple[str, str]] = field(default_factory=tuple)  # further (label, value) lines

    def lines(self) -> list[tuple[str, str]]:
        day = self.date or dt.date.today()
        return [
            ("Contracting authority", self.buyer.strip() or "not given"),
            ("Reference", self.reference.strip() or "not given"),
            ("Date", f"{day.day} {day:%B %Y}"),
            ("Version", self.version.strip() or "not given"),
            ("Status", self.status),
            *self.details,
        ]


def column_widths(table: pd.DataFrame, width_cm: float = TEXT_WIDTH_CM) -> list[float]:
    """Column widths (cm) that fill `width_cm`: each column first gets room for its header's longest word
    (no heading breaks inside a word), then the rest is shared in proportion to the typical length of
    what the column holds, so a number column stays narrow and a column of sentences gets the room."""
    floors, wants = [], []
    for name in table.columns:
        cells = ["" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v) for v in table[name]]
        typical = sum(len(c) for c in cells) / len(cells) if cells else 0.0
        longest_word = max((len(word) for word in str(name).split()), default=1)
        floors.append(max(MIN_COLUMN_CM, 0.2 * longest_word + 0.4))
        wants.append(max(min(typical, 120.0), 2.0))
    free = max(width_cm - sum(floors), 0.0)
    return [floor + free * want / sum(wants) for floor, want in zip(floors, wants)]


def _field(paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) in `paragraph`: the reader's program fills in the number."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def run_with(tag: str, **attributes: str):
        element = OxmlElement(tag)
        for key, value in attributes.items():
            element.set(qn(key), value)
        paragraph.add_run()._r.append(element)
        return element

    run_with("w:fldChar", **{"w:fldCharType": "begin"})
    code = run_with("w:instrText", **{"xml:space": "preserve"})
    code.text = f" {instruction} "
    run_with("w:fldChar", **{"w:fldCharType": "separate"})
    paragraph.add_run("1")
    run_with("w:fldChar", **{"w:fldCharType": "end"})


def _repeat_header(row) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    properties.append(flag)


def _text(value) -> str:
    """Text a Word document can hold: control characters (from a learner's file) become �."""
    return clean_control(value)[0]


def _table(document, table: pd.DataFrame, widths: Sequence[float] | None) -> None:
    from docx.shared import Cm, Pt

    sizes = list(widths) if widths else column_widths(table)
    grid = document.add_table(rows=1, cols=len(table.columns))
    grid.style = "Table Grid"
    grid.autofit = False
    for column, size in zip(grid.columns, sizes):
        column.width = Cm(size)
    _repeat_header(grid.rows[0])
    rows = [[str(c) for c in table.columns]] + [
        ["" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v) for v in row]
        for row in table.itertuples(index=False)
    ]
    for number, values in enumerate(rows):
        cells = grid.rows[0].cells if number == 0 else grid.add_row().cells
        for cell, value, size in zip(cells, values, sizes):
            cell.width = Cm(size)
            cell.text = _text(value)
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(9)
                    run.font.bold = number == 0


def formal_docx_bytes(report: Report, cover: CoverPage, widths: Mapping[str, Sequence[float]] | None = None) -> bytes:
    """The report as a sendable Word document: title page, numbered A4 pages, sized tables.
    `widths` gives a section's table column widths in cm (by section heading); other tables are sized
    by `column_widths`."""
    import docx  # python-docx (with lxml) loads in ~0.2 s: only when a Word document is written
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.shared import Cm, Pt

    document = docx.Document()
    document.core_properties.title = _text(cover.title)
    document.core_properties.author = _text(cover.buyer or "Strategic Procurement Workbook")
    document.styles["Normal"].font.size = Pt(10.5)
    section = document.sections[0]
    section.page_width, section.page_height = Cm(PAGE_WIDTH_CM), Cm(PAGE_HEIGHT_CM)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(MARGIN_CM))
    section.different_first_page_header_footer = True  # no header or page number on the title page

    # the title page
    for _ in range(4):
        document.add_paragraph()
    document.add_heading(_text(cover.title), level=0)
    facts = document.add_table(rows=0, cols=2)
    for label, value in cover.lines():
        cells = facts.add_row().cells
        cells[0].width, cells[1].width = Cm(5), Cm(TEXT_WIDTH_CM - 5)
        cells[0].text, cells[1].text = _text(label), _text(value)
        cells[0].paragraphs[0].runs[0].font.bold = True
    if cover.note:
        document.add_paragraph()
        document.add_paragraph(_text(cover.note)).runs[0].italic = True
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    # running header and footer from page 2
    header = section.header.paragraphs[0]
    header.text = _text(" · ".join(part for part in (cover.reference.strip(), cover.title) if part))
    header.runs[0].font.size = Pt(8)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("Page ")
    _field(footer, "PAGE")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES")

    if report.subtitle:
        document.add_paragraph(_text(report.subtitle)).runs[0].italic = True
    for part in report.sections:
        document.add_heading(_text(part.heading), level=1)
        for para in part.paragraphs:
            document.add_paragraph(_text(para))
        for bullet in part.bullets:
            document.add_paragraph(_text(bullet), style="List Bullet")
        if part.table is not None:
            _table(document, part.table, (widths or {}).get(part.heading))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def save_formal_docx(
    report: Report, path: str | Path, cover: CoverPage, widths: Mapping[str, Sequence[float]] | None = None
) -> Path:
    """Write the sendable Word document atomically (a half-written file never replaces a good one)."""
    return atomic_write_bytes(path, formal_docx_bytes(report, cover, widths))
