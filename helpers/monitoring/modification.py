"""May I change this contract? Article 72 of Directive 2014/24/EU as a small checker for contract managers.

`check_modification` takes what is changing in a signed contract and answers with the route of Art. 72 that
allows the change without a new procurement procedure (a review clause, the de-minimis rule, additional
works, services or supplies, unforeseeable circumstances, or a non-substantial change), or says that the
change needs a new procedure (Art. 72(5)), and names the article it applied. Every percentage and threshold
comes from the legal facts table (`course/content/legal_facts.yaml`). It is a learning aid: the answer is
only as good as the facts entered, and national law and the contract's own terms decide the details.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from helpers.core.errors import LearnerError
from helpers.core.fmt import money
from helpers.core.values import as_date
from helpers.framework import fact_value, threshold_for
from helpers.learning.registry import self_check

CONTRACT_TYPES = ("works", "supplies", "services")
REASONS = ("none", "additional", "unforeseeable")  # none of these / Art. 72(1)(b) / Art. 72(1)(c)
ALLOWED, NEW_PROCEDURE, CHECK = "allowed without a new procedure", "needs a new procurement procedure", "check"
NOT_KNOWN = (
    "Not known to this tool: your national law's rules on modification (and, for contracts below the threshold, "
    "any rules at all), the exact terms of your contract and its review clauses, and facts you have not entered."
)


@dataclass
class Modification:
    """What is changing in a signed contract. Values are net of VAT; `earlier_modifications_eur` is the net
    value of the modifications already made (successive changes count together for the de-minimis rule)."""

    contract_type: str
    initial_value_eur: float
    modification_eur: float
    on_date: dt.date | str = "2026-03-01"
    buyer_type: str = "sub_central"
    earlier_modifications_eur: float = 0.0
    indexed_value_eur: float | None = None  # the updated price, when the contract has an indexation clause
    review_clause: bool = False  # a clear, precise and unequivocal clause in the procurement documents covers it
    alters_overall_nature: bool = False
    reason: str = "none"  # "additional" works/services/supplies, or "unforeseeable" circumstances
    change_of_contractor_impossible: bool = False  # economic or technical reasons, and serious inconvenience
    new_contractor: bool = False
    would_have_changed_competition: bool = False  # other candidates, another winner or more bidders
    shifts_balance_to_contractor: bool = False
    extends_scope_considerably: bool = False


@dataclass
class ModificationAnswer:
    """The checker's answer: verdict, the ground of Art. 72 it rests on, reasons and what to do."""

    verdict: str
    ground: str
    reasons: list[str] = field(default_factory=list)
    to_do: list[str] = field(default_factory=list)
    applied: list[str] = field(default_factory=list)

    @property
    def legal_basis(self) -> str:
        """One line: the articles applied and what the tool cannot know."""
        articles = ", ".join(dict.fromkeys(self.applied)) or "Art. 72"
        return f"Applied: Directive 2014/24/EU, {articles}. {NOT_KNOWN}"

    def summary(self) -> str:
        lines = [f"{self.verdict[0].upper()}{self.verdict[1:]}: {self.ground}.", *[f"- {r}" for r in self.reasons]]
        if self.to_do:
            lines += ["To do:", *[f"- {t}" for t in self.to_do]]
        return "\n".join([*lines, self.legal_basis])


def _euro(value: float) -> str:
    return f"€{money(value, None, decimals=0)}"


def _amount(value, what: str, allow_zero: bool = False) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise LearnerError(f"the {what} must be a number of euro, not {value!r}", fix="Type digits only") from None
    if isinstance(value, bool) or not math.isfinite(number) or number < 0 or (number == 0 and not allow_zero):
        raise LearnerError(
            f"the {what} must be {'zero or more' if allow_zero else 'more than zero'} euro (you gave {value!r})",
            fix="Enter the amount net of VAT; for a reduction, enter the size of the change",
        )
    return number


