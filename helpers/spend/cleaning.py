"""What the ledger reader cleans, and the report that says so.

Below the header a ledger holds more than payments: blank lines, the header
repeated on every printed page, totals and subtotals, notes and footers.
`classify_rows` finds each kind (never guessing blindly); `record_drops` lists
the dropped rows by reason with their line numbers in the `CleaningReport`;
`add_figures` and `record_duplicates` add the totals, credit notes, redactions
and possible duplicates of the payments kept, so the learner can check every
decision against the file.

Decisions (course design):
- Exact duplicate lines are KEPT (two identical payments can be real) but counted and
  listed as "possible duplicates" in the report.
- Rows with an amount but no supplier name are kept (and counted in a warning).
- Credit notes are negative amounts; `(123.45)` and `123.45-` also read as negative.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from helpers.core.fmt import money
from helpers.core.tables import DELIMITER_NAMES
from helpers.spend.parsing import exact_total, parse_dates

# A totals/subtotal label, in the course's languages, as the start of a cell.
TOTALS_PATTERN = (
    r"(?i)^\W*(?:grand\s+|sub\s*-?\s*|gran\s+|general\s+)?(?:totals?|totaal|subtotaal|"
    r"totale|subtotale|summe|zwischensumme|gesamt|gesamtsumme|insgesamt|somme|"
    r"sous-total|suma|razem|ogółem|celkem|součet|σύνολο|yhteensä|kokku|summa|totalt)\b"
)
REDACTED_PATTERN = (
    r"(?i)redact|withheld|personal data|data protection|gdpr|not disclosed|"
    r"anonymi[sz]ed|confidential|datos personales|protecci[oó]n de datos|"
    r"donn[ée]es personnelles|persoonsgegevens|dados pessoais|dane osobowe|"
    r"date personale|προσωπικ|osobn[ií] [uú]daje|personenbezogen|datenschutz|"
    r"dati personali|henkilötie|isikuandme|^\s*[*xX#]{3,}\s*$"
)


def _amount(value: float) -> str:
    return money(value, None)


def lines_and_total(figures: dict) -> str:
    """A report figure such as `credit_notes` ({"count", "total"}) as '12 lines, -3,456.78'."""
    return f"{figures['count']:,} lines, {_amount(figures['total'])}"


@dataclass
class CleaningReport:
    """What was detected in a ledger file and what was dropped, with line numbers."""

    file: str
    encoding: str
    delimiter: str | None
    header_line: int
    rows_read: int = 0
    rows_kept: int = 0
    dropped: list[dict] = field(default_factory=list)
    total_before: float = 0.0
    total_after: float = 0.0
    credit_notes: dict = field(default_factory=lambda: {"count": 0, "total": 0.0})
    redacted: dict = field(default_factory=lambda: {"count": 0, "total": 0.0})
    duplicates: dict = field(default_factory=lambda: {"count": 0, "total": 0.0, "examples": []})
    total_dropped: float = 0.0
    currency: str | None = None
    currencies: list[dict] = field(default_factory=list)
    main_years: list[int] = field(default_factory=list)
    outside_period: dict = field(default_factory=dict)
    repeated_invoices: dict = field(default_factory=dict)
    decimal: str = "."
    period: tuple = (None, None)
    columns: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    date_order: str | None = None
    mapping_source: str = "guessed"

    def to_dict(self) -> dict:
        """A JSON-able copy (dates as ISO strings)."""
        out = asdict(self)
        out["period"] = {"start": iso_date(self.period[0]), "end": iso_date(self.period[1])}
        return out

    def to_text(self) -> str:
        """A plain report a learner can read line by line."""
        delim = DELIMITER_NAMES.get(self.delimiter or "", self.delimiter or "(spreadsheet)")
        lines = [
            f"Cleaning report for {self.file}",
            f"  read as: encoding {self.encoding}, delimiter {delim}, decimal mark '{self.decimal}'"
            + (f", dates {self.date_order}" if self.date_order else ""),
            f"  header found on line {self.header_line}; columns used ({self.mapping_source}): "
            + ", ".join(f"{role} = '{col}'" for role, col in self.columns.items()),
            f"  rows read after the header: {self.rows_read:,}; payments kept: {self.rows_kept:,}",
        ]
        for drop in self.dropped:
            where = ", ".join(f"line {e['line']}" for e in drop["examples"][:5])
            amounts = f", amounts {_amount(drop['total'])}" if drop.get("total") else ""
            lines.append(f"  dropped {drop['count']:,} × {drop['reason']} (e.g. {where}{amounts})")
        lines.append(f"  amounts on the payments kept: {_amount(self.total_after)} (the analysis's total)")
        lines.append(f"  amounts on dropped lines (not payments): {self.dropped_text()}")
        lines.append(
            f"  credit notes (negative amounts): {self.credit_notes['count']:,}, "
            f"total {_amount(self.credit_notes['total'])}"
        )
        lines.append(f"  redacted supplier names: {self.redacted['count']:,}, total {_amount(self.redacted['total'])}")
        if self.duplicates["count"]:
            first = self.duplicates["examples"][0]
            lines.append(
                f"  possible duplicates (kept): {self.duplicates['count']:,} lines identical to an "
                f"earlier line, total {_amount(self.duplicates['total'])} (e.g. line {first['line']} "
                f"repeats line {first['first_line']})"
            )
        lines.append(f"  period: {self.period_text()}; currency: {self.currency_text()}")
        lines.extend(f"  note: {w}" for w in self.warnings)
        return "\n".join(lines)

    def dropped_text(self) -> str:
        """The amounts on dropped lines, by reason ('none' when no dropped line held an amount)."""
        parts = [
            f"{d['reason']}: {d['count']:,} line(s), {_amount(d['total'])}" for d in self.dropped if d.get("total")
        ]
        return f"{_amount(self.total_dropped)} ({'; '.join(parts)})" if parts else "none"

    def period_text(self) -> str:
        """'2014-07-01 to 2014-07-31', with the main period and the lines outside it when there are any."""
        start, end = self.period
        text = f"{iso_date(start) or '?'} to {iso_date(end) or '?'}"
        if self.outside_period:
            out = self.outside_period
            text += (
                f" (main period {year_span(self.main_years)}; {out['count']:,} line(s) dated {year_span(out['years'])})"
            )
        return text

    def currency_text(self) -> str:
        """The currency, or every currency with its lines when there are several."""
        stated = [c for c in self.currencies if c["currency"] != "not stated"]
        if len(stated) > 1:
            listed = ", ".join(f"{c['currency']} ({c['lines']:,} lines)" for c in self.currencies)
            return f"several, not converted: {listed}"
        return self.currency or "not stated"


@dataclass
class IngestResult:
    """The clean payments, the cleaning report and the role → column mapping used."""

    payments: pd.DataFrame
    report: CleaningReport
    mapping: dict[str, str]


def year_span(years: list[int]) -> str:
    """[2010, 2011] → '2010–2011'; [2014] → '2014'."""
    return str(years[0]) if years[0] == years[-1] else f"{years[0]}–{years[-1]}"


def iso_date(value) -> str | None:
    """A date as 'YYYY-MM-DD', or None when there is none."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return pd.Timestamp(value).date().isoformat()


