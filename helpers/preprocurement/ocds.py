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
- A national procedure name (`procurementMethodDetails`, ProZorro's `procurementMethodType`, or a
  `procurementMethod` that is not an OCDS code) is mapped by `procedure_names`; one it does not know is
  kept in `procedure_published` and reported, never guessed.
- `buyer_country` is the buyer's `address.countryName` (in `buyer` or in `parties`), as published.
- Every field is read with the type the OCDS schema gives it (`ocds_walk`): anything else is a data
  issue for that release and the value is unknown; amounts must be finite numbers.
- Files are found and read by `ocds_files` (limits, links, zips); an unreadable file is listed and the
  rest are read.
- `number_of_tenderers` is `tender.numberOfTenderers`; when missing it is derived
  from the distinct bidders in `bids.details`, else from `tender.tenderers`, else
  left empty (column `number_of_tenderers_from` says which).
- A bid is `valid` unless its status says otherwise (`disqualified`, `unsuccessful`,
  `invalid`, `withdrawn`) or the buyer's award to that bidder is `unsuccessful`
  (ProZorro records a rejected lowest bid this way).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from helpers.core.errors import LearnerError
from helpers.preprocurement.ocds_files import OcdsFile, ocds_files
from helpers.preprocurement.ocds_walk import IssueLog, Walk, shown
from helpers.preprocurement.procedure_names import OCDS_METHODS, course_procedure, ocds_method
from helpers.ui.messages import Issue

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
    "procedure_published",
    "buyer_country",
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


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
LINKED_KEYS = ("tender", "tag", "date", "awards", "buyer", "planning", "parties", "contracts")


@dataclass
class OcdsData:
    """What `read_ocds` read: the tables, and everything a learner needs to judge them.

    Unpacks as `tenders, bids, issues = read_ocds(...)` (`issues`: every note, unreadable file and data issue
    as a sentence)."""

    tenders: pd.DataFrame
    bids: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    data_issues: list[Issue] = field(default_factory=list)
    more_data_issues: int = 0
    unreadable: list[tuple[str, str]] = field(default_factory=list)
    files_read: int = 0

    @property
    def issues(self) -> list[str]:
        out = [f"{name}: {why}" for name, why in self.unreadable] + list(self.notes)
        out += [str(issue) for issue in self.data_issues]
        if self.more_data_issues:
            out.append(f"{self.more_data_issues} more data issue(s) of the same kinds were not listed")
        return out

    def __iter__(self) -> Iterator[Any]:
        return iter((self.tenders, self.bids, self.issues))


# -- finding the releases -----------------------------------------------------------------------------
def _is_release(obj: dict) -> bool:
    return "ocid" in obj and any(k in obj for k in LINKED_KEYS)


def _snapshots(obj: Any, file: str, notes: list[str], log: IssueLog, depth: int = 0) -> list[dict]:
    """Every release-like dict in `obj` (each a full release or compiled release). JSON that holds no OCDS
    shape at all raises `ValueError` with the reason (the caller lists the file as unreadable)."""
    if isinstance(obj, list) and depth < 3:
        out: list[dict] = []
        for item in obj:
            out += _snapshots(item, file, notes, log, depth + 1)
        return out
    if not isinstance(obj, dict):
        raise ValueError("this JSON is not OCDS: expected objects with an `ocid`, `releases` or `records`")
    if "records" in obj:  # record package
        if not isinstance(obj["records"], list):
            raise ValueError(f"this JSON is not OCDS: `records` is {shown(obj['records'])}, not a list")
        return _snapshots(obj["records"], file, notes, log, depth + 1)
    compiled = obj.get("compiledRelease")
    if compiled is not None and not isinstance(compiled, dict):
        log.add(
            file,
            f"{shown(obj.get('ocid'))}: compiledRelease is {shown(compiled)}, not an object; its releases are used",
        )
    if isinstance(compiled, dict) and "ocid" in compiled:  # a record with its compiled release
        return [compiled]
    if "releases" in obj:  # record without compiled release, or release package
        releases = obj["releases"]
        if not isinstance(releases, list):
            raise ValueError(f"this JSON is not OCDS: `releases` is {shown(releases)}, not a list")
        full = [r for r in releases if isinstance(r, dict) and _is_release(r)]
        linked = len(releases) - len(full)
        if linked:
            notes.append(f"{file}: {linked} release(s) given only as links (no content) were skipped")
        return full
    if _is_release(obj):  # bare or compiled release
        return [obj]
    raise ValueError("this JSON is not OCDS: no `ocid`, `releases` or `records` found")


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
def _day(walk: Walk, parent: dict, key: str, path: str) -> pd.Timestamp | Any:
    """The calendar date of an ISO date-time as published (its own time zone), or NaT (reported if malformed)."""
    value = walk.text(parent, key, path)
    if value is None:
        return pd.NaT
    if _DATE.match(value):
        try:
            return pd.Timestamp(value[:10])
        except ValueError:  # out of pandas' range (0001-01-01, 9999-12-31) or not a calendar date
            pass
    walk.note(path, value, "a date between 1678 and 2261 (YYYY-MM-DD…)")
    return pd.NaT


