"""Show a tool as live widgets in JupyterLab, or as a static table and chart when
no widget front end is attached (papermill, nbconvert, a static site).

Widgets need a front end to talk to; under papermill nothing answers, so a
widget cell would show nothing useful and an `interact` could block. Every tool
therefore builds both views and `show_tool` picks one. JupyterLab (and other
current front ends) put a `cellId` in each execute request's metadata; headless
runners do not. Voilà (app mode) runs the cells itself, like a headless runner,
but its page is a widget front end: Voilà starts every kernel with its own
`VOILA_*` environment variables, and that is the signal. `SPW_DISPLAY=widgets|static`
overrides the guess (`python -m helpers app` sets `widgets`).
"""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Callable, Iterable
from typing import Any

import ipywidgets as w
import plotly.graph_objects as go
from IPython import get_ipython
from IPython.display import HTML, display

from helpers.core import notices
from helpers.core.errors import LearnerError
from helpers.core.safety import escape_html
from helpers.ui.charts import SummarisedFigure, figure_bundle, summary_html
from helpers.ui.controls import fit_labels
from helpers.ui.theme import MESSAGE_STYLES

log = logging.getLogger("helpers")


def _parent_metadata() -> dict | None:
    shell = get_ipython()
    kernel = getattr(shell, "kernel", None)
    if kernel is None:
        return None
    try:
        parent = kernel.get_parent("shell")
    except TypeError:  # older ipykernel
        parent = kernel.get_parent()
    return (parent or {}).get("metadata") or {}


# Set by Voilà 0.5 in the environment of every kernel it starts (voila/handler.py, voila_kernel_manager.py),
# both when Voilà runs on its own and as a Jupyter server extension (`/voila/render/…` on Binder or a hub).
VOILA_KERNEL_VARIABLES = ("VOILA_SERVER_URL", "VOILA_BASE_URL", "VOILA_APP_PORT")


def in_voila() -> bool:
    """True when this kernel was started by Voilà (app mode): its page shows live widgets."""
    return any(os.environ.get(name) for name in VOILA_KERNEL_VARIABLES) or os.environ.get(
        "SERVER_SOFTWARE", ""
    ).startswith("voila/")


def has_widget_frontend() -> bool:
    """True when a live front end (JupyterLab, Notebook 7, VS Code, a Voilà app) runs this cell."""
    forced = os.environ.get("SPW_DISPLAY", "").strip().lower()
    if forced in {"widgets", "static"}:
        return forced == "widgets"
    if in_voila():
        return True
    metadata = _parent_metadata()
    return bool(metadata) and "cellId" in metadata


def message_html(text: str, kind: str = "info") -> str:
    """An escaped, coloured message box (plain language for learners)."""
    background, colour, label = MESSAGE_STYLES.get(kind, MESSAGE_STYLES["info"])
    return (
        f'<div class="spw-message spw-{kind}" style="background:{background};color:{colour};'
        f'border-left:4px solid {colour};padding:6px 10px;margin:4px 0">'
        f"<b>{label}:</b> {escape_html(text)}</div>"
    )


def show_message(text: str, kind: str = "info") -> None:
    display(HTML(message_html(text, kind)))


def show_tool(build_widget: Callable[[], Any], build_static: Callable[[], Iterable[Any]]) -> None:
    """Display the live widget when a front end is attached, else the static view.

    `build_static` returns things IPython can display (DataFrames, plotly
    figures, HTML). Nothing is returned, so a notebook cell ending with a tool
    call does not display the widget a second time; tests drive a tool through
    its `build_widget` function instead.
    """
    if has_widget_frontend():
        widget = build_widget()
        for text in notices.take():  # e.g. a damaged progress file repaired while the tool was built
            show_message(text, "warning")
        display(fit_labels(widget))
        return
    items = list(build_static())
    for text in notices.take():
        show_message(text, "warning")
    for item in items:
        display(item)


def guarded(
    report: Callable[[str, str], None], notify: Callable[[list[str]], None] | None = None
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorate a widget callback so a problem shows as a message, never a traceback.

    `report(text, kind)` puts the message in the tool (usually an HTML widget).
    A `LearnerError` shows its own plain message; anything else shows a short
    apology, and the traceback goes to the log for the trainer. Notices posted
    while the callback ran (`helpers.core.notices`) go to `notify`, else to `report`.
    """

    def decorate(callback: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(callback)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                return callback(*args, **kwargs)
            except LearnerError as exc:
                report(str(exc), "error")
            except Exception as exc:  # noqa: BLE001 - widgets must not show tracebacks
                log.exception("unexpected error in a course tool")
                detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc  # no file paths
                report(
                    f"Something went wrong in this tool ({type(exc).__name__}: {detail}). "
                    "Your saved work is safe; re-run the cell, and tell your trainer if it persists.",
                    "error",
                )
            finally:
                pending = notices.take()
                if pending:
                    (notify or (lambda texts: report(" ".join(texts), "warning")))(pending)
            return None

        return wrapper

    return decorate


def _bundles(item: Any) -> list[dict[str, Any]]:
    if isinstance(item, go.Figure):
        summary = [{"text/html": summary_html(item), "text/plain": ""}] if isinstance(item, SummarisedFigure) else []
        return [figure_bundle(item), *summary]
    if isinstance(item, HTML):
        return [{"text/html": item.data or "", "text/plain": ""}]
    if isinstance(item, str):
        return [{"text/plain": item}]
    raise TypeError(f"show_in cannot show {type(item).__name__}")  # a programming error, caught by tests


def show_in(out: w.Output, *items: Any) -> None:
    """Replace what an Output widget shows with `items` (figures, with their summaries, and HTML), in the
    kernel's widget state, in one step.

    Not `with out: clear_output(wait=True); display(...)`: while Voilà renders a page, that routes the
    outputs through its executor's output-widget capture, which can leave the page waiting for ever
    (voila-dashboards/voila#1428); setting `outputs` works the same in JupyterLab, Voilà and tests.
    `show_in(out)` empties it."""
    out.outputs = tuple(
        {"output_type": "display_data", "data": bundle, "metadata": {}} for item in items for bundle in _bundles(item)
    )
