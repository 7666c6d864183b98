from __future__ import annotations

import pytest

from helpers.tendering import example_bids, rank_reversal_table, ranking_lines, reversal_lines, score_bids, tender_bids
from tests.notebooks.runner import run_notebook

pytestmark = pytest.mark.notebook


def plotly_titles(run) -> list[str]:
    return [
        out["data"]["application/vnd.plotly.v1+json"]["layout"]["title"]["text"]
        for cell in run.nb.cells
        if cell.cell_type == "code"
        for out in cell.get("outputs", [])
        if "application/vnd.plotly.v1+json" in out.get("data", {})
    ]


def test_tendering_defaults_rank_the_playground_bids():
    run = run_notebook("06")
    assert "ERROR" not in run.text
    key = run.cell_text("keep-output")
    bids = tender_bids("PV-T-2025-017")
    assert ranking_lines(score_bids(bids, 40)) in key
    # by hand: Juegos 40 × 965/1,085 + 51 = 86.58; Ludoteca 40 × 965/1,180 + 53 = 85.71
    assert "1. Juegos del Puerto S.L.: 86.58 (price 35.58 + quality 51.00)" in key
    assert "2. Ludoteca Costa Alta Coop.: 85.71 (price 32.71 + quality 53.00)" in key
    assert "A and B only: A 80.00, B 78.77 → A wins" in key
    assert "C enters (quality 10, EUR 50k): A 60.00, B 63.38, C 50.00 → B wins" in key
    assert reversal_lines(rank_reversal_table("relative")) in key
    assert "Using tender PV-T-2025-017 (published price weight 40)." in run.text
    assert plotly_titles(run) == [
        "Award weights in the draft: 100 of 100 points",
        "Scores at price weight 40: Juegos del Puerto S.L. wins",
        "Total score against the price weight (relative formula)",
        "Life-cycle cost at 4 %: NordLys Belysning A/S is lowest",
        "Life-cycle cost against the discount rate",
    ]
    assert "No problems found" in run.text  # the default draft's checks
    assert "Portavera 2025: 34 tenders" in run.text
    # the gender criteria decision aid's worked examples (static view) and the Basque case with its source
    assert "Linked: a contract performance clause about the staff, the work or the users of this contract." in run.text
    assert "Not linked: an award criterion about the whole company" in run.text
    assert "The Basque Country (Spain)." in run.text and "toolkits/grpp/procurement-stage" in run.text


def test_tendering_price_weight_70_prints_score_bids_ranking():
    run = run_notebook("06", price_weight=70)
    assert "ERROR" not in run.text
    expected = ranking_lines(score_bids(tender_bids("PV-T-2025-017"), 70))
    assert expected.startswith("1. PlayForm Europe B.V.: 88.50")  # 70 + 30 × 37/60
    assert "Price weight 70, quality 30:\n" + expected in run.text
    assert "Scores at price weight 70: PlayForm Europe B.V. wins" in plotly_titles(run)
    # the key result keeps the tender's own settings
    assert "1. Juegos del Puerto S.L.: 86.58" in run.cell_text("keep-output")


def test_tendering_runs_for_valmora_2024_with_the_briefs_bids():
    run = run_notebook("06", city="valmora", year=2024)
    assert "ERROR" not in run.text
    assert "Valmora has no featured tender with quality marks in the course data" in run.text
    key = run.cell_text("keep-output")
    assert "Course example bids A and B: relative formula, price weight 40" in key
    assert ranking_lines(score_bids(example_bids(), 40)) in key
    assert "1. A: 80.00 (price 40.00 + quality 40.00)" in key and "PV-T-" not in key
    assert "Valmora 2024: 5 tenders" in run.text
    assert "Scores at price weight 40: A wins" in plotly_titles(run)


# ---------------------------------------------------------------- a city's own bids, as a papermill parameter

CITY_BIDS = (
    "Bidder;Price;Quality\n"
    "Jardines Añón S.L.;118.500,00;72,5\n"
    "Parques del Sur S.A.;97.250,00;61\n"
    "Verde Vivo S.L.;130.000,00;80\n"
)


@pytest.fixture(scope="module")
def bids_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("city-bids")
    (folder / "licitacion.csv").write_bytes(CITY_BIDS.encode("cp1252"))  # Windows-1252, semicolons, 1.234,50
    (folder / "broken.csv").write_text("bidder,price,quality\nA,abc,50\n", encoding="utf-8")
    return folder


def test_tendering_on_a_citys_own_bids(bids_files):
    run = run_notebook("06", bids_file=str(bids_files / "licitacion.csv"))
    assert "ERROR" not in run.text and "Traceback" not in run.text
    assert "Using your bids from licitacion.csv (3 bids), scored at a price weight of 40" in run.text
    key = run.cell_text("keep-output")
    # by hand, relative formula at 40: Verde Vivo 40 x 97,250/130,000 + 60 x 0.80 = 29.92 + 48 = 77.92;
    # Parques del Sur 40 + 60 x 0.61 = 76.60; Jardines Añón 40 x 97,250/118,500 + 43.5 = 76.33
    assert "licitacion.csv: relative formula, price weight 40" in key
    assert "1. Verde Vivo S.L.: 77.92 (price 29.92 + quality 48.00)" in key
    assert "2. Parques del Sur S.A.: 76.60 (price 40.00 + quality 36.60)" in key
    assert "3. Jardines Añón S.L.: 76.33 (price 32.83 + quality 43.50)" in key
    assert "Scores at price weight 40: Verde Vivo S.L. wins" in plotly_titles(run)
    assert "Your bids (licitacion.csv), relative formula. At price weight 40: Verde Vivo S.L. wins" in run.text
    assert "PV-T-2025-017 (published" not in run.text


def test_tendering_with_a_broken_bids_file_says_so_and_goes_on(bids_files):
    run = run_notebook("06", bids_file=str(bids_files / "broken.csv"))
    assert "ERROR" not in run.text and "Traceback" not in run.text
    assert "Your bids could not be used: broken.csv, line 2: the price 'abc' is not a number." in run.text
    assert "1. Juegos del Puerto S.L.: 86.58" in run.cell_text("keep-output")  # the course's tender instead


def test_tendering_shows_the_playground_drafts_commitments():
    run = run_notebook("06")
    assert "ERROR" not in run.text
    assert "People facing barriers to work employed on the contract" in run.text
    assert "priority_group_hires" in run.text and "none in the library" in run.text
