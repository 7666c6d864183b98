"""Module 4 on a real council's saved analysis (Devon's published payments: no postcodes, no register,
no CPV codes): the matrix uses the ledger's own Expense Type, says "unknown" where it cannot tell, and
the widget never keeps a previous source's views. Figures checked against csv + Decimal."""

from __future__ import annotations

import csv
from collections import defaultdict
from decimal import Decimal

import pandas as pd
import pytest

from helpers.spend.pipeline import analysis_name_for, save_analysis
from helpers.spend.widgets.workbench_state import Workbench
from helpers.strategy.matrix_sources import saved_matrix
from helpers.strategy.opportunity_matrix import LOCATION_UNKNOWN, matrix_in_brief
from helpers.strategy.widgets.objectives_builder import ObjectivesBuilder
from helpers.strategy.widgets.opportunity_matrix_tool import (
    OpportunityMatrixTool,
    matrix_static_view,
    unplaced_text,
)

LEDGERS = [("devon_spend_2014_07_cp1252.csv", "cp1252"), ("devon_spend_2024_09.csv", "utf-8-sig")]


def expense_types(path, encoding) -> dict[str, Decimal]:
    spend: dict[str, Decimal] = defaultdict(Decimal)
    with open(path, encoding=encoding, newline="") as handle:
        for row in csv.DictReader(handle):
            spend[row["Expense Type"].strip() or "unclassified"] += Decimal(row["Amount"])
    return dict(spend)


@pytest.fixture(params=[pytest.param(p, marks=pytest.mark.realdata) for p in LEDGERS], ids=[n for n, _ in LEDGERS])
def saved_devon(request, real_data_dir, work_dir):
    name, encoding = request.param
    path = real_data_dir / name
    wb = Workbench()
    wb.load_ledger(path)
    saved = analysis_name_for(path)
    save_analysis(wb.analysis(), saved)
    return saved, expense_types(path, encoding)


def test_the_matrix_of_a_real_ledger_uses_its_expense_types_and_says_unknown(saved_devon):
    name, spend = saved_devon
    matrix = saved_matrix(name).set_index("category")
    assert matrix.attrs["by"] == "category"
    assert "'Expense Type' values" in matrix.attrs["grouping_note"]
    assert set(matrix.index) == set(spend)  # one row per Expense Type
    total = sum(spend.values())
    for category, amount in spend.items():
        assert f"{matrix.loc[category, 'spend']:.2f}" == f"{amount:.2f}", category
    assert matrix["local_share"].isna().all() and matrix["local_suppliers"].isna().all()  # unknown, not 0
    big = {c for c, a in spend.items() if a / total >= Decimal("0.02")}
    assert set(matrix.index[matrix["quadrant"] == LOCATION_UNKNOWN]) == big
    assert set(matrix.index[matrix["quadrant"] == "low priority"]) == set(spend) - big
    brief = matrix_in_brief(matrix.reset_index(), name)
    assert f"location unknown {len(big)}" in brief and "grow local spend" not in brief
    assert "No category can be placed as grow, keep or thin" in brief
    assert unplaced_text(matrix.reset_index(), saved_matrix(name).attrs["thresholds"]).startswith(
        "The chart cannot be drawn"
    )


def test_the_widget_opens_a_real_saved_analysis_and_clears_the_previous_source(saved_devon):
    name, spend = saved_devon
    tool = OpportunityMatrixTool("portavera", 2025)
    assert "grow local spend" in tool.counts.value  # the course city first
    tool.source.value = f"saved:{name}"
    assert tool.message.value == "" and tool.label == name
    assert "grow local spend" not in tool.counts.value and "location unknown" in tool.counts.value
    assert "unknown" in tool.table.value and "45 Construction" not in tool.table.value
    assert "the share spent locally is unknown" in tool.details.value
    # a saved analysis that cannot be read: a message, and nothing of the previous source left on screen
    tool.source.options = [*tool.source.options, ("broken", "saved:nothing saved under this name")]
    tool.source.value = "saved:nothing saved under this name"
    assert "no saved analysis called" in tool.message.value and "Traceback" not in tool.message.value
    assert tool.table.value == "" and tool.counts.value == "" and tool.details.value == ""
    assert tool.matrix is None and len(tool.chart.outputs) == 0
    tool.min_spend.value = 3  # moving a slider with no source loaded stays quiet
    assert "no saved analysis called" in tool.message.value and tool.table.value == ""


def test_static_view_and_objectives_of_a_real_saved_analysis(saved_devon):
    name, _ = saved_devon
    items = matrix_static_view(saved=name)
    assert not any(hasattr(i, "layout") for i in items)  # no chart: nothing can be placed on it
    assert "The chart cannot be drawn" in items[0].data and "Expense Type" in items[0].data
    table = items[-1]
    assert isinstance(table, pd.DataFrame) and set(table["% local"]) == {"unknown"}
    builder = ObjectivesBuilder(saved=name)
    assert builder.baseline.value == ""  # no baseline of 0 for an unknown share
    assert "No baseline from" in builder.message.value and "geography table" in builder.message.value


def test_module_4_never_stops_on_a_ledger_or_analysis_it_cannot_open(tmp_path, work_dir):
    from helpers.strategy.matrix_sources import analysis_for_module4

    name, text = analysis_for_module4(tmp_path / "no_such_ledger.csv")
    assert name is None and "could not be analysed" in text and "course data are used" in text
    # a saved analysis whose table was damaged: a message, then the course data
    folder = work_dir / "analyses"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "broken.json").write_text('{"name": "broken", "levels": ["city"]}', encoding="utf-8")
    (folder / "broken.csv").write_text('date,amount\n2024-01-01,"unclosed\n', encoding="utf-8")
    name, text = analysis_for_module4(tmp_path / "broken.csv")
    assert name is None and "cannot be opened" in text
    items = matrix_static_view(saved="broken")
    assert len(items) == 1 and "broken" in items[0].data
    builder = ObjectivesBuilder(saved="broken")
    assert "baselines come from the course city instead" in builder.message.value


def test_a_saved_analysis_without_category_or_cpv_is_one_unclassified_row(tmp_path, work_dir):
    path = tmp_path / "bare.csv"
    path.write_text("Date,Supplier,Amount\n01/07/2024,A,100\n02/07/2024,B,50\n", encoding="utf-8")
    wb = Workbench()
    wb.load_ledger(path)
    save_analysis(wb.analysis(), "bare")
    matrix = saved_matrix("bare")
    assert matrix["category"].tolist() == ["unclassified"] and matrix["quadrant"].tolist() == ["unclassified"]
    assert matrix["spend"].tolist() == [150.0]
    assert "neither CPV divisions nor the ledger's own expense categories" in matrix.attrs["grouping_note"]
