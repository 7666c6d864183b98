"""The column-wise reader of big CSV ledgers (`tables.csv_columns`, pyarrow) gives exactly what the
exact line-by-line reader gives: the same payments and the same cleaning report (line numbers,
reasons, totals), on every ledger the course ships or tests with; where it cannot be sure, the
exact reader reads the file."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from helpers.core import tables
from helpers.spend import ingest
from helpers.spend.ingest import read_ledger

ROOT = Path(__file__).resolve().parents[3]
FIXTURES = ROOT / "tests" / "fixtures" / "ledgers"
COURSE_LEDGERS = sorted((ROOT / "datasets").glob("*/ledger_*.csv"))

needs_arrow = pytest.mark.skipif(
    not tables.columnwise_available(), reason="pyarrow is not installed (requirements.lock installs it)"
)


def _both_ways(path: Path, monkeypatch) -> tuple:
    """read_ledger with the exact reader, then with the column-wise one wherever it applies; and
    how many bodies the column-wise reader actually read."""
    monkeypatch.setattr(ingest, "COLUMNWISE_MIN_BYTES", 10**15)
    exact = read_ledger(path, use_saved_mapping=False)
    monkeypatch.setattr(ingest, "COLUMNWISE_MIN_BYTES", 0)
    taken = []
    real = ingest.csv_columns

    def spy(*args, **kwargs):
        found = real(*args, **kwargs)
        taken.append(found is not None)
        return found

    monkeypatch.setattr(ingest, "csv_columns", spy)
    fast = read_ledger(path, use_saved_mapping=False)
    return exact, fast, taken


def _same(exact, fast) -> None:
    pd.testing.assert_frame_equal(fast.payments, exact.payments)
    assert fast.report.to_dict() == exact.report.to_dict()
    assert fast.mapping == exact.mapping


def test_python_whitespace_is_what_str_strip_removes():
    assert set(tables.PYTHON_WHITESPACE) == {chr(c) for c in range(0x110000) if chr(c).isspace()}


@needs_arrow
@pytest.mark.parametrize("path", COURSE_LEDGERS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_course_ledgers_read_column_wise_exactly(path, monkeypatch):
    exact, fast, taken = _both_ways(path, monkeypatch)
    _same(exact, fast)
    assert taken == [True]  # the course's own ledgers are regular: the fast path reads them
    assert exact.report.rows_read == len(fast.payments) + sum(d["count"] for d in fast.report.dropped)


@needs_arrow
@pytest.mark.parametrize(
    "path",
    # no_amount_column.csv is refused by both readers (test_ingest checks the message)
    [p for p in sorted(FIXTURES.glob("*.*sv")) if p.name != "no_amount_column.csv"],
    ids=lambda p: p.name,
)
def test_quirky_fixture_ledgers_give_the_same_report(path, monkeypatch):
    exact, fast, _ = _both_ways(path, monkeypatch)
    _same(exact, fast)


@needs_arrow
@pytest.mark.parametrize("name", ["devon_spend_2014_07_cp1252.csv", "devon_spend_2024_09.csv"])
def test_real_ledgers_give_the_same_report(real_data_dir, name, monkeypatch):
    exact, fast, taken = _both_ways(real_data_dir / name, monkeypatch)
    _same(exact, fast)
    assert len(taken) == 1


@needs_arrow
def test_blank_lines_and_python_whitespace_are_kept_as_the_exact_reader_keeps_them(tmp_path, monkeypatch):
    rows = ["Date,Supplier,Amount"] + [f"0{1 + i % 9}/03/2025,Acme Ltd {i},{i}.50" for i in range(300)]
    rows[120] = ""  # a blank line
    rows[121] = "01/03/2025,\u00a0Nbsp Ltd\u2003,  12.00 "
    rows[122] = "01/03/2025,\x1cSeparator Ltd\x85,1.00"
    rows[123] = "TOTAL,,1.00"
    rows[124] = ",,"  # a line of empty cells
    path = tmp_path / "ledger.csv"
    path.write_bytes(("\r\n".join(rows) + "\r\n").encode("utf-8"))
    exact, fast, taken = _both_ways(path, monkeypatch)
    _same(exact, fast)
    assert taken == [True]
    assert "Nbsp Ltd" in set(fast.payments["supplier"])
    assert "Separator Ltd" in set(fast.payments["supplier"])
    assert [d["reason"] for d in fast.report.dropped][:1] == ["blank line"]
    assert fast.report.dropped[0]["examples"][0]["line"] == 121  # physical line of the blank line


@needs_arrow
@pytest.mark.parametrize(
    "odd_line",
    [
        '01/03/2025,"Two\nlines Ltd",5.00',  # a line break inside a cell
        "01/03/2025,Short Ltd",  # fewer cells than the header
        "01/03/2025,Wide Ltd,5.00,extra",  # more cells than the header
        '01/03/2025,Say "hi" Ltd,5.00',  # a quote mark inside a cell
        '01/03/2025,"Quoted ""inner"" Ltd",5.00',
        "01/03/2025,Lone\rCR Ltd,5.00",
    ],
)
def test_the_exact_reader_reads_what_the_column_wise_one_cannot_be_sure_of(tmp_path, monkeypatch, odd_line):
    rows = ["Date,Supplier,Amount"] + [f"02/03/2025,Acme Ltd {i},{i}.25" for i in range(300)]
    rows[280] = odd_line  # below the first lines, where the header is looked for
    path = tmp_path / "ledger.csv"
    path.write_bytes(("\n".join(rows) + "\n").encode("utf-8"))
    exact, fast, taken = _both_ways(path, monkeypatch)
    _same(exact, fast)
    assert taken == [False]
