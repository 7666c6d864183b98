"""The start-here page's "Your work" tool: download my work, restore my work, forget everything here.

`my_work_tool()` shows it. In a live front end it has three parts: a button that makes one archive of
the learner's work and offers it as a download (uploads only if ticked), an upload box that restores
an archive (checked, merged without overwriting newer work, with a report), and "forget everything on
this machine" (for a shared laptop): a first click shows what would be removed and offers a final
download; only "Yes, forget everything" removes it, and the tool then says what it removed. Headless
runs show where work is saved and the equivalent commands.

`DownloadArea` is what a stage's Save button shows its saved files in: download links (and, on Binder,
the warning that work vanishes with the session). Links sit in an `Output` widget on purpose: JupyterLab
resolves a relative link in an output against the notebook's folder and serves it under /files/ (with
the hub's /user/NAME/ prefix); in an `HTML` widget's value the same link would point at a Lab page.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import ipywidgets as w
from IPython.display import HTML

from helpers.core.fmt import count
from helpers.core.paths import REASONS, on_binder, work_location
from helpers.core.safety import escape_html
from helpers.learning.my_work import (
    FORGET_CONFIRMATION,
    after_save_html,
    binder_notice_html,
    export_my_work,
    forget_everything,
    import_my_work,
    saved_summary,
    uploads_size,
)
from helpers.ui.display import show_in
from helpers.ui.exports import download_link_html
from helpers.ui.tool import Tool

WIDGET_INLINE_LIMIT = 50_000_000  # a widget's link is not saved in the notebook, so it may carry more
COMMANDS = (
    "python -m helpers my-work export my-work.zip        # add --with-uploads to include uploads",
    "python -m helpers my-work import my-work.zip",
    "python -m helpers my-work forget --yes                # a shared machine: remove your work",
)


def where_text() -> str:
    """One sentence: where work is saved on this machine, and why there."""
    choice = work_location()
    return f"Your work is saved in {choice.path} ({REASONS[choice.reason]})."


SINGULAR = {
    "answers": "answer",
    "drafts": "draft",
    "tool settings": "tool's settings",
    "exports": "export",
    "saved analyses": "saved analysis",
    "saved column mappings": "saved column mapping",
    "uploads": "upload",
    "your files in my_data": "file of yours in my_data",
}


def summary_text(counts: dict[str, int]) -> str:
    """ "3 answers, 1 draft, …" from `saved_summary()` (nothing saved yet: says so)."""
    parts = [count(n, SINGULAR.get(kind, kind), kind) for kind, n in counts.items() if n]
    return ", ".join(parts) if parts else "nothing saved yet"


class DownloadArea(w.Output):
    """An output area for download links, under a Save or Export button's message. The button's handler
    calls `clear()` first (a refused save leaves no stale link), then `show(paths, text="")` after writing
    files, or `offer_on_binder()` after a save into the progress store."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.add_class("spw-download-area")

    def show(self, paths: Sequence[str | Path], text: str | None = None) -> None:
        """Replace the area's content with "Saved …", a download link per file and the Binder warning."""
        show_in(self, HTML(after_save_html(paths, text)))

    def offer_on_binder(self) -> None:
        """After a save into the progress file (a draft, settings): on Binder the warning and all work as
        one file; elsewhere nothing (the tool's own message already says it was saved)."""
        show_in(self, *([HTML(after_save_html([], text="Saved in this session only."))] if on_binder() else []))

    def show_link(self, path: str | Path, text: str, inline_limit: int) -> None:
        show_in(self, HTML(download_link_html(path, text, inline_limit=inline_limit)))

    def clear(self) -> None:
        show_in(self)

    @property
    def html(self) -> str:
        """The HTML shown (for tests and static views)."""
        return "".join(o.get("data", {}).get("text/html", "") for o in self.outputs)


def _pre(text: str) -> str:
    return f'<pre class="spw-report" style="white-space:pre-wrap;margin:4px 0">{escape_html(text)}</pre>'


