"""Labels that fit: every control of a course tool shows its whole label ("Upload a ledger", not
"Upload a ledge…").

ipywidgets gives a button 148 px and a description 80 px whatever their text; `fit_labels` (called by
`show_tool` on every tool before it is displayed, and again on the rows a tool adds later) widens
what would cut its text: buttons and upload buttons size to their label (`max-content`), a long description gets
the room it needs, and choice lists (radio buttons, check boxes) take the row's width so their
options wrap instead of being cut (the wrapping itself is CSS, `helpers.ui.page`). A width a tool
set on purpose is kept.
"""

from __future__ import annotations

import ipywidgets as w

# ipywidgets' default description width (80 px) holds about this many characters of label text.
DESCRIPTION_CHARS = 11
BUTTONS = (w.Button, w.FileUpload, w.ToggleButton)
CHOICES = (w.RadioButtons, w.Checkbox)


def _fit_one(widget: w.Widget) -> None:
    layout = getattr(widget, "layout", None)
    if isinstance(widget, BUTTONS):
        if layout is not None and layout.width in (None, "", "auto"):
            layout.width = "max-content"  # as wide as its label, never stretched across a column of controls
        return
    if isinstance(widget, CHOICES):
        if layout is not None and not layout.width:
            layout.width = "auto"
        if isinstance(widget, w.Checkbox):
            return
    description = getattr(widget, "description", "") or ""
    style = getattr(widget, "style", None)
    if (
        len(description) > DESCRIPTION_CHARS
        and style is not None
        and hasattr(style, "description_width")
        and not style.description_width
    ):
        style.description_width = "initial"


def fit_labels(widget: w.Widget) -> w.Widget:
    """`widget` with every control inside it sized to show its whole label; rows added to a box later
    are fitted when they arrive. Returns the widget, so `display(fit_labels(box))` reads naturally."""
    _fit_one(widget)
    children = getattr(widget, "children", None)
    if isinstance(widget, w.Box) and children is not None:
        for child in children:
            fit_labels(child)
        if not getattr(widget, "_spw_fitting", False):
            widget.observe(lambda change: [fit_labels(c) for c in change["new"]], names="children")
            widget._spw_fitting = True
    return widget
