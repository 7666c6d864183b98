"""The past-tender health check: red flags on past tenders (brief §7.1) and their summary per category
and procedure, on the course's tables or on OCDS data; the course city's figures and the
`single-bid-rate-pct` self-check.

The flags, their meaning, their sources and the caveat are in `course/content/preprocurement_red_flags.yaml`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from helpers.core import paths
from helpers.core.content import content_file
from helpers.core.errors import LearnerError
from helpers.core.fmt import pct
from helpers.data import city_info, load_table
from helpers.learning.registry import self_check
from helpers.preprocurement.legal_minimums import legal_minimum_days
from helpers.preprocurement.ocds import read_ocds

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


def _bid_gaps(bids: pd.DataFrame) -> pd.DataFrame:
    """Per tender and lot: (second-lowest valid bid - winning bid) / winning bid, where the winner is
    the lowest valid bid and there are at least two valid bids."""
    valid = bids[bids["status"].astype("str").str.lower().eq("valid")]
    valid = valid.assign(price=pd.to_numeric(valid["price_eur"], errors="coerce")).dropna(subset=["price"])
    lot = valid["lot"] if "lot" in valid else 1
    valid = valid.assign(lot=lot)
    rows = []
    for (tender, lot_no), group in valid.groupby(["tender_id", "lot"], sort=False):
        winners = group[_truthy(group["winner"])]
        if len(group) < 2 or winners.empty:
            continue
        win = float(winners["price"].min())
        prices = sorted(group["price"])
        if win > prices[0] or win <= 0:
            continue
        rows.append({"tender_id": tender, "lot": lot_no, "gap": (prices[1] - win) / win})
    return pd.DataFrame(rows, columns=["tender_id", "lot", "gap"])


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


def tender_flags(
    tenders: pd.DataFrame, bids: pd.DataFrame, r003_days: int = 15, e_submission: bool = True
) -> pd.DataFrame:
    """One row per tender with the red flags R003, R018, R058 and `below_legal_minimum`, each a
    True/False column, plus `flagged` (any) and `reasons` in plain words.

    Tender and bid columns as in course/architecture.md (tenders.csv, bids.csv) or from
    `helpers.preprocurement.ocds.read_ocds`. The period is submission_deadline - publication_date in days.
    `number_of_tenderers` missing is taken from the distinct bidders in `bids` when there are any.
    R058's fence is computed across all tenders (and lots) given, and needs at least
    `R058_MIN_GAPS` (4) gaps; `e_submission` picks the open-procedure legal minimum (30 or 35 days).
    """
    _check_columns(tenders, bids, r003_days)
    out = pd.DataFrame({"tender_id": tenders["tender_id"].astype("str")})
    for col in ("title", "main_category", "status", "currency"):
        if col in tenders.columns:
            out[col] = tenders[col].astype("str")
    out["procedure"] = tenders["procedure"].astype("str").str.strip().str.lower()
    start = pd.to_datetime(tenders["publication_date"], errors="coerce")
    end = pd.to_datetime(tenders["submission_deadline"], errors="coerce")
    out["submission_days"] = (end - start).dt.days.astype("Int64")
    out["legal_minimum_days"] = pd.array([legal_minimum_days(p, e_submission) for p in out["procedure"]], dtype="Int64")
    counts = pd.to_numeric(tenders["number_of_tenderers"], errors="coerce").astype("Int64")
    from_bids = bids.groupby(bids["tender_id"].astype("str"))[
        "bidder_id" if "bidder_id" in bids else "tender_id"
    ].nunique()
    out["number_of_tenderers"] = counts.fillna(out["tender_id"].map(from_bids).astype("Int64"))
    gaps = _bid_gaps(bids)
    out["winning_gap"] = out["tender_id"].map(gaps.groupby("tender_id")["gap"].max()).astype("float64")

    days = out["submission_days"]
    out["R003"] = ((out["procedure"] == "open") & (days < r003_days)).fillna(False).astype(bool)
    out["R018"] = (
        (out["procedure"].isin(["open", "restricted", "selective"]) & (out["number_of_tenderers"] == 1))
        .fillna(False)
        .astype(bool)
    )
    fence, flagged = _r058_flagged(gaps)
    out["R058"] = out["tender_id"].isin(flagged)
    out["below_legal_minimum"] = (days < out["legal_minimum_days"]).fillna(False).astype(bool)
    meanings = flag_meanings()
    codes = list(meanings)
    out["flagged"] = out[codes].any(axis=1)
    texts = {c: meanings[c][1].format(r003_days=r003_days) for c in codes}
    out["reasons"] = [" ".join(texts[c] for c in codes if row[c]) for _, row in out[codes].iterrows()]
    out.attrs["r058_fence"] = fence
    return out.reset_index(drop=True)


def health_summary(flags: pd.DataFrame) -> pd.DataFrame:
    """Per main category and procedure (and all tenders): tenders, mean bidders, single-bid rate (% of
    tenders with a known bidder count) and the share of tenders flagged (%), plus each flag's count."""
    frame = flags.copy()
    if "main_category" not in frame:
        frame["main_category"] = "unknown"
    frame["main_category"] = frame["main_category"].fillna("unknown").replace({"nan": "unknown", "None": "unknown"})

    codes = list(flag_meanings())

    def one(group: pd.DataFrame) -> dict:
        known = group["number_of_tenderers"].dropna()
        return {
            "tenders": len(group),
            "with_bidder_count": len(known),
            "mean_bidders": round(float(known.mean()), 2) if len(known) else np.nan,
            "single_bid_rate_pct": round(100 * float((known == 1).mean()), 1) if len(known) else np.nan,
            "flagged_pct": round(100 * float(group["flagged"].mean()), 1) if len(group) else np.nan,
            **{code: int(group[code].sum()) for code in codes},
        }

    rows = [
        {"main_category": cat, "procedure": proc, **one(g)}
        for (cat, proc), g in frame.groupby(["main_category", "procedure"], sort=True)
    ]
    rows.append({"main_category": "all", "procedure": "all", **one(frame)})
    return pd.DataFrame(rows)


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


