"""Module 7 course content (course/content/monitoring_*.yaml): each file loads, keeps its sources, and holds
the values the monitoring code relies on."""

from __future__ import annotations

import pytest

from helpers.core.content import by_id, items
from helpers.monitoring.alerts import ALERT_NAMES, ALERT_SEVERITY, SEVERITY_ORDER
from helpers.monitoring.handover import PLAN_REPROCUREMENT_MONTHS, REVIEW_EVERY_MONTHS, ROLES, ROLES_SOURCE
from helpers.monitoring.kpis import AMBER_TOLERANCE_PCT, RagRules
from helpers.monitoring.monitoring_data import COURSE_AS_OF
from helpers.monitoring.social_value import MEASURE_NAMES, SV_BEHIND_TOLERANCE_PCT, WHOLE_UNITS, is_whole_unit

FILES = ("monitoring_roles", "monitoring_rules", "monitoring_alert_severity", "monitoring_measures")


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


def test_alert_severity_and_plain_names():
    assert ALERT_SEVERITY == {
        "kpi_red_twice": "high",
        "missing_return": "medium",
        "social_value_behind": "low",
        "reprocurement": "medium",
    }
    raised = {i["id"]: (i["raised_to"], i["threshold"]) for i in items("monitoring_alert_severity")}
    assert raised["missing_return"] == ("high", 2) and raised["social_value_behind"] == ("medium", 50)
    assert raised["reprocurement"] == ("high", 3)
    assert set(ALERT_SEVERITY.values()) | {r for r, _ in raised.values()} <= set(SEVERITY_ORDER)
    assert ALERT_NAMES["social_value_behind"] == "Social value behind the path"
    assert all("_" not in name for name in ALERT_NAMES.values())  # plain words, never a code
    assert {i["status"] for i in items("monitoring_alert_severity")} == {"course design"}


def test_whole_units_measures_and_course_month():
    assert {"people", "jobs", "count"} <= WHOLE_UNITS and "hours" not in WHOLE_UNITS
    assert is_whole_unit(" People ") and not is_whole_unit("tCO2e") and not is_whole_unit(None)
    assert MEASURE_NAMES["apprenticeships"] == "Apprenticeships started"
    assert COURSE_AS_OF == "2026-03"
