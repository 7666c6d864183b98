"""Module 4, procurement strategy: the opportunity matrix, objectives and targets, lots, city cases."""
from helpers.strategy.model import cases_table, cpv_division_of, matrix_in_brief, opportunity_matrix, place_suppliers
from helpers.strategy.widgets.tools import (course_matrix, grow_count, lotting_advisor, objectives_builder,
                                            opportunity_matrix_tool)

__all__ = ["cases_table", "course_matrix", "cpv_division_of", "grow_count", "lotting_advisor", "matrix_in_brief",
           "objectives_builder", "opportunity_matrix", "opportunity_matrix_tool", "place_suppliers"]
