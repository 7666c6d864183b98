"""Innovation potential: the course's seven-item rubric (a course design inspired by Turku), the total and
profile, and a suggested procurement route with the rule that chose it, the legal condition that must hold for
that route and its article (Directive 2014/24/EU: Art. 26 for the ordinary procedures, Art. 31(1) for the
innovation partnership, Art. 14 for pre-commercial procurement outside the Directive).

The rubric, the route rules with their conditions, the profiles and the example scorings are in `course/content/`
(`preprocurement_innovation_rubric.yaml`, `preprocurement_innovation_routes.yaml`,
`preprocurement_innovation_profiles.yaml`, `preprocurement_innovation_examples.yaml`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import pandas as pd

from helpers.core.content import content_file, items
from helpers.core.errors import LearnerError

ROUTES = (
    "standard tender",
    "market dialogue with functional specifications",
    "competitive dialogue",
    "public procurement of innovative solutions (PPI)",
    "innovation partnership",
    "pre-commercial procurement",
)
NOT_KNOWN = (
    "Not known to this tool: how your national law transposed these procedures, whether the legal condition "
    "holds for your purchase (record why it does), and, for pre-commercial procurement, the State-aid and "
    "intellectual-property terms you set."
)


@dataclass(frozen=True)
class Route:
    """A route with the legal condition that must hold for it and the article that sets that condition."""

    name: str
    rule: str
    condition: str
    article: str


@cache
def routes() -> dict[str, Route]:
    """Each route by name, with its rule, legal condition and article (`preprocurement_innovation_routes.yaml`)."""
    return {
        item["route"]: Route(
            item["route"], " ".join(item["rule"].split()), " ".join(item["condition"].split()), item["article"]
        )
        for item in items("preprocurement_innovation_routes")
    }


@dataclass(frozen=True)
class RubricItem:
    """One question of the rubric, with what each score 0-3 means."""

    key: str
    question: str
    descriptors: tuple[str, str, str, str]


@cache
def rubric() -> tuple[RubricItem, ...]:
    """The seven questions (course design). Module attribute `RUBRIC`."""
    return tuple(
        RubricItem(item["id"], item["question"], tuple(item["descriptors"]))
        for item in content_file("preprocurement_innovation_rubric")["items"]
    )


def rubric_keys() -> tuple[str, ...]:
    """The items' keys in rubric order. Module attribute `RUBRIC_KEYS`."""
    return tuple(item.key for item in rubric())


def rubric_note() -> str:
    """Where the rubric comes from, and what it is not (Turku's own questions are not public). Module
    attribute `RUBRIC_NOTE`."""
    return content_file("preprocurement_innovation_rubric")["note"]


def rubric_sources() -> tuple[str, ...]:
    """The public pages the rubric draws on. Module attribute `RUBRIC_SOURCES`."""
    return tuple(content_file("preprocurement_innovation_rubric")["sources"])


def max_total() -> int:
    """The highest possible total: 3 per item. Module attribute `MAX_TOTAL`."""
    return 3 * len(rubric())


def profiles() -> tuple[tuple[int, str], ...]:
    """(highest total, profile), lowest first (course design). Module attribute `PROFILES`."""
    return tuple((item["max_total"], item["id"]) for item in items("preprocurement_innovation_profiles"))


def standard_max_total() -> int:
    """A total up to this (the "low" profile: 7, a third of 21) suggests a standard tender."""
    return profiles()[0][0]


def example_scores() -> dict[str, dict[str, int]]:
    """Course design: the running purchase (playground equipment supply and maintenance) scored first,
    then two other purchases for comparison. Module attribute `EXAMPLE_SCORES`."""
    return {item["id"]: dict(item["scores"]) for item in items("preprocurement_innovation_examples")}


def playground_scores() -> dict[str, int]:
    """A first scoring of the running purchase. Module attribute `PLAYGROUND_SCORES`."""
    return example_scores()["Playground equipment"]


_CONTENT = {
    "RUBRIC": rubric,
    "RUBRIC_KEYS": rubric_keys,
    "MAX_TOTAL": max_total,
    "PROFILES": profiles,
    "STANDARD_MAX_TOTAL": standard_max_total,
    "EXAMPLE_SCORES": example_scores,
    "PLAYGROUND_SCORES": playground_scores,
    "RUBRIC_NOTE": rubric_note,
    "RUBRIC_SOURCES": rubric_sources,
    # the route rules (course design), in the order they are applied
    "ROUTE_RULES": lambda: tuple(" ".join(item["rule"].split()) for item in items("preprocurement_innovation_routes")),
}


def __getattr__(name: str) -> Any:
    """The rubric, its note and sources, the route rules, profiles and example scorings are read from the
    course content when first used, not on import (so importing the stage never needs the content folder)."""
    if name in _CONTENT:
        return _CONTENT[name]()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass
