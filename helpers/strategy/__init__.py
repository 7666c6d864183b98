"""Module 4, procurement strategy: the notebook-facing API.

Modules:
- `opportunity_matrix`: the category opportunity matrix (spend against local supply, four quadrants);
- `matrix_sources`: its spend from a course city or a saved analysis, the `grow-count` self-check;
- `objectives`: measurable objectives and targets, their checks, the strategy summary;
- `lotting`: lots, the turnover cap and "divide or explain";
- `suppliers`: the supplier register placed (local, SME, CPV division);
- `cases`: what partner cities did, with sources;
- `gender`: EIGE's guiding questions for lots and needs assessment, the learner's answers, the real
  gender-responsive procurement cases (`widgets/gender_checklist`);
- `from_monitoring`: last year's contract monitoring (module 7) as suggested objectives (`objectives_from_monitoring`);
  widget `from_contract_monitoring`;
- `widgets/`: `opportunity_matrix_tool`, `objectives_builder`, `lotting_advisor`.
"""

from helpers.strategy.cases import cases, cases_table
from helpers.strategy.from_monitoring import objectives_from_monitoring, suggested_objectives
from helpers.strategy.gender import (
    checklist_summary,
    checklist_table,
    gender_case_lines,
    gender_cases,
    gender_questions,
)
from helpers.strategy.lotting import divide_or_explain, lot_plan, turnover_note
from helpers.strategy.matrix_sources import (
    analysis_for_module4,
    course_matrix,
    grow_count,
    saved_analyses_in_brief,
    saved_matrix,
)
from helpers.strategy.objectives import (
    Objective,
    example_objectives,
    outcomes,
    strategy_summary,
    suggested_indicators,
    validate_objectives,
)
from helpers.strategy.opportunity_matrix import (
    MatrixThresholds,
    grow_candidates,
    matrix_in_brief,
    matrix_thresholds_with,
    opportunity_matrix,
    quadrant_counts,
)
from helpers.strategy.suppliers import cpv_division_of, place_suppliers
from helpers.strategy.widgets.from_monitoring_tool import from_contract_monitoring
from helpers.strategy.widgets.gender_checklist import gender_checklist
from helpers.strategy.widgets.lotting_advisor import lotting_advisor
from helpers.strategy.widgets.objectives_builder import objectives_builder
from helpers.strategy.widgets.opportunity_matrix_tool import opportunity_matrix_tool

__all__ = [
    "MatrixThresholds",
    "Objective",
    "analysis_for_module4",
    "cases",
    "cases_table",
    "checklist_summary",
    "checklist_table",
    "course_matrix",
    "cpv_division_of",
    "divide_or_explain",
    "example_objectives",
    "gender_case_lines",
    "gender_cases",
    "gender_checklist",
    "gender_questions",
    "grow_candidates",
    "grow_count",
    "lot_plan",
    "lotting_advisor",
    "matrix_in_brief",
    "matrix_thresholds_with",
    "objectives_builder",
    "opportunity_matrix",
    "opportunity_matrix_tool",
    "outcomes",
    "place_suppliers",
    "quadrant_counts",
    "saved_analyses_in_brief",
    "saved_matrix",
    "strategy_summary",
    "suggested_indicators",
    "turnover_note",
    "validate_objectives",
    # the thread: contract monitoring (module 7) → next year's objectives
    "from_contract_monitoring",
    "objectives_from_monitoring",
    "suggested_objectives",
]
