"""The learner's progress store: answers, saved drafts and tool settings.

One JSON file per learner (`my_work/progress.json`, git-ignored; `SPW_WORK_DIR`
moves it). Every change is written atomically (temporary file, then rename)
under a file lock, so a crash or two notebooks saving at once never lose work.
A corrupt file is backed up next to itself and a fresh store is started; a file
with parts of the wrong type is repaired part by part (`progress_schema`), the rest
kept and the original backed up. Either way the learner is told, in the tool they
opened (`helpers.core.notices`), and backups never overwrite each other. Nothing
here deletes data except `reset`, which needs an explicit confirmation.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from helpers.core import notices
from helpers.core.errors import LearnerError
from helpers.core.paths import my_work_dir
from helpers.core.safety import atomic_write_text, keep_aside
from helpers.learning.progress_schema import Unreadable, empty, read_store_text, repair

RESET_CONFIRMATION = "yes, delete my progress"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _empty() -> dict[str, Any]:
    return empty()


def _dumps(data: dict) -> str:
    return json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True, allow_nan=False)


class ProgressStore:
    """Read and update the progress file; every method re-reads it, so two kernels stay in step."""

    def __init__(self, path: str | os.PathLike | None = None) -> None:
        self.path = Path(path) if path else my_work_dir() / "progress.json"
        self.messages: list[str] = []

    # -- low level -----------------------------------------------------------------
    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock_path = self.path.with_name(self.path.name + ".lock")
        with open(lock_path, "a+") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _tell(self, text: str) -> None:
        """A message for the learner: kept here and shown by the tool that is open."""
        self.messages.append(text)
        notices.post(text)

    def _read(self) -> dict[str, Any]:
        if not self.path.exists():
            return _empty()
        try:
            data, problems = repair(json.loads(read_store_text(self.path)))
        except (ValueError, RecursionError) as exc:  # not JSON, not a store, too large (Unreadable)
            backup = keep_aside(self.path, "corrupt")
            why = f" ({exc})" if isinstance(exc, Unreadable) else ""
            self._tell(
                f"Your progress file {self.path} could not be read{why}, so it was kept as {backup.name} "
                "and a fresh one was started. Your trainer can help recover answers from the backup."
            )
            return _empty()
        if problems:
            backup = keep_aside(self.path, "damaged")
            atomic_write_text(self.path, _dumps(data))
            listed = "; ".join(problems[:5]) + (f"; and {len(problems) - 5} more" if len(problems) > 5 else "")
            self._tell(
                f"Some parts of your progress file could not be used and were left out or reset ({listed}); "
                f"everything else was kept. The file as it was is kept as {backup.name}."
            )
        return data

    def _update(self, change) -> Any:
        with self._locked():
            data = self._read()
            result = change(data)
            try:
                _, problems = repair(data)
            except Unreadable as exc:
                problems = [str(exc)]
            if problems:  # never write what the next read would have to repair
                raise LearnerError(
                    f"this cannot be saved: {problems[0]}", fix="Check the values, e.g. a number that is not finite"
                )
            atomic_write_text(self.path, _dumps(data))
            return result

    def data(self) -> dict[str, Any]:
        """A snapshot of everything saved."""
        with self._locked():
            return self._read()

    # -- answers ---------------------------------------------------------------------
    def record_answer(self, question_id: str, module: str, response: Any, correct: bool) -> dict:
        """Remember an attempt; a question once answered correctly stays correct."""

        def change(data: dict) -> dict:
            entry = data["answers"].setdefault(question_id, {"module": module, "attempts": 0, "correct": False})
            entry["attempts"] += 1
            entry["response"] = response
            entry["correct"] = bool(entry["correct"] or correct)
            entry["updated"] = _now()
            return dict(entry)

        return self._update(change)

    def answer(self, question_id: str) -> dict | None:
        return self.data()["answers"].get(question_id)

    # -- drafts ----------------------------------------------------------------------
    def save_draft(self, tool: str, name: str, content: Any) -> None:
        """Save (or replace) a named draft of a tool, e.g. tool='criteria', name='School meals'."""
        if not str(name).strip():
            raise LearnerError("a draft needs a name", fix="Type a name for your draft and save again")

        def change(data: dict) -> None:
            data["drafts"].setdefault(tool, {})[str(name)] = {"saved": _now(), "content": content}

        self._update(change)

    def load_draft(self, tool: str, name: str) -> Any:
        drafts = self.data()["drafts"].get(tool, {})
        if name not in drafts:
            raise LearnerError(
                f"no saved draft called {name!r} for the {tool} tool",
                fix=f"Choose one of: {', '.join(sorted(drafts)) or 'none saved yet'}",
            )
        return drafts[name]["content"]

    def list_drafts(self, tool: str) -> list[str]:
        return sorted(self.data()["drafts"].get(tool, {}))

    def delete_draft(self, tool: str, name: str) -> None:
        self._update(lambda data: data["drafts"].get(tool, {}).pop(name, None))

    # -- settings --------------------------------------------------------------------
    def save_settings(self, tool: str, settings: dict) -> None:
        self._update(lambda data: data["settings"].__setitem__(tool, dict(settings)))

    def load_settings(self, tool: str, default: dict | None = None) -> dict:
        return dict(self.data()["settings"].get(tool, default or {}))

    # -- reset -----------------------------------------------------------------------
    def reset(self, confirmation: str = "") -> Path | None:
        """Start afresh, keeping a backup; needs `confirmation == RESET_CONFIRMATION`."""
        if confirmation != RESET_CONFIRMATION:
            raise LearnerError(
                "progress was not reset", fix=f'To delete your progress, call reset("{RESET_CONFIRMATION}")'
            )
        with self._locked():
            if not self.path.exists():
                return None
            return keep_aside(self.path, "before-reset")


def store() -> ProgressStore:
    """The current learner's store (a new handle each time; the file is the state)."""
    return ProgressStore()
