"""`python -m helpers check-returns`, run through the command dispatcher."""

from __future__ import annotations

import json

import pytest

from helpers.__main__ import main
from helpers.data import load_table
from tests.unit.monitoring.hand_tables import FIXTURES, contracts_table, kpis_table

# ---------------------------------------------------------------- check-returns command


@pytest.fixture()
def register_files(tmp_path):
    contracts, kpis = tmp_path / "contracts.csv", tmp_path / "kpis.csv"
    contracts_table().to_csv(contracts, index=False)
    kpis_table().to_csv(kpis, index=False)
    return ["--contracts", str(contracts), "--kpis", str(kpis)]


def test_cli_check_returns(register_files, capsys):
    assert main(["check-returns", str(FIXTURES / "good.csv"), *register_files]) == 0
    assert "3 row(s) OK, 0 with problems" in capsys.readouterr().out
    assert main(["check-returns", str(FIXTURES / "problems.csv"), "--json", *register_files]) == 1
    found = json.loads(capsys.readouterr().out)
    assert (found["rows_ok"], found["rows_with_problems"], len(found["issues"])) == (2, 8, 8)
    assert (
        main(["check-returns", str(FIXTURES / "good.csv"), "--as-of", "2025-02", "--json", *register_files]) == 1
    )  # C2's 2025-06 is not due yet
    found = json.loads(capsys.readouterr().out)
    assert [i["line"] for i in found["issues"]] == [4]
    missing = found["missing_returns"]
    assert missing == [
        {"contract_id": "C1", "kpi_id": "K1", "period": "2025-02"},
        {"contract_id": "C1", "kpi_id": "K2", "period": "2025-02"},
    ]


def test_cli_unusable_file_exits_2(register_files, capsys):
    assert main(["check-returns", str(FIXTURES / "no_period_column.csv"), *register_files]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: no_period_column.csv: the header on line 1 has no column period")
    assert err.count("\n") == 1


def test_cli_against_shipped_data(tmp_path, capsys):
    pytest.importorskip("helpers.data")
    returns = load_table("kpi_returns")
    row = returns[returns["contract_id"] == "PV-C-2025-017"].head(1)
    path = tmp_path / "one.csv"
    row.to_csv(path, index=False)
    assert main(["check-returns", str(path)]) == 0
    assert "1 row(s) OK, 0 with problems" in capsys.readouterr().out
