"""Module 4 logic: objectives and their checks, the strategy summary export, the lotting advisor
(turnover caps and local SME counts worked out by hand), divide-or-explain, and the cases."""
from __future__ import annotations

import datetime as dt

import docx
import pandas as pd
import pytest

from helpers.core.errors import LearnerError
from helpers.ui.exports import save_report
from helpers.strategy.model import (
    CASES, OUTCOMES, TURNOVER_NOTE, Objective, cpv_division_of, divide_or_explain, lot_plan, objectives_from_dict,
    objectives_to_dict, place_suppliers, strategy_summary, suggested_indicators, validate_objectives)

TODAY = "2026-01-15"


def good() -> Objective:
    return Objective("local_economy", "share of spend with suppliers in the city", 12.0, "2024 spend analysis",
                     20.0, dt.date(2028, 12, 31), "%")


def messages(objs):
    return [(i.objective, i.field, i.severity) for i in validate_objectives(objs, today=TODAY)]


def test_outcomes_have_indicators():
    assert set(OUTCOMES) == {"local_economy", "smes_social_economy", "carbon", "innovation", "gender_equality",
                             "fair_work"}
    table = suggested_indicators()
    assert table.loc[table["indicator"] == "% of spend with SMEs", "unit"].item() == "%"
    assert table.loc[table["outcome"] == "carbon", "better_when"].tolist() == ["lower", "higher"]


def test_a_good_objective_has_no_issues():
    assert validate_objectives([good()], today=TODAY) == []


def test_target_without_baseline_or_date_is_flagged():
    no_base = Objective("local_economy", "share of spend with suppliers in the city", None, "", 20.0,
                        dt.date(2028, 1, 1), "%")
    no_date = Objective("local_economy", "share of spend with suppliers in the city", 12.0, "analysis", 20.0,
                        None, "%")
    assert messages([no_base, no_date]) == [(1, "baseline", "warning"), (2, "target_date", "warning")]


def test_past_date_wrong_direction_and_flat_target():
    past = good()
    past.target_date = dt.date(2026, 1, 15)                   # today is not in the future
    wrong = good()
    wrong.target = 10.0                                       # share should go up, target goes down
    carbon = Objective("carbon", "emissions from purchased goods and services", 5000, "2024 estimate", 6000,
                       dt.date(2030, 1, 1), "tCO2e")          # lower is better: 6000 > 5000 is wrong
    carbon_ok = Objective("carbon", "emissions from purchased goods and services", 5000, "2024 estimate", 4000,
                          dt.date(2030, 1, 1), "tCO2e")
    flat = good()
    flat.target = 12.0
    assert messages([past, wrong, carbon, carbon_ok, flat]) == [
        (1, "target_date", "warning"), (2, "target", "warning"), (3, "target", "warning"), (5, "target", "warning")]
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
        (1, "unit", "warning"), (2, "target", "error"), (3, "outcome", "error"), (3, "indicator", "error"),
        (4, "baseline_source", "warning")]


def test_objectives_round_trip_and_bad_saved_data():
    objs = [good(), Objective("innovation", "innovation procurements started per year", None, "", None, None,
                              "count", "higher")]
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
    assert "| Local economy | share of spend with suppliers in the city | 12% | 2024 spend analysis | 20% | 2028-12-31 |" in md
    assert "Objective 2 (warning): the target moves the wrong way" in md
    document = docx.Document(str(save_report(report, tmp_path / "strategy.docx")))
    assert document.tables[0].rows[1].cells[4].text == "20%"


# -- lotting -------------------------------------------------------------------------------------------
REGISTER = pd.DataFrame({
    "supplier_id": list("ABCDEFGH"),
    "name": [f"Firm {c}" for c in "ABCDEFGH"],
    "postcode": ["46012", "46300", "46101", "46001", "50001", "46002", "46003", "46004"],
    "country": ["XM", "XM", "XM", "XM", "XM", "DE", "XM", "XM"],
    "size_class": ["small", "micro", "medium", "large", "small", "small", "small", "small"],
    "turnover_eur": [150_000, 100_000, 200_000, 10_000_000, 1_000_000, 1_000_000, 1_000_000, None],
    "cpv_division": ["37", "37", 37, "37", "37", "37", "45", "37"],
})
# Local SMEs in division 37: A (city), B (region), C (city), H (city, turnover unknown) = 4.
# D is large, E is elsewhere in the country, F is abroad (DE) though its postcode starts 460, G is division 45.
GEOGRAPHY = pd.DataFrame({"postcode_prefix": ["460", "461", "463", "500"],
                          "place": ["Portavera", "Portavera", "Playa", "Norte"],
                          "level": ["city", "city", "region", "country"]})


