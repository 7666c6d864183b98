"""KPI returns → RAG status → service credits, for every contract and month.

A contract's KPIs (kpis.csv) carry a target, a direction (`higher` or `lower`
is better) and a tolerance; the supplier sends a monthly return per KPI
(kpi_returns.csv). Each return is rated green, amber or red, and each red KPI
takes a fixed share off that month's charge (a service credit), up to a cap.

The RAG rule and service credits are common practice, not law (domain brief §5,
[UNVERIFIED]): green = meets the target; amber = worse than the target but
within the tolerance band (the brief's example is 10 % of the target); red =
worse than that.

Months are written `YYYY-MM`. Inside this package a month is also handled as a
whole number (`year * 12 + month - 1`) so that "two months running" and "months
left" are plain subtraction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
import pandas as pd

from helpers.core.content import by_id
from helpers.core.errors import LearnerError

STATUSES = ("green", "amber", "red", "missing")
DIRECTIONS = ("higher", "lower")
# A relative margin so that 95 × (1 − 0.10) = 85.5 counts as amber even when the
# multiplication lands a hair off in binary floating point; far below any real
# reporting precision (a KPI value of 85.49 is still red).
_RELATIVE_EPS = 1e-9
PERIOD_PATTERN = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")

KPI_COLUMNS = ["contract_id", "kpi_id", "target", "direction"]
RETURN_COLUMNS = ["contract_id", "kpi_id", "period", "value"]
CONTRACT_TERM_COLUMNS = ["contract_id", "start_date", "end_date"]
CREDIT_COLUMNS = ["contract_id", "monthly_charge_eur", "service_credit_pct", "service_credit_cap_pct"]
AMBER_TOLERANCE_PCT = float(by_id("monitoring_rules")["amber_tolerance_pct"]["value"])
"""The amber band's default width (% of the target): the domain brief's example (§5, common practice,
[UNVERIFIED]); course/content/monitoring_rules.yaml."""


# ---------------------------------------------------------------- months


def month_number(period) -> int:
    """One month as a whole number (`2026-03` → 2026 × 12 + 2); accepts `YYYY-MM`, a date or a pandas Period."""
    if isinstance(period, pd.Period):
        return period.year * 12 + period.month - 1
    if isinstance(period, (date, datetime, pd.Timestamp, np.datetime64)):
        stamp = pd.Timestamp(period)
        return stamp.year * 12 + stamp.month - 1
    text = str(period).strip()
    match = PERIOD_PATTERN.match(text[:7]) if re.match(r"^\d{4}-\d{2}(-\d{2})?$", text) else None
    if match is None:
        raise LearnerError(f"'{text}' is not a month", fix="Write months as YYYY-MM, for example 2026-03")
    return int(match.group(1)) * 12 + int(match.group(2)) - 1


def month_label(number: int) -> str:
    """The `YYYY-MM` text of a month number."""
    return f"{int(number) // 12:04d}-{int(number) % 12 + 1:02d}"


def month_numbers(periods: pd.Series, table: str = "table", column: str = "period") -> pd.Series:
    """`month_number` for a whole column, vectorised; a clear error names the first bad month."""
    if isinstance(periods.dtype, pd.PeriodDtype) or pd.api.types.is_datetime64_any_dtype(periods):
        stamps = periods.dt.to_timestamp() if isinstance(periods.dtype, pd.PeriodDtype) else periods
        return (stamps.dt.year * 12 + stamps.dt.month - 1).astype("int64")
    if len(periods) and not isinstance(periods.iloc[0], str) and not pd.isna(periods.iloc[0]):
        return periods.map(month_number).astype("int64")
    text = periods.astype("str").str.strip().str.slice(0, 7)
    ok = text.str.match(PERIOD_PATTERN.pattern) & periods.notna()
    if not ok.all():
        bad = periods[~ok].iloc[0]
        raise LearnerError(
            f"the {table} has '{bad}' in the column '{column}', which is not a month",
            fix="Write months as YYYY-MM, for example 2026-03",
        )
    return text.str.slice(0, 4).astype("int64") * 12 + text.str.slice(5, 7).astype("int64") - 1


def contract_months(contracts: pd.DataFrame) -> pd.DataFrame:
    """contract_id with its first and last month numbers and its term in months (start and end month both count)."""
    require_columns(contracts, CONTRACT_TERM_COLUMNS, "contracts table")
    start = pd.to_datetime(contracts["start_date"], errors="coerce")
    end = pd.to_datetime(contracts["end_date"], errors="coerce")
    bad = start.isna() | end.isna() | (end < start)
    if bad.any():
        cid = contracts.loc[bad, "contract_id"].iloc[0]
        raise LearnerError(
            f"contract {cid} has no valid start and end date (start must be before end)",
            fix="Write dates as YYYY-MM-DD in start_date and end_date",
        )
    out = pd.DataFrame(
        {
            "contract_id": contracts["contract_id"].astype("str").to_numpy(),
            "first_month": (start.dt.year * 12 + start.dt.month - 1).to_numpy(),
            "last_month": (end.dt.year * 12 + end.dt.month - 1).to_numpy(),
        }
    )
    out["term_months"] = out["last_month"] - out["first_month"] + 1
    return out


CONTRACT_STATES = ("running", "ended", "not started")


def contract_states(contracts: pd.DataFrame, as_of) -> pd.DataFrame:
    """Each contract's state in the month `as_of`: "running" (started by then and not ended before it),
    "ended" (its last month is before `as_of`) or "not started" (its first month is after `as_of`).
    Columns: contract_id, first_month, last_month, term_months, state, active (running)."""
    terms = contract_months(contracts)
    now = month_number(as_of)
    terms["state"] = np.where(
        terms["last_month"] < now, "ended", np.where(terms["first_month"] > now, "not started", "running")
    )
    terms["active"] = terms["state"] == "running"
    return terms


def state_text(state: str, first_month: int, last_month: int) -> str:
    """A contract's state in words, with the month it ended or starts: "ended 2025-11", "starts 2026-01"."""
    if state == "ended":
        return f"ended {month_label(last_month)}"
    if state == "not started":
        return f"not started (starts {month_label(first_month)})"
    return "running"


