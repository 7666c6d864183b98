"""Module 2: the EU thresholds by contract, buyer and date; the verdict around each; the content file."""

from __future__ import annotations

import datetime as dt

import pytest

from helpers.core.content import items
from helpers.core.errors import LearnerError
from helpers.framework import thresholds
from helpers.framework.advice import advise

# (contract type, buyer type, a date in the period, threshold) for every category and period of the facts table
CASES = [
    ("works", "sub_central", "2023-06-01", 5_382_000),
    ("works", "central", "2025-06-01", 5_538_000),
    ("works", "sub_central", "2026-03-01", 5_404_000),
    ("services", "sub_central", "2022-01-01", 215_000),
    ("supplies", "sub_central", "2025-06-01", 221_000),
    ("services", "sub_central", "2025-06-01", 221_000),
    ("services", "sub_central", "2026-03-01", 216_000),
    ("supplies", "central", "2023-12-31", 140_000),
    ("services", "central", "2024-01-01", 143_000),
    ("supplies", "central", "2027-12-31", 140_000),
    ("social_services", "sub_central", "2022-06-01", 750_000),
    ("social_services", "central", "2025-06-01", 750_000),
    ("social_services", "sub_central", "2026-03-01", 750_000),
    ("supplies", "utility", "2023-06-01", 431_000),
    ("services", "utility", "2025-06-01", 443_000),
    ("services", "utility", "2026-03-01", 432_000),
    ("concession", "sub_central", "2023-06-01", 5_382_000),
    ("concession", "utility", "2025-06-01", 5_538_000),
    ("concession", "central", "2026-03-01", 5_404_000),
]


@pytest.mark.parametrize("contract, buyer, day, threshold", CASES)
def test_threshold_and_verdict_around_it(contract, buyer, day, threshold):
    assert thresholds.threshold_for(contract, buyer, day) == threshold
    assert advise(contract, threshold - 1, buyer, day).above_threshold is False
    # equal to the threshold counts as above: the Directive applies at or above it
    at = advise(contract, threshold, buyer, day)
    assert at.above_threshold is True and at.threshold_eur == threshold
    assert advise(contract, threshold + 1, buyer, day).above_threshold is True


def test_services_city_examples_around_the_threshold():
    assert not advise("services", 220_999, "sub_central", "2025-06-01").above_threshold
    assert advise("services", 221_000, "sub_central", "2025-06-01").above_threshold
    assert not advise("services", 215_999, "sub_central", "2026-03-01").above_threshold
    assert advise("services", 216_000, "sub_central", "2026-03-01").above_threshold


def test_period_switches_on_first_of_january_2026():
    before = advise("services", 218_000, "sub_central", dt.date(2025, 12, 31))
    after = advise("services", 218_000, "sub_central", dt.date(2026, 1, 1))
    assert (before.period, before.threshold_eur, before.above_threshold) == ("2024–25", 221_000, False)
    assert (after.period, after.threshold_eur, after.above_threshold) == ("2026–27", 216_000, True)


def test_period_switches_on_first_of_january_2024():
    assert thresholds.threshold_for("works", "sub_central", "2023-12-31") == 5_382_000
    assert thresholds.threshold_for("works", "sub_central", "2024-01-01") == 5_538_000


def test_dates_accept_datetime_and_text():
    assert thresholds.threshold_for("services", "sub_central", dt.datetime(2025, 6, 1, 9, 30)) == 221_000
    assert thresholds.threshold_for("services", "sub_central", " 2026-03-01 ") == 216_000


def test_after_2027_uses_last_table_with_a_warning():
    advice = advise("services", 300_000, "sub_central", "2028-02-01")
    assert advice.period == "2026–27" and advice.threshold_eur == 216_000
    assert any("revised every two years" in w for w in advice.warnings)
    assert "revised every two years" in advice.summary()


def test_before_2022_is_refused():
    with pytest.raises(LearnerError, match="starts on 2022-01-01"):
        advise("services", 300_000, "sub_central", "2021-12-31")


def test_thresholds_table_matches_the_facts():
    table = thresholds.thresholds_table().set_index("contract type")
    assert table.loc[thresholds.categories()["supplies_services_sub_central"]].tolist() == [215_000, 221_000, 216_000]
    assert table.loc[thresholds.categories()["utilities_supplies_services"]].tolist() == [431_000, 443_000, 432_000]
    sources = thresholds.thresholds_sources()
    assert sources.loc[2, "from"] == "2026-01-01" and "2025/2152" in sources.loc[2, "source"]


