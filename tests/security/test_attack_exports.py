"""Injection in the documents the course writes (issue 11): control characters, formulas, Markdown and
HTML. Each written file is opened the way its reader would: XLSX with openpyxl, DOCX with python-docx,
Markdown rendered with markdown-it (CommonMark + tables) and mistune (with bare-URL links)."""

from __future__ import annotations

import csv
import io
import re

import docx
import markdown_it
import mistune
import openpyxl
import pandas as pd
import pytest

from helpers.core.safety import FORMULA_PREFIXES, clean_control, neutralise_formula, restore_formula
from helpers.spend.pipeline import analyse_ledger, export_analysis, load_analysis, save_analysis
from helpers.tendering.criteria import CriteriaDraft, DraftItem, save_draft_report
from helpers.tendering.library import load_library
from helpers.ui.exports import Report, save_report, save_table_csv, save_tables_xlsx, to_html, to_markdown
from tests.security.conftest import CONTROL, FORMULAS, HOSTILE

MARKDOWN_ATTACKS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "![tracker](http://evil.example/pixel.png)",
    "[click me](javascript:alert(1))",
    "<http://evil.example/auto>",
    "see http://evil.example/bare and www.evil.example and someone@evil.example",
    "[ref]\n\n[ref]: http://evil.example",
    "$\\href{javascript:alert(1)}{x}$",
    "# not a heading\n- not a list\n1. not a list either",
    "`code` **bold** _em_ ~~strike~~ | pipe",
    '<a href="http://evil.example">link</a>',
]


def rendered(markdown: str) -> list[str]:
    """The Markdown rendered by two renderers (mistune also turns bare web addresses into links)."""
    return [
        markdown_it.MarkdownIt("commonmark").enable("table").render(markdown),
        mistune.create_markdown(plugins=["table", "url", "strikethrough"])(markdown),
    ]


def report_with(text: str) -> Report:
    return Report(f"Title {text}", f"sub {text}").add(
        f"Heading {text}",
        paragraphs=[f"Paragraph {text}"],
        bullets=[f"bullet {text}"],
        table=pd.DataFrame({f"col {text}": [f"cell {text}"], "n": [1]}),
    )


@pytest.mark.parametrize("attack", MARKDOWN_ATTACKS)
def test_markdown_export_shows_the_text_and_makes_no_html_image_or_link(attack):
    markdown = to_markdown(report_with(attack))
    for html in rendered(markdown):
        assert not re.search(r"<(script|img|a|iframe)\b", html), html
        assert "<h1>" in html and html.count("<h1>") == 1 and "<h2>" in html and html.count("<h2>") == 1
        assert "<ol>" not in html and html.count("<ul>") == 1 and html.count("<table>") == 1
        assert "<strong>" not in html and "<em>Paragraph" not in html and "<del>" not in html
    # the learner's words survive: every word of the attack is in the rendered text
    text = re.sub(r"<[^>]+>", "", rendered(markdown)[0])
    for word in re.findall(r"[A-Za-z]{4,}", attack):
        assert word in text


def test_html_export_escapes_every_text():
    page = to_html(report_with(HOSTILE))
    assert "<script>alert" not in page and "<img src=x" not in page and '<a href="javascript' not in page
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in page


def test_control_characters_are_replaced_and_counted_in_every_format(tmp_path):
    report = report_with(CONTROL)
    per_text = clean_control(CONTROL)[1]
    assert per_text == 5  # \x01 \x0b \x1b \x07 \x00
    written = {fmt: save_report(report, tmp_path / f"r.{fmt}") for fmt in ("md", "html", "docx")}
    for fmt in ("md", "html"):
        text = written[fmt].read_text(encoding="utf-8")
        assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", text)
        assert "ACME\ufffd Ltd" in text and f"Note: {7 * per_text} control character(s)" in text
    document = docx.Document(io.BytesIO(written["docx"].read_bytes()))
    paragraphs = [p.text for p in document.paragraphs]
    assert "Paragraph ACME\ufffd Ltd\ufffd\ufffd[31m red\ufffd\ufffd" in paragraphs
    assert document.tables[0].cell(1, 0).text == "cell ACME\ufffd Ltd\ufffd\ufffd[31m red\ufffd\ufffd"
    assert any(p.startswith(f"Note: {7 * per_text} control character(s)") for p in paragraphs)

    book = save_tables_xlsx({"Suppliers\x01": pd.DataFrame({"supplier": [CONTROL, "=1+1"]})}, tmp_path / "t.xlsx")
    sheets = openpyxl.load_workbook(book)
    assert sheets.sheetnames == ["Suppliers", "Notes"]
    assert sheets["Suppliers"]["A2"].value == "ACME\ufffd Ltd\ufffd\ufffd[31m red\ufffd\ufffd"
    assert sheets["Suppliers"]["A3"].value == "'=1+1" and sheets["Suppliers"]["A3"].data_type == "s"
    assert "5 control character(s)" in sheets["Notes"]["A2"].value

    path = save_table_csv(pd.DataFrame({"supplier": [CONTROL]}), tmp_path / "t.csv")
    assert path.read_text(encoding="utf-8") == "supplier\nACME\ufffd Ltd\ufffd\ufffd[31m red\ufffd\ufffd\n"


