"""Notices for the learner that arise below the tool they opened: the progress store repaired a
damaged file, say. The store posts a notice here; the tool that is running (helpers.ui) takes the
pending notices and shows them in its own message area, so the learner reads them where they are.
"""

from __future__ import annotations

import threading

_PENDING: list[str] = []
_LOCK = threading.Lock()


def post(text: str) -> None:
    """Queue a notice for the next tool that shows messages (the same notice only once)."""
    with _LOCK:
        if text not in _PENDING:
            _PENDING.append(text)


def take() -> list[str]:
    """The pending notices, oldest first; the queue is emptied."""
    with _LOCK:
        pending = list(_PENDING)
        _PENDING.clear()
    return pending
