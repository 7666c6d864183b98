"""Module 6 bids: a shipped tender's bids and marks, the city's featured tender, the learner's own bids."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers.core.errors import LearnerError
from helpers.tendering.bids import (
    bids_from_form,
    choose_tender,
    marks_table,
    read_uploaded_bids,
    tender_bids,
    tender_marks,
)

BIDS = Path(__file__).resolve().parents[2] / "fixtures" / "bids"


def test_playground_bids_quality_from_the_marks():
    bids = tender_bids("PV-T-2025-017").set_index("bidder")
    # Juegos del Puerto: 4/5×20 + 4/5×15 + 5/5×15 + 4/5×10 = 51 of 60 points = 85 %
    assert bids.loc["Juegos del Puerto S.L.", "quality_pct"] == pytest.approx(85.0)
    assert bids.loc["PlayForm Europe B.V.", "quality_pct"] == pytest.approx(100 * 37 / 60)
    grid = marks_table(tender_marks("PV-T-2025-017")).set_index("bidder")
    assert grid.loc["Juegos del Puerto S.L.", "maintenance plan (15)"] == 5
    assert grid.loc["Ludoteca Costa Alta Coop.", "quality_points"] == 53.0


def test_choose_tender_falls_back_for_a_city_without_a_featured_tender():
    assert choose_tender("portavera") == "PV-T-2025-017"
    assert choose_tender("portavera", "PV-T-2024-009") == "PV-T-2024-009"
    assert choose_tender("valmora") is None and choose_tender("nordhaven", "PV-T-2025-017") is None


def test_bids_from_form_and_upload_name_the_row():
    assert bids_from_form([("A", "100000", "66.67"), ("", "", ""), ("B", "130 000", "80")])["price"].tolist() == [
        100000.0,
        130000.0,
    ]
    with pytest.raises(LearnerError, match=r"the bids form, line 2: the price 'abc' is not a number"):
        bids_from_form([("A", "100000", "66.67"), ("B", "abc", "80")])
    with pytest.raises(LearnerError, match="line 2: the bidder 'A' appears twice"):
        bids_from_form([("A", "1", "1"), ("A", "2", "2")])
    with pytest.raises(LearnerError, match=r"bad_price.csv, line 3: the price 'abc' is not a number"):
        read_uploaded_bids("bad_price.csv", (BIDS / "bad_price.csv").read_bytes())
    with pytest.raises(LearnerError, match="no column 'quality'"):
        read_uploaded_bids("x.csv", b"bidder,price\nA,1\n")


def test_uploaded_bids_are_read_by_the_one_table_reader():
    # helpers.core.tables: a Windows-1252 file with semicolons and capitalised headers reads like any other
    raw = "Bidder;Price;Quality\r\nJuegos Peña;100 000;66.5\r\n\r\nB;130000;80\r\n".encode("cp1252")
    bids = read_uploaded_bids("bids.csv", raw)
    assert bids.to_dict("records") == [
        {"bidder": "Juegos Peña", "price": 100000.0, "quality_pct": 66.5},
        {"bidder": "B", "price": 130000.0, "quality_pct": 80.0},
    ]
    with pytest.raises(LearnerError, match=r"bids.csv, line 4: the price 'x' is not a number"):
        read_uploaded_bids("bids.csv", b"bidder,price,quality\nA,1,1\n\nB,x,1\n")  # the physical line
    with pytest.raises(LearnerError, match="cannot read the bids table"):
        read_uploaded_bids("bids.csv", b"")
