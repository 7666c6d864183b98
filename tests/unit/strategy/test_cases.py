"""Module 4's city cases: each has web sources and the figures the notebook quotes."""

from __future__ import annotations

from helpers.strategy.cases import CASES


def test_cases_have_sources_and_figures():
    assert set(CASES) == {"preston", "koszalin", "famalicao", "rotterdam"}
    assert all(c["sources"] and all(s.startswith("http") for s in c["sources"]) for c in CASES.values())
    assert "€221,000" in CASES["rotterdam"]["text"] and "€60,000" in CASES["rotterdam"]["text"]
    assert "3-5" in CASES["rotterdam"]["text"]
    assert "18.2%" in CASES["preston"]["text"] and "recurring" not in CASES["preston"]["text"]
