"""The criteria builder (module 6): the contract, suggested library entries for its CPV
division (filtered by theme), a draft with placeholders and weights, the live checks
(`validate_draft`), saving drafts in the progress store (tool "criteria", on click only) and
the DOCX + Markdown export. A thin widget layer over `library` and `criteria`.
"""

from __future__ import annotations

from pathlib import Path

import ipywidgets as w
import pandas as pd
from IPython.display import HTML

from helpers.core.errors import LearnerError
from helpers.core.safety import escape_html
from helpers.learning.my_work_widget import DownloadArea
from helpers.learning.progress import store
from helpers.tendering.criteria import (
    PLAYGROUND_CPV,
    PLAYGROUND_SUBJECT,
    PLAYGROUND_VALUE_EUR,
    CriteriaDraft,
    default_draft,
    draft_table,
    price_formula_statement,
    save_draft_report,
    validate_draft,
)
from helpers.tendering.evaluation import FORMULAS
from helpers.tendering.library import (
    THEMES,
    TYPE_LABELS,
    fill_wording,
    load_library,
    suggest_criteria,
    suggestions_table,
)
from helpers.tendering.widgets.criteria_document import DocumentFields, export_note
from helpers.tendering.widgets.criteria_views import (
    checks_html,
    entry_card_html,
    suggestions_html,
    weights_figure,
    weights_line_html,
    wording_html,
)
from helpers.ui.display import message_html, show_tool
from helpers.ui.messages import Issue
from helpers.ui.theme import TEXT
from helpers.ui.tool import Tool, heading


