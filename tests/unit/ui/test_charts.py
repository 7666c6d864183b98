"""Every chart has a text alternative: one sentence shown under it, kept with the figure."""

from __future__ import annotations

import json
import re
import subprocess
import sys
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
    monkeypatch.setattr(charts, "display", lambda item, raw=False: shown.append(item))
    fig = charts.chart_with_summary(bars(), "Share of spend by where the suppliers are: city 26.0%.")
    assert isinstance(fig, go.Figure) and list(fig.data[0].y) == [26.04, 26.9, 3.2]
    assert charts.summary_of(go.FigureWidget(fig)) == "Share of spend by where the suppliers are: city 26.0%."
    fig._ipython_display_()
    chart = shown[0][charts.PLOTLY_MIME]  # plotly's own MIME bundle, as its renderer in JupyterLab publishes it
    assert chart["data"][0]["y"] == [26.04, 26.9, 3.2] and chart["layout"]["title"]["text"].startswith("Where")
    assert shown[0]["text/plain"] == "A chart (its summary follows)"
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


def test_a_chart_is_published_without_importing_plotlys_renderers():
    """plotly.io's renderers import nbformat and jsonschema, 2-4 s at a kernel's first chart: the course
    publishes plotly's MIME bundle itself, equal to what the renderer in JupyterLab would publish."""
    code = (
        "import sys, json, plotly.io as pio\n"
        "from helpers.ui.charts import chart_with_summary, figure_bundle, PLOTLY_MIME\n"
        "import plotly.graph_objects as go\n"
        "fig = chart_with_summary(go.Figure(go.Bar(x=['a'], y=[1.5])), 'One bar.')\n"
        "mine = figure_bundle(fig)[PLOTLY_MIME]\n"
        "print(json.dumps(['plotly.io._renderers' in sys.modules, 'jsonschema' in sys.modules]))\n"
        "theirs = pio.renderers['plotly_mimetype'].to_mimebundle(fig.to_dict())[PLOTLY_MIME]\n"
        "print(json.dumps(mine == theirs))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split("\n")
    assert json.loads(out[0]) == [False, False]
    assert json.loads(out[1]) is True
