"""Module 7 with a city's own files: the contract register, KPI definitions and social-value tables read line
by line (any encoding and delimiter, European numbers, day-first dates), the loader that puts them in place
of the course tables without ever raising, and the dashboard's upload of each kind of file."""

from __future__ import annotations

import hashlib
from datetime import date

import openpyxl
import pandas as pd
import pytest

from helpers.core.errors import LearnerError
from helpers.monitoring import build_dashboard, load_monitoring_data, portfolio_summary, read_contracts, read_kpis
from helpers.monitoring.files import column_decimal, header_key, parse_date, parse_number
from helpers.monitoring.own_data import read_social_value
from tests.unit.monitoring.hand_tables import contracts_table

CONTRACTS = (
    "Contract ID;Title;Supplier;Service area;Start date;End date;Monthly charge (EUR);Service credit %;"
    "Service credit cap %\n"
    "GR-001;Limpieza de colegios;Limpiezas Añón S.L.;Educación;01/04/2024;31/03/2027;12.500,00;2,5;10\n"
    "GR-002;Mantenimiento de fuentes;Aguas del Sur S.A.;Parques;01/01/2023;30/06/2025;3.200,50;5;15\n"
    "GR-003;Alumbrado LED;Luz Eficiente S.L.;Vía pública;01/09/2026;31/08/2030;8.000;3;12\n"
    "GR-004;Poda;Verde Vivo S.L.;Parques;01/05/2025;30/04/2025;1.000;3;12\n"
    "GR-001;Otra vez;X;Y;01/01/2025;31/12/2025;1;1;1\n"
    "GR-005;Fecha mala;X;Y;31/02/2025;31/12/2025;1;1;1\n"
)
KPIS = (
    "contract_id;kpi_id;name;unit;target;direction;tolerance_pct\n"
    "GR-001;K1;Aulas limpiadas a tiempo;%;95;higher;5\n"
    "GR-001;K2;Quejas por mes;count;2;lower is better;50\n"
    "GR-001;K3;Satisfacción;score 1-5;4;Higher;\n"
    "GR-002;K1;Fuentes operativas;%;98;up;2\n"
    "GR-009;K1;Desconocido;%;90;higher;10\n"
    "GR-001;K4;Sin sentido;%;90;sideways;10\n"
    "GR-001;K1;Repetido;%;90;higher;10\n"
)
RETURNS = (
    "contract_id;kpi_id;period;value\n"
    "GR-001;K1;2025-09;96,5\nGR-001;K2;2025-09;1\n"
    "GR-001;K1;2025-10;88\nGR-001;K2;2025-10;4\n"
    "GR-001;K1;2025-11;93\nGR-001;K2;2025-11;5\n"
    "GR-002;K1;2025-05;97,9\nGR-002;K1;2025-06;99\n"
)


