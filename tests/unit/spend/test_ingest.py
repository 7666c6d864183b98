"""Reading messy payment ledgers: encodings, delimiters, number and date styles, junk rows."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from helpers.core.errors import LearnerError
from helpers.core.tables import detect_encoding
from helpers.spend.ingest import PAYMENT_COLUMNS, read_ledger
from helpers.spend.parsing import parse_amounts, parse_dates

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "ledgers"


def read(path, **kwargs):
    return read_ledger(path, use_saved_mapping=False, **kwargs)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ---------------------------------------------------------------- amounts


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1,234.56", 1234.56),
        ("£1,234.56", 1234.56),
        ("(123.45)", -123.45),
        ("-123.45", -123.45),
        ("123.45-", -123.45),
        ("5040", 5040.0),
        ("3217.5", 3217.5),
        ("EUR 99.90", 99.9),
        ("$0.5", 0.5),
    ],
)
def test_amounts_with_a_decimal_point(text, expected):
    values, info = parse_amounts(pd.Series([text, "10.25"]))
    assert info["decimal"] == "."
    assert values.iloc[0] == pytest.approx(expected)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1.234,56", 1234.56),
        ("€ 1 234,56", 1234.56),
        ("€\u00a01\u00a0234,56", 1234.56),
        ("1\u202f234,56", 1234.56),
        ("1\u2009234,56", 1234.56),
        ("(1.000,00)", -1000.0),
        ("12,5", 12.5),
        ("1.234.567,89", 1234567.89),
    ],
)
def test_amounts_with_a_decimal_comma(text, expected):
    values, info = parse_amounts(pd.Series([text, "10,25"]))
    assert info["decimal"] == ","
    assert values.iloc[0] == pytest.approx(expected)


def test_three_digits_after_one_separator_is_decided_by_the_column():
    # "1,234" alone is ambiguous; the other values show ',' is the decimal mark here…
    values, info = parse_amounts(pd.Series(["1,234", "5,50", "12,75"]))
    assert info["decimal"] == "," and values.iloc[0] == pytest.approx(1.234)
    # …and '.' there, so the same text is one thousand two hundred and thirty-four.
    values, info = parse_amounts(pd.Series(["1,234", "5.50", "1,200.75"]))
    assert info["decimal"] == "." and values.iloc[0] == 1234.0
    # Only ambiguous values: '.' is assumed and flagged.
    values, info = parse_amounts(pd.Series(["1,234", "2,500"]))
    assert info.get("assumed") and info["ambiguous"] == 2 and values.tolist() == [1234.0, 2500.0]


def test_unreadable_amounts_are_missing_not_zero():
    values, _ = parse_amounts(pd.Series(["n/a", "", "12.00", "1.2.3"]))
    assert values.isna().tolist() == [True, True, False, True]


# ---------------------------------------------------------------- dates


def test_dates_day_first_from_the_data_and_two_digit_years():
    dates, info = parse_dates(pd.Series(["02/09/2024", "30/09/2024", "1/2/24"]))
    assert info["order"] == "day-first" and not info["assumed"]
    assert dates.tolist() == [pd.Timestamp("2024-09-02"), pd.Timestamp("2024-09-30"), pd.Timestamp("2024-02-01")]


def test_dates_month_first_when_the_data_says_so():
    dates, info = parse_dates(pd.Series(["09/02/2024", "09/30/2024"]))
    assert info["order"] == "month-first"
    assert dates.iloc[0] == pd.Timestamp("2024-09-02")


def test_dates_ambiguous_default_to_day_first_and_say_so():
    dates, info = parse_dates(pd.Series(["03/02/2024", "04/05/2024"]))
    assert info["assumed"] and info["order"] == "day-first"
    assert dates.iloc[0] == pd.Timestamp("2024-02-03")


def test_iso_dates_datetimes_excel_serials_and_month_names():
    dates, _ = parse_dates(
        pd.Series(["2024-09-02 00:00:00", "2024-09-03", "2024-09-04T13:30:00", "45537", "02-Sep-2024", "not a date"])
    )
    assert str(dates.dtype) == "datetime64[ns]"
    excel_epoch = dt.datetime(1899, 12, 30)
    assert dates.iloc[3] == pd.Timestamp(excel_epoch + dt.timedelta(days=45537)) == pd.Timestamp("2024-09-02")
    assert dates.iloc[2] == pd.Timestamp("2024-09-04 13:30")
    assert dates.iloc[4] == pd.Timestamp("2024-09-02")
    assert pd.isna(dates.iloc[5])


# ---------------------------------------------------------------- encodings


def test_encoding_detection_is_explicit():
    assert detect_encoding("Café".encode())[0] == "utf-8"
    assert detect_encoding(b"\xef\xbb\xbfCaf\xc3\xa9")[0] == "utf-8-sig"
    assert detect_encoding(b"Caf\xe9 \x80 5")[0] == "cp1252"  # 0x80 is € in Windows-1252
    assert detect_encoding(b"Caf\xe9")[0] == "latin-1"  # no 0x80-0x9F byte
    assert detect_encoding(b"Caf\xe9 \x81")[0] == "latin-1"  # 0x81 is undefined in cp1252


# ---------------------------------------------------------------- whole files


def test_messy_ledger_preamble_totals_repeated_header_and_blank_rows():
    path = FIXTURES / "messy_preamble_totals.csv"
    before = sha(path)
    result = read(path)
    assert sha(path) == before  # the source file is never modified
    report, pay = result.report, result.payments
    assert list(pay.columns) == PAYMENT_COLUMNS
    assert report.header_line == 4 and report.delimiter == "," and report.encoding == "utf-8"
    # Kept: lines 5, 6, 7 (quoted newline, so the next record starts on line 9), 9, 12, 13, 14.
    assert pay["source_line"].tolist() == [5, 6, 7, 9, 12, 13, 14]
    dropped = {d["reason"]: (d["count"], [e["line"] for e in d["examples"]]) for d in report.dropped}
    assert dropped == {
        "blank line": (3, [16, 19, 20]),
        "repeated header row": (1, [11]),
        "totals or subtotal row": (3, [10, 15, 17]),
        "note or footer line (one filled cell, no amount)": (1, [18]),
    }
    assert report.rows_read == 15 and report.rows_kept == 7
    # 1000 + 250.50 - 100 + 300 + 80 + 80 + 2000 = 3610.50; the three totals rows add 7221.00.
    assert report.total_after == 3610.50 and report.total_before == 10831.50
    assert report.credit_notes == {"count": 1, "total": -100.0}
    assert report.redacted == {"count": 2, "total": 160.0}
    assert report.duplicates["count"] == 1 and report.duplicates["total"] == 80.0
    assert report.duplicates["examples"][0]["line"] == 13 and report.duplicates["examples"][0]["first_line"] == 12
    assert result.mapping["amount"] == "Net Amount"  # net preferred over VAT / gross
    assert pay["supplier"].tolist()[1:4] == ['Bakery "El Sol", Ltd', "Multi\nLine Supplier", "TOTAL GAS & POWER LTD"]
    assert pay["is_credit_note"].tolist() == [False, False, True, False, False, False, False]
    assert report.period[0] == pd.Timestamp("2024-07-01") and report.period[1] == pd.Timestamp("2024-08-13")
    assert str(pay["date"].dtype) == "datetime64[ns]" and pay["amount"].dtype == "float64"
    text = report.to_text()
    assert "line 11" in text and "possible duplicates" in text
    assert report.to_dict()["period"] == {"start": "2024-07-01", "end": "2024-08-13"}


def test_cp1252_semicolon_decimal_comma_with_preamble_and_total():
    path = FIXTURES / "valmora_cp1252_semicolon.csv"
    result = read(path)
    report, pay = result.report, result.payments
    assert report.encoding == "cp1252" and report.delimiter == ";" and report.decimal == ","
    assert report.header_line == 3
    assert pay["supplier"].iloc[0] == "Panadería ‘La Espiga’ S.L."
    assert pay["amount"].tolist() == [1234.56, 12500.0, -350.0, 1000.5]
    assert report.total_after == 14385.06 and report.rows_kept == 4
    assert [(d["reason"], d["count"]) for d in report.dropped] == [("totals or subtotal row", 1)]
    assert report.currency == "EUR" and report.date_order == "day-first"
    assert pay["date"].iloc[0] == pd.Timestamp("2024-02-03")
    assert result.mapping == {
        "supplier": "Proveedor",
        "amount": "Importe",
        "date": "Fecha",
        "postcode": "Código postal",
        "category": "Concepto",
        "service_area": "Área de gasto",
        "vat_number": "NIF",
    }


def test_latin1_tab_french_headers_currency_column():
    result = read(FIXTURES / "latin1_tab_french.tsv")
    report, pay = result.report, result.payments
    assert report.encoding == "latin-1" and report.delimiter == "\t"
    assert pay["supplier"].tolist() == ["Société Générale d'Éclairage", "Café Dupré", "Café Dupré"]
    assert result.mapping["amount"] == "Montant HT"  # HT = net, preferred over TTC
    assert result.mapping["supplier_id"] == "N° SIRET fournisseur"
    assert pay["amount"].tolist() == [1234.56, 99.9, -10.0]
    assert pay["currency"].tolist() == ["EUR", "EUR", "EUR"]


def test_utf8_bom_pipe_iso_datetimes_and_pound_amounts():
    result = read(FIXTURES / "bom_pipe_iso.csv")
    report, pay = result.report, result.payments
    assert report.encoding == "utf-8-sig" and report.delimiter == "|"
    assert result.mapping["date"] == "Date"  # the BOM is not part of the name
    assert pay["amount"].tolist() == [1234.56, -123.45, 2000.0]
    assert pay["date"].tolist() == [
        pd.Timestamp("2024-09-02"),
        pd.Timestamp("2024-09-03"),
        pd.Timestamp("2024-09-04 13:30"),
    ]
    assert report.currency == "GBP" and pay["postcode"].iloc[0] == "EX1 1AA"


def test_a_supplier_name_with_html_survives_verbatim():
    pay = read(FIXTURES / "xss_supplier.csv").payments
    assert pay["supplier"].tolist() == ["<img src=x onerror=alert(1)>", '=HYPERLINK("http://x")']


def test_explicit_bytes_latin1_and_cp1252_files(tmp_path):
    latin = tmp_path / "latin.csv"
    latin.write_bytes(b"Datum;Lieferant;Betrag\n01.10.2024;M\xfcller & S\xf6hne;1.500,00\n")
    result = read(latin)
    assert result.report.encoding == "latin-1"
    assert result.payments["supplier"].iloc[0] == "Müller & Söhne"
    assert result.payments["amount"].iloc[0] == 1500.0
    assert result.payments["date"].iloc[0] == pd.Timestamp("2024-10-01")
    cp = tmp_path / "cp.csv"
    cp.write_bytes(b"Data,Fornitore,Importo\n15/10/2024,L\x92Aquila Srl,\x80 250.00\n")
    result = read(cp)
    assert result.report.encoding == "cp1252"
    assert result.payments["supplier"].iloc[0] == "L’Aquila Srl"
    assert result.payments["currency"].iloc[0] == "EUR" and result.payments["amount"].iloc[0] == 250.0


def test_xlsx_with_preamble_and_excel_serial_dates(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"] = "Nordhaven payments"
    sheet.append([])
    sheet.append(["Betalingsdatum", "Leverancier", "Bedrag", "Postcode"])
    sheet.append([dt.datetime(2024, 9, 2), "Acme BV", 1234.5, "1011 AB"])
    sheet.append([45538, "Beta NV", -20, "1012 CD"])  # an Excel serial number, not a date cell
    sheet.append(["45539", "Gamma", 10.25, None])  # a serial stored as text
    path = tmp_path / "ledger.xlsx"
    book.save(path)
    result = read(path)
    pay = result.payments
    assert result.report.header_line == 3
    assert pay["source_line"].tolist() == [4, 5, 6]
    assert pay["date"].tolist() == [pd.Timestamp("2024-09-02"), pd.Timestamp("2024-09-03"), pd.Timestamp("2024-09-04")]
    assert pay["amount"].tolist() == [1234.5, -20.0, 10.25]
    assert result.report.credit_notes == {"count": 1, "total": -20.0}


def test_a_large_ledger_reads_in_a_few_seconds(tmp_path):
    import time

    lines = ["Date,Supplier,Supplier ID,Amount"]
    lines += [
        f"{(i % 28) + 1:02d}/03/2024,Supplier {i % 997},S{i % 997},{(i % 5000) + 0.25:.2f}" for i in range(100_000)
    ]
    path = tmp_path / "big.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    start = time.perf_counter()
    result = read(path)
    assert time.perf_counter() - start < 8
    assert result.report.rows_kept == 100_000
    assert result.report.total_after == pytest.approx(sum((i % 5000) + 0.25 for i in range(100_000)))


# ---------------------------------------------------------------- mistakes a learner can fix


def test_problem_files_raise_plain_errors(tmp_path):
    with pytest.raises(LearnerError, match="does not exist"):
        read(tmp_path / "missing.csv")
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(LearnerError, match="empty.csv.*empty"):
        read(empty)
    prose = tmp_path / "letter.csv"
    prose.write_text("Dear colleague\nplease find the figures attached\n", encoding="utf-8")
    with pytest.raises(LearnerError, match="table"):
        read(prose)
    no_amount = tmp_path / "names.csv"
    no_amount.write_text("Supplier,Town\nAcme,Porto\nBeta,Lisboa\n", encoding="utf-8")
    with pytest.raises(LearnerError, match="no column looks like an amount — choose it in the mapping"):
        read(no_amount)
    with pytest.raises(LearnerError, match="'Net', which are not in the file"):
        read(FIXTURES / "xss_supplier.csv", mapping={"amount": "Net"})
    encrypted = tmp_path / "locked.xlsx"
    encrypted.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    with pytest.raises(LearnerError, match="locked.xlsx.*encrypted"):
        read(encrypted)
    corrupt = tmp_path / "broken.xlsx"
    corrupt.write_bytes(b"PK\x03\x04 this is not really a zip")
    with pytest.raises(LearnerError, match="broken.xlsx"):
        read(corrupt)


def test_a_given_mapping_overrides_the_guess():
    result = read(FIXTURES / "messy_preamble_totals.csv", mapping={"amount": "Gross Amount"})
    assert result.mapping["amount"] == "Gross Amount"
    # 1210 + 303.11 - 121 + 363 + 96.80 + 96.80 + 2420 = 4368.71 (the subtotals are net, so not sums now)
    assert result.report.total_after == pytest.approx(4368.71)
    assert result.report.mapping_source == "given"


# ---------------------------------------------------------------- real Devon ledgers


def independent_figures(path: Path, encoding: str) -> dict:
    """Count and sum with the csv module and Decimal only (not with the code under test)."""
    with open(path, encoding=encoding, newline="") as handle:
        rows = list(csv.DictReader(handle))
    amounts = [Decimal(r["Amount"]) for r in rows]
    negatives = [a for a in amounts if a < 0]
    return {
        "rows": len(rows),
        "total": sum(amounts),
        "neg_count": len(negatives),
        "neg_total": sum(negatives),
        "redacted": sum(1 for r in rows if r["Supplier Name"] == "REDACTED UNDER DP ACT"),
    }


@pytest.mark.realdata
@pytest.mark.parametrize(
    "name, encoding, rows, negatives, redacted",
    [
        ("devon_spend_2014_07_cp1252.csv", "cp1252", 9459, 104, 257),
        ("devon_spend_2024_09.csv", "utf-8-sig", 11113, 122, 682),
    ],
)
def test_devon_ledgers_match_an_independent_count(real_data_dir, name, encoding, rows, negatives, redacted):
    path = real_data_dir / name
    before = sha(path)
    result = read(path)
    assert sha(path) == before
    expected = independent_figures(path, encoding)
    report = result.report
    assert (expected["rows"], expected["neg_count"], expected["redacted"]) == (rows, negatives, redacted)  # SOURCES.md
    assert report.rows_read == report.rows_kept == expected["rows"] and report.dropped == []
    assert Decimal(str(report.total_after)) == expected["total"].quantize(Decimal("0.01"))
    assert report.credit_notes["count"] == expected["neg_count"]
    assert Decimal(str(report.credit_notes["total"])) == expected["neg_total"].quantize(Decimal("0.01"))
    assert report.redacted["count"] == expected["redacted"]
    assert result.mapping["supplier_id"] == "Supplier ID" and result.mapping["category"] == "Expense Type"


@pytest.mark.realdata
def test_devon_quirks_encoding_and_iso_datetimes(real_data_dir):
    old = read(real_data_dir / "devon_spend_2014_07_cp1252.csv")
    assert old.report.encoding in {"latin-1", "cp1252"}
    assert old.report.period[0] == pd.Timestamp("2014-07-01")
    new = read(real_data_dir / "devon_spend_2024_09.csv")
    assert new.report.encoding == "utf-8-sig"
    assert new.payments["date"].min() == pd.Timestamp("2024-09-02")
    assert new.payments.loc[new.payments["redacted"], "supplier_id"].notna().all()


def test_portavera_generated_ledger_if_present():
    path = Path(__file__).resolve().parents[3] / "datasets" / "portavera" / "ledger_2024.csv"
    if not path.is_file():
        pytest.skip("datasets/portavera/ledger_2024.csv is not generated yet")
    result = read(path)
    allowed = {
        "blank line",
        "repeated header row",
        "totals or subtotal row",
        "note or footer line (one filled cell, no amount)",
    }
    assert {d["reason"] for d in result.report.dropped} <= allowed
    assert result.mapping["amount"] == "Net Amount"
    assert result.report.rows_kept > 50_000
