"""Module 1 tool: the "more local spend" estimator as widgets, a thin layer over
`helpers.why.local_spend.local_spend_estimate` and `estimator_figure`.

`local_spend_estimator(city, year)` shows inputs for the total spend, today's local
share, the extra local percentage points and the re-spend rate, and answers with a
plain-language sentence, the LM3 rounds chart and the rounds table. The starting
figures are round numbers for the course city (no ledger is read in module 1);
learners type their own city's figures over them, and may save them.
Headless (papermill) it shows the same sentence, chart and table for the defaults.
"""

from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as w
import pandas as pd
from IPython.display import HTML

from helpers.core.errors import LearnerError
from helpers.core.fmt import money
from helpers.core.safety import escape_html
from helpers.data.design import CITY_BY_ID
from helpers.learning.my_work_widget import DownloadArea
from helpers.learning.progress import store as default_store
from helpers.ui.display import message_html, show_in, show_tool
from helpers.ui.exports import html_table
from helpers.ui.tool import Tool
from helpers.why.local_spend import (
    RESPEND_RATE_NORTHUMBERLAND_LOCAL,
    RESPEND_RATE_WORKED_EXAMPLE,
    LocalSpendEstimate,
    estimator_figure,
    local_spend_estimate,
)

TOOL = "local_spend_estimator"  # the key of the learner's saved figures in the progress store
DEFAULT_EXTRA_POINTS = 10  # course design: a first, modest step
RESPEND_PRESETS: tuple[tuple[str, float], ...] = (
    ("40%: course worked example", RESPEND_RATE_WORKED_EXAMPLE),
    ("76%: Northumberland, local suppliers", RESPEND_RATE_NORTHUMBERLAND_LOCAL),
)


# -- pure pieces (tested without widgets) -----------------------------------------------------
@dataclass(frozen=True)
class StartingPoint:
    """Round starting figures for one course city and year."""

    place: str
    year: int
    total_spend: float
    local_share: float  # percent, 0-100
    note: str


def _round_spend(amount: float) -> float:
    """To the nearest €10m from €100m up, else to the nearest €1m (a figure people remember)."""
    step = 10_000_000 if amount >= 100_000_000 else 1_000_000
    return max(step, round(amount / step) * step)


def starting_point(city: str = "portavera", year: int = 2025) -> StartingPoint:
    """The course city's yearly spend and share paid to suppliers in the city, rounded.

    Taken from the design of the synthetic data (`helpers.data.design`), which the ledgers
    match to within a percentage point; module 3 measures the exact figures from the ledger.
    A year outside the shipped ledgers uses the nearest shipped year.
    """
    config = CITY_BY_ID.get(str(city).strip().lower())
    if config is None:
        raise LearnerError(
            f"{city!r} is not one of the course cities",
            fix=f"Use one of: {', '.join(CITY_BY_ID)}; for your own city, type its figures into the estimator",
        )
    years = sorted(config.location_shares)
    used = min(years, key=lambda y: (abs(y - int(year)), -y))
    total = _round_spend(config.annual_spend_eur)
    share = float(round(config.location_shares[used][0] * 100))
    note = (
        f"Starting figures: {config.name}'s {used} spend, rounded: about €{total / 1e6:,.0f} million a year, "
        f"{share:g}% of it paid to suppliers based in the city. Module 3 measures the exact figures "
        "from the payment ledger."
    )
    return StartingPoint(config.name, used, total, share, note)


def money_words(value: float, currency: str = "€") -> str:
    """€36,400,000 → '€36.4 million'; €850,000 → '€850,000' (for sentences, not tables)."""
    sign = "-" if value < 0 else ""
    amount = abs(value)
    if amount >= 1_000_000:
        millions = f"{amount / 1_000_000:,.1f}".removesuffix(".0")
        return f"{sign}{currency}{millions} million"
    return f"{sign}{currency}{money(amount, None, decimals=0)}"


