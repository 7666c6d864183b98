"""The course cities' analyses cached on disk (`helpers.spend.city_cache`): read back exactly, ignored
when stale or damaged, and used by `analyse_city`."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.spend import city_cache, pipeline

pytestmark = pytest.mark.skipif(city_cache.pa is None, reason="pyarrow is not installed (requirements.lock has it)")


@pytest.fixture()
def cache_in_tmp(tmp_path, monkeypatch):
    """Cache files go to tmp_path, never into the repository's datasets/."""
    monkeypatch.setattr(city_cache, "cache_path", lambda city, year: tmp_path / f"{city}_{year}.arrow")
    return tmp_path


def _assert_same(cached: dict, computed: pipeline.SpendAnalysis) -> None:
    pd.testing.assert_frame_equal(cached["payments"], computed.payments, check_exact=True)
    pd.testing.assert_frame_equal(cached["register_match"], computed.register_match, check_exact=True)
    assert cached["report"] == computed.report
    assert cached["report"].to_text() == computed.report.to_text()
    assert cached["mapping"] == computed.mapping
    assert cached["notes"] == computed.notes


def test_a_cached_analysis_reads_back_exactly(cache_in_tmp):
    computed = pipeline.compute_city_analysis("valmora", 2025)
    path = city_cache.write("valmora", 2025, computed)
    assert path is not None and path.is_file()
    assert city_cache.is_current("valmora", 2025)
    _assert_same(city_cache.read("valmora", 2025), computed)
    assert computed.report.rows_kept > 1000  # a real ledger, not an empty frame


def test_a_stale_or_damaged_cache_is_ignored(cache_in_tmp, monkeypatch):
    computed = pipeline.compute_city_analysis("valmora", 2024)
    path = city_cache.write("valmora", 2024, computed)
    key = city_cache.cache_key("valmora", 2024)
    monkeypatch.setattr(city_cache, "cache_key", lambda city, year: key[::-1])  # a changed rule or ledger
    assert not city_cache.is_current("valmora", 2024)
    assert city_cache.read("valmora", 2024) is None
    monkeypatch.setattr(city_cache, "cache_key", lambda city, year: key)
    assert city_cache.read("valmora", 2024) is not None
    path.write_bytes(path.read_bytes()[:1000])  # cut short
    assert city_cache.read("valmora", 2024) is None


def test_the_key_is_stable_and_covers_the_code_and_content_that_analyse(monkeypatch):
    key = city_cache.cache_key("valmora", 2025)
    assert city_cache.cache_key("valmora", 2025) == key
    assert city_cache.cache_key("valmora", 2024) != key  # another ledger
    code = tuple(g for g in city_cache.CODE_GLOBS if g != "helpers/spend/*.py")
    monkeypatch.setattr(city_cache, "CODE_GLOBS", code)
    without_code = city_cache.cache_key("valmora", 2025)
    assert without_code != key
    monkeypatch.setattr(city_cache, "CONTENT_GLOBS", ())
    assert city_cache.cache_key("valmora", 2025) != without_code


def test_analyse_city_uses_the_cache_and_computes_without_it(cache_in_tmp, monkeypatch):
    computed = pipeline.compute_city_analysis("valmora", 2025)
    city_cache.write("valmora", 2025, computed)
    pipeline._city_analysis.cache_clear()

    def refuse(city, year):
        raise AssertionError("computed although a current cache exists")

    monkeypatch.setattr(pipeline, "compute_city_analysis", refuse)
    try:
        analysis = pipeline.analyse_city("valmora", 2025)
        pd.testing.assert_frame_equal(analysis.payments, computed.payments, check_exact=True)
        assert analysis.headline() == computed.headline()
        city_cache.cache_path("valmora", 2025).unlink()
        pipeline._city_analysis.cache_clear()
        with pytest.raises(AssertionError, match="computed although"):
            pipeline.analyse_city("valmora", 2025)
    finally:
        pipeline._city_analysis.cache_clear()
