from __future__ import annotations

import io

import docx
import openpyxl
import pandas as pd

from helpers.core.safety import escape_html, neutralise_formula
from helpers.ui.exports import Report, html_table, save_report, save_tables_xlsx, to_html, to_markdown

XSS = "<img src=x onerror=alert(1)>"


def test_escape_html_turns_markup_into_text():
    assert escape_html(XSS) == "&lt;img src=x onerror=alert(1)&gt;"
    assert escape_html(None) == ""


def test_neutralise_formula_only_touches_dangerous_text():
    assert neutralise_formula('=HYPERLINK("x")') == '\'=HYPERLINK("x")'
    assert neutralise_formula("+1") == "'+1"
    assert neutralise_formula("-2+3") == "'-2+3"
    assert neutralise_formula("@SUM(A1)") == "'@SUM(A1)"
    assert neutralise_formula("ACME Ltd") == "ACME Ltd"
    assert neutralise_formula(-12.5) == -12.5


def test_xlsx_export_neutralises_text_and_keeps_numbers(tmp_path):
    table = pd.DataFrame({"supplier": ["=1+1", "Acme"], "amount": [-12.5, 100.0]})
    path = save_tables_xlsx({"Top suppliers": table}, tmp_path / "out.xlsx")
    sheet = openpyxl.load_workbook(path)["Top suppliers"]
    assert sheet["A2"].value == "'=1+1" and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == -12.5


def test_report_formats_escape_and_open(tmp_path):
    report = Report("Spend summary", "Portavera 2025").add(
        "Top suppliers",
        paragraphs=[f"Largest: {XSS}"],
        bullets=["a | b"],
        table=pd.DataFrame({"name": [XSS], "share": ["12%"]}),
    )
    html = to_html(report)
    assert XSS not in html and "&lt;img" in html
    assert "a \\| b" not in to_markdown(report)  # bullets are prose, tables escape pipes
    assert "| name | share |" in to_markdown(report)
    path = save_report(report, tmp_path / "r.docx")
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(path.read_bytes())).paragraphs)
    assert "Top suppliers" in text and "Largest:" in text
    assert "&lt;img" in html_table(pd.DataFrame({"x": [XSS]}))
