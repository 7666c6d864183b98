"""Where a buyer is, as far as the data says, and whether the Directive's minimum periods are law there.

The countries and their names are data (`course/content/preprocurement_buyer_countries.yaml`); the label of the
law comes from `course/content/preprocurement_legal_minimum_periods.yaml` (`applies_to`).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from helpers.core.content import content_file, items
from helpers.preprocurement.procedure_names import normalise

CONTENT = "preprocurement_buyer_countries"


@cache
def _table() -> dict[str, tuple[str, bool]]:
    table: dict[str, tuple[str, bool]] = {}
    for item in items(CONTENT):
        for name in [item["id"], *item["names"]]:
            table[normalise(str(name))] = (item["id"], bool(item["in_eu"]))
    return table


def country_code(name: Any) -> str | None:
    """The ISO 3166 alpha-2 code of a country name or code as published ("Україна" → "UA"), or None."""
    found = _table().get(normalise(name))
    return found[0] if found else None


def in_eu(name: Any) -> bool | None:
    """True for a buyer country in the EU, False for a recognised country outside it, None when not recognised."""
    found = _table().get(normalise(name))
    return found[1] if found else None


def minimums_law_label() -> str:
    """Where the Directive's minimum periods are law (the applicability label of the legal-minimum content)."""
    return str(content_file("preprocurement_legal_minimum_periods").get("applies_to", "Directive 2014/24/EU"))
