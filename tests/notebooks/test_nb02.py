"""Module 2 notebook under papermill: the advisor's key result, the thresholds table and the
course city's tenders against the thresholds, for Portavera 2025 and Valmora 2024."""

from __future__ import annotations

import pytest

from helpers.framework import city_tenders_check, verdict_counts
from tests.notebooks.runner import run_notebook

pytestmark = pytest.mark.notebook


def test_module2_runs_with_defaults_and_shows_the_key_results():
    run = run_notebook("02")
    assert "ERROR" not in run.text
    keys = run.cell_text("keep-output")
    assert "at or above the EU threshold of €216,000 (2026–27)" in keys
    assert "open procedure, minimum days for tenders: 30" in keys
    assert "€5,404,000" in run.text and "€221,000" in run.text  # thresholds table
    # the advisor's static view (today's date) shows a verdict for €250,000 services
    assert "spw-verdict-above" in run.text and "€250,000 ≥" in run.text
    # Portavera 2025: 34 tenders, 22 above, 12 below, 1 open tender with under 30 days to check
    assert "34 tenders: 22 above the EU threshold, 12 below; 1 to check." in run.text
    assert "PV-T-2025-020" in run.text


def test_module2_runs_for_valmora_2024():
    run = run_notebook("02", city="valmora", year=2024)
    assert "ERROR" not in run.text
    expected = verdict_counts(city_tenders_check("valmora", 2024))
    assert expected == "5 tenders: 2 above the EU threshold, 3 below; 0 to check."
    assert expected in run.text
    assert "VM-T-2024-002" in run.text and "PV-T-2025" not in run.text
