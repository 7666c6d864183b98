"""Module 5, pre-procurement: the notebook-facing API.

Modules:
- `innovation`: the innovation-potential rubric and the suggested route;
- `engagement`: the market consultation timeline, who to tell, the transparency log, the plan;
- `legal_minimums`: the Directive's minimum periods the timeline and the flags count with;
- `citizens`: citizens' wishes turned into requirements (Beverwijk's playground);
- `red_flags`: the past-tender health check (red flags, summary, the `single-bid-rate-pct` self-check);
- `flag_scope`: what each flag could check, and why not (no procedure, no period, buyer outside the EU…);
- `procedure_names`, `buyer_countries`: national procedure names → OCDS codes; where the Directive is law;
- `ocds`: Open Contracting Data Standard files read into the course's tender and bid tables (`ocds_files`:
  finding and reading files within limits; `ocds_walk`: the type-tolerant walk over a release);
- `health_sources`, `health_report`: the health check's sources (course data, my_data/, uploads) and views;
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
from helpers.preprocurement.health_sources import health_key_result
from helpers.preprocurement.innovation import Assessment, assess_innovation, compare_assessments
from helpers.preprocurement.legal_minimums import legal_minimum_days
from helpers.preprocurement.ocds import read_ocds
from helpers.preprocurement.red_flags import (
    course_tenders,
    flag_coverage,
    flags_headline,
    health_in_brief,
    health_summary,
    single_bid_rate_pct,
    tender_flags,
    unrecognised_procedures,
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
    "flag_coverage",
    "flags_headline",
    "health_check",
    "health_in_brief",
    "health_key_result",
    "health_summary",
    "innovation_assessment",
    "invitation_list",
    "legal_minimum_days",
    "read_ocds",
    "single_bid_rate_pct",
    "tender_flags",
    "unrecognised_procedures",
    "wishes_to_requirements",
]
