"""Module 2, "The EU policy framework": the EU thresholds and a procedure advisor.

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
from typing import Callable

import pandas as pd

from helpers.core.errors import LearnerError
from helpers.core.values import as_date
from helpers.learning.registry import self_check

# -- thresholds ----------------------------------------------------------------------------
THRESHOLDS_NOTE = ("Thresholds are in euro, net of VAT, and are revised every two years to follow the "
                   "euro/SDR exchange rate under the WTO Government Procurement Agreement.")

CATEGORIES: dict[str, str] = {
    "works": "Works (central and sub-central buyers)",
    "supplies_services_sub_central": "Supplies and services, sub-central buyers (cities, regions)",
    "supplies_services_central": "Supplies and services, central government",
    "social_services": "Social and other specific services (Annex XIV, 'light regime')",
    "utilities_supplies_services": "Utilities, supplies and services (Directive 2014/25/EU)",
    "concessions": "Concessions (Directive 2014/23/EU)",
}


@dataclass(frozen=True)
class ThresholdPeriod:
    """One two-year period of thresholds: calendar years `start`..`end` inclusive."""

    label: str
    start: dt.date
    end: dt.date
    values: dict[str, int]
    source: str


THRESHOLDS: tuple[ThresholdPeriod, ...] = (
    ThresholdPeriod(
        "2022–23", dt.date(2022, 1, 1), dt.date(2023, 12, 31),
        {"works": 5_382_000, "supplies_services_sub_central": 215_000, "supplies_services_central": 140_000,
         "social_services": 750_000, "utilities_supplies_services": 431_000, "concessions": 5_382_000},
        "https://single-market-economy.ec.europa.eu/single-market/public-procurement/"
        "legal-rules-and-implementation/thresholds_it"),
    ThresholdPeriod(
        "2024–25", dt.date(2024, 1, 1), dt.date(2025, 12, 31),
        {"works": 5_538_000, "supplies_services_sub_central": 221_000, "supplies_services_central": 143_000,
         "social_services": 750_000, "utilities_supplies_services": 443_000, "concessions": 5_538_000},
        "https://single-market-economy.ec.europa.eu/single-market/public-procurement/"
        "legal-rules-and-implementation/thresholds_en (published in the OJ on 16 Nov 2023, applying "
        "from 1 Jan 2024)"),
    ThresholdPeriod(
        "2026–27", dt.date(2026, 1, 1), dt.date(2027, 12, 31),
        {"works": 5_404_000, "supplies_services_sub_central": 216_000, "supplies_services_central": 140_000,
         "social_services": 750_000, "utilities_supplies_services": 432_000, "concessions": 5_404_000},
        "Delegated Regulation (EU) 2025/2152, applying from 1 Jan 2026: https://www.mondaq.com/ireland/"
        "government-contracts-procurement-ppp/1696870/public-procurement-thresholds-for-2026-2027"),
)

CONTRACT_TYPES = ("works", "supplies", "services", "social_services", "concession")
BUYER_TYPES = ("sub_central", "central", "utility")
PROCEDURES = ("open", "restricted", "competitive_negotiation", "competitive_dialogue",
              "innovation_partnership", "negotiated_without_publication")
PROCEDURE_NAMES = {
    "open": "open procedure (Art. 27)",
    "restricted": "restricted procedure (Art. 28)",
    "competitive_negotiation": "competitive procedure with negotiation (Art. 29)",
    "competitive_dialogue": "competitive dialogue (Art. 30)",
    "innovation_partnership": "innovation partnership (Art. 31)",
    "negotiated_without_publication": "negotiated procedure without prior publication (Art. 32)",
}
THRESHOLDS_PAGE = ("https://single-market-economy.ec.europa.eu/single-market/public-procurement/"
                   "legal-rules-and-implementation/thresholds_en")
OPEN_LIMITS_SOURCE = "https://www.legislation.gov.uk./ssi/2015/446/regulation/28/data.html"
RESTRICTED_LIMITS_SOURCE = "https://www.legislation.gov.uk/eudr/2014/24/article/28/2020-01-31"
SUB_CENTRAL_AGREEMENT_SOURCE = ("https://bevanbrittan.com/insights/articles/2014/"
                                "statutorytimelimitsunderthepublicsectordirective")
NEAR_THRESHOLD_PCT = 10  # course design: warn when the estimate is within 10% below the threshold


def thresholds_table() -> pd.DataFrame:
    """The thresholds per category (rows) and period (columns), in euro net of VAT."""
    rows = [{"contract type": name, **{p.label: p.values[key] for p in THRESHOLDS}}
            for key, name in CATEGORIES.items()]
    return pd.DataFrame(rows)


def thresholds_sources() -> pd.DataFrame:
    """Each period with the dates it applies and its source."""
    return pd.DataFrame([{"period": p.label, "from": p.start.isoformat(), "to": p.end.isoformat(),
                          "source": p.source} for p in THRESHOLDS])


def period_for(on_date) -> tuple[ThresholdPeriod, str | None]:
    """The threshold period covering `on_date`, and a warning when the date is past the table."""
    day = as_date(on_date, "procedure start date")
    if day < THRESHOLDS[0].start:
        raise LearnerError(f"the course's threshold table starts on {THRESHOLDS[0].start.isoformat()}; "
                           f"{day.isoformat()} is earlier",
                           fix=f"Check older thresholds on {THRESHOLDS_PAGE}")
    for period in THRESHOLDS:
        if period.start <= day <= period.end:
            return period, None
    last = THRESHOLDS[-1]
    return last, (f"{day.isoformat()} is after the course's table ends ({last.end.isoformat()}); the "
                  f"{last.label} thresholds are used, but thresholds are revised every two years, so "
                  f"check the current values on {THRESHOLDS_PAGE}")


def _category(contract_type: str, buyer_type: str) -> str:
    if contract_type not in CONTRACT_TYPES:
        raise LearnerError(f"{contract_type!r} is not a contract type the advisor knows",
                           fix=f"Use one of: {', '.join(CONTRACT_TYPES)}")
    if buyer_type not in BUYER_TYPES:
        raise LearnerError(f"{buyer_type!r} is not a buyer type the advisor knows",
                           fix=f"Use one of: {', '.join(BUYER_TYPES)} (a city is sub_central)")
    if contract_type == "concession":
        return "concessions"
    if buyer_type == "utility":
        if contract_type in ("supplies", "services"):
            return "utilities_supplies_services"
        raise LearnerError(
            f"the course's threshold table gives utilities' thresholds for supplies and services only, "
            f"not for {contract_type.replace('_', ' ')}",
            fix=f"Check the Directive 2014/25/EU thresholds on {THRESHOLDS_PAGE}")
    if contract_type == "works":
        return "works"
    if contract_type == "social_services":
        return "social_services"
    return "supplies_services_central" if buyer_type == "central" else "supplies_services_sub_central"


def threshold_for(contract_type: str, buyer_type: str, on_date) -> int:
    """The EU threshold (euro, net of VAT) for this contract and buyer on this date."""
    period, _ = period_for(on_date)
    return period.values[_category(contract_type, buyer_type)]


# -- minimum time limits ---------------------------------------------------------------------------
@dataclass(frozen=True)
class TimeLimit:
    """One minimum time limit: `minimum_days` is None when the rule is not a fixed number."""

    procedure: str
    step: str
    minimum_days: int | None
    rule: str
    source: str


def open_minimum_days(e_submission: bool = True, pin_published: bool = False, urgent: bool = False) -> int:
    """Minimum days for receipt of tenders in an open procedure above the threshold.

    35 days from the notice; 5 days less (30) when tenders may be submitted electronically;
    15 days after a prior information notice (PIN) or in substantiated urgency.
    """
    if pin_published or urgent:
        return 15
    return 30 if e_submission else 35


def open_time_limits(e_submission: bool = True, pin_published: bool = False,
                     urgent: bool = False) -> list[TimeLimit]:
    """The open procedure's minimum time limit, with the reason for the number."""
    days = open_minimum_days(e_submission, pin_published, urgent)
    if pin_published and urgent:
        why = "15 days after a prior information notice (PIN) or in substantiated urgency"
    elif pin_published:
        why = "15 days: a PIN was published 35 days to 12 months before the notice"
    elif urgent:
        why = "15 days in substantiated urgency"
    elif e_submission:
        why = "35 days from the notice, 5 days less because tenders may be submitted electronically"
    else:
        why = "35 days from dispatch of the contract notice"
    return [TimeLimit("open", "receipt of tenders", days, why, OPEN_LIMITS_SOURCE)]


