"""Module 6, the gender criteria decision aid: is a proposed gender criterion linked to the subject matter?

The learner says what kind of criterion it is (selection criterion, award criterion, contract performance
condition), whom it concerns (the staff, work or users of this contract; subcontractors working on it; the
whole company) and may paste its wording. `gender_link_check` answers "linked", "not linked" or "check",
with the reasons (each from an article of Directive 2014/24/EU in `course/content/tendering_gender_links.yaml`),
how to link it, and examples from the criteria library's gender entries of the same kind. The verdicts and
the word screen are course design: a first check before legal advice, not a ruling.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from helpers.core.content import by_id
from helpers.core.errors import LearnerError
from helpers.tendering.library import TYPE_LABELS, load_library

LINKED, NOT_LINKED, CHECK = "linked", "not linked", "check"
KINDS = ("selection_criterion", "award_criterion", "contract_performance_clause")
RULE_OF_KIND = {
    "selection_criterion": "selection",
    "award_criterion": "award",
    "contract_performance_clause": "performance",
}
SCOPES = {
    "contract": "the staff, the work or the users of this contract",
    "supply_chain": "subcontractors working on this contract",
    "company": "the whole company (its general policies, ownership, board or all its staff)",
}
# Words that make a requirement read as the bidder's general corporate policy (course design).
COMPANY_WORDS = re.compile(
    r"whole company|company[- ]wide|all (?:its |of its |the company's )?(?:staff|employees|workforce)|"
    r"corporate|board of directors|\bboard\b|women[- ](?:owned|led)|owned by|equality plan|\bCSR\b",
    re.IGNORECASE,
)
NEGATION = re.compile(r"\b(?:not|never|no)\b(?:\s+\w+){0,2}\s*$", re.IGNORECASE)
DIRECTIVE = "https://eur-lex.europa.eu/eli/dir/2014/24/oj"


@dataclass(frozen=True)
class GenderLinkVerdict:
    """The decision aid's answer for one proposed criterion."""

    verdict: str
    kind: str
    scope: str
    reasons: list[str] = field(default_factory=list)
    how_to_link: str = ""
    articles: list[str] = field(default_factory=list)
    examples: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def legal_basis(self) -> str:
        return f"{'; '.join(self.articles)} ({DIRECTIVE}). Verdict and word screen: course design, not legal advice."

    def lines(self) -> list[str]:
        """The answer in words: verdict, reasons, how to link, the legal basis."""
        label = TYPE_LABELS[self.kind]
        article = "an" if label[0] in "aeiou" else "a"
        head = f"{self.verdict[0].upper()}{self.verdict[1:]}: {article} {label} about {SCOPES[self.scope]}."
        return [head, *self.reasons, f"How to link it: {self.how_to_link}", self.legal_basis]


def _rule(rule_id: str) -> dict:
    return by_id("tendering_gender_links")[rule_id]


def _text(value: object) -> str:
    return " ".join(str(value).split())


def company_words(wording: str) -> list[str]:
    """The words of `wording` that read as general corporate policy, except where negated ("not the whole
    company")."""
    text = str(wording or "")
    found = {
        m.group(0).lower()
        for m in COMPANY_WORDS.finditer(text)
        if not NEGATION.search(text[max(0, m.start() - 16) : m.start()])
    }
    return sorted(found)


def gender_library_examples(kind: str) -> pd.DataFrame:
    """The criteria library's gender entries of `kind`: id, title, why linked, source."""
    library = load_library()
    chosen = library[(library["theme"] == "gender") & (library["type"] == kind)]
    return chosen[["id", "title", "link_to_subject_matter", "source_url"]].reset_index(drop=True)


def gender_link_check(kind: str, scope: str, wording: str = "") -> GenderLinkVerdict:
    """Whether and how a gender criterion of `kind` about `scope` is linked to the subject matter.

    - about the whole company: not linked (Recital 97: general corporate policy is not a factor of the
      contract; Art. 67(3), Art. 70);
    - about this contract: linked (Art. 58(1) for selection, if proportionate; Art. 67(3) for award; Art. 70
      for a performance condition, stated in the procurement documents); "check" when the wording still
      reads as a company-wide policy;
    - about subcontractors on this contract: a performance condition is linked (Art. 70, with Art. 71 and
      18(2)); an award or selection criterion needs checking.
    """
    if kind not in KINDS:
        raise LearnerError(
            f"the decision aid does not judge a {kind!r}",
            fix=f"Choose one of: {', '.join(TYPE_LABELS[k] for k in KINDS)}",
        )
    if scope not in SCOPES:
        raise LearnerError(f"unknown scope {scope!r}", fix=f"Choose one of: {', '.join(SCOPES)}")
    rule = _rule(RULE_OF_KIND[kind])
    examples = gender_library_examples(kind)
    articles = [rule["article"]]
    words = company_words(wording)
    if scope == "company":
        policy = _rule("corporate-policy")
        reasons = [_text(policy["rule"]), _text(rule["rule"])]
        return GenderLinkVerdict(
            NOT_LINKED, kind, scope, reasons, _text(policy["how_to_link"]), [*articles, policy["article"]], examples
        )
    reasons = [_text(rule["rule"])]
    how = _text(rule["how_to_link"])
    if scope == "supply_chain":
        chain = _rule("subcontracting")
        reasons.append(_text(chain["rule"]))
        articles.append(chain["article"])
        verdict = LINKED if kind == "contract_performance_clause" else CHECK
        if verdict == CHECK:
            reasons.append(
                "Subcontractors' practices are linked only where they concern the works, supplies or services of "
                "this contract (Art. 67(3)); a performance condition (Art. 70) is the safer route."
            )
        how = _text(chain["how_to_link"])
    else:
        verdict = LINKED
        if kind == "selection_criterion":
            reasons.append("It must also be proportionate: ask only what performing this contract needs.")
        if kind == "contract_performance_clause":
            reasons.append(_text(_rule("recital-98")["rule"]))
            articles.append(_rule("recital-98")["article"])
    if words:
        verdict = CHECK if verdict == LINKED else verdict
        reasons.insert(
            0,
            f"The wording mentions {', '.join(repr(w) for w in words)}, which reads as the company's general "
            "policy rather than this contract: narrow it to the contract (Recital 97).",
        )
    if examples.empty:
        reasons.append(
            "The criteria library has no gender entry of this kind; GEN-ANY-02 (an award criterion on the delivery "
            "team's gender expertise) shows how expertise for this contract can be asked."
        )
    return GenderLinkVerdict(verdict, kind, scope, reasons, how, articles, examples)


def check_library_entry(entry_id: str) -> GenderLinkVerdict:
    """The decision aid's answer for a criteria library entry (its type, about this contract, its wording)."""
    library = load_library()
    if entry_id not in library.index:
        raise LearnerError(f"there is no library entry {entry_id!r}", fix="Use an id such as GEN-ANY-01")
    entry = library.loc[entry_id]
    return gender_link_check(str(entry["type"]), "contract", str(entry["wording"]))
