"""Module 5, pre-procurement: innovation potential, market engagement, citizens' wishes, past-tender health check."""
from helpers.preprocurement.model import course_tenders, health_in_brief, tender_flags
from helpers.preprocurement.ocds import read_ocds
from helpers.preprocurement.widgets.tools import (citizen_wishes, engagement_planner, health_check,
                                                  innovation_assessment, single_bid_rate_pct)

__all__ = ["citizen_wishes", "course_tenders", "engagement_planner", "health_check", "health_in_brief",
           "innovation_assessment", "read_ocds", "single_bid_rate_pct", "tender_flags"]