def _party_key(walk: Walk, party: dict, path: str) -> str | None:
    """A stable id for a bidder or supplier: its `id`, else identifier scheme-id, else its name."""
    key = walk.ident(party.get("id"), f"{path}.id")
    if key:
        return key
    ident = walk.obj(party, "identifier", f"{path}.identifier")
    number = walk.ident(ident.get("id"), f"{path}.identifier.id")
    if number:
        scheme = walk.text(ident, "scheme", f"{path}.identifier.scheme") or ""
        return f"{scheme}-{number}".strip("-")
    return walk.text(party, "name", f"{path}.name")


def _lot_of(walk: Walk, obj: dict, path: str) -> str | None:
    lot = walk.ident(obj.get("relatedLot"), f"{path}.relatedLot")
    if lot is None and "lotID" in obj:
        lot = walk.ident(obj.get("lotID"), f"{path}.lotID")
    if lot is None and obj.get("relatedLots") is not None:
        lots = obj["relatedLots"]
        if isinstance(lots, list):
            lot = walk.ident(lots[0], f"{path}.relatedLots[0]") if lots else None
        else:
            walk.note(f"{path}.relatedLots", lots, "a list")
    return lot


def _buyer_country(walk: Walk, rel: dict, tender: dict) -> str | None:
    """The buyer's `address.countryName`: in `buyer`, else in the party that is the buyer (or procuring entity)."""
    buyer = walk.obj(rel, "buyer", "buyer")
    country = walk.text(walk.obj(buyer, "address", "buyer.address"), "countryName", "buyer.address.countryName")
    if country:
        return country
    ids = {
        walk.ident(buyer.get("id"), "buyer.id"),
        walk.ident(
            walk.obj(tender, "procuringEntity", "tender.procuringEntity").get("id"), "tender.procuringEntity.id"
        ),
    }
    parties = walk.indexed_objs(rel, "parties", "parties")
    for roles in (("buyer",), ("procuringEntity",)):
        for number, party in parties:
            party_roles = party.get("roles") if isinstance(party.get("roles"), list) else []
            party_id = walk.ident(party.get("id"), f"parties[{number}].id")
            if any(r in party_roles for r in roles) or (party_id in ids - {None} and roles == ("buyer",)):
                path = f"parties[{number}].address"
                found = walk.text(walk.obj(party, "address", path), "countryName", f"{path}.countryName")
                if found:
                    return found
    return None


def _procedure(walk: Walk, tender: dict) -> tuple[str | None, str | None, str | None]:
    """(OCDS method code, course procedure, names as published): the code when it is one, else the first
    published name the course recognises; the names are kept so that an unrecognised one can be listed."""
    method = walk.text(tender, "procurementMethod", "tender.procurementMethod")
    names = [walk.text(tender, key, f"tender.{key}") for key in ("procurementMethodDetails", "procurementMethodType")]
    published = [n for n in [method, *names] if n]
    shown_names = " / ".join(dict.fromkeys(published)) or None
    if method in OCDS_METHODS:
        return method, PROCEDURE_FROM_METHOD[method], shown_names
    for name in published:
        if course_procedure(name):
            return ocds_method(name), course_procedure(name), shown_names
    return None, None, shown_names