def restricted_time_limits(buyer_type: str = "sub_central", pin_published: bool = False,
                           urgent: bool = False) -> list[TimeLimit]:
    """The restricted procedure's two steps: requests to participate, then tenders."""
    limits = [TimeLimit("restricted", "requests to participate", 30,
                        "30 days from the contract notice", RESTRICTED_LIMITS_SOURCE)]
    standard = ("10 days after a qualifying prior information notice (PIN)" if pin_published
                else "30 days from the invitation to tender")
    if buyer_type == "sub_central":
        limits.append(TimeLimit(
            "restricted", "receipt of tenders", 10,
            "sub-central buyers may agree the tender deadline with the selected candidates; without "
            f"agreement at least 10 days. Standard limit: {standard}", SUB_CENTRAL_AGREEMENT_SOURCE))
    else:
        limits.append(TimeLimit("restricted", "receipt of tenders", 10 if pin_published else 30, standard,
                                RESTRICTED_LIMITS_SOURCE))
    if urgent:
        limits.append(TimeLimit(
            "restricted", "urgency", None,
            "Art. 28 has shorter limits for substantiated urgency, not covered in this course's table: "
            "check your national transposition", RESTRICTED_LIMITS_SOURCE))
    return limits


# -- the advisor ------------------------------------------------------------------------------------
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
        return pd.DataFrame([vars(t) for t in self.time_limits],
                            columns=["procedure", "step", "minimum_days", "rule", "source"])

    def summary(self) -> str:
        """The advice in plain text, ready to paste into a note."""
        kind = self.contract_type.replace("_", " ")
        lines = [
            f"{kind.capitalize()} contract, estimated €{self.estimated_value_eur:,.0f} (net of VAT, whole "
            f"duration), {self.on_date.isoformat()}: {self.verdict} of €{self.threshold_eur:,} "
            f"({self.threshold_category}, {self.period}).",
            "", "Rules that apply:", *[f"- {r}" for r in self.rules],
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
        raise LearnerError(f"the estimated value must be a number of euro, not {estimated_value_eur!r}",
                           fix="Type digits only, e.g. 250000") from None
    if not math.isfinite(value) or value <= 0:
        raise LearnerError(f"the estimated value must be more than zero euro (you gave {estimated_value_eur!r})",
                           fix="Enter the value net of VAT for the whole duration of the contract")
    return value


def advise(contract_type: str, estimated_value_eur: float, buyer_type: str, on_date,
           procedure: str | None = None, e_submission: bool = True, pin_published: bool = False,
           urgent: bool = False) -> Advice:
    """Which rules apply to a planned purchase, and the minimum time limits.

    `estimated_value_eur` is net of VAT, for the whole duration of the contract. The
    Directive applies when the value is equal to or greater than the threshold, so a
    value exactly at the threshold counts as above. `on_date` is the date the
    procedure starts (a date or "YYYY-MM-DD").
    """
    value = _value(estimated_value_eur)
    category = _category(contract_type, buyer_type)
    day = as_date(on_date, "procedure start date")
    period, late_warning = period_for(day)
    if procedure is not None and procedure not in PROCEDURES:
        raise LearnerError(f"{procedure!r} is not a procedure the advisor knows",
                           fix=f"Use one of: {', '.join(PROCEDURES)}, or leave it empty")
    threshold = period.values[category]
    above = value >= threshold
    advice = Advice(contract_type, buyer_type, value, day, procedure, threshold, CATEGORIES[category],
                    period.label, above, sources=[period.source])
    if late_warning:
        advice.warnings.append(late_warning)
    advice.rules.append(f"The value counts net of VAT, for the whole duration of the contract; the Directive "
                        f"applies when it is equal to or greater than the threshold (€{threshold:,}).")
    if above:
        _rules_above(advice, category, e_submission, pin_published, urgent)
    else:
        _rules_below(advice, category, value, threshold)
    _reminders(advice, category)
    return advice


def _rules_above(advice: Advice, category: str, e_submission: bool, pin_published: bool, urgent: bool) -> None:
    if category == "concessions":
        advice.rules.append("Directive 2014/23/EU on concessions applies, as transposed into your national law.")
        advice.warnings.append("The time limits in this course are those of Directive 2014/24/EU; "
                               "concessions follow their own rules: check Directive 2014/23/EU.")
        return
    if category == "utilities_supplies_services":
        advice.rules.append("Directive 2014/25/EU on utilities applies, as transposed into your national law.")
        advice.warnings.append("The time limits in this course are those of Directive 2014/24/EU; "
                               "utilities follow their own rules: check Directive 2014/25/EU.")
        return
    if category == "social_services":
        advice.rules.append("The 'light regime' of Directive 2014/24/EU for social and other specific services "
                            "(Annex XIV) applies: lighter rules than the standard procedures, set out in your "
                            "national law.")
        advice.rules.append("Advertise the contract EU-wide in the Official Journal of the EU.")
        advice.warnings.append("Under the light regime national law sets the procedure and its time limits, "
                               "so no minimum time limits are shown: check your national transposition.")
        return
    else:
        advice.rules.append("Directive 2014/24/EU applies, as transposed into your national law: use one of its "
                            "procedures: open (Art. 27), restricted (Art. 28), competitive procedure with "
                            "negotiation (Art. 29), competitive dialogue (Art. 30) or innovation partnership "
                            "(Art. 31); negotiation without prior publication (Art. 32) only in exceptional cases.")
        advice.rules.append("Advertise the contract EU-wide in the Official Journal of the EU.")
        advice.rules.append("Award to the most economically advantageous tender (MEAT, Art. 67): best "
                            "price-quality ratio, cost-effectiveness such as life-cycle costing (Art. 68), or "
                            "price or cost alone; your national law may ban or restrict price-only awards.")
        advice.rules.append("Respect the minimum time limits (Arts 27–28) below.")
    chosen = advice.procedure
    if chosen in (None, "open"):
        advice.time_limits += open_time_limits(e_submission, pin_published, urgent)
    if chosen in (None, "restricted"):
        advice.time_limits += restricted_time_limits(advice.buyer_type, pin_published, urgent)
        if e_submission:
            advice.warnings.append("Art. 28 also allows shorter restricted-procedure limits when tenders are "
                                   "submitted electronically; this course's table does not give them: check "
                                   "your national transposition.")
    if chosen is not None and chosen not in ("open", "restricted"):
        advice.warnings.append(f"This course's table gives minimum time limits for the open and restricted "
                               f"procedures only, not for the {PROCEDURE_NAMES[chosen]}: check your national "
                               "transposition.")
    advice.sources += sorted({t.source for t in advice.time_limits})


def _rules_below(advice: Advice, category: str, value: float, threshold: int) -> None:
    advice.rules.append("National procurement rules apply (your country's law and your city's own rules); "
                        "the Directive's procedures and time limits do not bind.")
    advice.rules.append("The EU Treaty principles still bind: transparency, equal treatment and "
                        "non-discrimination.")
    if value >= threshold * (1 - NEAR_THRESHOLD_PCT / 100):
        advice.warnings.append(f"The estimate is within {NEAR_THRESHOLD_PCT}% of the threshold: check it carefully "
                               "(all years, options and lots), because a value at or above the threshold "
                               "brings in the Directive (course design: this warning).")
    advice.reminders.append("Examples of national room below the threshold: Rotterdam may invite a selected "
                            "group of 3–5 (local) companies instead of advertising openly below €221,000; "
                            "Finland, by contrast, requires national publication above €60,000. "
                            "Source: https://build-procurement.eu/?p=4070")


def _reminders(advice: Advice, category: str) -> None:
    if category in ("works", "supplies_services_sub_central", "supplies_services_central", "social_services"):
        if advice.above_threshold and category != "social_services":
            advice.reminders.append("Lots, 'divide or explain' (Art. 46): consider dividing the contract into "
                                    "lots, and state your reasons if you do not. Lots raise SMEs' chances of "
                                    "winning (DG GROW study).")
        else:
            advice.reminders.append("Lots help SMEs win contracts (DG GROW study); under the Directive's standard "
                                    "procedures Art. 46 makes you consider them and explain a decision not to "
                                    "divide.")
    if category in ("supplies_services_sub_central", "supplies_services_central"):
        advice.reminders.append("If these are social or other specific services listed in Annex XIV, the "
                                "'light regime' applies instead, with a threshold of €750,000.")
    if category == "social_services":
        advice.reminders.append("The light regime (threshold €750,000) is explained in Buying Social, 2nd "
                                "edition (2021), chapter 4, which also covers reserved contracts: "
                                "https://eur-lex.europa.eu/legal-content/AUTO/?uri=CELEX:52021XC0618(01)")
    if advice.procedure == "innovation_partnership":
        advice.reminders.append("Innovation partnership (Art. 31), new in the 2014 Directive, lets you develop "
                                "and then buy a solution the market does not yet offer. If you only need R&D "
                                "services, pre-commercial procurement (PCP) is the alternative (module 5).")
    if advice.procedure == "negotiated_without_publication":
        advice.reminders.append("The negotiated procedure without prior publication (Art. 32) is for "
                                "exceptional cases only; be ready to justify it.")


# -- self-check computations (the quiz engine calls only these) ----------------------------------
@self_check("threshold-eur")
def threshold_eur_for(contract_type: str, buyer_type: str, on_date: str) -> float:
    """The threshold for one case, as a number (for a numeric self-check)."""
    return float(threshold_for(contract_type, buyer_type, on_date))


@self_check("open-procedure-days")
def open_days_for(e_submission: bool = True, pin_published: bool = False, urgent: bool = False) -> float:
    """The open procedure's minimum days for one case (for a numeric self-check)."""
    return float(open_minimum_days(e_submission, pin_published, urgent))
