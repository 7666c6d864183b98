"""Who benefits from the spend: the share of spend with women-led (or women-owned) suppliers.

Few supplier registers record it. Where a city does (a `women_led` or `women_owned` column, yes/no,
blank for unknown), the share is computed ONLY over the spend whose suppliers' status is known, and the
coverage (that known part, as a share of all spend) is always given beside it; below the minimum
coverage of `course/content/spend_gender_fields.yaml`, or without the column, the share is "unknown",
with why and what to add, never 0%. The share itself is a `Share` (helpers.spend.shares), written with
helpers.core.fmt like every other share.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers.core.content import by_id
from helpers.core.fmt import UNKNOWN, count, is_missing, money, pct
from helpers.data import load_table
from helpers.learning.registry import self_check
from helpers.spend.columns import clean_text
from helpers.spend.pipeline import SpendAnalysis, analysis_for
from helpers.spend.reference_tables import read_register
from helpers.spend.shares import Share

FACT = "women_led"
YES = {"yes", "y", "true", "t", "1", "si", "sí"}
NO = {"no", "n", "false", "f", "0"}
MISSING_IDS = ["<NA>", "nan", "None"]  # how a missing id reads once written as text


def _fields() -> dict:
    return by_id("spend_gender_fields")


def women_led_column(register: pd.DataFrame | None) -> str | None:
    """The register's column giving the status (`women_led`, else `women_owned`, any case), or None."""
    if register is None:
        return None
    names = {str(c).strip().lower(): c for c in register.columns}
    return next((names[c] for c in _fields()["columns"]["value"] if c in names), None)


def yes_no(values: pd.Series) -> pd.Series:
    """yes/no (true/false, 1/0, y/n, any case) as a nullable boolean; blank or anything else is missing."""
    text = values.astype("string").str.strip().str.lower()
    out = pd.Series(pd.NA, index=values.index, dtype="boolean")
    out[text.isin(YES).fillna(False).astype(bool)] = True
    out[text.isin(NO).fillna(False).astype(bool)] = False
    return out


@dataclass(frozen=True)
class SupplierGenderShare:
    """The share of spend with women-led suppliers, over the spend whose suppliers' status is known.

    `share` is a `Share` (value None when unknown, with reason and what to add); `coverage` is the part of
    all spend whose suppliers' status is known (None when there is no spend or no column); the counts are
    distinct suppliers paid in the selection.
    """

    share: Share
    coverage: float | None
    total: float
    known_spend: float
    women_led_spend: float
    suppliers: int
    suppliers_known: int
    column: str | None

    @property
    def known(self) -> bool:
        return self.share.known

    def text(self) -> str:
        """'22.2% of the spend whose suppliers' status is known (known for 90.0% of spend, 4 of 5 suppliers)'
        or 'unknown'."""
        if not self.known:
            return UNKNOWN
        return (
            f"{self.share.text()} of the spend whose suppliers' status is known (known for {pct(self.coverage)} "
            f"of spend, {self.suppliers_known:,} of {count(self.suppliers, 'supplier')})"
        )

    def explain(self) -> str:
        """Why it is unknown and what to add; for a known share, what it does not say."""
        if not self.known:
            return self.share.explain()
        return (
            f"Over {money(self.known_spend)} of known status, {money(self.women_led_spend)} went to women-led "
            f"suppliers. The status is unknown for {pct(1 - self.coverage)} of spend, which is left out: the "
            f"share says nothing about it. To know more, add {self.share.what_to_add}."
        )

    def lines(self) -> list[str]:
        """The result in words, for the lesson and exports."""
        coverage = UNKNOWN if is_missing(self.coverage) else pct(self.coverage)
        return [
            f"Share of spend with women-led suppliers: {self.text()}",
            f"Coverage (spend whose suppliers' women-led status is known): {coverage}",
            self.explain(),
        ]


def _unknown(reason_id: str, total: float, coverage: float | None, **counts) -> SupplierGenderShare:
    fields = _fields()
    what = fields["what_to_add_more" if reason_id == "mostly_blank" else "what_to_add"]["text"]
    share = Share(None, None if coverage is None else 1 - coverage, str(fields[reason_id]["text"]), str(what), FACT)
    return SupplierGenderShare(
        share,
        coverage,
        total,
        counts.get("known_spend", 0.0),
        counts.get("women_led_spend", 0.0),
        counts.get("suppliers", 0),
        counts.get("suppliers_known", 0),
        counts.get("column"),
    )


