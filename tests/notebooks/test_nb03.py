from __future__ import annotations

import pytest

from helpers.spend import analyse_city, northumberland_explainer, top_suppliers
from tests.notebooks.runner import run_notebook

pytestmark = pytest.mark.notebook


def _shares_line(city_name: str, year: int, head: dict) -> str:
    return (
        f"{city_name} {year}: in the city {head['local_share_city']:.1%}; "
        f"city + region {head['local_share_region']:.1%}; SMEs {head['sme_share']:.1%}; "
        f"social economy {head['social_economy_share']:.1%}"
    )


def test_spend_analysis_runs_with_defaults_and_prints_portavera_2025_headline():
    run = run_notebook("03")
    assert "ERROR" not in run.text
    head = analyse_city("portavera", 2025).headline()
    key = run.cell_text("keep-output")
    assert _shares_line("Portavera", 2025, head) in key
    assert f"top 10 suppliers {head['top10_share']:.1%}" in key
    # the static view of the workbench: headline table, geography chart, top suppliers
    assert "Share spent with suppliers in the city" in run.text
    top = top_suppliers(analyse_city("portavera", 2025).payments, 1)["supplier_group"].iloc[0]
    assert top in run.text
    titles = [
        out["data"]["application/vnd.plotly.v1+json"]["layout"]["title"]["text"]
        for cell in run.nb.cells
        if cell.cell_type == "code"
        for out in cell.get("outputs", [])
        if "application/vnd.plotly.v1+json" in out.get("data", {})
    ]
    assert "Where the money goes (Portavera 2025)" in titles
    # the advanced step reproduces the worked example, and the cleaning report shows real numbers
    assert "1.56 1.84" in run.text
    report = analyse_city("portavera", 2025).report
    assert f"credit notes (negative amounts): {report.credit_notes['count']:,}" in run.text
    assert f"{northumberland_explainer()['per_pound_local']}" in run.text
    # who benefits: the course register has no women-led field (unknown, never 0%); the example's share
    assert "Share of spend with women-led suppliers: unknown" in run.text
    assert (
        "22.2% of the spend whose suppliers' status is known (known for 90.0% of spend, 4 of 5 suppliers)" in run.text
    )


def test_spend_analysis_runs_for_valmora_2024():
    run = run_notebook("03", city="valmora", year=2024)
    assert "ERROR" not in run.text
    head = analyse_city("valmora", 2024).headline()
    assert _shares_line("Valmora", 2024, head) in run.cell_text("keep-output")
    assert "Portavera 2025" not in run.cell_text("keep-output")
