"""The procedures of Directive 2014/24/EU and the minimum time limits of the open and restricted
procedures above the threshold (`course/content/framework_procedures.yaml`, `framework_time_limits.yaml`).

Only the open (Art. 27) and restricted (Art. 28) procedures have time limits in the course's table;
for the others the advisor says so instead of inventing a number.
"""

from __future__ import annotations

from dataclasses import dataclass

from helpers.core.content import by_id, items
from helpers.learning.registry import self_check

PROCEDURES_FILE = "framework_procedures"
TIME_LIMITS_FILE = "framework_time_limits"

# The time limits' sources, for other stages that cite them (module 5's timeline). The content file is
# the record (a unit test keeps these equal to it); they stay plain constants because other modules
# import them when they are imported, before any course content is read.
OPEN_LIMITS_SOURCE = "https://www.legislation.gov.uk./ssi/2015/446/regulation/28/data.html"
RESTRICTED_LIMITS_SOURCE = "https://www.legislation.gov.uk/eudr/2014/24/article/28/2020-01-31"
SUB_CENTRAL_AGREEMENT_SOURCE = (
    "https://bevanbrittan.com/insights/articles/2014/statutorytimelimitsunderthepublicsectordirective"
)


@dataclass(frozen=True)
class TimeLimit:
    """One minimum time limit: `minimum_days` is None when the rule is not a fixed number."""

    procedure: str
    step: str
    minimum_days: int | None
    rule: str
    source: str


def procedure_names() -> dict[str, str]:
    """Each procedure's key with its name and article, in the Directive's order."""
    return {item["id"]: item["name"] for item in items(PROCEDURES_FILE)}


def procedures() -> tuple[str, ...]:
    """The procedures' keys, in the Directive's order."""
    return tuple(procedure_names())


def _limit(limit_id: str, **words: str) -> TimeLimit:
    item = by_id(TIME_LIMITS_FILE)[limit_id]
    rule = item["rule"]
    for name, text in words.items():
        rule = rule.replace("{" + name + "}", text)
    days = item["days"]
    return TimeLimit(item["procedure"], item["step"], None if days is None else int(days), rule, item["source"])


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

    35 days from the notice; 5 days less (30) when tenders may be submitted electronically;
    15 days after a prior information notice (PIN) or in substantiated urgency.
    """
    return _limit(_open_limit_id(e_submission, pin_published, urgent)).minimum_days


def open_time_limits(e_submission: bool = True, pin_published: bool = False, urgent: bool = False) -> list[TimeLimit]:
    """The open procedure's minimum time limit, with the reason for the number."""
    return [_limit(_open_limit_id(e_submission, pin_published, urgent))]


def restricted_time_limits(
    buyer_type: str = "sub_central", pin_published: bool = False, urgent: bool = False
) -> list[TimeLimit]:
    """The restricted procedure's two steps: requests to participate, then tenders."""
    limits = [_limit("restricted-requests")]
    standard = _limit("restricted-tenders-pin" if pin_published else "restricted-tenders")
    if buyer_type == "sub_central":
        limits.append(_limit("restricted-tenders-sub-central", standard=standard.rule))
    else:
        limits.append(standard)
    if urgent:
        limits.append(_limit("restricted-urgency"))
    return limits


# -- self-check computations (the quiz engine calls only these) ----------------------------------
@self_check("open-procedure-days")
def open_days_for(e_submission: bool = True, pin_published: bool = False, urgent: bool = False) -> float:
    """The open procedure's minimum days for one case (for a numeric self-check)."""
    return float(open_minimum_days(e_submission, pin_published, urgent))
