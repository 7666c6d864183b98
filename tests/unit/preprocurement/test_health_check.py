"""The health check widget driven from Python: the R003 days change the count, OCDS files in my_data/ keep
their currency, and the real ProZorro files."""

from __future__ import annotations

import json
import re

import pytest

from helpers.preprocurement.health_sources import health_sources
from helpers.preprocurement.red_flags import course_tenders, single_bid_rate_pct, tender_flags
from helpers.preprocurement.widgets.health_check import HealthCheck, flagged_view


def test_health_check_r003_days_change_the_count(work_dir):
    check = HealthCheck("portavera")
    tenders, bids = course_tenders("portavera")
    assert check.flags["R003"].sum() == tender_flags(tenders, bids)["R003"].sum() == 4
    assert "120 tenders, 24 flagged" in check.counts.value
    check.r003.value = 40
    expected = int(tender_flags(tenders, bids, r003_days=40)["R003"].sum())
    assert expected == 27 and f"Short submission period: {expected}" in check.counts.value
    assert single_bid_rate_pct("portavera") == 20.5


def test_health_check_reads_ocds_from_my_data_and_keeps_the_currency(work_dir, tmp_path, monkeypatch):
    data = tmp_path / "my_data"
    data.mkdir()
    release = {
        "ocid": "ocds-x-1",
        "id": "1",
        "date": "2024-01-01",
        "tag": ["tender"],
        "buyer": {"name": "Gmina", "address": {"countryName": "Polska"}},
        "tender": {
            "id": "T1",
            "title": "Benches",
            "procurementMethod": "open",
            "numberOfTenderers": 1,
            "value": {"amount": 1000, "currency": "UAH"},
            "tenderPeriod": {"startDate": "2024-01-01T00:00:00Z", "endDate": "2024-01-05T00:00:00Z"},
        },
    }
    (data / "one.json").write_text(json.dumps({"releases": [release]}))
    monkeypatch.setattr("helpers.core.paths.my_data_dir", lambda: data)
    sources = health_sources("portavera")
    assert sources[1] == ("my_data/one.json (OCDS)", f"ocds:{data / 'one.json'}")
    check = HealthCheck("portavera")
    check.source.value = sources[1][1]
    assert check.message.value == "" and "1 tenders, 1 flagged" in check.counts.value
    assert "Below the legal minimum period: 1 flagged of 1 checked" in check.counts.value  # a buyer in Poland
    view = flagged_view(check.flags)
    assert view.loc[0, "currency"] == "UAH" and view.loc[0, "flags"] == "R003, R018, below_legal_minimum"
    assert re.search(r"<td[^>]*>UAH</td>", check.flagged.value)


@pytest.mark.realdata
def test_health_check_on_real_prozorro(work_dir, real_data_dir):
    check = HealthCheck("portavera")
    folder = real_data_dir / "ocds_ukraine_prozorro" / "records"
    check.source.options = [*check.source.options, ("ProZorro", f"ocds:{folder}")]
    check.source.value = f"ocds:{folder}"
    assert "11 tenders, 6 flagged" in check.counts.value and "Single bid received: 2 flagged of 5" in check.counts.value
    # Ukraine is outside the EU: the Directive's minimums are not applied, and the view says why
    assert "Below the legal minimum period: not checked on any of the 11 tenders" in check.counts.value
    assert set(flagged_view(check.flags)["currency"]) == {"UAH"}
