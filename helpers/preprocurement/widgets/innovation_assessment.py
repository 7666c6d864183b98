"""`innovation_assessment()`: the seven-item rubric (course design) with each score's meaning shown, the
total, a profile chart and the suggested route with the legal condition that must hold for it and its article
(one line names what the tool cannot know); save named assessments and compare them. Headless (papermill)
it shows the running purchase's profile and route and a comparison of three purchases."""

from __future__ import annotations

import ipywidgets as w
import pandas as pd
import plotly.graph_objects as go
from IPython.display import HTML

from helpers.core.errors import LearnerError
from helpers.core.safety import escape_html
from helpers.learning.my_work_widget import DownloadArea
from helpers.learning.progress import store as default_store
from helpers.preprocurement.innovation import (
    Assessment,
    assess_innovation,
    compare_assessments,
    example_assessments,
    max_total,
    playground_scores,
    rubric,
    rubric_keys,
    rubric_note,
)
from helpers.ui import theme
from helpers.ui.charts import chart_with_summary
from helpers.ui.display import show_in, show_tool
from helpers.ui.exports import html_table
from helpers.ui.tool import Tool

INNOVATION_TOOL = "innovation"
STRONG, WEAK = theme.OKABE_ITO["blue"], theme.LIGHT_GREY  # bar colours: scores 2-3, scores 0-1


def profile_figure(assessment: Assessment) -> go.Figure:
    """The seven scores as bars (0-3), titled with the total and the suggested route."""
    labels = [item.key.replace("_", " ") for item in rubric()]
    scores = [assessment.scores[k] for k in rubric_keys()]
    fig = go.Figure(
        go.Bar(
            x=scores,
            y=labels,
            orientation="h",
            text=scores,
            textposition="outside",
            marker={"color": [STRONG if s >= 2 else WEAK for s in scores]},
        )
    )
    name = f"{theme.chart_label(assessment.name)}: " if assessment.name else ""
    fig.update_layout(
        title=f"{name}{assessment.total}/{max_total()}, {assessment.route}",
        height=330,
        xaxis={"range": [0, 3.4], "dtick": 1, "title": "score"},
        yaxis={"autorange": "reversed"},
        margin={"t": 50, "l": 130, "r": 20, "b": 40},
    )
    each = ", ".join(f"{label} {score}" for label, score in zip(labels, scores))
    return chart_with_summary(
        fig,
        f"{assessment.name + ': ' if assessment.name else ''}innovation-potential scores from 0 to 3 ({each}); "
        f"total {assessment.total} of {max_total()}, suggested route: {assessment.route}.",
    )


def route_html(assessment: Assessment) -> str:
    reasons = "".join(f"<li>{escape_html(r)}</li>" for r in assessment.reasons)
    warnings = "".join(f"<li style='color:{theme.TEXT['warning']}'>{escape_html(w)}</li>" for w in assessment.warnings)
    return (
        f"<div class='spw-route'><b>Suggested route: {escape_html(assessment.route)}</b> "
        f"(total {assessment.total}/{max_total()}, {escape_html(assessment.profile)} innovation potential)"
        f"<ul>{reasons}{warnings}</ul>"
        f"<p class='spw-legal-basis'><i>{escape_html(assessment.legal_basis)}</i></p></div>"
    )


def rubric_note_html() -> str:
    return f"<i>{escape_html(rubric_note())}</i>"


def innovation_static_view(name: str = "Playground equipment", scores: dict | None = None) -> list:
    """The purchase's scores, profile and route, and a comparison of three example purchases."""
    assessment = assess_innovation(scores or playground_scores(), name=name)
    return [
        HTML(rubric_note_html()),
        assessment.table()[["item", "score", "meaning"]],
        profile_figure(assessment),
        HTML(route_html(assessment)),
        compare_assessments(example_assessments()),
    ]


