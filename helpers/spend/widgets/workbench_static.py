"""The workbench's static view, shown when no widget front end is attached (papermill,
nbconvert, a static site): the scope, the headline table, the geography chart and the top
suppliers of a course city and year, or of the ledger a notebook was given."""

from __future__ import annotations

from pathlib import Path

from IPython.display import HTML

from helpers.core.errors import LearnerError
from helpers.core.fmt import money, pct
from helpers.core.safety import escape_html
from helpers.spend.widgets.workbench_figures import geography_figure
from helpers.spend.widgets.workbench_state import Workbench
from helpers.spend.widgets.workbench_views import cleaning_report_html
from helpers.ui.display import message_html
from helpers.ui.theme import chart_label


def static_workbench(city: str = "portavera", year: int = 2025, ledger: str | Path | None = None) -> list:
    """The headless view: the scope, the headline table, the geography chart and the top suppliers
    (with `ledger`: that file, its cleaning report first, read with the mapping saved for its shape
    or guessed)."""
    wb = Workbench()
    items: list = []
    try:
        if ledger:
            wb.load_ledger(ledger)
            items.append(HTML(cleaning_report_html(wb.analysis().report)))
    except LearnerError as exc:  # the ledger cannot be read: say why, and show the course city
        items.append(HTML(message_html(f"{exc} The course city is shown instead.", "error")))
        ledger = None
    if ledger:
        title = f"Where the money goes ({chart_label(wb.label)}, {chart_label(wb.filter_text())})"
    else:
        wb.load_shipped(city, year)
        title = f"Where the money goes ({chart_label(wb.label)} {year})"
    cube = wb.cube
    top = cube.top_suppliers(wb.filters, 10)
    top = top.assign(
        amount=top["amount"].map(lambda v: money(v, None)),
        share=top["share"].map(pct),
        cumulative_share=top["cumulative_share"].map(pct),
    )
    return [
        *items,
        HTML(f"<p class='spw-scope'><b>Scope</b>: {escape_html(wb.scope_text())}</p>"),
        wb.headline_frame(),
        geography_figure(cube.share_by("level", wb.filters), wb.levels, title),
        top,
    ]
