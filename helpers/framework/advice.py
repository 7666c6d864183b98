"""The threshold and procedure advisor: which rules apply to a planned purchase.

Given what a city is buying, its estimated value and the date, `advise` says whether Directive 2014/24/EU
applies (at or above the threshold) or national rules (below it, with the Treaty principles where the
contract is of certain cross-border interest), which procedures are open to the buyer and on what legal
condition, the minimum time limits of the open and restricted procedures, and reminders. Every statement is
in `course/content/framework_rules.yaml` with its article and source, every figure in the legal facts table;
`Advice.legal_basis` names, in one line, the articles applied and what national law decides.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field

import pandas as pd

from helpers.core.content import by_id
from helpers.core.errors import LearnerError
from helpers.core.fmt import money
from helpers.core.values import as_date
from helpers.framework.facts import fact_value
from helpers.framework.procedures import (
    DIRECTIVE_2014_24,
    TimeLimit,
    open_time_limits,
    procedure,
    procedures,
    restricted_time_limits,
)
from helpers.framework.thresholds import categories, period_for, threshold_category

RULES_FILE = "framework_rules"
NEAR_THRESHOLD_PCT = 10  # course design: warn when the estimate is within 10% below the threshold
STANDARD_CATEGORIES = ("works", "supplies_services_sub_central", "supplies_services_central")


def _euro(value: float) -> str:
    """Whole euro with thousands separators, as the advice writes amounts: 216000 → '216,000'."""
    return money(value, None, decimals=0)


def rule(rule_id: str, **figures: str) -> str:
    """One of the advisor's statements with its article: 'text (article)', figures filled in."""
    item = by_id(RULES_FILE)[rule_id]
    text = " ".join(str(item["text"]).split())
    for name, value in figures.items():
        text = text.replace("{" + name + "}", value)
    if str(item["article"]).startswith("course design"):
        return text
    return f"{text[:-1]} ({item['article']})." if text.endswith(".") else f"{text} ({item['article']})"


