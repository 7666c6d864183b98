"""The Directive's minimum time limits that module 5 counts with (brief §3.2), each with its source
(`course/content/preprocurement_legal_minimum_periods.yaml`): the engagement planner counts back from them, and the
health check flags submission periods below them."""

from __future__ import annotations

from typing import Any

from helpers.core.content import by_id


def periods() -> dict[str, dict]:
    """Every period by id, with its days, meaning, source and status. Module attribute `PERIODS`."""
    return by_id("preprocurement_legal_minimum_periods")


def __getattr__(name: str) -> Any:
    """`PERIODS` is read from the course content when first used, not on import."""
    if name == "PERIODS":
        return periods()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def days(period: str) -> int:
    """The minimum days of a period in `preprocurement_legal_minimum_periods.yaml` (e.g. "open_e_submission")."""
    return int(periods()[period]["days"])


def source(period: str) -> str:
    """Where the period's rule is written."""
    return periods()[period]["source"]


def open_minimum_days(e_submission: bool = True, pin_published: bool = False) -> int:
    """An open procedure's minimum days for tenders: 35 from the notice, 30 with electronic
    submission, 15 after a prior information notice (PIN)."""
    if pin_published:
        return days("open_after_pin")
    return days("open_e_submission") if e_submission else days("open")


def legal_minimum_days(procedure: str, e_submission: bool = True) -> int | None:
    """The Directive's minimum period counted from the contract notice, the only start date a tenders
    table holds: open procedure, tenders 35 days (30 with electronic submission, Art. 27(1) and (4));
    restricted procedure, requests to participate 30 days (Art. 28(1)). The restricted procedure's tender
    period runs from the invitation to tender (Art. 28(2)), so no notice-to-tender figure exists in the
    Directive (30 + 30 = 60 is not one). None for procedures without a fixed minimum."""
    if procedure == "open":
        return open_minimum_days(e_submission)
    if procedure in ("restricted", "selective"):
        return days("restricted_requests")
    return None