def test_thresholds_come_from_the_legal_facts_table():
    periods = thresholds.threshold_periods()
    amounts = {(key, p.label): value for p in periods for key, value in p.values.items()}
    assert amounts == {
        ("works", "2022–23"): 5_382_000,
        ("works", "2024–25"): 5_538_000,
        ("works", "2026–27"): 5_404_000,
        ("supplies_services_sub_central", "2022–23"): 215_000,
        ("supplies_services_sub_central", "2024–25"): 221_000,
        ("supplies_services_sub_central", "2026–27"): 216_000,
        ("supplies_services_central", "2022–23"): 140_000,
        ("supplies_services_central", "2024–25"): 143_000,
        ("supplies_services_central", "2026–27"): 140_000,
        ("social_services", "2022–23"): 750_000,  # fixed in Art. 4(d), not revised
        ("social_services", "2024–25"): 750_000,
        ("social_services", "2026–27"): 750_000,
        ("utilities_supplies_services", "2022–23"): 431_000,
        ("utilities_supplies_services", "2024–25"): 443_000,
        ("utilities_supplies_services", "2026–27"): 432_000,
        ("concessions", "2022–23"): 5_382_000,
        ("concessions", "2024–25"): 5_538_000,
        ("concessions", "2026–27"): 5_404_000,
    }
    assert [(p.label, p.start, p.end) for p in periods] == [
        ("2022–23", dt.date(2022, 1, 1), dt.date(2023, 12, 31)),
        ("2024–25", dt.date(2024, 1, 1), dt.date(2025, 12, 31)),
        ("2026–27", dt.date(2026, 1, 1), dt.date(2027, 12, 31)),
    ]
    assert [p.source for p in periods] == [
        "Commission Delegated Regulation (EU) 2021/1952: https://eur-lex.europa.eu/eli/reg_del/2021/1952/oj",
        "Commission Delegated Regulation (EU) 2023/2495: https://eur-lex.europa.eu/eli/reg_del/2023/2495/oj",
        "Commission Delegated Regulation (EU) 2025/2152: https://eur-lex.europa.eu/eli/reg_del/2025/2152/oj",
    ]
    assert periods[2].articles["utilities_supplies_services"].startswith("Directive 2014/25/EU, Art. 15(a)")
    assert "2025/2150" in periods[2].articles["utilities_supplies_services"]
    assert periods[2].articles["social_services"] == "Directive 2014/24/EU, Art. 4(d) and Arts 74-76"
    assert "not revised" in thresholds.thresholds_note()


def test_thresholds_content_file():
    rows = items(thresholds.THRESHOLDS_FILE)
    assert not any("amount_eur" in r for r in rows)  # the amounts live once, in legal_facts.yaml
    assert {r["status"] for r in rows} == {"verified"}
    assert all(r["source"].startswith("https://eur-lex.europa.eu/eli/dir/2014/2") for r in rows)
    assert thresholds.categories() == {
        "works": "Works (central and sub-central buyers)",
        "supplies_services_sub_central": "Supplies and services, sub-central buyers (cities, regions)",
        "supplies_services_central": "Supplies and services, central government",
        "social_services": "Social and other specific services (Annex XIV, 'light regime')",
        "utilities_supplies_services": "Utilities, supplies and services (Directive 2014/25/EU)",
        "concessions": "Concessions (Directive 2014/23/EU)",
    }
    assert thresholds.thresholds_page() == (
        "https://single-market-economy.ec.europa.eu/single-market/"
        "public-procurement/legal-rules-and-implementation/thresholds_en"
    )
    assert thresholds.thresholds_note().startswith("Thresholds are in euro, net of VAT. Those for works and for")


@pytest.mark.parametrize(
    "contract, buyer, category",
    [
        ("works", "sub_central", "works"),
        ("works", "central", "works"),
        ("supplies", "sub_central", "supplies_services_sub_central"),
        ("services", "sub_central", "supplies_services_sub_central"),
        ("supplies", "central", "supplies_services_central"),
        ("services", "central", "supplies_services_central"),
        ("social_services", "sub_central", "social_services"),
        ("social_services", "central", "social_services"),
        ("supplies", "utility", "utilities_supplies_services"),
        ("services", "utility", "utilities_supplies_services"),
        ("concession", "sub_central", "concessions"),
        ("concession", "central", "concessions"),
        ("concession", "utility", "concessions"),
    ],
)
def test_every_contract_and_buyer_has_its_category(contract, buyer, category):
    assert thresholds.threshold_category(contract, buyer) == category