class InnovationAssessmentTool(Tool):
    """Seven dropdowns (each option reads the score's meaning) → total, profile chart, route; Save, Compare."""

    css_class = "spw-innovation"

    def __init__(self, name: str = "Playground equipment", scores: dict | None = None, store=None) -> None:
        super().__init__()
        self.store = store or default_store()
        self.start_name, self.start_scores = name, scores
        start = dict(playground_scores() if scores is None else scores)
        self.items: dict[str, w.Dropdown] = {}
        rows = []
        for item in rubric():
            control = w.Dropdown(
                options=[(f"{s}: {text}", s) for s, text in enumerate(item.descriptors)],
                value=int(start[item.key]),
                tooltip=item.question,  # the select's accessible name (helpers.ui.page): the question above it
                layout=w.Layout(width="720px"),
            )
            control.add_class(f"spw-rubric-{item.key.replace('_', '-')}")
            control.observe(self.guard(lambda _: self.refresh()), names="value")
            self.items[item.key] = control
            rows.append(w.HTML(f"<b>{escape_html(item.question)}</b>"))
            rows.append(control)
        self.name = w.Text(value=name, description="Purchase")
        self.save = w.Button(description="Save assessment", icon="save")
        self.saved = w.SelectMultiple(
            description="Saved",
            options=self.store.list_drafts(INNOVATION_TOOL),
            layout=w.Layout(width="420px", height="90px"),
        )
        self.compare = w.Button(description="Compare chosen", icon="columns")
        self.route, self.status, self.comparison = w.HTML(), w.HTML(), w.HTML()
        self.chart = w.Output()
        self.downloads = DownloadArea()  # on Binder: the warning and all work as one file
        for css, control in (
            ("name", self.name),
            ("save", self.save),
            ("saved", self.saved),
            ("compare", self.compare),
            ("route", self.route),
            ("status", self.status),
            ("comparison", self.comparison),
            ("chart", self.chart),
        ):
            control.add_class(f"spw-innovation-{css}")
        self.name.observe(self.guard(lambda _: self.refresh()), names="value")
        self.save.on_click(self.guard(lambda _: self.save_assessment()))
        self.compare.on_click(self.guard(lambda _: self.compare_saved()))
        self.assessment: Assessment | None = None
        self.box = w.VBox(
            [
                w.HTML(f"<div class='spw-rubric-note'>{rubric_note_html()}</div>"),
                self.name,
                *rows,
                self.message,
                self.route,
                self.chart,
                w.HBox([self.save]),
                self.status,
                self.downloads,
                w.HBox([self.saved, self.compare]),
                self.comparison,
            ]
        )
        self.box.add_class(self.css_class)
        self.guard(self.refresh)()

    def widget(self) -> w.Widget:
        return self.box

    def static_view(self) -> list:
        return innovation_static_view(self.start_name, self.start_scores)

    def refresh(self) -> None:
        self.report("")
        self.assessment = assess_innovation({k: c.value for k, c in self.items.items()}, name=self.name.value)
        self.route.value = route_html(self.assessment)
        show_in(self.chart, profile_figure(self.assessment))

    def save_assessment(self) -> None:
        self.downloads.clear()
        self.store.save_draft(INNOVATION_TOOL, self.name.value, self.assessment.to_dict())
        self.saved.options = self.store.list_drafts(INNOVATION_TOOL)
        self.status.value = (
            f"<div class='spw-saved'>Saved '{escape_html(self.name.value)}' in "
            f"{escape_html(str(self.store.path))}. Score another purchase and compare.</div>"
        )
        self.downloads.offer_on_binder()

    def compare_saved(self) -> pd.DataFrame:
        chosen = list(self.saved.value) or list(self.saved.options)
        if not chosen:
            raise LearnerError("no saved assessments yet", fix="Save at least one assessment, then compare")
        table = compare_assessments([Assessment.from_dict(self.store.load_draft(INNOVATION_TOOL, n)) for n in chosen])
        self.comparison.value = html_table(table.reset_index(names="item"))
        return table


def innovation_assessment(name: str = "Playground equipment", scores: dict | None = None) -> None:
    """Show the rubric; headless, the running purchase's profile and route and a comparison of three."""
    show_tool(lambda: InnovationAssessmentTool(name, scores).widget(), lambda: innovation_static_view(name, scores))
