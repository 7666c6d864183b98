"""Module 1: the scale facts and their content file."""

from __future__ import annotations

from helpers.core.content import items
from helpers.why import scale


def test_scale_facts_have_sources_and_status():
    table = scale.scale_facts_table()
    assert list(table.columns) == ["fact", "figure", "source_url", "status"]
    assert table["source_url"].str.startswith("https://").all()
    assert set(table["status"]) <= {"verified", "unverified"}
    assert table["figure"].str.contains("14%").any()
    assert table["figure"].str.contains("250,000").any()


def test_scale_facts_content_file():
    facts = {f["id"]: f for f in items(scale.SCALE_FACTS_FILE)}
    assert list(facts) == [
        "eu-gdp-share",
        "eu-public-buyers",
        "urbact-course-videos",
        "urbact-first-run",
        "urbact-grpp-modules",
        "preston-anchor-spend",
        "preston-retained-2016-17",
        "northumberland-lm3",
    ]
    assert {f["status"] for f in facts.values()} == {"verified"}
    assert facts["eu-gdp-share"]["figure"] == "about 14% (the Commission's 2021 news on Buying Social says 'over 14%')"
    assert facts["eu-gdp-share"]["fact"].startswith("Share of EU GDP that all public buyers in the EU")  # not cities
    assert facts["eu-gdp-share"]["source"].startswith("https://single-market-economy.ec.europa.eu/news/")
    assert facts["eu-public-buyers"]["figure"] == "over 250,000"
    assert facts["urbact-course-videos"] == {
        "id": "urbact-course-videos",
        "fact": "URBACT's free online course on strategic procurement: videos",
        "figure": "14 (7 learning modules plus matching city case studies)",
        "source": "https://urbact.eu/articles/buying-better-future",
        "status": "verified",
    }
    assert facts["urbact-first-run"]["figure"] == "600+ from 40+ countries and 150 cities"
    assert facts["urbact-grpp-modules"]["figure"] == "4"
    assert facts["preston-anchor-spend"]["figure"] == "£750m, of which 5% with Preston-based organisations"
    assert facts["preston-retained-2016-17"]["figure"] == "18.2% (+£74m a year)"
    assert facts["preston-retained-2016-17"]["source"] == (
        "https://cles.org.uk/community-wealth-building-in-practice/community-wealth-building-places/"
        "community-wealth-building-in-preston/"
    )
    assert facts["northumberland-lm3"]["figure"] == "£1.76 (local suppliers re-spent 76% locally; non-local 36%)"
    assert facts["northumberland-lm3"]["source"] == "https://sustainablehackney.org.uk/page/buying-local-worth-400-more"
    # the table shows them in the file's order, the source as `source_url`
    table = scale.scale_facts_table()
    assert table["fact"].tolist() == [f["fact"] for f in facts.values()]
    assert table["source_url"].tolist() == [f["source"] for f in facts.values()]
