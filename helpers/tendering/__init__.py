"""Module 6, tendering and award: the criteria library and builder, and the evaluation simulator.

- `library`: the criteria library (`load_library`, `validate_library`, `suggest_criteria`, `fill_wording`,
  `cpv_division`, `suggestions_table`, `THEMES`, `TYPES`)
- `criteria`: a learner's draft (`CriteriaDraft`, `DraftItem`, `validate_draft` → `Issue`s, `default_draft`,
  `draft_table`) and its document (`price_formula_statement`, `draft_report`, `save_draft_report`)
- `evaluation`: price formulas (`price_points_relative/linear/log` with plain-language explanations,
  `linear_bounds`), `quality_points`, `score_bids`, `weight_sensitivity`, `ranking_by_price_weight`, abnormally
  low tenders (`r058_fence`, `heavily_discounted`, `abnormally_low_flags`, `explanation_requests`,
  `ARTICLE_69_STEPS`)
- `bids`: the bids being evaluated (`tender_bids`, `tender_info`, `tender_marks`, `marks_table`, `example_bids`,
  `choose_tender`, the learner's own from a form, an upload or a file)
- `ranking`: reading a ranking (`winner_at`, `ranking_lines`, `winning_ranges`, `rank_reversal_table`,
  `reversal_lines`, `price_weight_where_winner_changes`)
- `saved_bids`: the learner's own bids kept in my_work/bids/ (`saved_bids`), and the lesson's bids
  (`evaluation_case`: the learner's file, a featured tender or the brief's example; never raises)
- `life_cycle_cost` and `lcc_bids`: life-cycle costing under Art. 68 (`life_cycle_costs`, `lcc_table`,
  `lcc_ranking_lines`, `lcc_scope`, `lcc_summary`, `discount_factor`, `annuity_factor`, `course_lcc_bids`, the lesson's
  bids `lcc_case` and an upload `read_lcc_bids`; unknown costs stay unknown, never zero)
- `gender_aid`: the gender criteria decision aid (`gender_link_check`, `check_library_entry`): is a gender
  criterion linked to the subject matter (Art. 58, 67(3), 70, 71; Recital 97), with the library's examples
- `clean_vehicles`: the Clean Vehicles Directive's minimum targets (`clean_vehicle_target`, `clean_vehicle_targets`)
- `widgets`: the tools, `criteria_builder`, `evaluation_simulator` (its settings and bids are
  remembered across restarts when the learner asks) and `life_cycle_costing`
- `cli`: `python -m helpers evaluate`

Sourced and course-design constants live in `course/content/tendering_*.yaml`.
"""

from helpers.tendering.bids import (
    choose_tender,
    example_bids,
    marks_table,
    read_uploaded_bids,
    tender_bids,
    tender_info,
    tender_marks,
)
from helpers.tendering.clean_vehicles import CleanVehicleTarget, clean_vehicle_target, clean_vehicle_targets
from helpers.tendering.criteria import (
    CriteriaDraft,
    DraftItem,
    default_draft,
    draft_report,
    draft_table,
    price_formula_statement,
    save_draft_report,
    validate_draft,
)
from helpers.tendering.evaluation import (
    ARTICLE_69_STEPS,
    EXPLANATION_SCREEN_PCT,
    FORMULA_EXPLANATIONS,
    FORMULAS,
    LINEAR_EXPLANATION,
    LOG_EXPLANATION,
    QUALITY_SCALE,
    RELATIVE_EXPLANATION,
    abnormally_low_flags,
    explanation_requests,
    heavily_discounted,
    linear_bounds,
    price_points,
    price_points_linear,
    price_points_log,
    price_points_relative,
    quality_points,
    r058_fence,
    ranking_by_price_weight,
    score_bids,
    tender_gaps,
    weight_sensitivity,
)
from helpers.tendering.gender_aid import GenderLinkVerdict, check_library_entry, gender_link_check
from helpers.tendering.lcc_bids import LccCase, lcc_case, read_lcc_bids
from helpers.tendering.library import (
    THEMES,
    TYPES,
    commitments_table,
    cpv_division,
    fill_wording,
    load_library,
    suggest_criteria,
    suggestions_table,
    validate_library,
)
from helpers.tendering.life_cycle_cost import (
    annuity_factor,
    course_lcc_bids,
    discount_factor,
    lcc_ranking_lines,
    lcc_scope,
    lcc_summary,
    lcc_table,
    lcc_winner,
    life_cycle_costs,
    winners_by_rate,
)
from helpers.tendering.ranking import (
    price_weight_where_winner_changes,
    rank_reversal_table,
    ranking_lines,
    reversal_lines,
    winner_at,
    winning_ranges,
)
from helpers.tendering.saved_bids import EvaluationCase, evaluation_case, saved_bids
from helpers.tendering.widgets.criteria_builder import criteria_builder
from helpers.tendering.widgets.evaluation_simulator import evaluation_simulator
from helpers.tendering.widgets.gender_aid import gender_aid
from helpers.tendering.widgets.life_cycle_costing import life_cycle_costing
from helpers.ui.messages import Issue

__all__ = [
    "ARTICLE_69_STEPS",
    "EXPLANATION_SCREEN_PCT",
    "FORMULAS",
    "FORMULA_EXPLANATIONS",
    "LINEAR_EXPLANATION",
    "LOG_EXPLANATION",
    "QUALITY_SCALE",
    "RELATIVE_EXPLANATION",
    "THEMES",
    "TYPES",
    "CleanVehicleTarget",
    "CriteriaDraft",
    "DraftItem",
    "EvaluationCase",
    "GenderLinkVerdict",
    "Issue",
    "LccCase",
    "abnormally_low_flags",
    "annuity_factor",
    "check_library_entry",
    "choose_tender",
    "clean_vehicle_target",
    "clean_vehicle_targets",
    "course_lcc_bids",
    "cpv_division",
    "criteria_builder",
    "default_draft",
    "discount_factor",
    "draft_report",
    "draft_table",
    "evaluation_case",
    "evaluation_simulator",
    "example_bids",
    "explanation_requests",
    "fill_wording",
    "gender_aid",
    "gender_link_check",
    "heavily_discounted",
    "lcc_case",
    "lcc_ranking_lines",
    "lcc_scope",
    "lcc_summary",
    "lcc_table",
    "lcc_winner",
    "life_cycle_costing",
    "life_cycle_costs",
    "linear_bounds",
    "load_library",
    "commitments_table",
    "marks_table",
    "price_formula_statement",
    "price_points",
    "price_points_linear",
    "price_points_log",
    "price_points_relative",
    "price_weight_where_winner_changes",
    "quality_points",
    "r058_fence",
    "rank_reversal_table",
    "ranking_by_price_weight",
    "ranking_lines",
    "read_lcc_bids",
    "read_uploaded_bids",
    "reversal_lines",
    "save_draft_report",
    "saved_bids",
    "score_bids",
    "suggest_criteria",
    "suggestions_table",
    "tender_bids",
    "tender_gaps",
    "tender_info",
    "tender_marks",
    "validate_draft",
    "validate_library",
    "weight_sensitivity",
    "winner_at",
    "winners_by_rate",
    "winning_ranges",
]
