"""The course's one colour theme, colour-blind safe (Okabe and Ito's palette), and the one
way chart labels built from data are made safe.

Colour never carries meaning alone: every status drawn in colour also has its
word (`STATUS_LABELS`) or a marker symbol beside it. Text colours meet WCAG 2.1
AA contrast (at least 4.5:1) on white.
"""

from __future__ import annotations

from typing import Any

from helpers.core.safety import escape_html

# Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour-vision deficiency.
OKABE_ITO = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "black": "#000000",
}
GREY = "#767676"  # 4.5:1 on white: the darkest grey that still reads as "not known"
LIGHT_GREY = "#BDBDBD"

# Categorical series (bidders, suppliers, quadrants), in order of distinctness.
SERIES = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000", "#F0E442")

# Ordered from near to far (city → region → country → abroad), with "unknown" always grey.
NEAR_TO_FAR = ("#009E73", "#56B4E9", "#0072B2", "#CC79A7", "#E69F00", "#D55E00", "#000000")
UNKNOWN_COLOUR = GREY

# Status colours for charts and chips; chips use `STATUS_TEXT` on `STATUS_FILL` (contrast ≥ 4.5:1).
STATUS_FILL = {"green": "#009E73", "amber": "#E69F00", "red": "#D55E00", "missing": GREY, "not rated": LIGHT_GREY}
STATUS_TEXT = {"green": "#000000", "amber": "#000000", "red": "#000000", "missing": "#FFFFFF", "not rated": "#000000"}
STATUS_SYMBOL = {
    "green": "circle",
    "amber": "diamond",
    "red": "x",
    "missing": "circle-open",
    "not rated": "square-open",
}
STATUS_LABELS = {
    "green": "on target",
    "amber": "watch",
    "red": "off target",
    "missing": "no return",
    "not rated": "not rated",
}

# Message boxes (text colour on background, all ≥ 4.5:1) and the word shown before the text.
MESSAGE_STYLES = {
    "error": ("#fdecea", "#b3261e", "Problem"),
    "warning": ("#fff4e5", "#8a5300", "Check"),
    "info": ("#e8f0fe", "#1a4b9c", "Note"),
    "ok": ("#e6f4ea", "#1e6b34", "OK"),
}
TEXT = {"error": "#b3261e", "warning": "#8a5300", "info": "#1a4b9c", "ok": "#1e6b34", "muted": "#5f6368"}


def series_colour(index: int) -> str:
    """The colour of the `index`-th series (cycles after eight)."""
    return SERIES[index % len(SERIES)]


def status_chip(status: str, text: str | None = None) -> str:
    """An HTML chip with the status word on its colour: never colour alone."""
    fill = STATUS_FILL.get(status, LIGHT_GREY)
    ink = STATUS_TEXT.get(status, "#000000")
    label = escape_html(text if text is not None else STATUS_LABELS.get(status, status))
    return (
        f'<span class="spw-chip spw-chip-{escape_html(status)}" style="background:{fill};color:{ink};'
        f'padding:1px 8px;border-radius:10px;font-weight:600">{label}</span>'
    )


def chart_label(value: Any) -> str:
    """A label for a plotly axis, legend or hover text built from data: escaped, so a supplier named
    `<a href=…>` shows as text and is never a link. Use for every label that comes from a file.

    plotly.js decodes `&amp; &lt; &gt;` and numeric entities but not `&quot;`, so quotes are written
    as `&#34;` (a name with a quote then shows its quote, not the entity's name)."""
    return escape_html("" if value is None else str(value)).replace("&quot;", "&#34;").replace("&#x27;", "&#39;")
