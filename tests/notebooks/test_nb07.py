from __future__ import annotations

import re

import pytest

from helpers.monitoring import credits_in_year, load_monitoring_tables, month_in_brief, red_kpis_for
from tests.notebooks.runner import run_notebook

pytestmark = pytest.mark.notebook


def plotly_figures(run) -> list[dict]:
    """The plotly figures the run displayed (their JSON)."""
    return [
        out["data"]["application/vnd.plotly.v1+json"]
        for cell in run.nb.cells
        if cell.cell_type == "code"
        for out in cell.get("outputs", [])
        if "application/vnd.plotly.v1+json" in out.get("data", {})
    ]


def test_contract_management_defaults_show_the_playground_contract():
    run = run_notebook("07")
    assert "ERROR" not in run.text
    key = run.cell_text("keep-output")
    # March 2026: K1 repair time 72 h against 48 is red; one red KPI x 3 % x EUR 22,604.17 = EUR 678.13
    assert "PV-C-2025-017 2026-03: K1 red (72 vs target 48)" in key
    assert "Red KPIs: 1; service credit EUR 678.13" in key
    assert red_kpis_for("PV-C-2025-017", "2026-03") == 1
    tables = load_monitoring_tables("portavera")
    review = credits_in_year(tables["contracts"], tables["kpis"], tables["kpi_returns"], 2025)
    assert (
        f"Portavera 2025: KPI returns from {len(review)} contract(s), {review['red'].sum()} of them red; "
        f"service credits EUR {review['credits_eur'].sum():,.2f}"
    ) in key
    # the contract register, the static dashboard (RAG chips for March 2026, the portfolio, the KPI chart)
    assert "Juegos del Puerto S.L." in run.text and "Playground equipment supply and maintenance" in run.text
    assert "KPI returns for 2026-03" in run.text and "red: 4" in run.text
    figures = plotly_figures(run)
    assert [f["layout"]["title"]["text"] for f in figures] == ["PV-C-2025-017: KPI returns against target, to 2026-03"]
    k1_returns = figures[0]["data"][2]
    assert k1_returns["customdata"][-1] == "red" and k1_returns["x"][-1] == "2026-03"
    assert "PV-C-2024-009" in run.text  # school meals in the portfolio
    # PV-C-2023-016 ended in November 2025: shown as ended, not rated for March 2026 (never "green")
    assert "ended 2025-11" in run.text and "not rated: 1 contract (1 ended, 0 not started)" in run.text
    # 43 alerts ranked high to low under plain names: 6 high, 15 medium, 22 low
    assert "43 alerts on 2026-03</b>: 6 high, 15 medium, 22 low" in run.text
    assert "social_value_behind" not in run.text and "Social value behind the path" in run.text
    assert not re.search(r"\d\.\d+ (people|person)\b", run.text)  # people are whole: no "2.93 people"
    assert "at least 1 person would be delivered by now" in run.text
    # gender-disaggregated KPIs: 9 women of 36 staff, a 5.0% pay gap, and what was not reported is unknown
    assert "women's share: 25.0%" in run.text and "gender pay gap: 5.0%" in run.text
    assert "Users of the service: women's share unknown (not reported; not 0)" in run.text
    assert "URBACT GenProcure network" in run.text and "urbact.eu/networks/genprocure" in run.text
    assert "Traceback" not in run.text


def test_contract_management_runs_for_valmora_2024():
    run = run_notebook("07", city="valmora", year=2024)
    assert "ERROR" not in run.text
    tables = load_monitoring_tables("valmora")
    contracts = tables["contracts"]["contract_id"].tolist()
    assert contracts == ["VM-C-2023-002", "VM-C-2024-003", "VM-C-2024-004", "VM-C-2025-002"]
    for contract_id in contracts:
        assert contract_id in run.text
    assert "PV-C-" not in run.cell_text("keep-output")
    expected = month_in_brief("VM-C-2023-002", "2026-03", tables["contracts"], tables["kpis"], tables["kpi_returns"])
    assert expected in run.cell_text("keep-output")
    assert "Red KPIs: 1; service credit EUR 27.38" in expected  # 2.5 % of EUR 1,095.24
    assert plotly_figures(run)[0]["layout"]["title"]["text"].startswith("VM-C-2023-002")
    assert "Valmora 2024: KPI returns from 1 contract(s), 2 of them red; service credits EUR 54.76" in run.text


# ---------------------------------------------------------------- a city's own files, as papermill parameters

CONTRACTS = (
    "Contract ID;Title;Supplier;Service area;Start date;End date;Monthly charge (EUR);Service credit %;"
    "Service credit cap %\n"
    "GR-001;Limpieza de colegios;Limpiezas Añón S.L.;Educación;01/04/2024;31/03/2027;12.500,00;2,5;10\n"
    "GR-002;Mantenimiento de fuentes;Aguas del Sur S.A.;Parques;01/01/2023;30/06/2025;3.200,50;5;15\n"
    "GR-003;Alumbrado LED;Luz Eficiente S.L.;Vía pública;01/09/2026;31/08/2030;8.000;3;12\n"
    "GR-004;Poda de árboles;Verde Vivo S.L.;Parques;01/05/2025;30/04/2025;1.000;3;12\n"  # ends before it starts
)
KPIS = (
    "contract_id;kpi_id;name;unit;target;direction;tolerance_pct\n"
    "GR-001;K1;Aulas limpiadas a tiempo;%;95;higher;5\n"
    "GR-001;K2;Quejas por mes;count;2;lower is better;50\n"
    "GR-001;K3;Satisfacción de los centros;score 1-5;4;higher;10\n"  # a KPI with no returns at all
    "GR-002;K1;Fuentes operativas;%;98;higher;2\n"
    "GR-009;K1;Desconocido;%;90;higher;10\n"  # a contract not in the register
)
RETURNS = (
    "contract_id;kpi_id;period;value\n"
    "GR-001;K1;2025-09;96,5\nGR-001;K2;2025-09;1\n"
    "GR-001;K1;2025-10;88\nGR-001;K2;2025-10;4\n"
    "GR-001;K1;2025-11;93\nGR-001;K2;2025-11;5\n"
    "GR-002;K1;2025-05;97,9\nGR-002;K1;2025-06;99\n"
    "GR-002;K1;2025-07;n/a\n"  # after its end, and not a number
)