def rule_source(rule_id: str) -> list[str]:
    """The source addresses of one statement."""
    return [s.strip() for s in str(by_id(RULES_FILE)[rule_id]["source"]).split(" ; ")]


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
    applied: list[str] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        return "at or above the EU threshold" if self.above_threshold else "below the EU threshold"

    @property
    def legal_basis(self) -> str:
        """One line: the articles the advice applied, and what only national law can tell."""
        return f"Applied: {cite(self.applied)}. {rule('not-known')}"

    def time_limits_table(self) -> pd.DataFrame:
        """The minimum time limits as a table (procedure, step, minimum days, rule, article, source)."""
        return pd.DataFrame(
            [vars(t) for t in self.time_limits],
            columns=["procedure", "step", "minimum_days", "rule", "article", "source"],
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
        lines += ["", self.legal_basis, "", "Sources:", *[f"- {s}" for s in self.sources]]
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


def cite(applied: list[str]) -> str:
    """The articles applied, short: 'Directive 2014/24/EU Arts 4, 5, 26-28 (...); Finnish Act 1397/2016 s. 25'.

    Articles of Directive 2014/24/EU are merged into one list of article numbers; other laws keep their
    short citation; the threshold's delegated regulation is named once."""
    numbers: set[int] = set()
    others: list[str] = []
    for text in applied:
        if text.startswith("Directive 2014/24/EU"):
            body = text.split("(OJ", 1)[0].split("as amended", 1)[0]
            numbers |= {int(n) for n in re.findall(r"(?:Arts?\.?|and|,)\s*(\d+)", body)}
            regulation = re.search(r"Delegated Regulation \(EU\) \d{4}/\d+", text)
            if regulation:
                others.insert(0, f"the threshold set by {regulation.group(0)}")
        elif text not in others:
            others.append(text)
    parts = (
        [f"Directive 2014/24/EU Art{'s' if len(numbers) > 1 else '.'} {_ranges(sorted(numbers))}"] if numbers else []
    )
    return "; ".join(parts + others)


def _ranges(numbers: list[int]) -> str:
    """[4, 5, 26, 27, 28, 46] → '4, 5, 26-28, 46'."""
    spans: list[list[int]] = []
    for n in numbers:
        if spans and n == spans[-1][-1] + 1:
            spans[-1].append(n)
        else:
            spans.append([n])
    return ", ".join(f"{s[0]}–{s[-1]}" if len(s) > 2 else ", ".join(map(str, s)) for s in spans)


def _say(advice: Advice, where: str, rule_id: str, **figures: str) -> None:
    """Add one statement to `rules`, `reminders` or `warnings`, with its sources and article."""
    getattr(advice, where).append(rule(rule_id, **figures))
    for source in rule_source(rule_id):
        if source.startswith("http") and source not in advice.sources:
            advice.sources.append(source)
    item = by_id(RULES_FILE)[rule_id]
    if not str(item["article"]).startswith(("course design", "national practice")):
        advice.applied.append(str(item.get("cite") or item["article"]))


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
    advice.applied.append(period.articles[category])
    if late_warning:
        advice.warnings.append(late_warning)
    _say(advice, "rules", "value", threshold=f"€{_euro(threshold)}")
    if above:
        _rules_above(advice, category, e_submission, pin_published, urgent)
    else:
        _rules_below(advice, value, threshold, period)
    _reminders(advice, category)
    if DIRECTIVE_2014_24 not in advice.sources:
        advice.sources.append(DIRECTIVE_2014_24)
    return advice


def _rules_above(advice: Advice, category: str, e_submission: bool, pin_published: bool, urgent: bool) -> None:
    if category in ("concessions", "utilities_supplies_services"):
        _say(advice, "rules", "concessions" if category == "concessions" else "utilities")
        return
    if category == "social_services":
        _say(advice, "rules", "light-regime", social_services=f"€{_euro(fact_value('threshold-social_services'))}")
        _say(advice, "warnings", "light-regime-no-limits")
        return
    _say(advice, "rules", "directive-applies")
    _say(advice, "rules", "procedure-choice")
    _say(advice, "rules", "advertise")
    _say(advice, "rules", "meat")
    _say(advice, "rules", "time-limits")
    chosen = advice.procedure
    if chosen is not None and procedure(chosen).available != "free":
        p = procedure(chosen)
        advice.warnings.append(f"The {p.name} may be used only if: {p.condition} ({p.article}).")
    if chosen in (None, "open"):
        advice.time_limits += open_time_limits(e_submission, pin_published, urgent)
    if chosen in (None, "restricted"):
        advice.time_limits += restricted_time_limits(advice.buyer_type, pin_published, urgent, e_submission)
    if chosen is not None and chosen not in ("open", "restricted"):
        advice.warnings.append(
            f"This course's table gives minimum time limits for the open and restricted procedures only, not for "
            f"the {procedure(chosen).name}: check Directive 2014/24/EU and your national transposition."
        )


def _rules_below(advice: Advice, value: float, threshold: int, period) -> None:
    _say(advice, "rules", "below-national")
    _say(advice, "rules", "below-cross-border")
    if value >= threshold * (1 - NEAR_THRESHOLD_PCT / 100):
        advice.warnings.append(
            f"The estimate is within {NEAR_THRESHOLD_PCT}% of the threshold: check it carefully "
            "(all years, options and lots), because a value at or above the threshold "
            "brings in the Directive (course design: this warning)."
        )
    sub_central = period.values["supplies_services_sub_central"]
    _say(advice, "reminders", "rotterdam", sub_central=f"€{_euro(sub_central)}")
    _say(
        advice,
        "reminders",
        "finland",
        finland_supplies=f"€{_euro(fact_value('finland-national-threshold-supplies-services'))}",
        finland_works=f"€{_euro(fact_value('finland-national-threshold-works'))}",
    )


def _reminders(advice: Advice, category: str) -> None:
    if category in STANDARD_CATEGORIES:
        if advice.above_threshold:
            _say(advice, "reminders", "lots")
        else:
            advice.reminders.append(
                "Lots help SMEs win contracts; above the threshold Art. 46(1) of Directive 2014/24/EU makes you "
                "consider them and explain a decision not to divide."
            )
    if category in ("supplies_services_sub_central", "supplies_services_central"):
        _say(advice, "reminders", "annex-xiv", social_services=f"€{_euro(fact_value('threshold-social_services'))}")
    if advice.above_threshold and category in STANDARD_CATEGORIES:
        if advice.procedure == "innovation_partnership":
            _say(advice, "reminders", "innovation-partnership")
        if advice.procedure == "negotiated_without_publication":
            _say(advice, "reminders", "negotiated-without-publication")
