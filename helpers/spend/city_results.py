"""A course city's spend analysis in words: the notebook's key result line, the data-quality
facts of its ledger, and the module's self-check computations."""

from __future__ import annotations

import pandas as pd

from helpers.core.fmt import pct
from helpers.data import city_info
from helpers.learning.registry import self_check
from helpers.spend.cleaning import lines_and_total
from helpers.spend.pipeline import analyse_city


def headline_summary(city: str = "portavera", year: int = 2025) -> str:
    """One line of a course city's headline shares (rounded to 0.1 pp): the notebook's key result."""
    head = analyse_city(city, int(year)).headline()
    return (
        f"{city_info(city)['name']} {int(year)}: in the city {pct(head['local_share_city'])}; "
        f"city + region {pct(head['local_share_region'])}; SMEs {pct(head['sme_share'])}; "
        f"social economy {pct(head['social_economy_share'])}; location unknown "
        f"{pct(head['unknown_location_share'])}; top 10 suppliers {pct(head['top10_share'])}; "
        f"HHI {head['hhi']:,.0f}"
    )


def data_quality_facts(city: str = "portavera", year: int = 2025) -> pd.DataFrame:
    """The data-quality numbers of a course ledger: redactions, missing postcodes, credit notes, duplicates."""
    analysis = analyse_city(city, int(year))
    p, report = analysis.payments, analysis.report
    missing = p["postcode"].isna()
    rows = [
        ("payment lines kept", f"{report.rows_kept:,} of {report.rows_read:,} read"),
        ("credit notes (negative lines, kept)", lines_and_total(report.credit_notes)),
        ("supplier name redacted (kept, grouped by supplier number)", lines_and_total(report.redacted)),
        (
            "no postcode in the ledger",
            f"{int(missing.sum()):,} lines ({pct(missing.mean())}); "
            f"{int((missing & p['level'].ne('unknown')).sum()):,} placed "
            "with the register's postcode",
        ),
        ("possible duplicates (kept, to check)", lines_and_total(report.duplicates)),
        ("matched to the supplier register", f"{pct((p['register_match'] != 'none').mean())} of lines"),
    ]
    return pd.DataFrame(rows, columns=["check", "what the cleaning report found"])


@self_check("city-share-pct")
def city_share_pct(city: str = "portavera", year: int = 2025) -> float:
    """Share of a course city's spend with suppliers in the city, in percent."""
    return analyse_city(city, int(year)).headline()["local_share_city"] * 100


@self_check("sme-share-pct")
def sme_share_pct(city: str = "portavera", year: int = 2025) -> float:
    """Share of a course city's spend with SMEs, in percent."""
    return analyse_city(city, int(year)).headline()["sme_share"] * 100
