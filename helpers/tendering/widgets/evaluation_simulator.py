"""The evaluation simulator (module 6): the bids (a featured shipped tender, the brief's A/B/C
example, or the learner's own from a small form or an uploaded CSV), the quality marks, the
price formula and weights, the ranking and its chart, the winning range of each bidder over
the price weight, the rank-reversal demo, and the abnormally-low-tender checks. A thin widget
layer over `bids`, `evaluation` and `ranking`. Uploaded bids are kept in my_work/bids/ (listed in
the Bids choice), and "Remember these settings and bids" (`simulator_settings`) reopens the
simulator on them after a restart.
"""

from __future__ import annotations

from pathlib import Path

import ipywidgets as w
import pandas as pd
import plotly.graph_objects as go

from helpers.core.errors import LearnerError
from helpers.core.safety import escape_html
from helpers.data import city_info
from helpers.learning.my_work_widget import DownloadArea
from helpers.tendering.bids import (
    BRIEF_BIDS,
    PLAYGROUND_TENDER,
    bids_from_form,
    city_bids,
    example_bids,
    featured_tenders,
    read_uploaded_bids,
    tender_bids,
    tender_info,
    tender_marks,
)
from helpers.tendering.evaluation import FORMULA_EXPLANATIONS, FORMULAS, linear_bounds, score_bids
from helpers.tendering.ranking import rank_reversal_table, ranking_table, winner_sentence, winning_ranges
from helpers.tendering.saved_bids import load_saved_bids, relative, saved_bids
from helpers.tendering.widgets.evaluation_views import (
    abnormally_low_html,
    bids_html,
    marks_html,
    reversal_html,
    scores_figure,
    sensitivity_figure,
    static_evaluation_simulator,
    their_bids,
)
from helpers.tendering.widgets.simulator_settings import SAVED, RememberedSettings
from helpers.ui.display import message_html, show_in, show_tool
from helpers.ui.exports import html_table
from helpers.ui.tool import Tool, heading

EXAMPLE_AB, EXAMPLE_ABC, MINE = "example:AB", "example:ABC", "mine"
FORM_ROWS = 6


def source_options() -> list[tuple[str, str]]:
    """The bids the simulator can score: each featured tender, the brief's examples, the bids the learner
    kept in my_work/bids/, and the learner's own from the form."""
    options = [(f"Tender {t}: {tender_info(t)['title']}", f"tender:{t}") for t in featured_tenders()]
    kept = [(f"Your bids: {relative(path)}", f"{SAVED}{path.name}") for path in saved_bids()]
    return (
        options
        + [("Course example: bids A and B", EXAMPLE_AB), ("Course example: bids A, B and C", EXAMPLE_ABC)]
        + kept
        + [("My bids (the form below, or the bids this cell gives)", MINE)]
    )


