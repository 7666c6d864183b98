"""The widget tool base: a message area and callbacks that never show a traceback."""

from __future__ import annotations

import ipywidgets as w

from helpers.core.errors import LearnerError
from helpers.ui.tool import Tool, heading


class Counter(Tool):
    def __init__(self) -> None:
        super().__init__()
        self.button = w.Button(description="Add")
        self.count = 0
        self.button.on_click(self.guard(self.add))

    def add(self, _=None) -> None:
        self.count += 1
        if self.count == 2:
            raise LearnerError("two is enough", fix="Start again")
        if self.count == 3:
            raise KeyError("internal")
        self.report(f"count {self.count}", "ok")

    def widget(self) -> w.Widget:
        return w.VBox([self.message, self.button])

    def static_view(self):
        return [f"count {self.count}"]


def test_guarded_callbacks_report_in_the_tool():
    tool = Counter()
    tool.button.click()
    assert "count 1" in tool.message.value and "OK:" in tool.message.value
    tool.button.click()
    assert "two is enough. Start again." in tool.message.value and "Problem:" in tool.message.value
    tool.button.click()
    assert "Something went wrong" in tool.message.value and "Traceback" not in tool.message.value


def test_report_escapes_and_clears():
    tool = Counter()
    tool.report("<script>x</script>", "warning")
    assert "<script>" not in tool.message.value
    tool.report("")
    assert tool.message.value == ""


def test_show_uses_the_static_view_headless(monkeypatch, capsys):
    monkeypatch.setenv("SPW_DISPLAY", "static")
    shown = []
    monkeypatch.setattr("helpers.ui.display.display", shown.append)
    Counter().show()
    assert shown == ["count 0"]


def test_heading_is_escaped_and_classed():
    title = heading("1. <b>Bids</b>")
    assert "&lt;b&gt;" in title.value and "spw-heading" in title._dom_classes
