"""Module 1 estimator widget: starting figures, the sentence, the chart and the table follow
the controls; problems show as messages; figures are saved only on a click."""

from __future__ import annotations

import re

import pytest

from helpers.core.errors import LearnerError
from helpers.ui.tool import Tool
from helpers.why.local_spend import local_spend_estimate
from helpers.why.widgets.local_spend_estimator import (
    TOOL,
    LocalSpendEstimator,
    default_extra_local_millions,
    estimate_sentence,
    money_words,
    rounds_table,
    starting_point,
)
from tests.unit.download_checks import assert_binder_offer, not_on_binder, on_binder


def test_starting_points_are_round_course_figures():
    pv = starting_point("portavera", 2025)
    assert (pv.place, pv.year, pv.total_spend, pv.local_share) == ("Portavera", 2025, 260_000_000, 26.0)
    vm = starting_point("valmora", 2024)
    assert (vm.total_spend, vm.local_share) == (32_000_000, 38.0)
    assert starting_point("nordhaven", 2031).year == 2025  # nearest shipped year
    assert starting_point("portavera", 2020).local_share == 24.0  # 2024's share
    with pytest.raises(LearnerError, match="not one of the course cities"):
        starting_point("preston")


def test_starting_point_matches_the_shipped_ledger_within_a_point():
    from helpers.spend.pipeline import analyse_city

    payments = analyse_city("portavera", 2025).payments
    city_share = payments.loc[payments["level"] == "city", "amount"].sum() / payments["amount"].sum() * 100
    start = starting_point("portavera", 2025)
    assert abs(city_share - start.local_share) < 1
    assert abs(payments["amount"].sum() - start.total_spend) < 0.02 * start.total_spend


def test_money_words_and_sentence():
    assert money_words(36_400_000) == "€36.4 million"
    assert money_words(26_000_000) == "€26 million"
    assert money_words(850_000) == "€850,000"
    result = local_spend_estimate(10_000_000, 40, 20, 0.40)
    assert estimate_sentence(result, "Lisbon") == (
        "If 20 percentage points more of the €10 million a year went to suppliers in Lisbon (40% → 60%), "
        "about €2.8 million more would circulate locally each year: €2 million paid to local suppliers "
        "directly, plus €800,000 that they re-spend locally (re-spend rate 40%)."
    )
    fall = local_spend_estimate(10_000_000, 40, -10, 0.40)
    assert "10 percentage points less" in estimate_sentence(fall) and "about €1.4 million less" in estimate_sentence(
        fall
    )
    assert "Move 'extra local points'" in estimate_sentence(local_spend_estimate(10_000_000, 40, 0, 0.4))


def test_rounds_table_is_readable():
    table = rounds_table(local_spend_estimate(10_000_000, 40, 20, 0.40))
    assert table["before"].tolist() == ["€10,000,000", "€4,000,000", "€1,600,000", "1.56"]
    assert table["after"].tolist() == ["€10,000,000", "€6,000,000", "€2,400,000", "1.84"]
    assert table["change"].tolist()[-1] == "0.28"


def test_default_self_check_answer():
    assert default_extra_local_millions("portavera", 2025) == 36.4  # 260 × 0.10 × 1.4
    assert default_extra_local_millions("valmora", 2024) == 4.48  # 32 × 0.10 × 1.4


@pytest.fixture()
def estimator(work_dir):
    return LocalSpendEstimator("portavera", 2025)


def test_defaults_then_controls_update_sentence_chart_and_table(estimator):
    assert "about €36.4 million more" in estimator.sentence.value
    assert estimator.figure.layout.title.text.startswith("LM3 1.36 → 1.50")
    estimator.extra.value = 20
    assert "about €72.8 million more" in estimator.sentence.value  # 260 × 0.20 × 1.4
    assert list(estimator.figure.data[1].y) == [260e6, 119.6e6, 47.84e6]
    estimator.presets[1].click()  # Northumberland's 76%
    assert estimator.rate.value == 0.76
    assert "about €91.5 million more" in estimator.sentence.value  # 52m + 0.76 × 52m = 91.52m
    assert estimator.figure.layout.title.text.startswith("LM3 1.46 → 1.81")  # 1 + 0.26 × 1.76; 1 + 0.46 × 1.76
    estimator.total.value = 10_000_000
    estimator.share.value = 40
    estimator.rate.value = 0.40
    assert estimator.figure.layout.title.text.startswith("LM3 1.56 → 1.84")
    assert re.search(r"<td[^>]*>1\.84</td>", estimator.table.value)


def test_bad_input_shows_a_message_and_clears_the_old_answer(estimator):
    estimator.share.value = 95  # 95 + 10 > 100
    assert "Problem" in estimator.message.value and "outside 0 to 100" in estimator.message.value
    assert estimator.sentence.value == ""
    estimator.share.value = 50
    assert estimator.message.value == "" and "(50% → 60%)" in estimator.sentence.value


def test_place_is_escaped(estimator):
    estimator.place.value = "<b>Evil</b>"
    assert "&lt;b&gt;Evil&lt;/b&gt;" in estimator.sentence.value and "<b>Evil" not in estimator.sentence.value


def test_figures_are_saved_only_on_click_and_load_back(estimator, work_dir):
    assert estimator.store.load_settings(TOOL) == {}  # building never saves
    estimator.load.click()
    assert "not saved any figures yet" in estimator.saved_note.value
    estimator.place.value, estimator.total.value, estimator.share.value = "Lisbon", 50_000_000, 30
    estimator.save.click()
    assert estimator.store.load_settings(TOOL)["total_spend"] == 50_000_000
    assert str(work_dir) in estimator.saved_note.value
    again = LocalSpendEstimator("portavera", 2025)
    assert again.total.value == 260_000_000  # defaults on a re-run
    again.load.click()
    assert (again.place.value, again.total.value, again.share.value) == ("Lisbon", 50_000_000, 30)
    assert "about €7 million more" in again.sentence.value  # 50 × 0.10 × 1.4


def test_the_estimator_is_a_course_tool_with_its_message_area(estimator):
    assert isinstance(estimator, Tool)
    box = estimator.widget()
    assert "spw-estimator" in box._dom_classes and estimator.message in box.children
    assert estimator.static_view()[2]["after"].tolist()[1] == "€93,600,000"  # the defaults, headless


def test_saving_figures_offers_all_work_on_binder_only(estimator, work_dir, monkeypatch):
    not_on_binder(monkeypatch)
    estimator.save.click()
    assert estimator.downloads.outputs == ()  # the note says where; nothing vanishes here
    assert estimator.downloads in estimator.widget().children
    on_binder(monkeypatch)
    estimator.save.click()
    assert "Saved in this session only." in estimator.downloads.html
    assert_binder_offer(estimator.downloads, work_dir)
    estimator.share.value = 95  # 95 + 10 > 100: the save fails with a message and no stale offer
    estimator.save.click()
    assert "outside 0 to 100" in estimator.message.value and estimator.downloads.outputs == ()
