"""Enrich clean payments: who the supplier really is, how big, where, and in which sector.

The ledger from `ingest.read_ledger` says what was paid to which name. Spend
analysis (brief §2.1) needs more facts per payment, added in four steps, each in
its own module and gathered here so the steps read in order:

1. `group_payments` (`suppliers`): the supplier behind the name variants;
2. `join_register` (`register`): the supplier's size and social-economy status;
3. `place_payments` (`geography`): where the supplier is based, at the analysis's levels;
4. `assign_sector` (`sectors`): the sector of what was bought.

Everything works on the distinct values of a column and maps the answers back with
vectorised pandas operations (`columns.per_unique`), so a ledger of a million lines
enriches in seconds. Course design choices are marked "course design" in the docstrings.
"""

from __future__ import annotations

from helpers.spend.columns import UNKNOWN
from helpers.spend.geography import (
    DEFAULT_LEVELS,
    GeographyLevels,
    crown_dependencies,
    geography_from_uk_outcodes,
    place_payments,
    uk_outcode,
)
from helpers.spend.register import REGISTER_COLUMNS, SIZE_CLASSES, join_register, match_report
from helpers.spend.sectors import UNCLASSIFIED, assign_sector, cpv_division
from helpers.spend.suppliers import group_payments, legal_forms, normalise_supplier_name, supplier_groups

__all__ = [
    "DEFAULT_LEVELS",
    "GeographyLevels",
    "REGISTER_COLUMNS",
    "SIZE_CLASSES",
    "UNCLASSIFIED",
    "UNKNOWN",
    "assign_sector",
    "cpv_division",
    "crown_dependencies",
    "geography_from_uk_outcodes",
    "group_payments",
    "join_register",
    "legal_forms",
    "match_report",
    "normalise_supplier_name",
    "place_payments",
    "supplier_groups",
    "uk_outcode",
]
