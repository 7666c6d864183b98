"""Module 5, pre-procurement: the notebook-facing API.

Modules:
- `innovation`: the innovation-potential rubric and the suggested route;
- `engagement`: the market consultation timeline, who to tell, the transparency log, the plan;
- `legal_minimums`: the Directive's minimum periods the timeline and the flags count with;
- `citizens`: citizens' wishes turned into requirements (Beverwijk's playground);
- `red_flags`: the past-tender health check (red flags, summary, the `single-bid-rate-pct` self-check);
- `ocds`: Open Contracting Data Standard files read into the course's tender and bid tables;
- `cli`: `python -m helpers health-check`;
- `widgets/`: `innovation_assessment`, `engagement_planner`, `citizen_wishes`, `health_check`.
"""

from helpers.preprocurement.citizens import wishes_to_requirements
from helpers.preprocurement.engagement import (
    Allowances,
    TransparencyLog,
    consultation_timeline,
    engagement_plan_report,
    invitation_list,
)
from helpers.preprocurement.innovation import Assessment, assess_innovation, compare_assessments
from helpers.preprocurement.legal_minimums import legal_minimum_days
from helpers.preprocurement.ocds import read_ocds
from helpers.preprocurement.red_flags import (
    course_tenders,
    health_in_brief,
    health_summary,
    single_bid_rate_pct,
    tender_flags,
)
from helpers.preprocurement.widgets.citizen_wishes import citizen_wishes
from helpers.preprocurement.widgets.engagement_planner import engagement_planner
from helpers.preprocurement.widgets.health_check import health_check
from helpers.preprocurement.widgets.innovation_assessment import innovation_assessment

__all__ = [
    "Allowances",
    "Assessment",
    "TransparencyLog",
    "assess_innovation",
    "citizen_wishes",
    "compare_assessments",
    "consultation_timeline",
    "course_tenders",
    "engagement_plan_report",
    "engagement_planner",
    "health_check",
    "health_in_brief",
    "health_summary",
    "innovation_assessment",
    "invitation_list",
    "legal_minimum_days",
    "read_ocds",
    "single_bid_rate_pct",
    "tender_flags",
    "wishes_to_requirements",
]