def is_redacted(names: pd.Series) -> pd.Series:
    """True where a supplier name was withheld (e.g. 'REDACTED UNDER DP ACT', 'datos personales')."""
    codes, uniques = pd.factorize(names.fillna("").astype("str"))
    flags = pd.Series(np.asarray(uniques, dtype=object), dtype="str").str.contains(REDACTED_PATTERN, regex=True)
    return pd.Series(flags.to_numpy(dtype=bool)[codes] if len(uniques) else [], index=names.index, dtype="bool")


def contains_per_value(values: pd.Series, pattern: str) -> pd.Series:
    """`values.str.contains(pattern)` (missing: False), matched once per distinct text: a ledger
    repeats a few thousand names a million times, and Python's regex engine runs per value."""
    codes, uniques = pd.factorize(values)
    flags = pd.Series(np.asarray(uniques, dtype=object), dtype="str").str.contains(pattern, regex=True)
    flags = np.append(flags.to_numpy(dtype=bool, na_value=False), False)  # code -1 (missing): False
    return pd.Series(flags[codes], index=values.index, dtype="bool")


# ---------------------------------------------------------------- which rows are not payments


def ledger_supplier(table: pd.DataFrame, used: dict[str, str]) -> pd.Series:
    """The supplier-name column of the body ("" everywhere when the ledger has none)."""
    return table[used["supplier"]] if "supplier" in used else pd.Series("", index=table.index)