def women_led_share(
    payments: pd.DataFrame, register: pd.DataFrame | None, *, min_coverage: float | None = None
) -> SupplierGenderShare:
    """The share of `payments`' spend with women-led suppliers, over the spend whose status is known.

    `payments` needs `amount` and a supplier id (`register_supplier_id` after the register join, else
    `supplier_id`); `register` needs `supplier_id` and a `women_led` or `women_owned` column. Unknown
    (never 0%) when there is no spend, no such column, or the status is known for less than `min_coverage`
    of the spend (default from the content file, course design).
    """
    limit = float(_fields()["min_coverage"]["value"] if min_coverage is None else min_coverage)
    amount = pd.to_numeric(payments["amount"], errors="coerce").fillna(0.0)
    total = float(amount.sum())
    id_column = "register_supplier_id" if "register_supplier_id" in payments else "supplier_id"
    ids = clean_text(payments[id_column]).replace(MISSING_IDS, pd.NA)
    suppliers = int(ids.dropna().nunique())
    if not total:
        return _unknown("no_spend", total, None, suppliers=suppliers)
    column = women_led_column(register)
    if column is None:
        return _unknown("no_column", total, None, suppliers=suppliers)
    status_of = (
        pd.DataFrame({"id": clean_text(register["supplier_id"]), "flag": yes_no(register[column])})
        .dropna(subset=["id"])
        .drop_duplicates("id", keep=False)  # an id listed twice cannot say which status is right
        .set_index("id")["flag"]
    )
    flag = ids.map(status_of).astype("boolean")
    known = flag.notna()
    known_spend = float(amount[known].sum())
    women = float(amount[known & flag.fillna(False).astype(bool)].sum())
    coverage = known_spend / total
    counts = {
        "known_spend": known_spend,
        "women_led_spend": women,
        "suppliers": suppliers,
        "suppliers_known": int(ids[known].nunique()),
        "column": column,
    }
    if not known_spend or coverage < limit:
        return _unknown("mostly_blank", total, coverage, **counts)
    fields = _fields()
    share = Share(women / known_spend, 1 - coverage, "", str(fields["what_to_add"]["text"]), FACT)
    return SupplierGenderShare(share, coverage, total, **counts)


def women_led_example() -> tuple[pd.DataFrame, pd.DataFrame]:
    """(payments, register) of the course-design example in `spend_gender_fields.yaml`: five suppliers."""
    rows = pd.DataFrame(_fields()["example"]["value"]).astype({"supplier_id": "string"})
    payments = rows[["supplier_id", "name", "amount"]].rename(columns={"name": "supplier"})
    register = rows[["supplier_id", "name", "women_led"]]
    return payments, register


def women_led_summary(
    city: str = "portavera",
    year: int = 2025,
    ledger: str | Path | None = None,
    register: str | Path | None = None,
    analysis: SpendAnalysis | None = None,
) -> str:
    """Module 3's "who benefits" result in words: scope, share over known suppliers, coverage, and why.

    The course city's own register when no `ledger` is given (it has no women-led column: "unknown");
    with a learner's `ledger`, their `register` file when given, else none ("unknown"). `analysis`: the
    notebook's analysis of that city, year or ledger, so the ledger is not read twice."""
    analysis = analysis if analysis is not None else analysis_for(city, year, ledger)
    if register:
        table = read_register(register)
        register_name = Path(register).name
    elif not ledger:
        table, register_name = load_table("suppliers", city=city), f"the {city.title()} supplier register"
    else:
        table, register_name = None, "no supplier register"
    result = women_led_share(analysis.payments, table)
    scope = (
        f"Scope: {analysis.source}, {count(len(analysis.payments), 'payment line')} "
        f"({money(result.total)} net, credit notes included); {register_name}"
        + (f", column '{result.column}'." if result.column else ".")
    )
    return "\n".join([scope, *result.lines()])


@self_check("women-led-example-pct")
def women_led_example_pct() -> float:
    """Module 3 self-check: the example's share of spend with women-led suppliers, over known suppliers, in %."""
    payments, register = women_led_example()
    return round(100 * float(women_led_share(payments, register).share.value), 1)
