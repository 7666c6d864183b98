"""The spend stage's course content files hold the values the code relies on."""

from __future__ import annotations

import pytest

from helpers.core.content import content_file, items
from helpers.spend.comparisons import benchmarks, compare_with_benchmarks
from helpers.spend.geography import crown_dependencies
from helpers.spend.lm3 import default_respend_rate, local_multiplier_3, northumberland_explainer, worked_example
from helpers.spend.suppliers import legal_forms, normalise_supplier_name

HEADLINE_SHARES = {"local_share_city", "local_share_region", "sme_share", "social_economy_share"}


def test_spend_benchmarks():
    table = benchmarks()
    assert [(b["indicator"], b["value"]) for b in table] == [
        ("local_share_city", 0.05),
        ("local_share_region", 0.39),
        ("local_share_city", 0.182),
        ("local_share_region", 0.792),
        ("sme_share", 0.35),
        ("local_share_region", 0.46),
        ("social_economy_share", 0.10),
        ("sme_share", 0.33),
    ]
    assert {b["indicator"] for b in table} <= HEADLINE_SHARES
    assert all(b["url"].startswith("https://") and b["note"] and b["label"] for b in table)
    assert [b["status"] for b in table] == ["verified"] * 7 + ["unverified"]
    assert table[0]["source"] == "CLES baseline via Public Sector Executive"
    assert table[4]["source"] == "Tussell Local Government Procurement Index 2022, via LocalGov"
    compared = compare_with_benchmarks({"sme_share": 0.5})
    assert compared["benchmark"].tolist() == [0.35, 0.33] and compared["ours"].tolist() == [0.5, 0.5]


def test_legal_forms():
    forms = legal_forms()
    assert len(forms) == 117 and all(isinstance(f, str) and f for f in forms)  # YAML never turned one into a bool
    assert forms[:3] == ("ltd", "limited", "plc") and forms[-1] == "cie"
    for form in ("gmbh", "sp z oo", "s coop", "unipessoal lda", "oyj", "ικε", "y cia", "et cie", "ab"):
        assert form in forms
    assert all(f == f.casefold() and "." not in f for f in forms)  # written as they read after normalising
    assert [i["status"] for i in items("spend_legal_forms")] == ["course design"] * 8
    assert normalise_supplier_name("Foo GmbH & Co. KG") == "foo"
    assert normalise_supplier_name("Kowalski Sp. z o.o.") == "kowalski"


def test_lm3_northumberland():
    n = northumberland_explainer()
    assert list(n) == [
        "local_respend",
        "nonlocal_respend",
        "per_pound_local",
        "per_pound_nonlocal",
        "shift",
        "shift_gain_gbp",
        "published",
        "explanation",
        "sources",
    ]
    assert (n["local_respend"], n["nonlocal_respend"], n["per_pound_local"], n["per_pound_nonlocal"]) == (
        0.76,
        0.36,
        1.76,
        0.36,
    )
    assert (n["shift"], n["shift_gain_gbp"], n["published"]) == (0.10, 34_000_000, "7 March 2005")
    assert n["explanation"].startswith("Local suppliers re-spent on average 76% of their contract income")
    assert n["explanation"].endswith("keep £34m more circulating each year.") and "\n" not in n["explanation"]
    assert n["sources"] == [
        "https://sustainablehackney.org.uk/page/buying-local-worth-400-more",
        "https://www.lm3online.com/about",
    ]
    n["sources"].append("changed")  # a copy: the content is unchanged
    assert len(northumberland_explainer()["sources"]) == 2
    assert items("spend_lm3_northumberland")[0]["status"] == "verified"


def test_lm3_worked_example():
    ex = worked_example()
    assert (ex["total"], ex["local_spend"], ex["respend_rate"]) == (10.0, 4.0, 0.40)
    assert default_respend_rate() == 0.40
    assert (
        round(local_multiplier_3(ex["total"], ex["local_spend"], ex["local_spend"] * ex["respend_rate"]), 2)
        == ex["lm3"]
        == 1.56
    )
    local = ex["total"] * ex["other_local_share"]
    assert local_multiplier_3(ex["total"], local, local * ex["respend_rate"]) == pytest.approx(ex["other_lm3"])
    assert ex["status"] == "course design"


def test_uk_crown_dependencies():
    assert crown_dependencies() == (("GGY", "JEY", "IMN", "IM"), ("Guernsey", "Jersey", "Isle of Man"))
    assert content_file("spend_uk_crown_dependencies")["items"][0]["status"] == "course design"
