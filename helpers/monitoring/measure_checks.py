"""The course's open social-value measure set (CC BY 4.0, course design) and the checks a contract
manager makes on a supplier's social-value claims before counting them.

The set is `course/content/monitoring_social_value_measures.yaml`: each measure has a unit, what counts
and what does not, a "local" option (the learner defines the local area) and a proxy (a money value per
unit) only where a published source sets one; an empty proxy is unknown, never zero.

A *claim* is one reported outcome: a row with `contract_id`, `measure`, `outcome_ref` (the person, the
payment or the training session it is about, e.g. an anonymised staff number) and `quantity`; optionally
`already_employed` and `would_have_happened_anyway` (yes / no, empty when not known). The checks are pure
functions returning `Issue`s:

- double counting: the same outcome claimed under two measures, or by two contracts;
- additionality: an outcome that would have happened anyway, or staff already employed, is not social value
  created by the contract;
- proxies: a measure valued in money needs a sourced proxy, else its value is unknown (and says so).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import pandas as pd

from helpers.core.content import content_file, items
from helpers.core.errors import LearnerError
from helpers.core.fmt import is_missing, money
from helpers.monitoring.social_value import amount
from helpers.ui.messages import Issue

MEASURE_SET = "monitoring_social_value_measures"
CLAIM_COLUMNS = ["contract_id", "measure", "outcome_ref", "quantity"]
YES = {"yes", "y", "true", "1", "x"}
NO = {"no", "n", "false", "0"}


def measure_set() -> pd.DataFrame:
    """The open measure set as a table, one row per measure (proxy_eur empty where no source sets one)."""
    table = pd.DataFrame(items(MEASURE_SET))
    table["proxy_eur"] = pd.to_numeric(table["proxy_eur"], errors="coerce")
    return table.set_index("id", drop=False).rename_axis(None)


def measure_set_licence() -> str:
    """The licence of the measure set (CC BY 4.0)."""
    return str(content_file(MEASURE_SET)["licence"])


def measure_ids() -> list[str]:
    return [item["id"] for item in items(MEASURE_SET)]


def yes_no(value) -> bool | None:
    """A yes/no cell: True, False, or None when it is empty or not a yes/no (not known)."""
    if isinstance(value, bool):
        return value
    if is_missing(value):
        return None
    text = str(value).strip().lower()
    if text in YES:
        return True
    if text in NO:
        return False
    return None


def _claims(claims: pd.DataFrame | list[Mapping]) -> pd.DataFrame:
    if not isinstance(claims, pd.DataFrame):
        claims = pd.DataFrame(list(claims))
    missing = [c for c in CLAIM_COLUMNS if c not in claims.columns]
    if missing:
        raise LearnerError(
            f"the claims table has no column {', '.join(missing)}",
            fix="Give one row per outcome with the columns " + ", ".join(CLAIM_COLUMNS),
        )
    out = claims.copy()
    for column in ("contract_id", "measure", "outcome_ref"):
        out[column] = out[column].map(lambda v: "" if is_missing(v) else str(v).strip())
    out["quantity"] = pd.to_numeric(out["quantity"], errors="coerce")
    return out.reset_index(drop=True)


def _where(row_number: int) -> str:
    return f"claim {row_number + 1}"


def double_counting_issues(claims: pd.DataFrame) -> list[Issue]:
    """The same outcome (`outcome_ref`) claimed twice: under two measures (a warning: count it once, under
    the measure that fits best) or by two contracts (an error: one contract only may report it)."""
    table = _claims(claims)
    issues: list[Issue] = []
    named = table[table["outcome_ref"] != ""]
    for ref, group in named.groupby("outcome_ref", sort=True):
        contracts = sorted(set(group["contract_id"]))
        measures = sorted(set(group["measure"]))
        rows = ", ".join(str(i + 1) for i in group.index)
        if len(contracts) > 1:
            issues.append(
                Issue(
                    f"the outcome {ref!r} is claimed by {len(contracts)} contracts ({', '.join(contracts)})",
                    "error",
                    fix="Count it under one contract only: the one whose work produced it",
                    where=f"claims {rows}",
                    code="double-counted-contracts",
                    item=int(group.index[0]),
                    field="outcome_ref",
                )
            )
        if len(measures) > 1:
            issues.append(
                Issue(
                    f"the outcome {ref!r} is claimed under {len(measures)} measures ({', '.join(measures)})",
                    "warning",
                    fix="Count it once, under the measure that fits it best; the other claim adds nothing new",
                    where=f"claims {rows}",
                    code="double-counted-measures",
                    item=int(group.index[0]),
                    field="measure",
                )
            )
        if len(contracts) == 1 and len(measures) == 1 and len(group) > 1:
            issues.append(
                Issue(
                    f"the outcome {ref!r} is claimed {len(group)} times under {measures[0]}",
                    "error",
                    fix="Keep one row per outcome",
                    where=f"claims {rows}",
                    code="double-counted-rows",
                    item=int(group.index[0]),
                    field="outcome_ref",
                )
            )
    return issues


def additionality_issues(claims: pd.DataFrame) -> list[Issue]:
    """Claims that are not additional: staff already employed before the contract, or an outcome that would
    have happened anyway (errors: leave them out); for people measures, a claim that does not say is a
    note to ask the supplier (not known is not the same as additional)."""
    table = _claims(claims)
    people = set(measure_set().query("unit == 'people'")["id"])
    issues: list[Issue] = []
    for number, row in table.iterrows():
        employed = yes_no(row.get("already_employed"))
        anyway = yes_no(row.get("would_have_happened_anyway"))
        what = f"{row['measure']} {row['outcome_ref']!r}".strip()
        if employed:
            issues.append(
                Issue(
                    f"{what}: the person was already employed before the contract, so the claim is not additional",
                    "error",
                    fix="Leave it out: moving existing staff onto the contract creates no new job",
                    where=_where(number),
                    code="not-additional-employed",
                    item=int(number),
                    field="already_employed",
                )
            )
        elif anyway:
            issues.append(
                Issue(
                    f"{what}: it would have happened without the contract, so the claim is not additional",
                    "error",
                    fix="Leave it out: only what the contract caused counts",
                    where=_where(number),
                    code="not-additional-anyway",
                    item=int(number),
                    field="would_have_happened_anyway",
                )
            )
        elif row["measure"] in people and employed is None:
            issues.append(
                Issue(
                    f"{what}: the claim does not say whether the person was already employed",
                    "info",
                    fix="Ask the supplier (already_employed: yes or no) before counting it",
                    where=_where(number),
                    code="additionality-unknown",
                    item=int(number),
                    field="already_employed",
                )
            )
    return issues


def proxies_for(measures: Iterable[str], own: Mapping[str, float] | None = None) -> dict[str, float | None]:
    """The money value per unit of each measure: the learner's own (`own`) first, then the set's sourced
    proxy; None where neither exists (unknown, never zero)."""
    table = measure_set()
    own = dict(own or {})
    found: dict[str, float | None] = {}
    for measure in measures:
        value = own.get(measure)
        if is_missing(value) and measure in table.index:
            value = table.at[measure, "proxy_eur"]
        found[measure] = None if is_missing(value) else float(value)
    return found


def proxy_issues(measures: Iterable[str], own: Mapping[str, float] | None = None) -> list[Issue]:
    """A note for each measure without a money value (neither sourced in the set nor entered by the learner),
    and an error for a measure the set does not know (unless the learner gave its value)."""
    known = set(measure_ids())
    issues: list[Issue] = []
    for measure, value in proxies_for(sorted(set(measures)), own).items():
        if measure not in known and value is None:
            issues.append(
                Issue(
                    f"{measure!r} is not in the course's measure set",
                    "error",
                    fix="Use one of: " + ", ".join(sorted(known)),
                    where=measure,
                    code="unknown-measure",
                    field="measure",
                )
            )
        elif value is None:
            issues.append(
                Issue(
                    f"{measure} has no sourced money value, so its value in euros is unknown (not zero)",
                    "warning",
                    fix="Enter a proxy you can source, or report the quantity without a money value",
                    where=measure,
                    code="proxy-unknown",
                    field="proxy_eur",
                )
            )
    return issues


def local_area_issues(measures: Iterable[str], local_area: str = "") -> list[Issue]:
    """A local measure needs the learner's own definition of the local area."""
    table = measure_set()
    local = [m for m in sorted(set(measures)) if m in table.index and "local area" in table.at[m, "local_option"]]
    if local and not str(local_area or "").strip():
        return [
            Issue(
                f"{', '.join(local)} count(s) only outcomes in your local area, which is not defined yet",
                "warning",
                fix="Say what local means for this contract (e.g. the municipality, or the travel-to-work area)",
                code="local-area-undefined",
                field="local_area",
            )
        ]
    return []


