"""Module 4 tool "From your contract monitoring": a thin layer over `helpers.strategy.from_monitoring`.

It lists the results summaries the learner saved in module 7, shows each KPI as a suggested objective for
next year (not met first), and saves them as a set of objectives (progress store, the objectives builder's
tool "strategy", named "From monitoring: …"), which the objectives builder then reloads: the learner sets
the targets there. Headless it shows the course example's suggestions.
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as w
from IPython.display import HTML

from helpers.core.errors import LearnerError
from helpers.core.safety import escape_html
from helpers.learning.my_work_widget import DownloadArea
from helpers.learning.progress import store as default_store
from helpers.strategy.from_monitoring import (
    EXAMPLE_SUMMARY,
    MONITORING_SUMMARY_TOOL,
    objectives_from_monitoring,
    suggested_objectives,
    summaries_in_brief,
)
from helpers.strategy.objectives import objectives_to_dict
from helpers.strategy.widgets.objectives_builder import TOOL as OBJECTIVES_TOOL
from helpers.ui.display import show_tool
from helpers.ui.exports import html_table
from helpers.ui.tool import Tool, heading


def from_monitoring_static_view() -> list:
    return [
        HTML(
            "<b>From your contract monitoring</b>: the course example (the playground contract after its first "
            "year). Your own summaries, saved in module 7, appear here in JupyterLab."
        ),
        objectives_from_monitoring(EXAMPLE_SUMMARY),
    ]


class FromMonitoring(Tool):
    """Saved monitoring summaries → suggested objectives → a set of objectives for the objectives builder."""

    css_class = "spw-from-monitoring"

    def __init__(self, store: Callable | None = None) -> None:
        super().__init__()
        self.store = (store or default_store)()
        self.summary = w.Dropdown(description="Summary", layout={"width": "70%"})
        self.refresh_button = w.Button(description="Refresh the list", icon="refresh")
        self.brief = w.HTML()
        self.table = w.HTML()
        self.add_button = w.Button(description="Save as objectives", icon="save")
        self.downloads = DownloadArea()
        self.refresh_button.on_click(self.guard(lambda _: self.refresh()))
        self.summary.observe(self.guard(lambda _: self.show_suggestions()), "value")
        self.add_button.on_click(self.guard(lambda _: self.save_objectives()))
        self.refresh()

    def refresh(self) -> None:
        names = self.store.list_drafts(MONITORING_SUMMARY_TOOL)
        self.summary.options = names
        self.summary.value = names[0] if names else None
        self.brief.value = f"<p>{escape_html(summaries_in_brief(names))}</p>"
        self.show_suggestions()

    def _chosen(self) -> dict:
        if not self.summary.value:
            raise LearnerError("no monitoring summary is chosen", fix="Save one in module 7, then refresh the list")
        return self.store.load_draft(MONITORING_SUMMARY_TOOL, self.summary.value)

    def show_suggestions(self) -> None:
        if not self.summary.value:
            self.table.value = "<p>The course example:</p>" + html_table(objectives_from_monitoring(EXAMPLE_SUMMARY))
            return
        self.table.value = html_table(objectives_from_monitoring(self._chosen()))

    def save_objectives(self) -> str:
        """Save the suggestions as a set of objectives the objectives builder can reload."""
        self.downloads.clear()
        name = f"From monitoring: {self.summary.value or ''}".strip()
        objectives = suggested_objectives(self._chosen(), str(self.summary.value))
        self.store.save_draft(OBJECTIVES_TOOL, name, objectives_to_dict(objectives))
        self.report(
            f"Saved {len(objectives)} objective(s) as “{name}”. Run the objectives builder's cell above again "
            "(Shift+Enter), choose them under Saved and load them, then set each target.",
            "ok",
        )
        self.downloads.offer_on_binder()
        return name

    def widget(self) -> w.Widget:
        box = w.VBox(
            [
                heading("From your contract monitoring (module 7)"),
                w.HBox([self.summary, self.refresh_button]),
                self.brief,
                self.table,
                self.add_button,
                self.message,
                self.downloads,
            ]
        )
        box.add_class(self.css_class)
        return box

    def static_view(self) -> list:
        return from_monitoring_static_view()


def from_contract_monitoring() -> None:
    """Show the tool; headless, the course example's suggestions."""
    show_tool(lambda: FromMonitoring().widget(), from_monitoring_static_view)
