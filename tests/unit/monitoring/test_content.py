"""Module 7 course content (course/content/monitoring_*.yaml): each file loads, keeps its sources, and holds
the values the monitoring code relies on."""

from __future__ import annotations

import pytest

from helpers.core.content import by_id, items
from helpers.monitoring.dashboard import ALERT_SEVERITY, SEVERITY_ORDER
from helpers.monitoring.handover import PLAN_REPROCUREMENT_MONTHS, REVIEW_EVERY_MONTHS, ROLES, ROLES_SOURCE
from helpers.monitoring.kpis import AMBER_TOLERANCE_PCT, RagRules
from helpers.monitoring.social_value import SV_BEHIND_TOLERANCE_PCT

FILES = ("monitoring_roles", "monitoring_rules", "monitoring_alert_severity")


@pytest.mark.parametrize("name", FILES)
def test_every_item_has_a_source_and_a_status(name):
    for item in items(name):
        assert item["source"].strip() and item["status"] in ("verified", "unverified", "course design")


def test_roles():
    assert ROLES == {
        "Contract owner": "Accountable for the overall delivery of the contract.",
        "Contract manager": "Manages the day-to-day relationship with the supplier: collects the KPI returns, "
        "holds the reviews, applies service credits.",
        "Contract user": "Orders or receives the goods or services, and tells the contract manager when "
        "delivery falls short.",
    }
    assert ROLES_SOURCE == (
        "Roles: Scottish Procurement Journey (a good-practice guide). The tasks after the colon for "
        "the contract manager and user are course design."
    )
    assert all("Scottish Procurement Journey" in r["source"] for r in items("monitoring_roles"))


def test_rules():
    rules = by_id("monitoring_rules")
    assert AMBER_TOLERANCE_PCT == 10.0 and RagRules().default_tolerance_pct == 10.0
    assert rules["amber_tolerance_pct"]["status"] == "unverified"
    assert SV_BEHIND_TOLERANCE_PCT == 10.0 and rules["sv_behind_tolerance_pct"]["status"] == "course design"
    assert (REVIEW_EVERY_MONTHS, PLAN_REPROCUREMENT_MONTHS) == (3, 9)


def test_alert_severity():
    assert ALERT_SEVERITY == {
        "kpi_red_twice": "high",
        "missing_return": "medium",
        "social_value_behind": "medium",
        "reprocurement": "medium",
    }
    assert set(ALERT_SEVERITY.values()) <= set(SEVERITY_ORDER)
    assert {i["status"] for i in items("monitoring_alert_severity")} == {"course design"}
