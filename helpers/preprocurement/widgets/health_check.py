"""`health_check(city)`: red flags on past tenders, from the course data, an OCDS file in my_data/ or an
upload. Headless (papermill) it shows the course city's summary and flagged tenders."""

from __future__ import annotations

import ipywidgets as w
import pandas as pd
from IPython.display import HTML

from helpers.core import paths
from helpers.core.errors import LearnerError
from helpers.core.safety import check_upload_name, escape_html, safe_file_name, save_new_file
from helpers.preprocurement.red_flags import (
    course_tenders,
    flag_caveat,
    flag_meanings,
    health_sources,
    health_summary,
    load_health_source,
    tender_flags,
)
from helpers.ui.display import show_tool
from helpers.ui.exports import html_table
from helpers.ui.tool import Tool


def flagged_view(flags: pd.DataFrame) -> pd.DataFrame:
    """The flagged tenders with their flags and reasons; amounts keep their currency (never converted)."""
    shown = flags[flags["flagged"]].copy()
    codes = list(flag_meanings())
    shown["flags"] = [", ".join(c for c in codes if row[c]) for _, row in shown.iterrows()]
    cols = [
        c
        for c in (
            "tender_id",
            "title",
            "procedure",
            "submission_days",
            "number_of_tenderers",
            "currency",
            "flags",
            "reasons",
        )
        if c in shown
    ]
    return shown[cols].reset_index(drop=True)


def flag_counts_html(flags: pd.DataFrame, r003_days: int) -> str:
    items = "".join(
        f"<li><b>{code}</b> {escape_html(title)}: {int(flags[code].sum())}</li>"
        for code, (title, _) in flag_meanings().items()
    )
    return (
        f"<div class='spw-health-count-list'><b>{len(flags)} tenders, {int(flags['flagged'].sum())} flagged</b> "
        f"(short period = under {int(r003_days)} days)<ul>{items}</ul></div>"
    )


def health_static_view(city: str = "portavera", r003_days: int = 15) -> list:
    """The caveat, the flag counts, the summary and the flagged tenders of the course city."""
    tenders, bids = course_tenders(city)
    flags = tender_flags(tenders, bids, r003_days=r003_days)
    return [
        HTML(f"<div><b>Read this first:</b> {escape_html(flag_caveat())}</div>"),
        HTML(flag_counts_html(flags, r003_days)),
        health_summary(flags),
        flagged_view(flags),
    ]


class HealthCheck(Tool):
    """Source (course data, an OCDS file in my_data/, or an upload) and the R003 days → flags and summary."""

    css_class = "spw-health"

    def __init__(self, city: str = "portavera", r003_days: int = 15) -> None:
        super().__init__()
        self.city, self.r003_days = city, r003_days
        wide = {"description_width": "150px"}
        self.source = w.Dropdown(
            options=health_sources(city), description="Tenders from", style=wide, layout=w.Layout(width="600px")
        )
        self.upload = w.FileUpload(
            accept=".json", multiple=False, description="Upload an OCDS .json file", layout=w.Layout(width="auto")
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
            ("upload", self.upload),
            ("r003", self.r003),
            ("counts", self.counts),
            ("summary", self.summary),
            ("flagged", self.flagged),
            ("notes", self.notes),
        ):
            control.add_class(f"spw-health-{css}")
        self.source.observe(self.guard(lambda _: self.load()), names="value")
        self.upload.observe(self.guard(lambda _: self.uploaded()), names="value")
        self.r003.observe(self.guard(lambda _: self.refresh()), names="value")
        self.tenders = self.bids = self.flags = None
        self.box = w.VBox(
            [
                self.source,
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
        self.guard(self.load)()

    def widget(self) -> w.Widget:
        return self.box

    def static_view(self) -> list:
        return health_static_view(self.city, self.r003_days)

    def load(self) -> None:
        self.report("")
        self.tenders, self.bids, issues = load_health_source(self.source.value)
        self.notes.value = "".join(f"<div><i>Note: {escape_html(i)}</i></div>" for i in issues)
        self.refresh()

    def uploaded(self) -> None:
        files = self.upload.value
        if not files:
            return
        item = files[0]
        name = safe_file_name(check_upload_name(item["name"], "upload"), "ocds.json")
        if not name.lower().endswith(".json"):
            raise LearnerError("an OCDS file ends in .json", file=name, fix="Upload the OCDS JSON file")
        # never over the learner's own file in my_data/: a different file of that name gets name_2.json
        path = save_new_file(paths.my_data_dir() / name, bytes(item["content"]))
        key = f"ocds:{path}"
        options = list(self.source.options)
        if key not in [k for _, k in options]:
            options.append((f"my_data/{path.name} (OCDS, uploaded)", key))
            self.source.options = options
        self.source.value = key
        self.load()

    def refresh(self) -> None:
        self.report("")
        self.flags = tender_flags(self.tenders, self.bids, r003_days=int(self.r003.value))
        self.counts.value = flag_counts_html(self.flags, self.r003.value)
        self.summary.value = html_table(health_summary(self.flags))
        view = flagged_view(self.flags)
        self.flagged.value = html_table(view) if len(view) else "<i>No tender is flagged.</i>"


def health_check(city: str = "portavera", r003_days: int = 15) -> None:
    """Show the health check; headless, the course city's summary and flagged tenders."""
    show_tool(lambda: HealthCheck(city, r003_days).widget(), lambda: health_static_view(city, r003_days))