@dataclass
class RowKinds:
    """Boolean masks over the rows below the header: the kinds of row that are not payments."""

    blank: pd.Series
    repeated_header: pd.Series
    totals: pd.Series
    note_line: pd.Series
    no_amount: pd.Series
    unreadable: pd.Series

    def reasons(self) -> list[tuple[str, pd.Series]]:
        """(reason in the learner's words, mask), in the order the report lists them."""
        return [
            ("blank line", self.blank),
            ("repeated header row", self.repeated_header),
            ("totals or subtotal row", self.totals),
            ("note or footer line (one filled cell, no amount)", self.note_line),
            ("no amount", self.no_amount),
            ("amount is not a number", self.unreadable),
        ]


def classify_rows(table: pd.DataFrame, amounts: pd.Series, used: dict[str, str]) -> RowKinds:
    """Find the blank lines, repeated headers, totals, notes and rows without a usable amount."""
    n_filled = (table != "").sum(axis=1)
    blank = n_filled == 0
    repeated_header = _repeated_headers(table, amounts, n_filled, blank)
    totals = _totals_rows(table, amounts, used, n_filled, blank, repeated_header)
    no_amount_text = ~blank & ~repeated_header & ~totals & (table[used["amount"]] == "")
    note_line = no_amount_text & (n_filled <= 1)
    no_amount = no_amount_text & ~note_line
    unreadable = ~blank & ~repeated_header & ~totals & ~no_amount_text & amounts.isna()
    return RowKinds(blank, repeated_header, totals, note_line, no_amount, unreadable)


def _repeated_headers(table: pd.DataFrame, amounts: pd.Series, n_filled: pd.Series, blank: pd.Series) -> pd.Series:
    """Rows that repeat most of the header's names (a header printed on every page)."""
    could_be_header = ~blank & amounts.isna()  # a header's amount cell is a word
    same_as_header = (
        pd.DataFrame({c: table.loc[could_be_header, c].str.casefold() == c.casefold() for c in table.columns})
        .sum(axis=1)
        .reindex(table.index, fill_value=0)
    )
    return could_be_header & (same_as_header >= np.maximum(2, (n_filled * 0.6)))


def _totals_rows(
    table: pd.DataFrame,
    amounts: pd.Series,
    used: dict[str, str],
    n_filled: pd.Series,
    blank: pd.Series,
    repeated_header: pd.Series,
) -> pd.Series:
    """Totals and subtotals: labelled ones ("TOTAL", "Summe"…) and unlabelled sums of the rows above."""
    supplier = ledger_supplier(table, used)
    no_supplier = supplier == ""
    # "no date" = nothing readable as a date (a "TOTAL" label often sits in the date column)
    no_date = parse_dates(table[used["date"]])[0].isna() if "date" in used else pd.Series(True, index=table.index)
    # Only rows without a date, or without an amount, can be totals rows: check their words.
    maybe_total = ~blank & (no_date | (amounts.isna() & (n_filled <= 3)))
    other_text = table.loc[maybe_total, [c for c in table.columns if c != used["amount"]]]
    totals_word = other_text.apply(lambda col: col.str.contains(TOTALS_PATTERN, regex=True)).any(axis=1)
    totals_word = totals_word.reindex(table.index, fill_value=False).astype("bool")
    supplier_is_total = contains_per_value(supplier, TOTALS_PATTERN)
    # A real payment has a date: "TOTAL GAS & POWER LTD" with a date stays a payment.
    totals = ~repeated_header & totals_word & amounts.notna() & no_date & (no_supplier | supplier_is_total)
    totals |= ~repeated_header & totals_word & amounts.isna() & (n_filled <= 3)
    candidate = ~blank & ~repeated_header & ~totals & amounts.notna()
    check = (candidate & no_supplier) if "supplier" in used else pd.Series(False, index=table.index)
    return _running_subtotals(amounts, candidate & ~no_supplier, check, totals)


