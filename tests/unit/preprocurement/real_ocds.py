"""Expected health-check figures for the real OCDS sets in ../shared/data/real, computed here independently of
helpers/ with plain json walking (no pandas, no course code), so the tests compare two computations."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

# one folder per publisher and form; SOURCES.md in the real-data folder describes each
REAL_SETS = [
    "ocds_ukraine_prozorro/records",
    "ocds_ukraine_prozorro/releases",
    "ocds_more/montreal_city/records",
    "ocds_more/montreal_city/releases",
    "ocds_more/mexico_city/records",
    "ocds_more/mexico_city/releases",
    "ocds_more/paraguay_dncp/records",
    "ocds_more/paraguay_dncp/releases",
]
EU = {"polska", "deutschland", "france", "españa", "italia"}  # none of the real buyers is in the EU


def _releases(data) -> list[dict]:
    if isinstance(data, list):
        return [r for item in data for r in _releases(item)]
    if "records" in data:
        return _releases(data["records"])
    if "compiledRelease" in data:
        return [data["compiledRelease"]]
    if "releases" in data:
        return [r for r in data["releases"] if "ocid" in r and ("tender" in r or "date" in r)]
    return [data] if "ocid" in data else []


def _processes(folder: Path) -> tuple[dict[str, dict], int]:
    """ocid -> merged release (tender, bids, awards, buyer, parties: later dates win, tender merged key by key),
    and the number of files that are not readable JSON."""
    by_ocid: dict[str, list[dict]] = {}
    unreadable = 0
    for path in sorted(folder.glob("*.json")):
        raw = path.read_bytes()
        try:
            data = json.loads(raw.decode("utf-8-sig"))
        except (ValueError, UnicodeDecodeError):
            unreadable += 1
            continue
        for release in _releases(data):
            by_ocid.setdefault(release["ocid"], []).append(release)
    merged = {}
    for ocid, releases in by_ocid.items():
        out: dict = {}
        for release in sorted(releases, key=lambda r: str(r.get("date") or "")):
            for key, value in release.items():
                if key == "tender" and isinstance(out.get("tender"), dict) and isinstance(value, dict):
                    out["tender"] = {**out["tender"], **{k: v for k, v in value.items() if v is not None}}
                elif value is not None:
                    out[key] = value
        if isinstance(out.get("tender"), dict):
            merged[ocid] = out
    return merged, unreadable


def _bidder_count(process: dict) -> int | None:
    tender = process["tender"]
    if isinstance(tender.get("numberOfTenderers"), int):
        return tender["numberOfTenderers"]
    details = (process.get("bids") or {}).get("details") or []
    names = {(b.get("tenderers") or [{}])[0].get("id") or str((b.get("tenderers") or [{}])[0]) for b in details}
    if names:
        return len(names)
    tenderers = tender.get("tenderers") or []
    return len({p.get("id") or p.get("name") for p in tenderers}) or None


def _days(tender: dict) -> int | None:
    period = tender.get("tenderPeriod") or {}
    start, end = period.get("startDate") or tender.get("datePublished"), period.get("endDate")
    if not (start and end):
        return None
    return (dt.date.fromisoformat(end[:10]) - dt.date.fromisoformat(start[:10])).days


def _country(process: dict) -> str | None:
    country = ((process.get("buyer") or {}).get("address") or {}).get("countryName")
    for party in process.get("parties") or []:
        if not country and "buyer" in (party.get("roles") or []):
            country = (party.get("address") or {}).get("countryName")
    return country


def expected(folder: Path, r003_days: int = 15) -> dict:
    """tenders, unreadable files, and per flag (applicable, flagged), plus the lots R058 could measure."""
    processes, unreadable = _processes(folder)
    out = {"tenders": len(processes), "unreadable": unreadable}
    r003 = r018 = below = (0, 0)
    priced_lots = 0
    no_method = 0
    for process in processes.values():
        tender = process["tender"]
        method = tender.get("procurementMethod")
        no_method += method is None
        days, count = _days(tender), _bidder_count(process)
        if method == "open" and days is not None and days >= 0:
            r003 = (r003[0] + 1, r003[1] + (days < r003_days))
        if method in ("open", "selective") and count is not None:
            r018 = (r018[0] + 1, r018[1] + (count == 1))
        country = _country(process)
        if method in ("open", "selective") and days is not None and str(country).lower() in EU:
            below = (below[0] + 1, below[1])
        valid = [
            b
            for b in (process.get("bids") or {}).get("details") or []
            if b.get("status") not in ("disqualified", "invalid", "withdrawn", "unsuccessful")
            and isinstance((b.get("value") or {}).get("amount"), (int, float))
        ]
        priced_lots += len(valid) >= 2
    out.update(R003=r003, R018=r018, below_legal_minimum=below, R058_lots_at_most=priced_lots, no_method=no_method)
    return out
