"""Module 2, the EU policy framework: thresholds, procedures and time limits, the threshold and procedure advisor."""
from helpers.framework.model import (OPEN_LIMITS_SOURCE, RESTRICTED_LIMITS_SOURCE, SUB_CENTRAL_AGREEMENT_SOURCE,
                                     Advice, advise, thresholds_sources)
from helpers.framework.widgets.tools import (city_tenders_check, parse_euro, threshold_advisor, thresholds_display,
                                             verdict_counts)

__all__ = ["OPEN_LIMITS_SOURCE", "RESTRICTED_LIMITS_SOURCE", "SUB_CENTRAL_AGREEMENT_SOURCE", "Advice", "advise",
           "city_tenders_check", "parse_euro", "threshold_advisor", "thresholds_display", "thresholds_sources",
           "verdict_counts"]