def health_sources(city: str) -> list[tuple[str, str]]:
    """(label, key): the course city's tenders, then OCDS .json files in my_data/."""
    options = [(f"{city_info(city)['name']} tenders (course data)", f"course:{city}")]
    folder = paths.my_data_dir()
    if folder.is_dir():
        options += [(f"my_data/{p.name} (OCDS)", f"ocds:{p}") for p in sorted(folder.glob("*.json"))]
    return options


def load_health_source(key: str) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """The tenders, bids and reading notes of a source key from `health_sources`."""
    kind, _, rest = str(key).partition(":")
    if kind == "course":
        tenders, bids = course_tenders(rest)
        return tenders, bids, []
    if kind == "ocds":
        return read_ocds(rest)
    raise LearnerError(f"unknown source {key!r}", fix="Choose a source from the list")


def health_in_brief(flags: pd.DataFrame, label: str) -> str:
    """One line: tenders, single-bid rate (where the bidder count is known) and each flag's count."""
    overall = health_summary(flags).iloc[-1]
    counts = ", ".join(f"{code} {int(flags[code].sum())}" for code in ("R003", "R018", "R058"))
    rate_text = pct(overall["single_bid_rate_pct"], decimals=1, fraction=False)
    return (
        f"{label}: {len(flags)} tenders, single-bid rate {rate_text} "
        f"(of {int(overall['with_bidder_count'])} with a bidder count); flags: {counts}; "
        f"{int(flags['flagged'].sum())} tenders flagged"
    )


@self_check("single-bid-rate-pct")
def single_bid_rate_pct(city: str = "portavera") -> float:
    """The course city's single-bid rate (%, tenders with a known bidder count)."""
    tenders, bids = course_tenders(city)
    return float(health_summary(tender_flags(tenders, bids)).iloc[-1]["single_bid_rate_pct"])
