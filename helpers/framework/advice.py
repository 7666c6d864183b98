"""The threshold and procedure advisor: which rules apply to a planned purchase.

Given what a city is buying, its estimated value and the date, `advise` says
whether the EU Directive applies (at or above the threshold) or national rules
and the Treaty principles (below it), the minimum time limits for open and
restricted procedures, and reminders (lots, the light regime, national
examples). Figures come from the course's domain brief with their sources;
anything that is the course's own choice is labelled "course design".
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import pandas as pd

from helpers.core.errors import LearnerError
from helpers.core.fmt import money
from helpers.core.values import as_date
from helpers.framework.procedures import (
    TimeLimit,
    open_time_limits,
    procedure_names,
    procedures,
    restricted_time_limits,
)
from helpers.framework.thresholds import categories, period_for, threshold_category

NEAR_THRESHOLD_PCT = 10  # course design: warn when the estimate is within 10% below the threshold


def _euro(value: float) -> str:
    """Whole euro with thousands separators, as the advice writes amounts: 216000 → '216,000'."""
    return money(value, None, decimals=0)


@dataclass
class Advice:
    """What the rules say for one planned purchase."""

    contract_type: str
    buyer_type: str
    estimated_value_eur: float
    on_date: dt.date
    procedure: str | None
    threshold_eur: int
    threshold_category: str
    period: str
    above_threshold: bool
    rules: list[str] = field(default_factory=list)
    time_limits: list[TimeLimit] = field(default_factory=list)
    reminders: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        return "at or above the EU threshold" if self.above_threshold else "below the EU threshold"

    def time_limits_table(self) -> pd.DataFrame:
        """The minimum time limits as a table (procedure, step, minimum days, rule, source)."""
        return pd.DataFrame(
            [vars(t) for t in self.time_limits], columns=["procedure", "step", "minimum_days", "rule", "source"]
        )

    def summary(self) -> str:
        """The advice in plain text, ready to paste into a note."""
        kind = self.contract_type.replace("_", " ")
        lines = [
            f"{kind.capitalize()} contract, estimated €{_euro(self.estimated_value_eur)} (net of VAT, whole "
            f"duration), {self.on_date.isoformat()}: {self.verdict} of €{_euro(self.threshold_eur)} "
            f"({self.threshold_category}, {self.period}).",
            "",
            "Rules that apply:",
            *[f"- {r}" for r in self.rules],
        ]
        if self.time_limits:
            lines += ["", "Minimum time limits:"]
            for t in self.time_limits:
                days = f"{t.minimum_days} days" if t.minimum_days is not None else "see rule"
                lines.append(f"- {t.procedure}, {t.step}: {days} ({t.rule})")
        if self.reminders:
            lines += ["", "Reminders:", *[f"- {r}" for r in self.reminders]]
        if self.warnings:
            lines += ["", "Check:", *[f"- {w}" for w in self.warnings]]
        lines += ["", "Sources:", *[f"- {s}" for s in self.sources]]
        return "\n".join(lines)


def _value(estimated_value_eur) -> float:
    if isinstance(estimated_value_eur, bool):
        raise LearnerError(f"the estimated value must be a number of euro, not {estimated_value_eur!r}")
    try:
        value = float(estimated_value_eur)
    except (TypeError, ValueError):
        raise LearnerError(
            f"the estimated value must be a number of euro, not {estimated_value_eur!r}",
            fix="Type digits only, e.g. 250000",
        ) from None
    if not math.isfinite(value) or value <= 0:
        raise LearnerError(
            f"the estimated value must be more than zero euro (you gave {estimated_value_eur!r})",
            fix="Enter the value net of VAT for the whole duration of the contract",
        )
    return value


def advise(
    contract_type: str,
    estimated_value_eur: float,
    buyer_type: str,
    on_date,
    procedure: str | None = None,
    e_submission: bool = True,
    pin_published: bool = False,
    urgent: bool = False,
) -> Advice:
    """Which rules apply to a planned purchase, and the minimum time limits.

    `estimated_value_eur` is net of VAT, for the whole duration of the contract. The
    Directive applies when the value is equal to or greater than the threshold, so a
    value exactly at the threshold counts as above. `on_date` is the date the
    procedure starts (a date or "YYYY-MM-DD").
    """
    value = _value(estimated_value_eur)
    category = threshold_category(contract_type, buyer_type)
    day = as_date(on_date, "procedure start date")
    period, late_warning = period_for(day)
    if procedure is not None and procedure not in procedures():
        raise LearnerError(
            f"{procedure!r} is not a procedure the advisor knows",
            fix=f"Use one of: {', '.join(procedures())}, or leave it empty",
        )
    threshold = period.values[category]
    above = value >= threshold
    advice = Advice(
        contract_type,
        buyer_type,
        value,
        day,
        procedure,
        threshold,
        categories()[category],
        period.label,
        above,
        sources=[period.source],
    )
    if late_warning:
        advice.warnings.append(late_warning)
    advice.rules.append(
        f"The value counts net of VAT, for the whole duration of the contract; the Directive "
        f"applies when it is equal to or greater than the threshold (€{_euro(threshold)})."
    )
    if above:
        _rules_above(advice, category, e_submission, pin_published, urgent)
    else:
        _rules_below(advice, category, value, threshold)
    _reminders(advice, category)
    return advice


def _rules_above(advice: Advice, category: str, e_submission: bool, pin_published: bool, urgent: bool) -> None:
    if category == "concessions":
        advice.rules.append("Directive 2014/23/EU on concessions applies, as transposed into your national law.")
        advice.warnings.append(
            "The time limits in this course are those of Directive 2014/24/EU; "
            "concessions follow their own rules: check Directive 2014/23/EU."
        )
        return
    if category == "utilities_supplies_services":
        advice.rules.append("Directive 2014/25/EU on utilities applies, as transposed into your national law.")
        advice.warnings.append(
            "The time limits in this course are those of Directive 2014/24/EU; "
            "utilities follow their own rules: check Directive 2014/25/EU."
        )
        return
    if category == "social_services":
        advice.rules.append(
            "The 'light regime' of Directive 2014/24/EU for social and other specific services "
            "(Annex XIV) applies: lighter rules than the standard procedures, set out in your "
            "national law."
        )
        advice.rules.append("Advertise the contract EU-wide in the Official Journal of the EU.")
        advice.warnings.append(
            "Under the light regime national law sets the procedure and its time limits, "
            "so no minimum time limits are shown: check your national transposition."
        )
        return
    else:
        advice.rules.append(
            "Directive 2014/24/EU applies, as transposed into your national law: use one of its "
            "procedures: open (Art. 27), restricted (Art. 28), competitive procedure with "
            "negotiation (Art. 29), competitive dialogue (Art. 30) or innovation partnership "
            "(Art. 31); negotiation without prior publication (Art. 32) only in exceptional cases."
        )
        advice.rules.append("Advertise the contract EU-wide in the Official Journal of the EU.")
        advice.rules.append(
            "Award to the most economically advantageous tender (MEAT, Art. 67): best "
            "price-quality ratio, cost-effectiveness such as life-cycle costing (Art. 68), or "
            "price or cost alone; your national law may ban or restrict price-only awards."
        )
        advice.rules.append("Respect the minimum time limits (Arts 27–28) below.")
    chosen = advice.procedure
    if chosen in (None, "open"):
        advice.time_limits += open_time_limits(e_submission, pin_published, urgent)
    if chosen in (None, "restricted"):
        advice.time_limits += restricted_time_limits(advice.buyer_type, pin_published, urgent)
        if e_submission:
            advice.warnings.append(
                "Art. 28 also allows shorter restricted-procedure limits when tenders are "
                "submitted electronically; this course's table does not give them: check "
                "your national transposition."
            )
    if chosen is not None and chosen not in ("open", "restricted"):
        advice.warnings.append(
            f"This course's table gives minimum time limits for the open and restricted "
            f"procedures only, not for the {procedure_names()[chosen]}: check your national "
            "transposition."
        )
    advice.sources += sorted({t.source for t in advice.time_limits})


def _rules_below(advice: Advice, category: str, value: float, threshold: int) -> None:
    advice.rules.append(
        "National procurement rules apply (your country's law and your city's own rules); "
        "the Directive's procedures and time limits do not bind."
    )
    advice.rules.append("The EU Treaty principles still bind: transparency, equal treatment and non-discrimination.")
    if value >= threshold * (1 - NEAR_THRESHOLD_PCT / 100):
        advice.warnings.append(
            f"The estimate is within {NEAR_THRESHOLD_PCT}% of the threshold: check it carefully "
            "(all years, options and lots), because a value at or above the threshold "
            "brings in the Directive (course design: this warning)."
        )
    advice.reminders.append(
        "Examples of national room below the threshold: Rotterdam may invite a selected "
        "group of 3–5 (local) companies instead of advertising openly below €221,000; "
        "Finland, by contrast, requires national publication above €60,000. "
        "Source: https://build-procurement.eu/?p=4070"
    )


def _reminders(advice: Advice, category: str) -> None:
    if category in ("works", "supplies_services_sub_central", "supplies_services_central", "social_services"):
        if advice.above_threshold and category != "social_services":
            advice.reminders.append(
                "Lots, 'divide or explain' (Art. 46): consider dividing the contract into "
                "lots, and state your reasons if you do not. Lots raise SMEs' chances of "
                "winning (DG GROW study)."
            )
        else:
            advice.reminders.append(
                "Lots help SMEs win contracts (DG GROW study); under the Directive's standard "
                "procedures Art. 46 makes you consider them and explain a decision not to "
                "divide."
            )
    if category in ("supplies_services_sub_central", "supplies_services_central"):
        advice.reminders.append(
            "If these are social or other specific services listed in Annex XIV, the "
            "'light regime' applies instead, with a threshold of €750,000."
        )
    if category == "social_services":
        advice.reminders.append(
            "The light regime (threshold €750,000) is explained in Buying Social, 2nd "
            "edition (2021), chapter 4, which also covers reserved contracts: "
            "https://eur-lex.europa.eu/legal-content/AUTO/?uri=CELEX:52021XC0618(01)"
        )
    if advice.procedure == "innovation_partnership":
        advice.reminders.append(
            "Innovation partnership (Art. 31), new in the 2014 Directive, lets you develop "
            "and then buy a solution the market does not yet offer. If you only need R&D "
            "services, pre-commercial procurement (PCP) is the alternative (module 5)."
        )
    if advice.procedure == "negotiated_without_publication":
        advice.reminders.append(
            "The negotiated procedure without prior publication (Art. 32) is for "
            "exceptional cases only; be ready to justify it."
        )
