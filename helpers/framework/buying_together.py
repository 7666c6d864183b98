"""How cities buy together and who may be kept out: the Directive's tools for repeated and shared purchases
(framework agreements, dynamic purchasing systems, central purchasing bodies, joint procurement: Arts 33-39)
and its exclusion grounds and conflict-of-interest duty (Arts 24, 41, 57), as tables for the lessons
(`course/content/framework_buying_together.yaml`, `framework_exclusion_grounds.yaml`; durations and time
limits from the legal facts table)."""

from __future__ import annotations

import pandas as pd

from helpers.core.content import items
from helpers.framework.facts import fact_value

BUYING_TOGETHER_FILE = "framework_buying_together"
EXCLUSION_FILE = "framework_exclusion_grounds"


def _fill(text: str, figures: dict[str, object]) -> str:
    text = " ".join(str(text).split())
    for name, value in figures.items():
        text = text.replace("{" + name + "}", str(value))
    return text


def buying_together_table() -> pd.DataFrame:
    """Each tool for buying repeatedly or together: what the law says, an example, the article, the source."""
    figures = {
        "framework_years": fact_value("framework-max-years"),
        "dps_requests": fact_value("dps-requests"),
        "dps_tenders": fact_value("dps-tenders"),
    }
    rows = [
        {
            "tool": item["tool"],
            "what the law says": _fill(item["rule"], figures),
            "example (course design)": _fill(item["example"], figures),
            "article": item["article"],
            "source": item["source"],
        }
        for item in items(BUYING_TOGETHER_FILE)
    ]
    return pd.DataFrame(rows)


def exclusion_grounds_table() -> pd.DataFrame:
    """The exclusion grounds, self-cleaning, their periods and the conflict-of-interest duty, with examples."""
    figures = {
        "conviction_years": fact_value("exclusion-max-years-conviction"),
        "discretionary_years": fact_value("exclusion-max-years-discretionary"),
    }
    rows = [
        {
            "ground": item["ground"],
            "kind": item["kind"],
            "what the law says": _fill(item["rule"], figures),
            "example (course design)": _fill(item["example"], figures),
            "article": item["article"],
        }
        for item in items(EXCLUSION_FILE)
    ]
    return pd.DataFrame(rows)
