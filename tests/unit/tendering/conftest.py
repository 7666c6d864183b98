"""Shared fixtures of the module 6 tests."""

from __future__ import annotations

import IPython.display
import pytest

from helpers.tendering.library import load_library


@pytest.fixture(scope="module")
def library():
    return load_library()


@pytest.fixture()
def quiet_display(monkeypatch):
    """Outside a kernel `display` prints figures; the tests read `figures` instead."""
    monkeypatch.setattr(IPython.display, "display", lambda *a, **k: None)
