"""Module 4 notebook under papermill: the key result and the static tools show the helpers' own values."""

from __future__ import annotations

import pytest

from helpers.strategy import course_matrix, example_objectives, matrix_in_brief, quadrant_counts
from tests.notebooks.runner import run_notebook

pytestmark = pytest.mark.notebook


def _check(city: str, year: int) -> None:
    run = run_notebook("04", city=city, year=year)
    assert "ERROR" not in run.text
    matrix = course_matrix(city, year)
    key = run.cell_text("keep-output")
    assert matrix_in_brief(matrix, f"{city.title()} {year}") in key
    counts = quadrant_counts(matrix).set_index("quadrant")["categories"]
    assert f"grow local spend {counts['grow local spend']}, keep {counts['keep']}" in key
    titles = [
        out["data"]["application/vnd.plotly.v1+json"]["layout"]["title"]["text"]
        for cell in run.nb.cells
        if cell.cell_type == "code"
        for out in cell.get("outputs", [])
        if "application/vnd.plotly.v1+json" in out.get("data", {})
    ]
    assert f"Category opportunity matrix ({city.title()} {year})" in titles
    # the objectives' baselines come from the spend analysis; the lot plan counts local SMEs
    baseline = example_objectives(city, year)[0].baseline
    assert f"{baseline:g}%" in run.text
    assert "whole contract" in run.text and "divided into 3 lots" in run.text
    # EIGE's lots questions (static view: the five questions) and The Hague's case with its source
    assert "Q5. In a framework agreement, could lots let smaller" in run.text
    assert "The Hague (Netherlands)." in run.text and "toolkits/grpp/dividing-contract-lots" in run.text


def test_nb04_defaults_portavera_2025():
    _check("portavera", 2025)
    key = run_notebook("04").cell_text("keep-output")
    assert "Portavera 2025: grow local spend 6, keep 6, thin local market 1, low priority 19." in key
    assert "45 Construction work (46% local" in key


def test_nb04_valmora_2024():
    _check("valmora", 2024)
    assert "Portavera" not in run_notebook("04", city="valmora", year=2024).cell_text("keep-output")


def test_nb04_offers_the_monitoring_summary_as_objectives():
    run = run_notebook("04")
    assert "From your contract monitoring" in run.text
    assert "Not met (3 people against a target of 4 people)" in run.text
