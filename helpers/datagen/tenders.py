"""Tenders 2023–2026 for every city, their bids, and the per-criterion marks of the featured tenders.

Procedures, deadlines, lots, statuses and the number of bidders are drawn per
city; about a fifth of the competed open and restricted tenders get a single
bid, and a few winners are heavily discounted, so the red flags of module 6
have something to find. Two Portavera tenders are featured: the playground
tender (module 6's running case) and the school meals, with fixed bids and marks.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from helpers.data.design import CITIES, CityConfig
from helpers.datagen.reference import AS_OF, rng_for

# (cpv_code, title, main category, typical estimated value EUR)
TENDER_TEMPLATES: tuple[tuple[str, str, str, float], ...] = (
    ("45233141-9", "Road maintenance works", "works", 1_800_000),
    ("45233140-2", "Resurfacing of urban roads", "works", 2_500_000),
    ("45214200-2", "Refurbishment of a primary school", "works", 3_200_000),
    ("45262700-8", "Alterations to a community centre", "works", 650_000),
    ("45453000-7", "Overhaul of a sports hall", "works", 900_000),
    ("45454100-5", "Restoration of the old market hall", "works", 1_400_000),
    ("45316110-9", "Installation of LED street lighting", "works", 1_100_000),
    ("90511000-2", "Refuse collection services", "services", 6_000_000),
    ("90611000-3", "Street-cleaning services", "services", 2_800_000),
    ("90910000-9", "Cleaning of municipal buildings", "services", 1_500_000),
    ("90919200-4", "Office cleaning services", "services", 420_000),
    ("77313000-7", "Parks maintenance services", "services", 1_200_000),
    ("77310000-6", "Planting and maintenance of green areas", "services", 600_000),
    ("50232100-1", "Street-lighting maintenance", "services", 750_000),
    ("50700000-2", "Maintenance of building installations", "services", 880_000),
    ("50112000-3", "Fleet repair and maintenance", "services", 380_000),
    ("71240000-2", "Architectural and engineering design services", "services", 310_000),
    ("71300000-1", "Engineering services for flood defences", "services", 260_000),
    ("72212000-4", "Development of a citizen services app", "services", 350_000),
    ("72267000-4", "Software maintenance and support", "services", 240_000),
    ("72222300-0", "IT support services", "services", 520_000),
    ("48000000-8", "Financial management software", "goods", 450_000),
    ("30213100-6", "Laptops for schools", "goods", 280_000),
    ("32420000-3", "Network equipment", "goods", 190_000),
    ("34144900-7", "Electric vehicles for the municipal fleet", "goods", 720_000),
    ("34928500-3", "Street-lighting equipment", "goods", 330_000),
    ("39130000-2", "Office furniture", "goods", 160_000),
    ("09310000-5", "Supply of electricity", "goods", 4_500_000),
    ("09134200-9", "Supply of diesel fuel", "goods", 850_000),
    ("15800000-6", "Food products for care homes", "goods", 300_000),
    ("66510000-8", "Insurance services", "services", 900_000),
    ("79212000-3", "Auditing services", "services", 120_000),
    ("79341000-6", "Advertising and campaign services", "services", 180_000),
    ("79710000-4", "Security services for public buildings", "services", 1_300_000),
    ("79952000-2", "Event services for the summer festival", "services", 210_000),
    ("79530000-8", "Translation services", "services", 90_000),
    ("80500000-9", "Training services for staff", "services", 140_000),
    ("85312000-9", "Home-care social work services", "services", 2_400_000),
    ("85320000-8", "Social services for older residents", "services", 1_700_000),
    ("60112000-6", "Public road transport services", "services", 3_800_000),
    ("60130000-8", "School transport services", "services", 950_000),
    ("64210000-1", "Telephone and data transmission services", "services", 600_000),
    ("92610000-0", "Operation of sports facilities", "services", 1_100_000),
    ("73000000-2", "Research on local energy transition", "services", 230_000),
    ("37535200-9", "Playground equipment for neighbourhood parks", "goods", 380_000),
    ("55523100-3", "School-meal services", "services", 2_000_000),
)
FEATURED_TENDERS = {  # id -> (cpv code, title, main category, estimated value)
    "PV-T-2025-017": ("37535200-9", "Playground equipment supply and maintenance", "goods", 1_200_000),
    "PV-T-2024-009": ("55523100-3", "School meals for municipal schools", "services", 3_600_000),
}
# featured bids: (supplier index in FEATURED_SUPPLIERS, price, marks per criterion)
FEATURED_BIDS = {
    "PV-T-2025-017": (
        40,
        (("play value", 20), ("safety and inclusive design", 15), ("maintenance plan", 15), ("social value", 10)),
        (
            (0, 1_085_000, (4, 4, 5, 4)),
            (1, 965_000, (3, 4, 3, 2)),
            (2, 1_180_000, (4, 5, 4, 5)),
            (3, 1_020_000, (4, 3, 3, 3)),
            (4, 1_190_000, (3, 3, 4, 3)),
        ),
    ),
    "PV-T-2024-009": (
        35,
        (
            ("nutrition and menu quality", 25),
            ("local and organic sourcing", 20),
            ("service delivery plan", 10),
            ("social value", 10),
        ),
        ((5, 3_420_000, (4, 5, 3, 5)), (6, 3_150_000, (3, 2, 4, 2)), (7, 3_380_000, (4, 4, 4, 3))),
    ),
}
PROCEDURES = (
    "open",
    "restricted",
    "competitive_negotiation",
    "competitive_dialogue",
    "innovation_partnership",
    "negotiated_without_publication",
)


def _bid_score(price: float, lowest: float, quality_pct: float, price_weight: float) -> float:
    """Total points with the relative-to-lowest price formula (brief §4.2, formula 1)."""
    return price_weight * lowest / price + (100 - price_weight) * quality_pct / 100


def make_tenders(suppliers_by_city: dict[str, list[dict]]) -> tuple[list[dict], list[dict], list[dict]]:
    """Tenders 2023–2026 for every city, their bids, and the per-criterion marks of the featured ones."""
    tenders: list[dict] = []
    bids: list[dict] = []
    marks: list[dict] = []
    for ci, cfg in enumerate(CITIES):
        rng = rng_for(ci, 10)
        sups = suppliers_by_city[cfg.city]
        city_rows = _draw_tenders(cfg, rng)
        _feature_tenders(city_rows)
        _set_statuses(city_rows, rng)
        # exactly ~20% single-bid among competed open/restricted tenders
        competed = [
            i
            for i, t in enumerate(city_rows)
            if t["status"] == "complete"
            and t["procedure"] in ("open", "restricted")
            and t["tender_id"] not in FEATURED_TENDERS
        ]
        single = set(rng.choice(competed, round(0.2 * len(competed)), replace=False).tolist())
        discounted = set(
            rng.choice(sorted(set(competed) - single), max(1, round(0.05 * len(competed))), replace=False).tolist()
        )
        for i, t in enumerate(city_rows):
            if t["status"] != "complete":
                continue
            if t["tender_id"] in FEATURED_BIDS:
                bids += _featured_bids(t, sups, marks)
            else:
                bids += _draw_bids(t, sups, rng, single_bid=i in single, discounted=i in discounted)
        tenders += city_rows
    return tenders, bids, marks


def _draw_tenders(cfg: CityConfig, rng: np.random.Generator) -> list[dict]:
    """The city's tenders: publication dates, procedures, values, deadlines, award criteria and lots."""
    scale = {"portavera": 1.0, "valmora": 0.25, "nordhaven": 2.5}[cfg.city]
    span = (date(2026, 9, 30) - date(2023, 1, 9)).days
    pub = sorted(date(2023, 1, 9) + timedelta(int(x)) for x in rng.integers(0, span, cfg.n_tenders))
    n = len(pub)
    proc = rng.choice(len(PROCEDURES), n, p=(0.66, 0.12, 0.08, 0.03, 0.02, 0.09))
    open_idx = np.flatnonzero(proc == 0)
    short = set(rng.choice(open_idx, max(1, round(0.06 * len(open_idx))), replace=False).tolist())
    esub = set(rng.choice(open_idx, round(0.18 * len(open_idx)), replace=False).tolist()) - short
    templates = rng.integers(0, len(TENDER_TEMPLATES) - 2, n)
    seq: dict[int, int] = {}
    city_rows = []
    for k in range(n):
        y = pub[k].year
        seq[y] = seq.get(y, 0) + 1
        tid = f"{cfg.code}-T-{y}-{seq[y]:03d}"
        cpv, title, category, value = TENDER_TEMPLATES[int(templates[k])]
        est = round(value * scale * float(rng.lognormal(0, 0.35)), -3)
        procedure = PROCEDURES[int(proc[k])]
        if procedure == "open":
            period = (
                int(rng.integers(8, 15))
                if k in short
                else int(rng.integers(30, 35))
                if k in esub
                else int(rng.integers(35, 61))
            )
        elif procedure == "restricted":
            period = int(rng.integers(60, 76))
        elif procedure == "negotiated_without_publication":
            period = int(rng.integers(10, 21))
        else:
            period = int(rng.integers(40, 71))
        price_only = category == "goods" and rng.random() < 0.5 or rng.random() < 0.1
        lots = 1 if rng.random() < 0.85 or est < 300_000 else int(rng.integers(2, 5))
        city_rows.append(
            {
                "tender_id": tid,
                "city": cfg.city,
                "title": title,
                "cpv_code": cpv,
                "procedure": procedure,
                "main_category": category,
                "estimated_value_eur": est,
                "publication_date": pub[k],
                "submission_deadline": pub[k] + timedelta(period),
                "award_date": None,
                "award_criteria": "priceOnly" if price_only else "ratedCriteria",
                "price_weight": 100 if price_only else int(rng.choice([30, 35, 40, 50, 60])),
                "lots": lots,
                "number_of_tenderers": None,
                "status": "complete",
            }
        )
    return city_rows


