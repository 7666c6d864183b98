"""`gender_checklist(tool)`: EIGE's guiding questions (lots in module 4, needs assessment in module 5) as a
short checklist the learner answers (yes / no / not sure, with a note), with what to do next, saved as a
draft on request (progress store, tool "gender_checklist_<tool>", one draft per purchase name) and
reloaded when the learner opens the tool again. Headless (papermill) it shows the questions and the
cases of the module."""

from __future__ import annotations

import ipywidgets as w
from IPython.display import HTML

from helpers.core.safety import escape_html
from helpers.learning.my_work_widget import DownloadArea
from helpers.learning.progress import store as default_store
from helpers.strategy.gender import (
    ANSWERS,
    TOOLS,
    checklist_summary,
    checklist_table,
    clean_answers,
    gender_case_lines,
    gender_questions,
)
from helpers.ui.display import show_tool
from helpers.ui.tool import Tool, heading

MODULE_OF = {"lots": "04", "needs": "05"}
DEFAULT_NAME = "my purchase"


def draft_tool(tool: str) -> str:
    """The progress store's tool name for the checklist's drafts."""
    return f"gender_checklist_{tool}"


def summary_html(lines: list[str]) -> str:
    """The summary lines as a list (escaped)."""
    return "<ul class='spw-gender-summary'>" + "".join(f"<li>{escape_html(line)}</li>" for line in lines) + "</ul>"


def cases_html(tool: str) -> str:
    """The module's real cases, each with its source (escaped)."""
    lines = gender_case_lines(MODULE_OF[tool])
    return "<div class='spw-gender-cases'>" + "".join(f"<p>{escape_html(line)}</p>" for line in lines) + "</div>"


def checklist_static_view(tool: str) -> list:
    """The questions, with an empty answer column, and the module's cases."""
    return [checklist_table(tool), HTML(cases_html(tool))]


class GenderChecklist(Tool):
    """One row per question (answer buttons and a note), the summary, a draft name and Save / Reload."""

    css_class = "spw-gender-checklist"

    def __init__(self, tool: str = "lots", store=None) -> None:
        super().__init__()
        self.tool = tool
        self.questions = gender_questions(tool)
        self.store = store or default_store()
        self.answers = {
            q["id"]: w.ToggleButtons(options=[(a or "no answer", a) for a in ANSWERS], value="") for q in self.questions
        }
        self.notes = {
            q["id"]: w.Text(placeholder="your note (optional)", layout=w.Layout(width="620px")) for q in self.questions
        }
        self.summary = w.HTML()
        self.name = w.Text(value=DEFAULT_NAME, description="Purchase")
        self.save = w.Button(description="Save my answers", icon="save")
        self.reload = w.Button(description="Reload saved answers", icon="folder-open")
        self.status = w.HTML()
        self.downloads = DownloadArea()
        rows = []
        for number, q in enumerate(self.questions, start=1):
            label = w.HTML(f"<b>Q{number}.</b> {escape_html(q['question'])}", layout=w.Layout(width="720px"))
            rows.append(w.VBox([label, self.answers[q["id"]], self.notes[q["id"]]]))
        for control in [*self.answers.values(), *self.notes.values()]:
            control.observe(self.guard(lambda _: self.refresh()), names="value")
        self.save.on_click(self.guard(lambda _: self.save_answers()))
        self.reload.on_click(self.guard(lambda _: self.load_answers()))
        self.box = w.VBox(
            [
                heading(f"EIGE's questions: {TOOLS[tool]}"),
                *rows,
                heading("What your answers mean"),
                self.summary,
                w.HBox([self.name, self.save, self.reload]),
                self.message,
                self.status,
                self.downloads,
                w.HTML(cases_html(tool)),
            ]
        )
        self.box.add_class(self.css_class)
        self.guard(self.refresh)()

    def widget(self) -> w.Widget:
        return self.box

    def static_view(self) -> list:
        return checklist_static_view(self.tool)

    def current(self) -> dict[str, dict[str, str]]:
        """The answers as they are in the controls (the shape `checklist_summary` reads)."""
        return clean_answers(
            self.tool, {k: {"answer": self.answers[k].value, "note": self.notes[k].value} for k in self.answers}
        )

    def refresh(self) -> None:
        self.report("")
        self.summary.value = summary_html(checklist_summary(self.tool, self.current()))

    def save_answers(self) -> None:
        self.downloads.clear()
        self.store.save_draft(draft_tool(self.tool), self.name.value.strip(), self.current())
        self.status.value = (
            f"<div class='spw-saved'>Saved your answers for '{escape_html(self.name.value.strip())}' in "
            f"{escape_html(str(self.store.path))}.</div>"
        )
        self.downloads.offer_on_binder()

    def load_answers(self) -> None:
        self.downloads.clear()
        saved = clean_answers(self.tool, self.store.load_draft(draft_tool(self.tool), self.name.value.strip()))
        for key, given in saved.items():
            self.answers[key].value = given["answer"]
            self.notes[key].value = given["note"]
        self.refresh()
        self.status.value = f"<div class='spw-saved'>Reloaded '{escape_html(self.name.value.strip())}'.</div>"


def gender_checklist(tool: str = "lots") -> None:
    """Show EIGE's checklist for `tool` ("lots": module 4, "needs": module 5); headless, the questions
    and the module's cases."""
    show_tool(lambda: GenderChecklist(tool).widget(), lambda: checklist_static_view(tool))
