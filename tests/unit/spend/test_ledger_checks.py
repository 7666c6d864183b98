"""What a total means: amounts on dropped lines, dates outside the main period, several currencies,
invoice totals repeated per line. Small ledgers written here, figures computed by hand."""

from __future__ import annotations

import csv
from collections import defaultdict
from decimal import Decimal

import pytest

from helpers.spend.ingest import read_ledger
from helpers.spend.ledger_checks import main_years


def write(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(header)
        out.writerows(rows)
    return path


def read(path, mapping=None):
    return read_ledger(path, mapping, use_saved_mapping=False)


def test_a_totals_row_is_listed_apart_never_in_the_kept_total(tmp_path, work_dir):
    path = write(
        tmp_path / "with_total.csv",
        ["Date", "Supplier", "Amount"],
        [["01/07/2024", "A Ltd", "1000.00"], ["02/07/2024", "B Ltd", "450.50"], ["", "TOTAL", "1450.50"]],
    )
    report = read(path).report
    assert report.total_after == 1450.50  # 1000.00 + 450.50
    assert report.dropped[0]["reason"] == "totals or subtotal row" and report.dropped[0]["total"] == 1450.50
    assert report.total_dropped == 1450.50
    text = report.to_text()
    assert "amounts on the payments kept: 1,450.50 (the analysis's total)" in text
    assert "amounts on dropped lines (not payments): 1,450.50 (totals or subtotal row: 1 line(s), 1,450.50)" in text
    assert "total of all amounts read" not in text  # the old line that counted the file's own Total row


def test_lines_dated_outside_the_main_period_are_reported_and_kept(tmp_path, work_dir):
    rows = [[f"{day:02d}/{month}/2014", f"S{day}", "100.00"] for month in ("07", "08") for day in range(1, 21)]
    rows += [["03/03/2010", "Old A", "10.00"], ["04/04/2010", "Old B", "20.00"], ["05/05/2011", "Old C", "30.00"]]
    report = read(write(tmp_path / "stray.csv", ["Date", "Supplier", "Amount"], rows)).report
    assert report.main_years == [2014]  # 40 of 43 dated lines; 2010 (2/43 = 4.7%) and 2011 are below 5%
    assert report.outside_period["count"] == 3 and report.outside_period["total"] == 60.0
    assert report.outside_period["years"] == [2010, 2011] and report.outside_period["first_line"] == 42
    assert report.total_after == 4060.0  # kept: 40 × 100 + 60
    assert any("3 payment line(s) are dated 2010–2011, outside the main period (2014)" in w for w in report.warnings)
    assert report.period_text() == "2010-03-03 to 2014-08-20 (main period 2014; 3 line(s) dated 2010–2011)"


def test_main_years_need_a_meaningful_share():
    import pandas as pd

    dates = pd.Series(pd.to_datetime(["2024-01-01"] * 10 + ["2025-01-01"] * 10 + ["2019-05-05"]))
    assert main_years(dates) == [2024, 2025]  # 2019 holds 1 of 21 lines (4.8%), below the 5% line
    assert main_years(pd.Series(pd.NaT, index=range(3), dtype="datetime64[ns]")) == []


def test_several_currencies_are_explained_not_silently_mixed(tmp_path, work_dir):
    path = write(
        tmp_path / "two_currencies.csv",
        ["Date", "Supplier", "Amount", "Currency"],
        [
            ["01/07/2024", "A", "1000.00", "EUR"],
            ["02/07/2024", "B", "500.00", "EUR"],
            ["03/07/2024", "C", "200.00", "GBP"],
        ],
    )
    report = read(path).report
    assert report.currencies == [
        {"currency": "EUR", "lines": 2, "total": 1500.0},
        {"currency": "GBP", "lines": 1, "total": 200.0},
    ]
    warning = next(w for w in report.warnings if "more than one currency" in w)
    assert "EUR 1,500.00 on 2 lines; GBP 200.00 on 1 lines" in warning
    assert "no exchange rate is applied" in warning and "Currency filter" in warning
    assert report.currency_text() == "several, not converted: EUR (2 lines), GBP (1 lines)"


def test_one_currency_gives_no_warning(tmp_path, work_dir):
    path = write(tmp_path / "eur.csv", ["Date", "Supplier", "Amount", "Currency"], [["01/07/2024", "A", "1", "EUR"]])
    report = read(path).report
    assert report.currency_text() == "EUR" and not any("currency" in w for w in report.warnings)


INVOICE_HEADER = ["Date", "Supplier", "Invoice No", "Line Amount", "Invoice Total"]
INVOICE_ROWS = [
    # invoice 1: three lines of 100 + 200 + 300, total 600 repeated on each
    ["01/07/2024", "A", "INV-1", "100.00", "600.00"],
    ["01/07/2024", "A", "INV-1", "200.00", "600.00"],
    ["01/07/2024", "A", "INV-1", "300.00", "600.00"],
    # invoice 2: two lines, total 50 repeated
    ["02/07/2024", "B", "INV-2", "20.00", "50.00"],
    ["02/07/2024", "B", "INV-2", "30.00", "50.00"],
    # invoice 3: two lines, total 80 repeated
    ["03/07/2024", "C", "INV-3", "40.00", "80.00"],
    ["03/07/2024", "C", "INV-3", "40.00", "80.00"],
    # invoice 4: one line
    ["04/07/2024", "D", "INV-4", "70.00", "70.00"],
]


def test_an_invoice_total_repeated_per_line_is_warned_and_the_line_column_named(tmp_path, work_dir):
    path = write(tmp_path / "lines.csv", INVOICE_HEADER, INVOICE_ROWS)
    result = read(path, {"supplier": "Supplier", "date": "Date", "amount": "Invoice Total"})
    found = result.report.repeated_invoices
    # invoices on several lines: INV-1, INV-2, INV-3, all with one repeated amount
    assert found["invoices"] == 3 and found["invoices_on_several_lines"] == 3 and found["lines"] == 7
    assert found["counted_again"] == 600 * 2 + 50 + 80  # 1,330.00 counted more than once
    assert found["use_instead"] == "Line Amount" and found["invoice_column"] == "Invoice No"
    warning = next(w for w in result.report.warnings if "invoice total repeated" in w)
    assert "3 of the 3 invoice numbers in 'Invoice No'" in warning and "1,330.00" in warning
    assert "choose 'Line Amount'" in warning
    # with each line's own amount, nothing is repeated
    fixed = read(path, {"supplier": "Supplier", "date": "Date", "amount": "Line Amount"})
    assert fixed.report.repeated_invoices == {} and fixed.report.total_after == 800.0  # 600 + 50 + 80 + 70


@pytest.mark.realdata
def test_devon_invoices_are_not_flagged_as_repeated_totals(real_data_dir, work_dir):
    """Devon, July 2014: 125 invoice numbers span several lines, only 6 with the same amount on each
    (e.g. nine bursaries of 900.00 on BURS1311): real repeated payments, not an invoice total."""
    path = real_data_dir / "devon_spend_2014_07_cp1252.csv"
    groups = defaultdict(list)
    with open(path, encoding="cp1252", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["Invoice Number"] and "REDACTED" not in row["Invoice Number"]:
                groups[row["Invoice Number"]].append(Decimal(row["Amount"]))
    several = [v for v in groups.values() if len(v) > 1]
    same = [v for v in several if len(set(v)) == 1]
    assert (len(several), len(same)) == (125, 6)
    report = read(path).report
    assert report.repeated_invoices == {}
    assert report.outside_period == {} and report.main_years == [2014]
