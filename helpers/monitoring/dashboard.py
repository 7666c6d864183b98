"""What a contract-management dashboard shows: alerts, a portfolio summary (one row per
contract), one contract's detail, and the monitoring report with its exports.

Every function takes the five monitoring tables as plain DataFrames (as loaded by
`load_monitoring_tables`) plus `as_of`, the last month whose returns are due (YYYY-MM;
by default the latest month with a return), and filters as plain arguments, so a
widget only has to pass its dropdown values through.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.core.errors import LearnerError
from helpers.data import load_table
from helpers.monitoring.alerts import alerts
from helpers.monitoring.kpis import (
    STATUSES,
    RagRules,
    contract_states,
    kpi_status,
    latest_month,
    month_label,
    month_number,
    month_numbers,
    overall_status,
    resolve_as_of,
    service_credits,
    state_text,
)
from helpers.monitoring.social_value import SV_BEHIND_TOLERANCE_PCT, social_value_path, social_value_progress

TABLE_NAMES = ("contracts", "kpis", "kpi_returns", "social_value_commitments", "social_value_delivery")
DEFAULT_CONTRACT = "PV-C-2025-017"  # the running purchase: playground equipment (modules 5-7)


def load_monitoring_tables(city: str | None = None) -> dict[str, pd.DataFrame]:
    """The five shipped monitoring tables, by name (contracts, kpis, kpi_returns, ...);
    `city` ("portavera", "valmora", ...) keeps only that city's contracts."""
    return {name: load_table(name, city) for name in TABLE_NAMES}


def city_tables(city: str) -> dict[str, pd.DataFrame]:
    """The five monitoring tables of one city, with a clear message if the city has no contracts."""
    tables = load_monitoring_tables(city)
    if tables["contracts"].empty:
        raise LearnerError(f"the course data has no contracts for '{city}'", fix="Use portavera, valmora or nordhaven")
    return tables


def default_contract(contracts: pd.DataFrame) -> str:
    """PV-C-2025-017 when the city has it, else the city's first contract."""
    ids = contracts["contract_id"].astype("str").tolist()
    if not ids:
        raise LearnerError(
            "this city has no contracts in the contract register",
            fix="Choose another city, or add contracts to contracts.csv",
        )
    return DEFAULT_CONTRACT if DEFAULT_CONTRACT in ids else sorted(ids)[0]


def period_options(contracts: pd.DataFrame, returns: pd.DataFrame, until=None) -> list[str]:
    """Every month from the first contract start to `until` (default: the latest return), newest last."""
    last = month_number(until) if until is not None else month_number(latest_month(returns))
    first = int(month_numbers(contracts["start_date"].astype("str"), "contracts table", "start_date").min())
    return [month_label(m) for m in range(min(first, last), last + 1)]


def _selected(values, wanted) -> pd.Series:
    if wanted is None or wanted == "" or (not isinstance(wanted, str) and len(wanted) == 0):
        return pd.Series(True, index=values.index)
    wanted = [wanted] if isinstance(wanted, str) else list(wanted)
    return values.astype("str").isin([str(w) for w in wanted])


def filter_contracts(contracts: pd.DataFrame, service_area=None, supplier=None) -> pd.DataFrame:
    """The contracts in the chosen service area(s) and of the chosen supplier(s) (name or id); None = all."""
    keep = _selected(contracts["service_area"], service_area) if "service_area" in contracts else True
    if supplier is not None:
        by_name = _selected(contracts["supplier_name"], supplier) if "supplier_name" in contracts else False
        by_id = _selected(contracts["supplier_id"], supplier) if "supplier_id" in contracts else False
        keep = keep & (by_name | by_id)
    out = contracts[keep].copy() if not isinstance(keep, bool) else contracts.copy()
    out["contract_id"] = out["contract_id"].astype("str")
    return out


# ---------------------------------------------------------------- portfolio and one contract


