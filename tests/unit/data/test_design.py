"""The design of the fictional cities agrees with what the shipped data package says about them."""

from __future__ import annotations

from helpers import data
from helpers.data.design import CITIES, CITY_BY_ID


def test_design_matches_the_data_package():
    assert [c.city for c in CITIES] == data.cities() == list(CITY_BY_ID)
    for config in CITIES:
        info = data.city_info(config.city)
        assert (info["name"], info["population"], info["region"], info["id_prefix"]) == (
            config.name,
            config.population,
            config.region,
            config.code,
        )
        assert info["city_postcode_prefixes"] == list(config.city_prefixes)
        assert info["region_postcode_prefixes"] == [p for p, _ in config.region_places]


def test_spend_shape_is_the_course_design():
    pv = CITY_BY_ID["portavera"]
    assert (pv.annual_spend_eur, pv.location_shares[2025]) == (260e6, (0.26, 0.27, 0.40, 0.07))
    for config in CITIES:
        for year, shares in config.location_shares.items():
            assert abs(sum(shares) - 1) < 1e-9, (config.city, year)
