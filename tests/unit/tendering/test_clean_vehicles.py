"""The Clean Vehicles Directive's targets: the content file's shape and sources, and the lookup. The figures have
not been read from the Annex yet (see the content file's header): every unverified figure must be empty and shown as
"unknown", and every verified one a percentage."""

from __future__ import annotations

import datetime as dt

import pytest

from helpers.core.content import content_file
from helpers.core.errors import LearnerError
from helpers.tendering import clean_vehicle_target, clean_vehicle_targets

CELEX_URL = "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32019L1161"
FIGURES = [f"{c}_{p}" for c in ("light_duty", "trucks", "buses") for p in ("2021_2025", "2026_2030")]


def test_the_file_covers_the_27_member_states_and_cites_celex_32019l1161():
    data = content_file("tendering_clean_vehicles_targets")
    assert len(data["items"]) == 27 and len({i["id"] for i in data["items"]}) == 27
    assert data["celex"] == "32019L1161" and data["law_url"] == CELEX_URL
    assert all(CELEX_URL in item["source"] for item in data["items"])
    assert [(p["start"], p["end"]) for p in data["periods"]] == [
        (dt.date(2021, 8, 2), dt.date(2025, 12, 31)),
        (dt.date(2026, 1, 1), dt.date(2030, 12, 31)),
    ]


def test_no_figure_is_guessed():
    for item in content_file("tendering_clean_vehicles_targets")["items"]:
        values = [item[f] for f in FIGURES]
        if item["status"] == "verified":
            assert all(isinstance(v, (int, float)) and 0 <= v <= 100 for v in values), item["id"]
            assert item["checked"], item["id"]
        else:
            assert all(v is None for v in values), f"{item['id']}: an unverified figure must stay empty"


def test_lookup_names_the_period_the_table_and_says_unknown():
    target = clean_vehicle_target("Spain", "buses", "2026-03-01")
    assert (target.code, target.category, target.table) == ("ES", "buses", "Annex, Table 4")
    assert target.period == "1 January 2026 to 31 December 2030"
    item = {i["id"]: i for i in content_file("tendering_clean_vehicles_targets")["items"]}["ES"]
    if item["status"] != "verified":
        assert target.share_pct is None
        assert "minimum share unknown here" in target.sentence() and CELEX_URL in target.sentence()
    early = clean_vehicle_target("de", "cars and vans", dt.date(2023, 5, 1))
    assert (early.member_state, early.category, early.table) == ("Germany", "light_duty", "Annex, Table 3")
    assert early.period == "2 August 2021 to 31 December 2025"
    assert clean_vehicle_target("Czechia", "N3", "2030-12-31").category == "trucks"
    table = clean_vehicle_targets("FR")
    assert len(table) == 6 and set(table["Annex"]) == {"Annex, Table 3", "Annex, Table 4"}
    if item["status"] != "verified":
        assert set(clean_vehicle_targets("ES")["minimum share"]) == {"unknown"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("Norway", "buses", "2026-01-01"), "not an EU Member State"),
        (("Spain", "motorbikes", "2026-01-01"), "not a vehicle category"),
        (("Spain", "buses", "2021-08-01"), "outside the Directive's reference periods"),
        (("Spain", "buses", "2031-01-01"), "outside the Directive's reference periods"),
    ],
)
def test_lookup_refuses_what_the_directive_does_not_cover(args, message):
    with pytest.raises(LearnerError, match=message):
        clean_vehicle_target(*args)
