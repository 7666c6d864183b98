"""Labels that fit: buttons size to their text, long descriptions get room, choices take the row."""

from __future__ import annotations

import ipywidgets as w

from helpers.ui.controls import fit_labels


def test_buttons_long_descriptions_and_choices_fit_and_set_widths_are_kept():
    upload = w.FileUpload(description="Upload a ledger")
    confirm = w.Button(description="Confirm mapping")
    fixed = w.Button(description="Remove", layout=w.Layout(width="100px"))
    short = w.Dropdown(description="Year", options=[2024, 2025])
    long = w.Dropdown(description="Supplier location", options=["all"])
    chosen = w.Text(description="Counts as the wider region", style={"description_width": "120px"})
    radio = w.RadioButtons(options=["Publishing the contract notice in the Official Journal of the EU"])
    box = fit_labels(w.VBox([w.HBox([upload, confirm, fixed]), short, long, chosen, radio]))
    assert upload.layout.width == "max-content" and confirm.layout.width == "max-content"
    assert fixed.layout.width == "100px"  # chosen on purpose: kept
    assert short.style.description_width == ""  # "Year" fits in the default width
    assert long.style.description_width == "initial"
    assert chosen.style.description_width == "120px"
    assert radio.layout.width == "auto"
    assert box.children[0].children[0] is upload


def test_rows_added_to_a_tool_later_are_fitted_too():
    rows = w.VBox()
    fit_labels(w.VBox([rows]))
    later = w.Button(description="Load my saved figures")
    rows.children = [w.HBox([later])]
    assert later.layout.width == "max-content"
