from __future__ import annotations

import pytest

from tests.notebooks.runner import run_notebook

pytestmark = pytest.mark.notebook


def test_start_here_runs_with_defaults_and_shows_real_content():
    run = run_notebook("00")
    assert "ERROR" not in run.text
    assert "OK: Python 3.11" in run.text
    assert "no widget front end" in run.text  # papermill: static views
    for title in ("Why procurement matters", "Spend analysis", "Contract management and monitoring"):
        assert title in run.text
    for city in ("portavera", "valmora", "nordhaven"):
        assert city.title() in run.text or city in run.text
    assert str(run.work_dir / "my_work" / "progress.json") in run.text
    assert "€20,000,000" in run.text  # the widget demo's default view: 20% of €100m
    # the competence profile of a fresh learner: every competence without evidence, never a level of 0
    assert "No evidence yet for any of the 30 ProcurCompEU competences" in run.text
    assert "30. Risk management and internal control" in run.text and "CC BY 4.0" in run.text
    assert "python -m helpers competence-profile --export" in run.text


def test_start_here_runs_with_another_city_and_year():
    run = run_notebook("00", city="valmora", year=2024)
    assert "ERROR" not in run.text and "OK: Python" in run.text
