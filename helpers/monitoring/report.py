"""Module 7's monitoring report and its exports, the month in brief, the year's credits, and the
self-checks computed on them (`service-credit-eur`, `red-kpis`)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from helpers.core.errors import LearnerError
from helpers.core.fmt import is_missing, money
from helpers.core.paths import exports_dir
from helpers.learning.registry import self_check
from helpers.monitoring.alerts import alert_counts, alerts, alerts_shown
from helpers.monitoring.dashboard import TABLE_NAMES, filter_contracts, load_monitoring_tables, portfolio_summary
from helpers.monitoring.kpis import (
    RagRules,
    contract_states,
    kpi_status,
    month_label,
    month_number,
    plain_number,
    resolve_as_of,
    service_credits,
)
from helpers.monitoring.social_value import SV_BEHIND_TOLERANCE_PCT, social_value_progress, social_value_table
from helpers.ui.exports import Report, save_report, save_tables_xlsx


def monitoring_report(
    contracts: pd.DataFrame,
    kpis: pd.DataFrame,
    returns: pd.DataFrame,
    commitments: pd.DataFrame,
    delivery: pd.DataFrame,
    as_of=None,
    *,
    service_area=None,
    supplier=None,
    rules: RagRules | None = None,
    months_ahead: int = 6,
    sv_tolerance_pct: float = SV_BEHIND_TOLERANCE_PCT,
) -> tuple[Report, dict[str, pd.DataFrame]]:
    """A monitoring report for the chosen contracts on `as_of`, and its tables for a workbook
    (Portfolio, Alerts, KPI status, Service credits, Social value)."""
    rules = rules or RagRules()
    as_of = resolve_as_of(as_of, returns)
    chosen = filter_contracts(contracts, service_area, supplier)
    summary = portfolio_summary(
        chosen,
        kpis,
        returns,
        commitments,
        delivery,
        as_of,
        rules=rules,
        months_ahead=months_ahead,
        sv_tolerance_pct=sv_tolerance_pct,
    )
    status = kpi_status(kpis, returns, rules, contracts=chosen, as_of=as_of)
    status = status[status["contract_id"].isin(chosen["contract_id"])].reset_index(drop=True)
    credits = service_credits(status, chosen)
    found = alerts(
        chosen,
        kpis,
        returns,
        commitments,
        delivery,
        as_of,
        months_ahead,
        rules,
        status=status,
        sv_tolerance_pct=sv_tolerance_pct,
    )
    progress = social_value_progress(commitments, delivery, chosen, as_of, sv_tolerance_pct)
    tables = {
        "Portfolio": summary,
        "Alerts": alerts_shown(found),
        "KPI status": status,
        "Service credits": credits,
        "Social value": progress,
    }
    now = status[status["period"] == as_of]["status"].value_counts()
    states = summary["state"].value_counts()
    report = Report(
        f"Contract monitoring report, {as_of}", subtitle=f"{len(summary)} contract(s); returns due up to {as_of}"
    )
    severities = alert_counts(found)
    total_credits = summary["credits_to_date_eur"]
    unknown_credits = int(total_credits.isna().sum())
    report.add(
        "Summary",
        paragraphs=[
            f"KPI returns for {as_of}: {int(now.get('green', 0))} green, {int(now.get('amber', 0))} amber, "
            f"{int(now.get('red', 0))} red, {int(now.get('missing', 0))} missing.",
            f"Contracts in {as_of}: {int(states.get('running', 0))} running, {int(states.get('ended', 0))} ended, "
            f"{int(states.get('not started', 0))} not started (ended and not started contracts are not rated).",
            f"Service credits to date: EUR {plain_number(total_credits.sum())}"
            + (
                f" (and unknown for {unknown_credits} contract(s): a red month with no monthly charge or "
                "credit % in the contract register, or no KPIs)"
                if unknown_credits
                else ""
            )
            + f". Alerts: {len(found)} ({severities['high']} high, {severities['medium']} medium, "
            f"{severities['low']} low).",
        ],
    )
    report.add(
        "Portfolio",
        table=summary[
            [
                "contract_id",
                "supplier",
                "service_area",
                "status",
                "green",
                "amber",
                "red",
                "missing",
                "credits_to_date_eur",
                "alerts",
            ]
        ].assign(credits_to_date_eur=total_credits.map(lambda v: money(v, None))),
    )
    report.add(
        "Alerts, most urgent first",
        paragraphs=[] if len(found) else ["No alerts."],
        table=alerts_shown(found) if len(found) else None,
    )
    behind = progress[~progress["on_track"] & (progress["elapsed_months"] > 0)]
    report.add(
        "Social value behind its pro-rata path",
        paragraphs=[] if len(behind) else ["Every measure is on or ahead of its pro-rata path."],
        table=social_value_table(behind) if len(behind) else None,
    )
    report.add(
        "How the figures are worked out",
        bullets=[
            "RAG: green meets the target; amber is within the KPI's tolerance band "
            f"(default {plain_number(rules.default_tolerance_pct)} % of the target); red is worse. Common practice, "
            "not law (the contract sets the real bands).",
            "Service credit: the contract's % of the monthly charge for each red KPI in a month, capped at the "
            "contract's cap % of that month's charge (course-design reading of the cap).",
            "Social value: pro-rata path = commitment × months elapsed / term; a measure is behind when delivery "
            f"is more than {plain_number(sv_tolerance_pct)} % below the path (course design); "
            "forecast = delivery so far "
            "at the same monthly pace to the end (run-rate).",
            "A missing return is shown as missing, not as red, and earns no service credit (course design).",
            "A contract that has ended, or not yet started, in the month looked at is shown as such and not rated.",
            "People and other countable things are counted in whole units: a fraction reported is rounded down.",
        ],
    )
    return report, tables


def export_monitoring_report(
    path_prefix=None,
    contracts=None,
    kpis=None,
    returns=None,
    commitments=None,
    delivery=None,
    as_of=None,
    *,
    formats: Iterable[str] = ("xlsx", "md", "html"),
    **options,
) -> list[Path]:
    """Write the monitoring report as `<path_prefix>.xlsx` (tables, formulas neutralised),
    `.md`, `.html` and/or `.docx`. Tables left as None are loaded from the shipped data;
    `path_prefix` defaults to my_work/exports/monitoring_<as_of>."""
    given = (contracts, kpis, returns, commitments, delivery)
    if any(t is None for t in given):
        shipped = load_monitoring_tables()
        given = tuple(t if t is not None else shipped[name] for t, name in zip(given, TABLE_NAMES))
    report, tables = monitoring_report(*given, as_of, **options)
    if path_prefix is None:
        path_prefix = exports_dir() / f"monitoring_{resolve_as_of(as_of, given[2])}"
    prefix = Path(path_prefix)
    written = []
    for fmt in formats:
        suffix = fmt.lower().lstrip(".")
        target = prefix.with_name(prefix.name + "." + suffix)
        if suffix == "xlsx":
            written.append(save_tables_xlsx(tables, target))
        elif suffix in ("md", "html", "docx"):
            written.append(save_report(report, target))
        else:
            raise LearnerError(f"'{fmt}' is not an export format", fix="Use xlsx, md, html or docx")
    return written


# ---------------------------------------------------------------- the notebook's worked example and self-checks


def month_in_brief(
    contract_id: str,
    period,
    contracts: pd.DataFrame,
    kpis: pd.DataFrame,
    returns: pd.DataFrame,
    rules: RagRules | None = None,
) -> str:
    """One contract's month in plain words: each KPI's status with its value and target, and
    the service credit due (for the notebook's key result)."""
    cid, month = str(contract_id), month_label(month_number(period))
    one = contracts[contracts["contract_id"].astype("str") == cid]
    if one.empty:
        raise LearnerError(f"there is no contract {cid}", fix="Choose a contract_id from the contracts table")
    state = contract_states(one, month).iloc[0]
    if state["state"] == "ended":
        end = pd.Timestamp(one.iloc[0]["end_date"]).date().isoformat()
        return f"{cid} {month}: the contract ended on {end}, so nothing is rated for this month."
    if state["state"] == "not started":
        begin = pd.Timestamp(one.iloc[0]["start_date"]).date().isoformat()
        return f"{cid} {month}: the contract starts on {begin}, so no KPI returns were due yet."
    status = kpi_status(kpis[kpis["contract_id"].astype("str") == cid], returns, rules, contracts=one, as_of=month)
    rows = status[status["period"] == month]
    if rows.empty:
        return f"{cid} {month}: no KPI returns were due (the contract has no KPIs in the KPI table)."
    parts = [
        f"{r.kpi_id} {r.status}"
        + ("" if r.status == "missing" else f" ({plain_number(r.value)} vs target {plain_number(r.target)})")
        for r in rows.itertuples()
    ]
    credit = service_credits(rows, one).iloc[0]
    charge = one.iloc[0].get("monthly_charge_eur")
    if is_missing(credit["credit_eur"]):
        due = (
            "service credit unknown: the contract register gives no monthly charge or no service-credit % "
            "for this contract"
        )
    else:
        due = (
            f"service credit {money(credit['credit_eur'])} ({plain_number(credit['credit_pct'])} % of the "
            f"monthly charge of {money(charge)})"
        )
    return f"{cid} {month}: " + ", ".join(parts) + f". Red KPIs: {int(credit['red_kpis'])}; {due}."


def credits_in_year(
    contracts: pd.DataFrame, kpis: pd.DataFrame, returns: pd.DataFrame, year: int, rules: RagRules | None = None
) -> pd.DataFrame:
    """Per contract, the KPI returns of `year` (green, amber, red, missing) and the service credits
    earned that year: what monitoring hands back to next year's spend analysis and strategy."""
    last = month_label(int(year) * 12 + 11)
    rated = kpi_status(kpis, returns, rules, contracts=contracts, as_of=last)
    rated = rated[rated["period"].str.startswith(f"{int(year)}-")]
    counts = (
        rated.groupby("contract_id")["status"]
        .value_counts()
        .unstack(fill_value=0)
        .reindex(columns=["green", "amber", "red", "missing"], fill_value=0)
    )
    credits = (
        service_credits(rated, contracts)
        .groupby("contract_id")["credit_eur"]
        .agg(lambda values: values.sum(min_count=len(values)))  # one unknown month makes the year unknown
        .rename("credits_eur")
    )
    base = contracts.assign(contract_id=contracts["contract_id"].astype("str")).set_index("contract_id")
    out = base.reindex(columns=["supplier_name", "service_area"]).join(counts, how="inner").join(credits)
    out["credits_eur"] = out["credits_eur"].round(2)
    return (
        out.reset_index()
        .sort_values(["red", "contract_id"], ascending=[False, True], kind="stable")
        .reset_index(drop=True)
    )


def year_in_brief(review: pd.DataFrame, place: str, year: int) -> str:
    """The year's monitoring results (from `credits_in_year`) in one sentence; credits "unknown" (and why)
    when a red month's credit cannot be worked out."""
    credits = review["credits_eur"]
    unknown = int(credits.isna().sum())
    total = (
        f"EUR {credits.sum():,.2f}"
        if not unknown
        else f"unknown for {unknown} contract(s) (a red month with no monthly charge or credit % in the "
        f"contract register); EUR {credits.sum():,.2f} for the others"
    )
    return (
        f"{place} {int(year)}: KPI returns from {len(review)} contract(s), {int(review['red'].sum())} of them red; "
        f"service credits {total}"
    )


@self_check("service-credit-eur")
def service_credit_for(contract_id: str, period: str) -> float:
    """Self-check: the service credit (EUR) due for one contract and month, on the shipped data."""
    t = load_monitoring_tables()
    one = t["contracts"][t["contracts"]["contract_id"] == contract_id]
    status = kpi_status(
        t["kpis"][t["kpis"]["contract_id"] == contract_id], t["kpi_returns"], contracts=one, as_of=period
    )
    credits = service_credits(status[status["period"] == month_label(month_number(period))], one)
    return float(credits["credit_eur"].sum())


@self_check("red-kpis")
def red_kpis_for(contract_id: str, period: str) -> int:
    """Self-check: how many KPIs of one contract were red in a month, on the shipped data."""
    t = load_monitoring_tables()
    one = t["contracts"][t["contracts"]["contract_id"] == contract_id]
    status = kpi_status(
        t["kpis"][t["kpis"]["contract_id"] == contract_id], t["kpi_returns"], contracts=one, as_of=period
    )
    return int((status[status["period"] == month_label(month_number(period))]["status"] == "red").sum())
