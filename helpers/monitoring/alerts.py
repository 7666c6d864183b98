"""What needs attention in the month looked at: the monitoring alerts, each with a plain name, a
severity (high, medium, low) and a message in the learner's words, ranked from high to low.

The rules, the names and the severities are course design (course/content/monitoring_alert_severity.yaml):
- "KPI red two months running" (kpi_red_twice): high;
- "KPI returns missing" (missing_return): medium, high when the supplier is not reporting now;
- "Social value behind the path" (social_value_behind): low, medium when far behind;
- "Contract ends soon, plan what comes next" (reprocurement): medium, high when little time is left.
Only contracts running in the month looked at are checked: an ended or not yet started contract
raises no alert (its state is shown in the portfolio instead).
"""

from __future__ import annotations

import pandas as pd

from helpers.core.content import items
from helpers.monitoring.kpis import (
    RagRules,
    contract_states,
    kpi_status,
    month_number,
    month_numbers,
    plain_number,
    resolve_as_of,
)
from helpers.monitoring.social_value import SV_BEHIND_TOLERANCE_PCT, amount, measure_name, social_value_progress

ALERT_KINDS = {item["id"]: item for item in items("monitoring_alert_severity")}
ALERT_SEVERITY = {kind: item["severity"] for kind, item in ALERT_KINDS.items()}
"""Each kind's usual severity (course design); some are raised in the cases their content item names."""
ALERT_NAMES = {kind: item["name"] for kind, item in ALERT_KINDS.items()}
"""Each kind's plain name, as views show it (course design)."""
SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}
ALERT_COLUMNS = ["contract_id", "severity", "alert", "message", "kind"]
MONTHS_LISTED = 8  # a longer list of months with missing returns is shortened to its first and last ones


def _severity(kind: str, raised: bool) -> str:
    item = ALERT_KINDS[kind]
    return item["raised_to"] if raised and item["raised_when"] != "never" else item["severity"]


def _threshold(kind: str) -> float:
    return float(ALERT_KINDS[kind]["threshold"])


def _red_twice(status: pd.DataFrame) -> list[tuple[str, bool, str]]:
    rated = status.assign(month=month_numbers(status["period"], "KPI status table"))
    last_two = rated.groupby(["contract_id", "kpi_id"], sort=True).tail(2)
    found = []
    for (cid, kid), rows in last_two.groupby(["contract_id", "kpi_id"], sort=True):
        if len(rows) == 2 and (rows["status"] == "red").all() and rows["month"].diff().iloc[1] == 1:
            name = rows["name"].iloc[0]
            label = f"KPI {kid}" + (f" ({name})" if isinstance(name, str) and name else "")
            unit = rows["unit"].iloc[0] if isinstance(rows["unit"].iloc[0], str) else ""

            def shown(value, unit=unit) -> str:
                if unit == "%":
                    return f"{plain_number(value)}%"
                return f"{plain_number(value)} {unit if unit.lower() not in ('count', 'number') else ''}".strip()

            found.append(
                (
                    cid,
                    False,
                    f"{label} was red two months running: "
                    f"{rows['period'].iloc[0]} = {shown(rows['value'].iloc[0])} and "
                    f"{rows['period'].iloc[1]} = {shown(rows['value'].iloc[1])} against a target of "
                    f"{shown(rows['target'].iloc[0])} "
                    f"({'higher' if rows['direction'].iloc[0] == 'higher' else 'lower'}"
                    " is better). Agree an improvement plan with the supplier",
                )
            )
    return found


def _missing(status: pd.DataFrame, now: int) -> list[tuple[str, bool, str]]:
    span = int(_threshold("missing_return"))
    recent = now - span + 1
    found = []
    for cid, rows in status[status["status"] == "missing"].groupby("contract_id", sort=True):
        by_month = [
            f"{period} ({', '.join(group['kpi_id'].astype('str'))})"
            for period, group in rows.groupby("period", sort=True)
        ]
        months = (
            "; ".join(by_month)
            if len(by_month) <= MONTHS_LISTED
            else f"{len(by_month)} months, from " + "; ".join(by_month[:3]) + " … to " + "; ".join(by_month[-2:])
        )
        latest = max(month_number(p) for p in rows["period"])
        raised = latest >= recent
        found.append(
            (
                cid,
                raised,
                f"{len(rows)} KPI return{'s' if len(rows) != 1 else ''} missing: {months}. "
                + (
                    f"Returns of the last {span} months are among them: chase these first. "
                    if raised
                    else f"The last {span} months are complete. "
                )
                + "Ask the supplier for them",
            )
        )
    return found