def _bids(walk: Walk, rel: dict, ocid: str, lots: list[str | None]) -> list[dict]:
    awards = walk.indexed_objs(rel, "awards", "awards")
    winners: set[tuple[str | None, str | None]] = set()
    rejected: set[str | None] = set()
    for number, award in awards:
        status = walk.text(award, "status", f"awards[{number}].status")
        lot = _lot_of(walk, award, f"awards[{number}]")
        for s_no, supplier in walk.indexed_objs(award, "suppliers", f"awards[{number}].suppliers"):
            key = _party_key(walk, supplier, f"awards[{number}].suppliers[{s_no}]")
            if status == "active":
                winners.add((key, lot))
            elif status == "unsuccessful":
                rejected.add(key)
    out = []
    details = walk.indexed_objs(walk.obj(rel, "bids", "bids"), "details", "bids.details")
    for number, bid in details:
        path = f"bids.details[{number}]"
        people = walk.objs(bid, "tenderers", f"{path}.tenderers") or [{}]
        key = _party_key(walk, people[0], f"{path}.tenderers[0]")
        name = walk.text(people[0], "name", f"{path}.tenderers[0].name")
        lot_id = _lot_of(walk, bid, path)
        lot = lots.index(lot_id) + 1 if lot_id is not None and lot_id in lots else 1
        status = NOT_VALID_BID.get(str(walk.text(bid, "status", f"{path}.status") or "").lower(), "valid")
        won = key is not None and ((key, lot_id) in winners or (key, None) in winners)
        if status == "valid" and key in rejected and not won:
            status = "disqualified"
        value = walk.obj(bid, "value", f"{path}.value")
        out.append(
            {
                "tender_id": ocid,
                "lot": lot,
                "bidder_id": key,
                "bidder_name": name,
                "price_eur": walk.amount(value, f"{path}.value"),
                "quality_pct": None,
                "status": status,
                "winner": won,
                "currency": walk.text(value, "currency", f"{path}.value.currency"),
            }
        )
    return out


def _flatten(rel: dict, file: str, ocid: str, notes: list[str], log: IssueLog) -> tuple[dict, list[dict]]:
    walk = Walk(file, ocid, log)
    tender = walk.obj(rel, "tender", "tender")
    lots = [walk.ident(lot.get("id"), "tender.lots.id") for lot in walk.objs(tender, "lots", "tender.lots")]
    cpv = None
    for number, item in walk.indexed_objs(tender, "items", "tender.items"):
        classification = walk.obj(item, "classification", f"tender.items[{number}].classification")
        scheme = walk.text(classification, "scheme", f"tender.items[{number}].classification.scheme") or ""
        code = walk.ident(classification.get("id"), f"tender.items[{number}].classification.id")
        if scheme.upper() == "CPV" and code:
            cpv = code
            break
    method, procedure, published = _procedure(walk, tender)
    bids = _bids(walk, rel, ocid, lots)

    count = walk.count(tender, "numberOfTenderers", "tender.numberOfTenderers")
    source = "numberOfTenderers" if count is not None else None
    if count is None and bids:
        count = len({b["bidder_id"] for b in bids if b["bidder_id"]}) or None
        source = "bids.details" if count else None
    tenderers = walk.indexed_objs(tender, "tenderers", "tender.tenderers")
    if count is None and tenderers:
        keys = {_party_key(walk, p, f"tender.tenderers[{n}]") for n, p in tenderers} - {None}
        count, source = (len(keys), "tenderers") if keys else (None, None)
    period = walk.obj(tender, "tenderPeriod", "tender.tenderPeriod")
    start = _day(walk, period, "startDate", "tender.tenderPeriod.startDate")
    if pd.isna(start):
        start = _day(walk, tender, "datePublished", "tender.datePublished")
    end = _day(walk, period, "endDate", "tender.tenderPeriod.endDate")
    if pd.isna(end) and method in ("open", "selective"):
        notes.append(f"{file}: {ocid} has no tenderPeriod end date, so its submission period is unknown")
    award_days = []
    for number, award in walk.indexed_objs(rel, "awards", "awards"):
        if award.get("status") == "active":
            award_days.append(_day(walk, award, "date", f"awards[{number}].date"))
    award_days = sorted(d for d in award_days if not pd.isna(d))
    value = walk.obj(tender, "value", "tender.value")
    row = {
        "tender_id": ocid,
        "city": None,
        "title": walk.text(tender, "title", "tender.title"),
        "cpv_code": cpv,
        "procedure": procedure,
        "main_category": walk.text(tender, "mainProcurementCategory", "tender.mainProcurementCategory"),
        "estimated_value_eur": walk.amount(value, "tender.value"),
        "publication_date": start,
        "submission_deadline": end,
        "award_date": award_days[0] if award_days else pd.NaT,
        "award_criteria": walk.text(tender, "awardCriteria", "tender.awardCriteria"),
        "price_weight": None,
        "lots": max(len(lots), 1),
        "number_of_tenderers": count,
        "status": walk.text(tender, "status", "tender.status"),
        "currency": walk.text(value, "currency", "tender.value.currency")
        or next((b["currency"] for b in bids if b["currency"]), None),
        "procurement_method": method,
        "procurement_method_details": walk.text(tender, "procurementMethodDetails", "tender.procurementMethodDetails"),
        "number_of_tenderers_from": source,
        "buyer": walk.text(walk.obj(rel, "buyer", "buyer"), "name", "buyer.name"),
        "source_file": file,
        "procedure_published": published,
        "buyer_country": _buyer_country(walk, rel, tender),
    }
    return row, bids


