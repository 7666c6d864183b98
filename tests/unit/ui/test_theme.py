"""The one palette: colour-blind safe, readable text (WCAG 2.1 AA), never colour alone, escaped labels."""

from __future__ import annotations

import pytest

from helpers.ui import theme


def luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of a #rrggbb colour."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_formula_on_known_pairs():
    assert contrast("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast("#FFFFFF", "#f9a825") < 2.1  # the old amber chip: white on amber, 2.0:1


@pytest.mark.parametrize("status", sorted(theme.STATUS_FILL))
def test_status_chips_meet_aa_contrast(status):
    assert contrast(theme.STATUS_TEXT[status], theme.STATUS_FILL[status]) >= 4.5


@pytest.mark.parametrize("kind", sorted(theme.MESSAGE_STYLES))
def test_message_text_meets_aa_contrast(kind):
    background, ink, _ = theme.MESSAGE_STYLES[kind]
    assert contrast(ink, background) >= 4.5


@pytest.mark.parametrize("kind", sorted(theme.TEXT))
def test_text_colours_meet_aa_on_white(kind):
    assert contrast(theme.TEXT[kind], "#FFFFFF") >= 4.5


def test_unknown_grey_is_readable_and_distinct_from_the_series():
    assert contrast(theme.UNKNOWN_COLOUR, "#FFFFFF") >= 4.5
    assert theme.UNKNOWN_COLOUR not in theme.SERIES


def test_every_status_has_a_word_and_a_symbol():
    assert set(theme.STATUS_LABELS) == set(theme.STATUS_FILL) == set(theme.STATUS_SYMBOL)
    chip = theme.status_chip("amber")
    assert "watch" in chip and theme.STATUS_FILL["amber"] in chip


def test_series_cycle_and_are_distinct():
    assert len(set(theme.SERIES)) == len(theme.SERIES)
    assert theme.series_colour(len(theme.SERIES)) == theme.SERIES[0]


def test_chart_labels_and_chips_are_escaped():
    assert theme.chart_label('<a href="https://x.test">Acme</a>') == (
        "&lt;a href=&#34;https://x.test&#34;&gt;Acme&lt;/a&gt;"
    )
    assert theme.chart_label("O'Neil & Sons") == "O&#39;Neil &amp; Sons"
    assert theme.chart_label(None) == ""
    assert "<script>" not in theme.status_chip("red", "<script>alert(1)</script>")
