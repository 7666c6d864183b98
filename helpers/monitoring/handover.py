"""Who does what once the contract is signed, and the hand-over pack from the procurement
team to the contract manager.

The three roles and the formal hand-over before go-live follow the Scottish Procurement
Journey (domain brief §5, [VERIFIED]). The review calendar (quarterly reviews, re-procurement
planning 9 months before the end) is course design: set your own in the contract.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from helpers.core.content import by_id, content_file, items
from helpers.core.errors import LearnerError
from helpers.core.fmt import is_missing, money
from helpers.monitoring.kpis import AMBER_TOLERANCE_PCT, amber_limits, contract_months
from helpers.ui.exports import Report

ROLES: dict[str, str] = {item["id"]: item["responsibility"] for item in items("monitoring_roles")}
"""Who does what (course/content/monitoring_roles.yaml)."""
ROLES_SOURCE: str = content_file("monitoring_roles")["note"]
_RULES = by_id("monitoring_rules")
REVIEW_EVERY_MONTHS = int(_RULES["review_every_months"]["value"])  # course design: quarterly contract reviews
PLAN_REPROCUREMENT_MONTHS = int(_RULES["plan_reprocurement_months"]["value"])  # course design: 9 months before the end


def review_dates(start, end, every_months: int = REVIEW_EVERY_MONTHS) -> list[date]:
    """Review meetings every `every_months` months from the start date, up to the end date."""
    first, last = pd.Timestamp(start), pd.Timestamp(end)
    out, k = [], 1
    while (when := first + pd.DateOffset(months=every_months * k)) <= last:
        out.append(when.date())
        k += 1
    return out


def reprocurement_planning_date(end, months_before: int = PLAN_REPROCUREMENT_MONTHS) -> date:
    """The date to start planning the next procurement: `months_before` months before the end."""
    return (pd.Timestamp(end) - pd.DateOffset(months=months_before)).date()


def _given(value, missing: str = "not in the register") -> str:
    """A register cell as text, or `missing` when the learner's register leaves it out."""
    return missing if is_missing(value) or not str(value).strip() else str(value)


def _money_or(value) -> str:
    return "not in the register" if is_missing(value) else money(value)


def _tender_row(tender, tender_id: str) -> dict | None:
    if tender is None:
        return None
    if isinstance(tender, pd.DataFrame):
        match = tender[tender["tender_id"].astype("str") == tender_id] if "tender_id" in tender else tender
        return None if match.empty else match.iloc[0].to_dict()
    return dict(tender)


