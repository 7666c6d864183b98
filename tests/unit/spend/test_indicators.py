"""Spend indicators against hand-computed values on a ten-payment ledger."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers.core.errors import LearnerError
from helpers.spend.comparisons import benchmarks, compare_with_benchmarks, year_on_year
from helpers.spend.enrich import GeographyLevels
from helpers.spend.indicators import (
    SpendCube,
    geography_shares,
    headline_indicators,
    hhi,
    local_spend_share,
    sector_by_location,
    sector_shares,
    share_by,
    size_class_shares,
    sme_share,
    social_economy_share,
    top_300_lens,
    top_n_concentration,
    top_suppliers,
    total_spend,
)

# supplier, amount, level, size, social economy, sector, category, service area, year
ROWS = [
    ("Alpha", 300.0, "city", "small", False, "45 Construction work", "Works", "Highways", 2024),
    ("Alpha", 100.0, "city", "small", False, "45 Construction work", "Works", "Housing", 2025),
    ("Beta", 200.0, "region", "medium", True, "55 Catering", "Catering", "Education", 2024),
    ("Gamma", 150.0, "country", "large", False, "72 IT services", "IT", "Corporate", 2024),
    ("Delta", 100.0, "abroad", "large", False, "72 IT services", "IT", "Corporate", 2025),
    ("Epsilon", 80.0, None, "unknown", None, None, "Other", "Housing", 2024),
    ("Zeta", 50.0, "city", "micro", True, "55 Catering", "Catering", "Education", 2025),
    ("Beta", -30.0, "region", "medium", True, "55 Catering", "Catering", "Education", 2024),
    ("Eta", 30.0, "country", "small", False, "45 Construction work", "Works", "Highways", 2025),
    ("Theta", 20.0, "city", "micro", False, None, "Other", "Corporate", 2024),
]


def make_payments(rows=ROWS) -> pd.DataFrame:
    p = pd.DataFrame(
        rows,
        columns=[
            "supplier_group",
            "amount",
            "level",
            "size_class",
            "social_economy",
            "sector",
            "category",
            "service_area",
            "year",
        ],
    )
    p["social_economy"] = p["social_economy"].astype("boolean")
    p["date"] = pd.to_datetime(p["year"].astype(str) + "-06-30")
    p["is_credit_note"] = p["amount"] < 0
    p["supplier"] = p["supplier_group"]
    return p.drop(columns="year")


@pytest.fixture()
def p() -> pd.DataFrame:
    return make_payments()


def test_total_and_share_by_keeps_unknown(p):
    assert total_spend(p) == 1000.0
    table = share_by(p, "level")
    assert table["level"].tolist()[-1] == "unknown"  # unknown kept, and last
    assert dict(zip(table["level"], table["amount"])) == {
        "city": 470.0,
        "country": 180.0,
        "region": 170.0,
        "abroad": 100.0,
        "unknown": 80.0,
    }
    assert table["share"].sum() == pytest.approx(1.0)


def test_geography_shares_in_level_order(p):
    table = geography_shares(p)
    assert table["level"].tolist() == ["city", "region", "country", "abroad", "unknown"]
    assert table["share"].round(3).tolist() == [0.47, 0.17, 0.18, 0.10, 0.08]


def test_local_shares(p):
    assert local_spend_share(p) == pytest.approx(0.47)
    assert local_spend_share(p, ("city", "region")) == pytest.approx(0.64)


def test_size_classes_and_sme(p):
    table = size_class_shares(p)
    assert table["size_class"].tolist() == ["micro", "small", "medium", "large", "unknown", "SME total"]
    assert table["amount"].tolist() == [70.0, 430.0, 170.0, 250.0, 80.0, 670.0]
    assert table["share"].iloc[:5].sum() == pytest.approx(1.0)
    assert sme_share(p) == pytest.approx(0.67)


def test_social_economy_share_counts_unknown_in_denominator(p):
    assert social_economy_share(p) == pytest.approx(0.22)


def test_sector_shares_keep_unclassified(p):
    table = sector_shares(p)
    assert table["sector"].tolist() == ["45 Construction work", "72 IT services", "55 Catering", "unclassified"]
    assert table["amount"].tolist() == [430.0, 250.0, 220.0, 100.0]


def test_sector_by_location(p):
    pivot = sector_by_location(p)
    assert pivot.loc["45 Construction work", "city"] == 400.0
    assert pivot.loc["45 Construction work", "country"] == 30.0
    assert list(pivot.columns) == ["city", "region", "country", "abroad", "unknown"]
    shares = sector_by_location(p, normalise="index")
    assert shares.loc["72 IT services", "abroad"] == pytest.approx(0.4)


def test_top_suppliers_concentration_and_hhi(p):
    top = top_suppliers(p, 3)
    assert top["supplier_group"].tolist() == ["Alpha", "Beta", "Gamma"]
    assert top["amount"].tolist() == [400.0, 170.0, 150.0]  # Beta net of its credit note
    assert top["cumulative_share"].round(2).tolist() == [0.40, 0.57, 0.72]
    assert top_n_concentration(p, 3) == pytest.approx(0.72)
    # shares 40,17,15,10,8,5,3,2 %: 1600+289+225+100+64+25+9+4
    assert hhi(p) == pytest.approx(2316.0)


def test_headline_indicators(p):
    h = headline_indicators(p)
    assert h["total"] == 1000.0 and h["credit_notes"] == -30.0
    assert h["local_share_city"] == pytest.approx(0.47)
    assert h["local_share_region"] == pytest.approx(0.64)
    assert h["unknown_location_share"] == pytest.approx(0.08)
    assert h["top10_share"] == pytest.approx(1.0)
    assert h["suppliers"] == 8 and h["lines"] == 10


def test_top_300_lens_on_top_three(p):
    lens = top_300_lens(p, n=3)
    assert lens["coverage"] == pytest.approx(0.72)
    assert lens["total"] == 720.0
    assert lens["local_share_city"] == pytest.approx(400 / 720)
    assert lens["sme_share"] == pytest.approx(570 / 720)
    assert lens["suppliers"] == 3


def test_year_on_year_in_percentage_points(p):
    later = p.copy()
    later.loc[4, "level"] = "city"  # Delta's 100 moves from abroad to the city
    table = year_on_year({2025: later, 2024: p}).set_index("indicator")
    assert table.loc["local_share_city", "2024"] == pytest.approx(0.47)
    assert table.loc["local_share_city", "change 2024->2025"] == pytest.approx(10.0)
    assert table.loc["total", "change 2024->2025"] == 0.0
    assert table.loc["hhi", "unit"].startswith("points")


def test_benchmarks_and_comparison(p):
    assert {(b["indicator"], b["value"]) for b in benchmarks()} >= {
        ("local_share_city", 0.05),
        ("local_share_region", 0.39),
        ("local_share_city", 0.182),
        ("local_share_region", 0.792),
        ("sme_share", 0.35),
        ("local_share_region", 0.46),
        ("social_economy_share", 0.10),
    }
    table = compare_with_benchmarks(headline_indicators(p))
    assert list(table.columns[:5]) == ["indicator", "ours", "benchmark", "source", "note"]
    tussell_local = table[(table["indicator"] == "local_share_region") & (table["benchmark"] == 0.46)]
    assert "NUTS 1" in tussell_local["note"].iloc[0]
    assert tussell_local["ours"].iloc[0] == pytest.approx(0.64)
    assert all(u.startswith("https://") for u in table["url"])


def test_pamplona_four_levels(p):
    levels = GeographyLevels(("city", "metropolitan", "regional", "national"), regional="regional")
    q = p.assign(level=p["level"].replace({"region": "metropolitan", "country": "regional"}))
    h = headline_indicators(q, levels)
    assert h["local_share_city"] == pytest.approx(0.47)
    assert h["local_share_region"] == pytest.approx(0.47 + 0.17 + 0.18)
    assert geography_shares(q, levels)["level"].tolist() == [
        "city",
        "metropolitan",
        "regional",
        "national",
        "abroad",
        "unknown",
    ]


def test_missing_column_is_a_learner_error(p):
    with pytest.raises(LearnerError, match="level"):
        local_spend_share(p.drop(columns="level"))


def test_cube_equals_plain_functions(p):
    cube = SpendCube(p)
    filters = [
        {},
        {"year": 2024},
        {"year": [2025]},
        {"service_area": "Education"},
        {"category": ["Works", "IT"], "year": 2025},
        {"level": "city"},
        {"year": 2030},
    ]
    for f in filters:
        mask = pd.Series(True, index=p.index)
        if "year" in f:
            years = f["year"] if isinstance(f["year"], list) else [f["year"]]
            mask &= p["date"].dt.year.isin(years)
        for col in ("service_area", "category", "level"):
            if col in f:
                mask &= p[col].isin(f[col] if isinstance(f[col], list) else [f[col]])
        expected = headline_indicators(p[mask])
        got = cube.indicators(f)
        assert got.keys() == expected.keys()
        for k in expected:
            assert got[k] == pytest.approx(expected[k]), (f, k)
        pd.testing.assert_frame_equal(cube.top_suppliers(f, 3), top_suppliers(p[mask], 3))
    assert cube.indicators({"year": 2024})["local_share_city"] == pytest.approx(320 / 720)


def test_cube_on_random_ledger_and_unknown_filter():
    rng = np.random.default_rng(7)
    n = 5000
    p = pd.DataFrame(
        {
            "supplier_group": rng.choice([f"S{i}" for i in range(300)], n),
            "amount": rng.lognormal(6, 1.5, n) * np.where(rng.random(n) < 0.03, -1, 1),
            "level": rng.choice(["city", "region", "country", "abroad", None], n),
            "size_class": rng.choice(["micro", "small", "medium", "large", "unknown"], n),
            "social_economy": pd.array(rng.choice([True, False, None], n), dtype="boolean"),
            "sector": rng.choice(["45 Construction work", "55 Catering", None], n),
            "category": rng.choice(list("ABCDEFG"), n),
            "service_area": rng.choice(["X", "Y", "Z"], n),
            "date": pd.to_datetime(rng.choice(["2024-03-01", "2025-03-01"], n)),
        }
    )
    p["is_credit_note"] = p["amount"] < 0
    cube = SpendCube(p)
    assert len(cube.table) <= n
    for f in ({}, {"year": 2025, "service_area": ["X", "Z"]}, {"category": "C", "level": "unknown"}):
        mask = pd.Series(True, index=p.index)
        if "year" in f:
            mask &= p["date"].dt.year == f["year"]
        if "service_area" in f:
            mask &= p["service_area"].isin(f["service_area"])
        if "category" in f:
            mask &= p["category"] == f["category"]
        if "level" in f:
            mask &= p["level"].isna()
        expected, got = headline_indicators(p[mask]), cube.indicators(f)
        for k in expected:
            assert got[k] == pytest.approx(expected[k]), (f, k)
    shares = cube.share_by("level", {"year": 2024})
    assert shares["share"].sum() == pytest.approx(1.0)
    plain = share_by(p[p["date"].dt.year == 2024], "level")
    assert dict(zip(shares["level"], shares["amount"])) == pytest.approx(dict(zip(plain["level"], plain["amount"])))
    with pytest.raises(LearnerError, match="cannot filter"):
        cube.indicators({"colour": "red"})
