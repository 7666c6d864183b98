"""The workbench tells the truth on a learner's own ledger: unknown is never zero, every figure states
its scope, several currencies are never silently mixed, and a kernel restart reopens the last ledger."""

from __future__ import annotations

import csv
import datetime
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from helpers.learning.progress import store
from helpers.spend.pipeline import summary_report
from helpers.spend.widgets.workbench import WorkbenchWidget
from helpers.spend.widgets.workbench_session import TOOL
from helpers.spend.widgets.workbench_state import Workbench
from helpers.spend.widgets.workbench_static import static_workbench
from helpers.ui.exports import to_markdown

SHARE_ROWS = (
    "Share spent with suppliers in the city",
    "Share spent in the city or the wider region",
    "Share spent with SMEs",
    "Share spent with social-economy organisations",
)


def zero_share(text: str) -> bool:
    """True when a text shows a share of 0.0% (not 100.0% or 10.0%)."""
    return re.search(r"(?<![\d.])0\.0%", text) is not None


def write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(header)
        out.writerows(rows)
    return path


def devon_figures(path: Path, encoding: str) -> dict:
    """The Devon file read independently: total, lines, credit notes, the ten largest supplier IDs' share."""
    with open(path, encoding=encoding, newline="") as handle:
        rows = list(csv.DictReader(handle))
    amounts = [Decimal(r["Amount"]) for r in rows]
    return {"total": sum(amounts, Decimal(0)), "lines": len(rows), "credits": sum(1 for a in amounts if a < 0)}


@pytest.mark.realdata
@pytest.mark.parametrize(
    ("name", "encoding"), [("devon_spend_2014_07_cp1252.csv", "cp1252"), ("devon_spend_2024_09.csv", "utf-8-sig")]
)
def test_a_real_ledger_without_postcodes_or_register_says_unknown(real_data_dir, work_dir, name, encoding):
    path = real_data_dir / name
    expected = devon_figures(path, encoding)
    wb = Workbench()
    head = wb.load_ledger(path)
    report = wb.analysis().report
    assert wb.filters == {}  # the dashboard opens on the whole file
    assert head["lines"] == expected["lines"] and report.credit_notes["count"] == expected["credits"]
    assert f"{head['total']:,.2f}" == f"{expected['total']:,.2f}" == f"{report.total_after:,.2f}"
    table = wb.headline_frame().set_index("indicator")
    assert list(table.columns) == ["all payments", "about this figure"]  # the figures are named by their scope
    for row in SHARE_ROWS:
        assert table.loc[row, "all payments"] == "unknown", row
        about = table.loc[row, "about this figure"]
        assert about.startswith("Unknown: no payment in this selection") or about == (
            "Unknown, for the same reason as above."  # city + region after city
        ), row
    assert (
        "Equals the cleaning report's total"
        in table.loc["Total spend (net, credit notes included)", "about this figure"]
    )
    text = wb.headline_text()
    assert not zero_share(text)
    assert f"the total equals the cleaning report's total of the payments kept ({expected['total']:,.2f})" in text
    assert set(wb.benchmarks()["ours"]) == {"unknown"}
    what_if = wb.what_if(10, 0.4)
    assert what_if["share_after"] is None and what_if["lm3_after"] is None
    assert "cannot be worked out" in what_if["sentence"] and not zero_share(what_if["sentence"])
    figures = wb.figures()
    assert list(figures["geography"].data[0].x) == ["unknown"]  # no 0.0% bars for the city and region
    assert "geography table" in figures["geography"].layout.annotations[0].text
    assert "own category" in figures["sector"].layout.title.text  # Expense Type, not "unclassified"
    assert list(figures["years"].data[0].text)[:4] == ["unknown"] * 4
    summary = to_markdown(summary_report(wb.analysis()))
    assert "Spent with SMEs: unknown" in summary and not zero_share(summary)


def test_several_currencies_get_a_filter_and_a_note_beside_the_total(tmp_path, work_dir):
    path = write(
        tmp_path / "two_currencies.csv",
        ["Date", "Supplier", "Amount", "Currency"],
        [
            ["01/07/2024", "A", "1000.00", "EUR"],
            ["02/07/2024", "B", "500.00", "EUR"],
            ["03/07/2024", "C", "200", "GBP"],
        ],
    )
    wb = Workbench()
    wb.load_ledger(path)
    assert wb.filter_options()["currency"] == ["all", "EUR", "GBP"]
    assert wb.view_currency() is None
    total = wb.headline_frame().set_index("indicator").loc["Total spend (net, credit notes included)"]
    assert total["all payments"] == "1,700.00"  # no currency written for a sum of two
    assert "Adds amounts in EUR, GBP as they stand (no exchange rate)" in total["about this figure"]
    wb.set_filters(currency="GBP")
    total = wb.headline_frame().set_index("indicator").loc["Total spend (net, credit notes included)"]
    assert total["currency GBP"] == "GBP 200.00" and total["about this figure"] == ""


def test_lines_outside_the_main_period_are_in_the_scope_and_get_no_year_bar(tmp_path, work_dir):
    rows = [[f"{d:02d}/{m}/2014", f"S{d}", "100"] for m in ("07", "08") for d in range(1, 21)]
    rows += [["03/03/2010", "Old", "10"], ["04/04/2011", "Older", "20"]]
    wb = Workbench()
    head = wb.load_ledger(write(tmp_path / "stray.csv", ["Date", "Supplier", "Amount"], rows))
    assert head["total"] == 4030.0 and wb.filters == {}  # whole file: the stray lines are counted
    assert "2 line(s) dated 2010–2011, outside the main period (2014), are included" in wb.scope_text()
    assert wb.main_years() == ["2014"]
    assert [t.name for t in wb.figures()["years"].data] == ["2014"]
    assert wb.filter_options()["year"] == ["all", "2010", "2011", "2014"]  # still choosable
    wb.set_filters(year="2014")
    assert wb.headline()["total"] == 4000.0 and "outside the main period" not in wb.scope_text()


