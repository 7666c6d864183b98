"""Module 1: Preston's figures, their table and their content file."""

from __future__ import annotations

from helpers.why import preston


def test_preston_table_figures():
    table = preston.preston_table().set_index("measure")
    row = table.loc["Share spent with Preston-based organisations"]
    assert (row["2012/13"], row["2016/17"]) == ("5%", "18.2%")
    assert table.loc["Share spent with Lancashire-based organisations", "2016/17"] == "79.2%"
    # the later £112m is £74m more than the 2012/13 "about £38m"
    story = preston.preston_story()
    assert story["preston_retained_later_gbp"] - story["preston_spend_2012_13_gbp"] == story["preston_increase_gbp"]


P2013 = "https://www.publicsectorexecutive.com/Public-Sector-News/anchor-institutions-using-spending-clout-to-boost-local-economy"
P2017 = (
    "https://cles.org.uk/community-wealth-building-in-practice/community-wealth-building-places/"
    "community-wealth-building-in-preston/"
)
LATER = "https://www.prestonpartnership.org/key-projects/the-preston-model/"


def test_preston_content_file():
    story = preston.preston_story()
    assert story == {
        "anchors_spend_2012_13_gbp": 750_000_000,
        "preston_share_2012_13_pct": 5.0,
        "preston_spend_2012_13_gbp": 38_000_000,
        "lancashire_share_2012_13_pct": 39.0,
        "leaked_out_of_lancashire_2012_13_gbp": 458_000_000,
        "preston_share_2016_17_pct": 18.2,
        "lancashire_share_2016_17_pct": 79.2,
        "preston_increase_gbp": 74_000_000,
        "lancashire_increase_gbp": 200_000_000,
        "preston_retained_later_gbp": 112_000_000,
        "extra_if_preston_share_10pct_gbp_reported": 37_000_000,
        "sources": {
            "2012/13": P2013,
            "2016/17": P2017,
            "council": "https://preston.gov.uk/article/1338/Community-Wealth-Building-in-action",
            "later": LATER,
        },
    }
    figures = preston.preston_figures()
    assert {k for k, f in figures.items() if f["status"] == "verified"} == {
        "anchors_spend_2012_13_gbp",
        "preston_share_2012_13_pct",
        "preston_share_2016_17_pct",
        "preston_increase_gbp",
    }
    assert {k for k, f in figures.items() if f["source"] == P2017} == {
        "preston_share_2016_17_pct",
        "lancashire_share_2016_17_pct",
        "preston_increase_gbp",
        "lancashire_increase_gbp",
    }
    assert figures["preston_retained_later_gbp"]["source"] == LATER
    assert [
        figures[k]["shown"]
        for k in (
            "anchors_spend_2012_13_gbp",
            "preston_spend_2012_13_gbp",
            "preston_retained_later_gbp",
            "preston_increase_gbp",
        )
    ] == ["£750m", "about £38m", "£112m", "+£74m"]


def test_preston_table_rows_and_sources():
    table = preston.preston_table()
    assert table.values.tolist() == [
        ["Yearly spend of the six anchors on goods and services", "£750m", "not reported", P2013],
        ["Share spent with Preston-based organisations", "5%", "18.2%", f"{P2013} ; {P2017}"],
        ["Share spent with Lancashire-based organisations", "39%", "79.2%", f"{P2013} ; {P2017}"],
        ["Spend retained in Preston", "about £38m", "£112m (+£74m)", f"{P2013} ; {LATER}"],
        ["Change in spend retained in Lancashire", "(baseline)", "+£200m", P2017],
        ["Spend leaking out of Lancashire", "£458m", "not reported", P2013],
    ]
    assert preston.preston_check()["note"] == (
        f"£750m × (10% − 5%) = £37,500,000; the source reports £37,000,000, i.e. £37.5m rounded. Source: {P2013}"
    )
