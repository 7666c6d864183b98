from __future__ import annotations

import json
import multiprocessing as mp

import pytest

from helpers.core.errors import LearnerError
from helpers.learning.progress import RESET_CONFIRMATION, ProgressStore


def test_answers_drafts_settings_persist_across_handles(work_dir):
    first = ProgressStore()
    first.record_answer("m01-scale", "01", 0, False)
    entry = first.record_answer("m01-scale", "01", 1, True)
    assert entry["attempts"] == 2 and entry["correct"] is True
    first.save_draft("criteria", "School meals", {"price_weight": 40})
    first.save_settings("simulator", {"formula": "log"})
    # A new handle (as after a kernel restart) sees everything.
    second = ProgressStore()
    assert second.answer("m01-scale")["correct"] is True
    assert second.load_draft("criteria", "School meals") == {"price_weight": 40}
    assert second.load_settings("simulator") == {"formula": "log"}
    assert second.list_drafts("criteria") == ["School meals"]
    assert (work_dir / "progress.json").is_file()


def test_a_correct_answer_stays_correct_after_a_wrong_retry(work_dir):
    store = ProgressStore()
    store.record_answer("q", "01", 1, True)
    assert store.record_answer("q", "01", 0, False)["correct"] is True


def test_write_is_atomic_no_temp_files_left(work_dir):
    store = ProgressStore()
    for i in range(5):
        store.save_settings("t", {"i": i})
    leftovers = [p.name for p in work_dir.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []
    assert json.loads((work_dir / "progress.json").read_text())["settings"]["t"] == {"i": 4}


def test_failed_write_keeps_the_previous_file(work_dir, monkeypatch):
    store = ProgressStore()
    store.save_settings("t", {"keep": True})
    before = (work_dir / "progress.json").read_bytes()

    def boom(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("helpers.learning.progress.atomic_write_text", boom)
    with pytest.raises(OSError):
        store.save_settings("t", {"keep": False})
    assert (work_dir / "progress.json").read_bytes() == before


def test_corrupt_file_is_backed_up_and_started_afresh(work_dir):
    work_dir.mkdir(parents=True, exist_ok=True)
    (work_dir / "progress.json").write_text("{not json", encoding="utf-8")
    store = ProgressStore()
    store.save_settings("t", {"x": 1})
    backups = list(work_dir.glob("progress.corrupt-*.json"))
    assert len(backups) == 1 and backups[0].read_text() == "{not json"
    assert "could not be read" in store.messages[0]
    assert store.load_settings("t") == {"x": 1}


def test_reset_needs_confirmation_and_keeps_a_backup(work_dir):
    store = ProgressStore()
    store.save_settings("t", {"x": 1})
    with pytest.raises(LearnerError, match="not reset"):
        store.reset("yes")
    assert store.load_settings("t") == {"x": 1}
    backup = store.reset(RESET_CONFIRMATION)
    assert backup.is_file()
    assert store.load_settings("t") == {}


def test_missing_draft_names_the_choices(work_dir):
    store = ProgressStore()
    store.save_draft("criteria", "Playground", {})
    with pytest.raises(LearnerError, match="Playground"):
        store.load_draft("criteria", "Catering")


def _hammer(path: str, worker: int) -> None:
    store = ProgressStore(path)
    for i in range(20):
        store.record_answer(f"w{worker}-q{i}", "01", i, True)


def test_two_processes_saving_at_once_lose_nothing(tmp_path):
    path = str(tmp_path / "progress.json")
    ctx = mp.get_context("fork")
    procs = [ctx.Process(target=_hammer, args=(path, w)) for w in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(30)
    answers = ProgressStore(path).data()["answers"]
    assert len(answers) == 40


def test_start_here_reports_a_recovered_progress_file(work_dir):
    from helpers.learning.course import where_is_my_work

    work_dir.mkdir(parents=True, exist_ok=True)
    (work_dir / "progress.json").write_text("garbage", encoding="utf-8")
    text = where_is_my_work()
    assert str(work_dir / "progress.json") in text
    assert "could not be read" in text and "progress.corrupt-" in text
