"""The one reader of learners' tables: encodings, delimiters, physical line numbers, XLSX, clear errors."""

from __future__ import annotations

import openpyxl
import pytest

from helpers.core import tables
from helpers.core.errors import LearnerError


def test_encoding_is_detected_and_explained():
    assert tables.detect_encoding("a,b\n".encode("utf-8-sig"))[0] == "utf-8-sig"
    assert tables.detect_encoding("café".encode())[0] == "utf-8"
    assert tables.detect_encoding("€5".encode("cp1252"))[0] == "cp1252"
    assert tables.detect_encoding("£5".encode("latin-1"))[0] == "latin-1"


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiter_is_sniffed(delimiter):
    text = "\n".join(delimiter.join(row) for row in [["a", "b", "c"], ["1", "2", "3"], ["4", "5", "6"]])
    assert tables.sniff_delimiter(text) == delimiter


def test_records_keep_the_physical_line_with_quoted_newlines():
    raw = 'name;amount\n"Two\nlines";5\nthird;6\n'.encode("cp1252")
    records, encoding, delimiter = tables.read_csv_records(raw)
    assert (encoding, delimiter) == ("utf-8", ";")
    assert [line for line, _ in records] == [1, 2, 4]
    assert records[1][1] == ["Two\nlines", "5"]


def test_read_bytes_refuses_missing_folders_and_empty_files(tmp_path):
    with pytest.raises(LearnerError, match="does not exist"):
        tables.read_bytes(tmp_path / "nope.csv")
    with pytest.raises(LearnerError, match="folder, not a ledger file"):
        tables.read_bytes(tmp_path)
    with pytest.raises(LearnerError, match="folder, not a bids file"):
        tables.read_bytes(tmp_path, what="bids")
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"\xef\xbb\xbf \r\n")
    with pytest.raises(LearnerError, match="empty"):
        tables.read_bytes(empty)


def test_xlsx_records_read_values_with_sheet_rows(tmp_path):
    path = tmp_path / "book.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["supplier", "amount"])
    book.active.append(['=HYPERLINK("x")', 12.5])
    book.active.append(["B", 3.0])
    book.save(path)
    records = tables.xlsx_records(path)
    assert records[0] == (1, ["supplier", "amount"])
    assert records[2] == (3, ["B", "3"])
    assert records[1][1][1] == "12.5"


def test_damaged_xlsx_is_a_learner_error(tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(LearnerError, match="cannot be"):
        tables.xlsx_records(path)
