"""Module 1, why procurement matters: scale facts, the procurement cycle, Preston, the local-spend estimator.

- `scale`: `scale_facts_table` (sourced facts in `course/content/why_scale_facts.yaml`)
- `cycle`: `procurement_cycle`, `cycle_table`, `cycle_figure` (URBACT's stages, `why_cycle.yaml`)
- `preston`: `preston_figures`, `preston_story`, `preston_table`, `preston_check` (`why_preston.yaml`)
- `local_spend`: `LocalSpendEstimate`, `local_spend_estimate`, `estimator_figure` (LM3, in three rounds);
  self-checks `lm3` and `extra-local-money`
- `widgets.local_spend_estimator`: `local_spend_estimator` (the tool), `starting_point`, `estimate_sentence`,
  `default_extra_local_millions`
"""

from helpers.why.cycle import cycle_figure, cycle_table, procurement_cycle
from helpers.why.local_spend import LocalSpendEstimate, estimator_figure, local_spend_estimate
from helpers.why.preston import preston_check, preston_figures, preston_story, preston_table
from helpers.why.scale import scale_facts_table
from helpers.why.widgets.local_spend_estimator import (
    default_extra_local_millions,
    estimate_sentence,
    local_spend_estimator,
    starting_point,
)

__all__ = [
    "LocalSpendEstimate",
    "cycle_figure",
    "cycle_table",
    "default_extra_local_millions",
    "estimate_sentence",
    "estimator_figure",
    "local_spend_estimate",
    "local_spend_estimator",
    "preston_check",
    "preston_figures",
    "preston_story",
    "preston_table",
    "procurement_cycle",
    "scale_facts_table",
    "starting_point",
]
