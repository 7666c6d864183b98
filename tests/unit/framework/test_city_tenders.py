"""Module 2: the course city's tenders against the EU thresholds."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.core.errors import LearnerError
from helpers.framework.city_tenders import city_tenders_check, tenders_against_thresholds, verdict_counts


def test_tenders_against_thresholds_by_hand():
    tenders = pd.DataFrame(
        {
            "tender_id": ["A", "B", "C", "D"],
            "city": ["x", "x", "x", "y"],
            "title": ["a", "b", "c", "d"],
            "main_category": ["services", "goods", "works", "services"],
            "procedure": ["open", "open", "open", "open"],
            "estimated_value_eur": [221_000.0, 220_999.0, 6_000_000.0, 1e6],
            "publication_date": pd.to_datetime(["2025-03-01", "2025-04-01", "2025-05-01", "2025-03-01"]),
            "submission_deadline": pd.to_datetime(["2025-03-21", "2025-04-11", "2025-06-15", "2025-04-01"]),
        }
    )
    checked = tenders_against_thresholds(tenders, "x", 2025)
    assert checked["tender"].tolist() == ["A", "B", "C"]
    assert checked["verdict"].tolist() == ["above", "below", "above"]
    assert checked["contract type"].tolist() == ["services", "supplies", "works"]
    assert checked["days for tenders"].tolist() == [20, 10, 45]
    assert checked["check"].tolist()[0].startswith("under 30 days") and checked["check"].tolist()[1:] == ["", ""]
    assert verdict_counts(checked) == "3 tenders: 2 above the EU threshold, 1 below; 1 to check."
    with pytest.raises(LearnerError, match="no column"):
        tenders_against_thresholds(tenders.drop(columns=["procedure"]), "x", 2025)


def test_city_tenders_check_on_the_shipped_data():
    checked = city_tenders_check("portavera", 2025)
    assert verdict_counts(checked) == "34 tenders: 22 above the EU threshold, 12 below; 1 to check."
    row = checked.set_index("tender").loc["PV-T-2025-017"]  # the playground tender
    assert (row["contract type"], row["threshold (€)"], row["verdict"]) == ("supplies", 221_000, "above")
