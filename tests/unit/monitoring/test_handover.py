"""Module 7 hand-over: the review calendar and the hand-over pack."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from helpers.core.errors import LearnerError
from helpers.monitoring.handover import ROLES, handover_checklist, reprocurement_planning_date, review_dates
from helpers.ui.exports import save_report, to_html, to_markdown
from tests.unit.monitoring.hand_tables import commitments_table, contracts_table, kpis_table

# ---------------------------------------------------------------- roles and hand-over


def test_review_calendar():
    assert review_dates("2025-01-01", "2025-12-31") == [date(2025, 4, 1), date(2025, 7, 1), date(2025, 10, 1)]
    long = review_dates("2025-06-01", "2029-05-31")
    assert (len(long), long[0], long[-1]) == (15, date(2025, 9, 1), date(2029, 3, 1))
    assert reprocurement_planning_date("2029-05-31") == date(2028, 8, 31)
    assert reprocurement_planning_date("2025-12-31") == date(2025, 3, 31)


def test_handover_checklist(tmp_path):
    assert list(ROLES) == ["Contract owner", "Contract manager", "Contract user"]
    tender = pd.DataFrame(
        [
            {
                "tender_id": "T1",
                "procedure": "open",
                "award_criteria": "ratedCriteria",
                "price_weight": 40,
                "number_of_tenderers": 4,
            }
        ]
    )
    report = handover_checklist("C1", contracts_table(), kpis_table(), commitments_table(), tender=tender)
    headings = [s.heading for s in report.sections]
    assert headings == [
        "The contract",
        "Roles",
        "How it was awarded",
        "KPIs and targets",
        "Service credits",
        "Social value commitments",
        "Review dates (course design)",
        "Hand-over checklist",
    ]
    text = to_markdown(report)
    assert "EUR 300.00 per red KPI" in text and "EUR 1,200.00" in text
    assert "2025-04-01, 2025-07-01, 2025-10-01" in text and "by 2025-03-31" in text
    assert "| Contract manager | Max Manager |" in text and "procedure: open" in text
    kpi_table = report.sections[3].table.set_index("kpi_id")
    assert kpi_table["amber down to"].to_dict() == {"K1": 85.5, "K2": 5.0}
    for suffix in (".md", ".html", ".docx"):
        assert save_report(report, tmp_path / f"handover{suffix}").stat().st_size > 0
    html = to_html(handover_checklist("C2", contracts_table(), kpis_table(), commitments_table()))
    assert "<script>x" not in html and "&lt;script&gt;x" in html
    with pytest.raises(LearnerError, match="no contract C9"):
        handover_checklist("C9", contracts_table(), kpis_table(), commitments_table())