def _feature_tenders(city_rows: list[dict]) -> None:
    """Give the featured tenders their fixed subject, value, procedure and 42 days for tenders."""
    for tid, (cpv, title, category, est) in FEATURED_TENDERS.items():
        for t in city_rows:
            if t["tender_id"] == tid:
                t.update(
                    cpv_code=cpv,
                    title=title,
                    main_category=category,
                    estimated_value_eur=est,
                    procedure="open",
                    award_criteria="ratedCriteria",
                    lots=1,
                    price_weight=FEATURED_BIDS[tid][0],
                    submission_deadline=t["publication_date"] + timedelta(42),
                )


def _set_statuses(city_rows: list[dict], rng: np.random.Generator) -> None:
    """Award dates; tenders not yet awarded by the data's "today" are active, a few are cancelled."""
    for t in city_rows:
        wait = 25 if t["tender_id"] in FEATURED_TENDERS else int(rng.integers(25, 80))
        t["award_date"] = t["submission_deadline"] + timedelta(wait)
        if t["award_date"] > AS_OF:
            t["status"], t["award_date"] = "active", None
        elif t["tender_id"] not in FEATURED_TENDERS and rng.random() < 0.04:
            t["status"], t["award_date"] = "cancelled", None


def _featured_bids(t: dict, sups: list[dict], marks: list[dict]) -> list[dict]:
    """The featured tender's fixed bids; its per-criterion marks are added to `marks`."""
    pw, criteria, entries = FEATURED_BIDS[t["tender_id"]]
    results = []
    for sup_i, price, mk in entries:
        quality = round(sum(w * m / 5 for (_, w), m in zip(criteria, mk)) / (100 - pw) * 100, 2)
        results.append((sups[sup_i], float(price), quality))
        for (crit, w), m in zip(criteria, mk):
            marks.append(
                {
                    "tender_id": t["tender_id"],
                    "bidder_name": sups[sup_i]["name"],
                    "criterion": crit,
                    "weight": w,
                    "mark": m,
                }
            )
    t["number_of_tenderers"] = len(entries)
    return _award(t, 1, results, set())