class MyWorkTool(Tool):
    """Download, restore and forget the learner's work (see the module docstring)."""

    css_class = "spw-my-work"

    def __init__(self) -> None:
        super().__init__()
        self.where = w.HTML()
        self.with_uploads = w.Checkbox(value=False, indent=False, description="Include my uploads")
        wide = {"layout": w.Layout(width="max-content")}  # the whole label, never "Download my …"
        self.download = w.Button(description="Download my work", icon="download", button_style="primary", **wide)
        self.download.add_class("spw-download-my-work")
        self.link = DownloadArea()
        self.upload = w.FileUpload(accept=".zip", multiple=False, description="Restore my work", **wide)
        self.upload.add_class("spw-restore-my-work")
        self.restored = w.HTML()
        self.forget = w.Button(
            description="Forget everything on this machine", icon="trash", button_style="danger", **wide
        )
        self.forget.add_class("spw-forget")
        self.confirm = w.Button(description="Yes, forget everything", button_style="danger", **wide)
        self.confirm.add_class("spw-forget-confirm")
        self.cancel = w.Button(description="Cancel", **wide)
        self.confirm_text = w.HTML()
        self.final_link = DownloadArea()
        self.confirm_box = w.VBox(
            [self.confirm_text, self.final_link, w.HBox([self.confirm, self.cancel])], layout=w.Layout(display="none")
        )
        self.forgotten = w.HTML()
        self.download.on_click(self.guard(lambda _: self.make_download()))
        self.upload.observe(self.guard(lambda _: self.restore_uploaded()), names="value")
        self.forget.on_click(self.guard(lambda _: self.ask_to_forget()))
        self.confirm.on_click(self.guard(lambda _: self.forget_now()))
        self.cancel.on_click(self.guard(lambda _: self.hide_confirmation()))
        self.refresh()

    # -- state -------------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Show where work is saved, what is saved, and the size of the uploads."""
        counts = saved_summary()
        self.where.value = (
            f"<p>{escape_html(where_text())} Saved so far: {escape_html(summary_text(counts))}."
            f"</p>{binder_notice_html()}"
        )
        size = uploads_size()
        self.with_uploads.description = f"Include my uploads ({size / 1e6:.1f} MB)" if size else "Include my uploads"

    # -- actions -----------------------------------------------------------------------------------
    def make_download(self) -> Path:
        """Make the archive and show its download link."""
        path = export_my_work(include_uploads=self.with_uploads.value)
        self.forgotten.value = ""
        self.link.show_link(path, "Download my work", WIDGET_INLINE_LIMIT)
        self.report(f"Your work is in {path.name}. Keep it: restore it here in any later session.", "success")
        return path

    def restore_uploaded(self) -> None:
        """Restore the uploaded archive and show what was added, updated, kept or kept twice."""
        files = self.upload.value
        if not files:
            return
        item = files[0]
        try:
            result = import_my_work(bytes(item["content"]), label=str(item["name"]))
        finally:
            self.upload.value = ()  # so choosing the same file again restores again
        self.restored.value = _pre(result.text())
        self.forgotten.value = ""
        self.report("Your work was restored. Re-run a notebook's cells to see it in the tools.", "success")
        self.refresh()

    def ask_to_forget(self) -> None:
        """First step: say what would be removed and offer a final download."""
        counts = saved_summary()
        self.final_link.clear()
        self.confirm_text.value = (
            f"<p><b>This removes from this machine:</b> {escape_html(summary_text(counts))}, "
            "and your files in my_data (except its README).</p>"
        )
        if any(counts.values()):
            self.confirm_text.value += "<p>Take a copy first (this link is your last chance):</p>"
            self.final_link.show_link(export_my_work(include_uploads=True), "Download my work", WIDGET_INLINE_LIMIT)
        self.confirm_box.layout.display = "flex"

    def hide_confirmation(self) -> None:
        self.confirm_box.layout.display = "none"
        self.confirm_text.value = ""
        self.final_link.clear()

    def forget_now(self) -> None:
        """Second step: remove everything and say what was removed."""
        result = forget_everything(FORGET_CONFIRMATION)
        self.hide_confirmation()
        self.link.clear()
        self.restored.value = ""
        self.forgotten.value = _pre(result.text())
        self.report("Everything you saved on this machine was removed.", "success")
        self.refresh()

    # -- views -------------------------------------------------------------------------------------
    def widget(self) -> w.Widget:
        box = w.VBox(
            [
                self.where,
                w.HTML(
                    "<b>Take your work with you</b> (one file: progress, drafts, saved analyses, mappings, exports)"
                ),
                w.HBox([self.download, self.with_uploads]),
                self.link,
                w.HTML("<b>Bring it back</b> (a file made by \u201cDownload my work\u201d; newer work here is kept)"),
                self.upload,
                self.restored,
                w.HTML("<b>On a shared computer</b>, when you are done:"),
                self.forget,
                self.confirm_box,
                self.forgotten,
                self.message,
            ]
        )
        box.add_class(self.css_class)
        return box

    def static_view(self) -> Iterable[Any]:
        commands = "\n".join(COMMANDS)
        yield HTML(
            f"<p>{escape_html(where_text())}</p>{binder_notice_html()}"
            f"<p>To download, restore or remove your work, open this notebook in JupyterLab, or run:</p>"
            f"{_pre(commands)}"
        )


def my_work_tool() -> None:
    """Show the "Your work" tool (download, restore, forget)."""
    MyWorkTool().show()