def test_a_criterion_and_a_supplier_with_control_characters_export_to_docx_and_xlsx(work_dir, tmp_path):
    draft = CriteriaDraft(
        subject="Meals\x0b2025", items=[DraftItem(title="Local\x01food", weight=30, custom_text="x\x02")]
    )
    for fmt in ("docx", "md"):
        path = save_draft_report(draft, load_library(), tmp_path / f"criteria.{fmt}", fmt=fmt)
        assert path.stat().st_size > 0
    text = "\n".join(p.text for p in docx.Document(str(tmp_path / "criteria.docx")).paragraphs)
    assert "Meals\ufffd2025" in text

    ledger = tmp_path / "ledger.csv"
    ledger.write_text("Date,Supplier,Amount\n01/02/2025,ACME\x01 Ltd,100.00\n02/02/2025,B\x0bC,50.00\n")
    xlsx, md, html = export_analysis(analyse_ledger(ledger, use_saved_mapping=False), "control")
    names = [r[0] for r in openpyxl.load_workbook(xlsx)["Top suppliers"].iter_rows(min_row=2, values_only=True)]
    assert {"ACME\ufffd Ltd", "B\ufffdC"} <= set(names)


@pytest.mark.parametrize("formula", FORMULAS)
def test_every_csv_and_xlsx_neutralises_formula_cells(formula, tmp_path):
    table = pd.DataFrame({formula: [formula, "plain"], "amount": [-12.5, 3.0]})
    rows = list(csv.reader(io.StringIO(save_table_csv(table, tmp_path / "t.csv").read_text(encoding="utf-8"))))
    assert rows[0][0] == rows[1][0] == "'" + formula and rows[1][1] == "-12.5"  # numbers stay numbers
    sheet = openpyxl.load_workbook(save_tables_xlsx({"t": table}, tmp_path / "t.xlsx"))["t"]
    assert sheet["A1"].value == sheet["A2"].value == "'" + formula and sheet["B2"].value == -12.5
    for cell in (sheet["A1"], sheet["A2"]):
        assert cell.data_type == "s"  # a string, never a formula


@pytest.mark.parametrize("text", [*FORMULAS, "'=x", "''+y", "'plain", "plain", "-", "=", ""])
def test_neutralising_is_undone_exactly_when_the_course_reads_its_own_file(text):
    guarded = neutralise_formula(text)
    assert not guarded.startswith(FORMULA_PREFIXES)
    assert restore_formula(guarded) == text


def test_module_4_analysis_csv_is_neutralised_and_reads_back_unchanged(work_dir, tmp_path):
    ledger = tmp_path / "ledger.csv"
    rows = [
        f'0{i + 1}/02/2025,"{name}",{10 * (i + 1)}.00' for i, name in enumerate(f.replace('"', '""') for f in FORMULAS)
    ]
    ledger.write_text("Date,Supplier,Amount\n" + "\n".join(rows) + "\n")
    analysis = analyse_ledger(ledger, use_saved_mapping=False)
    path = save_analysis(analysis, "Formula city")
    written = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert all(not row["supplier"].startswith(FORMULA_PREFIXES) for row in written)
    assert {row["supplier"] for row in written} == {"'" + f for f in FORMULAS}
    assert set(load_analysis("Formula city")["supplier"]) == set(FORMULAS)  # module 4 sees the real names