class CriteriaBuilder(Tool):
    """The live criteria builder. `widget()` is the box to display; controls are attributes."""

    css_class = "spw-criteria-builder"

    def __init__(
        self,
        cpv_code: str = PLAYGROUND_CPV,
        subject: str = PLAYGROUND_SUBJECT,
        value_eur: float | None = PLAYGROUND_VALUE_EUR,
        library: pd.DataFrame | None = None,
        draft: CriteriaDraft | None = None,
    ) -> None:
        super().__init__()
        self.params = (cpv_code, subject, value_eur)
        self.library = library if library is not None else load_library()
        self.draft = draft or default_draft(self.library, cpv_code, subject, value_eur)
        self._syncing = False
        self._controls(value_eur)
        self._observe()
        self.box = self._layout()
        self._fill_saved()
        self.guard(self.refresh_suggestions)()
        self.guard(self.render_items)()

    def _controls(self, value_eur: float | None) -> None:
        wide = {"description_width": "initial"}
        self.subject = w.Text(
            value=self.draft.subject, description="Subject", style=wide, layout=w.Layout(width="440px")
        )
        self.cpv = w.Text(value=self.draft.cpv_code, description="CPV code", style=wide, layout=w.Layout(width="200px"))
        self.value = w.FloatText(
            value=float(self.draft.value_eur or 0),
            description="Value (EUR, net)",
            style=wide,
            layout=w.Layout(width="260px"),
        )
        self.lots = w.BoundedIntText(
            value=int(self.draft.lots), min=1, max=50, description="Lots", style=wide, layout=w.Layout(width="120px")
        )
        self.theme = w.Dropdown(
            options=[("all themes", "")] + [(t.replace("_", " "), t) for t in THEMES],
            value="",
            description="Theme",
            style=wide,
        )
        self.suggestion = w.Dropdown(description="Library entry", style=wide, layout=w.Layout(width="640px"))
        self.card = w.HTML()
        self.suggestions = w.HTML()
        self.add_button = w.Button(description="Add to draft", icon="plus", button_style="primary")
        self.price_weight = w.IntSlider(
            value=int(round(self.draft.price_weight)),
            min=0,
            max=100,
            description="Price weight",
            style=wide,
            continuous_update=False,
            layout=w.Layout(width="420px"),
        )
        self.formula = w.Dropdown(
            options=list(FORMULAS), value=self.draft.price_formula, description="Price formula", style=wide
        )
        args = self.draft.price_formula_args or {}
        self.lower = w.FloatText(
            value=float(args.get("lower", 0.75 * (value_eur or 100_000))),
            description="lower EUR",
            layout=w.Layout(width="220px"),
        )
        self.upper = w.FloatText(
            value=float(args.get("upper", 1.25 * (value_eur or 100_000))),
            description="upper EUR",
            layout=w.Layout(width="220px"),
        )
        self.base = w.BoundedFloatText(
            value=float(args.get("base", 2.0)),
            min=1.01,
            max=10,
            step=0.5,
            description="base A",
            layout=w.Layout(width="160px"),
        )
        self.statement = w.HTML()
        self.weights_summary = w.HTML()
        self.items_box = w.VBox()
        self.validation = w.HTML()
        self.draft_name = w.Text(
            value=self.draft.subject, description="Draft name", style=wide, layout=w.Layout(width="360px")
        )
        self.save_button = w.Button(description="Save draft", icon="save")
        self.saved = w.Dropdown(description="Saved drafts", style=wide, layout=w.Layout(width="360px"))
        self.load_button = w.Button(description="Load draft", icon="folder-open")
        self.save_message = w.HTML()
        self.export_button = w.Button(
            description="Export DOCX + Markdown", icon="download", layout=w.Layout(width="auto")
        )
        self.export_message = w.HTML()
        self.save_downloads, self.export_downloads = DownloadArea(), DownloadArea()  # links; Binder's warning
        self.document = DocumentFields(lambda: self.draft, self.guard)
        for control, css in (
            (self.subject, "spw-subject"),
            (self.cpv, "spw-cpv"),
            (self.value, "spw-value"),
            (self.lots, "spw-lots"),
            (self.theme, "spw-theme"),
            (self.suggestion, "spw-suggestion"),
            (self.suggestions, "spw-suggestions"),
            (self.add_button, "spw-add"),
            (self.price_weight, "spw-price-weight"),
            (self.formula, "spw-price-formula"),
            (self.items_box, "spw-draft-items"),
            (self.validation, "spw-validation-area"),
            (self.draft_name, "spw-draft-name"),
            (self.save_button, "spw-save"),
            (self.saved, "spw-saved-drafts"),
            (self.load_button, "spw-load"),
            (self.save_message, "spw-save-message"),
            (self.export_button, "spw-export"),
            (self.export_message, "spw-export-message"),
            (self.save_downloads, "spw-save-downloads"),
            (self.export_downloads, "spw-export-downloads"),
            (self.weights_summary, "spw-weights-summary"),
            (self.card, "spw-card-area"),
        ):
            control.add_class(css)

    def _observe(self) -> None:
        g = self.guard
        for control in (self.subject, self.value, self.lots, self.lower, self.upper, self.base, self.formula):
            control.observe(g(lambda change: self._contract_changed()), names="value")
        self.cpv.observe(g(lambda change: self._cpv_changed()), names="value")
        self.theme.observe(g(lambda change: self.refresh_suggestions()), names="value")
        self.suggestion.observe(g(lambda change: self._show_card()), names="value")
        self.price_weight.observe(g(lambda change: self._price_changed()), names="value")
        self.add_button.on_click(g(lambda _: self.add_selected()))
        self.save_button.on_click(g(lambda _: self.save()))
        self.load_button.on_click(g(lambda _: self.load(self.saved.value)))
        self.export_button.on_click(g(lambda _: self.export()))

    def _layout(self) -> w.VBox:
        h = heading
        box = w.VBox(
            [
                self.message,
                h("1. The contract"),
                w.HBox([self.subject, self.cpv]),
                w.HBox([self.value, self.lots]),
                h("2. Suggestions from the criteria library"),
                self.theme,
                self.suggestions,
                w.HBox([self.suggestion, self.add_button]),
                self.card,
                h("3. Price"),
                w.HBox([self.price_weight, self.formula]),
                w.HBox([self.lower, self.upper, self.base]),
                self.statement,
                h("4. Your draft (fill the placeholders, set the points)"),
                self.weights_summary,
                self.items_box,
                h("5. Checks"),
                self.validation,
                h("6. Save and export"),
                w.HBox([self.draft_name, self.save_button]),
                w.HBox([self.saved, self.load_button]),
                self.save_message,
                self.save_downloads,
                self.document.box,
                self.export_button,
                self.export_message,
                self.export_downloads,
            ]
        )
        box.add_class(self.css_class)
        return box

    def widget(self) -> w.VBox:
        return self.box

    def static_view(self) -> list:
        return static_criteria_builder(*self.params)

    # ------------------------------------------------------------ suggestions

    def suggested(self) -> pd.DataFrame:
        return suggest_criteria(self.library, self.cpv.value, [self.theme.value] if self.theme.value else None)

    def refresh_suggestions(self) -> None:
        found = self.suggested()
        shown = suggestions_table(found)[
            ["id", "title", "theme", "type", "points (typical)", "wording", "verification", "source", "for"]
        ]
        self.suggestions.value = suggestions_html(shown, len(found), self.cpv.value)
        options = [(f"{r.id} · {r.title} ({TYPE_LABELS[r.type]})", r.id) for r in found.itertuples(index=False)]
        self.suggestion.options = options
        self.suggestion.value = options[0][1] if options else None
        self._show_card()

    def _show_card(self) -> None:
        chosen = self.suggestion.value
        self.card.value = entry_card_html(self.library.loc[chosen]) if chosen else ""

    def add_selected(self, entry_id: str | None = None, weight: float | None = None) -> None:
        """Add the chosen library entry (or `entry_id`) to the draft."""
        chosen = entry_id or self.suggestion.value
        if not chosen:
            raise LearnerError("no library entry is selected", fix="Choose an entry in the list first")
        if chosen not in self.library.index:
            raise LearnerError(f"{chosen} is not in the criteria library")
        item = self.draft.add(self.library.loc[chosen], weight=weight)
        self.render_items()
        self.report(
            f"Added {item.title} as a {TYPE_LABELS[item.type]}"
            + (f" with {item.weight:g} points" if item.type == "award_criterion" else "")
            + ".",
            "ok",
        )

    # ------------------------------------------------------------ the draft

    def render_items(self) -> None:
        """Rebuild one row per item: title and type, points, placeholders, the filled wording, remove."""
        rows, self.weight_boxes, self.placeholder_boxes = [], [], []
        for index, item in enumerate(self.draft.items):
            entry = self.library.loc[item.entry_id] if item.entry_id in self.library.index else None
            header = w.HTML(
                f"<b>{index + 1}. {escape_html(item.title or item.entry_id)}</b> "
                f"<span style='color:{TEXT['muted']}'>({escape_html(TYPE_LABELS.get(item.type, item.type))}"
                + (f", theme {escape_html(entry['theme'])}" if entry is not None else "")
                + ")</span>"
            )
            weight = w.BoundedFloatText(
                value=float(item.weight or 0),
                min=0,
                max=100,
                step=1,
                description="points",
                layout=w.Layout(width="170px"),
            )
            weight.add_class("spw-weight")
            weight.observe(self.guard(lambda change, i=index: self._weight_changed(i, change["new"])), names="value")
            remove = w.Button(description="Remove", icon="trash", layout=w.Layout(width="100px"))
            remove.add_class("spw-remove")
            remove.on_click(self.guard(lambda _, i=index: self.remove(i)))
            wording = w.HTML()
            boxes = []
            for name, spec in ((entry["placeholders"] or {}) if entry is not None else {}).items():
                box = w.Text(
                    value=str(item.values.get(name, spec.get("default", ""))),
                    description=name,
                    placeholder=str(spec.get("description", "")),
                    style={"description_width": "initial"},
                    layout=w.Layout(width="320px"),
                )
                box.add_class("spw-placeholder")
                box.observe(
                    self.guard(
                        lambda change, i=index, n=name, out=wording: self._placeholder_changed(i, n, change["new"], out)
                    ),
                    names="value",
                )
                boxes.append(box)
            self.placeholder_boxes.append(boxes)
            self._show_wording(index, wording)
            self.weight_boxes.append(weight)
            row = w.VBox(
                [w.HBox([header, weight, remove]), wording]
                + ([w.HBox(boxes, layout=w.Layout(flex_flow="row wrap"))] if boxes else []),
                layout=w.Layout(border_bottom="1px solid #ddd", padding="4px 0"),
            )
            row.add_class("spw-draft-item")
            rows.append(row)
        self.items_box.children = rows or [w.HTML("<i>The draft is empty: add entries from the library above.</i>")]
        self.refresh_checks()

    def _show_wording(self, index: int, out) -> None:
        item = self.draft.items[index]
        text = (
            fill_wording(self.library.loc[item.entry_id], item.values)
            if item.entry_id in self.library.index
            else item.custom_text
        )
        out.value = wording_html(text, item.verification)

    def _weight_changed(self, index: int, value: float) -> None:
        self.draft.items[index].weight = float(value)
        self.refresh_checks()

    def _placeholder_changed(self, index: int, name: str, value: str, out) -> None:
        self.draft.items[index].values[name] = value
        self._show_wording(index, out)

    def remove(self, index: int) -> None:
        """Take item `index` out of the draft."""
        item = self.draft.items.pop(index)
        self.render_items()
        self.report(f"Removed {item.title or item.entry_id} from the draft.", "info")

    def set_weight(self, index: int, value: float) -> None:
        """Set an item's points through its number box (as a learner would)."""
        self.weight_boxes[index].value = value

    def _price_changed(self) -> None:
        self.draft.price_weight = float(self.price_weight.value)
        self.refresh_checks()

    def _cpv_changed(self) -> None:
        self.draft.cpv_code = self.cpv.value.strip()
        try:
            self.refresh_suggestions()
        except LearnerError as exc:
            self.suggestions.value = message_html(str(exc), "error")
            self.suggestion.options, self.card.value = [], ""
        self.refresh_checks()

    def _contract_changed(self) -> None:
        if self._syncing:
            return
        d = self.draft
        d.subject, d.value_eur, d.lots = (
            self.subject.value.strip(),
            float(self.value.value or 0) or None,
            self.lots.value,
        )
        d.price_formula = self.formula.value
        d.price_formula_args = (
            {"lower": self.lower.value, "upper": self.upper.value}
            if d.price_formula == "linear"
            else {"base": self.base.value}
            if d.price_formula == "log"
            else {}
        )
        self.refresh_checks()

    def issues(self) -> list[Issue]:
        return validate_draft(self.draft, self.library)

    def refresh_checks(self) -> None:
        """Redraw the weights line, the price statement and the list of issues."""
        d = self.draft
        self.weights_summary.value = weights_line_html(d)
        for box, shown in (
            (self.lower, d.price_formula == "linear"),
            (self.upper, d.price_formula == "linear"),
            (self.base, d.price_formula == "log"),
        ):
            box.layout.display = None if shown else "none"
        self.statement.value = f"<div class='spw-price-statement'>{escape_html(price_formula_statement(d))}</div>"
        self.validation.value = checks_html(self.issues())

    # ------------------------------------------------------------ save, load, export

    def _fill_saved(self) -> None:
        names = store().list_drafts("criteria")
        self.saved.options = names or [("(no saved drafts yet)", "")]
        self.load_button.disabled = not names

    def save(self, name: str | None = None) -> str:
        """Save the draft under its name in the progress store (tool 'criteria'); say where."""
        self.save_downloads.clear()
        chosen = (name if name is not None else self.draft_name.value).strip()
        progress = store()
        progress.save_draft("criteria", chosen, self.draft.to_dict())
        self._fill_saved()
        self.saved.value = chosen
        self.save_message.value = message_html(
            f"Saved the draft “{chosen}” in your progress file {progress.path}.", "ok"
        )
        self.save_downloads.offer_on_binder()
        return chosen

    def load(self, name: str) -> None:
        """Replace the draft on screen with a saved one."""
        self.save_downloads.clear()
        if not name:
            raise LearnerError("there is no saved draft to load", fix="Save a draft first")
        self.draft = CriteriaDraft.from_dict(store().load_draft("criteria", name))
        self._syncing = True
        try:
            d = self.draft
            self.subject.value, self.value.value, self.lots.value = d.subject, float(d.value_eur or 0), int(d.lots)
            self.formula.value = d.price_formula
            args = d.price_formula_args or {}
            self.lower.value = float(args.get("lower", self.lower.value))
            self.upper.value = float(args.get("upper", self.upper.value))
            self.base.value = float(args.get("base", self.base.value))
            self.price_weight.value = int(round(d.price_weight))
            self.draft_name.value = name
            self.document.fill()
        finally:
            self._syncing = False
        self.draft.price_weight = float(d.price_weight)
        if self.cpv.value != d.cpv_code:
            self.cpv.value = d.cpv_code  # refreshes the suggestions
        self.render_items()
        self.save_message.value = message_html(f"Loaded the draft “{name}”.", "ok")

    def export(self) -> list[Path]:
        """Write the criteria document as DOCX and Markdown into the exports folder; offer their download."""
        self.export_downloads.clear()
        written = [save_draft_report(self.draft, self.library, fmt=fmt) for fmt in ("docx", "md")]
        self.export_message.value = message_html(
            "Saved the criteria document: " + ", ".join(str(p) for p in written) + "." + export_note(self.issues()),
            "ok",
        )
        self.export_downloads.show(written, text="")
        return written