def _upload(ww: WorkbenchWidget, path: Path) -> None:
    content = path.read_bytes()
    ww.upload.value = (
        {
            "name": path.name,
            "type": "text/csv",
            "size": len(content),
            "content": memoryview(content),
            "last_modified": datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC),
        },
    )


def test_after_a_restart_the_workbench_reopens_on_the_last_ledger_and_settings(tmp_path, work_dir):
    ledger = write(
        tmp_path / "our_city.csv",
        ["Date", "Supplier", "Amount", "Department"],
        [
            ["01/07/2024", "Acme Ltd", "100", "Roads"],
            ["02/07/2024", "ACME LIMITED", "50", "Roads"],
            ["03/07/2024", "Beta", "30", "Schools"],
        ],
    )
    ww = WorkbenchWidget("portavera", 2025)
    _upload(ww, ledger)
    ww.confirm_button.click()
    ww.filter_controls["service_area"].value = "Roads"
    ww.variant.value = "ACME LIMITED"
    ww.split_button.click()
    saved = store().load_settings(TOOL)
    assert saved["kind"] == "file" and saved["name"] == "our_city.csv" and saved["filters"] == {"service_area": "Roads"}
    assert saved["overrides"] == {"ACME LIMITED": "ACME LIMITED"}

    again = WorkbenchWidget("portavera", 2025)  # a new kernel: the same notebook cell runs again
    assert again.wb.label == "our_city.csv" and again.wb.filters == {"service_area": "Roads"}
    assert again.wb.headline()["total"] == 150.0 and again.wb.group_count() == 3  # the split is kept
    assert "Reopened on your last ledger, our_city.csv" in again.message.value
    assert "our_city.csv" in again.headline.value and "service area Roads" in again.headline.value

    shutil.move(str(work_dir / "uploads" / "our_city.csv"), str(tmp_path / "moved.csv"))
    third = WorkbenchWidget("portavera", 2025)
    assert third.wb.label == "Portavera"  # the course city, and why
    assert "Could not reopen your last ledger" in third.message.value
    assert "is no longer at" in third.message.value and "Upload it again" in third.message.value
    assert store().load_settings(TOOL)["kind"] == "file"  # still remembered, in case it comes back
    again.save_name.value = "Our city"
    again.save_button.click()
    assert "replaces" not in again.export_message.value
    again.save_button.click()  # the same name again: it asks first (issue 11: never overwritten silently)
    assert "is saved already" in again.message.value and "Click save again to replace it" in again.message.value
    again.save_button.click()
    assert "It replaces the analysis saved earlier under this name." in again.export_message.value
    third.load_button.click()  # the learner chooses the course data: that is remembered
    assert store().load_settings(TOOL)["kind"] == "course"


def test_a_notebook_ledger_parameter_opens_the_workbench_and_the_static_view(tmp_path, work_dir):
    ledger = write(tmp_path / "given.csv", ["Date", "Supplier", "Amount"], [["01/07/2024", "A", "100"]])
    ww = WorkbenchWidget("portavera", 2025, ledger=ledger)
    assert ww.wb.label == "given.csv" and "the ledger this notebook was given" in ww.message.value
    items = static_workbench("portavera", 2025, ledger)
    assert "Cleaning report" in items[0].data and "given.csv: all payments, 1 payment lines" in items[1].data
    assert items[2].set_index("indicator").loc["Share spent with SMEs", "all payments"] == "unknown"
    missing = WorkbenchWidget("portavera", 2025, ledger=tmp_path / "nope.csv")
    assert (
        missing.wb.label == "Portavera" and "Could not open the ledger this notebook was given" in missing.message.value
    )


def test_repeated_invoice_totals_are_said_beside_the_headline_total(tmp_path, work_dir):
    header = ["Date", "Supplier", "Invoice No", "Line Amount", "Invoice Total"]
    rows = [
        ["01/07/2024", "A", "INV-1", "100.00", "300.00"],
        ["01/07/2024", "A", "INV-1", "200.00", "300.00"],
        ["02/07/2024", "B", "INV-2", "20.00", "50.00"],
        ["02/07/2024", "B", "INV-2", "30.00", "50.00"],
        ["03/07/2024", "C", "INV-3", "40.00", "80.00"],
        ["03/07/2024", "C", "INV-3", "40.00", "80.00"],
    ]
    wb = Workbench()
    wb.load_ledger(write(tmp_path / "invoices.csv", header, rows), {"supplier": "Supplier", "amount": "Invoice Total"})
    total = wb.headline_frame().set_index("indicator").loc["Total spend (net, credit notes included)"]
    assert total["all payments"] == "860.00"  # 2 × 300 + 2 × 50 + 2 × 80: the invoice totals counted twice
    assert "May count invoice totals more than once: 3 invoice numbers" in total["about this figure"]
    assert "(430.00 counted again" in total["about this figure"]  # 300 + 50 + 80
    assert "Use 'Line Amount' as the amount." in total["about this figure"]


def test_the_excel_headline_says_unknown(tmp_path, work_dir):
    wb = Workbench()
    wb.load_ledger(write(tmp_path / "l.csv", ["Date", "Supplier", "Amount"], [["01/07/2024", "A", "100"]]))
    headline = wb.analysis().tables()["Headline"].set_index("indicator")
    assert headline.loc["sme_share", "value"] == "unknown"
    assert "supplier register" in headline.loc["sme_share", "about this figure"]
    assert headline.loc["total", "value"] == 100.0
