from __future__ import annotations

import pytest

from helpers.core.errors import LearnerError
from helpers.ui import display


def test_override_and_headless_default(monkeypatch):
    monkeypatch.setenv("SPW_DISPLAY", "widgets")
    assert display.has_widget_frontend()
    monkeypatch.setenv("SPW_DISPLAY", "static")
    assert not display.has_widget_frontend()
    monkeypatch.delenv("SPW_DISPLAY")
    assert not display.has_widget_frontend()  # no kernel at all in pytest


def test_show_tool_picks_static_view_headless(monkeypatch, capsys):
    monkeypatch.setenv("SPW_DISPLAY", "static")
    built = []
    display.show_tool(lambda: built.append("widget"), lambda: ["static view"])
    assert built == []
    assert "static view" in capsys.readouterr().out


def test_guarded_callback_shows_plain_message_not_traceback():
    shown = []
    report = lambda text, kind: shown.append((kind, text))  # noqa: E731

    @display.guarded(report)
    def learner_mistake():
        raise LearnerError("no column looks like an amount", file="ledger.csv", fix="Choose it in the mapping")

    @display.guarded(report)
    def bug():
        raise KeyError("x")

    learner_mistake()
    bug()
    assert shown[0] == ("error", "ledger.csv: no column looks like an amount. Choose it in the mapping.")
    assert "Your saved work is safe" in shown[1][1] and "Traceback" not in shown[1][1]


def test_message_html_is_escaped():
    assert "&lt;script&gt;" in display.message_html("<script>x</script>", "error")


def test_a_voila_kernel_has_a_widget_front_end(monkeypatch):
    """Voilà runs the cells itself (no `cellId`), but its page shows widgets: its kernel environment says so."""
    monkeypatch.delenv("SPW_DISPLAY", raising=False)
    for name in (*display.VOILA_KERNEL_VARIABLES, "SERVER_SOFTWARE"):
        monkeypatch.delenv(name, raising=False)
    assert not display.in_voila() and not display.has_widget_frontend()
    monkeypatch.setenv("SERVER_SOFTWARE", "voila/0.5.13")
    assert display.in_voila() and display.has_widget_frontend()
    monkeypatch.setenv("SERVER_SOFTWARE", "TornadoServer/6.6")
    assert not display.in_voila()
    monkeypatch.setenv("VOILA_SERVER_URL", "/")
    assert display.has_widget_frontend()
    monkeypatch.setenv("SPW_DISPLAY", "static")  # the override still wins
    assert not display.has_widget_frontend()


def test_show_in_replaces_an_output_widget_state_in_one_step():
    """Charts go into an Output widget as its state (no capture of the running cell: voila#1428)."""
    import ipywidgets as w
    import plotly.graph_objects as go
    from IPython.display import HTML

    from helpers.ui.charts import chart_with_summary
    from helpers.ui.display import show_in

    out = w.Output()
    fig = chart_with_summary(go.Figure(go.Bar(x=["local"], y=[26.0])), "Local share 26% of spend.")
    show_in(out, HTML("<b>note</b>"), fig)
    assert [o["output_type"] for o in out.outputs] == ["display_data"] * 3
    assert out.outputs[0]["data"]["text/html"] == "<b>note</b>"
    plotly = out.outputs[1]["data"]["application/vnd.plotly.v1+json"]
    assert plotly["data"][0]["y"] == [26.0] and "spw_summary" not in str(plotly["data"])
    assert "Local share 26% of spend." in out.outputs[2]["data"]["text/html"]
    assert out.msg_id == ""  # the running cell is never captured
    show_in(out)
    assert out.outputs == ()
    with pytest.raises(TypeError):
        show_in(out, object())
