"""Checks on a ledger's payments that change what a total means, written into the cleaning report.

- `record_period`: the ledger's main period (the years holding a meaningful share of its dated
  lines) and the lines dated outside it, reported ("12 lines dated 2010–2011"), never hidden;
- `record_currencies`: what is summed when one file holds several currencies (nothing is converted);
- `record_repeated_invoices`: an invoice number repeated on several lines with the same amount each
  time, the sign of an invoice TOTAL repeated per line item, which would count the invoice again and
  again; the warning names the column to use instead when the file has one.

The lines are course design (`course/content/spend_scope_thresholds.yaml`).
"""

from __future__ import annotations

import pandas as pd

from helpers.core.fmt import money, pct
from helpers.spend.cleaning import CleaningReport, is_redacted, year_span
from helpers.spend.mapping import header_scores, invoice_header
from helpers.spend.parsing import parse_amounts
from helpers.spend.shares import threshold

NO_CURRENCY = "not stated"


def main_years(dates: pd.Series, share: float | None = None) -> list[int]:
    """The years holding at least `share` of the dated lines (default: `main_year_share`), in order."""
    years = pd.to_datetime(dates).dt.year.dropna().astype("int64")
    if years.empty:
        return []
    line = threshold("main_year_share") if share is None else share
    counts = years.value_counts(normalize=True)
    return sorted(int(y) for y, s in counts.items() if s >= line)


def record_period(report: CleaningReport, payments: pd.DataFrame) -> None:
    """The main period and the lines dated outside it (kept, counted in every total, and said)."""
    dates = payments["date"]
    main = main_years(dates)
    report.main_years = main
    if not main:
        return
    years = dates.dt.year
    outside = dates.notna() & ~years.isin(main)
    if not outside.any():
        return
    out_years = sorted(int(y) for y in years[outside].unique())
    report.outside_period = {
        "count": int(outside.sum()),
        "total": round(float(payments.loc[outside, "amount"].sum()), 2),
        "years": out_years,
        "first_line": int(payments.loc[outside, "source_line"].iloc[0]),
    }
    report.warnings.append(
        f"{int(outside.sum()):,} payment line(s) are dated {year_span(out_years)}, outside the "
        f"main period ({year_span(main)}), total {money(report.outside_period['total'], None)} "
        f"(e.g. line {report.outside_period['first_line']}). They are kept and counted in every total; "
        "to leave them out, choose a year in the dashboard's Year filter."
    )


def record_currencies(report: CleaningReport, payments: pd.DataFrame) -> None:
    """Each currency's lines and total; with several, say what the totals add and what to choose."""
    codes = payments["currency"].astype("str").fillna(NO_CURRENCY)
    stated = payments["currency"].dropna()
    report.currency = str(stated.mode().iloc[0]) if len(stated) else None
    groups = payments.groupby(codes, sort=False)["amount"].agg(["size", "sum"])
    groups = groups.sort_values("sum", ascending=False, kind="stable")
    report.currencies = [
        {"currency": str(code), "lines": int(row["size"]), "total": round(float(row["sum"]), 2)}
        for code, row in groups.iterrows()
    ]
    if stated.nunique() <= 1:  # one currency (lines without one are taken to be in it)
        return
    listed = "; ".join(f"{c['currency']} {money(c['total'], None)} on {c['lines']:,} lines" for c in report.currencies)
    report.warnings.append(
        f"the amounts are in more than one currency ({listed}). Every total adds them as they stand: no "
        "exchange rate is applied, so a total over several currencies is not an amount in any one of them. "
        "Choose one currency in the dashboard's Currency filter, or convert the amounts to one currency "
        "before loading the file."
    )


def _line_amount_column(table: pd.DataFrame, amount_column: str, ids: pd.Series, repeated: pd.Index) -> str | None:
    """Another amount column whose values differ within the repeated invoices (each line's own amount)."""
    in_repeated = ids.isin(repeated)
    best = None
    for column in table.columns:
        if column == amount_column or header_scores(column).get("amount", (0.0, ""))[0] < 0.5:
            continue
        values, _ = parse_amounts(table.loc[in_repeated, column])
        if values.notna().mean() < 0.9:
            continue
        varies = values.groupby(ids[in_repeated]).nunique()
        if (varies > 1).mean() >= 0.5:
            best = best or column
    return best


def record_repeated_invoices(
    report: CleaningReport, kept: pd.DataFrame, amounts: pd.Series, used: dict[str, str]
) -> None:
    """Warn when the amount looks like an invoice total repeated on each of the invoice's lines."""
    columns = [c for c in kept.columns if c not in used.values() and invoice_header(c)]
    for column in columns:
        ids = kept[column]
        usable = (ids != "") & ~is_redacted(ids) & amounts.notna()
        frame = pd.DataFrame({"id": ids[usable], "amount": amounts[usable]})
        sizes = frame.groupby("id")["amount"].agg(["size", "nunique", "first"])
        multi = sizes[sizes["size"] > 1]
        same = multi[multi["nunique"] == 1]
        if len(same) < threshold("repeated_invoice_min") or len(same) / len(multi) < threshold(
            "repeated_invoice_share"
        ):
            continue
        extra = float((same["first"] * (same["size"] - 1)).sum())
        instead = _line_amount_column(kept, used["amount"], ids.where(usable), same.index)
        report.repeated_invoices = {
            "invoice_column": column,
            "amount_column": used["amount"],
            "invoices": int(len(same)),
            "invoices_on_several_lines": int(len(multi)),
            "lines": int(same["size"].sum()),
            "counted_again": round(extra, 2),
            "use_instead": instead,
        }
        fix = (
            f"choose '{instead}' (each line's own amount) as the amount paid in the mapping"
            if instead
            else "choose the column with each line's own amount in the mapping, or export one line per invoice"
        )
        report.warnings.append(
            f"the amount column '{used['amount']}' looks like an invoice total repeated on every line: "
            f"{len(same):,} of the {len(multi):,} invoice numbers in '{column}' that span several lines "
            f"({pct(len(same) / len(multi), decimals=0)}) carry the same amount on each of their lines, so "
            f"{money(extra, None)} is counted more than once in every total. If these are invoice totals, {fix}."
        )
        return
