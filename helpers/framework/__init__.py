"""Module 2, the EU policy framework: thresholds, procedures and time limits, the threshold and procedure advisor.

- `facts`: the legal facts table, every legal figure once with its article, source, check date and validity
  (`course/content/legal_facts.yaml`): `legal_facts_table`, `fact_value`, `expired_series`
- `thresholds`: `threshold_for`, `thresholds_table`, `thresholds_display`, `thresholds_sources`, `period_for`
  (`course/content/framework_thresholds.yaml`, amounts from the facts table); self-check `threshold-eur`
- `procedures`: `procedure_names`, `procedure` (when each may be used), `open_minimum_days`,
  `open_time_limits`, `restricted_time_limits`, the time limits' sources (`framework_procedures.yaml`,
  `framework_time_limits.yaml`); self-checks `open-procedure-days`, `restricted-tender-days`
- `advice`: `Advice`, `advise` (which rules apply to a planned purchase; statements in `framework_rules.yaml`)
- `buying_together`: framework agreements, dynamic purchasing systems, central purchasing and joint
  procurement (Arts 33-39) and exclusion grounds (Art. 57) as tables (`framework_buying_together.yaml`)
- `city_tenders`: `city_tenders_check`, `tenders_against_thresholds`, `verdict_counts`
- `widgets.threshold_advisor`: `threshold_advisor` (the tool), `parse_euro`
"""

from helpers.framework.advice import Advice, advise
from helpers.framework.buying_together import buying_together_table, exclusion_grounds_table
from helpers.framework.city_tenders import city_tenders_check, tenders_against_thresholds, verdict_counts
from helpers.framework.facts import LegalFact, expired_series, fact, fact_value, legal_facts_table
from helpers.framework.procedures import (
    OPEN_LIMITS_SOURCE,
    RESTRICTED_LIMITS_SOURCE,
    SUB_CENTRAL_AGREEMENT_SOURCE,
    Procedure,
    TimeLimit,
    open_minimum_days,
    procedure,
    procedure_names,
)
from helpers.framework.thresholds import threshold_for, thresholds_display, thresholds_sources, thresholds_table
from helpers.framework.widgets.threshold_advisor import parse_euro, threshold_advisor

__all__ = [
    "OPEN_LIMITS_SOURCE",
    "RESTRICTED_LIMITS_SOURCE",
    "SUB_CENTRAL_AGREEMENT_SOURCE",
    "Advice",
    "LegalFact",
    "Procedure",
    "TimeLimit",
    "advise",
    "buying_together_table",
    "city_tenders_check",
    "exclusion_grounds_table",
    "expired_series",
    "fact",
    "fact_value",
    "legal_facts_table",
    "open_minimum_days",
    "parse_euro",
    "procedure",
    "procedure_names",
    "tenders_against_thresholds",
    "threshold_advisor",
    "threshold_for",
    "thresholds_display",
    "thresholds_sources",
    "thresholds_table",
    "verdict_counts",
]
