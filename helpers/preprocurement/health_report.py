"""The health check's views as HTML (the widget and the static view show the same): the headline, what each
flag could check, what the data lacks, the summary and the flagged tenders, and what was read or not."""

from __future__ import annotations

import pandas as pd

from helpers.core.fmt import number, pct
from helpers.core.safety import escape_html
from helpers.preprocurement.flag_scope import coverage_text, missing_data
from helpers.preprocurement.health_sources import HealthSource
from helpers.preprocurement.red_flags import (
    flag_coverage,
    flag_meanings,
    flags_headline,
    health_summary,
    unrecognised_procedures,
)
from helpers.ui.messages import issues_html

MAX_SHOWN = 50  # data issues and unreadable files listed in the page (all are counted)
NOT_CHECKED = "not checked"


def flagged_view(flags: pd.DataFrame) -> pd.DataFrame:
    """The flagged tenders with their flags and reasons; amounts keep their currency (never converted)."""
    shown = flags[flags["flagged"]].copy()
    codes = list(flag_meanings())
    shown["flags"] = [", ".join(c for c in codes if row[c]) for _, row in shown.iterrows()]
    cols = ["tender_id", "title", "procedure", "submission_days", "number_of_tenderers", "currency", "flags", "reasons"]
    return shown[[c for c in cols if c in shown]].reset_index(drop=True)


def summary_view(flags: pd.DataFrame) -> pd.DataFrame:
    """`health_summary` for reading: a flag that could not be checked in a group reads "not checked", a rate
    that cannot be computed "unknown" (never 0)."""
    summary = health_summary(flags).astype("object")
    for code in flag_meanings():
        summary[code] = [NOT_CHECKED if pd.isna(v) else int(v) for v in summary[code]]
    for col in ("single_bid_rate_pct", "flagged_pct"):
        summary[col] = [pct(v, decimals=1, fraction=False) for v in summary[col]]
    summary["mean_bidders"] = [number(v) if not pd.isna(v) else "unknown" for v in summary["mean_bidders"]]
    return summary


def flag_counts_html(flags: pd.DataFrame, r003_days: int) -> str:
    """The headline and, per flag, how many tenders it checked and flagged, and why not the others."""
    items = []
    for entry in flag_coverage(flags):
        law = f"<br><small>{escape_html(entry['law'])}</small>" if "law" in entry else ""
        items.append(
            f"<li><b>{escape_html(entry['flag'])}</b> {escape_html(entry['title'])}: "
            f"{escape_html(coverage_text(entry))}{law}</li>"
        )
    assumed = (
        "<div><i>The tables have no buyer_country column, so the buyers are taken to be in the EU.</i></div>"
        if flags.attrs.get("buyers_assumed_in_eu")
        else ""
    )
    return (
        f"<div class='spw-health-count-list'><b>{escape_html(flags_headline(flags))}</b> "
        f"(short period = under {int(r003_days)} days)<ul>{''.join(items)}</ul>{assumed}</div>"
    )


def reading_html(source: HealthSource, flags: pd.DataFrame) -> str:
    """What the data lacks, procedures not recognised, files read and not read, notes and data issues."""
    parts = [f"<div><b>Data:</b> {escape_html(source.label)}</div>"]
    lacks = missing_data(flags)
    if lacks:
        rows = "".join(
            f"<li>{escape_html(lack['missing'])}: missing for {lack['tenders']} of {len(flags)} tenders; "
            f"to check more, add {escape_html(lack['add'])}</li>"
            for lack in lacks
        )
        parts.append(f"<div class='spw-health-missing'><b>What the data lacks</b><ul>{rows}</ul></div>")
    unknown = unrecognised_procedures(flags)
    if unknown:
        names = "".join(f"<li>{escape_html(name)} ({n} tenders)</li>" for name, n in unknown.items())
        parts.append(
            "<div class='spw-health-unrecognised'><b>Procedure names not recognised</b> (the procedure-based flags "
            f"were not checked on these tenders)<ul>{names}</ul></div>"
        )
    data = source.ocds
    if data is not None:
        parts.append(
            f"<div class='spw-health-files'>Files read: {data.files_read}; not read: {len(data.unreadable)}"
            + "".join(
                f"<div>Not read: {escape_html(name)}: {escape_html(why)}</div>"
                for name, why in data.unreadable[:MAX_SHOWN]
            )
            + (f"<div>… and {len(data.unreadable) - MAX_SHOWN} more</div>" if len(data.unreadable) > MAX_SHOWN else "")
            + "</div>"
        )
        parts += [f"<div><i>Note: {escape_html(note)}</i></div>" for note in data.notes[:MAX_SHOWN]]
        if data.data_issues:
            more = len(data.data_issues) - MAX_SHOWN + data.more_data_issues
            parts.append(
                issues_html(data.data_issues[:MAX_SHOWN], heading="Data issues (each value taken as unknown)")
                + (f"<div>… and {more} more</div>" if more > 0 else "")
            )
    return "".join(parts)
