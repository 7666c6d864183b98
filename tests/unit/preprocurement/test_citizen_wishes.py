"""The citizen wishes widget driven from Python: parsing, requirements, saving, a bad line."""

from __future__ import annotations

import json

from helpers.preprocurement.citizens import parse_wishes
from helpers.preprocurement.widgets.citizen_wishes import CitizenWishes
from tests.unit.download_checks import assert_binder_offer, not_on_binder, on_binder


def test_citizen_wishes_parse_and_save(work_dir):
    wishes = parse_wishes("A big slide; children; 3\nShade please; parents\n\n")
    assert wishes["votes"].tolist() == ["3", "1"] and wishes["group"].tolist() == ["children", "parents"]
    tool = CitizenWishes()
    assert tool.requirements.value.startswith("- Climbing play with several levels")
    tool.wishes.value = "A long slide; children 3-6; 4\nA zip line; children 7-12; 9"
    assert tool.result["type"].tolist() == ["functional", "unmatched"]
    assert tool.result["votes"].tolist() == [4, 9]
    tool.requirements.value = "- Sliding play (edited)"
    tool.save.click()
    saved = json.loads((work_dir / "progress.json").read_text())["drafts"]["playground_requirements"]["playground"]
    assert saved["content"]["requirements"] == "- Sliding play (edited)"
    tool.wishes.value = "a; b; c; d"
    assert "should read" in tool.message.value


def test_saving_requirements_offers_all_work_on_binder_only(work_dir, monkeypatch):
    not_on_binder(monkeypatch)
    tool = CitizenWishes()
    assert tool.downloads in tool.widget().children
    tool.save.click()
    assert "Saved in" in tool.status.value and tool.downloads.outputs == ()
    on_binder(monkeypatch)
    tool.save.click()
    assert_binder_offer(tool.downloads, work_dir)
    assert "playground_requirements" in tool.status.value  # the tool's own message stays
