"""What each fictional course city is built to look like (course design).

Who the city is (name, population, region, postcode prefixes), how big its data
is, and the shape of its spend: the yearly total and the shares by where the
supplier is, by size and by kind. The data generator (`helpers.datagen`) makes
the shipped data from these figures, and the ledgers match them to within a
percentage point; module 1 starts its estimator from them (no ledger is read
there). All invented: names, places and figures are course design.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CityConfig:
    """One fictional city: who it is, its dialect, and the shape of its spend (course design)."""

    city: str
    code: str
    name: str
    population: int
    region: str
    city_prefixes: tuple[str, ...]
    region_places: tuple[tuple[str, str], ...]
    n_suppliers: int
    lines_per_year: int
    annual_spend_eur: float
    # spend shares by value per year: (city, rest of region, rest of country, abroad)
    location_shares: dict[int, tuple[float, float, float, float]]
    sme_share: float
    social_share: float
    top10_share: float
    n_tenders: int
    n_contracts: int


CITIES: tuple[CityConfig, ...] = (
    CityConfig(
        "portavera",
        "PV",
        "Portavera",
        310_000,
        "Costa Alta",
        ("460", "461", "462"),
        (
            ("463", "Playa Serena"),
            ("464", "San Amaro"),
            ("465", "Puerto Lindo"),
            ("466", "Villa Cerdá"),
            ("467", "Montealto"),
            ("468", "Riomar"),
        ),
        1800,
        55_000,
        260e6,
        {2024: (0.24, 0.25, 0.43, 0.08), 2025: (0.26, 0.27, 0.40, 0.07)},
        0.35,
        0.05,
        0.37,
        120,
        15,
    ),
    CityConfig(
        "valmora",
        "VM",
        "Valmora",
        45_000,
        "Valle Sereno",
        ("280",),
        (("281", "Torreblanca"), ("282", "Campofrío"), ("283", "Las Eras"), ("284", "Olmedal")),
        450,
        8_000,
        32e6,
        {2024: (0.38, 0.24, 0.33, 0.05), 2025: (0.40, 0.24, 0.31, 0.05)},
        0.48,
        0.07,
        0.33,
        24,
        4,
    ),
    CityConfig(
        "nordhaven",
        "NH",
        "Nordhaven",
        900_000,
        "Nordmark",
        ("100", "101", "102", "103", "104"),
        (("105", "Vestby"), ("106", "Lindholm"), ("107", "Skarpvik"), ("108", "Havnby"), ("109", "Ekeberg")),
        2600,
        20_000,
        900e6,
        {2024: (0.22, 0.20, 0.49, 0.09), 2025: (0.23, 0.21, 0.47, 0.09)},
        0.24,
        0.04,
        0.40,
        40,
        5,
    ),
)
CITY_BY_ID = {c.city: c for c in CITIES}
