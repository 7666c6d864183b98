"""The progress store under attack (issue 11): a valid-JSON file with wrong types is repaired part by
part and the learner told in the tool they opened; backups never overwrite each other; several
processes saving at once lose nothing; a process killed mid-write leaves a readable file."""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import signal
import time

import pytest

from helpers.core import notices
from helpers.core.errors import LearnerError
from helpers.learning.progress import ProgressStore
from helpers.learning.progress_schema import repair
from helpers.tendering.widgets.evaluation_simulator import EvaluationSimulator

pytestmark = pytest.mark.timeout(120)

GOOD_ANSWER = {"module": "01", "attempts": 2, "correct": True, "response": 1, "updated": "2025-01-01T00:00:00+00:00"}


def write(path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_wrong_types_are_repaired_part_by_part_and_the_rest_kept(work_dir):
    path = work_dir / "progress.json"
    original = (
        '{"version": "one", "answers": {"q1": ' + json.dumps(GOOD_ANSWER) + ', "q2": "yes", '
        '"q3": {"attempts": "many", "correct": "maybe", "module": 1}}, '
        '"drafts": {"criteria": {"Meals": {"saved": "x", "content": {"w": NaN, "k": [1, 2]}}, "Bad": 5}, "sim": []}, '
        '"settings": {"simulator": {"price_weight": NaN, "formula": "log", "base": Infinity}, "other": [1]}}'
    )
    write(path, original)
    store = ProgressStore()
    data = store.data()
    assert data["answers"]["q1"] == GOOD_ANSWER  # sound parts kept exactly
    assert data["answers"]["q3"] == {"attempts": 1, "correct": False, "module": "1"}
    assert "q2" not in data["answers"]
    assert data["drafts"] == {"criteria": {"Meals": {"saved": "x", "content": {"w": None, "k": [1, 2]}}}}
    assert data["settings"] == {"simulator": {"formula": "log"}} and data["version"] == 1
    message = store.messages[0]
    assert "could not be used" in message and "its version was a text" in message and "and 5 more" in message
    backups = list(work_dir.glob("progress.damaged-*.json"))
    assert len(backups) == 1 and backups[0].read_text(encoding="utf-8") == original  # nothing lost
    assert notices.take() == [message]  # for the tool that is open
    # the repaired file is sound: the next read says nothing, and saving works
    again = ProgressStore()
    again.save_settings("simulator", {"formula": "relative"})
    assert again.messages == [] and again.load_settings("simulator") == {"formula": "relative"}
    assert json.loads(path.read_text())["answers"]["q1"] == GOOD_ANSWER


@pytest.mark.parametrize("text", ["[]", '"a text"', "null", "12", "[" * 5000 + "]" * 5000, "{" * 3, "\xff\xfe"])
def test_a_file_that_is_no_store_at_all_is_kept_aside_and_a_fresh_one_started(work_dir, text):
    write(work_dir / "progress.json", text)
    store = ProgressStore()
    store.save_settings("t", {"x": 1})
    assert store.load_settings("t") == {"x": 1}
    assert "could not be read" in store.messages[0]
    (backup,) = work_dir.glob("progress.corrupt-*.json")
    assert backup.read_text(encoding="utf-8") == text


def test_two_corruptions_in_one_second_keep_two_backups(work_dir):
    path = work_dir / "progress.json"
    for text in ("{broken", "[also broken]", "{third"):
        write(path, text)
        ProgressStore().data()
    backups = sorted(work_dir.glob("progress.corrupt-*.json"))
    assert sorted(b.read_text() for b in backups) == sorted(["{broken", "[also broken]", "{third"])


def test_a_save_that_would_poison_the_file_is_refused(work_dir):
    store = ProgressStore()
    store.save_settings("simulator", {"price_weight": 40})
    with pytest.raises(LearnerError, match="cannot be saved"):
        store.save_settings("simulator", {"price_weight": float("nan")})
    assert store.load_settings("simulator") == {"price_weight": 40}
    json.loads((work_dir / "progress.json").read_text())  # still strict JSON (no NaN written)


def test_the_simulator_opens_and_tells_the_learner(work_dir, quiet_display):
    settings = '{"source": "tender:PV-T-2025-017", "price_weight": NaN, "formula": "log", "base": [1]}'
    write(work_dir / "progress.json", '{"answers": [], "drafts": {}, "settings": {"simulator": ' + settings + "}}")
    simulator = EvaluationSimulator("PV-T-2025-017")
    assert simulator.formula.value == "log"  # the usable setting is kept and used
    assert "could not be used" in simulator.message.value and "price_weight" in simulator.message.value


def test_a_recovery_notice_shows_in_the_tool_even_after_a_success_message(work_dir, quiet_display):
    simulator = EvaluationSimulator("PV-T-2025-017")
    write(work_dir / "progress.json", '{"answers": {}, "drafts": {}, "settings": {"simulator": 5}}')
    simulator.remember.click()
    assert "could not be used" in simulator.message.value and "Remembered" in simulator.remember_message.value


def _save_many(path: str, worker: int, rounds: int) -> None:
    store = ProgressStore(path)
    for i in range(rounds):
        store.save_settings(f"tool{worker}", {"i": i})
        store.record_answer(f"w{worker}-q{i}", "01", i, True)


def test_several_processes_saving_at_once_lose_nothing(tmp_path):
    path = str(tmp_path / "progress.json")
    ctx = mp.get_context("fork")
    workers = [ctx.Process(target=_save_many, args=(path, w, 15)) for w in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    store = ProgressStore(path)
    data = store.data()
    assert len(data["answers"]) == 60 and store.messages == []
    assert all(data["settings"][f"tool{w}"] == {"i": 14} for w in range(4))
    assert not list(tmp_path.glob("*.corrupt-*")) and not list(tmp_path.glob("*.tmp"))


def _save_forever(path: str) -> None:
    store = ProgressStore(path)
    big = {"rows": [{"bidder": f"B{i}", "price": i * 1.5} for i in range(3000)]}
    i = 0
    while True:
        store.save_draft("criteria", f"draft {i % 5}", {**big, "i": i})
        i += 1


def test_a_process_killed_mid_write_leaves_a_readable_file(tmp_path):
    path = tmp_path / "progress.json"
    first = ProgressStore(path)
    first.save_settings("kept", {"value": "before the crash"})
    ctx = mp.get_context("fork")
    for delay in (0.3, 0.55, 0.8, 1.1):
        writer = ctx.Process(target=_save_forever, args=(str(path),))
        writer.start()
        deadline = time.monotonic() + 60  # a busy machine: wait for the first complete save, then kill mid-write
        while not ProgressStore(path).data()["drafts"].get("criteria") and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(delay)
        os.kill(writer.pid, signal.SIGKILL)
        writer.join(10)
        store = ProgressStore(path)
        data = store.data()  # whole and valid: the last complete save, never half of one
        assert store.messages == [] and data["settings"]["kept"] == {"value": "before the crash"}
        assert data["drafts"]["criteria"] and all(
            len(d["content"]["rows"]) == 3000 for d in data["drafts"]["criteria"].values()
        )
    assert not list(tmp_path.glob("progress.corrupt-*"))


def test_repair_leaves_a_sound_store_exactly_as_it_is():
    sound = {
        "version": 1,
        "answers": {"q": GOOD_ANSWER},
        "drafts": {"criteria": {"A": {"saved": "t", "content": {"nested": [{"x": [1, 2.5, None, True, "s"]}]}}}},
        "settings": {"simulator": {"price_weight": 40, "formula": "log", "bounds": [1, 2]}},
        "future_key": {"kept": True},
    }
    assert repair(json.loads(json.dumps(sound))) == (sound, [])
