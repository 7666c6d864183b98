"""The fast paths of the ledger reader (helpers.spend.ingest, .parsing, helpers.core.tables) give the same
answers as the general ones."""

from __future__ import annotations

import gc

import numpy as np
import pandas as pd
import pytest

from helpers.core.tables import csv_rows, paused_gc
from helpers.spend.ingest import body_table, read_ledger
from helpers.spend.parsing import _amount_parts, _amount_parts_general, _number_shapes, parse_amounts


def test_one_line_per_record_numbers_lines_from_one():
    rows, lines = csv_rows('a,b\r\n1,"2,5"\r\n\r\n3,4\r\n', ",")
    assert rows == [["a", "b"], ["1", "2,5"], [], ["3", "4"]]
    assert lines.tolist() == [1, 2, 3, 4]


def test_a_quoted_newline_shifts_the_following_line_numbers():
    rows, lines = csv_rows('a,b\n"two\nlines",1\nc,2\n', ",")
    assert rows == [["a", "b"], ["two\nlines", "1"], ["c", "2"]]
    assert lines.tolist() == [1, 2, 4]  # the record after the quoted newline starts on line 4


def test_read_ledger_keeps_physical_line_numbers_after_a_quoted_newline(tmp_path):
    path = tmp_path / "quoted.csv"
    path.write_text(
        'Date,Supplier,Amount\n01/02/2025,"Acme\nLtd",10.00\n02/02/2025,Beta,"1,000.50"\n', encoding="utf-8"
    )
    result = read_ledger(path, use_saved_mapping=False)
    assert result.payments["source_line"].tolist() == [2, 4]
    assert result.payments["amount"].tolist() == [10.0, 1000.5]


@pytest.mark.parametrize(
    "texts",
    [
        ["1,234.56", "-5", "-.,", "12", "1.234,5", "0.10", "1,234,567"],  # all plain
        ["1,234.56", "", "abc", "€ 5,00", "(3.00)", "7-", "-12.5", "EUR 1 000", "−4"],  # mixed
    ],
)
def test_the_plain_amount_path_matches_the_general_one(texts):
    text = pd.Series(texts, dtype="str")
    currency, core, negative = _amount_parts(text)
    want_currency, want_core, want_negative = _amount_parts_general(text)
    assert core == want_core.tolist()
    assert negative.tolist() == want_negative.tolist()
    pd.testing.assert_series_equal(currency, want_currency, check_names=False)


def test_a_mixed_amount_column():
    values, info = parse_amounts(pd.Series(["1,234.56", "(12.50)", "EUR 3.00", "-7.25", "n/a"]))
    assert info["decimal"] == "."
    assert values.tolist()[:4] == [1234.56, -12.5, 3.0, -7.25] and np.isnan(values.iloc[4])
    assert info["currency"].iloc[2] == "EUR" and info["currency"].isna().sum() == 4


def test_number_shapes_are_counted_once_each():
    counts = _number_shapes(["1,234,567", "1.234.567", "12.5", "0.1234", "12,5", "1,234", "1.234", "7", "1,234.5"])
    assert counts == {"dot_groups": 1, "comma_groups": 1, "dot_decimals": 2, "comma_decimals": 1, "ambiguous": 2}


def test_body_table_pads_short_rows_and_reports_filled_extra_cells():
    table, too_wide = body_table(
        [[" a ", "b"], ["c"], ["d", "e", "f"], ["g", "h", "  "]], np.array([2, 3, 5, 6]), ["x", "y"]
    )
    assert table["x"].tolist() == ["a", "c", "d", "g"]
    assert table["y"].tolist() == ["b", "", "e", "h"]
    assert str(table["x"].dtype) == "str"
    assert too_wide == [5]  # line 6's extra cell is blank


def test_body_table_without_rows_keeps_the_columns():
    table, too_wide = body_table([], np.array([], dtype="int64"), ["x", "y"])
    assert list(table.columns) == ["x", "y"] and len(table) == 0 and too_wide == []


def test_duplicates_point_at_the_first_copy(tmp_path):
    path = tmp_path / "dups.csv"
    path.write_text(
        "Date,Supplier,Amount\n01/02/2025,Acme,10.00\n02/02/2025,Beta,5.00\n"
        "01/02/2025,Acme,10.00\n01/02/2025,Acme,10.00\n",
        encoding="utf-8",
    )
    report = read_ledger(path, use_saved_mapping=False).report
    assert report.duplicates["count"] == 2 and report.duplicates["total"] == 20.0
    assert [(e["line"], e["first_line"]) for e in report.duplicates["examples"]] == [(4, 2), (5, 2)]


def test_the_cycle_collector_is_restored():
    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
    assert gc.isenabled()
