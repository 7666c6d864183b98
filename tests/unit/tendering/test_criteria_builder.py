"""Module 6 criteria builder, built in Python on the shipped library and driven through its controls."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpers.learning.progress import ProgressStore
from helpers.tendering.widgets.criteria_builder import CriteriaBuilder, static_criteria_builder
from tests.unit.download_checks import (
    assert_binder_offer,
    assert_links,
    assert_local_links_only,
    not_on_binder,
    on_binder,
)

BIDS = Path(__file__).resolve().parents[2] / "fixtures" / "bids"

pytestmark = pytest.mark.usefixtures("quiet_display")


@pytest.fixture()
def builder(library, work_dir):
    return CriteriaBuilder(library=library)


def text(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


def test_static_criteria_builder_shows_the_default_draft():
    items = static_criteria_builder()
    table = items[1]
    assert list(table["points"]) == [20, 15, 15, 10, 0, 0, 0, 40]
    assert items[2].layout.title.text == "Award weights in the draft: 100 of 100 points"
    assert "No problems found" in items[3].data


def test_builder_default_draft_is_clean_and_weights_drive_the_checks(builder):
    assert len(builder.draft.items) == 7 and builder.draft.quality_weight == 60
    assert "No problems found" in builder.validation.value
    builder.set_weight(0, 15)  # children's choice 20 → 15
    assert (
        "the award criteria carry 55 points and price 40: together 95, but they must add up to 100"
        in builder.validation.value
    )
    assert (
        "spw-error" in builder.validation.value and "Quality 55 + price 40 = <b>95</b>" in builder.weights_summary.value
    )
    builder.price_weight.value = 45  # back to 100 in total
    assert "No problems found" in builder.validation.value
    builder.price_weight.value = 85
    assert "outside 20–80" in builder.validation.value and "spw-warning" in builder.validation.value


def test_builder_performance_clause_with_points_belongs_in_a_clause(builder, library):
    builder.theme.value = "green"
    assert all(library.loc[v, "theme"] == "green" for _, v in builder.suggestion.options)
    builder.suggestion.value = "GRN-ANY-01"
    assert "Carbon reporting for the contract" in builder.card.value and "Verification:" in builder.card.value
    builder.add_selected()
    builder.set_weight(7, 5)
    assert (
        "item 8 (Carbon reporting for the contract) is a contract performance clause but has 5 points: it "
        "belongs in a contract clause"
    ) in builder.validation.value
    builder.remove(7)
    assert "No problems found" in builder.validation.value


def test_builder_placeholders_fill_the_wording(builder):
    box = next(b for b in builder.placeholder_boxes[5] if b.description == "years")  # repair before replacement
    box.value = "12"
    assert builder.draft.items[5].values == {"years": "12"}
    assert "for at least 12 years" in text(builder.items_box.children[5].children[1].value)


def test_builder_escapes_learner_text(builder):
    builder.cpv.value = "<b>x</b>"
    assert "&lt;b&gt;x&lt;/b&gt;" in builder.validation.value and "<b>x</b>" not in builder.validation.value


def test_builder_save_and_load_round_trip(builder, library, work_dir):
    builder.set_weight(0, 25)
    builder.price_weight.value = 35
    builder.draft_name.value = "Playground v1"
    assert not (work_dir / "progress.json").exists()  # nothing saved before the click
    builder.save_button.click()
    assert "Saved the draft “Playground v1”" in builder.save_message.value
    assert ProgressStore(work_dir / "progress.json").list_drafts("criteria") == ["Playground v1"]
    fresh = CriteriaBuilder(library=library)
    assert fresh.saved.options == ("Playground v1",) and fresh.draft.items[0].weight == 20
    fresh.load("Playground v1")
    assert fresh.draft.items[0].weight == 25 and fresh.price_weight.value == 35
    assert fresh.weight_boxes[0].value == 25 and "No problems found" in fresh.validation.value


def test_builder_export_writes_docx_and_markdown(builder, work_dir):
    builder.export_button.click()
    written = sorted(p.name for p in (work_dir / "exports").iterdir())
    assert written == [
        "criteria_playground_equipment_supply_and_maintena.docx",
        "criteria_playground_equipment_supply_and_maintena.md",
    ]
    assert "criteria_playground" in builder.export_message.value
    md = (work_dir / "exports" / written[1]).read_text(encoding="utf-8")
    assert "Price carries 40 points" in md and "Children's choice of design" in md


def test_builder_export_links_each_file_and_a_saved_draft_warns_on_binder(builder, work_dir, monkeypatch):
    not_on_binder(monkeypatch)
    box = builder.widget()
    assert builder.save_downloads in box.children and builder.export_downloads in box.children
    builder.save_button.click()
    assert "Saved the draft" in builder.save_message.value and builder.save_downloads.outputs == ()
    written = builder.export()
    assert [p.name for p in written] == [
        "criteria_playground_equipment_supply_and_maintena.docx",
        "criteria_playground_equipment_supply_and_maintena.md",
    ]
    assert_local_links_only(builder.export_downloads, written)
    on_binder(monkeypatch)
    builder.save_button.click()  # a draft in the progress file: Binder's warning and all work as one file
    assert_binder_offer(builder.save_downloads, work_dir)
    builder.load(builder.saved.value)  # loading is not saving: the offer goes
    assert builder.save_downloads.outputs == ()
    builder.export_button.click()
    assert_links(builder.export_downloads, written)
    assert_binder_offer(builder.export_downloads, work_dir)