def _draw_bids(
    t: dict, sups: list[dict], rng: np.random.Generator, *, single_bid: bool, discounted: bool
) -> list[dict]:
    """Bids on every lot of one tender from suppliers in its CPV division; sets its number of tenderers."""
    division = t["cpv_code"][:2]
    pool = [j for j, s in enumerate(sups) if s["cpv_division"] == division and not s["_individual"]]
    if len(pool) < 6:
        pool += [j for j, s in enumerate(sups) if s["size_class"] in ("medium", "large")][:30]
    if t["procedure"] == "negotiated_without_publication" or single_bid:
        n_bid = 1
    else:
        n_bid = int(min(2 + rng.poisson(2.2), 9))
    bids: list[dict] = []
    bidders_all: set[str] = set()
    for lot in range(1, t["lots"] + 1):
        chosen = rng.choice(len(pool), min(n_bid, len(pool)), replace=False)
        lot_value = t["estimated_value_eur"] / t["lots"]
        results = []
        for j in chosen:
            s = sups[pool[int(j)]]
            price = round(lot_value * float(rng.lognormal(-0.05, 0.10)), -2)
            quality = None if t["award_criteria"] == "priceOnly" else round(float(rng.uniform(50, 95)), 1)
            results.append((s, price, quality))
        if discounted and len(results) >= 2:
            results.sort(key=lambda r: r[1])
            s0, _, q0 = results[0]
            results[0] = (s0, round(results[1][1] * float(rng.uniform(0.58, 0.66)), -2), q0)
        disq = set()
        if len(results) >= 3 and rng.random() < 0.25:
            disq.add(int(rng.integers(1, len(results))))
        bids += _award(t, lot, results, disq)
        bidders_all |= {r[0]["supplier_id"] for r in results}
    t["number_of_tenderers"] = len(bidders_all)
    return bids


def _award(t: dict, lot: int, results: list, disqualified: set[int]) -> list[dict]:
    """Bid rows for one lot, the best valid score marked as winner (formula 1 of brief §4.2)."""
    valid = [i for i in range(len(results)) if i not in disqualified]
    lowest = min(results[i][1] for i in valid)
    pw = t["price_weight"]
    score = {i: _bid_score(results[i][1], lowest, results[i][2] or 0.0, pw) for i in valid}
    best = max(valid, key=lambda i: (score[i], -results[i][1]))
    return [
        {
            "tender_id": t["tender_id"],
            "lot": lot,
            "bidder_id": s["supplier_id"],
            "bidder_name": s["name"],
            "price_eur": price,
            "quality_pct": quality,
            "status": "disqualified" if i in disqualified else "valid",
            "winner": i == best,
        }
        for i, (s, price, quality) in enumerate(results)
    ]
