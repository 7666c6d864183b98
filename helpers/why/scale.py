"""The scale of public buying: sourced facts for module 1 (`course/content/why_scale_facts.yaml`)."""

from __future__ import annotations

import pandas as pd

from helpers.core.content import items

SCALE_FACTS_FILE = "why_scale_facts"


def scale_facts_table() -> pd.DataFrame:
    """The scale facts as a table (fact, figure, source, status) to show or export."""
    rows = [
        {"fact": f["fact"], "figure": f["figure"], "source_url": f["source"], "status": f["status"]}
        for f in items(SCALE_FACTS_FILE)
    ]
    return pd.DataFrame(rows, columns=["fact", "figure", "source_url", "status"])
