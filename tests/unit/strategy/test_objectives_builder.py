"""The objectives builder driven from Python: baselines prefilled from the spend analysis, live checks, save,
reload and export."""

from __future__ import annotations

import docx
import pytest

from helpers.spend.pipeline import analyse_city
from helpers.strategy.objectives import baseline_for
from helpers.strategy.widgets.objectives_builder import ObjectivesBuilder
from tests.unit.download_checks import (
    assert_binder_offer,
    assert_links,
    assert_local_links_only,
    not_on_binder,
    on_binder,
)


@pytest.fixture(scope="module")
def portavera():
    return analyse_city("portavera", 2025)


def test_baseline_for_reads_the_headline(portavera):
    head = portavera.headline()
    assert baseline_for("share of spend with suppliers in the city", head) == round(100 * head["local_share_city"], 1)
    assert baseline_for("% of spend with SMEs", head) == 35.0  # 34.97% rounds to 35.0
    assert baseline_for("local multiplier (LM3)", head) is None


def test_objectives_builder_prefills_checks_saves_and_exports(work_dir, portavera):
    builder = ObjectivesBuilder("portavera", 2025)
    head = portavera.headline()
    assert builder.baseline.value == f"{round(100 * head['local_share_city'], 1):g}"
    assert builder.baseline_source.value == "Portavera 2025 spend analysis (module 3)"
    assert "no target" in builder.checks.value
    builder.target.value = "20"  # lower than the 26% baseline: wrong way
    assert "moves the wrong way" in builder.checks.value
    builder.target.value = "35"
    assert "spw-ok" in builder.checks.value
    builder.add.click()
    builder.outcome.value = "smes_social_economy"
    assert builder.indicator.value == "% of spend with SMEs" and builder.baseline.value == "35"
    builder.target.value = "140"
    builder.add.click()  # 140% is an error: not added
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


def test_export_links_each_file_and_binder_warns_after_a_save(work_dir, monkeypatch):
    not_on_binder(monkeypatch)
    builder = ObjectivesBuilder("portavera", 2025)
    assert builder.downloads in builder.widget().children
    builder.target.value = "35"
    builder.add.click()
    builder.name.value = "Plan B"
    builder.save.click()
    assert "Saved 1 objective(s)" in builder.status.value and builder.downloads.outputs == ()
    builder.export.click()
    exported = [work_dir / "exports" / "objectives_Plan_B.md", work_dir / "exports" / "objectives_Plan_B.docx"]
    assert_local_links_only(builder.downloads, exported)
    on_binder(monkeypatch)
    builder.save.click()  # a draft in the progress file: only Binder's warning and all work as one file
    assert "objectives_Plan_B" not in builder.downloads.html
    assert_binder_offer(builder.downloads, work_dir)
    builder.export.click()
    assert_links(builder.downloads, exported)
    assert_binder_offer(builder.downloads, work_dir)
    builder.objectives = []
    builder.export.click()  # nothing to export: a message, and no link to the earlier files
    assert "no objectives to export" in builder.message.value and builder.downloads.outputs == ()