def _frames(rows: list[dict], bids: list[dict]) -> tuple[pd.DataFrame, pd.DataFrame]:
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
    return tenders.sort_values("tender_id").reset_index(drop=True), bid_frame


def read_ocds_files(files: Iterable[OcdsFile]) -> OcdsData:
    """`read_ocds` on files already found (`ocds_files` or `uploaded_files`)."""
    notes: list[str] = []
    log = IssueLog()
    unreadable: list[tuple[str, str]] = []
    by_ocid: dict[str, list[tuple[str, str, dict]]] = {}
    read = 0
    for found in files:
        if found.problem is not None:
            unreadable.append((found.name, found.problem))
            continue
        try:
            snaps = _snapshots(found.data, found.name, notes, log)
        except ValueError as exc:
            unreadable.append((found.name, str(exc)))
            continue
        read += 1
        if not snaps:
            notes.append(f"{found.name}: no releases with content were found")
        for snap in snaps:
            ocid = Walk(found.name, "a release", log).ident(snap.get("ocid"), "ocid")
            if ocid is None:
                log.add(found.name, "a release without a usable `ocid` was skipped", "ocid")
                continue
            date = snap.get("date")
            by_ocid.setdefault(ocid, []).append((str(date) if isinstance(date, (str, int)) else "", found.name, snap))
    if not read and unreadable:
        if len(unreadable) == 1:
            raise LearnerError(unreadable[0][1], file=unreadable[0][0], fix="Download the data again as OCDS JSON")
        listed = "; ".join(f"{name}: {why}" for name, why in unreadable[:5])
        raise LearnerError(f"none of the {len(unreadable)} files could be read ({listed})", fix="Check the files")
    rows, bids = [], []
    for ocid, snaps in by_ocid.items():
        ordered = sorted(snaps, key=lambda dfs: dfs[0])
        merged: dict = {}
        for _, _, snap in ordered:
            merged = _merge(merged, snap)
        last_file = ordered[-1][1]
        if not isinstance(merged.get("tender"), dict):
            why = "planning only?" if merged.get("tender") is None else f"tender is {shown(merged.get('tender'))}"
            notes.append(f"{last_file}: {ocid} has no tender section ({why}), so it was skipped")
            continue
        row, tender_bids = _flatten(merged, last_file, ocid, notes, log)
        rows.append(row)
        bids += tender_bids
    tenders, bid_frame = _frames(rows, bids)
    return OcdsData(tenders, bid_frame, notes, log.items, log.more, unreadable, read)


def read_ocds(paths: str | Path | Iterable[str | Path]) -> OcdsData:
    """Tenders and bids from OCDS JSON: a file, a folder (read file by file), a .zip, or a list of these.

    Returns an `OcdsData` that unpacks as `(tenders, bids, issues)`: the course's tender and bid columns (plus
    `currency`, the procedure as published and the buyer's country), and plain-language notes on what was
    missing, skipped or of an unexpected type. Unreadable files are listed and the rest read; when nothing can
    be read, a `LearnerError` names the file(s) and why.
    """
    return read_ocds_files(ocds_files(paths))
