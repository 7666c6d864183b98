"""Loading the shipped data through datapackage.json."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers import data
from helpers.core.errors import LearnerError


def test_cities_and_city_info():
    assert data.cities() == ["portavera", "valmora", "nordhaven"]
    info = data.city_info("portavera")
    assert (info["name"], info["population"], info["region"]) == ("Portavera", 310_000, "Costa Alta")
    assert info["home_country"] == "Meridia (fictional)" and info["city_postcode_prefixes"] == ["460", "461", "462"]


def test_suppliers_are_typed_and_ids_keep_leading_zeros():
    sup = data.load_table("suppliers", city="portavera")
    assert len(sup) == 1800
    assert sup["supplier_id"].iloc[0] == "000001"
    assert sup["social_economy"].dtype == bool and sup["employees"].dtype == "int64"
    first = sup.iloc[0]
    assert (first["name"], first["size_class"], bool(first["social_economy"])) == (
        "Juegos del Puerto S.L.",
        "small",
        False,
    )


def test_shared_tables_are_typed_and_filtered_by_city():
    tenders = data.load_table("tenders", city="portavera")
    assert (tenders["city"] == "portavera").all() and len(tenders) == 120
    assert str(tenders["publication_date"].dtype).startswith("datetime64")
    bids = data.load_table("bids", city="valmora")
    assert bids["tender_id"].str.startswith("VM-T-").all() and bids["winner"].dtype == bool
    returns = data.load_table("kpi_returns", city="portavera")
    assert returns["contract_id"].str.startswith("PV-C-").all()
    contract = data.load_table("contracts").set_index("contract_id").loc["PV-C-2025-017"]
    assert contract["monthly_charge_eur"] == pytest.approx(22_604.17)
    assert contract["start_date"] == pd.Timestamp("2025-10-01")


def test_tables_are_copies():
    first = data.load_table("cpv_divisions")
    first.loc[0, "name"] = "changed"
    assert data.load_table("cpv_divisions").loc[0, "name"] != "changed"


def test_clear_errors_name_the_valid_choices():
    with pytest.raises(LearnerError, match="portavera, valmora, nordhaven"):
        data.city_info("Portavera ")
    with pytest.raises(LearnerError, match="2024, 2025"):
        data.ledger_path("valmora", 2023)
    with pytest.raises(LearnerError, match="once per city"):
        data.load_table("suppliers")
    with pytest.raises(LearnerError, match="tenders"):
        data.load_table("tender")
    with pytest.raises(LearnerError, match="ledger_path"):
        data.load_table("ledger_2024", city="portavera")
