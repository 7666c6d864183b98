"""Module 1: the LM3 "more local spend" estimator and its self-checks."""

from __future__ import annotations

import pytest

from helpers.core.errors import LearnerError
from helpers.learning.registry import computation
from helpers.why import local_spend
from helpers.why.preston import preston_check


# -- the estimator: the brief's worked example (§2.3), computed by hand -------------------------
def test_worked_example_forty_percent_local():
    result = local_spend.local_spend_estimate(10.0, 40, 20, respend_rate=0.40)
    assert result.rounds_before == pytest.approx((10.0, 4.0, 1.6))
    assert result.lm3_before == pytest.approx(1.56)  # (10 + 4 + 1.6) / 10


def test_worked_example_sixty_percent_local():
    result = local_spend.local_spend_estimate(10.0, 40, 20, respend_rate=0.40)
    assert result.local_share_after == 60
    assert result.rounds_after == pytest.approx((10.0, 6.0, 2.4))
    assert result.lm3_after == pytest.approx(1.84)  # (10 + 6 + 2.4) / 10


def test_extra_money_is_change_in_round_two_plus_round_three():
    result = local_spend.local_spend_estimate(10_000_000, 40, 20)  # default re-spend 0.40
    assert result.extra_paid_locally == pytest.approx(2_000_000)
    assert result.extra_respent_locally == pytest.approx(800_000)
    # (6.0 + 2.4) - (4.0 + 1.6) = 2.8 million
    assert result.extra_local_money == pytest.approx(2_800_000)


def test_northumberland_rate_for_local_suppliers():
    # £1 with a local supplier re-spent at 76% is worth £1.76 locally; all spend local here.
    result = local_spend.local_spend_estimate(1.0, 100, 0, respend_rate=local_spend.RESPEND_RATE_NORTHUMBERLAND_LOCAL)
    assert result.rounds_before[1] + result.rounds_before[2] == pytest.approx(1.76)


def test_preston_five_to_ten_percent():
    # £750m × (10% − 5%) = £37.5m; the source (publicsectorexecutive.com) reports "£37m":
    # the 0.5m gap is the source's rounding, not a different method.
    result = local_spend.local_spend_estimate(750_000_000, 5, 5, respend_rate=0, currency="£")
    assert result.extra_paid_locally == pytest.approx(37_500_000)
    assert result.extra_local_money == pytest.approx(37_500_000)
    check = preston_check()
    assert check["computed_gbp"] == pytest.approx(37_500_000)
    assert check["reported_gbp"] == 37_000_000
    assert "37.5m" in check["note"]


def test_a_fall_in_local_share_loses_money():
    result = local_spend.local_spend_estimate(10.0, 40, -10, respend_rate=0.5)
    # before 4.0 + 2.0; after 3.0 + 1.5 → -1.5
    assert result.extra_local_money == pytest.approx(-1.5)


def test_explanation_shows_the_arithmetic():
    text = local_spend.local_spend_estimate(10.0, 40, 20).explanation()
    assert "1.56" in text and "1.84" in text and "€2.8" in text


def test_table_has_rounds_and_lm3():
    table = local_spend.local_spend_estimate(10.0, 40, 20).table()
    assert list(table["before"].round(4)) == [10.0, 4.0, 1.6, 1.56]
    assert list(table["change"].round(4)) == [0.0, 2.0, 0.8, 0.28]


@pytest.mark.parametrize(
    "args, words",
    [
        ((0, 40, 10), "more than zero"),
        ((-5, 40, 10), "more than zero"),
        ((10, 120, 0), "between 0 and 100"),
        ((10, -1, 0), "between 0 and 100"),
        ((10, 95, 10), "outside 0 to 100"),
        ((10, 5, -10), "outside 0 to 100"),
        ((10, "forty", 0), "must be a number"),
        ((10, float("nan"), 0), "finite"),
    ],
)
def test_bad_inputs_are_explained(args, words):
    with pytest.raises(LearnerError, match=words):
        local_spend.local_spend_estimate(*args)


def test_respend_given_as_percentage_is_refused_with_a_fix():
    with pytest.raises(LearnerError) as err:
        local_spend.local_spend_estimate(10, 40, 10, respend_rate=40)
    assert "0.40" in str(err.value)


def test_estimator_figure_has_before_and_after_bars():
    fig = local_spend.estimator_figure(local_spend.local_spend_estimate(10.0, 40, 20))
    assert [trace.type for trace in fig.data] == ["bar", "bar"]
    assert list(fig.data[1].y) == pytest.approx([10.0, 6.0, 2.4])
    assert "1.56 → 1.84" in fig.layout.title.text


# -- self-checks -------------------------------------------------------------------------------
def test_self_check_functions():
    assert computation("lm3")(total_spend=10.0, local_share=40, respend_rate=0.4) == pytest.approx(1.56)
    assert computation("extra-local-money")(
        total_spend=10.0, local_share=40, extra_local_pts=20, respend_rate=0.4
    ) == pytest.approx(2.8)
