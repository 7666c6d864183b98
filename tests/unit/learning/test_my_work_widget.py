"""The start-here "Your work" tool, driven as a learner would: download, restore, forget."""

from __future__ import annotations

import zipfile
from datetime import UTC, datetime

import pytest

from helpers.learning import my_work_widget
from helpers.learning.my_work_widget import MyWorkTool
from helpers.learning.progress import store


@pytest.fixture()
def course(tmp_path, monkeypatch):
    root = tmp_path / "course-folder"
    (root / "course").mkdir(parents=True)
    (root / "course" / "course.yml").write_text("modules: []\n", encoding="utf-8")
    monkeypatch.setenv("SPW_ROOT", str(root))
    monkeypatch.setenv("SPW_WORK_DIR", str(tmp_path / "work-a"))
    monkeypatch.delenv("SPW_HOSTING", raising=False)
    for name in ("BINDER_REQUEST", "BINDER_SERVICE_HOST", "BINDER_REPO_URL", "BINDER_LAUNCH_HOST"):
        monkeypatch.delenv(name, raising=False)
    return root


def test_download_then_restore_on_another_machine(course, tmp_path, monkeypatch):
    store().save_draft("criteria", "School meals", {"price_weight": 40})
    store().record_answer("m00-cycle", "00", 2, True)
    tool = MyWorkTool()
    assert "set by SPW_WORK_DIR" in tool.where.value and "1 answer, 1 draft" in tool.where.value
    tool.download.click()
    assert 'download="my-work-' in tool.link.html and "Download my work" in tool.link.html
    archive = next((tmp_path / "work-a" / "downloads").glob("my-work-*.zip"))
    assert "progress.json" in zipfile.ZipFile(archive).namelist()

    monkeypatch.setenv("SPW_WORK_DIR", str(tmp_path / "work-b"))  # next week's Binder session
    fresh = MyWorkTool()
    assert "nothing saved yet" in fresh.where.value
    fresh.upload.value = (
        {
            "name": archive.name,
            "type": "application/zip",
            "size": archive.stat().st_size,
            "content": memoryview(archive.read_bytes()),
            "last_modified": datetime(2026, 12, 1, tzinfo=UTC),
        },
    )
    assert "2 added" in fresh.restored.value and "criteria / School meals" in fresh.restored.value
    assert "restored" in fresh.message.value and "1 draft" in fresh.where.value
    assert store().load_draft("criteria", "School meals") == {"price_weight": 40}


def test_a_bad_upload_is_a_message_not_a_traceback(course):
    tool = MyWorkTool()
    tool.upload.value = (
        {
            "name": "holiday.zip",
            "type": "application/zip",
            "size": 3,
            "content": memoryview(b"abc"),
            "last_modified": datetime(2026, 12, 1, tzinfo=UTC),
        },
    )
    assert "holiday.zip is not a course work archive" in tool.message.value
    assert tool.restored.value == ""


def test_forget_asks_first_offers_a_download_and_says_what_it_removed(course, tmp_path):
    store().save_settings("simulator", {"formula": "log"})
    tool = MyWorkTool()
    tool.forget.click()
    assert tool.confirm_box.layout.display == "flex"
    assert "1 tool&#x27;s settings" in tool.confirm_text.value and "Download my work" in tool.final_link.html
    tool.cancel.click()
    assert tool.confirm_box.layout.display == "none" and store().load_settings("simulator") == {"formula": "log"}
    assert tool.final_link.html == ""
    tool.forget.click()
    archives = list((tmp_path / "work-a" / "downloads").glob("my-work-*.zip"))  # one per offer (named by the second)
    assert 1 <= len(archives) <= 2
    tool.confirm.click()
    assert store().load_settings("simulator") == {}
    assert "progress, answers, drafts and settings: 1 file(s)" in tool.forgotten.value
    assert f"downloaded archives: {len(archives)} file(s)" in tool.forgotten.value  # the final downloads, removed
    assert not any((tmp_path / "work-a" / "downloads").glob("*"))
    assert "nothing saved yet" in tool.where.value


def test_binder_notice_and_static_view(course, monkeypatch):
    monkeypatch.setenv("BINDER_SERVICE_HOST", "10.0.0.7")
    tool = MyWorkTool()
    assert "You are on Binder" in tool.where.value
    html = next(iter(tool.static_view())).data
    assert "python -m helpers my-work export my-work.zip" in html and "You are on Binder" in html
    monkeypatch.setenv("SPW_DISPLAY", "static")
    my_work_widget.my_work_tool()  # shows the static view, raises nothing


def test_download_area_for_save_buttons(course, tmp_path, monkeypatch):
    from helpers.learning.my_work_widget import DownloadArea

    saved = tmp_path / "work-a" / "exports" / "plan.md"
    saved.parent.mkdir(parents=True)
    saved.write_text("# Plan\n", encoding="utf-8")
    area = DownloadArea()
    area.show([saved])
    assert "Saved plan.md." in area.html and 'download="plan.md"' in area.html and "Binder" not in area.html
    monkeypatch.setenv("BINDER_REQUEST", "v2/gh/strategic-procurement/workbook/v1.0")
    area.show([saved], text="Your plan is saved.")
    assert area.html.count("Your plan is saved.") == 1 and "You are on Binder" in area.html
    area.offer_on_binder()
    assert "Saved in this session only." in area.html and "Download all my work (one file)" in area.html
    area.clear()
    assert area.html == "" and area.outputs == ()
    monkeypatch.delenv("BINDER_REQUEST")
    area.offer_on_binder()
    assert area.outputs == ()
