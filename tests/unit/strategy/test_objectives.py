"""Module 4 objectives: their checks, the round trip through the progress store, the strategy summary export."""

from __future__ import annotations

import datetime as dt

import docx
import pytest

from helpers.core.errors import LearnerError
from helpers.strategy.objectives import (
    OUTCOMES,
    Objective,
    objectives_from_dict,
    objectives_to_dict,
    strategy_summary,
    suggested_indicators,
    validate_objectives,
)
from helpers.ui.exports import save_report

TODAY = "2026-01-15"


def good() -> Objective:
    return Objective(
        "local_economy",
        "share of spend with suppliers in the city",
        12.0,
        "2024 spend analysis",
        20.0,
        dt.date(2028, 12, 31),
        "%",
    )


def messages(objs):
    return [(i.item + 1, i.field, i.severity) for i in validate_objectives(objs, today=TODAY)]


def test_outcomes_have_indicators():
    assert set(OUTCOMES) == {
        "local_economy",
        "smes_social_economy",
        "carbon",
        "innovation",
        "gender_equality",
        "fair_work",
    }
    table = suggested_indicators()
    assert table.loc[table["indicator"] == "% of spend with SMEs", "unit"].item() == "%"
    assert table.loc[table["outcome"] == "carbon", "better_when"].tolist() == ["lower", "higher"]


def test_a_good_objective_has_no_issues():
    assert validate_objectives([good()], today=TODAY) == []


def test_target_without_baseline_or_date_is_flagged():
    no_base = Objective(
        "local_economy", "share of spend with suppliers in the city", None, "", 20.0, dt.date(2028, 1, 1), "%"
    )
    no_date = Objective("local_economy", "share of spend with suppliers in the city", 12.0, "analysis", 20.0, None, "%")
    assert messages([no_base, no_date]) == [(1, "baseline", "warning"), (2, "target_date", "warning")]


def test_past_date_wrong_direction_and_flat_target():
    past = good()
    past.target_date = dt.date(2026, 1, 15)  # today is not in the future
    wrong = good()
    wrong.target = 10.0  # share should go up, target goes down
    carbon = Objective(
        "carbon",
        "emissions from purchased goods and services",
        5000,
        "2024 estimate",
        6000,
        dt.date(2030, 1, 1),
        "tCO2e",
    )  # lower is better: 6000 > 5000 is wrong
    carbon_ok = Objective(
        "carbon",
        "emissions from purchased goods and services",
        5000,
        "2024 estimate",
        4000,
        dt.date(2030, 1, 1),
        "tCO2e",
    )
    flat = good()
    flat.target = 12.0
    assert messages([past, wrong, carbon, carbon_ok, flat]) == [
        (1, "target_date", "warning"),
        (2, "target", "warning"),
        (3, "target", "warning"),
        (5, "target", "warning"),
    ]
    text = validate_objectives([carbon], today=TODAY)[0].message
    assert "better when lower" in text


def test_unit_mismatch_percent_range_unknown_outcome_and_missing_source():
    unit = good()
    unit.unit = "EUR"
    pct = good()
    pct.target = 120.0
    unknown = Objective("happiness", "", 1, "x", 2, dt.date(2030, 1, 1), "count")
    nosource = good()
    nosource.baseline_source = " "
    assert messages([unit, pct, unknown, nosource]) == [
        (1, "unit", "warning"),
        (2, "target", "error"),
        (3, "outcome", "error"),
        (3, "indicator", "error"),
        (4, "baseline_source", "warning"),
    ]


def test_objectives_round_trip_and_bad_saved_data():
    objs = [
        good(),
        Objective("innovation", "innovation procurements started per year", None, "", None, None, "count", "higher"),
    ]
    data = objectives_to_dict(objs)
    assert data["objectives"][0]["target_date"] == "2028-12-31"
    assert objectives_from_dict(data) == objs
    with pytest.raises(LearnerError):
        objectives_from_dict({"objectives": "x"})
    with pytest.raises(LearnerError, match="not a date"):
        objectives_from_dict({"objectives": [{"outcome": "carbon", "indicator": "x", "target_date": "soon"}]})


def test_strategy_summary_exports_markdown_and_docx(tmp_path):
    wrong = good()
    wrong.target = 10.0
    report = strategy_summary([good(), wrong], "Portavera", today=TODAY)
    md = save_report(report, tmp_path / "strategy.md").read_text(encoding="utf-8")
    assert "# Procurement strategy objectives: Portavera" in md
    assert (
        "| Local economy | share of spend with suppliers in the city | 12% | 2024 spend analysis | 20% | 2028-12-31 |"
        in md
    )
    assert "Objective 2 (warning): the target moves the wrong way" in md
    document = docx.Document(str(save_report(report, tmp_path / "strategy.docx")))
    assert document.tables[0].rows[1].cells[4].text == "20%"


def test_an_unknown_share_gives_no_baseline_and_says_why():
    from helpers.strategy.objectives import baseline_for, baseline_unknown, baselines_table

    head = {
        "total": 1000.0,
        "local_share_city": None,
        "unknown_location_share": 1.0,
        "sme_share": 0.35,
        "unknown_size_share": 0.0,
        "local_share_region": None,
        "social_economy_share": 0.0,
        "unknown_social_economy_share": 0.0,
    }
    assert baseline_for("share of spend with suppliers in the city", head) is None  # not 0
    assert baseline_for("% of spend with SMEs", head) == 35.0
    assert baseline_for("% of spend with social-economy organisations", head) == 0.0  # a known zero stays
    assert "geography table" in baseline_unknown("share of spend with suppliers in the city", head)
    assert baseline_unknown("% of spend with SMEs", head) == ""
    table = baselines_table(head, "Our city 2024 spend analysis (module 3)").set_index("indicator")
    assert table.loc["share of spend with suppliers in the city", "baseline"] == "unknown"
    assert table.loc["% of spend with SMEs", "baseline"] == "35%"
    assert table.loc["% of spend with SMEs", "source, or why unknown"] == "Our city 2024 spend analysis (module 3)"
