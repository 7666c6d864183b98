"""The procedures of Directive 2014/24/EU, when each may be used, and the minimum time limits of the open and
restricted procedures above the threshold (`course/content/framework_procedures.yaml`,
`framework_time_limits.yaml`; every number from the legal facts table, `legal_facts.yaml`).

Only the open (Art. 27) and restricted (Art. 28) procedures have time limits in the course's table;
for the others the advisor says so instead of inventing a number.
"""

from __future__ import annotations

from dataclasses import dataclass

from helpers.core.content import by_id, items
from helpers.framework.facts import fact_value
from helpers.learning.registry import self_check

PROCEDURES_FILE = "framework_procedures"
TIME_LIMITS_FILE = "framework_time_limits"
DIRECTIVE_2014_24 = "https://eur-lex.europa.eu/eli/dir/2014/24/oj"

# The time limits' sources, for other stages that cite them (module 5's timeline). The content file is
# the record (a unit test keeps these equal to it); they stay plain constants because other modules
# import them when they are imported, before any course content is read.
OPEN_LIMITS_SOURCE = DIRECTIVE_2014_24
RESTRICTED_LIMITS_SOURCE = DIRECTIVE_2014_24
SUB_CENTRAL_AGREEMENT_SOURCE = DIRECTIVE_2014_24


@dataclass(frozen=True)
class TimeLimit:
    """One minimum time limit: `minimum_days` is None when the rule is not a fixed number."""

    procedure: str
    step: str
    minimum_days: int | None
    rule: str
    source: str
    article: str = ""


@dataclass(frozen=True)
class Procedure:
    """A procedure of the Directive and the legal condition for using it."""

    key: str
    name: str
    available: str  # "free", "condition" or "exceptional"
    condition: str
    article: str


def procedure_names() -> dict[str, str]:
    """Each procedure's key with its name and article, in the Directive's order."""
    return {item["id"]: item["name"] for item in items(PROCEDURES_FILE)}


def procedures() -> tuple[str, ...]:
    """The procedures' keys, in the Directive's order."""
    return tuple(procedure_names())


def procedure(key: str) -> Procedure:
    """One procedure with when it may be used (`available`, `condition`, `article`)."""
    item = by_id(PROCEDURES_FILE)[key]
    return Procedure(
        key, item["name"], item["available"], " ".join(str(item["condition"]).split()), str(item["article"])
    )


def freely_available() -> tuple[str, ...]:
    """The procedures a buyer may choose without a legal ground: open and restricted (Art. 26(2))."""
    return tuple(key for key in procedures() if procedure(key).available == "free")


def _limit(limit_id: str, **words: str) -> TimeLimit:
    item = by_id(TIME_LIMITS_FILE)[limit_id]
    rule = " ".join(str(item["rule"]).split())
    for name, text in words.items():
        rule = rule.replace("{" + name + "}", text)
    days = None
    if item["fact"] is not None:
        days = fact_value(item["fact"]) - (fact_value(item["minus"]) if item.get("minus") else 0)
    article = f"Directive 2014/24/EU, {item['article']}"
    return TimeLimit(
        item["procedure"],
        item["step"],
        None if days is None else int(days),
        f"{rule} ({item['article']})",
        item["source"],
        article,
    )


def _open_limit_id(e_submission: bool, pin_published: bool, urgent: bool) -> str:
    if pin_published and urgent:
        return "open-pin-and-urgent"
    if pin_published:
        return "open-pin"
    if urgent:
        return "open-urgent"
    return "open-electronic" if e_submission else "open-standard"


def open_minimum_days(e_submission: bool = True, pin_published: bool = False, urgent: bool = False) -> int:
    """Minimum days for receipt of tenders in an open procedure above the threshold.

    35 days from the notice (Art. 27(1)); 5 days less (30) when the buyer accepts electronic submission
    (Art. 27(4)); 15 days after a prior information notice (Art. 27(2)) or in substantiated urgency (Art. 27(3)).
    """
    return _limit(_open_limit_id(e_submission, pin_published, urgent)).minimum_days


def open_time_limits(e_submission: bool = True, pin_published: bool = False, urgent: bool = False) -> list[TimeLimit]:
    """The open procedure's minimum time limit, with the reason for the number."""
    return [_limit(_open_limit_id(e_submission, pin_published, urgent))]


def restricted_time_limits(
    buyer_type: str = "sub_central", pin_published: bool = False, urgent: bool = False, e_submission: bool = True
) -> list[TimeLimit]:
    """The restricted procedure's two steps: requests to participate, then tenders.

    Requests: 30 days from the notice (Art. 28(1)), 15 in urgency (Art. 28(6)(a)). Tenders: 30 days from the
    invitation (Art. 28(2)), 25 with electronic submission (Art. 28(5)), 10 after a PIN (Art. 28(3)) or in
    urgency (Art. 28(6)(b)). For a sub-central buyer the Member State may allow a deadline agreed with the
    candidates (Art. 28(4)): shown as an extra row, because it applies only where national law uses it."""
    if urgent:
        limits = [_limit("restricted-requests-urgency"), _limit("restricted-tenders-urgency")]
    else:
        tenders = (
            "restricted-tenders-pin"
            if pin_published
            else ("restricted-tenders-electronic" if e_submission else "restricted-tenders")
        )
        limits = [_limit("restricted-requests"), _limit(tenders)]
    if buyer_type == "sub_central":
        standard = limits[1]
        limits.append(_limit("restricted-tenders-sub-central", standard=f"{standard.minimum_days} days"))
    return limits


# -- self-check computations (the quiz engine calls only these) ----------------------------------
@self_check("open-procedure-days")
def open_days_for(e_submission: bool = True, pin_published: bool = False, urgent: bool = False) -> float:
    """The open procedure's minimum days for one case (for a numeric self-check)."""
    return float(open_minimum_days(e_submission, pin_published, urgent))


@self_check("restricted-tender-days")
def restricted_tender_days_for(e_submission: bool = True, pin_published: bool = False, urgent: bool = False) -> float:
    """The restricted procedure's minimum days for tenders for one case (for a numeric self-check)."""
    return float(restricted_time_limits("central", pin_published, urgent, e_submission)[1].minimum_days)
