from __future__ import annotations

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
