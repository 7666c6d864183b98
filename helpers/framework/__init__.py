"""Module 2, the EU policy framework: thresholds, procedures and time limits, the threshold and procedure advisor.

- `thresholds`: `threshold_for`, `thresholds_table`, `thresholds_display`, `thresholds_sources`, `period_for`
  (`course/content/framework_thresholds.yaml`); self-check `threshold-eur`
- `procedures`: `procedure_names`, `open_minimum_days`, `open_time_limits`, `restricted_time_limits`, the
  time limits' sources (`framework_procedures.yaml`, `framework_time_limits.yaml`); self-check
  `open-procedure-days`
- `advice`: `Advice`, `advise` (which rules apply to a planned purchase)
- `city_tenders`: `city_tenders_check`, `tenders_against_thresholds`, `verdict_counts`
- `widgets.threshold_advisor`: `threshold_advisor` (the tool), `parse_euro`
"""

from helpers.framework.advice import Advice, advise
from helpers.framework.city_tenders import city_tenders_check, tenders_against_thresholds, verdict_counts
from helpers.framework.procedures import (
    OPEN_LIMITS_SOURCE,
    RESTRICTED_LIMITS_SOURCE,
    SUB_CENTRAL_AGREEMENT_SOURCE,
    TimeLimit,
    open_minimum_days,
    procedure_names,
)
from helpers.framework.thresholds import threshold_for, thresholds_display, thresholds_sources, thresholds_table
from helpers.framework.widgets.threshold_advisor import parse_euro, threshold_advisor

__all__ = [
    "OPEN_LIMITS_SOURCE",
    "RESTRICTED_LIMITS_SOURCE",
    "SUB_CENTRAL_AGREEMENT_SOURCE",
    "Advice",
    "TimeLimit",
    "advise",
    "city_tenders_check",
    "open_minimum_days",
    "parse_euro",
    "procedure_names",
    "tenders_against_thresholds",
    "threshold_advisor",
    "threshold_for",
    "thresholds_display",
    "thresholds_sources",
    "thresholds_table",
    "verdict_counts",
]
