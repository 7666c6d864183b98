"""The life-cycle costing tool (logic, without a browser): it renders the course example, its ranking follows the
discount rate, an upload is read with its issues, a bad setting is a message, and charts never rely on colour alone."""

from __future__ import annotations

import pytest

from helpers.tendering import lcc_case
from helpers.tendering.widgets.life_cycle_costing import LifeCycleCosting, rates_summary, static_life_cycle_costing


@pytest.fixture()
def tool():
    return LifeCycleCosting(lcc_case())


def test_course_example_renders_and_the_ranking_follows_the_discount_rate(tool):
    assert tool.message.value == ""
    assert "1. NordLys Belysning A/S: EUR 1,731,069" in tool.ranking.value
    assert "although Lumen Ibérica S.A. is the cheapest to buy" in tool.parts_chart.outputs[1]["data"]["text/html"]
    assert "Farola Clara S.L. from 6 % to 9.5 %" in tool.rates_chart.outputs[1]["data"]["text/html"]
    tool.rate.value = 8.0
    assert "1. Farola Clara S.L.: EUR 1,447,845" in tool.ranking.value
    tool.rate.value = 10.0
    assert tool.ranking.value.index("Lumen Ibérica S.A.") < tool.ranking.value.index("NordLys Belysning A/S")
    assert "discount rate of 10 %" in tool.scope.value


def test_an_unknown_price_and_a_bad_price(tool):
    tool.energy_price.value = ""
    assert "no electricity price is set" in tool.scope.value
    assert "unknown (energy not given), not ranked" in tool.ranking.value
    tool.energy_price.value = "abc"
    assert "the electricity price &#x27;abc&#x27; is not a number" in tool.message.value


def test_an_uploaded_file_with_a_hostile_name_is_escaped(tool):
    content = b"bidder,acquisition,maintenance_per_year\n<b>Evil</b>,100,5\nPlain,90,\n"
    tool.upload_bids("mine.csv", content)
    assert "&lt;b&gt;Evil&lt;/b&gt;" in tool.ranking.value and "<b>Evil" not in tool.ranking.value
    assert "Plain: unknown (maintenance not given)" in tool.ranking.value
    items = static_life_cycle_costing(lcc_case())
    bars = items[4]
    shapes = [trace.marker.pattern.shape for trace in bars.data]
    assert len(set(shapes)) == len(shapes)  # each part has its own pattern, not only its own colour
    assert bars.layout.title.text == "Life-cycle cost at 4 %: NordLys Belysning A/S is lowest"
    lines = items[5]  # the parts chart, then the rates chart (each shows its own summary)
    assert len({trace.marker.symbol for trace in lines.data}) == len(lines.data)


def test_rates_summary_for_a_single_winner():
    case = lcc_case()
    only = case.bids.iloc[[2]]
    assert (
        rates_summary(only, 20, 0.2)
        == "NordLys Belysning A/S has the lowest life-cycle cost at every discount rate from 0 % to 10 %."
    )