def portfolio_summary(
    contracts: pd.DataFrame,
    kpis: pd.DataFrame,
    returns: pd.DataFrame,
    commitments: pd.DataFrame,
    delivery: pd.DataFrame,
    as_of=None,
    *,
    period=None,
    service_area=None,
    supplier=None,
    period_from=None,
    rules: RagRules | None = None,
    months_ahead: int = 6,
    sv_tolerance_pct: float = SV_BEHIND_TOLERANCE_PCT,
) -> pd.DataFrame:
    """One row per contract: contract_id, title, supplier, service_area, period, state in `period`
    ("running", "ended" or "not started", relative to that month), the RAG counts (green, amber, red,
    missing) for `period` (default `as_of`), status (for a running contract: red if any KPI is red
    that month, else amber, else missing, else green, "no KPIs" when it has none; for the others
    their state in words, "ended 2025-11" or "not started (starts 2026-01)": never rated),
    credits_to_date_eur (from `period_from`, default the start, to `as_of`; unknown (NaN) when a
    red month's credit cannot be worked out, e.g. the contract has no monthly charge or credit %;
    0 for a contract with no month rated)
    and the number of alerts.
    """
    as_of = resolve_as_of(as_of, returns)
    chosen = filter_contracts(contracts, service_area, supplier)
    period = month_label(month_number(period)) if period is not None else as_of
    status = kpi_status(kpis, returns, rules, contracts=chosen, as_of=as_of)
    status = status[status["contract_id"].isin(chosen["contract_id"])]
    in_period = status[status["period"] == period]
    counts = (
        in_period.groupby("contract_id")["status"]
        .value_counts()
        .unstack(fill_value=0)
        .reindex(columns=["green", "amber", "red", "missing"], fill_value=0)
    )
    rated = in_period.groupby("contract_id")["status"].agg(overall_status).rename("status")
    states = contract_states(chosen, period).set_index("contract_id")
    credits = service_credits(status, chosen)
    start = month_label(month_number(period_from)) if period_from is not None else "0000-01"
    credits = credits[(credits["period"] >= start) & (credits["period"] <= as_of)]
    credit_total = (
        credits.groupby("contract_id")["credit_eur"]
        .agg(lambda values: values.sum(min_count=len(values)))  # one unknown month makes the total unknown
        .rename("credits_to_date_eur")
    )
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
    alert_count = found.groupby("contract_id").size().rename("alerts")
    base = pd.DataFrame(
        {
            "contract_id": chosen["contract_id"],
            "title": chosen.get("title", pd.Series("", index=chosen.index)),
            "supplier": chosen.get("supplier_name", chosen.get("supplier_id")),
            "service_area": chosen.get("service_area", pd.Series("", index=chosen.index)),
        }
    )
    out = base.set_index("contract_id")
    out["period"] = period
    out["state"] = states["state"]
    out = out.join(counts).join(rated).join(credit_total).join(alert_count)
    for col in ("green", "amber", "red", "missing", "alerts"):
        out[col] = out[col].fillna(0).astype("int64")
    with_kpis = set(kpis["contract_id"].astype("str"))
    has_kpis = out.index.isin(list(with_kpis))
    out["status"] = out["status"].where(out["status"].notna(), np.where(has_kpis, "missing", "no KPIs"))
    words = {
        cid: state_text(row.state, row.first_month, row.last_month)
        for cid, row in states.iterrows()
        if row.state != "running"
    }
    out["status"] = [words.get(cid, status) for cid, status in zip(out.index, out["status"])]
    out["credits_to_date_eur"] = (
        out["credits_to_date_eur"].where(out.index.isin(credit_total.index), 0.0).round(2)
    )  # no month rated: no credit
    return out.reset_index().sort_values("contract_id", kind="stable").reset_index(drop=True)


def contract_view(
    contract_id: str,
    contracts: pd.DataFrame,
    kpis: pd.DataFrame,
    returns: pd.DataFrame,
    commitments: pd.DataFrame,
    delivery: pd.DataFrame,
    as_of=None,
    *,
    period_from=None,
    period_to=None,
    rules: RagRules | None = None,
    months_ahead: int = 6,
    sv_tolerance_pct: float = SV_BEHIND_TOLERANCE_PCT,
) -> dict[str, pd.DataFrame]:
    """Everything the dashboard shows for one contract, as tables:
    contract (one row), kpis (targets and the tolerance band used), kpi_trend (every month
    rated, with target and amber_limit for the band), credits, social_value (progress at
    `period_to`), social_value_path (month by month), alerts, and state (one row: the contract's
    state in the month looked at, "running", "ended" or "not started", and its words in
    `state_text`). `period_from`/`period_to` (YYYY-MM) narrow the monthly tables; `period_to`
    defaults to `as_of`."""
    as_of = resolve_as_of(as_of, returns)
    cid = str(contract_id)
    one = contracts[contracts["contract_id"].astype("str") == cid]
    if one.empty:
        raise LearnerError(f"there is no contract {cid}", fix="Choose a contract_id from the contracts table")
    upto = month_label(min(month_number(period_to), month_number(as_of))) if period_to is not None else as_of
    start = month_label(month_number(period_from)) if period_from is not None else "0000-01"
    own_kpis = kpis[kpis["contract_id"].astype("str") == cid]
    status = pd.DataFrame(
        columns=[
            "contract_id",
            "kpi_id",
            "period",
            "value",
            "target",
            "direction",
            "status",
            "name",
            "unit",
            "tolerance_pct",
            "amber_limit",
        ]
    )
    if not own_kpis.empty:
        status = kpi_status(
            own_kpis, returns[returns["contract_id"].astype("str") == cid], rules, contracts=one, as_of=upto
        )
    in_range = status["period"] >= start
    credits = service_credits(status, one)
    kpi_list = status.drop_duplicates(["contract_id", "kpi_id"])[
        ["contract_id", "kpi_id", "name", "unit", "target", "direction", "tolerance_pct", "amber_limit"]
    ].reset_index(drop=True)
    path = social_value_path(commitments, delivery, one, upto)
    state = contract_states(one, upto)
    state["state_text"] = [state_text(r.state, r.first_month, r.last_month) for r in state.itertuples()]
    state["period"] = upto
    return {
        "state": state,
        "contract": one.reset_index(drop=True),
        "kpis": kpi_list,
        "kpi_trend": status[in_range].reset_index(drop=True),
        "credits": credits[credits["period"] >= start].reset_index(drop=True),
        "social_value": social_value_progress(commitments, delivery, one, upto, sv_tolerance_pct),
        "social_value_path": path[path["period"] >= start].reset_index(drop=True),
        "alerts": alerts(
            one,
            own_kpis,
            returns,
            commitments,
            delivery,
            as_of,
            months_ahead,
            rules,
            status=status if own_kpis.empty else None,
            sv_tolerance_pct=sv_tolerance_pct,
        ),
    }


def rag_counts(summary: pd.DataFrame) -> dict[str, int]:
    """Green/amber/red/missing KPI returns across the contracts of a portfolio summary."""
    return {s: int(summary[s].sum()) if s in summary else 0 for s in STATUSES}
