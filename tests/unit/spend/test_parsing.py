"""helpers.spend.parsing at the edges of real exports (issue 11): placeholder dates, four-digit years
below 100, amounts that would overflow or invent digits, totals exact to the cent."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from helpers.spend.parsing import MAX_AMOUNT, exact_total, parse_amounts, parse_dates


def dates(*values, order=None):
    parsed, info = parse_dates(pd.Series(values, dtype="str"), order)
    return [None if pd.isna(d) else str(d)[:10] for d in parsed], info


@pytest.mark.parametrize(
    "text", ["9999-12-31", "31/12/9999", "9999/12/31", "31-Dec-9999", "0001-01-01", "01/01/0001", "0000-00-00"]
)
def test_placeholder_dates_are_no_date_and_marked(text):
    parsed, info = dates(text, "02/01/2025")
    assert parsed == [None, "2025-01-02"]
    assert list(info["placeholder"]) == [True, False] and not info["out_of_range"].any()


def test_dates_outside_pandas_range_are_empty_and_marked_not_an_error():
    parsed, info = dates("3000-06-01", "1500-01-01", "2025-06-01")
    assert parsed == [None, None, "2025-06-01"]
    assert list(info["out_of_range"]) == [True, True, False] and not info["placeholder"].any()


def test_a_four_digit_year_below_100_is_never_read_as_20xx():
    parsed, _ = dates("05/06/0024", "05/06/24", "05/06/99", "05-Jun-0024", "05-Jun-24")
    assert parsed == [None, "2024-06-05", "1999-06-05", None, "2024-06-05"]


def test_amounts_that_overflow_or_would_be_rounded_are_unreadable_and_marked():
    texts = ["1e308", "1e400", "-1e400", "1234567890123456789012345678901234567890", "10000000000000", "12.50"]
    numbers, info = parse_amounts(pd.Series(texts, dtype="str"))
    assert [None if math.isnan(n) else n for n in numbers] == [None, None, None, None, MAX_AMOUNT, 12.5]
    assert list(info["too_large"]) == [True, True, True, True, False, False]


def test_exact_total_adds_in_cents():
    assert sum([0.1] * 10) != 1.0 and exact_total([0.1] * 10) == 1.0
    assert exact_total([501.00000000000006, 0.1, 0.2]) == 501.3  # float noise in an export is not money
    assert exact_total([MAX_AMOUNT, 0.01, -MAX_AMOUNT]) == 0.01
    assert exact_total(pd.Series([1.0, float("nan"), 2.5])) == 3.5 and exact_total([]) == 0.0
    assert exact_total([1.0005, 2]) == pytest.approx(3.0005)  # not whole cents: correctly rounded sum
    many = pd.Series([0.01] * 1_000_003)
    assert exact_total(many) == 10_000.03
