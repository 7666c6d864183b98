"""Module 6 criteria library: the measurable commitments (KPIs) an entry may carry, and their checks."""

from __future__ import annotations

import pytest
import yaml

from helpers.core.errors import LearnerError
from helpers.tendering.library import commitments_of, commitments_table, load_library, validate_library

from .test_library import good_entry

KPI = {"id": "recycled_share", "name": "Recycled share", "unit": "%", "direction": "higher"}


def test_shipped_commitments_are_where_a_measurable_commitment_is_natural(library):
    counts = library["commitments"].map(len)
    assert counts.sum() == 30 and (counts > 0).sum() == 29
    # never on what is checked before award, never on the gender entries (their own thread)
    assert counts[library["type"].isin(["reservation", "selection_criterion"])].sum() == 0
    assert counts[library["theme"] == "gender"].sum() == 0
    kpis = [k for ks in library["commitments"] for k in ks]
    assert {k["direction"] for k in kpis} == {"higher", "lower"}
    assert {k.get("measure") for k in kpis} - {None} == {
        "work_placements",
        "priority_group_hires",
        "apprenticeships",
        "training_hours",
    }
    assert commitments_of(library.loc["SOC-ANY-02"]) == [
        {
            "id": "people_far_from_work_employed",
            "name": "People facing barriers to work employed on the contract",
            "unit": "people",
            "direction": "higher",
            "measure": "priority_group_hires",
        }
    ]
    assert commitments_of(library.loc["INN-PLAY-01"]) == []


@pytest.mark.parametrize(
    ("commitments", "expected"),
    [
        ("a list", "commitments must be a list of KPIs"),
        ([{**KPI, "direction": "up"}], "direction must be higher or lower (which is better), not 'up'"),
        ([{**KPI, "unit": ""}], "commitment recycled_share: the field 'unit' is missing or empty"),
        ([{**KPI, "id": "Recycled Share"}], "the id must be lower_snake_case"),
        ([KPI, KPI], "the id recycled_share is used twice in this entry"),
        ([{**KPI, "measure": "national_tom_1"}], "measure 'national_tom_1' is not in the open measure set"),
        ([{**KPI, "target": 50}], "unknown field(s) target"),
        (["x"], "commitment 1: a commitment must be a mapping"),
    ],
)
def test_a_bad_commitment_is_named(commitments, expected):
    problems = validate_library([good_entry(commitments=commitments)])
    assert len(problems) == 1 and expected in problems[0] and problems[0].startswith("entry X-01")


def test_a_selection_criterion_carries_no_commitments():
    entry = good_entry(type="selection_criterion", weight_range=None, commitments=[KPI])
    assert validate_library([entry]) == [
        "entry X-01: a selection criterion is checked before award, so it carries no commitments"
    ]


def test_a_good_commitment_passes_and_a_bad_file_stops_loading_with_its_name(tmp_path):
    assert validate_library([good_entry(commitments=[{**KPI, "measure": "training_hours"}])]) == []
    (tmp_path / "mine.yaml").write_text(
        yaml.safe_dump([good_entry(commitments=[{**KPI, "direction": "more"}])]), encoding="utf-8"
    )
    with pytest.raises(LearnerError) as caught:
        load_library(tmp_path)
    assert caught.value.file == "mine.yaml"
    assert "commitment recycled_share: direction must be higher or lower" in str(caught.value)


def test_the_playground_drafts_commitments_in_the_learners_words(library):
    table = commitments_table(library)
    assert len(table) == 7 and (table["KPI"] == "none in the library").sum() == 2
    row = table.set_index("criterion").loc["LOC-PLAY-01"]
    assert (
        row["KPI"] == "Work placements completed during installation"
        and row["social-value measure"] == "work_placements"
    )
    assert row["type"] == "contract performance clause" and row["better when"] == "higher"
    assert commitments_table(library, ["SOC-CARE-01"])["KPI"].tolist() == [
        "Regular carers per person per month (average)",
        "Staff turnover on the contract",
    ]
    with pytest.raises(LearnerError, match="not in the criteria library: XX-01"):
        commitments_table(library, ["XX-01"])
