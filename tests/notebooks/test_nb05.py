"""Module 5 notebook under papermill: the health check's key result and the static tools' values."""

from __future__ import annotations

import pytest

from helpers.preprocurement import course_tenders, health_in_brief, health_summary, tender_flags
from tests.notebooks.runner import run_notebook

pytestmark = pytest.mark.notebook


def _check(city: str, year: int) -> None:
    run = run_notebook("05", city=city, year=year)
    assert "ERROR" not in run.text
    flags = tender_flags(*course_tenders(city))
    assert health_in_brief(flags, city.title()) in run.cell_text("keep-output")
    overall = health_summary(flags).iloc[-1]
    assert f"single-bid rate {overall['single_bid_rate_pct']:.1f}%" in run.cell_text("keep-output")
    assert f"{len(flags)} tenders, {int(flags['flagged'].sum())} flagged" in run.text
    # the rubric's route for the playground defaults, the timeline and Beverwijk's steps
    assert "Suggested route: market dialogue with functional specifications" in run.text
    assert "Preliminary market consultation opens (Art. 40)" in run.text and "2025-05-14" in run.text
    assert "The children picked the winning design" in run.text
    assert "unverified" in run.text


def test_nb05_defaults_portavera():
    _check("portavera", 2025)
    key = run_notebook("05").cell_text("keep-output")
    assert "Portavera: 120 tenders, single-bid rate 20.5%" in key and "R003 4, R018 15, R058 5" in key


def test_nb05_valmora_2024():
    _check("valmora", 2024)
