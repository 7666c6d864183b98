"""LM3: the brief's worked example exactly, survey weighting, scenarios and the what-if shift."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.core.errors import LearnerError
from helpers.spend.lm3 import lm3, lm3_from_analysis, lm3_scenario, northumberland_explainer, what_if_shift
from tests.unit.spend.test_indicators import make_payments


def test_brief_worked_example_exactly():
    result = lm3_from_analysis(10.0e6, 4.0e6, respend_rate=0.40)
    assert result.round3 == pytest.approx(1.6e6, abs=1e-6)
    assert round(result.lm3, 2) == 1.56 and result.lm3 == pytest.approx(1.56, abs=1e-12)
    assert lm3(10.0, 4.0, 1.6) == pytest.approx(1.56, abs=1e-12)


def test_brief_scenario_sixty_percent_local():
    result = lm3_scenario(10.0e6, 0.60, 0.40)
    assert (result.round2, result.round3) == (pytest.approx(6.0e6), pytest.approx(2.4e6))
    assert round(result.lm3, 2) == 1.84 and result.lm3 == pytest.approx(1.84, abs=1e-12)


def test_lm3_rejects_impossible_rounds():
    with pytest.raises(LearnerError, match="round 1"):
        lm3(0, 0, 0)
    with pytest.raises(LearnerError, match="round 2"):
        lm3(10, 11, 1)
    with pytest.raises(LearnerError, match="round 3"):
        lm3(10, 4, 5)
    with pytest.raises(LearnerError, match="0.40"):
        lm3_scenario(10, 60, 0.4)  # 60 instead of 0.60


def test_survey_per_supplier_weighted_by_spend():
    p = make_payments()
    local = p[p["level"] == "city"]  # Alpha 400, Zeta 50, Theta 20 = 470
    survey = pd.DataFrame({"supplier_group": ["Alpha", "Zeta", "Nobody"], "respend_share": [0.5, 0.2, 0.9]})
    # surveyed: 0.5*400 + 0.2*50 = 210 over 450; Theta's 20 at the average 210/450
    r = lm3_from_analysis(1000.0, local, survey=survey)
    assert r.round2 == 470.0 and r.survey_coverage == pytest.approx(450 / 470)
    assert r.round3 == pytest.approx(210 + 20 * 210 / 450)
    # unsurveyed spend at a given 10%: 210 + 2 = 212 -> (1000 + 470 + 212) / 1000
    r2 = lm3_from_analysis(1000.0, local, respend_rate=0.10, survey=survey)
    assert r2.lm3 == pytest.approx(1.682)


def test_survey_per_category_and_bad_answers():
    spend = pd.Series({"Works": 300.0, "Catering": 100.0})
    survey = pd.DataFrame({"category": ["Works", "Catering"], "respend_share": [0.4, 0.1]})
    r = lm3_from_analysis(1000.0, spend, survey=survey)
    assert r.round3 == pytest.approx(130.0) and r.lm3 == pytest.approx(1.53)  # (1000 + 400 + 130) / 1000
    with pytest.raises(LearnerError, match="line 3"):
        lm3_from_analysis(1000.0, spend, survey=survey.assign(respend_share=[0.4, 40]))
    with pytest.raises(LearnerError, match="not one number"):
        lm3_from_analysis(1000.0, 400.0, survey=survey)


def test_northumberland_explainer():
    n = northumberland_explainer()
    assert (n["local_respend"], n["nonlocal_respend"]) == (0.76, 0.36)
    assert n["per_pound_local"] == pytest.approx(1 + n["local_respend"])
    assert n["per_pound_nonlocal"] == 0.36 and n["shift"] == 0.10 and n["shift_gain_gbp"] == 34_000_000
    assert "1 + 0.76" in n["explanation"] and "local suppliers only" in n["explanation"]


def test_what_if_shift():
    p = make_payments()
    # known non-local spend in Works and Catering: Eta 30 (country) + Beta 200-30 (region) = 200
    share, new_lm3 = what_if_shift(p, 10, ["Works", "Catering"], respend_rate=0.4)
    assert share == pytest.approx(0.49)
    assert new_lm3 == pytest.approx(1 + 0.49 + 0.49 * 0.4)
    # None: categories already buying locally (Works, Catering, Other); Other's non-local is unknown
    assert what_if_shift(p, 10, None, 0.4)[0] == pytest.approx(0.49)
    # the learner's own list is trusted: half of IT's 250 (Gamma, Delta) moves
    assert what_if_shift(p, 50, ["IT"], 0.4)[0] == pytest.approx(0.595)
    assert what_if_shift(p, 0, None, 0.4)[0] == pytest.approx(0.47)
    with pytest.raises(LearnerError, match="percentage"):
        what_if_shift(p, 150, None, 0.4)
