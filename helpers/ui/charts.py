"""Every chart with a text alternative: one sentence, in the output right under the chart, saying
what the chart shows (WCAG 2.1, 1.1.1), for readers who cannot see it and for everyone else.

A figure builder ends with `return chart_with_summary(fig, sentence)`. The sentence is kept in the
figure (`layout.meta`), so it travels with it; the figure displays itself followed by its summary
wherever it is shown (a cell's result, a static view, an Output widget). A live chart in a tool is a
FigureWidget with a `summary_widget(fig)` under it, whose value the tool sets again when it redraws.
Without a sentence, `describe_figure` writes one from the figure's own title and data.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

import ipywidgets as w
import plotly.graph_objects as go
from IPython.display import HTML, display

from helpers.core.fmt import number
from helpers.core.safety import escape_html

SUMMARY_KEY = "spw_summary"
MAX_NAMED = 3


PLOTLY_MIME = "application/vnd.plotly.v1+json"


def figure_bundle(fig: go.Figure) -> dict[str, Any]:
    """The MIME bundle of a chart: plotly's own MIME type (what its default renderer in JupyterLab, Voilà and
    VS Code publishes, rendered by plotly's JupyterLab extension), built here rather than by `plotly.io`'s
    renderers. Importing those imports nbformat and jsonschema, whose IRI checker compiles some 35 grammars at
    import: 2-4 s at every kernel's first chart (python-jsonschema/jsonschema#1428)."""
    plain = "A chart (its summary follows)" if isinstance(fig, SummarisedFigure) else "A chart"
    return {PLOTLY_MIME: json.loads(fig.to_json(validate=False, remove_uids=False)), "text/plain": plain}


class SummarisedFigure(go.Figure):
    """A plotly figure that shows its one-sentence summary under itself when displayed."""

    def _ipython_display_(self) -> None:
        display(figure_bundle(self), raw=True)
        display(HTML(summary_html(self)))


def _plain(text: Any) -> str:
    """Chart text without its markup: `<br>` becomes a space, tags and entities go."""
    text = re.sub(r"<br\s*/?>", " ", str(text or ""), flags=re.I)
    text = re.sub(r"<[^>]+>", "", text)
    text = text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&#34;", '"')
    return re.sub(r"\s+", " ", text.replace("&#39;", "'")).strip()


def _title(fig: go.Figure) -> str:
    title = fig.layout.title.text if fig.layout.title else ""
    return _plain(title)


def _value(v: Any) -> str:
    try:
        return number(float(v))
    except (TypeError, ValueError):
        return _plain(v)


def _trace_sentence(trace: Any) -> str:
    """What one trace holds: its name, how many points, the largest (and smallest) by value."""
    name = _plain(getattr(trace, "name", "") or "")
    horizontal = getattr(trace, "orientation", None) == "h"
    labels, values = (trace.y, trace.x) if horizontal else (trace.x, trace.y)
    labels = [] if labels is None else list(labels)  # a tuple or an array: never its truth value
    values = [] if values is None else list(values)
    pairs = []
    for label, value in zip(labels, values):
        try:
            pairs.append((_plain(label), float(value)))
        except (TypeError, ValueError):
            continue
    if not pairs:
        return name
    ranked = sorted(pairs, key=lambda p: p[1], reverse=True)
    shown = ", ".join(f"{label} {_value(value)}" for label, value in ranked[:MAX_NAMED])
    more = f" (highest first, {len(pairs)} in all)" if len(pairs) > MAX_NAMED else ""
    return (f"{name}: " if name else "") + shown + more


def describe_figure(fig: go.Figure) -> str:
    """A sentence written from the figure itself: its title, then its series and their largest values."""
    kinds = {t.type for t in fig.data}
    kind = {"bar": "Bar chart", "scatter": "Chart", "pie": "Pie chart"}.get(
        next(iter(kinds)) if len(kinds) == 1 else ""
    )
    title = _title(fig)
    parts = [p for p in (_trace_sentence(t) for t in fig.data[:4]) if p]
    head = f"{kind or 'Chart'}" + (f" “{title}”" if title else "")
    if not parts:
        return f"{head}: no data to show."
    return f"{head}: " + "; ".join(parts) + "."


def summary_of(fig: go.Figure) -> str:
    """The figure's summary sentence: the one its builder gave, else one written from its data."""
    meta = fig.layout.meta
    if isinstance(meta, dict) and meta.get(SUMMARY_KEY):
        return html.unescape(str(meta[SUMMARY_KEY]))  # kept escaped in the figure (data from a file)
    return describe_figure(fig)


def summary_html(fig_or_sentence: go.Figure | str) -> str:
    """The summary as the paragraph shown under the chart (escaped)."""
    sentence = fig_or_sentence if isinstance(fig_or_sentence, str) else summary_of(fig_or_sentence)
    return f'<p class="spw-chart-summary" role="note"><b>Chart summary:</b> {escape_html(sentence)}</p>'


def chart_with_summary(fig: go.Figure, sentence: str | None = None) -> SummarisedFigure:
    """`fig` with its one-sentence text alternative: `sentence` (what the chart shows, in the learner's
    words), or one written from the figure's data. The result is still a plotly `go.Figure`."""
    result = SummarisedFigure(fig)
    meta = result.layout.meta if isinstance(result.layout.meta, dict) else {}
    # escaped in the figure itself, like every label built from data (`theme.chart_label`)
    result.layout.meta = {**meta, SUMMARY_KEY: escape_html((sentence or describe_figure(fig)).strip())}
    return result


def summary_widget(fig: go.Figure) -> w.HTML:
    """The summary of a live chart, as a widget to put under its FigureWidget; when the tool redraws the
    chart, it sets `.value = summary_html(new_figure)`."""
    box = w.HTML(summary_html(fig))
    box.add_class("spw-chart-summary-box")
    return box
