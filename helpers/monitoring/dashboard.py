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

from helpers.core.content import items
from helpers.core.errors import LearnerError
from helpers.data import load_table
from helpers.monitoring.kpis import (
    STATUSES,
    RagRules,
    contract_months,
    kpi_status,
    latest_month,
    month_label,
    month_number,
    month_numbers,
    overall_status,
    service_credits,
)
from helpers.monitoring.social_value import SV_BEHIND_TOLERANCE_PCT, social_value_path, social_value_progress

TABLE_NAMES = ("contracts", "kpis", "kpi_returns", "social_value_commitments", "social_value_delivery")
# Course design: how urgent each kind of alert is (course/content/monitoring_alert_severity.yaml).
ALERT_SEVERITY = {item["id"]: item["severity"] for item in items("monitoring_alert_severity")}
SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}
DEFAULT_CONTRACT = "PV-C-2025-017"  # the running purchase: playground equipment (modules 5-7)
ALERT_COLUMNS = ["contract_id", "kind", "message", "severity"]


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


def plain_number(value: float) -> str:
    """A figure for a message: thousands separators, at most two decimals, no trailing zeros."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "-"
    text = f"{float(value):,.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def resolve_as_of(as_of, returns: pd.DataFrame) -> str:
    return latest_month(returns) if as_of is None else month_label(month_number(as_of))


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


def _active(contracts: pd.DataFrame, as_of: str) -> pd.DataFrame:
    """Contract months with a flag: started by `as_of` and not ended before it."""
    terms = contract_months(contracts)
    now = month_number(as_of)
    terms["active"] = (terms["first_month"] <= now) & (terms["last_month"] >= now)
    return terms


# ---------------------------------------------------------------- alerts


def alerts(
    contracts: pd.DataFrame,
    kpis: pd.DataFrame,
    returns: pd.DataFrame,
    commitments: pd.DataFrame,
    delivery: pd.DataFrame,
    as_of=None,
    months_ahead: int = 6,
    rules: RagRules | None = None,
    *,
    status: pd.DataFrame | None = None,
    sv_tolerance_pct: float = SV_BEHIND_TOLERANCE_PCT,
) -> pd.DataFrame:
    """What needs attention on `as_of`, one row per alert: contract_id, kind, message, severity.

    Kinds (rules are course design):
    - kpi_red_twice: a KPI red in both of the last two months due (two periods running);
    - missing_return: months due with no return for one or more KPIs (one alert per contract);
    - social_value_behind: a measure delivered more than `sv_tolerance_pct` % (default 10)
      below its pro-rata path;
    - reprocurement: the contract's last month is 0 to `months_ahead` months after `as_of`.
    Only contracts running in the `as_of` month are checked.
    """
    as_of = resolve_as_of(as_of, returns)
    now = month_number(as_of)
    terms = _active(contracts, as_of)
    live = set(terms.loc[terms["active"], "contract_id"])
    if status is None:
        status = kpi_status(kpis, returns, rules, contracts=contracts, as_of=as_of)
    status = status[status["contract_id"].isin(live)]
    found: list[dict] = []

    def add(cid: str, kind: str, message: str) -> None:
        found.append({"contract_id": cid, "kind": kind, "message": message, "severity": ALERT_SEVERITY[kind]})

    rated = status.assign(month=month_numbers(status["period"], "KPI status table"))
    last_two = rated.groupby(["contract_id", "kpi_id"], sort=True).tail(2)
    for (cid, kid), rows in last_two.groupby(["contract_id", "kpi_id"], sort=True):
        if len(rows) == 2 and (rows["status"] == "red").all() and rows["month"].diff().iloc[1] == 1:
            name = rows["name"].iloc[0]
            label = f"KPI {kid}" + (f" ({name})" if name else "")
            add(
                cid,
                "kpi_red_twice",
                f"{label} was red two months running: "
                f"{rows['period'].iloc[0]} = {plain_number(rows['value'].iloc[0])} and "
                f"{rows['period'].iloc[1]} = {plain_number(rows['value'].iloc[1])} against a target of "
                f"{plain_number(rows['target'].iloc[0])} "
                f"({'higher' if rows['direction'].iloc[0] == 'higher' else 'lower'}"
                " is better). Agree an improvement plan with the supplier",
            )
    missing = status[status["status"] == "missing"]
    for cid, rows in missing.groupby("contract_id", sort=True):
        months = "; ".join(
            f"{period} ({', '.join(group['kpi_id'].astype('str'))})"
            for period, group in rows.groupby("period", sort=True)
        )
        add(
            cid,
            "missing_return",
            f"{len(rows)} KPI return{'s' if len(rows) != 1 else ''} missing: {months}. Ask the supplier for them",
        )
    progress = social_value_progress(commitments, delivery, contracts, as_of, sv_tolerance_pct)
    behind = progress[(~progress["on_track"]) & (progress["elapsed_months"] > 0) & progress["contract_id"].isin(live)]
    for row in behind.itertuples(index=False):
        unit = f" {row.unit}" if isinstance(row.unit, str) and row.unit else ""
        add(
            row.contract_id,
            "social_value_behind",
            f"{row.measure}: {plain_number(row.delivered_to_date)}{unit} delivered by {as_of}, "
            f"below the pro-rata path of {plain_number(row.pro_rata_target)} "
            f"({plain_number(row.committed_total)} committed over {row.term_months} months; "
            f"behind means under {plain_number(row.behind_below)}); "
            f"at this pace about {plain_number(row.forecast_at_end)} by the end. Discuss a recovery plan",
        )
    ending = terms[terms["active"] & (terms["last_month"] - now <= months_ahead)]
    ends = contracts.assign(contract_id=contracts["contract_id"].astype("str")).set_index("contract_id")["end_date"]
    for row in ending.itertuples(index=False):
        left = int(row.last_month - now)
        end = pd.Timestamp(ends[row.contract_id]).date().isoformat()
        add(
            row.contract_id,
            "reprocurement",
            f"The contract ends on {end}, {left} month{'s' if left != 1 else ''} after {as_of}. "
            "Plan the re-procurement now (or the decision not to renew)",
        )
    out = pd.DataFrame(found, columns=ALERT_COLUMNS)
    order = out["severity"].map(SEVERITY_ORDER)
    return (
        out.assign(_o=order)
        .sort_values(["_o", "contract_id", "kind"], kind="stable")
        .drop(columns="_o")
        .reset_index(drop=True)
    )


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
    """One row per contract: contract_id, title, supplier, service_area, the RAG counts
    (green, amber, red, missing) for `period` (default `as_of`), latest_period and
    latest_status (red if any KPI is red that month, else amber, else missing, else green),
    credits_to_date_eur (from `period_from`, default the start, to `as_of`) and the number of alerts.
    """
    as_of = resolve_as_of(as_of, returns)
    chosen = filter_contracts(contracts, service_area, supplier)
    period = month_label(month_number(period)) if period is not None else as_of
    status = kpi_status(kpis, returns, rules, contracts=chosen, as_of=as_of)
    status = status[status["contract_id"].isin(chosen["contract_id"])]
    counts = (
        status[status["period"] == period]
        .groupby("contract_id")["status"]
        .value_counts()
        .unstack(fill_value=0)
        .reindex(columns=["green", "amber", "red", "missing"], fill_value=0)
    )
    latest = status.groupby("contract_id")["period"].max().rename("latest_period")
    latest_rows = status.merge(latest, left_on=["contract_id", "period"], right_on=["contract_id", "latest_period"])
    latest_status = latest_rows.groupby("contract_id")["status"].agg(overall_status).rename("latest_status")
    credits = service_credits(status, chosen)
    start = month_label(month_number(period_from)) if period_from is not None else "0000-01"
    credits = credits[(credits["period"] >= start) & (credits["period"] <= as_of)]
    credit_total = credits.groupby("contract_id")["credit_eur"].sum().rename("credits_to_date_eur")
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
    out = out.join(counts).join(latest).join(latest_status).join(credit_total).join(alert_count)
    for col in ("green", "amber", "red", "missing", "alerts"):
        out[col] = out[col].fillna(0).astype("int64")
    out["credits_to_date_eur"] = out["credits_to_date_eur"].fillna(0.0).round(2)
    out["latest_status"] = out["latest_status"].fillna("missing")
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
    `period_to`), social_value_path (month by month) and alerts. `period_from`/`period_to`
    (YYYY-MM) narrow the monthly tables; `period_to` defaults to `as_of`."""
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
    return {
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


def social_value_table(view: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """A contract view's social-value progress in the learner's words, rounded for reading."""
    sv = view["social_value"]
    return pd.DataFrame(
        {
            "measure": sv["measure"],
            "unit": sv["unit"],
            "committed": sv["committed_total"],
            "delivered so far": sv["delivered_to_date"].round(2),
            "pro-rata path": sv["pro_rata_target"].round(2),
            "status": ["on track" if ok else "behind" for ok in sv["on_track"]],
            "forecast at end": sv["forecast_at_end"].round(1),
        }
    )