def build_criteria_builder(
    cpv_code: str = PLAYGROUND_CPV,
    subject: str = PLAYGROUND_SUBJECT,
    value_eur: float | None = PLAYGROUND_VALUE_EUR,
    library: pd.DataFrame | None = None,
) -> CriteriaBuilder:
    """The live builder object (its `widget()` is what JupyterLab shows)."""
    return CriteriaBuilder(cpv_code, subject, value_eur, library)


def static_criteria_builder(
    cpv_code: str = PLAYGROUND_CPV, subject: str = PLAYGROUND_SUBJECT, value_eur: float | None = PLAYGROUND_VALUE_EUR
) -> list:
    """The headless view: the default draft as a table, its weights chart and its checks."""
    library = load_library()
    draft = default_draft(library, cpv_code, subject, value_eur)
    return [
        HTML(f"<b>Draft criteria for {escape_html(subject)} (CPV {escape_html(cpv_code)})</b>"),
        draft_table(draft, library),
        weights_figure(draft),
        HTML(checks_html(validate_draft(draft, library))),
    ]


def criteria_builder(
    cpv_code: str = PLAYGROUND_CPV, subject: str = PLAYGROUND_SUBJECT, value_eur: float | None = PLAYGROUND_VALUE_EUR
) -> None:
    """Show the criteria builder (widgets in JupyterLab, the default draft headless)."""
    show_tool(
        lambda: build_criteria_builder(cpv_code, subject, value_eur).widget(),
        lambda: static_criteria_builder(cpv_code, subject, value_eur),
    )
