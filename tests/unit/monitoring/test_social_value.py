"""Module 7 social value: progress against the pro-rata path, month by month."""

from __future__ import annotations

import math

from helpers.monitoring.social_value import social_value_path, social_value_progress
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
    # pro-rata 8 x 9/24 = 3; delivered 2 -> behind; run-rate 2/9 x 24 = 5.33
    assert (hires.delivered_to_date, hires.pro_rata_target, hires.on_track) == (2.0, 3.0, False)
    assert round(hires.forecast_at_end, 4) == 5.3333
    not_started = progress.loc[("S2", "local_hires")]
    assert (not_started.elapsed_months, not_started.pro_rata_target, not_started.on_track) == (0, 0.0, True)
    assert math.isnan(not_started.forecast_at_end)
    ended = progress.loc[("S3", "local_hires")]  # as_of after the end: full term
    assert (ended.elapsed_months, ended.pro_rata_target, ended.forecast_at_end, ended.on_track) == (6, 6.0, 6.0, True)


def test_social_value_path_is_cumulative():
    path = social_value_path(*sv_tables(), as_of="2025-03")
    hours = path[(path.contract_id == "S1") & (path.measure == "training_hours")]
    assert hours["period"].tolist() == ["2025-01", "2025-02", "2025-03"]
    assert hours["cumulative"].tolist() == [10.0, 20.0, 30.0]
    assert hours["pro_rata"].tolist() == [10.0, 20.0, 30.0]  # 240 / 24 a month
    assert path[path.contract_id == "S2"].empty
