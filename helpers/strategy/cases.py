"""What partner cities did: short case summaries with their sources (`course/content/strategy_cases.yaml`)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from helpers.core.content import items

SOURCE_SEPARATOR = " ; "


def cases() -> dict[str, dict[str, Any]]:
    """The cases by key: city, title, text and the list of sources. Module attribute `CASES`."""
    return {
        item["id"]: {
            "city": item["city"],
            "title": item["title"],
            "text": item["text"],
            "sources": item["source"].split(SOURCE_SEPARATOR),
        }
        for item in items("strategy_cases")
    }


def __getattr__(name: str) -> Any:
    """`CASES` is read from the course content when first used, not on import."""
    if name == "CASES":
        return cases()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def cases_table() -> pd.DataFrame:
    """The cases as a table: city, title, text, sources."""
    return pd.DataFrame(
        [
            {
                "case": key,
                "city": c["city"],
                "title": c["title"],
                "text": c["text"],
                "sources": SOURCE_SEPARATOR.join(c["sources"]),
            }
            for key, c in cases().items()
        ]
    )
