"""Module 1 notebook under papermill: the key results and the estimator's default view,
for the course city and for Valmora 2024 (expected values computed with the helpers)."""

from __future__ import annotations

import pytest

from helpers.why import estimate_sentence, local_spend_estimate, starting_point
from tests.notebooks.runner import run_notebook

pytestmark = pytest.mark.notebook


def test_module1_runs_with_defaults_and_shows_the_key_results():
    run = run_notebook("01")
    assert "ERROR" not in run.text
    assert "OK: Python 3.11" in run.text
    keys = run.cell_text("keep-output")
    assert "LM3 at 40% local: 1.56; at 60% local: 1.84" in keys
    assert "€2,800,000 a year" in keys
    assert "£37,500,000; the source reports £37,000,000" in keys
    # Preston's table and the scale facts
    assert "18.2%" in run.text and "£458m" in run.text and "over 250,000" in run.text
    # the estimator's static view: Portavera 2025 starts at €260m, 26% local, +10 points, 40% re-spend
    assert "€260 million" in run.text and "(26% → 36%)" in run.text
    assert "about €36.4 million more would circulate locally each year" in run.text
    # the rounds table: round 2 €67.6m → €93.6m, LM3 1.36 → 1.50 (260 + 93.6 + 37.44) / 260
    assert "€67,600,000" in run.text and "€93,600,000" in run.text and "€37,440,000" in run.text
    assert "1.36" in run.text and "1.50" in run.text


def test_module1_runs_for_valmora_2024_with_its_own_figures():
    run = run_notebook("01", city="valmora", year=2024)
    assert "ERROR" not in run.text
    start = starting_point("valmora", 2024)
    assert (start.total_spend, start.local_share) == (32_000_000, 38.0)
    result = local_spend_estimate(start.total_spend, start.local_share, 10, 0.40)
    assert round(result.extra_local_money) == 4_480_000  # 3.2m + 1.28m
    assert estimate_sentence(result, "Valmora") in run.text.replace("&#x27;", "'")
    assert "LM3 at 40% local: 1.56" in run.text  # the worked example does not move
