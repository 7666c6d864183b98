"""A small base for the course's widget tools.

A tool has a message area, callbacks that can never show a traceback (a
`LearnerError` shows its plain message; anything else a short apology, with the
traceback in the log for the trainer), a live widget and a static view for
headless runs. A stage's tool subclasses `Tool`, builds its controls in
`__init__`, wraps every callback with `self.guard`, and implements `widget()`
and `static_view()`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import ipywidgets as w

from helpers.core.safety import escape_html
from helpers.ui.display import guarded, message_html, show_tool


class Tool:
    """Base for a widget tool: `message` area, guarded callbacks, `show()` picking widget or static view."""

    css_class = "spw-tool"

    def __init__(self) -> None:
        self.message = w.HTML()
        self.message.add_class("spw-message-area")
        self._guard = guarded(self.report, self.notify)

    def report(self, text: str, kind: str = "info") -> None:
        """Put a plain-language message (escaped) in the tool's message area; "" clears it."""
        self.message.value = message_html(text, kind) if text else ""

    def notify(self, texts: list[str]) -> None:
        """Show notices (e.g. a repaired progress file) above whatever the tool's message area says."""
        self.message.value = "".join(message_html(t, "warning") for t in texts) + self.message.value

    def guard(self, callback: Callable[..., Any]) -> Callable[..., Any]:
        """`callback`, wrapped so a problem shows as a message in this tool, never a traceback."""
        return self._guard(callback)

    def widget(self) -> w.Widget:
        """The live widget the notebook shows."""
        raise NotImplementedError

    def static_view(self) -> Iterable[Any]:
        """What a headless run shows instead (DataFrames, figures, HTML)."""
        raise NotImplementedError

    def show(self) -> None:
        """Display the widget in a live front end, else the static view."""
        show_tool(self.widget, self.static_view)


def heading(text: str) -> w.HTML:
    """A section title inside a tool ("1. The bids"), escaped, styled the same in every tool."""
    title = w.HTML(f"<h4 style='margin:10px 0 4px'>{escape_html(text)}</h4>")
    title.add_class("spw-heading")
    return title