def _running_subtotals(amounts: pd.Series, counted: pd.Series, check: pd.Series, totals: pd.Series) -> pd.Series:
    """`totals`, plus every `check` row whose amount equals the sum of the `counted` rows before it
    (since the last subtotal, or since the start): a (sub)total row without a label."""
    running = amounts.where(counted, 0.0).fillna(0.0)
    cumulative = running.cumsum()
    last_total_cum = 0.0
    for idx in np.flatnonzero((check | totals).to_numpy()):
        before = float(cumulative.iloc[idx] - running.iloc[idx])
        if totals.iloc[idx]:  # a labelled subtotal: the next subtotal starts after it
            last_total_cum = before
            continue
        value = float(amounts.iloc[idx])
        if before and (abs(value - (before - last_total_cum)) < 0.005 or abs(value - before) < 0.005):
            totals.iloc[idx] = True
            last_total_cum = before
    return totals


# ---------------------------------------------------------------- what the report records


def row_text(table: pd.DataFrame, position: int) -> str:
    """One body row as the learner sees it in the file (cells joined by ' | ', at most 200 characters)."""
    return " | ".join(table.iloc[position])[:200]


def record_drops(
    report: CleaningReport, kinds: RowKinds, table: pd.DataFrame, lines: np.ndarray, amounts: pd.Series
) -> pd.Series:
    """List the dropped rows by reason (a row counts under its first reason), with the amounts they held
    (a totals row's amount is not spend: it is listed apart), and return the rows kept."""
    keep = pd.Series(True, index=table.index)
    for reason, mask in kinds.reasons():
        mask = mask & keep
        if mask.any():
            where = np.flatnonzero(mask.to_numpy())
            report.dropped.append(
                {
                    "reason": reason,
                    "count": int(len(where)),
                    "total": round(float(amounts[mask].sum()), 2),
                    "examples": [{"line": int(lines[i]), "text": row_text(table, i)} for i in where[:5]],
                }
            )
            keep &= ~mask
    report.total_dropped = round(sum(d["total"] for d in report.dropped), 2)
    return keep


def add_figures(report: CleaningReport, payments: pd.DataFrame, no_supplier_kept: pd.Series) -> None:
    """Totals, credit notes, redactions and period of the payments kept (currencies: `ledger_checks`)."""
    report.rows_kept = int(len(payments))
    report.total_after = round(exact_total(payments["amount"]), 2)
    credit = payments["is_credit_note"]
    report.credit_notes = {"count": int(credit.sum()), "total": round(exact_total(payments.loc[credit, "amount"]), 2)}
    red = payments["redacted"]
    report.redacted = {"count": int(red.sum()), "total": round(exact_total(payments.loc[red, "amount"]), 2)}
    if no_supplier_kept.any():
        report.warnings.append(f"{int(no_supplier_kept.sum())} kept payment(s) have no supplier name.")
    if payments["date"].notna().any():
        report.period = (payments["date"].min(), payments["date"].max())


def record_duplicates(report: CleaningReport, payments: pd.DataFrame, table: pd.DataFrame, keep: pd.Series) -> None:
    """Count the kept lines that are exact copies of an earlier kept line (they stay: both can be real)."""
    kept = table[keep].reset_index(drop=True)
    # Only rows that share their first three cells with another row can be copies: group those by
    # every cell (a copy and the line it repeats are both among them), the rest are unique.
    may_repeat = kept.duplicated(subset=list(kept.columns[:3]), keep=False).to_numpy()
    if not may_repeat.any():
        return
    candidates = kept[may_repeat]
    # one grouping of identical rows gives both "is a copy" and "copy of which line"
    groups = candidates.groupby(list(table.columns), sort=False, dropna=False).ngroup().to_numpy()
    dup = np.zeros(len(kept), dtype=bool)
    dup[may_repeat] = pd.Series(groups).duplicated(keep="first").to_numpy()
    if not dup.any():
        return
    first_of_group = pd.Series(0, index=range(len(kept)), dtype="int64")
    lines = payments["source_line"].to_numpy()[may_repeat]
    first_of_group[may_repeat] = pd.Series(lines).groupby(groups).transform("first").to_numpy()
    report.duplicates = {
        "count": int(dup.sum()),
        "total": round(exact_total(payments["amount"][dup]), 2),
        "examples": [
            {
                "line": int(payments["source_line"].iloc[i]),
                "first_line": int(first_of_group.iloc[i]),
                "text": row_text(table, int(np.flatnonzero(keep.to_numpy())[i])),
            }
            for i in np.flatnonzero(dup)[:5]
        ],
    }
    report.warnings.append(
        f"{report.duplicates['count']} line(s) are exact copies of an earlier line; "
        f"they are kept (two identical payments can be real) — check them."
    )
