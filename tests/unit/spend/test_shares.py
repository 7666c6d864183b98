"""Unknown is never zero: the one rule for a share the data cannot give, on hand-computed ledgers."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from helpers.spend.comparisons import benchmark_table, compare_with_benchmarks
from helpers.spend.indicators import (
    SpendCube,
    headline_indicators,
    local_spend_share,
    sme_share,
    social_economy_share,
)
from helpers.spend.shares import Share, headline_shares, make_share, share_json, share_value


def ledger(rows) -> pd.DataFrame:
    """supplier, amount, level, size class, social economy."""
    p = pd.DataFrame(rows, columns=["supplier_group", "amount", "level", "size_class", "social_economy"])
    p["social_economy"] = p["social_economy"].astype("boolean")
    p["supplier"] = p["supplier_group"]
    p["date"] = pd.Timestamp("2024-09-02")
    p["is_credit_note"] = p["amount"] < 0
    return p


# Like a real council's monthly report: no postcodes, no register. Total 1,000.
NOTHING_KNOWN = ledger(
    [
        ("A", 600.0, "unknown", "unknown", None),
        ("B", 450.0, "unknown", "unknown", None),
        ("C", -50.0, "unknown", "unknown", None),
    ]
)
# Location known for 100 of 400 (all of it in the city): 25% in the city, 75% unknown.
PARTLY_KNOWN = ledger(
    [
        ("A", 100.0, "city", "small", True),
        ("B", 300.0, "unknown", "unknown", None),
    ]
)


def test_share_value_is_none_without_spend_or_without_the_fact():
    assert share_value(25.0, 100.0) == 0.25
    assert share_value(0.0, 100.0) == 0.0  # a real zero stays zero
    assert share_value(0.0, 100.0, known=False) is None
    assert share_value(0.0, 0.0) is None
    assert share_value(1.0, float("nan")) is None


def test_no_location_no_register_gives_unknown_not_zero():
    assert local_spend_share(NOTHING_KNOWN, ("city",)) is None
    assert sme_share(NOTHING_KNOWN) is None
    assert social_economy_share(NOTHING_KNOWN) is None
    head = headline_indicators(NOTHING_KNOWN)
    assert head["total"] == 1000.0
    for key in ("local_share_city", "local_share_region", "sme_share", "social_economy_share"):
        assert head[key] is None, key
    assert head["unknown_location_share"] == pytest.approx(1.0)
    assert head["unknown_size_share"] == pytest.approx(1.0)
    assert head["unknown_social_economy_share"] == pytest.approx(1.0)
    assert head["top10_share"] == pytest.approx(1.0)  # concentration needs no location: known


def test_the_cube_says_unknown_exactly_where_the_plain_functions_do():
    for p in (NOTHING_KNOWN, PARTLY_KNOWN):
        plain, cube = headline_indicators(p), SpendCube(p).indicators()
        assert plain.keys() == cube.keys()
        for key, value in plain.items():
            assert cube[key] == pytest.approx(value), key
    # a filter that keeps only the unknown line: the city share becomes unknown, not 0%
    assert SpendCube(PARTLY_KNOWN).indicators({"level": "unknown"})["local_share_city"] is None
    assert SpendCube(PARTLY_KNOWN).indicators({"level": "city"})["local_share_city"] == pytest.approx(1.0)


def test_shares_say_why_and_what_to_add():
    shares = headline_shares(headline_indicators(NOTHING_KNOWN))
    city, sme, social = shares["local_share_city"], shares["sme_share"], shares["social_economy_share"]
    assert not city.known and city.text() == "unknown"
    assert "no payment in this selection has a known supplier location" in city.explain()
    assert "geography table" in city.explain() and "postcodes" in city.explain()
    assert "size class" in sme.explain()
    assert "social_economy column" in social.explain()
    assert shares["top10_share"].text() == "100.0%" and shares["top10_share"].explain() == ""


def test_a_large_unknown_part_is_said_and_a_small_one_is_not():
    shares = headline_shares(headline_indicators(PARTLY_KNOWN))
    city = shares["local_share_city"]
    assert city.value == pytest.approx(0.25) and city.unknown_share == pytest.approx(0.75)
    assert city.text() == "25.0% (supplier location unknown for 75.0% of spend)"
    assert "counts that part as not local, so the true share may be higher" in city.explain()
    # 5% unknown is below the 10% line (course design): the share stands alone
    small = make_share(0.40, "location", 0.05)
    assert small.text() == "40.0%" and small.explain() == ""
    assert make_share(0.40, "location", 0.10).text() == "40.0% (supplier location unknown for 10.0% of spend)"


def test_an_empty_selection_is_unknown_because_there_is_no_spend():
    head = SpendCube(PARTLY_KNOWN).indicators({"year": "2030"})
    assert head["total"] == 0.0 and head["lines"] == 0
    shares = headline_shares(head)
    assert all(s.value is None for s in shares.values())
    assert "there is no spend in this selection" in shares["sme_share"].explain()
    assert head["hhi"] is None


def test_json_carries_null_and_a_reason():
    payload = json.loads(json.dumps(share_json(headline_indicators(NOTHING_KNOWN))))
    assert payload["sme_share"]["value"] is None
    assert "supplier of known size" in payload["sme_share"]["reason"]
    assert "supplier register" in payload["sme_share"]["what_to_add"]
    assert payload["top10_share"] == {"value": 1.0, "unknown_share": 0.0, "reason": None, "what_to_add": None}
    assert payload["total"] == 1000.0
    assert Share(0.5).to_dict()["value"] == 0.5


def test_benchmarks_compare_unknown_as_unknown():
    table = compare_with_benchmarks(headline_indicators(NOTHING_KNOWN))
    sme = table[table["indicator"] == "sme_share"].iloc[0]
    assert pd.isna(sme["ours"]) and sme["ours_text"] == "unknown"
    assert "supplier register" in sme["why_unknown"]
    shown = benchmark_table(headline_indicators(NOTHING_KNOWN))
    assert "0.0%" not in shown["ours"].tolist()
    assert set(shown["ours"]) == {"unknown"}
    assert shown["about our figure"].str.startswith("Unknown:").all()


def test_breakdown_tables_list_only_unknown_when_nothing_is_known():
    from helpers.spend.indicators import geography_shares, size_class_shares

    geo = geography_shares(NOTHING_KNOWN)
    assert geo["level"].tolist() == ["unknown"] and geo["share"].tolist() == [1.0]
    size = size_class_shares(NOTHING_KNOWN)
    assert size["size_class"].tolist() == ["unknown", "SME total"]
    assert pd.isna(size["share"].iloc[-1])  # the SME total is unknown, not 0
    # partly known: every level listed, real zeros stay zeros
    geo = geography_shares(PARTLY_KNOWN).set_index("level")["share"]
    assert geo["city"] == pytest.approx(0.25) and geo["region"] == 0.0 and geo["unknown"] == pytest.approx(0.75)


def test_what_if_on_a_partly_known_selection_says_the_shares_are_floors():
    from helpers.spend.lm3 import what_if

    p = PARTLY_KNOWN.assign(category="Works")
    p.loc[len(p)] = {**p.iloc[0].to_dict(), "supplier_group": "D", "supplier": "D", "amount": 200.0, "level": "region"}
    head = headline_indicators(p)  # total 600: city 100, region 200, unknown 300
    result = what_if(p, head, ("city",), 50, 0.4)
    assert result["share_before"] == pytest.approx(100 / 600)
    assert result["share_after"] == pytest.approx((100 + 0.5 * 200) / 600)  # unknown spend is not moved
    assert "unknown for 50.0% of this spend" in result["sentence"] and "floors" in result["sentence"]
    nothing = what_if(NOTHING_KNOWN.assign(category="Works"), headline_indicators(NOTHING_KNOWN), ("city",), 50, 0.4)
    assert nothing["share_before"] is None and nothing["lm3_after"] is None
    assert "share spent in the city is unknown" in nothing["sentence"]
