"""A course city's spend analysis in words: the notebook's key result line, the data-quality
facts of its ledger, and the module's self-check computations."""

from __future__ import annotations

import pandas as pd

from helpers.core.fmt import number, pct
from helpers.data import city_info
from helpers.learning.registry import self_check
from helpers.spend.cleaning import lines_and_total
from helpers.spend.pipeline import analyse_city, analysis_for
from helpers.spend.shares import headline_shares


def headline_summary(city: str = "portavera", year: int = 2025, ledger=None) -> str:
    """One line of the headline shares (rounded to 0.1 pp) of a course city, or of the learner's `ledger`:
    the notebook's key result. A share the data cannot give is "unknown", never 0%."""
    analysis = analysis_for(city, int(year), ledger)
    head = analysis.headline()
    share = {key: s.text() for key, s in headline_shares(head).items()}
    label = analysis.source if ledger else f"{city_info(city)['name']} {int(year)}"
    return (
        f"{label}: in the city {share['local_share_city']}; "
        f"city + region {share['local_share_region']}; SMEs {share['sme_share']}; "
        f"social economy {share['social_economy_share']}; location unknown "
        f"{share['unknown_location_share']}; top 10 suppliers {share['top10_share']}; "
        f"HHI {number(head['hhi'])}"
    )


def data_quality_facts(city: str = "portavera", year: int = 2025, ledger=None) -> pd.DataFrame:
    """The data-quality numbers of a course ledger (or the learner's `ledger`): redactions, missing
    postcodes, credit notes, duplicates."""
    analysis = analysis_for(city, int(year), ledger)
    p, report = analysis.payments, analysis.report
    missing = p["postcode"].isna()
    rows = [
        ("payment lines kept", f"{report.rows_kept:,} of {report.rows_read:,} read"),
        ("period", report.period_text()),
        ("amounts on dropped lines (not payments)", report.dropped_text()),
        ("credit notes (negative lines, kept)", lines_and_total(report.credit_notes)),
        ("supplier name redacted (kept, grouped by supplier number)", lines_and_total(report.redacted)),
        (
            "no postcode in the ledger",
            f"{int(missing.sum()):,} lines ({pct(missing.mean())}); "
            f"{int((missing & p['level'].ne('unknown')).sum()):,} placed "
            "with the register's postcode",
        ),
        ("possible duplicates (kept, to check)", lines_and_total(report.duplicates)),
        (
            "matched to the supplier register",
            f"{pct((p['register_match'] != 'none').mean())} of lines" if "register_match" in p else "no register",
        ),
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
