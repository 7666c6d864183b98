"""`health_check(city, ocds=None)`: red flags on past tenders, from the course data, OCDS files, folders or zips in
my_data/, a typed path, or an upload (one file, several files or a .zip). For every flag it says how many tenders it
could check and why not the others. Headless (papermill) it shows the same for the course city, or for `ocds`."""

from __future__ import annotations

import ipywidgets as w
from IPython.display import HTML

from helpers.core.safety import escape_html
from helpers.preprocurement.health_report import (
    flag_counts_html,
    flagged_view,
    reading_html,
    summary_view,
)
from helpers.preprocurement.health_sources import (
    HealthSource,
    health_sources,
    load_source,
    save_upload,
    typed_path,
)
from helpers.preprocurement.ocds_files import shown_name
from helpers.preprocurement.red_flags import flag_caveat, tender_flags
from helpers.ui.display import guarded, message_html, show_tool
from helpers.ui.exports import html_table
from helpers.ui.tool import Tool

__all__ = ["HealthCheck", "flagged_view", "health_check", "health_static_view"]


def _source(city: str, ocds: str | None) -> HealthSource:
    if ocds is None or str(ocds).strip() == "":
        return load_source(f"course:{city}")
    path = typed_path(str(ocds))
    return load_source(f"ocds:{path}", f"{path.name} (OCDS)")


def health_static_view(city: str = "portavera", r003_days: int = 15, ocds: str | None = None) -> list:
    """The caveat, what each flag could check, the summary and the flagged tenders of the course city, or of
    the OCDS file, folder or zip `ocds`. A problem reading it is shown as a message, never a traceback."""
    shown: list = []
    guarded(lambda text, kind: shown.append(HTML(message_html(text, kind))))(_static_parts)(
        shown, city, r003_days, ocds
    )
    return shown


def _static_parts(shown: list, city: str, r003_days: int, ocds: str | None) -> None:
    source = _source(city, ocds)
    flags = tender_flags(source.tenders, source.bids, r003_days=r003_days)
    flagged = flagged_view(flags)
    shown += [
        HTML(f"<div><b>Read this first:</b> {escape_html(flag_caveat())}</div>"),
        HTML(flag_counts_html(flags, r003_days)),
        summary_view(flags),
        flagged if len(flagged) else HTML("<i>No tender is flagged (among the checks that could be done).</i>"),
        HTML(reading_html(source, flags)),
    ]


class HealthCheck(Tool):
    """Source (course data, OCDS in my_data/, a typed path or an upload) and the R003 days → flags and summary."""

    css_class = "spw-health"

    def __init__(self, city: str = "portavera", r003_days: int = 15, ocds: str | None = None) -> None:
        super().__init__()
        self.city, self.r003_days = city, r003_days
        wide = {"description_width": "150px"}
        self.source = w.Dropdown(
            options=health_sources(city), description="Tenders from", style=wide, layout=w.Layout(width="600px")
        )
        self.path = w.Text(
            placeholder="my_data/ocds (a .json file, a folder of them, or a .zip)",
            description="Or a path",
            style=wide,
            layout=w.Layout(width="600px"),
        )
        self.read_path = w.Button(description="Read", tooltip="Read the OCDS file, folder or zip at this path")
        self.upload = w.FileUpload(
            accept=".json,.zip",
            multiple=True,
            description="Upload OCDS (.json files or a .zip)",
            layout=w.Layout(width="auto"),
        )
        self.r003 = w.IntSlider(
            value=r003_days,
            min=1,
            max=60,
            description="Short period under (days)",
            style={"description_width": "170px"},
            layout=w.Layout(width="520px"),
            continuous_update=False,
        )
        self.counts, self.summary, self.flagged, self.notes = w.HTML(), w.HTML(), w.HTML(), w.HTML()
        for css, control in (
            ("source", self.source),
            ("path", self.path),
            ("read-path", self.read_path),
            ("upload", self.upload),
            ("r003", self.r003),
            ("counts", self.counts),
            ("summary", self.summary),
            ("flagged", self.flagged),
            ("notes", self.notes),
        ):
            control.add_class(f"spw-health-{css}")
        self.source.observe(self.guard(lambda _: self.load()), names="value")
        self.read_path.on_click(self.guard(lambda _: self.open_path()))
        self.upload.observe(self.guard(lambda _: self.uploaded()), names="value")
        self.r003.observe(self.guard(lambda _: self.refresh()), names="value")
        self.data: HealthSource | None = None
        self.flags = None
        self.box = w.VBox(
            [
                self.source,
                w.HBox([self.path, self.read_path]),
                self.upload,
                self.r003,
                self.message,
                w.HTML(f"<div class='spw-caveat'><b>Read this first:</b> {escape_html(flag_caveat())}</div>"),
                self.counts,
                w.HTML("<b>By category and procedure</b>"),
                self.summary,
                w.HTML("<b>Flagged tenders</b>"),
                self.flagged,
                self.notes,
            ]
        )
        self.box.add_class(self.css_class)
        if ocds:
            self.path.value = str(ocds)
            self.guard(self.open_path)()
        else:
            self.guard(self.load)()

    def widget(self) -> w.Widget:
        return self.box

    def static_view(self) -> list:
        return health_static_view(self.city, self.r003_days)

    def _clear(self) -> None:
        """Nothing from a previous source stays on screen while (or if) the next one fails to load."""
        self.data = self.flags = None
        for view in (self.counts, self.summary, self.flagged, self.notes):
            view.value = ""

    def _add_option(self, label: str, key: str) -> None:
        options = list(self.source.options)
        if key not in [k for _, k in options]:
            options.append((label, key))
            self.source.options = options
        if self.source.value == key:
            self.load()
        else:
            self.source.value = key  # loads through the observer

    def load(self) -> None:
        self.report("")
        self._clear()
        self.data = load_source(self.source.value, self.source.label)
        self.refresh()

    def open_path(self) -> None:
        self.report("")
        path = typed_path(self.path.value)
        self._add_option(f"{shown_name(path.name)} (OCDS, typed path)", f"ocds:{path}")

    def uploaded(self) -> None:
        files = [(str(item["name"]), bytes(item["content"])) for item in self.upload.value]
        if not files:
            return
        saved = save_upload(files)
        kind = "folder" if saved.is_dir() else "file"
        self._add_option(f"my_data/{saved.name} (OCDS {kind}, uploaded)", f"ocds:{saved}")
        self.report(f"Saved in my_data/ as {saved.name} (no file of yours was replaced).", "info")

    def refresh(self) -> None:
        if self.data is None:
            return
        self.flags = tender_flags(self.data.tenders, self.data.bids, r003_days=int(self.r003.value))
        self.counts.value = flag_counts_html(self.flags, self.r003.value)
        self.summary.value = html_table(summary_view(self.flags))
        view = flagged_view(self.flags)
        self.flagged.value = (
            html_table(view) if len(view) else "<i>No tender is flagged (among the checks that could be done).</i>"
        )
        self.notes.value = reading_html(self.data, self.flags)


def health_check(city: str = "portavera", r003_days: int = 15, ocds: str | None = None) -> None:
    """Show the health check (on `ocds`, a file, folder or zip, when given); headless, its static view."""
    show_tool(lambda: HealthCheck(city, r003_days, ocds).widget(), lambda: health_static_view(city, r003_days, ocds))
