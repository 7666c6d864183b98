"""The course's open social-value measure set and the checks on claims: double counting, additionality,
unknown proxies (never zero), the learner's own local area."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.core.content import items
from helpers.core.errors import LearnerError
from helpers.monitoring.measure_checks import (
    additionality_issues,
    check_claims,
    claims_value,
    double_counting_issues,
    local_area_issues,
    measure_set,
    measure_set_licence,
    proxies_for,
    proxy_issues,
)
from helpers.monitoring.social_value import MEASURE_NAMES


def claims(*rows):
    columns = ["contract_id", "measure", "outcome_ref", "quantity", "already_employed", "would_have_happened_anyway"]
    return pd.DataFrame([dict(zip(columns, row, strict=False)) for row in rows])


def test_the_set_is_open_sourced_and_covers_the_course_data_measures():
    table = measure_set()
    assert measure_set_licence().startswith("CC BY 4.0")
    assert set(MEASURE_NAMES) <= set(table["id"])  # every measure of the course data is defined openly
    assert len(table) == 7
    # a proxy only where a source sets one: exactly one, the EIB shadow cost of carbon, cited
    sourced = table[table["proxy_eur"].notna()]
    assert sourced["id"].tolist() == ["co2_tonnes_saved"] and sourced["proxy_eur"].iloc[0] == 250
    assert (
        "EIB Group Climate Bank Roadmap" in sourced["source"].iloc[0] and "10.2867/503343" in sourced["source"].iloc[0]
    )
    assert all(item["status"] == "course design" for item in items("monitoring_social_value_measures")
               if item["proxy_eur"] is None)  # fmt: skip
    assert not any("TOMs" in item["source"] for item in items("monitoring_measures"))


def test_the_same_outcome_under_two_measures_or_two_contracts_is_double_counting():
    found = double_counting_issues(
        claims(
            ("C1", "local_hires", "P-7", 1),
            ("C1", "apprenticeships", "P-7", 1),
            ("C2", "local_hires", "P-9", 1),
            ("C3", "local_hires", "P-9", 1),
            ("C1", "training_hours", "T-1", 20),
            ("C1", "training_hours", "T-1", 20),
            ("C1", "training_hours", "", 5),  # no reference: nothing to compare
        )
    )
    assert [(i.code, i.severity, i.where) for i in found] == [
        ("double-counted-measures", "warning", "claims 1, 2"),
        ("double-counted-contracts", "error", "claims 3, 4"),
        ("double-counted-rows", "error", "claims 5, 6"),
    ]
    assert "P-9" in found[1].message and "C2, C3" in found[1].message


def test_claims_that_are_not_additional_are_errors_and_not_saying_is_a_question():
    found = additionality_issues(
        claims(
            ("C1", "local_hires", "P-1", 1, "yes", ""),
            ("C1", "local_hires", "P-2", 1, "no", "yes"),
            ("C1", "local_hires", "P-3", 1, "no", "no"),
            ("C1", "local_hires", "P-4", 1, "", ""),
            ("C1", "training_hours", "T-1", 10, "", ""),  # not a people measure: nothing to ask
        )
    )
    assert [(i.code, i.severity, i.item) for i in found] == [
        ("not-additional-employed", "error", 0),
        ("not-additional-anyway", "error", 1),
        ("additionality-unknown", "info", 3),
    ]


def test_an_unknown_proxy_is_unknown_never_zero():
    assert proxies_for(["co2_tonnes_saved", "local_hires"]) == {"co2_tonnes_saved": 250.0, "local_hires": None}
    assert proxies_for(["local_hires"], {"local_hires": 1200}) == {"local_hires": 1200.0}
    found = proxy_issues(["local_hires", "co2_tonnes_saved", "tom_nt1"])
    assert [(i.code, i.where) for i in found] == [("proxy-unknown", "local_hires"), ("unknown-measure", "tom_nt1")]
    value = claims_value(
        claims(
            ("C1", "co2_tonnes_saved", "E-1", 12.5),
            ("C1", "local_hires", "P-1", 1, "no"),
            ("C1", "local_hires", "P-2", 1, "yes"),  # already employed: left out
            ("C1", "apprenticeships", "P-1", 1, "no"),  # P-1 again: counted once
        )
    ).set_index("measure")
    assert value.loc["co2_tonnes_saved", "value"] == "EUR 3,125.00"
    assert value.loc["local_hires", "value"] == "unknown" and value.loc["local_hires", "quantity"] == "1 person"
    assert value.loc["co2_tonnes_saved", "quantity"] == "12.5 tCO2e"
    assert value.loc["apprenticeships", "quantity"] == "0 people"
    assert value.loc["local_hires", "claims left out"] == 1
    assert value.loc["apprenticeships", "claims counted"] == 0


def test_local_measures_need_the_learners_own_local_area():
    assert [i.code for i in local_area_issues(["local_hires", "co2_tonnes_saved"])] == ["local-area-undefined"]
    assert local_area_issues(["local_hires"], "Portavera municipality") == []
    assert local_area_issues(["co2_tonnes_saved"]) == []
    codes = [i.code for i in check_claims(claims(("C1", "local_hires", "P-1", 1, "no")), local_area="the city")]
    assert codes == ["proxy-unknown"]


def test_a_claims_table_without_its_columns_is_named():
    with pytest.raises(LearnerError, match="no column outcome_ref, quantity"):
        check_claims(pd.DataFrame({"contract_id": ["C1"], "measure": ["local_hires"]}))
