"""The workbench's tables in the learner's words: the headline figures and the cleaning report
(every piece of text from a file escaped)."""

from __future__ import annotations

import pandas as pd

from helpers.core.fmt import money, number
from helpers.core.safety import escape_html
from helpers.core.tables import DELIMITER_NAMES
from helpers.spend.cleaning import CleaningReport, lines_and_total
from helpers.spend.shares import headline_shares
from helpers.ui.exports import html_table

HEADLINE_LABELS = {
    "total": "Total spend (net, credit notes included)",
    "local_share_city": "Share spent with suppliers in the city",
    "local_share_region": "Share spent in the city or the wider region",
    "sme_share": "Share spent with SMEs",
    "social_economy_share": "Share spent with social-economy organisations",
    "unknown_location_share": "Share whose supplier location is unknown",
    "top10_share": "Share held by the 10 largest suppliers",
    "hhi": "Concentration (HHI, 0-10,000)",
    "suppliers": "Supplier groups",
    "lines": "Payment lines",
}


def headline_value(key: str, value, currency: str | None = None) -> str:
    """One headline figure as text: money with its currency, HHI points, counts, or a share ("unknown"
    with the size of a large unknown part, through `helpers.spend.shares`)."""
    if key == "total":
        return money(value, currency)
    if key == "hhi":
        return number(round(value)) if value is not None else number(None)
    if key in ("suppliers", "lines"):
        return f"{value:,}"
    share = headline_shares({key: value}).get(key)
    return share.text() if share else number(value)


def headline_table(
    head: dict, currency: str | None = None, scope: str = "value", notes: dict[str, str] | None = None
) -> pd.DataFrame:
    """The headline figures in the learner's words: indicator, the figure (the column is named after the
    scope, e.g. "all payments" or "year 2024, service area Housing", so every figure shows its filters)
    and "about this figure" (why a share is unknown, how large an unknown part is, what the total holds)."""
    shares = headline_shares(head)
    about = dict(notes or {})
    said: set[str] = set()
    for key, share in shares.items():
        if share.explain() and key in HEADLINE_LABELS and key not in about:
            # the same reason twice in a row (city, then city + region) is said once
            about[key] = share.explain() if share.explain() not in said else "Unknown, for the same reason as above."
            said.add(share.explain())
    rows = []
    for key, label in HEADLINE_LABELS.items():
        value = shares[key].text() if key in shares else headline_value(key, head[key], currency)
        rows.append({"indicator": label, scope: value, "about this figure": about.get(key, "")})
    return pd.DataFrame(rows, columns=["indicator", scope, "about this figure"])


def cleaning_report_html(report: CleaningReport) -> str:
    """The cleaning report: what was detected, kept and dropped (with line numbers), all escaped."""
    delim = DELIMITER_NAMES.get(report.delimiter or "", report.delimiter or "spreadsheet")
    facts = pd.DataFrame(
        [
            ("File", report.file),
            ("Encoding", report.encoding),
            ("Delimiter", delim),
            ("Decimal mark", report.decimal),
            ("Dates", report.date_order or "-"),
            ("Header on line", report.header_line),
            ("Rows read after the header", f"{report.rows_read:,}"),
            ("Payments kept", f"{report.rows_kept:,}"),
            ("Amounts on the payments kept (the analysis's total)", money(report.total_after, None)),
            ("Amounts on dropped lines (not payments)", report.dropped_text()),
            ("Credit notes (negative, kept)", lines_and_total(report.credit_notes)),
            ("Redacted supplier names (kept)", lines_and_total(report.redacted)),
            ("Possible duplicates (kept)", lines_and_total(report.duplicates)),
            ("Currency", report.currency_text()),
            ("Period", report.period_text()),
            ("Columns used", ", ".join(f"{r} = {c}" for r, c in report.columns.items())),
        ],
        columns=["what", "found"],
    )
    parts = [f'<div class="spw-cleaning"><b>Cleaning report</b>{html_table(facts)}']
    if report.dropped:
        dropped = pd.DataFrame(
            [
                {
                    "reason": d["reason"],
                    "rows": d["count"],
                    "amounts on them": money(d.get("total", 0.0), None),
                    "examples": "; ".join(f"line {x['line']}: {x['text']}" for x in d["examples"][:3]),
                }
                for d in report.dropped
            ]
        )
        parts.append(f"<b>Rows dropped, by reason</b>{html_table(dropped)}")
    else:
        parts.append("<p>No rows were dropped.</p>")
    if report.duplicates["count"]:
        dups = pd.DataFrame(
            [
                {"line": x["line"], "repeats line": x["first_line"], "text": x["text"]}
                for x in report.duplicates["examples"]
            ]
        )
        parts.append(f"<b>Possible duplicates (kept: two identical payments can be real)</b>{html_table(dups)}")
    if report.warnings:
        parts.append("<ul>" + "".join(f"<li>{escape_html(w)}</li>" for w in report.warnings) + "</ul>")
    return "".join(parts) + "</div>"
