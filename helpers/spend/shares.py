"""The one rule for a share the data may not support: unknown is never zero.

A share of spend (in the city, with SMEs, with social-economy organisations) needs a fact about each
supplier that a ledger alone rarely holds: where it is, how big it is, what it is. When no payment in
the selection has that fact, the share is *unknown*, not 0%: `share_value` returns None, and a `Share`
says why and what to add (`course/content/spend_unknowns.yaml`). When the fact is known for part of
the spend, the share is a share of ALL spend (the unknown part stays in the denominator, so the share
is a floor), and a `Share` whose unknown part is large says how large.

Every view, export and command writes a share through `Share.text()` (or `helpers.core.fmt.pct`, which
prints "unknown" for None), explains it with `Share.explain()`, and puts it in JSON with
`Share.to_dict()` (`null` plus a reason and what to add).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from helpers.core.content import by_id
from helpers.core.fmt import UNKNOWN, is_missing, pct

# Which fact each headline share needs ("spend": only that there is spend in the selection).
SHARE_FACT = {
    "local_share_city": "location",
    "local_share_region": "location",
    "sme_share": "size",
    "social_economy_share": "social_economy",
    "unknown_location_share": "spend",
    "unknown_size_share": "spend",
    "unknown_social_economy_share": "spend",
    "top10_share": "spend",
}
# The headline key holding the part of spend for which a fact is unknown.
UNKNOWN_PART = {
    "location": "unknown_location_share",
    "size": "unknown_size_share",
    "social_economy": "unknown_social_economy_share",
}
# What a share counts the unknown part as, in words ("… counts it as not in the city").
COUNTED_AS = {"location": "not local", "size": "not SME", "social_economy": "not social economy"}


def threshold(key: str) -> float:
    """A scope threshold of `course/content/spend_scope_thresholds.yaml` (course design)."""
    return float(by_id("spend_scope_thresholds")[key]["value"])


def share_value(part: float, total: float, known: bool = True) -> float | None:
    """part / total, or None when it cannot be said: no spend in the selection (total 0, or missing),
    or no payment in it has the fact the share needs (`known` False)."""
    if is_missing(total) or not float(total) or not known:
        return None
    return float(part) / float(total)


@dataclass(frozen=True)
class Share:
    """A share of spend with what is unknown about it.

    `value` (0–1) is None when the data cannot give the share; `unknown_share` is the part of the
    spend whose fact is unknown (None when there is no spend); `reason` and `what_to_add` say why
    and what would make it known; `fact` is the fact's id in `spend_unknowns.yaml`.
    """

    value: float | None
    unknown_share: float | None = 0.0
    reason: str = ""
    what_to_add: str = ""
    fact: str = "spend"

    @property
    def known(self) -> bool:
        return self.value is not None

    @property
    def large_unknown(self) -> bool:
        """Known, but the fact is unknown for a large part of the spend (`large_unknown_share`)."""
        return (
            self.known
            and self.fact in COUNTED_AS
            and not is_missing(self.unknown_share)
            and self.unknown_share >= threshold("large_unknown_share")
        )

    @property
    def attribute(self) -> str:
        """The fact in words ("supplier location")."""
        return str(by_id("spend_unknowns")[self.fact]["attribute"])

    def text(self, decimals: int = 1) -> str:
        """'23.4%', '23.4% (supplier location unknown for 45.0% of spend)' or 'unknown'."""
        if not self.known:
            return UNKNOWN
        out = pct(self.value, decimals=decimals)
        if self.large_unknown:
            out += f" ({self.attribute} unknown for {pct(self.unknown_share)} of spend)"
        return out

    def explain(self) -> str:
        """Why the share is unknown, or partly unknown, and what to add ("" for a share fully known)."""
        if not self.known:
            return f"Unknown: {self.reason}. To know it, add {self.what_to_add}."
        if self.large_unknown:
            return (
                f"The {self.attribute} is unknown for {pct(self.unknown_share)} of this spend; the share counts "
                f"that part as {COUNTED_AS[self.fact]}, so the true share may be higher. To know it, add "
                f"{self.what_to_add}."
            )
        return ""

    def to_dict(self) -> dict:
        """JSON-able: value (null when unknown), unknown_share, reason and what_to_add (null when none)."""
        note = self.known and not self.large_unknown
        return {
            "value": None if not self.known else round(float(self.value), 6),
            "unknown_share": None if is_missing(self.unknown_share) else round(float(self.unknown_share), 6),
            "reason": None if note else (self.reason or None),
            "what_to_add": None if note else (self.what_to_add or None),
        }


def make_share(value: float | None, fact: str, unknown_share: float | None = 0.0, *, no_spend: bool = False) -> Share:
    """A `Share` of `value` for a share that needs `fact` (location, size, social_economy, sector or
    spend), with the reason and what to add from the course content. `no_spend`: the selection holds
    no spend, so the reason is that, whatever the fact."""
    reasons = by_id("spend_unknowns")
    why = reasons["spend" if no_spend else fact]
    if value is not None and is_missing(value):
        value = None
    return Share(value, unknown_share, str(why["reason"]), str(why["what_to_add"]), fact)


def headline_shares(head: Mapping[str, object]) -> dict[str, Share]:
    """The shares of a headline dict (`headline_indicators`, `SpendCube.indicators`) as `Share`s."""
    no_spend = "total" in head and (is_missing(head["total"]) or not float(head["total"]))
    out = {}
    for key, fact in SHARE_FACT.items():
        if key not in head:
            continue
        unknown = head.get(UNKNOWN_PART.get(fact, ""), 0.0)
        out[key] = make_share(head[key], fact, None if no_spend else unknown, no_spend=no_spend)
    return out


def share_json(head: Mapping[str, object]) -> dict:
    """A headline dict for JSON: every share as `Share.to_dict()`, the other figures as they are."""
    shares = headline_shares(head)
    return {key: shares[key].to_dict() if key in shares else value for key, value in head.items()}
