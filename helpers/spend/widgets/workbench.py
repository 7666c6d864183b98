"""The spend-analysis workbench (module 3): a thin widget layer over `pipeline`.

`spend_workbench(city, year)` walks a learner through one analysis:
1. source: a course city's ledger, an uploaded file, or a file from `my_data/`; optionally a
   supplier register and a geography table;
2. mapping: which column holds the supplier, the amount…, guessed with reasons, confirmed by
   the learner, and saved for files of the same shape;
3. progress while the pipeline runs; 4. the cleaning report; 5. supplier-name groups, with
   "Split off" to undo a wrong merge; 6. the dashboard (headline figures, filters, linked
   charts, benchmarks); 7. a what-if on local spend and LM3; 8. exports and "save for module 4".

The tool is split along its seams: `workbench_state.Workbench` holds the state and does the
work without any widget (tests drive it from Python); this file builds the first steps'
controls (`WorkbenchWidget`), `workbench_dashboard` the later ones; `workbench_figures` and
`workbench_views` draw the charts and tables; `workbench_static` is the headless view (the
headline table, the geography chart and the top suppliers of the course city and year).
Every piece of text from a file reaches the page escaped (a supplier called
`<img src=x onerror=…>` shows as text).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import ipywidgets as w
import plotly.graph_objects as go

from helpers.core.errors import LearnerError
from helpers.core.fmt import pct
from helpers.core.safety import escape_html
from helpers.data import LEDGER_YEARS, cities, city_info
from helpers.learning.progress import store
from helpers.spend.ledger_files import (
    LEDGER_SUFFIXES,
    LedgerPreview,
    my_data_choices,
    save_register_upload,
    save_upload,
)
from helpers.spend.mapping import ROLE_LABELS, ROLES
from helpers.spend.widgets.workbench_dashboard import DashboardSteps
from helpers.spend.widgets.workbench_session import TOOL, reopen, session_of
from helpers.spend.widgets.workbench_state import Workbench
from helpers.spend.widgets.workbench_static import static_workbench
from helpers.spend.widgets.workbench_views import cleaning_report_html
from helpers.ui.display import message_html, show_tool
from helpers.ui.tool import Tool

NO_REGISTER_NOTE = (
    "Without a supplier register, every supplier's size (SME or not) and social-economy "
    'status are "unknown", and without a geography table (postcode → city / region / '
    'country) every location is "unknown". To add them, upload a register CSV with the '
    "columns of datasets/portavera/suppliers.csv (supplier_id, name, vat_number, postcode, "
    "country, size_class, social_economy, …) and choose a geography table, then load the "
    "ledger again."
)


class WorkbenchWidget(DashboardSteps, Tool):
    """The live workbench: one small builder per step around a `Workbench`.

    Controls are attributes (`city`, `year`, `mapping_controls`, `filter_controls`, `shift`…)
    so a test can set values and read `headline.value` without a browser. The message at the
    top and the guarded callbacks are the `Tool` base's (`message`, `report`, `guard`).
    """

    def __init__(self, city: str = "portavera", year: int = 2025, ledger: str | Path | None = None) -> None:
        super().__init__()
        self.wb = Workbench()
        self.ledger = ledger
        self.keep_last_session = False  # True while the course city stands in for a ledger not reopened
        self.message.add_class("spw-wb-message")
        self.charts: dict[str, go.Figure] = {}
        self._quiet = False
        steps = [
            self._source_step(city, year),
            self._mapping_step(),
            self._progress_step(),
            self._cleaning_step(),
            self._groups_step(),
            self._dashboard_step(),
            self._what_if_step(),
            self._export_step(),
        ]
        self.box = w.VBox([self.message] + steps)
        self.box.add_class("spw-workbench")
        self.guard(self.open_start)()

    def widget(self) -> w.Widget:
        """The live workbench (all steps under one message area)."""
        return self.box

    def static_view(self) -> list:
        """The headless view of the notebook's ledger, or of the chosen course city and year."""
        return static_workbench(self.city.value, int(self.year.value), self.ledger)

    # -- where it opens, and what it remembers
    def open_start(self) -> None:
        """Open on the notebook's `ledger` if given, else on the learner's last own ledger (with its
        settings), else on the course city; say which, and why when the last ledger cannot be reopened."""
        if self.ledger:
            try:
                self.wb.load_ledger(self.ledger, progress=self._progress)
            except LearnerError as exc:
                self.load_course()
                self.report(f"Could not open the ledger this notebook was given: {exc}", "error")
                return
            self._show_own_ledger(f"Opened {Path(self.ledger).name}, the ledger this notebook was given.")
            return
        saved = store().load_settings(TOOL)
        if saved.get("kind") != "file":
            self.load_course()
            return
        try:
            text = reopen(self.wb, saved, progress=self._progress)
        except LearnerError as exc:
            self.keep_last_session = True  # until the learner chooses: the file may come back
            self.load_course()
            self.report(f"Could not reopen your last ledger: {exc}", "warning")
            return
        self._show_own_ledger(text)

    def _show_own_ledger(self, text: str) -> None:
        self.mapping_box.children = [
            w.HTML(
                f"<i>{escape_html(self.wb.label)} is read with the mapping shown in the cleaning report; upload "
                "or choose it again to change the mapping.</i>"
            )
        ]
        self._quiet = True
        try:  # show the register and geography table in use
            self._choose(self.register_pick, str(self.wb.register_path or ""))
            self._choose(self.geography, self.wb.geography_choice)
            self.home_country.value = self.wb.home_country or ""
        finally:
            self._quiet = False
        using = (
            f"Your ledger {self.wb.label}; supplier register: {self.wb.register_label or 'none'}; "
            f"geography table: {self.wb.geography_label or 'none'}."
        )
        self.source_note.value = message_html(using, "info") + (
            message_html(NO_REGISTER_NOTE, "info") if self.wb.register is None or self.wb.geography is None else ""
        )
        self.show_analysis()
        self.report(text, "ok")

    def remember(self) -> None:
        """Keep the workbench's source and settings for the next session (progress store)."""
        session = session_of(self.wb)
        if session and not self.keep_last_session:
            store().save_settings(TOOL, session)

    # -- helpers

    def _heading(self, text: str):
        return w.HTML(f"<h4 style='margin:12px 0 4px 0'>{escape_html(text)}</h4>")

    def _on(self, control, handler: Callable[[], None]) -> None:
        if isinstance(control, w.Button):
            control.on_click(self.guard(lambda _: handler()))
        else:
            control.observe(self.guard(lambda change: None if self._quiet else handler()), names="value")

    def _progress(self, step: str, fraction: float) -> None:
        self.progress.value = float(fraction)
        self.progress_label.value = f"<span class='spw-progress-step'>{escape_html(step)}</span>"

    # -- 1. source
    def _source_step(self, city: str, year: int):
        wide = {"description_width": "initial"}
        self.city = w.Dropdown(options=cities(), value=city, description="Course city", style=wide)
        self.year = w.Dropdown(options=[str(y) for y in LEDGER_YEARS], value=str(year), description="Year", style=wide)
        self.load_button = w.Button(
            description="Load the course ledger", icon="database", layout=w.Layout(width="auto")
        )
        self.upload = w.FileUpload(accept=",".join(LEDGER_SUFFIXES), multiple=False, description="Upload a ledger")
        self.my_data = w.Dropdown(description="or a file in my_data/", style=wide, layout=w.Layout(width="420px"))
        self.refresh_button = w.Button(description="Refresh list", icon="refresh")
        self.use_file_button = w.Button(description="Use this file", icon="check")
        self.register_upload = w.FileUpload(accept=".csv", multiple=False, description="Upload a register")
        self.register_pick = w.Dropdown(
            description="or register from my_data/", style=wide, layout=w.Layout(width="420px")
        )
        self.geography = w.Dropdown(description="Geography table", style=wide, layout=w.Layout(width="420px"))
        self.home_country = w.Text(
            value="", description="Home country code", placeholder="e.g. GB", style=wide, layout=w.Layout(width="220px")
        )
        self.source_note = w.HTML()
        self.source_note.add_class("spw-source-note")
        for control, css in (
            (self.city, "spw-city"),
            (self.year, "spw-year"),
            (self.upload, "spw-upload"),
            (self.my_data, "spw-mydata"),
            (self.register_upload, "spw-register-upload"),
            (self.geography, "spw-geography"),
            (self.load_button, "spw-load"),
        ):
            control.add_class(css)
        self._fill_file_lists()
        self._on(self.load_button, self._on_load_button)
        self._on(self.upload, self._on_upload)
        self._on(self.refresh_button, self._fill_file_lists)
        self._on(self.use_file_button, self._on_my_data)
        self._on(self.register_upload, self._on_register_upload)
        self._on(self.register_pick, self._on_register_pick)
        box = w.VBox(
            [
                self._heading("1. Choose the ledger"),
                w.HBox([self.city, self.year, self.load_button]),
                w.HTML(
                    "<i>Or your own city's ledger (CSV, TSV, TXT or XLSX). An upload is copied to "
                    "my_work/uploads/; your original file is never changed. Large files: put them in "
                    "the my_data/ folder and pick them here.</i>"
                ),
                w.HBox([self.upload, self.my_data, self.refresh_button, self.use_file_button]),
                w.HTML(
                    "<i>Optional for your own ledger: a supplier register (size, social economy, "
                    "postcode) and a geography table (postcode → city / region / country).</i>"
                ),
                w.HBox([self.register_upload, self.register_pick]),
                w.HBox([self.geography, self.home_country]),
                self.source_note,
            ]
        )
        box.add_class("spw-source")
        return box

    def _fill_file_lists(self) -> None:
        named = my_data_choices()
        kept = {control: control.value for control in (self.my_data, self.register_pick, self.geography)}
        self._quiet = True
        try:
            self.my_data.options = named or [("(no .csv, .tsv or .xlsx file in my_data/)", "")]
            self.register_pick.options = [("(no register)", "")] + [n for n in named if n[1].endswith(".csv")]
            self.geography.options = (
                [("none: every location unknown", "")]
                + [(f"{city_info(c)['name']} (course data)", f"city:{c}") for c in cities()]
                + [(f"my_data/{label}", path) for label, path in named if path.endswith(".csv")]
            )
            for control, value in kept.items():  # keep a choice still offered, else show the first (never blank)
                self._choose(control, value)
        finally:
            self._quiet = False
        self.use_file_button.disabled = not named

    @staticmethod
    def _choose(control: w.Dropdown, value: str | None) -> None:
        values = [v for _, v in control.options]
        control.value = value if value in values else values[0]

    def _apply_reference_choice(self) -> None:
        choice = self.geography.value or ""
        if choice.startswith("city:"):
            self.wb.use_geography(choice[5:], self.home_country.value)
        elif choice:
            self.wb.use_geography(Path(choice), self.home_country.value)
        else:
            self.wb.use_geography(None)

    def _on_register_upload(self) -> None:
        files = self.register_upload.value
        if files:
            path = save_register_upload(files[0]["content"])
            self.wb.use_register(path, Path(str(files[0]["name"])).name)
            self.report(
                f"Supplier register {self.wb.register_label}: {len(self.wb.register):,} suppliers. "
                "It is used when you confirm the mapping of your ledger.",
                "ok",
            )

    def _on_register_pick(self) -> None:
        if self.register_pick.value:
            self.wb.use_register(self.register_pick.value)
            self.report(f"Supplier register {self.wb.register_label}: {len(self.wb.register):,} suppliers.", "ok")
        else:
            self.wb.use_register(None)

    def _on_load_button(self) -> None:
        self.keep_last_session = False  # the learner chose the course data
        self.load_course()

    def load_course(self) -> None:
        """Load the chosen course city and year (both years, for the year-on-year chart)."""
        self.report("")
        self.wb.load_shipped(self.city.value, int(self.year.value), progress=self._progress)
        self.mapping_box.children = [
            w.HTML(
                "<i>The course ledgers are read with their known columns; upload your own ledger to see the "
                "mapping step.</i>"
            )
        ]
        self.source_note.value = message_html(
            f"Using {self.wb.label}'s ledgers for 2024 and 2025 with its supplier register and geography table.", "info"
        )
        self.show_analysis()

    def load_path(self, path: str | Path, shown_name: str | None = None) -> None:
        """Preview a ledger file and show the mapping step."""
        preview = self.wb.load_file(path)
        self._show_mapping(preview, shown_name or Path(path).name)

    def _on_upload(self) -> None:
        files = self.upload.value
        if files:
            item = files[0]
            path = save_upload(str(item["name"]), bytes(item["content"]))
            self.load_path(path, Path(str(item["name"])).name)

    def _on_my_data(self) -> None:
        if self.my_data.value:
            self.load_path(self.my_data.value)

    # -- 2. mapping
    def _mapping_step(self):
        self.mapping_box = w.VBox()
        self.mapping_controls: dict[str, object] = {}
        self.confirm_button = w.Button(description="Confirm mapping", button_style="primary", icon="check")
        self.confirm_button.add_class("spw-confirm")
        self._on(self.confirm_button, self.confirm)
        box = w.VBox([self._heading("2. Check which column is which"), self.mapping_box])
        box.add_class("spw-mapping")
        return box

    def _show_mapping(self, preview: LedgerPreview, name: str) -> None:
        proposed = preview.proposed
        rows = []
        self.mapping_controls = {}
        for role in ROLES:
            guess = preview.guess.roles.get(role)
            control = w.Dropdown(
                options=[("(not in this file)", "")] + [(c, c) for c in preview.columns],
                value=proposed.get(role, ""),
                description=ROLE_LABELS[role],
                style={"description_width": "150px"},
                layout=w.Layout(width="430px"),
            )
            control.add_class(f"spw-map-{role}")
            if preview.saved and role in preview.saved:
                why = "as you confirmed for files of this shape"
            elif guess is not None:
                why = f"guess, {pct(guess.confidence, decimals=0)} sure: {guess.reason}"
            else:
                why = "no column looks like this; choose one if the file has it"
            rows.append(w.HBox([control, w.HTML(f"<small>{escape_html(why)}</small>")]))
            self.mapping_controls[role] = control
        intro = (
            f"<b>{escape_html(name)}</b>: {len(preview.columns)} columns. Check each role, correct it if "
            "needed, then confirm. The confirmed mapping is saved and used again for files with the same "
            "columns."
        )
        if preview.saved:
            intro += " <b>A mapping you confirmed earlier for files of this shape is filled in.</b>"
        register = (
            f"Supplier register: {escape_html(self.wb.register_label)}."
            if self.wb.register is not None
            else "No supplier register chosen."
        )
        self.mapping_box.children = (
            [w.HTML(f"<p>{intro}</p><p><small>{register} Geography: choose it above before confirming.</small></p>")]
            + rows
            + [self.confirm_button]
        )
        if "amount" not in proposed:
            self.report(
                "No column looks like an amount: choose it in the mapping (amount paid), then confirm.", "warning"
            )
        else:
            self.report(f"{name} is ready: check the mapping below and press Confirm mapping.", "info")

    def confirm(self) -> None:
        """Run the analysis with the mapping as shown in the drop-downs."""
        self._apply_reference_choice()
        mapping = {role: control.value for role, control in self.mapping_controls.items() if control.value}
        self.report("")
        self.keep_last_session = False
        self.wb.confirm_mapping(mapping, progress=self._progress)
        notes = [
            f"Mapping saved for files of this shape ({self.wb.mapping_saved_to.name}); the next file with "
            "the same columns is filled in for you."
        ]
        if self.wb.register is None or self.wb.geography is None:
            notes.append(NO_REGISTER_NOTE)
        self.source_note.value = "".join(message_html(n, "info") for n in notes)
        self.show_analysis()

    # -- 3. progress
    def _progress_step(self):
        self.progress = w.FloatProgress(value=0.0, min=0.0, max=1.0, description="Progress")
        self.progress_label = w.HTML()
        self.progress.add_class("spw-progress")
        box = w.HBox([self.progress, self.progress_label])
        return box

    # -- 4. cleaning report
    def _cleaning_step(self):
        self.cleaning = w.HTML()
        return w.VBox([self._heading("3. What was cleaned"), self.cleaning])

    def show_analysis(self) -> None:
        """Show the cleaning report, the groups and the dashboard of the analysis just made."""
        report = self.wb.analysis().report
        self.cleaning.value = cleaning_report_html(report)
        self._show_groups()
        self._fill_filters()
        self._fill_levels()
        self.refresh()


def spend_workbench(city: str = "portavera", year: int = 2025, ledger: str | Path | None = None) -> None:
    """Show the spend-analysis workbench: widgets in JupyterLab, a static view when headless.

    `ledger` (a path to the learner's file; None = the course city) opens the workbench on that
    file. Without it, the live workbench reopens on the learner's last own ledger, if any.
    The widget is built only when a front end shows it (building it analyses the data).
    """
    show_tool(lambda: WorkbenchWidget(city, year, ledger).widget(), lambda: static_workbench(city, year, ledger))