def claims_value(claims: pd.DataFrame, own: Mapping[str, float] | None = None) -> pd.DataFrame:
    """Per measure: the quantity that counts (with its unit), the proxy and the value in euros (unknown where
    the proxy is unknown). Claims that are not additional are left out, and an outcome claimed more than once
    counts once (its first claim); the table says how many claims were left out."""
    table = _claims(claims)
    bad = {i.item for i in additionality_issues(table) if i.severity == "error"}
    kept = table.drop(index=sorted(bad))
    named = kept["outcome_ref"] != ""
    kept = pd.concat([kept[named].drop_duplicates("outcome_ref"), kept[~named]]).sort_index()
    units = measure_set()["unit"].to_dict()
    rows = []
    for measure, value in proxies_for(sorted(set(table["measure"])), own).items():
        mine = kept[kept["measure"] == measure]
        quantity = float(mine["quantity"].sum(min_count=1)) if len(mine) else 0.0
        euros = None if value is None or math.isnan(quantity) else quantity * value
        rows.append(
            {
                "measure": measure,
                "claims counted": len(mine),
                "claims left out": int((table["measure"] == measure).sum()) - len(mine),
                "quantity": amount(quantity, units.get(measure, "")),
                "proxy (EUR per unit)": "unknown" if value is None else money(value),
                "value": "unknown" if euros is None else money(euros),
            }
        )
    return pd.DataFrame(rows)


def check_claims(claims: pd.DataFrame, own: Mapping[str, float] | None = None, local_area: str = "") -> list[Issue]:
    """Every check on a table of claims: double counting, additionality, proxies, the local area."""
    table = _claims(claims)
    measures = sorted(set(table["measure"]) - {""})
    return (
        double_counting_issues(table)
        + additionality_issues(table)
        + proxy_issues(measures, own)
        + local_area_issues(measures, local_area)
    )


def example_claims(contract: str = "PV-C-2025-017") -> pd.DataFrame:
    """Four social-value claims from the playground contract (course design, module 7's worked example): one
    person claimed under two measures, one already employed, and CO₂ saved (the one measure with a sourced proxy)."""
    return pd.DataFrame(
        [
            (contract, "local_hires", "P-01", 1, "no"),
            (contract, "apprenticeships", "P-01", 1, "no"),
            (contract, "local_hires", "P-02", 1, "yes"),
            (contract, "co2_tonnes_saved", "E-01", 4.5, ""),
        ],
        columns=[*CLAIM_COLUMNS, "already_employed"],
    )