def _hash(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture()
def files(tmp_path):
    (tmp_path / "contracts.csv").write_bytes(CONTRACTS.encode("cp1252"))
    (tmp_path / "kpis.csv").write_bytes(KPIS.encode("cp1252"))
    (tmp_path / "returns.csv").write_text(RETURNS, encoding="utf-8")
    return tmp_path


# ---------------------------------------------------------------- cells


@pytest.mark.parametrize(
    "cell, comma_ok, mark, expected",
    [
        ("12.500,00", True, None, 12500.0),
        ("1,234.50", True, None, 1234.5),
        ("EUR 1 234,50", True, None, 1234.5),
        ("85,5", True, None, 85.5),
        ("8.000", True, ",", 8000.0),  # the column's other cells use a decimal comma
        ("8.000", True, ".", 8.0),
        ("8.000", False, None, 8.0),  # a comma-separated file: the point is the decimal mark
        ("1,250", False, None, 1250.0),
        ("1.234.567", True, None, 1234567.0),
        ("3%", True, None, 3.0),
    ],
)
def test_numbers_written_the_european_or_the_english_way(cell, comma_ok, mark, expected):
    assert parse_number(cell, comma_ok, mark) == (expected, "")


def test_ambiguous_and_bad_numbers_are_refused_with_the_reason():
    assert parse_number("1,250", True) == (None, "'1,250' could be 1250 or 1.25")
    assert parse_number("8.000", True) == (None, "'8.000' could be 8000 or 8")
    assert parse_number("4,5", False) == (None, "'4,5' is not a number (a comma as decimal mark?)")
    assert parse_number("n/a") == (None, "'n/a' is not a number")
    assert column_decimal(["12.500,00", "8.000"]) == "," and column_decimal(["85.5", "1,250"]) == "."
    assert column_decimal(["8.000"]) is None and column_decimal(["8.000"], comma_decimal_ok=False) == "."


def test_dates_and_headers():
    assert parse_date("01/10/2025") == (date(2025, 10, 1), "")
    assert parse_date("1.10.2025") == (date(2025, 10, 1), "")
    assert parse_date("2025-10-01 00:00:00") == (date(2025, 10, 1), "")
    assert parse_date("31/02/2025")[1] == "'31/02/2025' is not a date (day first: DD/MM/YYYY)"
    assert parse_date("Oct 2025")[0] is None
    assert header_key("Monthly charge (EUR)") == "monthly_charge_eur" and header_key(" Contract ID ") == "contract_id"


# ---------------------------------------------------------------- readers


def test_read_contracts_cp1252_semicolons_european_numbers(files):
    before = _hash(files / "contracts.csv")
    table, issues = read_contracts(files / "contracts.csv")
    assert _hash(files / "contracts.csv") == before  # only read
    assert table["contract_id"].tolist() == ["GR-001", "GR-002", "GR-003"]
    assert table["supplier_name"].tolist()[0] == "Limpiezas Añón S.L."
    assert table["monthly_charge_eur"].tolist() == [12500.0, 3200.5, 8000.0]
    assert table["service_credit_pct"].tolist() == [2.5, 5.0, 3.0]
    assert table["start_date"].tolist()[0] == pd.Timestamp("2024-04-01")
    by_line = {i.line: str(i) for i in issues}
    assert by_line[5] == (
        "contracts.csv, line 5: the contract ends (2025-04-30) before it starts (2025-05-01). "
        "Check the start and end dates (day first: DD/MM/YYYY)."
    )
    assert "contract GR-001 is already on line 2" in by_line[6]
    assert "start_date '31/02/2025' is not a date" in by_line[7]
    assert pd.isna(table["value_eur"]).all()  # not in the file: unknown, not 0


def test_read_contracts_without_credit_terms_warns_that_credits_are_unknown(tmp_path):
    path = tmp_path / "register.csv"
    path.write_text("contract,start,end\nA-1,2025-01-01,2025-12-31\n", encoding="utf-8")
    table, issues = read_contracts(path)
    assert table["contract_id"].tolist() == ["A-1"] and table["end_date"][0] == pd.Timestamp("2025-12-31")
    assert [i.severity for i in issues] == ["warning"]
    assert "no column monthly_charge_eur, service_credit_pct" in issues[0].message
    assert "unknown service credit (never 0)" in issues[0].message


def test_read_kpis_checks_contracts_directions_and_repeats(files):
    contracts, _ = read_contracts(files / "contracts.csv")
    table, issues = read_kpis(files / "kpis.csv", contracts)
    assert table[["contract_id", "kpi_id", "direction"]].values.tolist() == [
        ["GR-001", "K1", "higher"],
        ["GR-001", "K2", "lower"],
        ["GR-001", "K3", "higher"],
        ["GR-002", "K1", "higher"],
    ]
    assert pd.isna(table["tolerance_pct"][2])  # empty: the default band applies
    by_line = {i.line: i.message for i in issues}
    assert by_line == {
        6: "contract 'GR-009' is not in the contract register",
        7: "the direction 'sideways' is not 'higher' or 'lower'",
        8: "KPI K1 of contract GR-001 is already on line 2",
    }


def test_read_social_value_and_unusable_files(tmp_path):
    path = tmp_path / "sv.csv"
    path.write_text(
        "contract_id,measure,unit,committed_total\nC1,local_hires,people,12\nC9,x,people,1\nC1,y,hours,lots\n",
        encoding="utf-8",
    )
    table, issues = read_social_value(path, "social_value_commitments", contracts_table())
    assert table["measure"].tolist() == ["local_hires"] and [i.line for i in issues] == [3, 4]
    (tmp_path / "bad.csv").write_text("contract_id,start_date\nX,2025-01-01\n", encoding="utf-8")
    with pytest.raises(LearnerError, match="bad.csv: the header on line 1 has no column end_date"):
        read_contracts(tmp_path / "bad.csv")
    with pytest.raises(LearnerError, match="does not exist"):
        read_contracts(tmp_path / "nothing.csv")


def test_read_contracts_from_a_spreadsheet(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["contract_id", "start_date", "end_date", "monthly_charge_eur"])
    book.active.append(["X-1", date(2025, 1, 1), date(2025, 12, 31), 1234.5])
    path = tmp_path / "register.xlsx"
    book.save(path)
    table, _ = read_contracts(path)
    assert table[["contract_id", "monthly_charge_eur"]].values.tolist() == [["X-1", 1234.5]]


# ---------------------------------------------------------------- the loader


def test_load_monitoring_data_puts_own_files_in_place(files):
    data = load_monitoring_data(
        contracts=files / "contracts.csv", kpis=files / "kpis.csv", returns=files / "returns.csv"
    )
    assert data.own and data.place == "Your data" and data.as_of == "2025-11"  # the latest return
    assert data.sources["contracts"] == "your file contracts.csv (3 usable rows)"
    assert data.sources["social_value_commitments"].startswith("none yet")
    assert not any(i.where == "KPI definitions" and i.severity == "info" for i in data.issues)  # given since
    summary = portfolio_summary(*data.args(), as_of=data.as_of).set_index("contract_id")
    assert summary["status"].to_dict() == {
        "GR-001": "red",
        "GR-002": "ended 2025-06",
        "GR-003": "not started (starts 2026-09)",
    }
    # October: K1 88 and K2 4 red -> 2 x 2.5 % x 12,500 = 625; November: K2 red -> 312.50
    assert summary.loc["GR-001", "credits_to_date_eur"] == 937.5
    assert "<script" not in data.summary_html()


def test_load_monitoring_data_never_raises_and_says_what_it_kept(tmp_path, files):
    (tmp_path / "bad.csv").write_text("contract_id,start_date\nX,2025-01-01\n", encoding="utf-8")
    data = load_monitoring_data(contracts=tmp_path / "bad.csv", returns=files / "returns.csv")
    assert not data.own and data.as_of == "2026-03"  # the course data, looked at in March 2026
    text = repr(data)
    assert "bad.csv: the header on line 1 has no column end_date" in text
    assert "your KPI returns were not read" in text
    only_returns = load_monitoring_data(returns=tmp_path / "missing.csv")
    assert "missing.csv: this file does not exist" in repr(only_returns)
    assert only_returns.sources["kpi_returns"] == "the course data (Portavera)"


# ---------------------------------------------------------------- the dashboard with own files


def test_dashboard_takes_each_kind_of_file_and_clears_old_views(files, work_dir):
    dashboard = build_dashboard("portavera", "2026-03")
    assert "PV-C-2025-017" in dashboard.figures["kpi"].layout.title.text
    used, _ = dashboard.use_file("contracts", files / "contracts.csv")
    assert used and [v for _, v in dashboard.contract.options] == ["GR-001", "GR-002", "GR-003"]
    assert dashboard.contract.value == "GR-001" and "PV-C-" not in dashboard.portfolio.value
    assert "no KPIs" in dashboard.portfolio.value  # the course's KPIs are for other contracts
    assert "your contracts have no KPI definitions yet" in dashboard.data_summary.value
    dashboard.use_file("kpis", files / "kpis.csv")
    dashboard.use_file("kpi_returns", files / "returns.csv")
    assert dashboard.period.value == "2025-11" and dashboard.period.options[-1] == "2025-11"
    assert "GR-001: KPI returns against target, to 2025-11" == dashboard.figures["kpi"].layout.title.text
    assert "2 alerts on 2025-11" in dashboard.alerts.value and "2 high" in dashboard.alerts.value
    assert "not rated: 2 contracts (1 ended, 1 not started)" in dashboard.rag_summary.value
    dashboard.contract.value = "GR-002"  # ended in June 2025
    assert "GR-002 ended on 2025-06-30: it is not rated for 2025-11" in dashboard.state_note.value
    assert dashboard.figures["kpi"].layout.title.text == (
        "GR-002: KPI returns against target, to its end in 2025-06 (ended: not rated for 2025-11)"
    )
    dashboard.contract.value = "GR-003"  # not started: the old chart and note are gone
    assert "starts on 2026-09-01" in dashboard.state_note.value and dashboard.figures["kpi"].data == ()
    bad = files / "broken.csv"
    bad.write_text("what,ever\n1,2\n", encoding="utf-8")
    used, issues = dashboard.use_file("kpis", bad)
    assert not used and "has no column contract_id" in dashboard.issues.value
    assert "Traceback" not in dashboard.issues.value and "GR-001" in dashboard.portfolio.value  # kept
    dashboard.use_shipped.click()
    assert "PV-C-2025-017" in dashboard.portfolio.value and dashboard.period.value == "2026-03"
    assert dashboard.message.value == ""


def test_a_failed_redraw_leaves_no_stale_view(work_dir, monkeypatch):
    dashboard = build_dashboard("portavera", "2026-03")
    assert dashboard.portfolio.value

    def broken(*args, **kwargs):
        raise LearnerError("the KPI table has no target", fix="Give every KPI a target")

    monkeypatch.setattr(dashboard, "summary", broken)
    dashboard.period.value = "2026-02"
    assert "the KPI table has no target" in dashboard.message.value
    assert dashboard.portfolio.value == "" and dashboard.rag_summary.value == "" and dashboard.figures == {}


def test_bad_parameters_are_messages_not_tracebacks():
    data = load_monitoring_data("atlantis", as_of="March 2026")
    text = repr(data)
    assert "the month looked at: 'March 2026' is not a month" in text
    assert "there is no city called 'atlantis' in the course data" in text
    assert data.city == "portavera" and data.as_of == "2026-03"
