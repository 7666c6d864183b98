"""The one formatter: money, percentages, plain numbers and counts, and "unknown" for what is missing."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from helpers.core import fmt


@pytest.mark.parametrize("missing", [None, float("nan"), pd.NA, pd.NaT, math.inf])
def test_missing_values_are_unknown_never_zero(missing):
    assert fmt.money(missing) == "unknown"
    assert fmt.pct(missing) == "unknown"
    assert fmt.number(missing) == "unknown"
    assert fmt.count(missing, "tender") == "unknown tenders"


def test_money():
    assert fmt.money(1234.5) == "EUR 1,234.50"
    assert fmt.money(1234.5, None) == "1,234.50"
    assert fmt.money(-12.5, "GBP") == "GBP -12.50"
    assert fmt.money(1_200_000, decimals=0) == "EUR 1,200,000"
    assert fmt.money(0) == "EUR 0.00"  # a real zero stays zero


def test_pct():
    assert fmt.pct(0.354) == "35.4%"
    assert fmt.pct(35.4, fraction=False) == "35.4%"
    assert fmt.pct(0.5, decimals=0) == "50%"
    assert fmt.pct(0) == "0.0%"


def test_number_drops_needless_decimals():
    assert fmt.number(1.6) == "1.6"
    assert fmt.number(2_800_000) == "2,800,000"
    assert fmt.number(37_500_000.0) == "37,500,000"
    assert fmt.number(0.125) == "0.12"
    assert fmt.number(3.0) == "3"


def test_count_uses_whole_units():
    assert fmt.count(1, "apprenticeship") == "1 apprenticeship"
    assert fmt.count(2.93, "apprenticeship") == "3 apprenticeships"
    assert fmt.count(0, "person", "people") == "0 people"