def estimate_sentence(result: LocalSpendEstimate, place: str = "the city") -> str:
    """The estimate in one plain sentence: "If 10 percentage points more … about €Y more …"."""
    c = result.currency
    points = result.local_share_after - result.local_share_before
    if points == 0:
        return (
            f"Today {result.local_share_before:g}% of {money_words(result.total_spend, c)} goes to local "
            "suppliers. Move 'extra local points' to see what a bigger local share would add."
        )
    more = "more" if points > 0 else "less"
    return (
        f"If {abs(points):g} percentage points {more} of the {money_words(result.total_spend, c)} a year "
        f"went to suppliers in {place} ({result.local_share_before:g}% → {result.local_share_after:g}%), "
        f"about {money_words(abs(result.extra_local_money), c)} {more} would circulate locally each year: "
        f"{money_words(abs(result.extra_paid_locally), c)} paid to local suppliers directly, plus "
        f"{money_words(abs(result.extra_respent_locally), c)} that they re-spend locally "
        f"(re-spend rate {result.respend_rate:.0%})."
    )


def rounds_table(result: LocalSpendEstimate) -> pd.DataFrame:
    """The rounds table with money rounded to whole units and LM3 to two decimals, for reading."""
    table = result.table()
    is_money = table["measure"].str.startswith("Round")
    shown = table.astype({"before": "object", "after": "object", "change": "object"})
    for column in ("before", "after", "change"):
        shown[column] = [
            f"{result.currency}{money(v, None, decimals=0)}" if in_money else f"{v:.2f}"
            for v, in_money in zip(table[column], is_money)
        ]
    return shown


def default_estimate(city: str = "portavera", year: int = 2025) -> tuple[StartingPoint, LocalSpendEstimate]:
    """The estimator's starting figures for a course city, and its answer for the default step."""
    start = starting_point(city, year)
    return start, local_spend_estimate(
        start.total_spend, start.local_share, DEFAULT_EXTRA_POINTS, RESPEND_RATE_WORKED_EXAMPLE
    )


def static_estimate(city: str = "portavera", year: int = 2025) -> list:
    """The headless view of the defaults: the sentence, the chart and the rounds table."""
    start, result = default_estimate(city, year)
    return [
        HTML(
            f"<p><i>{escape_html(start.note)}</i></p><p><b>"
            f"{escape_html(estimate_sentence(result, start.place))}</b></p>"
        ),
        estimator_figure(result),
        rounds_table(result),
    ]


def default_extra_local_millions(city: str = "portavera", year: int = 2025) -> float:
    """The estimator's default answer for a course city, in million euro (for a self-check)."""
    _, result = default_estimate(city, year)
    return round(result.extra_local_money / 1_000_000, 2)