def plain_number(value: float) -> str:
    """A figure for a message: thousands separators, at most two decimals, no trailing zeros."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "-"
    text = f"{float(value):,.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def require_columns(table: pd.DataFrame, columns: list[str], name: str) -> None:
    """Raise a plain-language error if `table` lacks any of `columns`."""
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise LearnerError(
            f"the {name} has no column {', '.join(repr(c) for c in missing)}",
            fix=f"It needs the columns {', '.join(columns)}",
        )


def _numbers(values: pd.Series, table: str, column: str) -> pd.Series:
    numbers = pd.to_numeric(values, errors="coerce")
    bad = numbers.isna() & values.notna() & (values.astype("str").str.strip() != "")
    if bad.any():
        raise LearnerError(
            f"the {table} has '{values[bad].iloc[0]}' in the column '{column}', which is not a number",
            fix="Use plain numbers with a point as the decimal mark, for example 85.5",
        )
    return numbers.astype("float64")


# ---------------------------------------------------------------- RAG


@dataclass(frozen=True)
class RagRules:
    """How a KPI return is rated.

    default_tolerance_pct: width of the amber band as a % of the target, used when a KPI has
        no tolerance of its own. 10 % is the domain brief's example (§5, common practice,
        [UNVERIFIED]); a real contract states its own bands.
    use_kpi_tolerance: if True (the default), a KPI's own `tolerance_pct` in kpis.csv
        overrides the default; if False every KPI uses the default (to try "what if" bands).
    """

    default_tolerance_pct: float = AMBER_TOLERANCE_PCT
    use_kpi_tolerance: bool = True

    def __post_init__(self) -> None:
        if not (0 <= float(self.default_tolerance_pct) < 100):
            raise LearnerError(
                f"an amber tolerance of {self.default_tolerance_pct} % is not usable",
                fix="Choose a tolerance between 0 and 100 %",
            )

    def tolerances(self, kpis: pd.DataFrame) -> pd.Series:
        """The amber tolerance (%) that applies to each row of `kpis`."""
        default = pd.Series(float(self.default_tolerance_pct), index=kpis.index)
        if not self.use_kpi_tolerance or "tolerance_pct" not in kpis.columns:
            return default
        own = pd.to_numeric(kpis["tolerance_pct"], errors="coerce")
        return own.where(own.notna(), default).astype("float64")


def amber_limits(targets, directions, tolerance_pct):
    """The worst value that is still amber: target × (1 − tol) when higher is better, × (1 + tol) when lower is."""
    targets = np.asarray(targets, dtype="float64")
    tol = np.asarray(tolerance_pct, dtype="float64") / 100.0
    higher = np.asarray(directions, dtype=object) == "higher"
    return np.where(higher, targets * (1 - tol), targets * (1 + tol))


def rag_statuses(values, targets, directions, tolerance_pct) -> np.ndarray:
    """`rag_status` for whole arrays at once (the same rule, vectorised)."""
    values = np.asarray(values, dtype="float64")
    targets = np.asarray(targets, dtype="float64")
    directions = np.asarray(directions, dtype=object)
    tols = np.broadcast_to(np.asarray(tolerance_pct, dtype="float64"), values.shape)
    unknown = ~np.isin(directions, DIRECTIONS)
    if unknown.any():
        raise LearnerError(
            f"a KPI direction must be 'higher' or 'lower', not '{directions[unknown][0]}'",
            fix="Say whether a higher or a lower value is better in kpis.csv",
        )
    if np.isnan(targets).any():
        raise LearnerError("a KPI has no target", fix="Give every KPI a numeric target in kpis.csv")
    if np.isnan(tols).any() or (tols < 0).any():
        raise LearnerError("a KPI has no usable tolerance", fix="Give tolerance_pct as a number of 0 or more")
    limit = amber_limits(targets, directions, tols)
    sign = np.where(directions == "higher", 1.0, -1.0)  # compare "better or equal" one way
    eps_t = _RELATIVE_EPS * np.maximum(1.0, np.abs(targets))
    eps_l = _RELATIVE_EPS * np.maximum(1.0, np.abs(limit))
    with np.errstate(invalid="ignore"):
        green = sign * (values - targets) >= -eps_t
        amber = sign * (values - limit) >= -eps_l
    out = np.where(green, "green", np.where(amber, "amber", "red")).astype(object)
    out[np.isnan(values)] = "missing"
    return out


def rag_status(value, target: float, direction: str, tolerance_pct: float = 10.0) -> str:
    """Rate one KPI return "green", "amber" or "red" ("missing" when there is no value).

    Higher is better: green if value ≥ target, amber if value ≥ target × (1 − tol), else red.
    Lower is better: green if value ≤ target, amber if value ≤ target × (1 + tol), else red.
    The boundaries are inclusive: 85.5 against a target of 95 with 10 % tolerance is amber.
    """
    missing = value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA
    return str(
        rag_statuses([np.nan if missing else float(value)], [float(target)], [direction], [float(tolerance_pct)])[0]
    )


# ---------------------------------------------------------------- statuses for a whole table


def _kpi_table(kpis: pd.DataFrame) -> pd.DataFrame:
    require_columns(kpis, KPI_COLUMNS, "KPI table")
    out = kpis.copy()
    out["contract_id"] = out["contract_id"].astype("str")
    out["kpi_id"] = out["kpi_id"].astype("str")
    out["target"] = _numbers(out["target"], "KPI table", "target")
    out["direction"] = out["direction"].astype("str").str.strip().str.lower()
    dup = out.duplicated(["contract_id", "kpi_id"])
    if dup.any():
        row = out[dup].iloc[0]
        raise LearnerError(
            f"the KPI table lists KPI {row['kpi_id']} of contract {row['contract_id']} twice",
            fix="Keep one row per contract and KPI",
        )
    return out


def _returns_table(returns: pd.DataFrame) -> pd.DataFrame:
    require_columns(returns, RETURN_COLUMNS, "KPI returns table")
    out = returns[RETURN_COLUMNS].copy()
    out["contract_id"] = out["contract_id"].astype("str")
    out["kpi_id"] = out["kpi_id"].astype("str")
    out["month"] = month_numbers(out["period"], "KPI returns table")
    out["value"] = _numbers(out["value"], "KPI returns table", "value")
    dup = out.duplicated(["contract_id", "kpi_id", "month"])
    if dup.any():
        row = out[dup].iloc[0]
        raise LearnerError(
            f"the KPI returns hold two values for contract {row['contract_id']}, "
            f"KPI {row['kpi_id']}, {month_label(row['month'])}",
            fix="Keep one return per contract, KPI and month (check-returns finds them)",
        )
    return out.drop(columns="period")


def resolve_as_of(as_of, returns: pd.DataFrame) -> str:
    """`as_of` as YYYY-MM, or the latest month with a return when it is None."""
    return latest_month(returns) if as_of is None else month_label(month_number(as_of))


def latest_month(returns: pd.DataFrame) -> str:
    """The latest month with a KPI return: the default "as of" month."""
    if returns.empty:
        raise LearnerError("there are no KPI returns", fix="Load kpi_returns.csv or upload a returns file")
    return month_label(int(month_numbers(returns["period"], "KPI returns table").max()))


def expected_months(contracts: pd.DataFrame, kpis: pd.DataFrame, as_of) -> pd.DataFrame:
    """One row per contract, KPI and month from the contract's first month up to `as_of`
    (or its last month, whichever is earlier): the returns the city expects to have."""
    terms = contract_months(contracts)
    grid = kpis[["contract_id", "kpi_id"]].merge(terms, on="contract_id", how="inner")
    upto = np.minimum(grid["last_month"].to_numpy(), month_number(as_of))
    counts = np.clip(upto - grid["first_month"].to_numpy() + 1, 0, None)
    rows = np.repeat(np.arange(len(grid)), counts)
    offsets = np.arange(len(rows)) - np.repeat(np.cumsum(counts) - counts, counts)
    return pd.DataFrame(
        {
            "contract_id": grid["contract_id"].to_numpy()[rows],
            "kpi_id": grid["kpi_id"].to_numpy()[rows],
            "month": grid["first_month"].to_numpy()[rows] + offsets,
        }
    )


def kpi_status(
    kpis: pd.DataFrame,
    returns: pd.DataFrame,
    rules: RagRules | None = None,
    *,
    contracts: pd.DataFrame | None = None,
    as_of=None,
) -> pd.DataFrame:
    """Every KPI return rated, one row per contract, KPI and month.

    Columns: contract_id, kpi_id, period, value, target, direction, status, then
    name, unit, tolerance_pct and amber_limit (the worst value still amber) for charts.
    With `contracts`, every month of each contract's term up to `as_of` appears, with
    status "missing" where no return came in. `as_of` (YYYY-MM, the last month whose
    returns are due) defaults to the latest month with a return; later returns are left out.
    Returns for a KPI not in the KPI table are left out (check-returns reports them).
    """
    rules = rules or RagRules()
    table = _kpi_table(kpis)
    rets = _returns_table(returns)
    as_of = latest_month(returns) if as_of is None else month_label(month_number(as_of))
    rows = rets[rets["month"] <= month_number(as_of)]
    if contracts is not None:
        grid = expected_months(contracts, table, as_of)
        rows = grid.merge(rows, on=["contract_id", "kpi_id", "month"], how="outer")
    table["tolerance_pct"] = rules.tolerances(table)
    extra = [c for c in ("name", "unit") if c in table.columns]
    rows = rows.merge(
        table[["contract_id", "kpi_id", "target", "direction", "tolerance_pct"] + extra],
        on=["contract_id", "kpi_id"],
        how="inner",
    )
    rows = rows.sort_values(["contract_id", "kpi_id", "month"], kind="stable").reset_index(drop=True)
    rows["status"] = rag_statuses(rows["value"], rows["target"], rows["direction"], rows["tolerance_pct"])
    rows["amber_limit"] = amber_limits(rows["target"], rows["direction"], rows["tolerance_pct"])
    rows["period"] = pd.Series([month_label(m) for m in rows["month"]], index=rows.index, dtype="str")
    for col in ("name", "unit"):
        if col not in rows.columns:
            rows[col] = ""
    return rows[
        [
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
    ]


# ---------------------------------------------------------------- service credits


def service_credits(status: pd.DataFrame, contracts: pd.DataFrame) -> pd.DataFrame:
    """The service credit for each contract and month, from the rated returns of `kpi_status`.

    credit = service_credit_pct × monthly charge × number of red KPIs that month, capped at
    service_credit_cap_pct × that month's charge. Reading the cap as "per month's charge"
    is a course-design reading of the brief's "overall cap" (§5); a real contract may cap
    per quarter or per year. A missing return is not counted as red here (course design).
    Columns: contract_id, period, red_kpis, credit_pct, credit_eur (rounded to cents), capped.
    A month with no red KPI has no credit (0); a red month of a contract whose monthly charge or
    credit terms are not known (a learner's register without them) has an unknown credit (NaN),
    never 0. Without a cap the credit is not capped.
    """
    require_columns(status, ["contract_id", "period", "status"], "KPI status table")
    require_columns(contracts, ["contract_id"], "contracts table")
    terms = contracts.reindex(columns=CREDIT_COLUMNS).copy()
    terms["contract_id"] = terms["contract_id"].astype("str")
    for col in CREDIT_COLUMNS[1:]:
        terms[col] = _numbers(terms[col], "contracts table", col)
    terms["service_credit_cap_pct"] = terms["service_credit_cap_pct"].fillna(np.inf)
    red = (
        status.assign(red=status["status"].eq("red").astype("int64"), contract_id=status["contract_id"].astype("str"))
        .groupby(["contract_id", "period"], as_index=False)["red"]
        .sum()
        .rename(columns={"red": "red_kpis"})
    )
    out = red.merge(terms, on="contract_id", how="inner")
    uncapped = out["red_kpis"] * out["service_credit_pct"]
    out["capped"] = uncapped > out["service_credit_cap_pct"] + _RELATIVE_EPS
    out["credit_pct"] = np.minimum(uncapped, out["service_credit_cap_pct"])
    out["credit_eur"] = (out["monthly_charge_eur"] * out["credit_pct"] / 100).round(2)
    none_red = out["red_kpis"] == 0
    out.loc[none_red, "credit_pct"] = 0.0
    out.loc[none_red, "credit_eur"] = 0.0
    out = out.sort_values(["contract_id", "period"], kind="stable").reset_index(drop=True)
    return out[["contract_id", "period", "red_kpis", "credit_pct", "credit_eur", "capped"]]


def overall_status(statuses: pd.Series) -> str:
    """One status for a set of KPIs: red if any is red, else amber, else missing, else green."""
    values = set(statuses)
    for status in ("red", "amber", "missing", "green"):
        if status in values:
            return status
    return "missing"
