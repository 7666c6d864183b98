"""What the health check could check: for each red flag, the tenders it applied to, and for the others why not
(no procedure, a procedure the flag is not about, no tender period, no bidder count, buyer outside the EU…).

A flag that could not be checked on a tender is never counted as "not flagged": the views say "not checked"
and why, so that data without (say) bidder counts never reads as "0 single bids".
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from helpers.preprocurement.buyer_countries import in_eu, minimums_law_label

NO_PROCEDURE = "no procedure published"
UNKNOWN_PROCEDURE = "procedure not recognised"
NOT_OPEN = "not an open procedure"
NOT_OPEN_OR_RESTRICTED = "not an open or restricted procedure"
NO_MINIMUM = "no legal minimum period for this procedure"
NO_PERIOD = "no tender period"
BAD_PERIOD = "tender period ends before it starts"
NO_COUNT = "no bidder count"
OUTSIDE_EU = "buyer outside the EU (the Directive's minimums are not law there)"
COUNTRY_UNKNOWN = "buyer's country not published"
COUNTRY_UNRECOGNISED = "buyer's country not recognised"
NO_BIDS = "no bids published"
FEW_BIDS = "fewer than two valid bids with a price"
NO_WINNER = "no winner among the valid bids"
WINNER_NOT_LOWEST = "winner is not the lowest valid bid"
NO_PRICE = "winning price is zero or negative"
FEW_GAPS = "fewer than {n} tenders with a winning gap in the data, so the fence cannot be computed"

# what the data lacks, how to test it on the flags table, and what to add
MISSING = (
    ("procedure", "the procedure of each tender (OCDS tender.procurementMethod)"),
    ("tender period", "the tender period (OCDS tender.tenderPeriod start and end dates)"),
    ("bidder count", "the number of bidders (OCDS tender.numberOfTenderers or bids.details)"),
    ("buyer's country", "the buyer's country (OCDS buyer or parties address.countryName)"),
    ("bids", "the bids with their prices and the winner (OCDS bids.details and awards)"),
)


def procedure_reason(procedure: Any, published: Any) -> str | None:
    """Why a tender's procedure is unknown (None when the course recognises it)."""
    if isinstance(procedure, str) and procedure:
        return None
    return UNKNOWN_PROCEDURE if isinstance(published, str) and published.strip() else NO_PROCEDURE


def period_reason(days: Any) -> str | None:
    """Why a tender's submission period cannot be used (None when it can)."""
    if pd.isna(days):
        return NO_PERIOD
    return BAD_PERIOD if days < 0 else None


def buyer_reason(country: Any, assumed_in_eu: bool) -> str | None:
    """Why the Directive's minimums are not applied to this buyer (None when the buyer is in the EU)."""
    if assumed_in_eu:
        return None
    if not isinstance(country, str) or not country.strip():
        return COUNTRY_UNKNOWN
    inside = in_eu(country)
    if inside is None:
        return COUNTRY_UNRECOGNISED
    return None if inside else OUTSIDE_EU


def first_reason(*reasons: str | None) -> str | None:
    """The first reason that applies (each tender is counted once, under the first thing that stops the check)."""
    return next((r for r in reasons if r), None)


def lot_gap(prices: list[float], winner_prices: list[float]) -> tuple[float | None, str | None]:
    """(gap, None) for a lot: (second-lowest valid bid - winning bid) / winning bid; or (None, why not)."""
    if len(prices) < 2:
        return None, FEW_BIDS
    if not winner_prices:
        return None, NO_WINNER
    win, ordered = min(winner_prices), sorted(prices)
    if win > ordered[0]:
        return None, WINNER_NOT_LOWEST
    if win <= 0:
        return None, NO_PRICE
    return (ordered[1] - win) / win, None


def flag_coverage(flags: pd.DataFrame, codes: list[str], titles: dict[str, str]) -> list[dict]:
    """Per flag: `{"flag", "title", "applicable", "flagged", "not_applicable", "why_not": {reason: count}}`
    (`why_not` largest first; `flagged` is None, not 0, when the flag applied to no tender), plus `"law"` for
    the legal-minimum flag."""
    out = []
    for code in codes:
        why = flags[f"{code}_why_not"]
        applicable = why.isna()
        counts = why[~applicable].value_counts()
        entry = {
            "flag": code,
            "title": titles[code],
            "applicable": int(applicable.sum()),
            "flagged": int(flags.loc[applicable, code].sum()) if applicable.any() else None,
            "not_applicable": int((~applicable).sum()),
            "why_not": {str(k): int(v) for k, v in sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))},
        }
        if code == "below_legal_minimum":
            entry["law"] = minimums_law_label()
        out.append(entry)
    return out


def reasons_text(why_not: dict[str, int]) -> str:
    """ "4 not an open procedure, 1 no tender period"."""
    return ", ".join(f"{n} {reason}" for reason, n in why_not.items())


def coverage_text(entry: dict) -> str:
    """One flag's line: "6 flagged of 6 checked; 5 not checked (5 not an open procedure)", or "not checked on
    any of the 10 tenders (10 no tender period)" — never "0 flagged" for a flag that could not be checked."""
    if not entry["applicable"]:
        return f"not checked on any of the {entry['not_applicable']} tenders ({reasons_text(entry['why_not'])})"
    text = f"{entry['flagged']} flagged of {entry['applicable']} checked"
    if entry["not_applicable"]:
        text += f"; {entry['not_applicable']} not checked ({reasons_text(entry['why_not'])})"
    return text


def missing_data(flags: pd.DataFrame) -> list[dict]:
    """What the data lacks, for how many tenders, and what to add: `{"missing", "tenders", "add"}` for each
    kind of data that some tenders lack (all of them are counted, not only the first reason per flag)."""
    lacks = {
        "procedure": flags["procedure_published"].isna() & flags["procedure"].eq("unknown"),
        "tender period": flags["submission_days"].isna(),
        "bidder count": flags["number_of_tenderers"].isna(),
        "buyer's country": flags["buyer_country"].isna() & ~flags.attrs.get("buyers_assumed_in_eu", True),
        "bids": flags["R058_why_not"].eq(NO_BIDS),
    }
    return [
        {"missing": what, "tenders": int(lacks[what].sum()), "add": add} for what, add in MISSING if lacks[what].any()
    ]
