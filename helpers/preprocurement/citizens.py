"""Citizens' wishes: how Beverwijk (NL) let children and parents shape a playground tender, and turning
wishes into functional and performance requirements for the playground case.

Beverwijk's steps and the Turku note (`preprocurement_playground_cases.yaml`), the keyword table
(`preprocurement_wish_keywords.yaml`) and the sample wishes (`preprocurement_sample_wishes.yaml`) are in
`course/content/`.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from helpers.core.content import by_id, items
from helpers.core.errors import LearnerError

UNMATCHED = "unmatched"


def playground_case(case: str) -> dict:
    """ "beverwijk" (its steps, documented) or "turku" (unconfirmed), with source and status."""
    return by_id("preprocurement_playground_cases")[case]


def wish_keywords() -> tuple[tuple[tuple[str, ...], str, str], ...]:
    """Course design: (keywords, requirement, type). Matching is on whole words, lower case, English.
    Module attribute `WISH_KEYWORDS`."""
    return tuple(
        (tuple(item["keywords"]), item["requirement"], item["type"]) for item in items("preprocurement_wish_keywords")
    )


def sample_wishes() -> pd.DataFrame:
    """Course design: wishes a group of children and parents might give for Portavera's playground.
    Module attribute `SAMPLE_WISHES`."""
    return pd.DataFrame(
        [
            {"wish": item["wish"], "group": item["group"], "votes": item["votes"]}
            for item in items("preprocurement_sample_wishes")
        ]
    )


_CONTENT = {
    "BEVERWIJK_SOURCE": lambda: playground_case("beverwijk")["source"],
    "BEVERWIJK_STEPS": lambda: tuple(playground_case("beverwijk")["steps"]),
    "TURKU_PLAYGROUND_NOTE": lambda: playground_case("turku")["text"],
    "WISH_KEYWORDS": wish_keywords,
    "SAMPLE_WISHES": sample_wishes,
}


def __getattr__(name: str) -> Any:
    """Beverwijk's steps and source, the Turku note, the keyword table and the sample wishes are read from
    the course content when first used, not on import (so importing the stage never needs the content folder)."""
    if name in _CONTENT:
        return _CONTENT[name]()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _words(text: str) -> set[str]:
    words = re.findall(r"[a-z]+", text.lower())
    return set(words) | {" ".join(pair) for pair in zip(words, words[1:])}


def wishes_to_requirements(wishes: pd.DataFrame) -> pd.DataFrame:
    """Group wishes (columns wish, group, votes) into requirements using the keyword table.

    Columns: requirement, type (functional | performance | unmatched), from_wishes, groups,
    votes (sum), wishes (count); most votes first. Wishes matching no keyword keep their own
    row of type `unmatched`, to be turned into a requirement by hand. A wish may feed several
    requirements (its votes count for each).
    """
    missing = [c for c in ("wish", "group", "votes") if c not in wishes.columns]
    if missing:
        raise LearnerError(
            f"the wishes table lacks the column(s) {', '.join(missing)}", fix="Give columns wish, group, votes"
        )
    votes = pd.to_numeric(wishes["votes"], errors="coerce")
    bad = votes.isna() | (votes < 0)
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise LearnerError(
            f"votes must be a number 0 or more; row {row + 1} has {wishes['votes'].iloc[row]!r}",
            fix="Write a count of votes",
        )
    keywords = wish_keywords()
    rows = []
    for wish, group, count in zip(wishes["wish"].astype("str"), wishes["group"].astype("str"), votes):
        words = _words(wish)
        hits = [(req, kind) for keys, req, kind in keywords if words & set(keys)]
        for req, kind in hits or [(f"Review by hand: {wish}", UNMATCHED)]:
            rows.append({"requirement": req, "type": kind, "wish": wish, "group": group, "votes": count})
    if not rows:
        return pd.DataFrame(columns=["requirement", "type", "from_wishes", "groups", "votes", "wishes"])
    long = pd.DataFrame(rows)
    out = (
        long.groupby(["requirement", "type"], sort=False)
        .agg(
            from_wishes=("wish", lambda s: "; ".join(dict.fromkeys(s))),
            groups=("group", lambda s: ", ".join(sorted(set(s)))),
            votes=("votes", "sum"),
            wishes=("wish", "size"),
        )
        .reset_index()
    )
    out["votes"] = out["votes"].astype("int64") if (out["votes"] % 1 == 0).all() else out["votes"]
    out["_unmatched"] = out["type"] == UNMATCHED
    return (
        out.sort_values(["_unmatched", "votes"], ascending=[True, False], kind="stable")
        .drop(columns="_unmatched")
        .reset_index(drop=True)
    )


def wishes_text(wishes: pd.DataFrame) -> str:
    """A wishes table as editable lines "wish; group; votes"."""
    return "\n".join(f"{r.wish}; {r.group}; {r.votes}" for r in wishes.itertuples(index=False))


def parse_wishes(text: str) -> pd.DataFrame:
    """Lines "wish; group; votes" (votes optional, 1 by default) into a wishes table."""
    rows = []
    for number, line in enumerate(str(text).splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split(";")]
        if len(parts) > 3 or not parts[0]:
            raise LearnerError(
                f"line {number} should read 'wish; group; votes'",
                row=number,
                fix="Separate the wish, the group and the votes with semicolons",
            )
        parts += [""] * (3 - len(parts))
        rows.append({"wish": parts[0], "group": parts[1] or "not given", "votes": parts[2] or "1"})
    if not rows:
        raise LearnerError("there are no wishes yet", fix="Write one wish per line: wish; group; votes")
    return pd.DataFrame(rows)
