"""The criteria builder's document fields: title-page details and the learner's notes reach the
document, survive save and load, and the tool's checks stay out of the document."""

from __future__ import annotations

import pytest

from helpers.tendering.widgets.criteria_builder import CriteriaBuilder
from helpers.tendering.widgets.criteria_document import export_note
from helpers.ui.messages import Issue

pytestmark = pytest.mark.usefixtures("quiet_display")


@pytest.fixture()
def builder(library, work_dir):
    return CriteriaBuilder(library=library)


def test_the_playground_draft_starts_with_its_buyer_and_reference(builder):
    assert builder.document.buyer.value == "City of Portavera"
    assert builder.document.reference.value == "PV-T-2025-017"
    assert builder.document.version.value == "1.0" and builder.document.notes.value == ""


def test_notes_and_details_reach_the_document_and_survive_save_and_load(builder, library, work_dir):
    builder.set_weight(0, 30)  # outside the library's range: a warning in the tool
    builder.price_weight.value = 30
    builder.document.notes.value = "Children's choice matters most: 30 points, agreed with the parks team."
    builder.document.reference.value = "PV-T-2025-017/B"
    builder.document.version.value = "0.2"
    assert builder.draft.notes.startswith("Children's choice") and builder.draft.version == "0.2"
    builder.export_button.click()
    md = next((work_dir / "exports").glob("*.md")).read_text(encoding="utf-8")
    assert "## Notes" in md and "agreed with the parks team" in md
    assert "Reference: PV-T-2025-017/B" in md and "Version: 0.2" in md
    assert "WARNING" not in md and "Say why in your notes" not in md
    assert "1 point(s) to check" in builder.export_message.value  # the check is named in the tool instead
    builder.draft_name.value = "with notes"
    builder.save_button.click()
    fresh = CriteriaBuilder(library=library)
    fresh.load("with notes")
    assert fresh.document.notes.value.endswith("agreed with the parks team.")
    assert fresh.document.reference.value == "PV-T-2025-017/B" and fresh.document.version.value == "0.2"
    fresh.document.buyer.value = "Valmora"  # the loaded draft, not the old one, gets the edit
    assert fresh.draft.buyer == "Valmora"


def test_export_note_counts_what_is_still_open():
    assert "nothing to fix" in export_note([])
    note = export_note([Issue("a", "error"), Issue("b", "warning"), Issue("c", "warning"), Issue("d", "info")])
    assert "1 problem(s) and 2 point(s) to check" in note