@pytest.fixture(scope="module")
def own_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("city-files")
    (folder / "contracts.csv").write_bytes(CONTRACTS.encode("cp1252"))  # Windows-1252, semicolons
    (folder / "kpis.csv").write_bytes(KPIS.encode("cp1252"))
    (folder / "returns.csv").write_bytes(("\ufeff" + RETURNS).encode("utf-8"))  # UTF-8 with a BOM
    (folder / "gender.csv").write_bytes(
        "Contract;Period;Measure;Female;Male\nGR-001;2025;staff;12;28\nGR-001;2025;hourly_pay;17,10;18,00\n"
        "GR-001;2025;hires;;4\n".encode("cp1252")
    )
    (folder / "no_end_date.csv").write_text("contract_id,start_date\nX-1,2025-01-01\n", encoding="utf-8")
    return folder


def own_run(folder):
    return run_notebook(
        "07",
        contracts=str(folder / "contracts.csv"),
        kpis=str(folder / "kpis.csv"),
        returns=str(folder / "returns.csv"),
        gender_returns=str(folder / "gender.csv"),
        year=2025,
    )


def test_contract_management_on_a_citys_own_files(own_files):
    run = own_run(own_files)
    assert "ERROR" not in run.text and "Traceback" not in run.text
    # where the data comes from, and each problem with its file, line and fix
    assert "your file contracts.csv (3 usable rows)" in run.text
    assert "contracts.csv, line 5: the contract ends (2025-04-30) before it starts (2025-05-01)" in run.text
    assert "kpis.csv, line 6: contract &#x27;GR-009&#x27; is not in the contract register" in run.text
    assert "returns.csv, line 10:" in run.text and "month looked at: 2025-11" in run.text
    key = run.cell_text("keep-output")
    # GR-001 in 2025-11: K1 93 >= 95 x 0.95 = 90.25 amber; K2 5 > 2 x 1.5 = 3 red; K3 never returned: missing;
    # one red KPI x 2.5 % x EUR 12,500 = EUR 312.50
    assert (
        "GR-001 2025-11: K1 amber (93 vs target 95), K2 red (5 vs target 2), K3 missing. "
        "Red KPIs: 1; service credit EUR 312.50 (2.5 % of the monthly charge of EUR 12,500.00)."
    ) in key
    # 2025: K1 and K2 red in October, K2 in November -> 3 red; credits 2 x 312.50 + 312.50 = EUR 937.50
    assert "Your data 2025: KPI returns from 2 contract(s), 3 of them red; service credits EUR 937.50" in key
    # the ended and the not yet started contract are shown as such, never rated
    assert "ended 2025-06" in run.text and "not started (starts 2026-09)" in run.text
    assert "not rated: 2 contracts (1 ended, 1 not started)" in run.text
    # two alerts, both high: K2 red two months running, and returns missing (K3 never, K1/K2 before 2025-09)
    assert "2 alerts on 2025-11</b>: 2 high, 0 medium, 0 low" in run.text
    assert "KPI red two months running" in run.text and "kpi_red_twice" not in run.text
    assert "PV-C-" not in key
    figures = plotly_figures(run)
    assert figures[-1]["layout"]["title"]["text"] == "GR-001: KPI returns against target, to 2025-11"
    # the learner's own gender returns: 12 of 40 staff are women; pay gap (18.00 - 17.10) / 18.00; hires unknown
    assert "Read: gender.csv: 3 row(s) read" in run.text
    assert "women's share: 30.0%" in run.text and "gender pay gap: 5.0%" in run.text
    assert "New hires for the contract: women's share unknown (partly reported; not 0)" in run.text


def test_contract_management_with_an_unusable_register_falls_back_plainly(own_files):
    run = run_notebook("07", contracts=str(own_files / "no_end_date.csv"), returns=str(own_files / "returns.csv"))
    assert "ERROR" not in run.text and "Traceback" not in run.text
    assert "no_end_date.csv: the header on line 1 has no column end_date" in run.text
    assert "your KPI returns were not read: they are checked against your contract register" in run.text
    # the course data is used instead, and said to be
    assert "Red KPIs: 1; service credit EUR 678.13" in run.cell_text("keep-output")
    assert "the course data (Portavera)" in run.text


def test_the_thread_section_shows_the_example_plan_and_checks_the_claims():
    run = run_notebook("07")
    # the playground draft's plan: 5 KPIs, 2 targets unknown, results 1 met, 1 not met, 3 unknown
    assert "The course example's monitoring plan" in run.text
    assert "1 met, 1 not met, 3 unknown" in run.text
    assert "2025-11, 2026-02" in run.text and "unknown — enter the winning bid" in run.text
    # the claims: P-01 under two measures, P-02 already employed, 4.5 tCO2e × EUR 250 = EUR 1,125.00
    assert "warning: claims 1, 2: the outcome 'P-01' is claimed under 2 measures" in run.text
    assert "error: claim 3: local_hires 'P-02': the person was already employed" in run.text
    assert "EUR 1,125.00" in run.text
