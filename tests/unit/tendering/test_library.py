"""Module 6 criteria library: its checks, suggestions and wording."""

from __future__ import annotations

import pytest

from helpers.core.errors import LearnerError
from helpers.tendering.library import (
    THEMES,
    cpv_division,
    fill_wording,
    load_library,
    suggest_criteria,
    validate_library,
)

SOURCE_URLS = {
    "https://eur-lex.europa.eu/eli/dir/2014/24/oj",
    "https://eur-lex.europa.eu/eli/dir/2019/1161/oj",
    "https://eur-lex.europa.eu/legal-content/AUTO/?uri=CELEX:52021XC0618(01)",
    "https://public-buyers-community.ec.europa.eu/resources/buying-social-guide",
    "https://green-forum.ec.europa.eu/green-public-procurement/gpp-criteria-and-requirements_en",
    "https://ec.europa.eu/environment/gpp/pdf/Buying-Green-Handbook-3rd-Edition.pdf",
    "https://socialvalueportal.com/global-goals-national-toms/",
    "https://eige.europa.eu/gender-mainstreaming/toolkits/grpp/post-procurement-stage",
    "https://eige.europa.eu/gender-mainstreaming/methods-tools/gender-procurement",
    "https://eige.europa.eu/topics/economic-and-financial-affairs?lang=mt&page=3",
    "https://www.hankintakeino.fi/en/topic/innovations",
    "https://www.stichtingrijk.nl/kinderen-in-beverwijk-kiezen-favoriete-speeltuin-bij-aanbesteding-speeltoestellen/",
}


def good_entry(**change):
    entry = {
        "id": "X-01",
        "title": "t",
        "theme": "green",
        "type": "award_criterion",
        "wording": "Use {n}%.",
        "placeholders": {"n": {"description": "d", "default": 5}},
        "verification": "v",
        "link_to_subject_matter": "l",
        "weight_range": [5, 10],
        "cpv_divisions": ["15"],
        "source": {"name": "s", "url": "https://example.org"},
    }
    entry.update(change)
    return entry


def test_shipped_library_is_complete_and_sourced(library):
    assert len(library) >= 60 and library["id"].is_unique
    assert set(library["theme"]) == set(THEMES)
    assert set(library["source_url"]) <= SOURCE_URLS
    for division in ("15", "55", "90", "45", "30", "34", "60", "85", "37"):
        assert library["cpv_divisions"].map(lambda ds, d=division: d in ds).sum() >= 3, division
    award = library[library["type"] == "award_criterion"]
    assert award["weight_range"].map(lambda r: r[0] <= r[1]).all()
    assert library.loc[library["type"] != "award_criterion", "weight_range"].isna().all()
    local = library[library["theme"] == "local_economy_sme"]
    assert not local["wording"].str.contains("based in|local supplier", case=False).any()


def test_validate_library_names_each_problem():
    assert validate_library([good_entry()]) == []
    problems = validate_library(
        [
            good_entry(theme="greem", file="food.yaml"),
            good_entry(source={"name": ""}, file="food.yaml"),
            {k: v for k, v in good_entry(id="X-02").items() if k != "verification"},
            good_entry(id="X-03", type="contract_performance_clause"),
            good_entry(id="X-04", wording="Use {m}%."),
        ]
    )
    text = "\n".join(problems)
    assert "food.yaml, entry X-01: theme 'greem'" in text
    assert "X-01: the id X-01 is used twice" in text
    assert "source needs a name and a url" in text
    assert "X-02: the field 'verification' is missing" in text
    assert "X-03: only award criteria carry a weight_range" in text
    assert "{m} but it is not listed" in text


def test_load_library_rejects_a_bad_entry_naming_file_and_entry(tmp_path):
    (tmp_path / "mine.yaml").write_text("- id: BAD-01\n  title: t\n  theme: purple\n", encoding="utf-8")
    with pytest.raises(LearnerError, match=r"mine\.yaml: entry BAD-01") as caught:
        load_library(tmp_path)
    assert "more problem" in str(caught.value)
    (tmp_path / "mine.yaml").write_text("- id: [unclosed\n", encoding="utf-8")
    with pytest.raises(LearnerError, match="not valid YAML"):
        load_library(tmp_path)


def test_suggest_criteria_for_playgrounds(library):
    found = suggest_criteria(library, "37535200-9")
    assert "INN-PLAY-01" in found.index and "LOC-ANY-01" in found.index
    assert "GRN-FOOD-01" not in found.index
    assert found["match"].iloc[0] == "this sector" and found["match"].iloc[-1] == "any contract"
    gender = suggest_criteria(library, "37535200-9", themes=["gender"])
    assert set(gender["theme"]) == {"gender"} and "GEN-PLAY-01" in gender.index
    with pytest.raises(LearnerError, match="not a CPV code"):
        cpv_division("playgrounds")


def test_fill_wording_uses_values_then_defaults_and_evaluates_nothing(library):
    entry = library.loc["GRN-FOOD-01"]
    text = fill_wording(entry, {"full_marks_share": 50})
    assert "50% or more earns full points" in text and "below 10% earns none" in text
    sneaky = fill_wording(entry, {"min_share": "{full_marks_share} __import__('os')"})
    assert "{full_marks_share} __import__('os')%" in sneaky  # kept as typed, not re-substituted
    assert fill_wording({"wording": "a {x} b", "placeholders": {}}) == "a {x} b"


def test_legal_entries_cite_the_law_on_eur_lex(library):
    legal = library[library["source"].str.startswith(("Directive", "Clean Vehicles Directive"))]
    assert len(legal) >= 6
    assert legal["source_url"].str.startswith("https://eur-lex.europa.eu/").all()


def test_reserved_contracts_are_reservations_with_the_art_20_floor(library):
    art20 = library.loc["SOC-ANY-01"]
    assert art20["type"] == "reservation" and art20["weight_range"] is None
    assert "Article 20 of Directive 2014/24/EU" in art20["wording"] and "Art. 20(2)" in art20["link_to_subject_matter"]
    assert (
        art20["placeholders"]["share"]["default"] == 30
        and "never less" in art20["placeholders"]["share"]["description"]
    )
    art77 = library.loc["SOC-ANY-05"]
    assert art77["type"] == "reservation" and "Article 77" in art77["wording"]
    assert art77["placeholders"]["years"]["default"] == 3 and "85" in art77["cpv_divisions"]
    assert set(library.loc[library["type"] == "reservation"].index) == {"SOC-ANY-01", "SOC-ANY-05"}


def test_childrens_choice_carries_the_art_67_4_caveat(library):
    entry = library.loc["INN-PLAY-01"]
    assert (
        "Art. 67(4)" in entry["link_to_subject_matter"]
        and "unrestricted freedom of choice" in entry["link_to_subject_matter"]
    )
    assert "sub-criteria published in the tender documents" in entry["wording"]


def test_vehicles_criteria_include_the_clean_vehicles_directive_targets(library):
    entry = library.loc["GRN-VEH-06"]
    assert entry["source_url"] == "https://eur-lex.europa.eu/eli/dir/2019/1161/oj"
    assert "binding minimum shares" in entry["link_to_subject_matter"] and "zero-emission" in entry["wording"]
    assert "1 January 2026 to 31 December 2030" in entry["link_to_subject_matter"]
