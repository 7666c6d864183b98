"""Amounts read column-wise with pyarrow (ASCII columns) give exactly what the per-value Python rules
give: the same numbers, the same decimal-mark decision and votes, the same flags."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers.core.tables import columnwise_available
from helpers.spend import parsing

pytestmark = pytest.mark.skipif(not columnwise_available(), reason="pyarrow is not installed (the lock installs it)")

TRICKY = [
    "1,234.56",
    "-1,234.56",
    "1.234,56",
    "-1.234,56",
    "1,234",
    "1.234",
    "12,5",
    "12.5",
    "0.1234",
    "1,234,567",
    "1.234.567",
    "(123.45)",
    "123.45-",
    "+12.00",
    "1e5",
    "1E-3",
    ".5",
    "5.",
    "",
    " ",
    "abc",
    "1,2,3",
    "--5",
    "-",
    "12..5",
    "1,234.56.78",
    "EUR 1,234.56",
    "usd 12.00",
    "1 234,56",
    "1'234.56",
    "(1,234)",
    "9" * 40,
    "1e400",
    "12,50",
    "0,5",
    "100",
    "-0",
    "1.2e3.4",
    "1,234.5",
    "12.345,678",
    "1\n2",
    "USD(12.50)",
    "12.50 GBP",
]


def _both(values: pd.Series, monkeypatch, decimal=None):
    fast = parsing.parse_amounts(values, decimal)
    with monkeypatch.context() as m:
        m.setattr(parsing, "_ascii_in_arrow", lambda text: False)
        slow = parsing.parse_amounts(values, decimal)
    return fast, slow


def _assert_same(fast, slow) -> None:
    pd.testing.assert_series_equal(fast[0], slow[0], check_exact=True)
    assert fast[1].keys() == slow[1].keys()
    for key, value in slow[1].items():
        if isinstance(value, pd.Series):
            pd.testing.assert_series_equal(fast[1][key], value, check_exact=True)
        else:
            assert fast[1][key] == value, key


@pytest.mark.parametrize("decimal", [None, ".", ","])
def test_tricky_amounts_read_the_same_both_ways(monkeypatch, decimal):
    _assert_same(*_both(pd.Series(TRICKY, dtype="str"), monkeypatch, decimal))


@pytest.mark.parametrize("seed", range(6))
def test_random_amount_columns_read_the_same_both_ways(monkeypatch, seed):
    rng = np.random.default_rng(seed)
    pieces = np.array(list("0123456789") * 3 + list(".,-()eE +") + ["EUR", "usd", ""])
    values = ["".join(rng.choice(pieces, rng.integers(0, 9))) for _ in range(3000)]
    values += [
        f"{v:,.2f}" if seed % 2 else f"{v:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
        for v in rng.normal(0, 1e5, 2000)
    ]
    fast, slow = _both(pd.Series(values, dtype="str"), monkeypatch)
    _assert_same(fast, slow)
    assert fast[0].notna().sum() > 1000  # the column is mostly amounts: the decision is real


def test_the_ascii_path_is_taken_for_ascii_and_not_otherwise():
    assert parsing._ascii_in_arrow(pd.Series(["1,234.56"], dtype="str"))
    assert not parsing._ascii_in_arrow(pd.Series(["£1,234.56"], dtype="str"))
    assert not parsing._ascii_in_arrow(pd.Series(["١٢٣"], dtype="str"))  # Arabic-Indic digits: Python's \d
