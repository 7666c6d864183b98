"""Module 7 social value: progress against the pro-rata path, month by month."""

from __future__ import annotations

import math

from helpers.monitoring.social_value import amount, social_value_path, social_value_progress, social_value_table
from tests.unit.monitoring.hand_tables import sv_tables

# ---------------------------------------------------------------- social value


def test_social_value_progress_by_hand():
    progress = social_value_progress(*sv_tables(), as_of="2025-09").set_index(["contract_id", "measure"])
    hours = progress.loc[("S1", "training_hours")]
    # 9 of 24 months: pro-rata 240 x 9/24 = 90; delivered 9 x 10 = 90 -> on track; run-rate 90/9 x 24 = 240
    assert (hours.delivered_to_date, hours.pro_rata_target, hours.on_track, hours.forecast_at_end) == (
        90.0,
        90.0,
        True,
        240.0,
    )
    hires = progress.loc[("S1", "local_hires")]
    # pro-rata 8 x 9/24 = 3; delivered 2 -> behind; run-rate 2/9 x 24 = 5.33, i.e. 5 whole people;
    # on track needs 3 x 0.9 = 2.7 -> at least 3 whole people
    assert (hires.delivered_to_date, hires.pro_rata_target, hires.on_track) == (2.0, 3.0, False)
    assert (hires.whole, hires.forecast_at_end, hires.needed_now) == (True, 5.0, 3.0)
    assert not hours.whole
    not_started = progress.loc[("S2", "local_hires")]
    assert (not_started.elapsed_months, not_started.pro_rata_target, not_started.on_track) == (0, 0.0, True)
    assert math.isnan(not_started.forecast_at_end)
    ended = progress.loc[("S3", "local_hires")]  # as_of after the end: full term
    assert (ended.elapsed_months, ended.pro_rata_target, ended.forecast_at_end, ended.on_track) == (6, 6.0, 6.0, True)


def test_people_reported_in_fractions_are_rounded_down_and_said_so():
    commitments, delivery, contracts = sv_tables()
    delivery = delivery.astype({"delivered": "float64"})
    delivery.loc[delivery["measure"] == "local_hires", "delivered"] = 1.5  # 2 months x 1.5 = 3 reported
    progress = social_value_progress(commitments, delivery, contracts, "2025-09").set_index(["contract_id", "measure"])
    hires = progress.loc[("S1", "local_hires")]
    assert (hires.delivered_reported, hires.delivered_to_date, hires.on_track) == (3.0, 3.0, True)
    delivery.loc[delivery["measure"] == "local_hires", "delivered"] = 1.4  # 2.8 reported -> 2 whole people: behind
    progress = social_value_progress(commitments, delivery, contracts, "2025-09").set_index(["contract_id", "measure"])
    hires = progress.loc[("S1", "local_hires")]
    assert (hires.delivered_reported, hires.delivered_to_date, hires.on_track) == (2.8, 2.0, False)
    table = social_value_table(progress.reset_index())
    row = table[table["measure"] == "Local people hired"].iloc[0].to_dict()
    assert row == {
        "contract": "S1",
        "measure": "Local people hired",
        "committed": "8 people",
        "delivered so far": "2 people (2.8 reported, rounded down)",
        "on track needs at least": "3 people",
        "status": "behind",
        "at this pace by the end": "5 people",
    }
    hours = table[table["measure"] == "Training hours"].iloc[0]
    assert (hours["delivered so far"], hours["on track needs at least"]) == ("90 hours", "81 hours")
    assert table[table["contract"] == "S2"]["status"].tolist() == ["not started"]
    assert amount(1, "people") == "1 person" and amount(1234.5, "EUR") == "EUR 1,234.50"
    assert amount(float("nan"), "hours") == "unknown"


def test_social_value_path_is_cumulative():
    path = social_value_path(*sv_tables(), as_of="2025-03")
    hours = path[(path.contract_id == "S1") & (path.measure == "training_hours")]
    assert hours["period"].tolist() == ["2025-01", "2025-02", "2025-03"]
    assert hours["cumulative"].tolist() == [10.0, 20.0, 30.0]
    assert hours["pro_rata"].tolist() == [10.0, 20.0, 30.0]  # 240 / 24 a month
    assert path[path.contract_id == "S2"].empty