def test_place_suppliers_levels():
    placed = place_suppliers(REGISTER, GEOGRAPHY).set_index("supplier_id")
    assert placed["level"].to_dict() == {"A": "city", "B": "region", "C": "city", "D": "city", "E": "country",
                                         "F": "abroad", "G": "city", "H": "city"}
    assert placed["local_sme"].sum() == 4 + 1                  # A, B, C, H and G (division 45)


def test_lot_caps_and_counts_with_the_default_ratio():
    plan = lot_plan(400_000, 4, REGISTER, "37535200-9", GEOGRAPHY)
    assert plan["lot"].tolist() == ["whole contract", "lot 1", "lot 2", "lot 3", "lot 4"]
    assert plan["max_turnover_requirement"].tolist() == [800_000, 200_000, 200_000, 200_000, 200_000]
    assert plan["local_smes_in_division"].tolist() == [4] * 5
    # whole: nobody has 800k; lots: only C has at least 200k (exactly 200k counts)
    assert plan["local_smes_able"].tolist() == [0, 1, 1, 1, 1]


def test_lighter_ratio_annual_basis_and_city_only():
    assert lot_plan(400_000, 4, REGISTER, 37, GEOGRAPHY, turnover_ratio=1)["local_smes_able"].tolist() == [0, 3, 3, 3, 3]
    annual = lot_plan(400_000, [100_000, 300_000], REGISTER, 37, GEOGRAPHY, contract_years=2, include_whole=False)
    # lot 1: 100k / 2 years = 50k a year x 2 = 100k -> A, B, C; lot 2: 150k x 2 = 300k -> none
    assert annual["required_turnover"].tolist() == [100_000, 300_000]
    assert annual["max_turnover_requirement"].tolist() == [200_000, 600_000]
    assert annual["local_smes_able"].tolist() == [3, 0]
    city = lot_plan(400_000, 4, REGISTER, 37, GEOGRAPHY, city_levels=("city",), turnover_ratio=1)
    assert city["local_smes_in_division"].tolist()[1] == 3 and city["local_smes_able"].tolist()[1] == 2  # A, C
    short = lot_plan(100_000, 1, REGISTER, 37, GEOGRAPHY, contract_years=0.5, include_whole=False)
    assert short["required_turnover"].item() == 200_000           # never above the cap
    assert "twice the contract value" in TURNOVER_NOTE and "secondary" in TURNOVER_NOTE


@pytest.mark.parametrize("kwargs, match", [
    ({"turnover_ratio": 2.5}, "cap"), ({"lots": [100_000, 200_000]}, "add up"), ({"lots": 0}, "1 or more"),
    ({"contract_value": -5}, "above zero"), ({"cpv_division": "playground"}, "CPV")])
def test_lot_plan_errors(kwargs, match):
    args = {"contract_value": 400_000, "lots": 4, "register": REGISTER, "cpv_division": 37, "geography": GEOGRAPHY}
    args.update(kwargs)
    with pytest.raises(LearnerError, match=match):
        lot_plan(**args)


def test_divide_or_explain():
    assert divide_or_explain(3).startswith("The contract is divided into 3 lots.")
    text = divide_or_explain([400_000])
    assert "Article 46" in text and "[write here" in text
    assert divide_or_explain(1, "the equipment must work as one system.").endswith(
        "Reasons: the equipment must work as one system.")


def test_cpv_division_of():
    assert [cpv_division_of(v) for v in ("37", 37, "37535200-9", "3", "03000000-1", 45.0)] == [
        "37", "37", "37", "03", "03", "45"]


def test_cases_have_sources_and_figures():
    assert set(CASES) == {"preston", "koszalin", "famalicao", "rotterdam"}
    assert all(c["sources"] and all(s.startswith("http") for s in c["sources"]) for c in CASES.values())
    assert "€221,000" in CASES["rotterdam"]["text"] and "€60,000" in CASES["rotterdam"]["text"]
    assert "3-5" in CASES["rotterdam"]["text"]
    assert "18.2%" in CASES["preston"]["text"] and "recurring" not in CASES["preston"]["text"]
