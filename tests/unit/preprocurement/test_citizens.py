"""Module 5's citizen wishes: Beverwijk's steps and wishes turned into requirements."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.core.errors import LearnerError
from helpers.preprocurement.citizens import BEVERWIJK_SOURCE, BEVERWIJK_STEPS, wishes_to_requirements


def test_beverwijk_steps_are_five_with_source():
    assert len(BEVERWIJK_STEPS) == 5 and "children" in BEVERWIJK_STEPS[4].lower()
    assert BEVERWIJK_SOURCE.startswith("https://www.stichtingrijk.nl/")


def test_wishes_become_requirements():
    wishes = pd.DataFrame(
        {
            "wish": [
                "A big climbing frame",
                "Swings for my little sister",
                "Somewhere to sit in the shade",
                "Ropes to climb",
                "A dragon",
                "Soft ground so we don't get hurt",
            ],
            "group": ["children", "children", "parents", "children", "children", "parents"],
            "votes": [12, 7, 5, 4, 3, 6],
        }
    )
    req = wishes_to_requirements(wishes)
    climbing = req[req["requirement"].str.startswith("Climbing")].iloc[0]
    assert (climbing["votes"], climbing["wishes"], climbing["type"]) == (16, 2, "functional")  # 12 + 4
    assert climbing["from_wishes"] == "A big climbing frame; Ropes to climb"
    # "sit in the shade" feeds both seating and shade (5 votes each)
    assert req.loc[req["requirement"].str.startswith("Seating"), "votes"].item() == 5
    assert req.loc[req["requirement"].str.startswith("Shade"), "votes"].item() == 5
    safety = req[req["type"] == "performance"]
    assert safety["votes"].tolist() == [6] and safety["groups"].item() == "parents"
    assert req["requirement"].iloc[0].startswith("Climbing")  # most votes first
    assert req.iloc[-1].to_dict()["type"] == "unmatched" and req.iloc[-1]["requirement"] == "Review by hand: A dragon"


def test_wishes_input_errors():
    with pytest.raises(LearnerError, match="votes"):
        wishes_to_requirements(pd.DataFrame({"wish": ["x"], "group": ["g"]}))
    with pytest.raises(LearnerError, match="row 2"):
        wishes_to_requirements(pd.DataFrame({"wish": ["a", "b"], "group": ["g", "g"], "votes": [1, "many"]}))