class Assessment:
    """A scored innovation-potential assessment and the route it suggests."""

    name: str
    scores: dict[str, int]
    total: int
    profile: str
    route: str
    reasons: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: dict[str, str] = field(default_factory=dict)

    @property
    def max_total(self) -> int:
        return max_total()

    @property
    def condition(self) -> str:
        """The legal condition that must hold for the suggested route."""
        return routes()[self.route].condition

    @property
    def article(self) -> str:
        """The article that sets the route's legal condition."""
        return routes()[self.route].article

    @property
    def legal_basis(self) -> str:
        """One line: the article applied and what the tool cannot know."""
        return f"Applied: {self.article}. {NOT_KNOWN}"

    def to_dict(self) -> dict:
        return {"name": self.name, "scores": dict(self.scores), "notes": dict(self.notes)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Assessment:
        """Rebuild from `to_dict` (the route is recomputed, so a saved assessment follows today's rules)."""
        if not isinstance(data, Mapping) or "scores" not in data:
            raise LearnerError("this saved assessment has no scores", fix="Score the seven items again")
        return assess_innovation(data["scores"], name=str(data.get("name", "")), notes=data.get("notes"))

    def table(self) -> pd.DataFrame:
        """Each item with its score and what that score means."""
        return pd.DataFrame(
            [
                {
                    "item": it.key,
                    "question": it.question,
                    "score": self.scores[it.key],
                    "meaning": it.descriptors[self.scores[it.key]],
                    "note": self.notes.get(it.key, ""),
                }
                for it in rubric()
            ]
        )


def _score(key: str, value: Any) -> int:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise LearnerError(f"the score for '{key}' is {value!r}, not a number", fix="Give a whole number 0-3") from None
    if number != int(number) or not 0 <= number <= 3:
        raise LearnerError(f"the score for '{key}' is {value!r}", fix="Give a whole number 0, 1, 2 or 3")
    return int(number)


def _route(s: Mapping[str, int], total: int) -> tuple[str, str]:
    """The suggested route and the reason naming the rule that chose it (rules applied in order)."""
    if total <= standard_max_total():
        return ROUTES[0], (
            f"Rule 1: a total of {standard_max_total()} or less suggests a well-run standard tender (open or "
            "restricted procedure); good specifications and award criteria matter more than a special procedure."
        )
    if s["market_maturity"] == 3 and s["value_duration"] == 3 and s["readiness"] >= 2:
        return ROUTES[4], (
            "Rule 2: no solution on the market meets the need, and the purchase is large and long enough, with "
            "the organisation ready, to develop a solution and then buy it at scale: an innovation partnership "
            "covers both in one procedure (Art. 31)."
        )
    if s["market_maturity"] == 3:
        return ROUTES[5], (
            "Rule 3: no solution exists yet, so R&D is needed. Pre-commercial procurement buys R&D services "
            "with risk-benefit sharing and competitive development in phases (design, prototype, test series), "
            "kept separate from any later purchase; it falls outside the Directive (Art. 14)."
        )
    if s["market_maturity"] == 2:
        return ROUTES[3], (
            "Rule 4: solutions are near the market (pilots or small quantities), so no R&D needs to be bought: "
            "buy the innovative solution through an ordinary procedure, with market consultation, functional "
            "requirements and room for variants."
        )
    if s["need"] <= 1:
        return ROUTES[2], (
            "Rule 5: the need is not yet clear enough to specify; a competitive dialogue (Art. 30) lets the city "
            "shape the solution with bidders, if a ground of Art. 26(4) holds."
        )
    return ROUTES[1], (
        "Rule 6: solutions exist and the need is clear; talk to the market first (Art. 40), "
        "then tender with functional (outcome) specifications so bidders can offer new answers."
    )


def assess_innovation(scores: Mapping[str, Any], name: str = "", notes: Mapping[str, str] | None = None) -> Assessment:
    """Total /21, a profile (low/medium/high) and a suggested route with the rule that chose it."""
    keys = rubric_keys()
    missing = [k for k in keys if k not in scores]
    unknown = [k for k in scores if k not in keys]
    if missing or unknown:
        raise LearnerError(
            "the assessment needs a score for each of the seven items"
            + (f"; missing: {', '.join(missing)}" if missing else "")
            + (f"; not rubric items: {', '.join(map(str, unknown))}" if unknown else ""),
            fix=f"Use the items {', '.join(keys)}",
        )
    s = {k: _score(k, scores[k]) for k in keys}
    total = sum(s.values())
    profile = next(label for top, label in profiles() if total <= top)
    route, rule = _route(s, total)
    reasons = [
        f"Total {total}/{max_total()} ({profile} innovation potential).",
        rule,
        f"Legal condition: {routes()[route].condition} ({routes()[route].article}).",
    ]
    warnings = []
    if route in ROUTES[4:] and s["readiness"] <= 1:
        warnings.append(
            "Readiness is low (0-1): secure a budget, an owner and specialist support before "
            "starting; a national competence centre for innovation procurement can help."
        )
    if route != ROUTES[0] and s["user_involvement"] >= 2:
        reasons.append("Users can take part: plan their involvement in the market dialogue and the testing.")
    if s["scalability"] >= 3:
        reasons.append("Other cities share the need: consider joint procurement.")
    return Assessment(
        name=name,
        scores=s,
        total=total,
        profile=profile,
        route=route,
        reasons=reasons,
        warnings=warnings,
        notes={str(k): str(v) for k, v in (notes or {}).items()},
    )


def compare_assessments(assessments: Sequence[Assessment]) -> pd.DataFrame:
    """Several assessments side by side: one column per purchase, rows for the items, total, profile, route."""
    if not assessments:
        raise LearnerError("there are no assessments to compare", fix="Score at least one purchase")
    keys = rubric_keys()
    columns = {}
    for i, a in enumerate(assessments):
        label = a.name or f"purchase {i + 1}"
        if label in columns:
            label = f"{label} ({i + 1})"
        columns[label] = [*(a.scores[k] for k in keys), a.total, a.profile, a.route]
    return pd.DataFrame(columns, index=[*keys, "total", "profile", "route"], dtype=object)


def example_assessments() -> list[Assessment]:
    """Three candidate purchases scored for comparison (course design illustrations)."""
    return [assess_innovation(scores, name=name) for name, scores in example_scores().items()]
