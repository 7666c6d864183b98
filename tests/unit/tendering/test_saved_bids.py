"""Module 6, the learner's own bids: kept in my_work/bids/ atomically and never overwritten silently, read
back with the upload's checks, and the lesson's own-bids parameter that never raises."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from helpers.core.errors import LearnerError
from helpers.tendering.bids import example_bids
from helpers.tendering.saved_bids import evaluation_case, load_saved_bids, save_bids, saved_bids

BIDS = Path(__file__).resolve().parents[2] / "fixtures" / "bids"
# a city's export: Windows-1252, semicolons, European numbers, accents
CITY_BIDS = (
    "Bidder;Price;Quality\n"
    "Jardines Añón S.L.;118.500,00;72,5\n"
    "Parques del Sur S.A.;97.250,00;61\n"
    "Verde Vivo S.L.;130.000,00;80\n"
)


def test_save_bids_round_trips_and_never_overwrites(work_dir):
    path, what = save_bids(example_bids(True), "My bids (2025).csv")
    assert path == work_dir / "bids" / "My_bids_2025.csv" and what == "kept a copy as my_work/bids/My_bids_2025.csv"
    back = load_saved_bids(path.name)
    assert back.values.tolist() == example_bids(True).values.tolist()  # exactly the same bids back
    again, what = save_bids(example_bids(True), "My bids (2025).csv")
    assert again == path and what.startswith("already kept")
    other, what = save_bids(example_bids(False), "My bids (2025).csv")
    assert other.name == "My_bids_2025-2.csv" and "a different My_bids_2025.csv was kept already" in what
    assert len(load_saved_bids(path.name)) == 3 and len(load_saved_bids(other.name)) == 2  # both intact
    assert {p.name for p in saved_bids()} == {"My_bids_2025.csv", "My_bids_2025-2.csv"}
    assert not list((work_dir / "bids").glob(".*tmp"))  # no half-written file left


def test_saved_bids_neutralise_formulas(work_dir):
    evil = pd.DataFrame({"bidder": ["=HYPERLINK(1)", "B"], "price": [1.0, 2.0], "quality_pct": [50.0, 60.0]})
    path, _ = save_bids(evil, "evil")
    assert path.read_text(encoding="utf-8").splitlines()[1].startswith("'=HYPERLINK(1)")


def test_missing_saved_bids_say_why(work_dir):
    with pytest.raises(LearnerError, match="the bids you kept, my_work/bids/gone.csv, are no longer there"):
        load_saved_bids("gone.csv")


def test_evaluation_case_on_a_citys_file(tmp_path):
    path = tmp_path / "licitacion.csv"
    path.write_bytes(CITY_BIDS.encode("cp1252"))
    case = evaluation_case("portavera", "PV-T-2025-017", bids_file=path, price_weight=40)
    assert case.own and case.tender is None and case.label == "licitacion.csv"
    assert case.bids["price"].tolist() == [118500.0, 97250.0, 130000.0]
    assert case.bids["quality_pct"].tolist() == [72.5, 61.0, 80.0]
    assert case.bids["bidder"].tolist()[0] == "Jardines Añón S.L."
    assert case.summary == (
        "Using your bids from licitacion.csv (3 bids), scored at a price weight of 40 (the price_weight parameter)."
    )


def test_evaluation_case_falls_back_plainly(tmp_path):
    case = evaluation_case("portavera", "PV-T-2025-017", bids_file=BIDS / "bad_price.csv")
    assert not case.own and case.tender == "PV-T-2025-017" and case.price_weight == 40
    assert case.summary.startswith(
        "Your bids could not be used: bad_price.csv, line 3: the price 'abc' is not a number."
    )
    assert case.summary.endswith("Using tender PV-T-2025-017 (published price weight 40).")
    missing = evaluation_case("valmora", None, bids_file=tmp_path / "none.csv")
    assert "this bids file does not exist" in missing.summary and "course's example bids A and B" in missing.summary
