"""The opportunity matrix widget driven from Python: it reacts to thresholds and sources, a saved analysis is a
source, and the details are escaped."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.spend.pipeline import analyse_city, save_analysis
from helpers.strategy.matrix_sources import course_source, matrix_sources
from helpers.strategy.opportunity_matrix import quadrant_counts
from helpers.strategy.widgets.opportunity_matrix_tool import OpportunityMatrixTool, category_details_html


@pytest.fixture(scope="module")
def portavera():
    return analyse_city("portavera", 2025)


def test_matrix_thresholds_and_source_change_the_quadrants(work_dir):
    tool = OpportunityMatrixTool("portavera", 2025)
    assert tool.message.value == ""
    counts = quadrant_counts(tool.matrix).set_index("quadrant")["categories"]
    assert (counts["grow local spend"], counts["keep"], counts["thin local market"]) == (6, 6, 1)
    assert "grow local spend: 6" in tool.counts.value
    assert tool.category.value == "45" and "45.8% spent locally" in tool.details.value
    tool.local_share.value = 40  # 45 (45.8% local) and 71 (49.5%) become "keep"
    quadrant = dict(zip(tool.matrix["category"], tool.matrix["quadrant"]))
    assert quadrant["45"] == "keep" and quadrant["71"] == "keep"
    assert "<b>keep</b>" in tool.details.value  # the chosen category's details follow
    tool.min_suppliers.value = 10  # 65 Public utilities has 15 local suppliers: now "grow"
    assert dict(zip(tool.matrix["category"], tool.matrix["quadrant"]))["65"] == "grow local spend"
    tool.source.value = course_source("valmora", 2024)
    assert tool.label == "Valmora 2024"
    valmora = dict(zip(tool.matrix["category"], tool.matrix["quadrant"]))
    assert valmora["09"] == "keep"  # 45.8% local, above the 40% line still set
    tool.local_share.value = 50
    assert dict(zip(tool.matrix["category"], tool.matrix["quadrant"]))["09"] == "thin local market"  # 3 firms


def test_saved_analysis_is_a_source_and_counts_suppliers_paid(work_dir, portavera):
    save_analysis(portavera, "My test city")
    assert ("My test city (my saved analysis)", "saved:My test city") in matrix_sources()
    tool = OpportunityMatrixTool("portavera", 2025)
    tool.source.value = "saved:My test city"
    assert tool.message.value == "" and tool.label == "My test city"
    assert "already paid" in tool.note.value
    row = tool.matrix.set_index("category").loc["45"]
    local = portavera.payments[
        (portavera.payments["cpv_division"] == "45") & portavera.payments["level"].isin(["city", "region"])
    ]
    assert row["local_suppliers"] == local["supplier_group"].nunique()


def test_details_are_escaped():
    matrix = pd.DataFrame(
        {
            "category": ["x"],
            "name": ["<script>"],
            "spend": [1.0],
            "spend_share": [1.0],
            "local_share": [0.0],
            "spend_outside": [1.0],
            "local_suppliers": [0],
            "local_smes": [0],
            "quadrant": ["thin local market"],
        }
    )
    assert "&lt;script&gt;" in category_details_html(matrix, "x") and "<script>" not in category_details_html(
        matrix, "x"
    )
