"""The start-here page's "Your competence profile": the profile from the work done, the learner's own
view of a competence (self-reported, kept apart), and an export (JSON for the trainer's team view, CSV
to read) with download links. A headless run shows the same table."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import ipywidgets as w
from IPython.display import HTML

from helpers.core.paths import exports_dir
from helpers.core.safety import escape_html, save_new_file
from helpers.learning import competences as fw
from helpers.learning.competence_profile import (
    MAX_LABEL,
    NO_EVIDENCE,
    SELF_KEY,
    SELF_REPORTED,
    competence_profile,
    profile_json,
    profile_table,
)
from helpers.learning.my_work_widget import DownloadArea
from helpers.learning.progress import ProgressStore
from helpers.learning.progress import store as default_store
from helpers.ui.exports import html_table, to_csv_bytes
from helpers.ui.tool import Tool, heading

NOT_SET = "(not set)"


def summary_text(profile: dict) -> str:
    """One line: how many competences have evidence, out of how many."""
    rows = profile["competences"]
    with_evidence = sum(1 for r in rows if r["evidence_count"])
    if not with_evidence:
        return (
            f"No evidence yet for any of the {len(rows)} ProcurCompEU competences: answer self-checks and save "
            "work in the modules, and it appears here."
        )
    return (
        f"Evidence from your work for {with_evidence} of the {len(rows)} ProcurCompEU competences; "
        f"the others show “{NO_EVIDENCE}”."
    )


def _source_html() -> str:
    data = fw.framework()
    unverified = sum(1 for c in fw.competences() if c.status != "verified")
    note = (
        f" The names of {unverified} competences are still to be checked against the Commission's matrix."
        if unverified
        else ""
    )
    return (
        f"<p class='spw-source' style='font-size:90%'>{escape_html(fw.licence_line())} "
        f"Framework: <a href='{escape_html(data['framework_url'])}' target='_blank' rel='noopener'>"
        f"European Commission, ProcurCompEU</a>.{escape_html(note)}</p>"
    )


def _csv_table(profile: dict):
    """The profile table with the learner's name (as typed) on every row, for a spreadsheet."""
    table = profile_table(profile)
    table.insert(0, "learner", profile.get("learner") or "")
    return table


def export_profile(profile: dict, folder: Path | None = None) -> list[Path]:
    """Write the profile as JSON (for the trainer) and CSV (formulas neutralised); never replaces a file."""
    folder = folder or exports_dir()
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    base = f"competence-profile-{stamp}"
    return [
        save_new_file(folder / f"{base}.json", profile_json(profile).encode("utf-8")),
        save_new_file(folder / f"{base}.csv", to_csv_bytes(_csv_table(profile))),
    ]


class CompetenceProfileTool(Tool):
    """Shows the profile, saves the learner's own view of one competence, exports the profile."""

    css_class = "spw-competence-profile"

    def __init__(self, store: ProgressStore | None = None) -> None:
        super().__init__()
        self.store = store or default_store()
        self.summary = w.HTML()
        self.table = w.HTML()
        wide = {"style": {"description_width": "initial"}}
        self.learner = w.Text(description="Name on export", placeholder="your name or a pseudonym", **wide)
        self.export = w.Button(description="Export my profile", icon="download", button_style="primary")
        self.export.add_class("spw-export-profile")
        self.links = DownloadArea()
        options = [(f"{c.number}. {c.name}", c.id) for c in fw.competences()]
        self.competence = w.Dropdown(options=options, description="Competence", layout=w.Layout(width="460px"), **wide)
        self.level = w.Dropdown(
            options=[(NOT_SET, "")] + [(fw.level_name(lv), lv) for lv in fw.levels()], description="My view", **wide
        )
        self.save_own = w.Button(description="Save my view (self-reported)")
        self.save_own.add_class("spw-save-self-view")
        self.update = w.Button(description="Update from my work", icon="refresh")
        self.update.add_class("spw-update-profile")
        self.update.on_click(self.guard(lambda _: self.refresh()))
        self.export.on_click(self.guard(lambda _: self.export_now()))
        self.save_own.on_click(self.guard(lambda _: self.save_self_view()))
        self.refresh()

    def profile(self) -> dict:
        return competence_profile(self.store.data(), learner=self.learner.value.strip()[:MAX_LABEL])

    def refresh(self) -> None:
        profile = self.profile()
        self.summary.value = f"<p>{escape_html(summary_text(profile))}</p>"
        self.table.value = html_table(profile_table(profile))

    def save_self_view(self) -> None:
        own = dict(self.store.load_settings(SELF_KEY))
        if self.level.value:
            own[self.competence.value] = self.level.value
        else:
            own.pop(self.competence.value, None)
        self.store.save_settings(SELF_KEY, own)
        self.refresh()
        self.report(
            f"Saved your own view ({SELF_REPORTED}); it is shown beside the evidence, never counted as evidence.",
            "ok",
        )

    def export_now(self) -> list[Path]:
        self.links.clear()
        self.refresh()
        paths = export_profile(self.profile())
        self.report("Exported your profile: give the .json file to your trainer for the team view.", "ok")
        self.links.show(paths, text="")
        return paths

    def widget(self) -> w.Widget:
        box = w.VBox(
            [
                w.HBox([self.summary, self.update]),
                self.table,
                heading("Your own view of a competence (self-reported, optional)"),
                w.HBox([self.competence, self.level, self.save_own]),
                heading("Export"),
                w.HBox([self.learner, self.export]),
                self.message,
                self.links,
                w.HTML(_source_html()),
            ]
        )
        box.add_class(self.css_class)
        return box

    def static_view(self) -> Iterable[Any]:
        profile = self.profile()
        yield HTML(f"<p>{escape_html(summary_text(profile))}</p>")
        yield profile_table(profile).drop(columns=["evidence"])
        yield HTML(
            "<p>To export it (for your trainer's team view), open this notebook in JupyterLab, or run "
            "<code>python -m helpers competence-profile --export</code> in a terminal.</p>" + _source_html()
        )


def competence_profile_tool() -> None:
    """Show "Your competence profile" (the widget, or its static view in a headless run)."""
    CompetenceProfileTool().show()
