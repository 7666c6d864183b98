"""Contracts from the awarded tenders, their KPIs and monthly returns, and the social-value tables.

Returns are drawn green, amber or red and given values that the monitoring
stage's one RAG rule (`helpers.monitoring.rag_status`) rates that way, so the
dashboard of module 7 shows what the data was built to show. The playground
contract is featured: one red KPI in March 2026, the worked service-credit example.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from helpers.data.design import CITIES
from helpers.datagen.reference import CATEGORIES, LAST_KPI_PERIOD, rng_for
from helpers.datagen.tenders import FEATURED_TENDERS
from helpers.monitoring import rag_status  # the one RAG rule: the data is built to follow it

PEOPLE = (
    "Elena Marsal",
    "Tomás Ribeiro",
    "Lucía Ferrán",
    "Jordi Almena",
    "Marta Quintana",
    "Iker Soler",
    "Ana Belmonte",
    "Pau Casals",
    "Sofía Herrera",
    "David Olmos",
    "Clara Vidal",
    "Rubén Nieto",
)
KPI_TEMPLATES = {  # main category -> (name, unit, target, direction, tolerance_pct)
    "works": (
        ("Milestones completed on schedule", "%", 90.0, "higher", 10.0),
        ("Defects fixed within 10 working days", "%", 95.0, "higher", 5.0),
        ("Reportable safety incidents per month", "count", 1.0, "lower", 100.0),
        ("Residents' complaints per month", "count", 5.0, "lower", 40.0),
    ),
    "services": (
        ("Service visits completed as scheduled", "%", 98.0, "higher", 3.0),
        ("Invoice queries resolved within 24 hours", "%", 95.0, "higher", 5.0),
        ("Emergency response time", "hours", 4.0, "lower", 25.0),
        ("User satisfaction score", "score 1-5", 4.0, "higher", 10.0),
    ),
    "goods": (
        ("Orders delivered complete and on time", "%", 97.0, "higher", 5.0),
        ("Items returned as faulty", "%", 2.0, "lower", 50.0),
        ("Invoice queries resolved within 24 hours", "%", 95.0, "higher", 5.0),
    ),
}
FEATURED_KPIS = {
    "PV-C-2025-017": (
        ("Repair response time", "hours", 48.0, "lower", 25.0),
        ("Safety inspections completed on schedule", "%", 98.0, "higher", 5.0),
        ("Equipment available for use", "%", 97.0, "higher", 3.0),
        ("Complaints resolved within 10 working days", "%", 90.0, "higher", 10.0),
    ),
    "PV-C-2024-009": (
        ("Meals served on time", "%", 98.0, "higher", 3.0),
        ("Menus meeting the nutrition standard", "%", 100.0, "higher", 5.0),
        ("Locally sourced food by value", "%", 30.0, "higher", 15.0),
        ("Pupil satisfaction score", "score 1-5", 4.0, "higher", 10.0),
        ("Complaints per 10,000 meals", "count", 5.0, "lower", 20.0),
    ),
}
FEATURED_TERMS = {"PV-C-2025-017": 48, "PV-C-2024-009": 36}  # months
SV_MEASURES = (
    ("local_hires", "people"),
    ("apprenticeships", "people"),
    ("local_subcontract_spend_eur", "EUR"),
    ("training_hours", "hours"),
    ("co2_tonnes_saved", "tCO2e"),
)


def _months(start: date, last: str) -> list[str]:
    y, m = start.year, start.month
    out = []
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    return date(d.year + y, m + 1, 1)


def _kpi_value(rng: np.random.Generator, target: float, direction: str, tol: float, status: str, unit: str) -> float:
    band = target * tol / 100
    cap = 100.0 if unit == "%" else 5.0 if unit.startswith("score") else None
    sign = 1 if direction == "higher" else -1
    if status == "green":
        room = (cap - target) if (cap is not None and direction == "higher") else target * 0.3
        v = target + sign * float(rng.uniform(0.0, 1.0)) * room
    elif status == "amber":
        v = target - sign * band * float(rng.uniform(0.15, 0.85))
    else:
        v = target - sign * (band + max(band, target * 0.05) * float(rng.uniform(0.2, 1.5)))
    v = round(max(v, 0.0), 0 if unit == "count" else 2)
    if status == "green" and rag_status(v, target, direction, tol) != "green":
        v = target  # rounding crossed the target
    return float(v)


def make_contracts(tenders: list[dict], bids: list[dict], suppliers_by_city: dict[str, list[dict]]):
    """Contracts from awarded tenders, their KPIs, monthly returns and social-value tables."""
    contracts, kpis, returns, sv_commit, sv_deliv = [], [], [], [], []
    winners = {(b["tender_id"]): b for b in bids if b["winner"] and b["lot"] == 1}
    for ci, cfg in enumerate(CITIES):
        rng = rng_for(ci, 20)
        sups = {s["supplier_id"]: s for s in suppliers_by_city[cfg.city]}
        eligible = [
            t
            for t in tenders
            if t["city"] == cfg.city
            and t["status"] == "complete"
            and t["tender_id"] in winners
            and t["tender_id"] not in FEATURED_TENDERS
            and date(2023, 3, 1) <= t["award_date"] <= date(2025, 12, 31)
        ]
        n_pick = cfg.n_contracts - (2 if cfg.city == "portavera" else 0)
        pick = sorted(rng.choice(len(eligible), n_pick, replace=False).tolist())
        chosen = [eligible[i] for i in pick]
        if cfg.city == "portavera":
            chosen += [t for t in tenders if t["tender_id"] in FEATURED_TENDERS]
        chosen.sort(key=lambda t: t["tender_id"])
        for k, t in enumerate(chosen):
            contract, term = _contract(t, winners[t["tender_id"]], sups, rng, renewal_due=k == 0)
            contracts.append(contract)
            cid, start, end = contract["contract_id"], contract["start_date"], contract["end_date"]
            periods = [p for p in _months(start, LAST_KPI_PERIOD) if p <= f"{end:%Y-%m}"]
            _kpis_and_returns(cid, t["main_category"], periods, rng, kpis, returns)
            _social_value(cid, contract["value_eur"], term, periods, rng, sv_commit, sv_deliv)
    return contracts, kpis, returns, sv_commit, sv_deliv


def _contract(
    t: dict, win: dict, sups: dict[str, dict], rng: np.random.Generator, *, renewal_due: bool
) -> tuple[dict, int]:
    """The contract row for one awarded tender (lot 1's winner), and its term in months."""
    cid = t["tender_id"].replace("-T-", "-C-")
    # work starts on the first of a month after the award and a 10-day standstill
    start = _add_months(t["award_date"] + timedelta(10), 1 + int(rng.integers(0, 2)))
    term = int(rng.choice([24, 36, 48]))
    if cid in FEATURED_TERMS:
        start = _add_months(t["award_date"] + timedelta(10), 1)
        term = FEATURED_TERMS[cid]
    end = _add_months(start, term) - timedelta(1)
    if renewal_due:  # one contract ends within six months of the data extract: a renewal decision
        end = date(2027, 3, 31)
        term = (end.year - start.year) * 12 + end.month - start.month + 1
    value = float(win["price_eur"])  # the contract for lot 1
    monthly = round(value / term, 2)
    service_area = {"37": "Environment & Parks", "55": "Education"}.get(
        t["cpv_code"][:2], next((c[3][0] for c in CATEGORIES if c[1] == t["cpv_code"][:2]), "Corporate Services")
    )
    return {
        "contract_id": cid,
        "tender_id": t["tender_id"],
        "city": t["city"],
        "title": t["title"],
        "supplier_id": win["bidder_id"],
        "supplier_name": sups[win["bidder_id"]]["name"],
        "service_area": service_area,
        "cpv_code": t["cpv_code"],
        "value_eur": value,
        "monthly_charge_eur": monthly,
        "start_date": start,
        "end_date": end,
        "contract_owner": PEOPLE[int(rng.integers(len(PEOPLE)))],
        "contract_manager": PEOPLE[int(rng.integers(len(PEOPLE)))],
        "service_credit_pct": 3.0 if cid == "PV-C-2025-017" else float(rng.choice([2.0, 2.5, 3.0, 4.0, 5.0])),
        "service_credit_cap_pct": 12.0 if cid == "PV-C-2025-017" else float(rng.choice([10.0, 12.0, 15.0])),
    }, term


def _kpis_and_returns(
    cid: str, main_category: str, periods: list[str], rng: np.random.Generator, kpis: list[dict], returns: list[dict]
) -> None:
    """The contract's KPIs and their monthly returns (a few months missing), added to `kpis` and `returns`."""
    templates = FEATURED_KPIS.get(cid) or KPI_TEMPLATES[main_category][: int(rng.integers(3, 5))]
    red_rate = float(rng.uniform(0.03, 0.12))
    missing_months = (
        set(rng.choice(len(periods), min(len(periods), int(rng.integers(0, 3))), replace=False).tolist())
        if cid != "PV-C-2025-017"
        else set()
    )
    for j, (name, unit, target, direction, tol) in enumerate(templates):
        kid = f"K{j + 1}"
        kpis.append(
            {
                "contract_id": cid,
                "kpi_id": kid,
                "name": name,
                "unit": unit,
                "target": target,
                "direction": direction,
                "tolerance_pct": tol,
            }
        )
        for pi, period in enumerate(periods):
            if pi in missing_months or (rng.random() < 0.03 and period != "2026-03"):
                continue
            draw = rng.random()
            status = "red" if draw < red_rate else "amber" if draw < red_rate + 0.14 else "green"
            if cid == "PV-C-2025-017" and period == "2026-03":
                status = "red" if j == 0 else "green"
            reported = _kpi_value(rng, target, direction, tol, status, unit)
            if cid == "PV-C-2025-017" and period == "2026-03" and j == 0:
                reported = 72.0  # the worked example: one red KPI in March 2026
            returns.append({"contract_id": cid, "kpi_id": kid, "period": period, "value": reported})


def _social_value(
    cid: str,
    value: float,
    term: int,
    periods: list[str],
    rng: np.random.Generator,
    sv_commit: list[dict],
    sv_deliv: list[dict],
) -> None:
    """The contract's social-value commitments and monthly delivery (some behind their pace)."""
    pace = float(rng.uniform(0.55, 0.8)) if rng.random() < 0.35 else float(rng.uniform(0.9, 1.2))
    measures = (
        SV_MEASURES
        if cid in FEATURED_KPIS
        else [SV_MEASURES[i] for i in sorted(rng.choice(5, int(rng.integers(3, 6)), replace=False).tolist())]
    )
    for measure, unit in measures:
        per_year = {
            "local_hires": max(1, round(value / 400_000)),
            "apprenticeships": max(1, round(value / 900_000)),
            "local_subcontract_spend_eur": round(value * 0.12 / (term / 12), -2),
            "training_hours": max(20, round(value / 5_000, -1)),
            "co2_tonnes_saved": round(max(2.0, value / 60_000), 1),
        }[measure]
        committed = per_year * term / 12
        committed = (
            round(committed)
            if unit in ("people", "hours")
            else round(committed, -2)
            if unit == "EUR"
            else round(committed, 1)
        )
        committed = max(committed, 1)
        sv_commit.append({"contract_id": cid, "measure": measure, "unit": unit, "committed_total": committed})
        m_pace = 0.6 if (cid == "PV-C-2025-017" and measure == "local_subcontract_spend_eur") else pace
        carry = 0.0
        for period in periods:
            expected = committed / term * m_pace * float(rng.uniform(0.6, 1.4))
            if unit == "people":
                carry += expected
                delivered = float(int(carry))
                carry -= delivered
            elif unit == "hours":
                delivered = float(round(expected))
            else:
                delivered = round(expected, 2)
            sv_deliv.append({"contract_id": cid, "period": period, "measure": measure, "delivered": delivered})
