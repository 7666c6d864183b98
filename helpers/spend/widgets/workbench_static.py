"""The workbench's static view, shown when no widget front end is attached (papermill,
nbconvert, a static site): the headline table, the geography chart and the top suppliers
of a course city and year."""

from __future__ import annotations

from helpers.core.fmt import money, pct
from helpers.spend.widgets.workbench_figures import geography_figure
from helpers.spend.widgets.workbench_state import Workbench
from helpers.spend.widgets.workbench_views import headline_table
from helpers.ui.theme import chart_label


def static_workbench(city: str = "portavera", year: int = 2025) -> list:
    """The headless view: the headline table, the geography chart and the top suppliers."""
    wb = Workbench()
    head = wb.load_shipped(city, year)
    cube = wb.cube
    top = cube.top_suppliers(wb.filters, 10)
    top = top.assign(
        amount=top["amount"].map(lambda v: money(v, None)),
        share=top["share"].map(pct),
        cumulative_share=top["cumulative_share"].map(pct),
    )
    return [
        headline_table(head, wb.currency),
        geography_figure(
            cube.share_by("level", wb.filters), wb.levels, f"Where the money goes ({chart_label(wb.label)} {year})"
        ),
        top,
    ]
