"""Module 6 course content (course/content/tendering_*.yaml): each file loads, keeps its sources, and holds
the values the tendering code relies on."""

from __future__ import annotations

import pytest

from helpers.core.content import by_id, content_file, items
from helpers.tendering.bids import BRIEF_BIDS, example_bids
from helpers.tendering.criteria import PLAYGROUND_DRAFT, PRICE_WEIGHT_BAND
from helpers.tendering.evaluation import (
    ARTICLE_69_STEPS,
    EXPLANATION_SCREEN_PCT,
    LINEAR_BOUNDS_OF_ESTIMATE,
    LINEAR_BOUNDS_OF_PRICES,
    QUALITY_SCALE,
)

FILES = (
    "tendering_article_69_steps",
    "tendering_quality_scale",
    "tendering_rules",
    "tendering_rank_reversal_bids",
    "tendering_playground_draft",
)


@pytest.mark.parametrize("name", FILES)
def test_every_item_has_a_source_and_a_status(name):
    for item in items(name):
        assert item["source"].strip() and item["status"] in ("verified", "unverified", "course design")


def test_article_69_steps():
    steps = items("tendering_article_69_steps")
    assert [s["id"] for s in steps] == [1, 2, 3, 4, 5, 6] and {s["status"] for s in steps} == {"verified"}
    assert all("https://eur-lex.europa.eu/eli/dir/2014/24/oj" in s["source"] for s in steps)
    assert ARTICLE_69_STEPS[0] == (
        "If a tender looks abnormally low, the buyer must ask the bidder to explain its price or costs."
    )
    assert ARTICLE_69_STEPS[4].startswith(
        "The buyer must reject the tender if the price is low because the bidder "
        "breaches environmental, social or labour obligations"
    )
    assert ARTICLE_69_STEPS[5].endswith("only if the bidder cannot show that the aid was lawful.")
    assert len(ARTICLE_69_STEPS) == 6 and all("\n" not in s for s in ARTICLE_69_STEPS)


def test_quality_scale():
    assert QUALITY_SCALE == {
        0: "unacceptable or no answer",
        1: "poor",
        2: "weak",
        3: "satisfactory",
        4: "good",
        5: "excellent",
    }
    assert {i["status"] for i in items("tendering_quality_scale")} == {"unverified"}


def test_course_design_rules():
    rules = by_id("tendering_rules")
    assert {r["status"] for r in rules.values()} == {"course design"}
    assert PRICE_WEIGHT_BAND == (20.0, 80.0)
    assert EXPLANATION_SCREEN_PCT == 20.0
    assert LINEAR_BOUNDS_OF_ESTIMATE == (0.75, 1.25) and LINEAR_BOUNDS_OF_PRICES == (0.8, 1.2)


def test_rank_reversal_bids_are_the_briefs():
    assert content_file("tendering_rank_reversal_bids")["quality_max_points"] == 60
    assert BRIEF_BIDS["bidder"].tolist() == ["A", "B", "C"]
    assert BRIEF_BIDS["price"].tolist() == [100_000.0, 130_000.0, 50_000.0]
    assert BRIEF_BIDS["quality_pct"].tolist() == [100 * 40 / 60, 100 * 48 / 60, 100 * 10 / 60]
    assert example_bids()["bidder"].tolist() == ["A", "B"]


def test_playground_draft():
    assert PLAYGROUND_DRAFT == (
        ("INN-PLAY-01", 20),
        ("SOC-PLAY-01", 15),
        ("SOC-ANY-02", 15),
        ("GRN-PLAY-01", 10),
        ("GRN-PLAY-02", None),
        ("GRN-PLAY-03", None),
        ("LOC-PLAY-01", None),
    )
    assert sum(w or 0 for _, w in PLAYGROUND_DRAFT) == 60