def de_minimis_limit(contract_type: str, initial_value_eur: float, on_date="2026-03-01", buyer_type="sub_central"):
    """The de-minimis limit of Art. 72(2): the lower of the EU threshold and 10% (supplies, services) or 15%
    (works) of the initial value. A modification must stay *below* it. Returns (limit, threshold, share %)."""
    if contract_type not in CONTRACT_TYPES:
        raise LearnerError(
            f"{contract_type!r} is not a contract type the checker knows", fix="Use works, supplies or services"
        )
    share = fact_value(
        "modification-de-minimis-works" if contract_type == "works" else "modification-de-minimis-supplies-services"
    )
    threshold = threshold_for(contract_type, buyer_type, on_date)
    return min(threshold, initial_value_eur * share / 100), threshold, share


def check_modification(change: Modification) -> ModificationAnswer:
    """Which route of Art. 72 allows this change, if any (see the module's docstring)."""
    if change.contract_type not in CONTRACT_TYPES:
        raise LearnerError(
            f"{change.contract_type!r} is not a contract type the checker knows", fix="Use works, supplies or services"
        )
    if change.reason not in REASONS:
        raise LearnerError(
            f"{change.reason!r} is not a reason the checker knows", fix=f"Use one of: {', '.join(REASONS)}"
        )
    initial = _amount(change.initial_value_eur, "initial contract value")
    value = _amount(change.modification_eur, "value of the modification")
    earlier = _amount(change.earlier_modifications_eur, "value of earlier modifications", allow_zero=True)
    reference = initial if change.indexed_value_eur is None else _amount(change.indexed_value_eur, "indexed price")
    day = as_date(change.on_date, "date of the modification")
    limit, threshold, share = de_minimis_limit(change.contract_type, reference, day, change.buyer_type)
    cap = fact_value("modification-max-increase")
    answer = ModificationAnswer(CHECK, "", applied=["Art. 72"])
    if reference != initial:
        answer.applied.append("Art. 72(3)")
        answer.reasons.append(
            f"The contract has an indexation clause, so the updated price ({_euro(reference)}) is the reference "
            "value (Art. 72(3))."
        )
    if initial < threshold:
        answer.reasons.append(
            f"The initial value ({_euro(initial)}) is below the EU threshold ({_euro(threshold)}): Art. 72 does "
            "not bind this contract as such; national law (and the Treaty principles, for a contract of certain "
            "cross-border interest) governs it. The answer below shows what the Directive's test would say."
        )
    nature = " and it does not alter the overall nature of the contract" if not change.alters_overall_nature else ""
    if change.review_clause and not change.alters_overall_nature:
        return _allowed(
            answer,
            "a review clause (Art. 72(1)(a))",
            "Art. 72(1)(a)",
            [
                "The change is provided for in a clear, precise and unequivocal review or option clause of the initial "
                f"procurement documents{nature}, so any value is allowed within the clause."
            ],
            [],
        )
    total = earlier + value
    if total < limit and not change.alters_overall_nature:
        return _allowed(
            answer,
            "the de-minimis rule (Art. 72(2))",
            "Art. 72(2)",
            [
                f"The modifications together ({_euro(total)}) stay below both the EU threshold "
                f"({_euro(threshold)}) and "
                f"{share:g}% of the initial value ({_euro(reference * share / 100)}){nature}; no need to check whether "
                "the change is substantial."
            ],
            ["Keep a record of every modification: successive ones count together."],
        )
    if total >= limit:
        answer.reasons.append(
            f"The de-minimis rule (Art. 72(2)) does not apply: the modifications together ({_euro(total)}) are not "
            f"below {_euro(limit)}, the lower of the threshold and {share:g}% of the initial value."
        )
    increase_ok = value <= reference * cap / 100
    if change.reason == "additional":
        answer.applied.append("Art. 72(1)(b)")
        if not change.change_of_contractor_impossible:
            answer.reasons.append(
                "Additional works, services or supplies are allowed only if changing contractor cannot be done for "
                "economic or technical reasons (e.g. interchangeability with what was bought) and would cause "
                "significant inconvenience or substantial duplication of costs (Art. 72(1)(b))."
            )
        elif increase_ok:
            return _allowed(
                answer,
                "additional works, services or supplies (Art. 72(1)(b))",
                "Art. 72(1)(b)",
                [
                    "Changing contractor is not possible for economic or technical reasons, and this increase "
                    f"({_euro(value)}) "
                    f"is within {cap:g}% of the original value ({_euro(reference * cap / 100)})."
                ],
                _notice(),
            )
        else:
            answer.reasons.append(
                f"The increase ({_euro(value)}) is more than {cap:g}% of the original value "
                f"({_euro(reference * cap / 100)}) (Art. 72(1)(b))."
            )
    if change.reason == "unforeseeable":
        answer.applied.append("Art. 72(1)(c)")
        if change.alters_overall_nature:
            answer.reasons.append(
                "A change needed by unforeseeable circumstances may not alter the overall nature of the contract "
                "(Art. 72(1)(c)(ii))."
            )
        elif increase_ok:
            return _allowed(
                answer,
                "unforeseeable circumstances (Art. 72(1)(c))",
                "Art. 72(1)(c)",
                [
                    "The need comes from circumstances a diligent buyer could not foresee, the overall nature does not "
                    f"change, and the increase ({_euro(value)}) is within {cap:g}% of the original value "
                    f"({_euro(reference * cap / 100)})."
                ],
                _notice(),
            )
        else:
            answer.reasons.append(
                f"The increase ({_euro(value)}) is more than {cap:g}% of the original value "
                f"({_euro(reference * cap / 100)}) (Art. 72(1)(c)(iii))."
            )
    substantial = [
        (
            change.would_have_changed_competition,
            "it would have let in other candidates, another winner or more bidders (Art. 72(4)(a))",
        ),
        (
            change.shifts_balance_to_contractor,
            "it shifts the economic balance in the contractor's favour in a way the contract did not provide for "
            "(Art. 72(4)(b))",
        ),
        (change.extends_scope_considerably, "it extends the scope of the contract considerably (Art. 72(4)(c))"),
        (
            change.new_contractor,
            "a new contractor replaces the original one outside the cases of Art. 72(1)(d) (Art. 72(4)(d))",
        ),
        (change.alters_overall_nature, "it alters the overall nature of the contract"),
    ]
    found = [why for flag, why in substantial if flag]
    if found:
        answer.verdict, answer.ground = (
            NEW_PROCEDURE,
            "the change is substantial (Art. 72(4)) and no route of Art. 72(1)-(2) covers it",
        )
        answer.applied += ["Art. 72(4)", "Art. 72(5)"]
        answer.reasons += [f"Substantial: {why}." for why in found]
        answer.to_do.append(
            "Run a new procurement procedure for the change (Art. 72(5)), or drop or reduce the change."
        )
        return answer
    answer.ground = (
        "it may be a non-substantial change (Art. 72(1)(e)), if none of the conditions of Art. 72(4) applies"
    )
    answer.applied += ["Art. 72(1)(e)", "Art. 72(4)"]
    answer.to_do += [
        "Check and record, one by one, that the change would not have changed who bid or won, does not shift the "
        "economic balance to the contractor, and does not extend the scope considerably (Art. 72(4)(a)-(c)).",
        "Ask your legal team before signing: if in doubt, the change needs a new procedure (Art. 72(5)).",
    ]
    return answer


def _notice() -> list[str]:
    return [
        "Publish a modification notice in the Official Journal of the EU (Art. 72(1), last subparagraph; Annex V "
        "part G; Art. 51).",
        "Record why the conditions are met; successive modifications are each capped, and may not be used to get "
        "round the Directive.",
    ]


def _allowed(
    answer: ModificationAnswer, ground: str, article: str, reasons: list[str], to_do: list[str]
) -> ModificationAnswer:
    answer.verdict, answer.ground = ALLOWED, ground
    answer.applied.append(article)
    answer.reasons += reasons
    answer.to_do += to_do
    return answer


# -- self-check computations (the quiz engine calls only these) ----------------------------------
@self_check("modification-de-minimis-limit")
def de_minimis_limit_for(
    contract_type: str, initial_value_eur: float, on_date: str, buyer_type: str = "sub_central"
) -> float:
    """The de-minimis limit of Art. 72(2) for one contract (a modification must stay below it)."""
    return float(de_minimis_limit(contract_type, float(initial_value_eur), on_date, buyer_type)[0])
