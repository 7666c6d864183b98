"""Module 5: read Open Contracting Data Standard (OCDS) files into the course's tender and bid tables.

Many publishers (ProZorro in Ukraine, for example) release their tenders as OCDS
JSON. `read_ocds` turns release packages, record packages, bare releases or
records, compiled releases, or lists of them, into the same columns as the
course's `tenders.csv` and `bids.csv` (see course/architecture.md), so the
past-tender health check in `helpers.preprocurement.red_flags` works on real data too.

Choices (course design, stated so a learner can check them):
- One row per `ocid` (the contracting process). A record's `compiledRelease` is
  used when present; otherwise its releases, and any separate releases of the
  same `ocid`, are merged in date order with a simple rule: later values win,
  objects are merged key by key and lists are replaced whole. (The OCDS merge
  routine also merges lists by `id`; this simpler rule is enough for tender-level fields.)
- Money stays in its own currency (column `currency`): nothing is converted, even
  though the columns keep the course's names `estimated_value_eur` and `price_eur`.
- `procedure` is `open` for OCDS `open`, `restricted` for `selective`, and the OCDS
  words `limited` / `direct` otherwise (they have no single Directive equivalent).
- `number_of_tenderers` is `tender.numberOfTenderers`; when missing it is derived
  from the distinct bidders in `bids.details`, else from `tender.tenderers`, else
  left empty (column `number_of_tenderers_from` says which).
- A bid is `valid` unless its status says otherwise (`disqualified`, `unsuccessful`,
  `invalid`, `withdrawn`) or the buyer's award to that bidder is `unsuccessful`
  (ProZorro records a rejected lowest bid this way).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from helpers.core.errors import LearnerError

TENDER_COLUMNS = [
    "tender_id",
    "city",
    "title",
    "cpv_code",
    "procedure",
    "main_category",
    "estimated_value_eur",
    "publication_date",
    "submission_deadline",
    "award_date",
    "award_criteria",
    "price_weight",
    "lots",
    "number_of_tenderers",
    "status",
    # extra columns for OCDS data
    "currency",
    "procurement_method",
    "procurement_method_details",
    "number_of_tenderers_from",
    "buyer",
    "source_file",
]
BID_COLUMNS = [
    "tender_id",
    "lot",
    "bidder_id",
    "bidder_name",
    "price_eur",
    "quality_pct",
    "status",
    "winner",
    "currency",
]

PROCEDURE_FROM_METHOD = {"open": "open", "selective": "restricted", "limited": "limited", "direct": "direct"}
NOT_VALID_BID = {
    "disqualified": "disqualified",
    "unsuccessful": "disqualified",
    "invalid": "disqualified",
    "withdrawn": "withdrawn",
}


# -- finding the releases -----------------------------------------------------------------------------
def _files(paths: str | Path | Iterable[str | Path]) -> list[Path]:
    items = [paths] if isinstance(paths, (str, Path)) else list(paths)
    files: list[Path] = []
    for item in items:
        path = Path(item)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*.json") if p.is_file())
            if not found:
                raise LearnerError(
                    "this folder holds no .json files",
                    file=str(path),
                    fix="Point to a folder of OCDS .json files, or to the files themselves",
                )
            files += found
        elif path.is_file():
            files.append(path)
        else:
            raise LearnerError("no such file or folder", file=str(path), fix="Check the path")
    if not files:
        raise LearnerError("no OCDS files were given", fix="Pass a file, a list of files or a folder")
    return files


def _load(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        raise LearnerError(
            "this file is not UTF-8 text, so it is not an OCDS JSON file",
            file=path.name,
            fix="Download the data as OCDS JSON (release or record package)",
        ) from None
    except json.JSONDecodeError as exc:
        raise LearnerError(
            f"this file is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})",
            file=path.name,
            fix="Download the data again as OCDS JSON",
        ) from None


def _is_release(obj: dict) -> bool:
    return "ocid" in obj and any(k in obj for k in ("tender", "tag", "date", "awards", "buyer", "planning"))


def _snapshots(obj: Any, file: str, issues: list[str]) -> list[dict]:
    """Every release-like dict in `obj` (each a full release or compiled release)."""
    if isinstance(obj, list):
        out = []
        for item in obj:
            out += _snapshots(item, file, issues)
        return out
    if not isinstance(obj, dict):
        raise LearnerError(
            "this JSON is not OCDS: expected objects with an `ocid`, `releases` or `records`",
            file=file,
            fix="Download the data as an OCDS release or record package",
        )
    if isinstance(obj.get("records"), list):  # record package
        return _snapshots(obj["records"], file, issues)
    if isinstance(obj.get("compiledRelease"), dict):  # a record with its compiled release
        return [obj["compiledRelease"]]
    if isinstance(obj.get("releases"), list):  # record without compiled release, or release package
        full = [r for r in obj["releases"] if isinstance(r, dict) and _is_release(r)]
        linked = len(obj["releases"]) - len(full)
        if linked:
            issues.append(f"{file}: {linked} release(s) given only as links (no content) were skipped")
        return full
    if _is_release(obj):  # bare or compiled release
        return [obj]
    raise LearnerError(
        "this JSON is not OCDS: no `ocid`, `releases` or `records` found",
        file=file,
        fix="Download the data as an OCDS release or record package",
    )


def _merge(base: dict, newer: dict) -> dict:
    """Later values win; objects merge key by key; lists are replaced whole (simplified OCDS merge)."""
    out = dict(base)
    for key, value in newer.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        elif value is not None:
            out[key] = value
    return out


# -- flattening one process ---------------------------------------------------------------------------
def _get(obj: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(key)
    return obj


def _day(value: Any) -> pd.Timestamp | Any:
    """The calendar date of an ISO date-time as published (its own time zone), or NA."""
    if not isinstance(value, str) or len(value) < 10:
        return pd.NaT
    try:
        return pd.Timestamp(value[:10])
    except ValueError:
        return pd.NaT


def _amount(value: Any) -> float | None:
    amount = _get(value, "amount")
    try:
        return float(amount) if amount is not None else None
    except (TypeError, ValueError):
        return None


def _party_key(party: Any) -> str | None:
    """A stable id for a bidder or supplier: its `id`, else identifier scheme-id, else its name."""
    if not isinstance(party, dict):
        return None
    if party.get("id"):
        return str(party["id"])
    ident = party.get("identifier") or {}
    if ident.get("id"):
        return f"{ident.get('scheme', '')}-{ident['id']}".strip("-")
    return party.get("name")


def _flatten(rel: dict, file: str, issues: list[str]) -> tuple[dict, list[dict]]:
    ocid = str(rel.get("ocid"))
    tender = rel.get("tender") if isinstance(rel.get("tender"), dict) else {}
    lots = [lot.get("id") for lot in tender.get("lots") or [] if isinstance(lot, dict)]
    cpv = next(
        (
            str(_get(it, "classification", "id"))
            for it in tender.get("items") or []
            if str(_get(it, "classification", "scheme") or "").upper() == "CPV" and _get(it, "classification", "id")
        ),
        None,
    )
    method = tender.get("procurementMethod")
    awards = [a for a in rel.get("awards") or [] if isinstance(a, dict)]
    active = [a for a in awards if a.get("status") == "active"]
    winners = {(_party_key(s), a.get("relatedLot") or a.get("lotID")) for a in active for s in a.get("suppliers") or []}
    rejected = {_party_key(s) for a in awards if a.get("status") == "unsuccessful" for s in a.get("suppliers") or []}
    details = [b for b in _get(rel, "bids", "details") or [] if isinstance(b, dict)]

    bids = []
    for bid in details:
        people = [p for p in bid.get("tenderers") or [] if isinstance(p, dict)] or [{}]
        key, name = _party_key(people[0]), people[0].get("name")
        lot_id = bid.get("relatedLot") or next(iter(bid.get("relatedLots") or []), None)
        lot = lots.index(lot_id) + 1 if lot_id in lots else 1
        status = NOT_VALID_BID.get(str(bid.get("status") or "").lower(), "valid")
        if status == "valid" and key in rejected and (key, lot_id) not in winners and (key, None) not in winners:
            status = "disqualified"
        bids.append(
            {
                "tender_id": ocid,
                "lot": lot,
                "bidder_id": key,
                "bidder_name": name,
                "price_eur": _amount(bid.get("value")),
                "quality_pct": None,
                "status": status,
                "winner": key is not None and ((key, lot_id) in winners or (key, None) in winners),
                "currency": _get(bid, "value", "currency"),
            }
        )

    count, source = tender.get("numberOfTenderers"), "numberOfTenderers"
    if count is None and details:
        count, source = len({b["bidder_id"] for b in bids if b["bidder_id"]}) or None, "bids.details"
    if count is None and tender.get("tenderers"):
        count, source = len({_party_key(p) for p in tender["tenderers"]}), "tenderers"
    if count is None:
        source = None
    start = _get(tender, "tenderPeriod", "startDate") or tender.get("datePublished")
    end = _get(tender, "tenderPeriod", "endDate")
    if end is None and method in ("open", "selective"):
        issues.append(f"{file}: {ocid} has no tenderPeriod end date, so its submission period is unknown")
    award_dates = sorted(str(a["date"]) for a in active if a.get("date"))
    row = {
        "tender_id": ocid,
        "city": None,
        "title": tender.get("title"),
        "cpv_code": cpv,
        "procedure": PROCEDURE_FROM_METHOD.get(method, method),
        "main_category": tender.get("mainProcurementCategory"),
        "estimated_value_eur": _amount(tender.get("value")),
        "publication_date": _day(start),
        "submission_deadline": _day(end),
        "award_date": _day(award_dates[0]) if award_dates else pd.NaT,
        "award_criteria": tender.get("awardCriteria"),
        "price_weight": None,
        "lots": max(len(lots), 1),
        "number_of_tenderers": count,
        "status": tender.get("status"),
        "currency": _get(tender, "value", "currency") or next((b["currency"] for b in bids if b["currency"]), None),
        "procurement_method": method,
        "procurement_method_details": tender.get("procurementMethodDetails"),
        "number_of_tenderers_from": source,
        "buyer": _get(rel, "buyer", "name"),
        "source_file": file,
    }
    return row, bids


def read_ocds(paths: str | Path | Iterable[str | Path]) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """Tenders and bids from OCDS JSON files (a file, a list of files, or a folder of .json files).

    Returns `(tenders, bids, issues)`: the course's tender and bid columns (plus
    `currency` and OCDS details), and plain-language notes on what was missing or skipped.
    A file that is not JSON, or JSON that is not OCDS, raises `LearnerError` naming the file.
    """
    issues: list[str] = []
    by_ocid: dict[str, list[tuple[str, dict]]] = {}
    for path in _files(paths):
        snaps = _snapshots(_load(path), path.name, issues)
        if not snaps:
            issues.append(f"{path.name}: no releases with content were found")
        for snap in snaps:
            by_ocid.setdefault(str(snap["ocid"]), []).append((path.name, snap))
    rows, bids = [], []
    for ocid, snaps in by_ocid.items():
        ordered = sorted(snaps, key=lambda fs: str(fs[1].get("date") or ""))
        merged: dict = {}
        for _, snap in ordered:
            merged = _merge(merged, snap)
        if not isinstance(merged.get("tender"), dict):
            issues.append(f"{ordered[-1][0]}: {ocid} has no tender section (planning only?), so it was skipped")
            continue
        row, tender_bids = _flatten(merged, ordered[-1][0], issues)
        rows.append(row)
        bids += tender_bids
    tenders = pd.DataFrame(rows, columns=TENDER_COLUMNS)
    for col in ("publication_date", "submission_deadline", "award_date"):
        tenders[col] = pd.to_datetime(tenders[col])
    for col in ("number_of_tenderers", "lots", "price_weight"):
        tenders[col] = pd.to_numeric(tenders[col]).astype("Int64")
    tenders["estimated_value_eur"] = pd.to_numeric(tenders["estimated_value_eur"]).astype("float64")
    for col in ("city", "main_category", "procurement_method_details", "award_criteria"):
        tenders[col] = tenders[col].astype("str")
    bid_frame = pd.DataFrame(bids, columns=BID_COLUMNS)
    bid_frame["price_eur"] = pd.to_numeric(bid_frame["price_eur"]).astype("float64")
    bid_frame["quality_pct"] = pd.to_numeric(bid_frame["quality_pct"]).astype("float64")
    bid_frame["lot"] = bid_frame["lot"].astype("int64")
    bid_frame["winner"] = bid_frame["winner"].astype(bool)
    return tenders.sort_values("tender_id").reset_index(drop=True), bid_frame, issues
