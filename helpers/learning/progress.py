"""The learner's progress store: answers, saved drafts and tool settings.

One JSON file per learner (`my_work/progress.json`, git-ignored; `SPW_WORK_DIR`
moves it). Every change is written atomically (temporary file, then rename)
under a file lock (`filelock`: the same on Windows, macOS and Linux), so a crash or two
notebooks saving at once never lose work.
A corrupt file is backed up next to itself and a fresh store is started; a file
with parts of the wrong type is repaired part by part (`progress_schema`), the rest
kept and the original backed up. Either way the learner is told, in the tool they
opened (`helpers.core.notices`), and backups never overwrite each other. Nothing
here deletes data except `reset` and `forget`, which need an explicit confirmation.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from helpers.core import notices
from helpers.core.errors import LearnerError
from helpers.core.paths import my_work_dir
from helpers.core.safety import atomic_write_text, keep_aside
from helpers.learning.progress_schema import FORMAT_VERSION, Unreadable, empty, read_store_text, repair

RESET_CONFIRMATION = "yes, delete my progress"
LOCK_TIMEOUT = 30  # seconds; a save waits this long for another notebook's save to finish


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
        try:
            with FileLock(self.lock_path, timeout=LOCK_TIMEOUT):
                yield
        except Timeout as exc:
            raise LearnerError(
                f"your progress file {self.path} stayed busy for {LOCK_TIMEOUT} seconds",
                fix=f"Another notebook may be saving: try again; if it persists, delete "
                f"{self.lock_path.name} next to it",
            ) from exc

    @property
    def lock_path(self) -> Path:
        return self.path.with_name(self.path.name + ".lock")

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

    def apply(self, change: Callable[[dict[str, Any]], Any]) -> Any:
        """Run `change(data)` on the stored data under the lock and save the result (used by restores)."""
        return self._update(change)

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

    def forget(self, confirmation: str = "") -> list[Path]:
        """Delete the progress file, its backups and its lock; needs `confirmation == RESET_CONFIRMATION`.

        Returns the files removed. Used by "forget everything on this machine".
        """
        if confirmation != RESET_CONFIRMATION:
            raise LearnerError(
                "progress was not deleted", fix=f'To delete your progress, call forget("{RESET_CONFIRMATION}")'
            )
        removed: list[Path] = []
        with self._locked():
            pattern = f"{self.path.stem}.*{self.path.suffix}"
            for path in [self.path, *sorted(self.path.parent.glob(pattern))]:
                if path.is_file():
                    path.unlink()
                    removed.append(path)
        if self.lock_path.is_file():
            with contextlib.suppress(OSError):  # another kernel may hold it this instant; it is empty
                self.lock_path.unlink()
        return removed


# -- checking and merging a progress file from elsewhere (a restored archive) -----------------------------
def valid_progress(data: Any) -> str:
    """ "" when `data` has the progress file's structure, else what is wrong with it (plain words)."""
    if not isinstance(data, dict):
        return "is not a set of answers, drafts and settings"
    for key in ("answers", "drafts", "settings"):
        if not isinstance(data.get(key), dict):
            return f"has no readable {key}"
    version = data.get("version", FORMAT_VERSION)
    if not isinstance(version, int) or version > FORMAT_VERSION:
        return "was saved by a newer version of the course"
    if any(not isinstance(v, dict) for v in data["answers"].values()):
        return "holds an answer that is not a record"
    for tool, drafts in data["drafts"].items():
        if not isinstance(drafts, dict) or any(not isinstance(d, dict) or "content" not in d for d in drafts.values()):
            return f"holds unreadable drafts for the {tool} tool"
    if any(not isinstance(v, dict) for v in data["settings"].values()):
        return "holds unreadable tool settings"
    return ""


_LONG_AGO = datetime(1970, 1, 1, tzinfo=UTC)


def _when(text: Any) -> datetime | None:
    try:
        moment = datetime.fromisoformat(str(text))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _count(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _merge_answers(local: dict, incoming: dict, record: Callable[[str, str, str], None]) -> None:
    for question, theirs in incoming.items():
        ours = local.get(question)
        if ours is None:
            local[question] = dict(theirs)
            record("self-check answer", question, "added")
            continue
        theirs_newer = (_when(theirs.get("updated")) or _LONG_AGO) > (_when(ours.get("updated")) or _LONG_AGO)
        merged = dict(theirs if theirs_newer else ours)
        merged["correct"] = bool(ours.get("correct") or theirs.get("correct"))  # correct once, correct for good
        merged["attempts"] = max(_count(ours.get("attempts")), _count(theirs.get("attempts")))
        if merged == ours:
            record("self-check answer", question, "same" if theirs == ours else "kept")
        else:
            local[question] = merged
            record("self-check answer", question, "updated")


def _merge_drafts(local: dict, incoming: dict, record: Callable[[str, str, str], None], day: str) -> None:
    for tool, drafts in incoming.items():
        mine = local.setdefault(tool, {})
        for name, theirs in drafts.items():
            ours, label = mine.get(name), f"{tool} / {name}"
            if ours is None:
                mine[name] = theirs
                record("draft", label, "added")
            elif ours.get("content") == theirs.get("content"):
                record("draft", label, "same")
            else:
                a, b = _when(ours.get("saved")), _when(theirs.get("saved"))
                if a is None or b is None or a == b:
                    new, number = f"{name} (restored {day})", 2
                    while new in mine:
                        new, number = f"{name} (restored {day}, {number})", number + 1
                    mine[new] = theirs
                    record("draft", f"{tool} / {new}", "both")
                elif b > a:
                    mine[name] = theirs
                    record("draft", label, "updated")
                else:
                    record("draft", label, "kept")


def merge_progress(local: dict, incoming: dict, record: Callable[[str, str, str], None], day: str) -> None:
    """Merge `incoming` progress into `local` in place, never overwriting newer work.

    Answers: the newer attempt's record, correct if either was, the larger attempt count. Drafts: the
    newer wins; with no date (or the same date) and different contents both are kept, the restored one
    named "NAME (restored DAY)". Settings carry no date: this machine's are kept when they differ.
    `record(kind, name, outcome)` is told every decision (outcome: added, updated, kept, both, same).
    """
    _merge_answers(local["answers"], incoming["answers"], record)
    _merge_drafts(local["drafts"], incoming["drafts"], record, day)
    for tool, theirs in incoming["settings"].items():
        ours = local["settings"].get(tool)
        if ours is None:
            local["settings"][tool] = dict(theirs)
        record("tool settings", tool, "added" if ours is None else "same" if ours == theirs else "kept")


def store() -> ProgressStore:
    """The current learner's store (a new handle each time; the file is the state)."""
    return ProgressStore()