class EvaluationSimulator(RememberedSettings, Tool):
    """The live simulator. `widget()` is the box to display; controls and results are attributes."""

    css_class = "spw-evaluation-simulator"

    def __init__(
        self,
        tender_id: str | None = PLAYGROUND_TENDER,
        price_weight: float | None = None,
        city: str | None = None,
        remembered: bool = True,
        bids: pd.DataFrame | None = None,
        bids_label: str = "your bids",
    ) -> None:
        super().__init__()
        self.params = (tender_id, price_weight, city, bids, bids_label)
        self.own_bids: pd.DataFrame | None = bids
        self.own_label = bids_label if bids is not None else ""
        self.opened_with = {"tender": tender_id, "bids": self.own_label or None}
        self.figures: dict[str, go.Figure] = {}
        self._busy = False
        self._kept: dict[str, pd.DataFrame] = {}
        source = MINE if bids is not None else f"tender:{tender_id}" if tender_id else EXAMPLE_AB
        options = source_options()
        if source not in [v for _, v in options]:
            tender_info(tender_id)  # a clear message for an unknown id
            raise LearnerError(
                f"tender {tender_id} has no quality marks in the course data",
                fix="Use one of: " + ", ".join(featured_tenders()) + ", or None for the course's example",
            )
        self.city = city or (tender_info(tender_id)["city"] if tender_id else "portavera")
        self._controls(options, source)
        self._apply_source(price_weight)
        if remembered:  # settings the learner chose to remember win over the defaults
            self.restore()
        self._observe()
        self.box = self._layout()
        self.guard(self.refresh)()
        self.guard(self.refresh_reversal)()

    def _controls(self, options: list[tuple[str, str]], source: str) -> None:
        wide = {"description_width": "initial"}
        self.source = w.Dropdown(
            options=options, value=source, description="Bids", style=wide, layout=w.Layout(width="620px")
        )
        self.bids_html, self.marks_html = w.HTML(), w.HTML()
        self.form = [
            (
                w.Text(placeholder="bidder", layout=w.Layout(width="220px")),
                w.Text(placeholder="price (EUR)", layout=w.Layout(width="160px")),
                w.Text(placeholder="quality 0-100", layout=w.Layout(width="140px")),
            )
            for _ in range(FORM_ROWS)
        ]
        for (b, p, q), (_, row) in zip(self.form, BRIEF_BIDS.iterrows()):
            b.value, p.value, q.value = row["bidder"], f"{row['price']:.0f}", f"{row['quality_pct']:.2f}"
        self.use_form = w.Button(description="Use these bids", icon="check")
        self.upload = w.FileUpload(
            accept=".csv", multiple=False, description="Upload bids CSV", layout=w.Layout(width="220px")
        )
        self.bids_message = w.HTML()
        self.formula = w.Dropdown(options=list(FORMULAS), value="relative", description="Price formula", style=wide)
        self.lower = w.FloatText(description="lower bound EUR", style=wide, layout=w.Layout(width="260px"))
        self.upper = w.FloatText(description="upper bound EUR", style=wide, layout=w.Layout(width="260px"))
        self.base = w.BoundedFloatText(
            value=2.0, min=1.01, max=10, step=0.5, description="log base A", style=wide, layout=w.Layout(width="180px")
        )
        self.explanation = w.HTML()
        self.price_weight = w.IntSlider(
            value=40,
            min=0,
            max=100,
            description="Price weight",
            style=wide,
            continuous_update=False,
            layout=w.Layout(width="460px"),
        )
        self.min_quality = w.IntSlider(
            value=0,
            min=0,
            max=100,
            description="Minimum quality %",
            style=wide,
            continuous_update=False,
            layout=w.Layout(width="460px"),
        )
        self.winner = w.HTML()
        self.ranking = w.HTML()
        self.ranking_chart, self.sensitivity_chart = w.Output(), w.Output()
        self.sensitivity = w.HTML()
        self.reversal_formula = w.ToggleButtons(
            options=["relative", "log"], value="relative", description="Demo formula", style=wide
        )
        self.bid_c = w.Checkbox(value=True, description="Bid C enters (quality 10 of 60, EUR 50,000)", indent=False)
        self.reversal = w.HTML()
        self.abnormal = w.HTML()
        self.remember = w.Button(
            description="Remember these settings and bids", icon="save", layout=w.Layout(width="auto")
        )
        self.forget = w.Button(description="Forget them", layout=w.Layout(width="auto"))
        self.remember_message = w.HTML()
        self.remember_downloads = DownloadArea()  # on Binder: the warning and all work as one file
        for control, css in (
            (self.source, "spw-bids-source"),
            (self.bids_html, "spw-bids"),
            (self.marks_html, "spw-marks"),
            (self.use_form, "spw-use-form"),
            (self.upload, "spw-upload"),
            (self.bids_message, "spw-bids-message"),
            (self.formula, "spw-formula"),
            (self.lower, "spw-lower"),
            (self.upper, "spw-upper"),
            (self.base, "spw-log-base"),
            (self.explanation, "spw-formula-explanation"),
            (self.price_weight, "spw-price-weight"),
            (self.min_quality, "spw-min-quality"),
            (self.winner, "spw-winner"),
            (self.ranking, "spw-ranking"),
            (self.ranking_chart, "spw-ranking-chart"),
            (self.sensitivity, "spw-sensitivity"),
            (self.sensitivity_chart, "spw-sensitivity-chart"),
            (self.reversal_formula, "spw-reversal-formula"),
            (self.bid_c, "spw-bid-c"),
            (self.reversal, "spw-reversal"),
            (self.abnormal, "spw-abnormally-low"),
            (self.remember, "spw-remember"),
            (self.forget, "spw-forget"),
            (self.remember_message, "spw-remember-message"),
        ):
            control.add_class(css)
        for boxes in self.form:
            for box in boxes:
                box.add_class("spw-form-cell")

    def _observe(self) -> None:
        g = self.guard
        self.source.observe(g(lambda change: None if self._busy else self._source_changed()), names="value")
        for control in (self.formula, self.lower, self.upper, self.base, self.price_weight, self.min_quality):
            control.observe(g(lambda change: None if self._busy else self.refresh()), names="value")
        for control in (self.reversal_formula, self.bid_c):
            control.observe(g(lambda change: self.refresh_reversal()), names="value")
        self.use_form.on_click(g(lambda _: self.use_form_bids()))
        self.upload.observe(g(lambda change: self._on_upload()), names="value")
        self.remember.on_click(g(lambda _: self.remember_settings()))
        self.forget.on_click(g(lambda _: self.forget_settings()))

    def _layout(self) -> w.VBox:
        h = heading
        form_rows = [w.HBox(list(boxes)) for boxes in self.form]
        box = w.VBox(
            [
                self.message,
                h("1. The bids"),
                self.source,
                self.bids_html,
                self.marks_html,
                w.Accordion(
                    children=[
                        w.VBox(
                            [
                                w.HTML(
                                    "One row per bid: bidder, price in EUR, quality as % of the "
                                    "maximum quality points (0–100). Empty rows are skipped."
                                )
                            ]
                            + form_rows
                            + [
                                self.use_form,
                                w.HTML(
                                    "or upload a CSV file with the columns bidder, price, quality (it is only read; "
                                    "a copy is kept in my_work/bids/ so the simulator can reopen on it):"
                                ),
                                self.upload,
                                self.bids_message,
                            ]
                        )
                    ],
                    titles=("Your own bids",),
                ),
                h("2. Price formula and weights"),
                w.HBox([self.formula, self.lower, self.upper, self.base]),
                self.explanation,
                self.price_weight,
                self.min_quality,
                h("3. Ranking"),
                self.winner,
                self.ranking,
                self.ranking_chart,
                h("4. How the winner depends on the price weight"),
                self.sensitivity,
                self.sensitivity_chart,
                h("5. Rank reversal: the course's example bids A, B and C"),
                w.HBox([self.reversal_formula, self.bid_c]),
                self.reversal,
                h("6. Abnormally low tenders"),
                self.abnormal,
                w.HBox([self.remember, self.forget]),
                self.remember_message,
                self.remember_downloads,
            ]
        )
        box.add_class(self.css_class)
        return box

    def widget(self) -> w.VBox:
        return self.box

    def static_view(self) -> list:
        return static_evaluation_simulator(*self.params)

    # ------------------------------------------------------------ bids

    def tender_id(self) -> str | None:
        value = self.source.value
        return value.split(":", 1)[1] if value.startswith("tender:") else None

    def bids(self) -> pd.DataFrame:
        """The bids being scored."""
        value = self.source.value
        if value == EXAMPLE_AB:
            return example_bids(False)
        if value == EXAMPLE_ABC:
            return example_bids(True)
        if value == MINE:
            if self.own_bids is None:
                raise LearnerError(
                    "you have not entered your own bids yet",
                    fix="Open 'Your own bids', fill the form and click 'Use these bids', or upload a CSV",
                )
            return self.own_bids
        if value.startswith(SAVED):
            name = value[len(SAVED) :]
            if name not in self._kept:
                self._kept[name] = load_saved_bids(name)
            return self._kept[name]
        return tender_bids(self.tender_id())

    def add_saved_option(self, file_name: str, shown: str) -> None:
        """List a kept bids file in the Bids choice (before the form's entry)."""
        value = f"{SAVED}{file_name}"
        options = list(self.source.options)
        if value not in [v for _, v in options]:
            self._busy = True
            try:
                self.source.options = options[:-1] + [(f"Your bids: {shown}", value), options[-1]]
            finally:
                self._busy = False
        self._kept.pop(file_name, None)

    def select_source(self, value: str) -> None:
        """Choose bids without a redraw; bounds and tables follow, the price weight stays."""
        self._busy = True
        try:
            self.source.value = value
        finally:
            self._busy = False
        self._apply_source(self.price_weight.value)

    def _apply_source(self, price_weight: float | None = None) -> None:
        """Set the bounds, price weight and tables for the chosen bids (no refresh)."""
        self._busy = True
        try:
            tid = self.tender_id()
            info = tender_info(tid) if tid else {}
            bids = self.bids()
            self.lower.value, self.upper.value = linear_bounds(bids, info.get("estimated_value_eur"))
            weight = price_weight if price_weight is not None else info.get("price_weight", 40)
            self.price_weight.value = int(round(float(weight)))
            self.bids_html.value = bids_html(bids, tid, info.get("price_weight"))
            self.marks_html.value = marks_html(tender_marks(tid) if tid else pd.DataFrame())
        finally:
            self._busy = False

    def _source_changed(self) -> None:
        self.clear_results()
        self.bids_html.value = self.marks_html.value = ""
        self._apply_source()
        self.refresh()

    def clear_results(self) -> None:
        """Empty the results, so nothing from the previous bids or settings stays if a redraw stops."""
        for html in (self.winner, self.ranking, self.sensitivity, self.abnormal):
            html.value = ""
        for out in (self.ranking_chart, self.sensitivity_chart):
            show_in(out)
        self.figures = {}

    def use_bids(self, bids: pd.DataFrame, label: str, kept: str = "") -> None:
        """Score the learner's own bids (already checked): kept ones by their file, the form's as "mine"."""
        if not kept:
            self.own_bids, self.own_label = bids, label
            self.select_source(MINE)
        self.bids_message.value = message_html(
            f"Using {len(bids)} bids from {label}" + (f"; {kept}" if kept else "") + ".", "ok"
        )
        self.refresh()

    def use_form_bids(self) -> None:
        rows = [(b.value, p.value, q.value) for b, p, q in self.form]
        try:
            bids = bids_from_form(rows)
        except LearnerError as exc:
            self.bids_message.value = message_html(str(exc), "error")
            return
        self.use_bids(bids, "the form")

    def upload_bids(self, name: str, content: bytes) -> pd.DataFrame | None:
        """Check an uploaded CSV; if it is good, keep a copy in my_work/bids/ and use it, else show the problem
        (the upload itself is only read)."""
        try:
            bids = read_uploaded_bids(name, content)
        except LearnerError as exc:
            self.bids_message.value = message_html(str(exc), "error")
            return None
        shown = Path(str(name)).name
        kept = self.keep_own_bids(bids, shown)
        self.use_bids(bids, shown, kept)
        return bids

    def _on_upload(self) -> None:
        files = self.upload.value
        if files:
            self.upload_bids(str(files[0]["name"]), bytes(files[0]["content"]))

    # ------------------------------------------------------------ results

    def formula_args(self) -> dict:
        if self.formula.value == "linear":
            return {"lower": float(self.lower.value), "upper": float(self.upper.value)}
        if self.formula.value == "log":
            return {"base": float(self.base.value)}
        return {}

    def min_quality_pct(self) -> float | None:
        return float(self.min_quality.value) or None

    def scored(self) -> pd.DataFrame:
        return score_bids(
            self.bids(),
            self.price_weight.value,
            self.formula.value,
            min_quality_pct=self.min_quality_pct(),
            **self.formula_args(),
        )

    def refresh(self) -> None:
        """Recompute the ranking, the charts, the winning ranges and the abnormally-low checks."""
        if self._busy:
            return
        self.report("")
        self.clear_results()
        for box, shown in (
            (self.lower, self.formula.value == "linear"),
            (self.upper, self.formula.value == "linear"),
            (self.base, self.formula.value == "log"),
        ):
            box.layout.display = None if shown else "none"
        self.explanation.value = (
            f"<div class='spw-explanation'>{escape_html(FORMULA_EXPLANATIONS[self.formula.value])}</div>"
        )
        bids, weight, args, minimum = self.bids(), self.price_weight.value, self.formula_args(), self.min_quality_pct()
        scored = self.scored()
        self.last_scored = scored
        self.winner.value = f"<div class='spw-winner-line'><b>{escape_html(winner_sentence(scored, weight))}</b></div>"
        self.ranking.value = f"<div class='spw-ranking-table'>{html_table(ranking_table(scored))}</div>"
        ranges = winning_ranges(bids, self.formula.value, minimum, **args)
        self.last_ranges = ranges
        self.sensitivity.value = (
            "<div class='spw-sensitivity-table'>Each bidder's range of price weights in which "
            "it ranks first (quality = 100 − price):"
            + html_table(ranges[["bidder", "wins_from", "wins_to", "meaning"]])
            + "</div>"
        )
        self.figures = {
            "scores": scores_figure(scored, weight),
            "sensitivity": sensitivity_figure(bids, self.formula.value, weight, minimum, **args),
        }
        for out, key in ((self.ranking_chart, "scores"), (self.sensitivity_chart, "sensitivity")):
            show_in(out, self.figures[key])
        self.abnormal.value = abnormally_low_html(bids, scored, city_bids(self.city), city_info(self.city)["name"])

    def refresh_reversal(self) -> None:
        self.reversal.value = reversal_html(rank_reversal_table(self.reversal_formula.value, 40), self.bid_c.value)


def build_evaluation_simulator(
    tender_id: str | None = PLAYGROUND_TENDER,
    price_weight: float | None = None,
    city: str | None = None,
    bids=None,
    bids_label: str = "your bids",
) -> EvaluationSimulator:
    """The live simulator object (its `widget()` is what JupyterLab shows)."""
    own, label = their_bids(bids, bids_label)
    return EvaluationSimulator(tender_id, price_weight, city, bids=own, bids_label=label)


def evaluation_simulator(
    tender_id: str | None = PLAYGROUND_TENDER,
    price_weight: float | None = None,
    city: str | None = None,
    bids=None,
    bids_label: str = "your bids",
) -> None:
    """Show the evaluation simulator for a featured tender (None: the brief's example bids A and B), or on
    the learner's own `bids` (a table of bidder, price, quality_pct, or the lesson's `EvaluationCase`)."""
    show_tool(
        lambda: build_evaluation_simulator(tender_id, price_weight, city, bids, bids_label).widget(),
        lambda: static_evaluation_simulator(tender_id, price_weight, city, bids, bids_label),
    )
