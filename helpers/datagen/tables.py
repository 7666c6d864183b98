"""The small tables as CSV bytes: UTF-8, LF line ends, booleans as true/false, dates as ISO text."""

from __future__ import annotations

import csv
import io
from datetime import date

from helpers.data.design import CITIES, CityConfig
from helpers.datagen.reference import CATEGORIES, COUNTRY_PLACES, CPV_DIVISIONS


def csv_bytes(columns: list[str], rows: list[list]) -> bytes:
    """A small table as UTF-8 CSV with LF endings; booleans as true/false, floats pre-formatted."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["true" if v is True else "false" if v is False else v for v in row])
    return out.getvalue().encode("utf-8")


def suppliers_csv(suppliers: list[dict]) -> bytes:
    cols = [
        "supplier_id",
        "name",
        "vat_number",
        "postcode",
        "country",
        "size_class",
        "employees",
        "turnover_eur",
        "social_economy",
        "social_economy_type",
        "nace_section",
        "cpv_division",
    ]
    rows = [[s[c] if c != "turnover_eur" else f"{s[c]:.0f}" for c in cols] for s in suppliers]
    return csv_bytes(cols, rows)


def geography_csv(cfg: CityConfig) -> bytes:
    rows = [[p, cfg.name, "city"] for p in cfg.city_prefixes]
    rows += [[p, place, "region"] for p, place in cfg.region_places]
    others: list[tuple[str, str]] = list(COUNTRY_PLACES)
    for other in CITIES:
        if other is not cfg:
            others += [(p, other.name) for p in other.city_prefixes] + list(other.region_places)
    rows += [[p, place, "country"] for p, place in sorted(others)]
    return csv_bytes(["postcode_prefix", "place", "level"], rows)


def cpv_divisions_csv() -> bytes:
    return csv_bytes(["division", "code", "name"], [list(r) for r in CPV_DIVISIONS])


def category_cpv_csv() -> bytes:
    return csv_bytes(["expense_category", "division"], [[c[0], c[1]] for c in CATEGORIES])


def _cell(value) -> object:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.2f}"
    return value


def table_csv(rows: list[dict], columns: list[str]) -> bytes:
    """Rows of dicts as CSV bytes in `columns` order: None blank, dates ISO, floats with two decimals."""
    return csv_bytes(columns, [[_cell(r[c]) for c in columns] for r in rows])
