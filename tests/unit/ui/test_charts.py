"""Every chart has a text alternative: one sentence shown under it, kept with the figure."""

from __future__ import annotations

import re
from pathlib import Path

import plotly.graph_objects as go

from helpers.ui import charts

HELPERS = Path(__file__).resolve().parents[3] / "helpers"


def bars() -> go.Figure:
    fig = go.Figure(go.Bar(x=["city", "region", "<b>abroad</b>"], y=[26.04, 26.9, 3.2], name="share"))
    fig.update_layout(title="Where the money goes<br><sub>Portavera, 2025</sub>")
    return fig


def test_the_sentence_travels_with_the_figure_and_shows_under_it(monkeypatch):
    shown = []
    monkeypatch.setattr(charts, "display", shown.append)
    fig = charts.chart_with_summary(bars(), "Share of spend by where the suppliers are: city 26.0%.")
    assert isinstance(fig, go.Figure) and list(fig.data[0].y) == [26.04, 26.9, 3.2]
    assert charts.summary_of(go.FigureWidget(fig)) == "Share of spend by where the suppliers are: city 26.0%."
    fig._ipython_display_()
    assert isinstance(shown[0], go.Figure) and not isinstance(shown[0], charts.SummarisedFigure)
    assert shown[1].data == (
        '<p class="spw-chart-summary" role="note"><b>Chart summary:</b> '
        "Share of spend by where the suppliers are: city 26.0%.</p>"
    )


def test_without_a_sentence_one_is_written_from_the_data_and_escaped():
    sentence = charts.describe_figure(bars())
    assert sentence == "Bar chart “Where the money goes Portavera, 2025”: share: region 26.9, city 26.04, abroad 3.2."
    assert charts.summary_of(charts.chart_with_summary(bars())) == sentence
    assert "&lt;script&gt;" in charts.summary_html("a <script> name")
    assert charts.describe_figure(go.Figure()) == "Chart: no data to show."


def test_a_live_chart_summary_is_a_widget_the_tool_updates():
    box = charts.summary_widget(charts.chart_with_summary(bars(), "First."))
    assert "First." in box.value and "spw-chart-summary-box" in box._dom_classes


def test_every_module_that_draws_a_chart_gives_it_a_summary():
    drawing = [
        p
        for p in HELPERS.rglob("*.py")
        if re.search(r"go\.Figure\(|make_subplots\(", p.read_text(encoding="utf-8"))
        and p.name not in {"charts.py", "display.py"}  # display.py shows figures, it draws none
    ]
    assert len(drawing) >= 8
    missing = [str(p.relative_to(HELPERS)) for p in drawing if "chart_with_summary(" not in p.read_text("utf-8")]
    assert missing == []
