"""Module 6 criteria drafts: every draft rule, the default draft and the exported document."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers.tendering.criteria import (
    CriteriaDraft,
    DraftItem,
    default_draft,
    draft_report,
    save_draft_report,
    validate_draft,
)


def school_meals(library, price_weight=40.0) -> CriteriaDraft:
    draft = CriteriaDraft(
        subject="School meals", cpv_code="55523100-3", value_eur=1_200_000, lots=2, price_weight=price_weight
    )
    draft.add(library.loc["GRN-FOOD-01"], weight=15)
    draft.add(library.loc["SOC-CARE-01"], weight=20)  # care criterion in a catering contract
    draft.add(library.loc["FAIR-ANY-03"], weight=10)
    draft.items.append(
        DraftItem(
            custom_text="Quality of the menu and service plan",
            weight=15,
            verification="Sample menus and a tasting panel.",
        )
    )
    draft.add(library.loc["GRN-FOOD-02"])
    draft.add(library.loc["LOC-FOOD-01"])
    draft.add(library.loc["LOC-ANY-01"])
    return draft


def codes(issues):
    return [i.code for i in issues]


def test_a_sound_draft_only_flags_the_unlinked_criterion(library):
    issues = validate_draft(school_meals(library), library)
    assert codes(issues) == ["not_linked"] and issues[0].severity == "warning" and issues[0].item == 1
    assert "85" in issues[0].message and "55" in issues[0].message


def test_weights_must_total_100(library):
    issues = validate_draft(school_meals(library, price_weight=30), library)
    found = [i for i in issues if i.code == "weights_total"]
    assert found and found[0].severity == "error" and "60 points and price 30: together 90" in found[0].message


def test_criterion_without_verification(library):
    draft = school_meals(library)
    draft.items[0].verification = "  "
    assert ("error", "no_verification", 0) in [(i.severity, i.code, i.item) for i in validate_draft(draft, library)]


@pytest.mark.parametrize("position", [4, 5])  # a technical specification, a performance clause
def test_weight_on_a_specification_or_clause(library, position):
    draft = school_meals(library, price_weight=35)
    draft.items[position].weight = 5
    found = [i for i in validate_draft(draft, library) if i.code == "weight_on_non_award"]
    assert len(found) == 1 and found[0].item == position and found[0].severity == "error"
    assert "not in the award" in found[0].message


def test_price_weight_outside_the_rule_of_thumb(library):
    draft = school_meals(library, price_weight=85)
    for item in draft.items[:4]:
        item.weight = item.weight / 4  # 15 quality points: total stays 100
    found = [i for i in validate_draft(draft, library) if i.code == "price_weight_band"]
    assert found[0].severity == "warning"
    assert "course-design rule of thumb" in found[0].message and "Recital 90" in found[0].message
    assert not [i for i in validate_draft(school_meals(library, 40), library) if i.code == "price_weight_band"]


def test_weight_outside_the_typical_range_and_zero_weight(library):
    draft = school_meals(library)
    draft.items[0].weight = 25  # GRN-FOOD-01 typical 5–15
    draft.items[2].weight = 0  # quality criterion with no points
    draft.price_weight = 40  # 25 + 20 + 0 + 15 + 40 = 100
    issues = {i.code: i for i in validate_draft(draft, library)}
    assert issues["weight_outside_range"].severity == "warning" and "5–15" in issues["weight_outside_range"].message
    assert issues["zero_weight"].severity == "error" and issues["zero_weight"].item == 2
    assert "weights_total" not in issues and draft.quality_weight == 60


def test_draft_round_trip_through_plain_data(library):
    draft = school_meals(library)
    data = draft.to_dict()
    assert data["items"][0] == {
        "entry_id": "GRN-FOOD-01",
        "type": "award_criterion",
        "weight": 15,
        "values": {},
        "custom_text": "",
        "verification": library.loc["GRN-FOOD-01", "verification"],
        "title": "Organic share of food supplied",
    }
    again = CriteriaDraft.from_dict({**data, "unknown_key": 1})
    assert again == draft and isinstance(again.items[0], DraftItem)


def test_exported_docx_holds_wording_and_weights(library, tmp_path):
    docx = pytest.importorskip("docx")
    draft = school_meals(library)
    draft.items[0].values = {"full_marks_share": 45}
    path = save_draft_report(draft, library, tmp_path / "criteria.docx")
    document = docx.Document(str(path))
    text = "\n".join(
        [p.text for p in document.paragraphs] + [c.text for t in document.tables for r in t.rows for c in r.cells]
    )
    assert "45% or more earns full points" in text
    assert "Quality of the menu and service plan" in text
    table = document.tables[1]  # tables[0] is the title page's facts
    points = {r.cells[1].text: r.cells[3].text for r in table.rows[1:]}
    assert points["Organic share of food supplied"] == "15" and points["Price"] == "40"
    assert "lowest valid price receives 40 points" in text
    assert "Kitchen training places in the area served" in text  # performance clause section
    assert "WARNING" not in text and "Say why in your notes" not in text  # the checks stay in the tool


def test_markdown_report_sections(library, tmp_path):
    report = draft_report(school_meals(library), library)
    headings = [s.heading for s in report.sections]
    assert headings[:3] == ["Contract summary", "Award criteria", "Price scoring"]
    path = save_draft_report(school_meals(library), library, tmp_path / "c.md")
    text = Path(path).read_text(encoding="utf-8")
    assert "| 1 | Organic share of food supplied |" in text and "Verification:" in text


def test_default_draft_for_another_cpv_adds_up(library):
    draft = default_draft(library, "55523100-3", "School meals", 3_600_000)
    assert draft.quality_weight + draft.price_weight == 100
    assert {i.type for i in draft.items} == {
        "award_criterion",
        "technical_specification",
        "contract_performance_clause",
    }