def handover_checklist(
    contract_id: str, contracts: pd.DataFrame, kpis: pd.DataFrame, commitments: pd.DataFrame, tender=None
) -> Report:
    """The hand-over pack for one contract: the contract, the roles, what was promised (KPIs
    and targets, service-credit clause, social-value commitments), the review calendar and a
    checklist. `tender` (a tenders.csv row or table) adds how the contract was awarded.
    Save it with `helpers.ui.exports.save_report(report, "handover.docx")` (.md, .html too)."""
    cid = str(contract_id)
    found = contracts[contracts["contract_id"].astype("str") == cid]
    if found.empty:
        raise LearnerError(f"there is no contract {cid}", fix="Choose a contract_id from the contracts table")
    c = found.iloc[0]
    term = int(contract_months(found)["term_months"].iloc[0])
    start, end = pd.Timestamp(c["start_date"]).date(), pd.Timestamp(c["end_date"]).date()
    title = " - ".join(t for t in (_given(c.get("title"), ""), _given(c.get("supplier_name"), "")) if t)
    report = Report(f"Contract hand-over: {cid}", subtitle=title)
    supplier_id = _given(c.get("supplier_id"), "")
    report.add(
        "The contract",
        bullets=[
            f"Supplier: {_given(c.get('supplier_name'))}" + (f" ({supplier_id})" if supplier_id else ""),
            f"Service area: {_given(c.get('service_area'))}; CPV {_given(c.get('cpv_code'))}",
            f"Value: {_money_or(c.get('value_eur'))} net of VAT; "
            f"monthly charge {_money_or(c.get('monthly_charge_eur'))}",
            f"Term: {start.isoformat()} to {end.isoformat()} ({term} months)",
        ],
    )
    people = {
        "Contract owner": _given(c.get("contract_owner")),
        "Contract manager": _given(c.get("contract_manager")),
        "Contract user": "(name the teams that order or receive the service)",
    }
    report.add(
        "Roles",
        paragraphs=[ROLES_SOURCE],
        table=pd.DataFrame(
            {"role": list(ROLES), "person": [people[r] for r in ROLES], "responsibility": list(ROLES.values())}
        ),
    )
    tender_row = _tender_row(tender, _given(c.get("tender_id"), ""))
    if tender_row:
        keys = ("tender_id", "procedure", "award_criteria", "price_weight", "number_of_tenderers", "award_date")
        report.add(
            "How it was awarded", bullets=[f"{k.replace('_', ' ')}: {tender_row[k]}" for k in keys if k in tender_row]
        )
    own = kpis[kpis["contract_id"].astype("str") == cid].copy()
    if own.empty:
        report.add(
            "KPIs and targets", paragraphs=["No KPIs are recorded for this contract: agree them before go-live."]
        )
    else:
        tol = (
            pd.to_numeric(own["tolerance_pct"], errors="coerce").fillna(AMBER_TOLERANCE_PCT)
            if "tolerance_pct" in own
            else pd.Series(AMBER_TOLERANCE_PCT, index=own.index)
        )
        own["amber down to"] = amber_limits(own["target"].astype("float64"), own["direction"], tol).round(2)
        columns = [
            col
            for col in ("kpi_id", "name", "unit", "target", "direction", "tolerance_pct", "amber down to")
            if col in own.columns
        ]
        report.add(
            "KPIs and targets",
            paragraphs=[
                "Green meets the target; amber is worse but within the tolerance (up to the 'amber down to' value); "
                "red is worse than that. 'amber down to' is the limit on the worse side (above the target when "
                "lower is better)."
            ],
            table=own[columns].reset_index(drop=True),
        )
    terms = [c.get(k) for k in ("service_credit_pct", "service_credit_cap_pct", "monthly_charge_eur")]
    if any(is_missing(t) for t in terms):
        report.add(
            "Service credits",
            paragraphs=[
                "The contract register gives no service-credit %, cap or monthly charge for this contract, so "
                "the credit for a red KPI is unknown: add them from the contract."
            ],
        )
    else:
        pct, cap, charge = (float(t) for t in terms)
        report.add(
            "Service credits",
            bullets=[
                f"{pct:g} % of the monthly charge for each red KPI in a month "
                f"({money(charge * pct / 100)} per red KPI).",
                f"Capped at {cap:g} % of that month's charge ({money(charge * cap / 100)}); reading the cap per month "
                "is course design: check the contract's wording.",
                "A missing return is chased, not credited (course design).",
            ],
        )
    promised = commitments[commitments["contract_id"].astype("str") == cid]
    if promised.empty:
        report.add("Social value commitments", paragraphs=["No social-value commitments are recorded."])
    else:
        table = promised.drop(columns="contract_id").reset_index(drop=True)
        table["per month (even pace)"] = (pd.to_numeric(table["committed_total"]) / term).round(2)
        report.add("Social value commitments", table=table)
    reviews = review_dates(start, end)
    plan = reprocurement_planning_date(end)
    report.add(
        "Review dates (course design)",
        bullets=[
            f"Quarterly reviews: {', '.join(d.isoformat() for d in reviews[:4])}"
            + (f" and {len(reviews) - 4} more to {reviews[-1].isoformat()}" if len(reviews) > 4 else ""),
            f"Start planning the re-procurement by {plan.isoformat()} "
            f"({PLAN_REPROCUREMENT_MONTHS} months before the end)",
            f"Contract end: {end.isoformat()}",
        ],
    )
    report.add(
        "Hand-over checklist",
        paragraphs=[
            "The procurement team hands the contract to the contract manager formally before go-live "
            "(Scottish Procurement Journey, a good-practice guide). Tick each item at the hand-over meeting:"
        ],
        bullets=[
            "[ ] Signed contract, tender documents and the winning bid handed over",
            "[ ] KPIs, targets and tolerance bands understood by the contract manager and the supplier",
            "[ ] Monthly KPI return format and due date agreed with the supplier",
            "[ ] Service-credit clause and cap explained",
            "[ ] Social-value measures, reporting and evidence agreed",
            "[ ] Review meetings in the calendar",
            "[ ] Re-procurement planning date in the calendar",
        ],
    )
    return report
