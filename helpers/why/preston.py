"""Preston's story in figures: the six anchor institutions' spend, 2012/13 against 2016/17, and
the "5% to 10%" claim recomputed (`course/content/why_preston.yaml`)."""

from __future__ import annotations

import pandas as pd

from helpers.core.content import content_file, items
from helpers.core.fmt import number
from helpers.why.local_spend import local_spend_estimate

PRESTON_FILE = "why_preston"


def preston_figures() -> dict[str, dict]:
    """Each figure by id: `value`, `shown` (as the source words it), `source` and `status`."""
    return {item["id"]: item for item in items(PRESTON_FILE)}


def preston_story() -> dict:
    """The figures by id (pounds or percent), and the sources by name ("2012/13", "2016/17", "council", "later")."""
    story = {key: item["value"] for key, item in preston_figures().items()}
    story["sources"] = dict(content_file(PRESTON_FILE)["sources"])
    return story


def preston_table() -> pd.DataFrame:
    """Preston's anchor institutions, 2012/13 against 2016/17, each row with its source."""
    f = preston_figures()

    def shown(key: str) -> str:
        return f[key]["shown"]

    def sources(*keys: str) -> str:
        return " ; ".join(f[key]["source"] for key in keys)

    rows = [
        (
            "Yearly spend of the six anchors on goods and services",
            shown("anchors_spend_2012_13_gbp"),
            "not reported",
            sources("anchors_spend_2012_13_gbp"),
        ),
        (
            "Share spent with Preston-based organisations",
            shown("preston_share_2012_13_pct"),
            shown("preston_share_2016_17_pct"),
            sources("preston_share_2012_13_pct", "preston_share_2016_17_pct"),
        ),
        (
            "Share spent with Lancashire-based organisations",
            shown("lancashire_share_2012_13_pct"),
            shown("lancashire_share_2016_17_pct"),
            sources("lancashire_share_2012_13_pct", "lancashire_share_2016_17_pct"),
        ),
        (
            "Spend retained in Preston",
            shown("preston_spend_2012_13_gbp"),
            f"{shown('preston_retained_later_gbp')} ({shown('preston_increase_gbp')})",
            sources("preston_spend_2012_13_gbp", "preston_retained_later_gbp"),
        ),
        (
            "Change in spend retained in Lancashire",
            "(baseline)",
            shown("lancashire_increase_gbp"),
            sources("lancashire_increase_gbp"),
        ),
        (
            "Spend leaking out of Lancashire",
            shown("leaked_out_of_lancashire_2012_13_gbp"),
            "not reported",
            sources("leaked_out_of_lancashire_2012_13_gbp"),
        ),
    ]
    return pd.DataFrame(rows, columns=["measure", "2012/13", "2016/17", "source"])


def preston_check() -> dict:
    """Preston's "5% to 10%" claim, recomputed: £750m × (10% - 5%) = £37.5m a year paid
    to Preston-based organisations (round 2 only). The source reports it rounded as "£37m";
    the difference is rounding, not a different method."""
    f = preston_figures()
    result = local_spend_estimate(
        f["anchors_spend_2012_13_gbp"]["value"],
        f["preston_share_2012_13_pct"]["value"],
        5,
        respend_rate=0,
        currency="£",
    )
    claim = f["extra_if_preston_share_10pct_gbp_reported"]
    reported = claim["value"]
    return {
        "computed_gbp": result.extra_paid_locally,
        "reported_gbp": reported,
        "note": (
            f"£750m × (10% − 5%) = £{number(result.extra_paid_locally)}; the source reports "
            f"£{number(reported)}, i.e. £37.5m rounded. Source: {claim['source']}"
        ),
    }
