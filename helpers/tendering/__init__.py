"""Module 6, tendering and award: the criteria library and builder, and the evaluation simulator.

- `criteria`: `load_library`, `validate_library`, `suggest_criteria`, `fill_wording`, `CriteriaDraft`,
  `DraftItem`, `Issue`, `validate_draft`, `draft_report`, `save_draft_report`
- `evaluation`: price formulas (`price_points_relative/linear/log` with plain-language explanations),
  `quality_points`, `score_bids`, `weight_sensitivity`, `ranking_by_price_weight`, abnormally low
  tenders (`r058_fence`, `heavily_discounted`, `abnormally_low_flags`, `explanation_requests`,
  `ARTICLE_69_STEPS`)
- `widgets`: the two tools, `criteria_builder` and `evaluation_simulator` (plus `tender_bids`,
  `choose_tender`, `rank_reversal_table`, `ranking_lines` used by the notebook)
- `cli`: `python -m helpers evaluate`
"""
from helpers.tendering.criteria import (THEMES, TYPES, CriteriaDraft, DraftItem, Issue, cpv_division, draft_report,
                                        fill_wording, load_library, price_formula_statement, save_draft_report,
                                        suggest_criteria, validate_draft, validate_library)
from helpers.tendering.evaluation import (ARTICLE_69_STEPS, EXPLANATION_SCREEN_PCT, FORMULA_EXPLANATIONS, FORMULAS,
                                          LINEAR_EXPLANATION, LOG_EXPLANATION, QUALITY_SCALE, RELATIVE_EXPLANATION,
                                          abnormally_low_flags, explanation_requests, heavily_discounted,
                                          price_points, price_points_linear, price_points_log,
                                          price_points_relative, quality_points, r058_fence,
                                          ranking_by_price_weight, score_bids, tender_gaps, weight_sensitivity)
from helpers.tendering.widgets.tools import (choose_tender, criteria_builder, evaluation_simulator,
                                       example_bids, linear_bounds, marks_table, price_weight_where_winner_changes,
                                       rank_reversal_table, ranking_lines, reversal_lines, suggestions_table,
                                       tender_bids, tender_info, tender_marks, winner_at, winning_ranges)

__all__ = ["ARTICLE_69_STEPS", "EXPLANATION_SCREEN_PCT", "FORMULAS", "FORMULA_EXPLANATIONS", "LINEAR_EXPLANATION",
           "LOG_EXPLANATION", "QUALITY_SCALE", "RELATIVE_EXPLANATION", "THEMES", "TYPES", "CriteriaDraft",
           "DraftItem", "Issue", "abnormally_low_flags", "choose_tender", "criteria_builder",
           "evaluation_simulator", "example_bids", "rank_reversal_table", "ranking_lines", "reversal_lines",
           "tender_bids", "winner_at", "winning_ranges", "linear_bounds", "marks_table",
           "price_weight_where_winner_changes", "suggestions_table", "tender_info", "tender_marks", "cpv_division", "draft_report", "explanation_requests",
           "fill_wording", "heavily_discounted", "load_library", "price_formula_statement", "price_points",
           "price_points_linear", "price_points_log", "price_points_relative", "quality_points", "r058_fence",
           "ranking_by_price_weight", "save_draft_report", "score_bids", "suggest_criteria", "tender_gaps",
           "validate_draft", "validate_library", "weight_sensitivity"]
