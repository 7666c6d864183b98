"""The cycle of procurement: URBACT's stages in order, the course modules that cover each, and the
cycle drawn as a circle (`course/content/why_cycle.yaml`)."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from helpers.core.content import items
from helpers.ui import theme
from helpers.ui.charts import chart_with_summary

CYCLE_FILE = "why_cycle"


def procurement_cycle() -> list[dict]:
    """The stages in order: `stage`, `modules` (course modules), `what`, `source`, `status`."""
    return items(CYCLE_FILE)


def cycle_table() -> pd.DataFrame:
    """The stages in order, with the course modules that cover each (course design)."""
    return pd.DataFrame(
        [
            {"step": i + 1, "stage": s["stage"], "course modules": ", ".join(s["modules"]), "what happens": s["what"]}
            for i, s in enumerate(procurement_cycle())
        ]
    )


def cycle_figure() -> go.Figure:
    """The cycle drawn as a circle of labelled stages, clockwise from the top, with arrows."""
    stages = procurement_cycle()
    count = len(stages)
    angles = [math.pi / 2 - 2 * math.pi * i / count for i in range(count)]
    xs = [math.cos(a) for a in angles]
    ys = [math.sin(a) for a in angles]
    labels = [
        f"<b>{i + 1}. {theme.chart_label(s['stage'])}</b><br>module "
        f"{' & '.join(theme.chart_label(m) for m in s['modules'])}"
        for i, s in enumerate(stages)
    ]
    fill, line, _ = theme.MESSAGE_STYLES["info"]
    fig = go.Figure(
        go.Scatter(
            x=xs,
            y=ys,
            mode="markers+text",
            text=labels,
            textposition="middle center",
            marker={"size": 120, "color": fill, "line": {"color": line, "width": 2}},
            hovertext=[theme.chart_label(s["what"]) for s in stages],
            hoverinfo="text",
            showlegend=False,
        )
    )
    for i in range(count):
        j = (i + 1) % count
        # Arrows between neighbouring stages, shortened so they do not hide the labels.
        start = (xs[i] + 0.3 * (xs[j] - xs[i]), ys[i] + 0.3 * (ys[j] - ys[i]))
        end = (xs[i] + 0.7 * (xs[j] - xs[i]), ys[i] + 0.7 * (ys[j] - ys[i]))
        fig.add_annotation(
            x=end[0],
            y=end[1],
            ax=start[0],
            ay=start[1],
            xref="x",
            yref="y",
            axref="x",
            ayref="y",
            showarrow=True,
            arrowhead=3,
            arrowsize=1.5,
            arrowwidth=2,
            arrowcolor=line,
            text="",
        )
    fig.add_annotation(x=0, y=0, text="The cycle of<br>procurement", showarrow=False, font={"size": 16})
    fig.update_layout(
        title="The procurement cycle and the course modules (stages: URBACT)",
        xaxis={"visible": False, "range": [-1.6, 1.6]},
        yaxis={"visible": False, "range": [-1.4, 1.4], "scaleanchor": "x"},
        height=520,
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        plot_bgcolor="white",
    )
    order = " → ".join(f"{i + 1}. {s['stage']} (module {' & '.join(s['modules'])})" for i, s in enumerate(stages))
    return chart_with_summary(
        fig, f"The procurement cycle as a circle of {count} stages, clockwise: {order}, then back to 1."
    )
