"""Module 1, why procurement matters: scale facts, the procurement cycle, Preston, the local-spend estimator."""
from helpers.why.model import (LocalSpendEstimate, cycle_figure, cycle_table, local_spend_estimate, preston_check,
                               preston_table, scale_facts_table)
from helpers.why.widgets.tools import default_extra_local_millions, local_spend_estimator

__all__ = ["LocalSpendEstimate", "cycle_figure", "cycle_table", "default_extra_local_millions",
           "local_spend_estimate", "local_spend_estimator", "preston_check", "preston_table", "scale_facts_table"]
