"""Module 5 notebook under papermill: the health check's key result and the static tools' values; and the
notebook run with `ocds=` on real OCDS sets, asserting the figures (computed independently) and no traceback."""

from __future__ import annotations

import pytest

from helpers.preprocurement import course_tenders, health_in_brief, health_summary, tender_flags
from tests.notebooks.runner import run_notebook
from tests.unit.preprocurement.real_ocds import expected

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
    # EIGE's needs-assessment questions (static view) and Vienna's checklist with its source
    assert "Q4. Can we encourage more women-led businesses to take part in the tender?" in run.text
    assert "Vienna (Austria)." in run.text and "urbact.eu/toolbox-home/gender-responsive" in run.text


def test_nb05_defaults_portavera():
    _check("portavera", 2025)
    key = run_notebook("05").cell_text("keep-output")
    assert "Portavera: 120 tenders, single-bid rate 20.5%" in key and "R003 4, R018 15, R058 5" in key


def test_nb05_valmora_2024():
    _check("valmora", 2024)


# one folder per real publisher (the unit tests cover every folder of each): ProZorro (bids, open and limited),
# Montréal (award-only: nothing checkable), Mexico City (outside the EU), Paraguay (three empty files)
REAL = [
    "ocds_ukraine_prozorro/records",
    "ocds_more/montreal_city/releases",
    "ocds_more/mexico_city/releases",
    "ocds_more/paraguay_dncp/records",
]


@pytest.mark.realdata
@pytest.mark.parametrize("name", REAL)
def test_nb05_on_real_ocds(real_data_dir, name):
    folder = real_data_dir / name
    run = run_notebook("05", ocds=str(folder))
    assert "ERROR" not in run.text and "Traceback" not in run.text and "Something went wrong" not in run.text
    want = expected(folder)
    key = run.cell_text("keep-output")
    assert key.startswith(f"{folder.name}: {want['tenders']} tenders")
    for code, title in (("R003", "Short submission period"), ("R018", "Single bid received")):
        applicable, flagged = want[code]
        if applicable:
            assert f"{title}: {flagged} flagged of {applicable} checked" in run.text
            assert f"{code} {flagged}" in key
        else:
            assert f"{title}: not checked on any of the {want['tenders']} tenders" in run.text
            assert f"{code} not checked" in key and f"{title}: 0" not in run.text
    assert "R058 not checked" in key  # no real set has the 4 winning gaps R058 needs
    assert f"not read: {want['unreadable']}" in run.text