# -- the widget ------------------------------------------------------------------------------------
class LocalSpendEstimator(Tool):
    """The live estimator; `widget()` is what the notebook shows, `result` the current estimate."""

    def __init__(self, city: str = "portavera", year: int = 2025, store=None) -> None:
        super().__init__()
        self.city, self.year = city, year
        self.store = store or default_store()
        self._loading = False  # while saved figures are put back, refresh once at the end
        self.start = starting_point(city, year)
        self._build_inputs()
        self.sentence = w.HTML()
        self.sentence.add_class("spw-estimate-sentence")
        self.chart = w.Output()
        self.chart.add_class("spw-estimator-chart")
        self.table = w.HTML()
        self.save = w.Button(description="Save my figures", icon="save")
        self.load = w.Button(description="Load my saved figures", icon="folder-open")
        self.save.on_click(self.guard(lambda _: self.save_figures()))
        self.load.on_click(self.guard(lambda _: self.load_figures()))
        self.saved_note = w.HTML()
        self.downloads = DownloadArea()  # on Binder: the warning and all work as one file
        self.result: LocalSpendEstimate | None = None
        self.figure = None
        self._box = w.VBox(
            [
                w.HTML(f"<i>{escape_html(self.start.note)}</i>"),
                self.place,
                self.total,
                self.share,
                self.extra,
                self.rate,
                w.HBox([w.HTML("Re-spend presets:"), *self.presets]),
                self.message,
                self.sentence,
                self.chart,
                self.table,
                w.HBox([self.save, self.load]),
                self.saved_note,
                self.downloads,
            ]
        )
        self._box.add_class("spw-estimator")
        self.guard(self.refresh)()

    def _build_inputs(self) -> None:
        """The place, the four figures and the re-spend presets, each redrawing the answer when changed."""
        wide = {"description_width": "190px"}
        layout = w.Layout(width="520px")
        self.place = w.Text(
            value=self.start.place, description="Place", style=wide, layout=layout, continuous_update=False
        )
        self.total = w.FloatText(
            value=self.start.total_spend, description="Total spend a year (€)", style=wide, layout=layout
        )
        self.share = w.FloatSlider(
            value=self.start.local_share,
            min=0,
            max=100,
            step=1,
            readout_format=".0f",
            description="Local share today (%)",
            style=wide,
            layout=layout,
            continuous_update=False,
        )
        self.extra = w.FloatSlider(
            value=DEFAULT_EXTRA_POINTS,
            min=-30,
            max=50,
            step=1,
            readout_format=".0f",
            description="Extra local points",
            style=wide,
            layout=layout,
            continuous_update=False,
        )
        self.rate = w.FloatSlider(
            value=RESPEND_RATE_WORKED_EXAMPLE,
            min=0,
            max=1,
            step=0.01,
            readout_format=".2f",
            description="Re-spend rate (0–1)",
            style=wide,
            layout=layout,
            continuous_update=False,
        )
        for control, name in (
            (self.total, "total"),
            (self.share, "share"),
            (self.extra, "extra"),
            (self.rate, "rate"),
            (self.place, "place"),
        ):
            control.add_class(f"spw-estimator-{name}")
            control.observe(self.guard(lambda change: None if self._loading else self.refresh()), names="value")
        self.presets = []
        for label, value in RESPEND_PRESETS:
            button = w.Button(description=label, layout=w.Layout(width="auto"))
            button.on_click(self.guard(lambda _, v=value: setattr(self.rate, "value", v)))
            self.presets.append(button)

    def widget(self) -> w.Widget:
        return self._box

    def static_view(self) -> list:
        return static_estimate(self.city, self.year)

    def refresh(self) -> None:
        """Recompute the estimate from the inputs and redraw the sentence, chart and table."""
        self.report("")
        try:
            result = local_spend_estimate(self.total.value, self.share.value, self.extra.value, self.rate.value)
        except LearnerError:
            self.sentence.value = ""  # never leave an old answer beside the problem message
            raise
        place = self.place.value.strip() or "the city"
        self.result = result
        self.figure = estimator_figure(result)
        self.sentence.value = f"<p style='font-size:1.1em'><b>{escape_html(estimate_sentence(result, place))}</b></p>"
        self.table.value = html_table(rounds_table(result))
        show_in(self.chart, self.figure)

    def settings(self) -> dict:
        return {
            "place": self.place.value,
            "total_spend": self.total.value,
            "local_share": self.share.value,
            "extra_local_pts": self.extra.value,
            "respend_rate": self.rate.value,
        }

    def save_figures(self) -> None:
        """Save the current figures in the learner's progress store (only when the button is clicked)."""
        self.downloads.clear()
        local_spend_estimate(self.total.value, self.share.value, self.extra.value, self.rate.value)  # valid first
        self.store.save_settings(TOOL, self.settings())
        self.saved_note.value = message_html(f"Saved your figures in {self.store.path}.", "ok")
        self.downloads.offer_on_binder()

    def load_figures(self) -> None:
        """Put the learner's saved figures back into the inputs."""
        self.downloads.clear()
        saved = self.store.load_settings(TOOL)
        if not saved:
            self.saved_note.value = message_html("You have not saved any figures yet.", "info")
            return
        self._loading = True
        try:
            self.place.value = str(saved.get("place", self.place.value))
            self.total.value = float(saved["total_spend"])
            self.share.value = float(saved["local_share"])
            self.extra.value = float(saved["extra_local_pts"])
            self.rate.value = float(saved["respend_rate"])
        finally:
            self._loading = False
        self.refresh()
        self.saved_note.value = message_html(f"Loaded your saved figures from {self.store.path}.", "ok")


def local_spend_estimator(city: str = "portavera", year: int = 2025) -> None:
    """Show the estimator: widgets in JupyterLab, the default estimate when run headless.

    The widget is built only when a live front end will show it (a headless run shows the default estimate).
    """
    show_tool(lambda: LocalSpendEstimator(city, year).widget(), lambda: static_estimate(city, year))
