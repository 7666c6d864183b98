"""Module 7 returns-file check: each problem named with its file, line and fix; the file is only read."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from helpers.core.errors import LearnerError
from helpers.monitoring.returns import read_kpi_returns
from tests.unit.monitoring.hand_tables import FIXTURES, contracts_table, kpis_table

# ---------------------------------------------------------------- returns-file check


def _hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_read_good_returns_file():
    good, issues = read_kpi_returns(FIXTURES / "good.csv", contracts_table(), kpis_table())
    assert issues == []
    assert good[["contract_id", "kpi_id", "period", "value"]].values.tolist() == [
        ["C1", "K1", "2025-01", 96.0],
        ["C1", "K2", "2025-01", 4.0],
        ["C2", "K1", "2025-06", 88.5],
    ]


def test_read_returns_names_each_problem_with_line_and_fix():
    path = FIXTURES / "problems.csv"
    before = _hash(path)
    good, issues = read_kpi_returns(path, contracts_table(), kpis_table())
    assert _hash(path) == before  # never modified
    assert good["line"].tolist() == [2, 12]
    by_line = {i.line: i for i in issues}
    assert sorted(by_line) == [3, 4, 5, 6, 7, 8, 9, 10]
    assert "contract 'C9' is not in the contracts table" in by_line[3].message
    assert "contract C1 has no KPI 'K7'" in by_line[4].message and "K1, K2" in by_line[4].fix
    assert "'2025/02' is not a month written YYYY-MM" in by_line[5].message
    assert "outside the term of contract C1 (2025-01 to 2025-12)" in by_line[6].message
    assert "'n/a' is not a number" in by_line[7].message
    assert "comma as decimal mark" in by_line[8].message
    assert "already has a return on line 2" in by_line[9].message
    assert by_line[10].message == "the value is empty"
    assert str(by_line[3]).startswith("problems.csv, line 3: contract 'C9'")


def test_read_returns_as_of_flags_future_months():
    _, issues = read_kpi_returns(FIXTURES / "good.csv", contracts_table(), kpis_table(), as_of="2025-05")
    assert [(i.line, "after 2025-05" in i.message) for i in issues] == [(4, True)]


def test_read_returns_semicolon_windows_1252_and_header_spelling():
    good, issues = read_kpi_returns(FIXTURES / "semicolon_cp1252.csv", contracts_table(), kpis_table())
    assert issues == []
    assert good[["kpi_id", "period", "value"]].values.tolist() == [["K1", "2025-02", 85.5], ["K2", "2025-02", 5.0]]


def test_read_returns_xlsx_with_date_cells(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["contract_id", "kpi_id", "period", "value"])
    sheet.append(["C1", "K1", "2025-03", 85.49])
    sheet.append(["C1", "K2", date(2025, 3, 1), "5.01"])  # Excel turned the month into a date
    sheet.append(["C1", "K2", "Mar-25", 5])
    path = tmp_path / "returns.xlsx"
    book.save(path)
    before = _hash(path)
    good, issues = read_kpi_returns(path, contracts_table(), kpis_table())
    assert _hash(path) == before
    assert good[["kpi_id", "period", "value"]].values.tolist() == [["K1", "2025-03", 85.49], ["K2", "2025-03", 5.01]]
    assert [(i.line, "'Mar-25'" in i.message) for i in issues] == [(4, True)]


@pytest.mark.parametrize(
    "name, pattern",
    [
        ("no_period_column.csv", r"no_period_column.csv: the header on line 1 has no column period"),
        ("empty.csv", "the file is empty"),
        ("does_not_exist.csv", "does not exist"),
    ],
)
def test_read_returns_unusable_files(name, pattern):
    with pytest.raises(LearnerError, match=pattern):
        read_kpi_returns(FIXTURES / name, contracts_table(), kpis_table())
