"""Module 4 widgets driven from Python: the matrix reacts to thresholds and sources, the objectives builder
prefills baselines from the spend analysis, checks, saves, reloads and exports, and the lotting advisor."""
from __future__ import annotations

import docx
import pytest

from helpers.spend.pipeline import analyse_city, save_analysis
from helpers.strategy.model import quadrant_counts
from helpers.strategy.widgets.tools import (LottingAdvisor, ObjectivesBuilder, OpportunityMatrixTool, baseline_for,
                                      category_details_html, course_source, matrix_sources, parse_lots)


@pytest.fixture(scope="module")
def portavera():
    return analyse_city("portavera", 2025)


def test_baseline_for_reads_the_headline(portavera):
    head = portavera.headline()
    assert baseline_for("share of spend with suppliers in the city", head) == round(100 * head["local_share_city"], 1)
    assert baseline_for("% of spend with SMEs", head) == 35.0                 # 34.97% rounds to 35.0
    assert baseline_for("local multiplier (LM3)", head) is None


def test_matrix_thresholds_and_source_change_the_quadrants(work_dir):
    tool = OpportunityMatrixTool("portavera", 2025)
    assert tool.message.value == ""
    counts = quadrant_counts(tool.matrix).set_index("quadrant")["categories"]
    assert (counts["grow local spend"], counts["keep"], counts["thin local market"]) == (6, 6, 1)
    assert "grow local spend: 6" in tool.counts.value
    assert tool.category.value == "45" and "45.8% spent locally" in tool.details.value
    tool.local_share.value = 40                   # 45 (45.8% local) and 71 (49.5%) become "keep"
    quadrant = dict(zip(tool.matrix["category"], tool.matrix["quadrant"]))
    assert quadrant["45"] == "keep" and quadrant["71"] == "keep"
    assert "<b>keep</b>" in tool.details.value     # the chosen category's details follow
    tool.min_suppliers.value = 10                 # 65 Public utilities has 15 local suppliers: now "grow"
    assert dict(zip(tool.matrix["category"], tool.matrix["quadrant"]))["65"] == "grow local spend"
    tool.source.value = course_source("valmora", 2024)
    assert tool.label == "Valmora 2024"
    valmora = dict(zip(tool.matrix["category"], tool.matrix["quadrant"]))
    assert valmora["09"] == "keep"                 # 45.8% local, above the 40% line still set
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
    local = portavera.payments[(portavera.payments["cpv_division"] == "45")
                               & portavera.payments["level"].isin(["city", "region"])]
    assert row["local_suppliers"] == local["supplier_group"].nunique()


def test_details_are_escaped():
    import pandas as pd
    matrix = pd.DataFrame({"category": ["x"], "name": ["<script>"], "spend": [1.0], "spend_share": [1.0],
                           "local_share": [0.0], "spend_outside": [1.0], "local_suppliers": [0], "local_smes": [0],
                           "quadrant": ["thin local market"]})
    assert "&lt;script&gt;" in category_details_html(matrix, "x") and "<script>" not in category_details_html(matrix, "x")


def test_objectives_builder_prefills_checks_saves_and_exports(work_dir, portavera):
    builder = ObjectivesBuilder("portavera", 2025)
    head = portavera.headline()
    assert builder.baseline.value == f"{round(100 * head['local_share_city'], 1):g}"
    assert builder.baseline_source.value == "Portavera 2025 spend analysis (module 3)"
    assert "no target" in builder.checks.value
    builder.target.value = "20"                                # lower than the 26% baseline: wrong way
    assert "moves the wrong way" in builder.checks.value
    builder.target.value = "35"
    assert "spw-ok" in builder.checks.value
    builder.add.click()
    builder.outcome.value = "smes_social_economy"
    assert builder.indicator.value == "% of spend with SMEs" and builder.baseline.value == "35"
    builder.target.value = "140"
    builder.add.click()                                        # 140% is an error: not added
    assert "outside 0-100%" in builder.message.value and len(builder.objectives) == 1
    builder.target.value = "40"
    builder.add.click()
    assert len(builder.objectives) == 2 and "% of spend with SMEs" in builder.table.value
    builder.name.value = "Plan A"
    builder.save.click()
    assert "Saved 2 objective(s)" in builder.status.value and str(work_dir) in builder.status.value
    fresh = ObjectivesBuilder("portavera", 2025)
    assert fresh.objectives == [] and fresh.saved.options == ("Plan A",)
    fresh.saved.value = "Plan A"
    fresh.reload.click()
    assert [o.target for o in fresh.objectives] == [35.0, 40.0]
    fresh.export.click()
    md, docx_path = (work_dir / "exports" / "objectives_Plan_A.md", work_dir / "exports" / "objectives_Plan_A.docx")
    assert md.is_file() and docx_path.is_file() and str(md) in fresh.status.value
    assert "| Local economy | share of spend with suppliers in the city |" in md.read_text()
    assert docx.Document(docx_path).tables[0].rows[2].cells[4].text == "40%"


def test_parse_lots():
    assert parse_lots("4") == 4
    assert parse_lots("300000; 500000; 400,000") == [300_000, 500_000, 400_000]


def test_lotting_advisor_counts_and_text():
    tool = LottingAdvisor("portavera")
    plan = tool.plan.set_index("lot")
    assert plan.loc["lot 1", "value"] == 400_000 and plan.loc["lot 1", "max_turnover_requirement"] == 800_000
    assert plan.loc["lot 1", "local_smes_able"] >= plan.loc["whole contract", "local_smes_able"]
    assert "divided into 3 lots" in tool.text.value
    tool.lots.value = "1"
    tool.reason.value = "one maintenance team must answer for all sites"
    assert "not divided into lots" in tool.text.value and "one maintenance team" in tool.text.value
    tool.lots.value = "100; 200"
    assert "add up to" in tool.message.value
