"""Module 1: the cycle of procurement and its content file."""

from __future__ import annotations

from helpers.core.content import items
from helpers.why import cycle


def test_cycle_stages_in_urbact_order():
    stages = [s["stage"] for s in cycle.procurement_cycle()]
    assert stages == [
        "Identifying outcomes",
        "Spend analysis",
        "Commissioning",
        "Tendering",
        "Decision-making",
        "Monitoring",
    ]
    assert cycle.cycle_table().loc[1, "course modules"] == "03"
    assert cycle.procurement_cycle()[-1]["modules"] == ["07"]


def test_cycle_figure_draws_six_stages_and_six_arrows():
    fig = cycle.cycle_figure()
    assert len(fig.data[0].x) == 6
    arrows = [a for a in fig.layout.annotations if a.showarrow]
    assert len(arrows) == 6
    assert "Spend analysis" in fig.data[0].text[1]


def test_cycle_content_file():
    stages = items(cycle.CYCLE_FILE)
    assert [(s["stage"], s["modules"]) for s in stages] == [
        ("Identifying outcomes", ["01", "04"]),
        ("Spend analysis", ["03"]),
        ("Commissioning", ["04", "05"]),
        ("Tendering", ["06"]),
        ("Decision-making", ["06"]),
        ("Monitoring", ["07"]),
    ]
    assert stages[1]["what"] == "find out where the money goes: places, sectors, kinds of business"
    assert {s["source"] for s in stages} == {
        "https://urbact.eu/toolbox-home/embedding-gender-equality-public-procurement-34"
    }
    assert {s["status"] for s in stages} == {"unverified"}
    assert cycle.cycle_table()["what happens"].tolist() == [s["what"] for s in stages]
