"""Steps 4 to 7 of the workbench widget: supplier-name groups, the dashboard, the what-if on local
spend and LM3, and exports. A mixin of `WorkbenchWidget` (see `widgets/workbench.py`), which
provides `wb` (the `Workbench` state), `_on`, `_heading`, `report` and `charts`.
"""

from __future__ import annotations

from pathlib import Path

import ipywidgets as w

from helpers.core.fmt import money
from helpers.core.safety import escape_html
from helpers.learning.my_work_widget import DownloadArea
from helpers.spend.lm3 import default_respend_rate
from helpers.spend.pipeline import AlreadySaved
from helpers.spend.widgets.workbench_state import ALL
from helpers.ui.display import message_html, show_in
from helpers.ui.exports import html_table

CHARTS = ("geography", "size", "sector", "top", "years")


class DashboardSteps:
    """The controls and callbacks of the workbench's later steps (groups, dashboard, what-if, exports)."""

    # -- 5. supplier groups
    def _groups_step(self):
        self.groups_table = w.HTML()
        self.groups_table.add_class("spw-groups")
        self.variant = w.Dropdown(
            description="Name variant", style={"description_width": "initial"}, layout=w.Layout(width="520px")
        )
        self.variant.add_class("spw-variant")
        self.split_button = w.Button(description="Split off", icon="scissors")
        self.split_button.add_class("spw-split")
        self.undo_button = w.Button(description="Undo all splits", icon="undo")
        self._on(self.split_button, self.split)
        self._on(self.undo_button, self.undo_splits)
        return w.VBox(
            [
                self._heading("4. Supplier names grouped"),
                w.HTML(
                    "<i>Spellings of one supplier are grouped (same supplier number, or the same name "
                    "without punctuation and company forms such as Ltd or S.L.). If two different "
                    "suppliers were merged, choose a name and split it off.</i>"
                ),
                self.groups_table,
                w.HBox([self.variant, self.split_button, self.undo_button]),
            ]
        )

    def _show_groups(self) -> None:
        groups = self.wb.variant_groups()
        shown = groups.head(15).assign(
            names=groups["names"].head(15).map("; ".join),
            supplier_ids=groups["supplier_ids"].head(15).map(", ".join),
            amount=groups["amount"].head(15).map(lambda v: money(v, None)),
        )
        text = (
            f"{self.wb.group_count():,} supplier groups; {len(groups):,} merge more than one name variant"
            + (f"; {len(self.wb.overrides)} split off by you" if self.wb.overrides else "")
            + "."
        )
        self.groups_table.value = f"<div class='spw-groups-count'>{escape_html(text)}</div>" + (
            html_table(shown) if len(groups) else ""
        )
        options = [(f"{n}  (in {g})", n) for g, names in zip(groups["supplier_group"], groups["names"]) for n in names][
            :500
        ]
        self._quiet = True
        try:
            self.variant.options = options or [("(no merged names)", "")]
            self.variant.index = None  # re-send the selection: the page shows the first name
            self.variant.index = 0
        finally:
            self._quiet = False
        self.split_button.disabled = not options

    def split(self) -> None:
        if self.variant.value:
            name = self.variant.value
            count = self.wb.split_off(name)
            self.report(f"'{name}' is now a group of its own ({count:,} groups).", "ok")
            self.show_analysis()

    def undo_splits(self) -> None:
        self.wb.clear_overrides()
        self.report("Back to the automatic grouping.", "info")
        self.show_analysis()

    # -- 6. dashboard
    def _dashboard_step(self):
        wide = {"description_width": "initial"}
        self.filter_controls = {
            "year": w.Dropdown(description="Year", style=wide),
            "service_area": w.Dropdown(description="Service area", style=wide),
            "category": w.Dropdown(description="Category", style=wide, layout=w.Layout(width="360px")),
            "level": w.Dropdown(description="Supplier location", style=wide),
            "currency": w.Dropdown(description="Currency", style=wide),
        }
        for dim, control in self.filter_controls.items():
            control.add_class(f"spw-filter-{dim.replace('_', '-')}")
            self._on(control, self.refresh)
        self.levels_note = w.HTML()
        self.levels_note.add_class("spw-levels")
        self.local_level = w.Dropdown(description="counts as local (in the city)", style=wide)
        self.region_level = w.Dropdown(description="counts as the wider region", style=wide)
        self.local_level.add_class("spw-local-level")
        self.region_level.add_class("spw-region-level")
        self._on(self.local_level, self.change_levels)
        self._on(self.region_level, self.change_levels)
        self.headline = w.HTML()
        self.headline.add_class("spw-headline")
        # Each chart is drawn in an Output by JupyterLab's plotly renderer: a FigureWidget drawn while
        # its cell was deferred or off screen sometimes came up empty (axes without bars).
        self.chart_boxes = {}
        for key in CHARTS:
            box = w.Output(layout=w.Layout(width="100%"))
            box.add_class(f"spw-chart-{key}")
            self.chart_boxes[key] = box
        self.benchmark_table = w.HTML()
        self.benchmark_table.add_class("spw-benchmarks")
        return w.VBox(
            [
                self._heading("5. Dashboard"),
                self.levels_note,
                w.HBox([self.local_level, self.region_level]),
                w.HBox(list(self.filter_controls.values())),
                self.headline,
                *[self.chart_boxes[key] for key in CHARTS],
                self._heading("Compared with published benchmarks"),
                w.HTML("<i>Definitions differ: read the note before comparing.</i>"),
                self.benchmark_table,
            ]
        )

    def _fill_filters(self) -> None:
        options = self.wb.filter_options()
        self._quiet = True
        try:
            for dim, control in self.filter_controls.items():
                control.options = options[dim]
                control.value = self.wb.filters.get(dim, ALL)
        finally:
            self._quiet = False
        # the currency filter only matters when the ledger holds several currencies
        several = len(options["currency"]) > 2
        self.filter_controls["currency"].layout.display = None if several else "none"

    def _fill_levels(self) -> None:
        """Show the levels of the analysis and the learner's choice of local and wider-region levels."""
        levels = self.wb.levels
        self._quiet = True
        try:
            for control, value in ((self.local_level, levels.local), (self.region_level, levels.regional)):
                control.options = list(levels.levels)
                control.value = value
        finally:
            self._quiet = False
        self.levels_note.value = (
            f"<p class='spw-levels-text'>{escape_html(self.wb.levels_text())} "
            "<i>Choose below which levels count as local and as the wider region "
            "(each includes the nearer levels).</i></p>"
        )

    def change_levels(self) -> None:
        """The learner chose other local / wider-region levels: redraw the headline, charts and what-if."""
        try:
            self.wb.set_levels(self.local_level.value, self.region_level.value)
        finally:
            self._fill_levels()  # on a bad choice, show the levels still in use
        self.refresh()

    def refresh(self) -> None:
        """Apply the filters, then redraw the headline, charts, benchmarks and what-if."""
        self.wb.set_filters(**{dim: c.value for dim, c in self.filter_controls.items()})
        self.headline.value = (
            f"<div class='spw-headline-figures'><p class='spw-scope'><b>Scope</b>: "
            f"{escape_html(self.wb.scope_text())}</p>{html_table(self.wb.headline_frame())}"
            + "".join(message_html(n, "warning") for n in self.wb.notes)
            + "</div>"
        )
        for key, fig in self.wb.figures().items():
            self.charts[key] = fig  # the figure on show (tests read its data and title)
            box = self.chart_boxes[key]
            show_in(box, fig)
        self.benchmark_table.value = html_table(self.wb.benchmarks())
        self.update_what_if()
        self.remember()

    # -- 7. what-if
    def _what_if_step(self):
        self.shift = w.IntSlider(
            value=10, min=0, max=100, step=5, description="Shift (%)", style={"description_width": "initial"}
        )
        self.respend = w.FloatSlider(
            value=default_respend_rate(),
            min=0.0,
            max=1.0,
            step=0.05,
            description="Re-spend rate",
            readout_format=".0%",
            style={"description_width": "initial"},
        )
        self.shift.add_class("spw-shift")
        self.respend.add_class("spw-respend")
        self.what_if_result = w.HTML()
        self.what_if_result.add_class("spw-what-if")
        self._on(self.shift, self.update_what_if)
        self._on(self.respend, self.update_what_if)
        return w.VBox(
            [
                self._heading("6. What if more were spent locally?"),
                w.HTML(
                    "<i>Move a share of the spend with suppliers outside the city, in categories where "
                    "city suppliers already work, to city suppliers. The re-spend rate is the share of "
                    "their income that city suppliers spend again locally (40% in the course's worked "
                    "example; measure it with a supplier survey).</i>"
                ),
                w.HBox([self.shift, self.respend]),
                self.what_if_result,
            ]
        )

    def update_what_if(self) -> None:
        result = self.wb.what_if(self.shift.value, self.respend.value)
        self.what_if_result.value = f"<p class='spw-what-if-text'>{escape_html(result['sentence'])}</p>"

    # -- 8. exports
    def _export_step(self):
        self.export_button = w.Button(
            description="Export tables (Excel)", icon="download", layout=w.Layout(width="auto")
        )
        self.summary_button = w.Button(
            description="Export summary (Markdown + HTML)", icon="download", layout=w.Layout(width="auto")
        )
        self.save_name = w.Text(
            value="", placeholder="e.g. My city 2025", description="Name", style={"description_width": "initial"}
        )
        self.save_button = w.Button(
            description="Save this analysis for module 4", icon="save", layout=w.Layout(width="auto")
        )
        self.export_message = w.HTML()
        self.export_message.add_class("spw-export-message")
        self.export_downloads = DownloadArea()  # a link per written file (and, on Binder, the warning)
        for button in (self.export_button, self.summary_button):
            self._on(button, self.export)
        self._on(self.save_button, self.save)
        return w.VBox(
            [
                self._heading("7. Export and save"),
                w.HBox([self.export_button, self.summary_button]),
                w.HBox([self.save_name, self.save_button]),
                self.export_message,
                self.export_downloads,
            ]
        )

    def _scope(self) -> str:
        year = self.wb.filters.get("year")
        others = [k for k in self.wb.filters if k != "year"]
        return (f"the whole of {year}" if year else f"the whole of {self.wb.label}") + (
            " (the other filters are not applied)" if others else ""
        )

    def export(self) -> list[Path]:
        self.export_downloads.clear()
        paths = self.wb.export()
        self.export_message.value = message_html(
            f"Saved {self._scope()} (tables in Excel, summary in Markdown and HTML): "
            + ", ".join(str(p) for p in paths),
            "ok",
        )
        self.export_downloads.show(paths, text="")
        return paths

    def save(self) -> Path:
        name = self.save_name.value  # a second click on the same name replaces it (the first one asks)
        confirmed, self._replace_name = getattr(self, "_replace_name", None) == name, None
        self.export_downloads.clear()
        try:
            path = self.wb.save_for_module4(name, replace=confirmed)
        except AlreadySaved:
            self._replace_name = name
            raise
        replaced = confirmed
        self.export_message.value = message_html(
            f"Saved {self._scope()} as '{self.save_name.value}' for module 4: {path}"
            + (" It replaces the analysis saved earlier under this name." if replaced else ""),
            "ok",
        )
        self.export_downloads.show([path], text="")
        return path
