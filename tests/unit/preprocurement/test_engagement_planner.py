"""The engagement planner driven from Python: timeline, invitations, transparency log and export."""

from __future__ import annotations

import pandas as pd

from helpers.preprocurement.widgets.engagement_planner import EngagementPlanner
from tests.unit.download_checks import (
    assert_binder_offer,
    assert_links,
    assert_local_links_only,
    not_on_binder,
    on_binder,
)


def test_planner_timeline_invitations_log_and_export(work_dir):
    planner = EngagementPlanner("portavera")
    first = planner.plan_timeline.iloc[0]
    assert first["milestone"].startswith("Preliminary market consultation opens")
    assert first["date"] == pd.Timestamp("2025-05-14")  # 1 Oct 2025 back: 10+30+30 days, 4+6 weeks
    planner.e_submission.value = False  # 35 days instead of 30: 5 days earlier
    assert planner.plan_timeline.iloc[0]["date"] == pd.Timestamp("2025-05-09")
    inv = planner.plan_invitations
    assert inv["local_sme"].iloc[0] and "24 local SMEs (highlighted)" in planner.invitations.value
    planner.division.value = "99"
    assert planner.plan_invitations.empty and "0 suppliers in this sector" in planner.invitations.value
    planner.division.value = "37"
    planner.supplier.value = "Juegos del Puerto"
    planner.summary.value = "Can we offer <b>wooden</b> equipment?"
    planner.add_entry.click()
    assert "has no answer yet" in planner.log_view.value and "&lt;b&gt;wooden" in planner.log_view.value
    planner.answer.value = "Yes, any material meeting the safety standard."
    planner.publish.click()
    assert "has no answer yet" not in planner.log_view.value
    paths = planner.export_plan()
    md = paths[0].read_text()
    assert paths[1].suffix == ".docx" and paths[1].is_file()
    assert "Preliminary market consultation opens (Art. 40)" in md and "Almena Parques Infantiles" in md


def test_export_links_each_file_and_binder_adds_its_warning(work_dir, monkeypatch):
    not_on_binder(monkeypatch)
    planner = EngagementPlanner("portavera")
    assert planner.downloads in planner.widget().children
    planner.purchase.value = "Parque <b>Norte</b> & más"
    paths = planner.export_plan()
    assert [p.name for p in paths] == [
        "engagement_plan_Parque__b_Norte__b____más.md",
        "engagement_plan_Parque__b_Norte__b____más.docx",
    ]
    assert_local_links_only(planner.downloads, paths)
    on_binder(monkeypatch)
    planner.export.click()
    assert_links(planner.downloads, paths)
    assert_binder_offer(planner.downloads, work_dir)
