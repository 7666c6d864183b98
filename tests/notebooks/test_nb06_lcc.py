"""Module 6's life-cycle costing and clean-vehicle targets in the executed notebook: the course example by default,
another discount rate, a learner's awkward own file given as the papermill parameter `lcc_bids`, and a broken one."""

from __future__ import annotations

import pytest

from tests.notebooks.runner import run_notebook

pytestmark = pytest.mark.notebook

# Windows-1252, semicolons, European decimal marks, a header in other words, an unknown cost, a cell that is not a
# number, a resale value (negative end of life) and a column the tool does not use.
OWN_LCC = (
    "Bidder;Purchase price;Energy_kWh_per_year;Maintenance per year;End of life;Colour\n"
    "Alumbrado Añón S.L.;610.000,00;330.000;12.500,50;-4.000;blue\n"
    "Luz Norte;abc;300000;unknown;8000;red\n"
    "Faroles Sur;700.000;;11000;9000;\n"
)


@pytest.fixture(scope="module")
def lcc_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lcc-bids")
    (folder / "propuestas.csv").write_bytes(OWN_LCC.encode("cp1252"))
    (folder / "empty.csv").write_bytes(b"")
    return folder


def test_course_example_and_clean_vehicle_targets_by_default():
    run = run_notebook("06")
    assert "ERROR" not in run.text and "Traceback" not in run.text
    assert "Using the course example: Portavera's street-lighting renewal (3 synthetic bids)." in run.text
    assert (
        "Ranking by life-cycle cost over 20 years at 4 %:\n"
        "1. NordLys Belysning A/S: EUR 1,731,069\n"
        "2. Farola Clara S.L.: EUR 1,756,293\n"
        "3. Lumen Ibérica S.A.: EUR 1,831,517"
    ) in run.text
    assert "At 4 %, NordLys Belysning A/S has the lowest life-cycle cost (EUR 1,731,069)" in run.text
    assert "Farola Clara S.L. from 6 % to 9.5 %" in run.text
    assert (
        "Spain, clean light-duty vehicles (cars and vans: M1, M2, N1), 1 January 2026 to 31 December 2030" in run.text
    )
    assert "CELEX 32019L1161" in run.text


def test_a_higher_discount_rate_changes_the_winner():
    run = run_notebook("06", discount_rate=8.0)
    assert "ERROR" not in run.text and "Traceback" not in run.text
    assert "Ranking by life-cycle cost over 20 years at 8 %:\n1. Farola Clara S.L.: EUR 1,447,845" in run.text


def test_own_awkward_lcc_file_as_a_parameter(lcc_files):
    run = run_notebook("06", lcc_bids=str(lcc_files / "propuestas.csv"), energy_price=0.2, member_state="DE")
    assert "ERROR" not in run.text and "Traceback" not in run.text
    assert "Using your bids from propuestas.csv (3 bids)." in run.text
    # 610,000 + (330,000 × 0.20 + 12,500.50) × 13.590326 − 4,000 × 0.456387 = 1,675,022
    assert "1. Alumbrado Añón S.L.: EUR 1,675,022" in run.text
    assert "–. Faroles Sur: unknown (energy not given), not ranked" in run.text
    assert "–. Luz Norte: unknown (acquisition, maintenance not given), not ranked" in run.text
    assert "propuestas.csv, line 3: the acquisition &#x27;abc&#x27; is not a number" in run.text
    assert "Germany, clean light-duty vehicles" in run.text
    assert "Portavera's street-lighting renewal" not in run.text


def test_own_lcc_file_that_cannot_be_used_says_so_and_goes_on(lcc_files):
    run = run_notebook("06", lcc_bids=str(lcc_files / "empty.csv"))
    assert "ERROR" not in run.text and "Traceback" not in run.text
    assert "Your bids could not be used: " in run.text and "empty.csv: the file is empty" in run.text
    assert "The notebook goes on with the course example." in run.text
    assert "1. NordLys Belysning A/S: EUR 1,731,069" in run.text
