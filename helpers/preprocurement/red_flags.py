"""The past-tender health check: red flags on past tenders (brief §7.1) and their summary per category
and procedure, on the course's tables or on OCDS data; the course city's figures and the
`single-bid-rate-pct` self-check.

The flags, their meaning, their sources and the caveat are in `course/content/preprocurement_red_flags.yaml`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

import helpers.preprocurement.flag_scope as scope
from helpers.core.content import content_file
from helpers.core.errors import LearnerError
from helpers.core.fmt import pct
from helpers.data import load_table
from helpers.learning.registry import self_check
from helpers.preprocurement.legal_minimums import legal_minimum_days
from helpers.preprocurement.procedure_names import course_procedure

R058_MIN_GAPS = 4  # course design: quartiles of fewer than 4 gaps mean little, so R058 is not computed
TENDER_COLUMNS = ["tender_id", "procedure", "publication_date", "submission_deadline", "number_of_tenderers"]
BID_COLUMNS = ["tender_id", "price_eur", "status", "winner"]


def flag_meanings() -> dict[str, tuple[str, str]]:
    """code -> (title, what it means); `{r003_days}` in a meaning is the short-period limit used.
    Module attribute `FLAGS`."""
    return {item["id"]: (item["title"], item["text"]) for item in content_file("preprocurement_red_flags")["items"]}


def flag_caveat() -> str:
    """A flag is a question, not a verdict. Module attribute `FLAG_CAVEAT`."""
    return content_file("preprocurement_red_flags")["caveat"]


def flag_sources() -> dict[str, str]:
    """Where each flag is defined. Module attribute `FLAG_SOURCES` (`CARDINAL_SOURCE`: OCP Cardinal's)."""
    return {item["id"]: item["source"] for item in content_file("preprocurement_red_flags")["items"]}


_CONTENT = {
    "FLAGS": flag_meanings,
    "FLAG_CAVEAT": flag_caveat,
    "FLAG_SOURCES": flag_sources,
    "CARDINAL_SOURCE": lambda: flag_sources()["R003"],
}


def __getattr__(name: str) -> Any:
    """The flags, their sources and the caveat are read from the course content when first used, not on
    import (so importing the stage never needs the content folder)."""
    if name in _CONTENT:
        return _CONTENT[name]()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _truthy(values: pd.Series) -> pd.Series:
    """True/False from booleans or text such as "true", "1", "yes" (a CSV read as text)."""
    if pd.api.types.is_bool_dtype(values):
        return values.fillna(False).astype(bool)
    return values.astype("str").str.strip().str.lower().isin(["true", "1", "yes", "y", "t", "1.0"])


_GAP_REASON_ORDER = (scope.NO_PRICE, scope.WINNER_NOT_LOWEST, scope.NO_WINNER, scope.FEW_BIDS)


def _bid_gaps(bids: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    """Per tender and lot: (second-lowest valid bid - winning bid) / winning bid, where the winner is the lowest
    valid bid and there are at least two valid bids; and, for each tender with bids but no such lot, why not."""
    tender_ids = bids["tender_id"].astype("str")
    valid = bids[bids["status"].astype("str").str.lower().eq("valid")]
    valid = valid.assign(price=pd.to_numeric(valid["price_eur"], errors="coerce"), tender_id=tender_ids)
    valid = valid.dropna(subset=["price"])
    valid = valid.assign(lot=valid["lot"] if "lot" in valid else 1)
    rows, lot_reasons = [], {tid: [scope.FEW_BIDS] for tid in tender_ids.unique()}
    for (tender, lot_no), group in valid.groupby(["tender_id", "lot"], sort=False):
        gap, reason = scope.lot_gap(list(group["price"]), list(group.loc[_truthy(group["winner"]), "price"]))
        if gap is None:
            lot_reasons[tender].append(reason)
        else:
            rows.append({"tender_id": tender, "lot": lot_no, "gap": gap})
    gaps = pd.DataFrame(rows, columns=["tender_id", "lot", "gap"])
    with_gap = set(gaps["tender_id"])
    why_not = {
        tid: min(reasons, key=_GAP_REASON_ORDER.index) for tid, reasons in lot_reasons.items() if tid not in with_gap
    }
    return gaps, why_not


def _check_columns(tenders: pd.DataFrame, bids: pd.DataFrame, r003_days: int) -> None:
    missing = [c for c in TENDER_COLUMNS if c not in tenders.columns]
    if missing:
        raise LearnerError(
            f"the tenders table lacks the column(s) {', '.join(missing)}",
            fix="Use the columns of tenders.csv (see course/architecture.md)",
        )
    missing = [c for c in BID_COLUMNS if c not in bids.columns]
    if missing:
        raise LearnerError(
            f"the bids table lacks the column(s) {', '.join(missing)}",
            fix="Use the columns of bids.csv (see course/architecture.md)",
        )
    if not isinstance(r003_days, (int, np.integer)) or r003_days < 1:
        raise LearnerError(f"the short-period limit must be a whole number of days, not {r003_days!r}")


def _r058_flagged(gaps: pd.DataFrame) -> tuple[float, set]:
    """R058's upper fence Q3 + 1.5 x IQR over all gaps, and the tenders at or above it."""
    if len(gaps) < R058_MIN_GAPS:
        return float("nan"), set()
    q1, q3 = gaps["gap"].quantile(0.25), gaps["gap"].quantile(0.75)
    fence = round(float(q3 + 1.5 * (q3 - q1)), 9)
    return fence, set(gaps.loc[gaps["gap"].round(9) >= fence, "tender_id"])


def _procedures(tenders: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """(the course's procedure or None, the procedure as published) per tender: names are matched by
    `procedure_names` (OCDS codes, the Directive's names in the EU's languages, national names)."""
    raw = tenders["procedure"].astype("object").where(tenders["procedure"].notna(), None)
    published = tenders["procedure_published"] if "procedure_published" in tenders else raw
    published = published.astype("object").where(published.notna(), None)
    return raw.map(course_procedure), published


def tender_flags(
    tenders: pd.DataFrame, bids: pd.DataFrame, r003_days: int = 15, e_submission: bool = True
) -> pd.DataFrame:
    """One row per tender with the red flags R003, R018, R058 and `below_legal_minimum`, each a True/False
    column, `<flag>_why_not` (None where the flag could be checked, else why not: see `flag_scope`), plus
    `flagged` (any) and `reasons` in plain words.

    Tender and bid columns as in course/architecture.md (tenders.csv, bids.csv) or from
    `helpers.preprocurement.ocds.read_ocds`. The period is submission_deadline - publication_date in days.
    `number_of_tenderers` missing is taken from the distinct bidders in `bids` when there are any.
    `procedure` may be a course procedure, an OCDS code or a national name (`procedure_names`); one not
    recognised stops the procedure-based flags, and is listed by `unrecognised_procedures`.
    R058's fence is computed across all tenders (and lots) given, and needs at least `R058_MIN_GAPS` (4)
    gaps. The Directive's minimum periods (`e_submission` picks the open procedure's 30 or 35 days) apply only
    to buyers in the EU: by the `buyer_country` column when there is one; without it (the course's tables)
    the buyers are taken to be in the EU, and `attrs["buyers_assumed_in_eu"]` says so.
    """
    _check_columns(tenders, bids, r003_days)
    out = pd.DataFrame({"tender_id": tenders["tender_id"].astype("str")})
    for col in ("title", "main_category", "status", "currency"):
        if col in tenders.columns:
            out[col] = tenders[col].astype("str")
    procedure, published = _procedures(tenders)
    out["procedure"] = procedure.fillna("unknown")
    out["procedure_published"] = published
    start = pd.to_datetime(tenders["publication_date"], errors="coerce")
    end = pd.to_datetime(tenders["submission_deadline"], errors="coerce")
    out["submission_days"] = (end - start).dt.days.astype("Int64")
    minimum = [legal_minimum_days(p, e_submission) if p else None for p in procedure]
    out["legal_minimum_days"] = pd.array(minimum, dtype="Int64")
    counts = pd.to_numeric(tenders["number_of_tenderers"], errors="coerce").astype("Int64")
    from_bids = bids.groupby(bids["tender_id"].astype("str"))[
        "bidder_id" if "bidder_id" in bids else "tender_id"
    ].nunique()
    out["number_of_tenderers"] = counts.fillna(out["tender_id"].map(from_bids).astype("Int64"))
    gaps, gap_why_not = _bid_gaps(bids)
    out["winning_gap"] = out["tender_id"].map(gaps.groupby("tender_id")["gap"].max()).astype("float64")
    assumed = "buyer_country" not in tenders.columns
    countries = [None] * len(out) if assumed else list(tenders["buyer_country"])
    out["buyer_country"] = pd.Series(countries, index=out.index, dtype="object")

    days, n = out["submission_days"], out["number_of_tenderers"]
    why: dict[str, list] = {code: [] for code in ("R003", "R018", "R058", "below_legal_minimum")}
    fence, flagged = _r058_flagged(gaps)
    with_gap = set(gaps["tender_id"])
    few_gaps = scope.FEW_GAPS.format(n=R058_MIN_GAPS) if len(gaps) < R058_MIN_GAPS else None
    for i, tid in enumerate(out["tender_id"]):
        proc, day = procedure.iloc[i], days.iloc[i]
        not_known = scope.procedure_reason(proc, published.iloc[i])
        period = scope.period_reason(day)
        why["R003"].append(scope.first_reason(not_known, proc != "open" and scope.NOT_OPEN, period))
        why["R018"].append(
            scope.first_reason(
                not_known,
                proc not in ("open", "restricted") and scope.NOT_OPEN_OR_RESTRICTED,
                pd.isna(n.iloc[i]) and scope.NO_COUNT,
            )
        )
        why["R058"].append(None if tid in with_gap else gap_why_not.get(tid, scope.NO_BIDS))
        if why["R058"][-1] is None:
            why["R058"][-1] = few_gaps
        why["below_legal_minimum"].append(
            scope.first_reason(
                not_known,
                pd.isna(out["legal_minimum_days"].iloc[i]) and scope.NO_MINIMUM,
                scope.buyer_reason(countries[i], assumed),
                period,
            )
        )
    for code, reasons in why.items():
        out[f"{code}_why_not"] = pd.Series(reasons, index=out.index, dtype="object")
    checked = {code: out[f"{code}_why_not"].isna() for code in why}
    out["R003"] = (checked["R003"] & (days < r003_days)).fillna(False).astype(bool)
    out["R018"] = (checked["R018"] & (n == 1)).fillna(False).astype(bool)
    out["R058"] = checked["R058"] & out["tender_id"].isin(flagged)
    below = checked["below_legal_minimum"] & (days < out["legal_minimum_days"])
    out["below_legal_minimum"] = below.fillna(False).astype(bool)
    meanings = flag_meanings()
    codes = list(meanings)
    out["flagged"] = out[codes].any(axis=1)
    texts = {c: meanings[c][1].format(r003_days=r003_days) for c in codes}
    out["reasons"] = [" ".join(texts[c] for c in codes if row[c]) for _, row in out[codes].iterrows()]
    out.attrs["r058_fence"] = fence
    out.attrs["buyers_assumed_in_eu"] = assumed
    return out.reset_index(drop=True)


def flag_coverage(flags: pd.DataFrame) -> list[dict]:
    """Per red flag: tenders it applied to, flagged, not applicable and why (`flag_scope.flag_coverage`)."""
    meanings = flag_meanings()
    return scope.flag_coverage(flags, list(meanings), {code: title for code, (title, _) in meanings.items()})


def unrecognised_procedures(flags: pd.DataFrame) -> dict[str, int]:
    """Procedure names as published that the course does not recognise, with how many tenders use each."""
    unknown = flags.loc[flags["procedure"].eq("unknown"), "procedure_published"].dropna()
    return {str(k): int(v) for k, v in unknown.value_counts().items()}


def any_checked(flags: pd.DataFrame) -> bool:
    """Whether at least one flag could be checked on at least one tender."""
    return any(flags[f"{code}_why_not"].isna().any() for code in flag_meanings())


def flags_headline(flags: pd.DataFrame) -> str:
    """ "120 tenders, 24 flagged", or, when no flag could be checked on any tender, says so instead of "0 flagged"."""
    if not any_checked(flags):
        return f"{len(flags)} tenders, none could be checked for any red flag"
    return f"{len(flags)} tenders, {int(flags['flagged'].sum())} flagged"


def health_summary(flags: pd.DataFrame) -> pd.DataFrame:
    """Per main category and procedure (and all tenders): tenders, mean bidders, single-bid rate (% of
    tenders with a known bidder count) and the share of tenders flagged (%), plus each flag's count.
    A flag's count is missing (NA, "not checked") in a group where it could not be checked on any tender,
    and so is the share flagged where no flag could be checked: never a 0 that is really unknown."""
    frame = flags.copy()
    if "main_category" not in frame:
        frame["main_category"] = "unknown"
    frame["main_category"] = frame["main_category"].fillna("unknown").replace({"nan": "unknown", "None": "unknown"})

    codes = list(flag_meanings())

    def one(group: pd.DataFrame) -> dict:
        known = group["number_of_tenderers"].dropna()
        checked = {code: group[f"{code}_why_not"].isna() for code in codes}
        any_check = pd.concat(checked.values(), axis=1).any(axis=1) if codes else group["flagged"]
        return {
            "tenders": len(group),
            "with_bidder_count": len(known),
            "mean_bidders": round(float(known.mean()), 2) if len(known) else np.nan,
            "single_bid_rate_pct": round(100 * float((known == 1).mean()), 1) if len(known) else np.nan,
            "flagged_pct": round(100 * float(group["flagged"].mean()), 1) if any_check.any() else np.nan,
            **{code: int(group[code].sum()) if checked[code].any() else pd.NA for code in codes},
        }

    rows = [
        {"main_category": cat, "procedure": proc, **one(g)}
        for (cat, proc), g in frame.groupby(["main_category", "procedure"], sort=True)
    ]
    rows.append({"main_category": "all", "procedure": "all", **one(frame)})
    summary = pd.DataFrame(rows)
    for code in codes:
        summary[code] = summary[code].astype("Int64")
    return summary


# == the course data, or OCDS files ===================================================================
def course_tenders(city: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A course city's past tenders and their bids (datasets/shared/tenders.csv and bids.csv)."""
    tenders = load_table("tenders")
    tenders = tenders[tenders["city"] == city].reset_index(drop=True)
    if tenders.empty:
        raise LearnerError(
            f"there are no tenders for the city {city!r} in the course data", fix="Use portavera, valmora or nordhaven"
        )
    bids = load_table("bids")
    return tenders, bids[bids["tender_id"].isin(tenders["tender_id"])].reset_index(drop=True)


def health_in_brief(flags: pd.DataFrame, label: str) -> str:
    """One line: tenders, single-bid rate (where the bidder count is known) and each flag's count ("not checked"
    for a flag that could not be checked on any tender)."""
    overall = health_summary(flags).iloc[-1]
    counts = ", ".join(
        f"{code} {int(flags[code].sum())}" if flags[f"{code}_why_not"].isna().any() else f"{code} not checked"
        for code in ("R003", "R018", "R058")
    )
    rate_text = pct(overall["single_bid_rate_pct"], decimals=1, fraction=False)
    return (
        f"{label}: {len(flags)} tenders, single-bid rate {rate_text} "
        f"(of {int(overall['with_bidder_count'])} with a bidder count); flags: {counts}; "
        + (f"{int(flags['flagged'].sum())} tenders flagged" if any_checked(flags) else "no flag could be checked")
    )


@self_check("single-bid-rate-pct")
def single_bid_rate_pct(city: str = "portavera") -> float:
    """The course city's single-bid rate (%, tenders with a known bidder count)."""
    tenders, bids = course_tenders(city)
    return float(health_summary(tender_flags(tenders, bids)).iloc[-1]["single_bid_rate_pct"])
