"""Module 4's supplier register, placed: levels, SMEs, local SMEs and CPV divisions (a small register shared
with the lotting and opportunity-matrix tests)."""

from __future__ import annotations

import pandas as pd

from helpers.strategy.suppliers import cpv_division_of, place_suppliers

REGISTER = pd.DataFrame(
    {
        "supplier_id": list("ABCDEFGH"),
        "name": [f"Firm {c}" for c in "ABCDEFGH"],
        "postcode": ["46012", "46300", "46101", "46001", "50001", "46002", "46003", "46004"],
        "country": ["XM", "XM", "XM", "XM", "XM", "DE", "XM", "XM"],
        "size_class": ["small", "micro", "medium", "large", "small", "small", "small", "small"],
        "turnover_eur": [150_000, 100_000, 200_000, 10_000_000, 1_000_000, 1_000_000, 1_000_000, None],
        "cpv_division": ["37", "37", 37, "37", "37", "37", "45", "37"],
    }
)
# Local SMEs in division 37: A (city), B (region), C (city), H (city, turnover unknown) = 4.
# D is large, E is elsewhere in the country, F is abroad (DE) though its postcode starts 460, G is division 45.
GEOGRAPHY = pd.DataFrame(
    {
        "postcode_prefix": ["460", "461", "463", "500"],
        "place": ["Portavera", "Portavera", "Playa", "Norte"],
        "level": ["city", "city", "region", "country"],
    }
)


def test_place_suppliers_levels():
    placed = place_suppliers(REGISTER, GEOGRAPHY).set_index("supplier_id")
    assert placed["level"].to_dict() == {
        "A": "city",
        "B": "region",
        "C": "city",
        "D": "city",
        "E": "country",
        "F": "abroad",
        "G": "city",
        "H": "city",
    }
    assert placed["local_sme"].sum() == 4 + 1  # A, B, C, H and G (division 45)


def test_cpv_division_of():
    assert [cpv_division_of(v) for v in ("37", 37, "37535200-9", "3", "03000000-1", 45.0)] == [
        "37",
        "37",
        "37",
        "03",
        "03",
        "45",
    ]