def behind_message(row, as_of: str) -> str:
    """A measure behind its path in plain words; whole units (people, jobs, ...) stay whole."""
    unit = row.unit if isinstance(row.unit, str) else ""
    reported = (
        f"; {plain_number(row.delivered_reported)} reported, rounded down to whole {unit}"
        if row.whole and row.delivered_reported != row.delivered_to_date
        else ""
    )
    head = (
        f"{measure_name(row.measure)}: {amount(row.delivered_to_date, unit)} of the "
        f"{amount(row.committed_total, unit)} committed delivered by {as_of} "
        f"(month {int(row.elapsed_months)} of {int(row.term_months)}{reported})"
    )
    if row.whole:
        need = (
            f". At an even pace, less the shortfall allowed, at least {amount(row.needed_now, unit)} "
            "would be delivered by now"
        )
    else:
        need = (
            f", below the pro-rata path of {amount(row.pro_rata_target, unit)} "
            f"(behind means under {amount(row.behind_below, unit)})"
        )
    return head + need + f"; at this pace about {amount(row.forecast_at_end, unit)} by the end"


def _behind(progress: pd.DataFrame, live: set, as_of: str) -> list[tuple[str, bool, str]]:
    behind = progress[(~progress["on_track"]) & (progress["elapsed_months"] > 0) & progress["contract_id"].isin(live)]
    share = _threshold("social_value_behind") / 100
    return [
        (
            row.contract_id,
            row.delivered_to_date < share * row.pro_rata_target,
            behind_message(row, as_of) + ". Discuss a recovery plan",
        )
        for row in behind.itertuples(index=False)
    ]


def _ending(terms: pd.DataFrame, contracts: pd.DataFrame, now: int, as_of: str, months_ahead: int):
    ending = terms[terms["active"] & (terms["last_month"] - now <= months_ahead)]
    ends = contracts.assign(contract_id=contracts["contract_id"].astype("str")).set_index("contract_id")["end_date"]
    found = []
    for row in ending.itertuples(index=False):
        left = int(row.last_month - now)
        end = pd.Timestamp(ends[row.contract_id]).date().isoformat()
        found.append(
            (
                row.contract_id,
                left <= _threshold("reprocurement"),
                f"The contract ends on {end}, {left} month{'s' if left != 1 else ''} after {as_of}. "
                "Plan the re-procurement now (or the decision not to renew)",
            )
        )
    return found


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
    """What needs attention on `as_of`, one row per alert, high severity first:
    contract_id, severity, alert (its plain name), message, kind (the code, for programs).

    Rules (course design):
    - kpi_red_twice: a KPI red in both of the last two months due (two periods running);
    - missing_return: months due with no return for one or more KPIs (one alert per contract);
    - social_value_behind: a measure delivered more than `sv_tolerance_pct` % (default 10)
      below its pro-rata path;
    - reprocurement: the contract's last month is 0 to `months_ahead` months after `as_of`.
    Only contracts running in the `as_of` month are checked.
    """
    as_of = resolve_as_of(as_of, returns)
    now = month_number(as_of)
    terms = contract_states(contracts, as_of)
    live = set(terms.loc[terms["active"], "contract_id"])
    if status is None:
        status = kpi_status(kpis, returns, rules, contracts=contracts, as_of=as_of)
    status = status[status["contract_id"].isin(live)]
    progress = social_value_progress(commitments, delivery, contracts, as_of, sv_tolerance_pct)
    found = []
    for kind, entries in (
        ("kpi_red_twice", _red_twice(status)),
        ("missing_return", _missing(status, now)),
        ("social_value_behind", _behind(progress, live, as_of)),
        ("reprocurement", _ending(terms, contracts, now, as_of, months_ahead)),
    ):
        for cid, raised, message in entries:
            severity = _severity(kind, raised)
            found.append(
                {"contract_id": cid, "severity": severity, "alert": ALERT_NAMES[kind], "message": message, "kind": kind}
            )
    out = pd.DataFrame(found, columns=ALERT_COLUMNS)
    order = out["severity"].map(SEVERITY_ORDER)
    kind_order = out["kind"].map({k: n for n, k in enumerate(ALERT_KINDS)})
    return (
        out.assign(_o=order, _k=kind_order)
        .sort_values(["_o", "_k", "contract_id"], kind="stable")
        .drop(columns=["_o", "_k"])
        .reset_index(drop=True)
    )


def alert_counts(found: pd.DataFrame) -> dict[str, int]:
    """How many alerts of each severity (high, medium, low)."""
    return {s: int((found["severity"] == s).sum()) for s in SEVERITY_ORDER}


def alerts_shown(found: pd.DataFrame) -> pd.DataFrame:
    """The alerts for a view or an export: severity, contract, alert (plain name), what it means and what to do."""
    return found[["severity", "contract_id", "alert", "message"]].rename(
        columns={"contract_id": "contract", "message": "details and what to do"}
    )
