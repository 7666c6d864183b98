"""Module 5, "Pre-procurement": innovation potential, market engagement, citizen wishes, past-tender health check.

- `assess_innovation`: the course's seven-item rubric (brief §6.2, a course design
  inspired by Turku) with a suggested procurement route and its reasons.
- `consultation_timeline`, `invitation_list`, `TransparencyLog`, `engagement_plan_report`:
  planning a preliminary market consultation (Directive Art. 40) back from the contract start.
- `BEVERWIJK_STEPS`, `wishes_to_requirements`: turning children's and parents' wishes
  into functional requirements for the playground case.
- `tender_flags`, `health_summary`: red flags on past tenders (brief §7.1); `course_tenders`,
  `health_in_brief` for the course data.
Figures come from the domain brief with their sources; our own choices say "course design".
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from typing import Any, Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from helpers.core.errors import LearnerError
from helpers.core.values import as_date
from helpers.ui.exports import Report
from helpers.framework.model import OPEN_LIMITS_SOURCE, RESTRICTED_LIMITS_SOURCE, SUB_CENTRAL_AGREEMENT_SOURCE

# == innovation potential ===========================================================================
RUBRIC_NOTE = ("This rubric is the course's own design, inspired by the City of Turku's innovation-potential "
               "assessment. Turku's app and its questions are not public, so these seven items are not "
               "Turku's: they follow the KEINO and EAFIP ideas summarised in the course brief. The suggested "
               "route is a starting point for discussion, not a legal decision.")
RUBRIC_SOURCES = (
    "https://www.hankintakeino.fi/fi/materiaalipankki/innovatiivisten-hankintojen-johtaminen-case-turun-kaupunki",
    "https://www.hankintakeino.fi/en/topic/innovations",
    "https://eafip.eu/resources/faq/",
)


@dataclass(frozen=True)
class RubricItem:
    """One question of the rubric, with what each score 0-3 means."""

    key: str
    question: str
    descriptors: tuple[str, str, str, str]


RUBRIC: tuple[RubricItem, ...] = (
    RubricItem("need", "How clearly is the need described as an outcome (not as a product)?", (
        "Only a product is named; nobody has described the problem it solves.",
        "The problem is known but still described through a familiar product.",
        "The need is written as an outcome, with some product assumptions left.",
        "A clear outcome-based challenge, agreed with the service that will use it.")),
    RubricItem("market_maturity", "How mature is the market for a solution?", (
        "Off-the-shelf solutions are widely available and bought everywhere.",
        "Solutions exist but would need adapting or combining for this need.",
        "Near-market: solutions exist as pilots or in small quantities (innovative-solution purchase).",
        "No solution exists yet: new research and development is needed.")),
    RubricItem("value_duration", "Is the value and duration enough to learn and scale up?", (
        "A small one-off purchase.",
        "A modest value or a short contract.",
        "A significant value or a multi-year contract.",
        "A large, long or repeated purchase with room to develop and then buy at scale.")),
    RubricItem("impact", "What impact could a better solution have on service quality, cost, carbon or social outcomes?", (
        "Little change expected.",
        "Some improvement in one area.",
        "Clear improvement in more than one area.",
        "Large improvement that would change how the service works.")),
    RubricItem("user_involvement", "How far can users or citizens help shape the solution?", (
        "Users cannot be involved.",
        "Users can be consulted once.",
        "Users can take part in defining needs and testing.",
        "Users can co-design and help choose the solution (as Beverwijk's children did).")),
    RubricItem("readiness", "How ready is the organisation (budget, skills, an owner) to manage the risk?", (
        "No budget, owner or skills for an uncertain purchase.",
        "An owner but no budget or specialist support.",
        "An owner and budget; some support available.",
        "Budget, an owner, specialist support and leadership backing.")),
    RubricItem("scalability", "Could the solution scale, or be bought jointly with other cities?", (
        "Only this one site or service could use it.",
        "A few other sites in the city could use it.",
        "Many services in the city, or one partner city, could use it.",
        "Many cities share the need; joint procurement is realistic.")),
)
RUBRIC_KEYS = tuple(item.key for item in RUBRIC)
MAX_TOTAL = 3 * len(RUBRIC)

ROUTES = ("standard tender", "market dialogue with functional specifications", "competitive dialogue",
          "innovation partnership", "pre-commercial procurement")
# Course design: the route rules, in the order they are applied.
STANDARD_MAX_TOTAL = 7           # a total of 7 or less (a third of 21) -> standard tender
ROUTE_RULES = (
    f"1. Total score {STANDARD_MAX_TOTAL} or less: standard tender (low innovation potential).",
    "2. Market maturity 3 (R&D needed): pre-commercial procurement, buying R&D in competing phases.",
    "3. Market maturity 2 (near-market) and value/duration 2 or more: innovation partnership "
    "(develop, then buy at scale in one procedure).",
    "4. Market maturity 2 with value/duration below 2, or need clarity 0-1: competitive dialogue "
    "(define the solution together with bidders).",
    "5. Otherwise (solutions exist, need clear): market dialogue, then a tender with functional specifications.",
)
PROFILES = ((STANDARD_MAX_TOTAL, "low"), (14, "medium"), (MAX_TOTAL, "high"))


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
        return MAX_TOTAL

    def to_dict(self) -> dict:
        return {"name": self.name, "scores": dict(self.scores), "notes": dict(self.notes)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Assessment":
        """Rebuild from `to_dict` (the route is recomputed, so a saved assessment follows today's rules)."""
        if not isinstance(data, Mapping) or "scores" not in data:
            raise LearnerError("this saved assessment has no scores", fix="Score the seven items again")
        return assess_innovation(data["scores"], name=str(data.get("name", "")), notes=data.get("notes"))

    def table(self) -> pd.DataFrame:
        """Each item with its score and what that score means."""
        return pd.DataFrame([{"item": it.key, "question": it.question, "score": self.scores[it.key],
                              "meaning": it.descriptors[self.scores[it.key]],
                              "note": self.notes.get(it.key, "")} for it in RUBRIC])


def _score(key: str, value: Any) -> int:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise LearnerError(f"the score for '{key}' is {value!r}, not a number", fix="Give a whole number 0-3") from None
    if number != int(number) or not 0 <= number <= 3:
        raise LearnerError(f"the score for '{key}' is {value!r}", fix="Give a whole number 0, 1, 2 or 3")
    return int(number)


def assess_innovation(scores: Mapping[str, Any], name: str = "", notes: Mapping[str, str] | None = None) -> Assessment:
    """Total /21, a profile (low/medium/high) and a suggested route with the rule that chose it."""
    missing = [k for k in RUBRIC_KEYS if k not in scores]
    unknown = [k for k in scores if k not in RUBRIC_KEYS]
    if missing or unknown:
        raise LearnerError("the assessment needs a score for each of the seven items" +
                           (f"; missing: {', '.join(missing)}" if missing else "") +
                           (f"; not rubric items: {', '.join(map(str, unknown))}" if unknown else ""),
                           fix=f"Use the items {', '.join(RUBRIC_KEYS)}")
    s = {k: _score(k, scores[k]) for k in RUBRIC_KEYS}
    total = sum(s.values())
    profile = next(label for top, label in PROFILES if total <= top)
    reasons = [f"Total {total}/{MAX_TOTAL} ({profile} innovation potential)."]
    if total <= STANDARD_MAX_TOTAL:
        route = ROUTES[0]
        reasons.append(f"Rule 1: a total of {STANDARD_MAX_TOTAL} or less suggests a well-run standard tender; "
                       "good specifications and award criteria matter more than a special procedure.")
    elif s["market_maturity"] == 3:
        route = ROUTES[4]
        reasons.append("Rule 2: no solution exists yet, so R&D is needed. Pre-commercial procurement buys R&D "
                       "services with risk-benefit sharing and competitive development in phases (design, "
                       "prototype, test series), kept separate from any later purchase (brief §3.3).")
    elif s["market_maturity"] == 2 and s["value_duration"] >= 2:
        route = ROUTES[3]
        reasons.append("Rule 3: solutions are near the market and the purchase is large or long enough to "
                       "develop and then buy: an innovation partnership (Art. 31) covers both in one procedure.")
    elif s["market_maturity"] == 2 or s["need"] <= 1:
        route = ROUTES[2]
        why = ("the need is not yet clear enough to specify" if s["need"] <= 1
               else "solutions are near the market but the purchase is too small to develop then buy")
        reasons.append(f"Rule 4: {why}; a competitive dialogue (Art. 30) lets the city shape the solution "
                       "with bidders before they tender.")
    else:
        route = ROUTES[1]
        reasons.append("Rule 5: solutions exist and the need is clear; talk to the market first (Art. 40), "
                       "then tender with functional (outcome) specifications so bidders can offer new answers.")
    warnings = []
    if route in ROUTES[3:] and s["readiness"] <= 1:
        warnings.append("Readiness is low (0-1): secure a budget, an owner and specialist support before "
                        "starting; a national competence centre for innovation procurement can help.")
    if route != ROUTES[0] and s["user_involvement"] >= 2:
        reasons.append("Users can take part: plan their involvement in the market dialogue and the testing.")
    if s["scalability"] >= 3:
        reasons.append("Other cities share the need: consider joint procurement.")
    return Assessment(name=name, scores=s, total=total, profile=profile, route=route, reasons=reasons,
                      warnings=warnings, notes={str(k): str(v) for k, v in (notes or {}).items()})


def compare_assessments(assessments: Sequence[Assessment]) -> pd.DataFrame:
    """Several assessments side by side: one column per purchase, rows for the items, total, profile, route."""
    if not assessments:
        raise LearnerError("there are no assessments to compare", fix="Score at least one purchase")
    columns = {}
    for i, a in enumerate(assessments):
        label = a.name or f"purchase {i + 1}"
        if label in columns:
            label = f"{label} ({i + 1})"
        columns[label] = [*(a.scores[k] for k in RUBRIC_KEYS), a.total, a.profile, a.route]
    return pd.DataFrame(columns, index=[*RUBRIC_KEYS, "total", "profile", "route"], dtype=object)


# == market engagement ==============================================================================
@dataclass(frozen=True)
class Allowances:
    """Course-design time allowances (not legal minimums): change them to fit your city."""

    consultation_weeks: int = 6          # length of the preliminary market consultation
    documents_weeks: int = 4             # from the end of the consultation to the contract notice
    shortlisting_days: int = 14          # restricted: from requests to participate to invitations
    evaluation_days: int = 30            # from the tender deadline to the award decision
    standstill_days: int = 10            # from the award decision to the contract (check your national rule)


def consultation_timeline(contract_start: Any, procedure: str = "open", e_submission: bool = True,
                          pin_published: bool = False, allowances: Allowances = Allowances(),
                          today: Any = None) -> pd.DataFrame:
    """Milestones counted back from the contract start: legal minimum time limits (brief §3.2) plus
    course-design allowances for the consultation, documents, shortlisting, evaluation and standstill.

    Columns: milestone, date, days_before_start, basis, source, and `late` (the date is before `today`).
    """
    start = as_date(contract_start, "contract start")
    a = allowances
    if procedure not in ("open", "restricted"):
        raise LearnerError(f"the timeline covers open and restricted procedures, not {procedure!r}",
                           fix="Choose 'open' or 'restricted'; other procedures have no fixed minimum in the course table")
    for name, value in asdict(a).items():
        if not isinstance(value, int) or value < 0:
            raise LearnerError(f"the allowance {name} is {value!r}", fix="Use a whole number of days or weeks, 0 or more")
    design = "course design"
    rows: list[tuple[str, dt.date, str, str]] = [("Contract starts", start, "your plan", "")]
    award = start - dt.timedelta(a.standstill_days)
    rows.append(("Award decision sent to all bidders; standstill begins", award,
                 f"{design}: {a.standstill_days} days' standstill (check your national rule)", ""))
    deadline = award - dt.timedelta(a.evaluation_days)
    rows.append(("Deadline for tenders", deadline, f"{design}: {a.evaluation_days} days to evaluate", ""))
    if procedure == "open":
        days = 15 if pin_published else (30 if e_submission else 35)
        why = ("15 days after a PIN" if pin_published else
               "35 days less 5 with electronic submission" if e_submission else "35 days")
        notice = deadline - dt.timedelta(days)
        rows.append(("Contract notice published", notice, f"legal minimum: {days} days ({why})", OPEN_LIMITS_SOURCE))
    else:
        tender_days = 10 if pin_published else 30
        invite = deadline - dt.timedelta(tender_days)
        rows.append(("Invitations to tender sent to shortlisted candidates", invite,
                     f"legal minimum: {tender_days} days for tenders" + (" after a PIN" if pin_published else "")
                     + " (sub-central buyers may agree another deadline with the candidates)",
                     f"{RESTRICTED_LIMITS_SOURCE} ; {SUB_CENTRAL_AGREEMENT_SOURCE}"))
        requests = invite - dt.timedelta(a.shortlisting_days)
        rows.append(("Deadline for requests to participate", requests,
                     f"{design}: {a.shortlisting_days} days to shortlist", ""))
        notice = requests - dt.timedelta(30)
        rows.append(("Contract notice published", notice, "legal minimum: 30 days for requests to participate",
                     RESTRICTED_LIMITS_SOURCE))
    if pin_published:
        rows.append(("Prior information notice (PIN) published, at the latest", notice - dt.timedelta(35),
                     "legal: 35 days to 12 months before the contract notice", OPEN_LIMITS_SOURCE))
    consult_end = notice - dt.timedelta(weeks=a.documents_weeks)
    rows.append(("Market consultation closes; summary of what was shared published to all", consult_end,
                 f"{design}: {a.documents_weeks} weeks to finish the tender documents", ""))
    rows.append(("Preliminary market consultation opens (Art. 40)", consult_end - dt.timedelta(weeks=a.consultation_weeks),
                 f"{design}: {a.consultation_weeks} weeks of consultation", ""))
    frame = pd.DataFrame(rows, columns=["milestone", "date", "basis", "source"])
    frame["days_before_start"] = [(start - d).days for d in frame["date"]]
    frame = frame.sort_values("date", kind="stable").reset_index(drop=True)
    frame["date"] = pd.to_datetime(frame["date"])
    frame["late"] = frame["date"] < pd.Timestamp(as_date(today, "date today")) if today is not None else False
    return frame[["milestone", "date", "days_before_start", "basis", "source", "late"]]


def invitation_list(register: pd.DataFrame, cpv_division: Any, geography: pd.DataFrame,
                    home_country: str | None = None, city_levels: Sequence[str] = ("city", "region")) -> pd.DataFrame:
    """Suppliers in the register working in this CPV division, local SMEs first, then other local
    firms, then the rest (each group by name). Who to tell about the consultation, not who may bid:
    an open consultation must stay open to everyone (equal treatment)."""
    from helpers.strategy.model import cpv_division_of, place_suppliers
    division = cpv_division_of(cpv_division)
    placed = place_suppliers(register, geography, home_country=home_country, city_levels=city_levels)
    found = placed[placed["cpv_division"] == division].copy()
    found["order"] = np.where(found["local_sme"], 0, np.where(found["local"], 1, 2))
    found = found.sort_values(["order", "name"], kind="stable")
    cols = [c for c in ("supplier_id", "name", "size_class", "sme", "social_economy", "place", "level",
                        "local", "local_sme", "turnover_eur") if c in found.columns]
    return found[cols].reset_index(drop=True)


@dataclass
class TransparencyLog:
    """What was shared with which supplier and when, during a market consultation.

    Equal treatment: every question and its answer is shared with all (without the
    asker's name), and anything told to one supplier is published to all.
    """

    purchase: str = ""
    entries: list[dict] = field(default_factory=list)

    COLUMNS = ("id", "kind", "date", "supplier", "summary", "info_shared", "answer", "shared_with_all_on")

    def _add(self, **values: Any) -> int:
        entry = {c: None for c in self.COLUMNS}
        entry.update(values, id=len(self.entries) + 1)
        self.entries.append(entry)
        return entry["id"]

    def add_contact(self, on: Any, supplier: str, summary: str, info_shared: str = "") -> int:
        """A meeting, call or visit with one supplier; `info_shared` is what the city told them."""
        if not str(supplier).strip():
            raise LearnerError("name the supplier you met", fix="Write the supplier's name")
        return self._add(kind="contact", date=as_date(on, "date").isoformat(), supplier=str(supplier),
                         summary=str(summary), info_shared=str(info_shared))

    def add_question(self, on: Any, asked_by: str, question: str) -> int:
        """A question from a supplier; answer it with `answer`, which shares it with all."""
        if not str(question).strip():
            raise LearnerError("the question is empty", fix="Write the supplier's question")
        return self._add(kind="question", date=as_date(on, "date").isoformat(), supplier=str(asked_by),
                         summary=str(question))

    def _entry(self, entry_id: int) -> dict:
        if not 1 <= int(entry_id) <= len(self.entries):
            raise LearnerError(f"there is no log entry number {entry_id}", fix="Use an id from the log")
        return self.entries[int(entry_id) - 1]

    def answer(self, question_id: int, answer: str, on: Any) -> None:
        """Answer a question and publish question and answer to all suppliers on the same day."""
        entry = self._entry(question_id)
        if entry["kind"] != "question":
            raise LearnerError(f"entry {question_id} is not a question")
        entry["answer"], entry["shared_with_all_on"] = str(answer), as_date(on, "date").isoformat()

    def share_with_all(self, entry_id: int, on: Any) -> None:
        """Record that what was told to one supplier has been published to everyone."""
        self._entry(entry_id)["shared_with_all_on"] = as_date(on, "date").isoformat()

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.entries, columns=list(self.COLUMNS))

    def published_qa(self) -> pd.DataFrame:
        """The questions and answers as shared with all: no supplier names."""
        frame = self.to_frame()
        frame = frame[(frame["kind"] == "question") & frame["answer"].notna()]
        return frame.rename(columns={"summary": "question", "shared_with_all_on": "published_on"})[
            ["question", "answer", "published_on"]].reset_index(drop=True)

    def problems(self) -> list[str]:
        """Equal-treatment gaps: unanswered questions, information given to one supplier only."""
        out = []
        for e in self.entries:
            if e["kind"] == "question" and not e["answer"]:
                out.append(f"Question {e['id']} ({e['date']}) has no answer yet; answer it and share it with all.")
            elif e["kind"] == "contact" and e["info_shared"] and not e["shared_with_all_on"]:
                out.append(f"Entry {e['id']}: what was told to {e['supplier']} on {e['date']} has not been "
                           "shared with all suppliers.")
        return out

    def to_dict(self) -> dict:
        return {"purchase": self.purchase, "entries": [dict(e) for e in self.entries]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "TransparencyLog":
        entries = data.get("entries", []) if isinstance(data, Mapping) else None
        if not isinstance(entries, list):
            raise LearnerError("this saved transparency log is damaged", fix="Start a new log")
        return cls(str(data.get("purchase", "")), [{c: e.get(c) for c in cls.COLUMNS} for e in entries])

    def to_report(self) -> Report:
        report = Report(f"Market consultation log: {self.purchase}".rstrip(": "),
                        "Every question and answer is shared with all suppliers (equal treatment).")
        report.add("Log", table=self.to_frame())
        report.add("Questions and answers shared with all", table=self.published_qa())
        report.add("Open points", bullets=self.problems() or ["None: everything shared with all."])
        return report


def engagement_plan_report(purchase: str, timeline: pd.DataFrame, invitations: pd.DataFrame | None = None,
                           log: TransparencyLog | None = None, notes: Iterable[str] = ()) -> Report:
    """A market engagement plan to share with colleagues: timeline, who to tell, the log's open points."""
    report = Report(f"Market engagement plan: {purchase}",
                    "Preliminary market consultation under Article 40 of Directive 2014/24/EU: talk to the "
                    "market before tendering without distorting competition.")
    shown = timeline.assign(date=pd.to_datetime(timeline["date"]).dt.strftime("%Y-%m-%d"))
    report.add("Timeline", paragraphs=["Counted back from the contract start. Rows marked 'legal minimum' use "
                                       "the Directive's time limits (brief §3.2); 'course design' rows are "
                                       "allowances to adjust."],
               table=shown[["milestone", "date", "basis"]])
    if invitations is not None:
        local = int(invitations["local_sme"].sum()) if "local_sme" in invitations else 0
        report.add("Who to tell about the consultation",
                   paragraphs=[f"{len(invitations)} suppliers in the register work in this sector; {local} are "
                               "local SMEs (listed first). Publish the consultation openly too: anyone may take part."],
                   table=invitations.head(50))
    report.add("Equal treatment", bullets=[
        "Keep a log of every contact: who, when, what was said.",
        "Share every question and answer with all suppliers, without the asker's name.",
        "Give everyone the same information and the same time to prepare."]
        + (log.problems() if log is not None else []))
    if notes:
        report.add("Notes", bullets=list(notes))
    return report


# == citizen involvement: the playground =============================================================
BEVERWIJK_SOURCE = ("https://www.stichtingrijk.nl/kinderen-in-beverwijk-kiezen-favoriete-speeltuin-bij-"
                    "aanbesteding-speeltoestellen/")
BEVERWIJK_STEPS: tuple[str, ...] = (
    "Children aged 3-12 and their parents took part in two brainstorming sessions.",
    "Their wishes were turned into the requirements of the tender.",
    "Suppliers handed in poster designs that children could understand.",
    "Three designs were shortlisted for each playground.",
    "The children picked the winning design, which was then worked out in detail with a building team.",
)

# Course design: keyword -> (requirement, type). Matching is on whole words, lower case, English.
WISH_KEYWORDS: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (("climb", "climbing", "climbing frame", "rope", "ropes", "net"),
     "Climbing play with several levels of difficulty for ages 3-12", "functional"),
    (("swing", "swings"), "Swinging play, including a seat usable by toddlers", "functional"),
    (("slide", "slides"), "Sliding play suitable for younger and older children", "functional"),
    (("sand", "water", "dig"), "Sand and water play that can be shaped by children", "functional"),
    (("wheelchair", "accessible", "disabled", "inclusive", "everyone"),
     "Play equipment and paths usable by children and parents with disabilities", "functional"),
    (("bench", "benches", "sit", "seat", "parents"), "Seating for parents with a view of the play areas", "functional"),
    (("shade", "tree", "trees", "sun"), "Shade over play and seating areas on sunny days", "functional"),
    (("hide", "hiding", "den", "house"), "Places to hide and play pretend", "functional"),
    (("football", "ball", "run", "running"), "Open space for running and ball games", "functional"),
    (("safe", "safety", "soft", "fall", "hurt"),
     "Impact-absorbing surfacing under all equipment; equipment certified to the applicable safety standard",
     "performance"),
    (("broken", "break", "strong", "repair", "fixed"),
     "Equipment kept in safe working order: defects made safe and repaired within an agreed response time",
     "performance"),
    (("clean", "litter", "dirty", "toilet"), "Play area inspected and cleaned on an agreed schedule", "performance"),
    (("light", "lights", "dark", "lamp"), "Paths and entrance lit after dark to an agreed level", "performance"),
)
UNMATCHED = "unmatched"


def _words(text: str) -> set[str]:
    words = re.findall(r"[a-z]+", text.lower())
    return set(words) | {" ".join(pair) for pair in zip(words, words[1:])}


def wishes_to_requirements(wishes: pd.DataFrame) -> pd.DataFrame:
    """Group wishes (columns wish, group, votes) into requirements using the keyword table.

    Columns: requirement, type (functional | performance | unmatched), from_wishes, groups,
    votes (sum), wishes (count); most votes first. Wishes matching no keyword keep their own
    row of type `unmatched`, to be turned into a requirement by hand. A wish may feed several
    requirements (its votes count for each).
    """
    missing = [c for c in ("wish", "group", "votes") if c not in wishes.columns]
    if missing:
        raise LearnerError(f"the wishes table lacks the column(s) {', '.join(missing)}",
                           fix="Give columns wish, group, votes")
    votes = pd.to_numeric(wishes["votes"], errors="coerce")
    bad = votes.isna() | (votes < 0)
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise LearnerError(f"votes must be a number 0 or more; row {row + 1} has {wishes['votes'].iloc[row]!r}",
                           fix="Write a count of votes")
    rows = []
    for wish, group, count in zip(wishes["wish"].astype("str"), wishes["group"].astype("str"), votes):
        words = _words(wish)
        hits = [(req, kind) for keys, req, kind in WISH_KEYWORDS if words & set(keys)]
        for req, kind in hits or [(f"Review by hand: {wish}", UNMATCHED)]:
            rows.append({"requirement": req, "type": kind, "wish": wish, "group": group, "votes": count})
    if not rows:
        return pd.DataFrame(columns=["requirement", "type", "from_wishes", "groups", "votes", "wishes"])
    long = pd.DataFrame(rows)
    out = long.groupby(["requirement", "type"], sort=False).agg(
        from_wishes=("wish", lambda s: "; ".join(dict.fromkeys(s))),
        groups=("group", lambda s: ", ".join(sorted(set(s)))),
        votes=("votes", "sum"), wishes=("wish", "size")).reset_index()
    out["votes"] = out["votes"].astype("int64") if (out["votes"] % 1 == 0).all() else out["votes"]
    out["_unmatched"] = out["type"] == UNMATCHED
    return out.sort_values(["_unmatched", "votes"], ascending=[True, False], kind="stable").drop(
        columns="_unmatched").reset_index(drop=True)


# == past-tender health check ========================================================================
FLAG_CAVEAT = ("A flag is a question, not a verdict: it shows where to look, and there may be a good reason "
               "(an urgent need, a niche market, a real efficiency). Check the file before drawing conclusions.")
CARDINAL_SOURCE = "https://github.com/open-contracting/cardinal-rs (docs/cli/indicators)"
FLAGS: dict[str, tuple[str, str]] = {
    "R003": ("Short submission period",
             "An open procedure gave bidders less than {r003_days} days to submit (OCP Cardinal R003); "
             "short periods can keep bidders out."),
    "R018": ("Single bid received",
             "Only one bidder took part although the procedure was open or restricted (OCP Cardinal R018): "
             "was the market aware, the specification too narrow, the period too short?"),
    "R058": ("Heavily discounted winning bid",
             "The winning bid was much lower than the next valid bid: the gap is at or above the upper "
             "fence Q3 + 1.5 x IQR of all gaps (OCP Cardinal R058). Was the price explained (Art. 69)?"),
    "below_legal_minimum": ("Below the legal minimum period",
                            "The submission period was shorter than the Directive's minimum for this procedure "
                            "(brief §3.2). Above the EU threshold that needs a reason: a PIN or urgency (open: 15 "
                            "days), or an agreed deadline (restricted, sub-central buyers)."),
}
R058_MIN_GAPS = 4  # course design: quartiles of fewer than 4 gaps mean little, so R058 is not computed


def legal_minimum_days(procedure: str, e_submission: bool = True) -> int | None:
    """The Directive's minimum submission period counted from the contract notice (brief §3.2):
    open 35 days (30 with electronic submission); restricted 30 days for requests plus 30 for
    tenders = 60. None for procedures without a fixed minimum in the course table."""
    if procedure == "open":
        return 30 if e_submission else 35
    if procedure in ("restricted", "selective"):
        return 60
    return None


def _truthy(values: pd.Series) -> pd.Series:
    """True/False from booleans or text such as "true", "1", "yes" (a CSV read as text)."""
    if pd.api.types.is_bool_dtype(values):
        return values.fillna(False).astype(bool)
    return values.astype("str").str.strip().str.lower().isin(["true", "1", "yes", "y", "t", "1.0"])


def _bid_gaps(bids: pd.DataFrame) -> pd.DataFrame:
    """Per tender and lot: (second-lowest valid bid - winning bid) / winning bid, where the winner is
    the lowest valid bid and there are at least two valid bids."""
    valid = bids[bids["status"].astype("str").str.lower().eq("valid")]
    valid = valid.assign(price=pd.to_numeric(valid["price_eur"], errors="coerce")).dropna(subset=["price"])
    lot = valid["lot"] if "lot" in valid else 1
    valid = valid.assign(lot=lot)
    rows = []
    for (tender, lot_no), group in valid.groupby(["tender_id", "lot"], sort=False):
        winners = group[_truthy(group["winner"])]
        if len(group) < 2 or winners.empty:
            continue
        win = float(winners["price"].min())
        prices = sorted(group["price"])
        if win > prices[0] or win <= 0:
            continue
        rows.append({"tender_id": tender, "lot": lot_no, "gap": (prices[1] - win) / win})
    return pd.DataFrame(rows, columns=["tender_id", "lot", "gap"])


def tender_flags(tenders: pd.DataFrame, bids: pd.DataFrame, r003_days: int = 15,
                 e_submission: bool = True) -> pd.DataFrame:
    """One row per tender with the red flags R003, R018, R058 and `below_legal_minimum`, each a
    True/False column, plus `flagged` (any) and `reasons` in plain words.

    Tender and bid columns as in course/architecture.md (tenders.csv, bids.csv) or from
    `helpers.preprocurement.ocds.read_ocds`. The period is submission_deadline - publication_date in days.
    `number_of_tenderers` missing is taken from the distinct bidders in `bids` when there are any.
    R058's fence is computed across all tenders (and lots) given, and needs at least
    `R058_MIN_GAPS` (4) gaps; `e_submission` picks the open-procedure legal minimum (30 or 35 days).
    """
    need = ["tender_id", "procedure", "publication_date", "submission_deadline", "number_of_tenderers"]
    missing = [c for c in need if c not in tenders.columns]
    if missing:
        raise LearnerError(f"the tenders table lacks the column(s) {', '.join(missing)}",
                           fix="Use the columns of tenders.csv (see course/architecture.md)")
    missing = [c for c in ("tender_id", "price_eur", "status", "winner") if c not in bids.columns]
    if missing:
        raise LearnerError(f"the bids table lacks the column(s) {', '.join(missing)}",
                           fix="Use the columns of bids.csv (see course/architecture.md)")
    if not isinstance(r003_days, (int, np.integer)) or r003_days < 1:
        raise LearnerError(f"the short-period limit must be a whole number of days, not {r003_days!r}")
    out = pd.DataFrame({"tender_id": tenders["tender_id"].astype("str")})
    for col in ("title", "main_category", "status", "currency"):
        if col in tenders.columns:
            out[col] = tenders[col].astype("str")
    out["procedure"] = tenders["procedure"].astype("str").str.strip().str.lower()
    start = pd.to_datetime(tenders["publication_date"], errors="coerce")
    end = pd.to_datetime(tenders["submission_deadline"], errors="coerce")
    out["submission_days"] = (end - start).dt.days.astype("Int64")
    out["legal_minimum_days"] = pd.array([legal_minimum_days(p, e_submission) for p in out["procedure"]],
                                         dtype="Int64")
    counts = pd.to_numeric(tenders["number_of_tenderers"], errors="coerce").astype("Int64")
    from_bids = bids.groupby(bids["tender_id"].astype("str"))["bidder_id" if "bidder_id" in bids else "tender_id"].nunique()
    out["number_of_tenderers"] = counts.fillna(out["tender_id"].map(from_bids).astype("Int64"))
    gaps = _bid_gaps(bids)
    out["winning_gap"] = out["tender_id"].map(gaps.groupby("tender_id")["gap"].max()).astype("float64")

    days = out["submission_days"]
    out["R003"] = ((out["procedure"] == "open") & (days < r003_days)).fillna(False).astype(bool)
    out["R018"] = (out["procedure"].isin(["open", "restricted", "selective"])
                   & (out["number_of_tenderers"] == 1)).fillna(False).astype(bool)
    if len(gaps) >= R058_MIN_GAPS:
        q1, q3 = gaps["gap"].quantile(0.25), gaps["gap"].quantile(0.75)
        fence = round(float(q3 + 1.5 * (q3 - q1)), 9)
        flagged = set(gaps.loc[gaps["gap"].round(9) >= fence, "tender_id"])
    else:
        fence, flagged = float("nan"), set()
    out["R058"] = out["tender_id"].isin(flagged)
    out["below_legal_minimum"] = (days < out["legal_minimum_days"]).fillna(False).astype(bool)
    codes = list(FLAGS)
    out["flagged"] = out[codes].any(axis=1)
    texts = {c: FLAGS[c][1].format(r003_days=r003_days) for c in codes}
    out["reasons"] = [" ".join(texts[c] for c in codes if row[c]) for _, row in out[codes].iterrows()]
    out.attrs["r058_fence"] = fence
    return out.reset_index(drop=True)


def health_summary(flags: pd.DataFrame) -> pd.DataFrame:
    """Per main category and procedure (and all tenders): tenders, mean bidders, single-bid rate (% of
    tenders with a known bidder count) and the share of tenders flagged (%), plus each flag's count."""
    frame = flags.copy()
    if "main_category" not in frame:
        frame["main_category"] = "unknown"
    frame["main_category"] = frame["main_category"].fillna("unknown").replace({"nan": "unknown", "None": "unknown"})

    def one(group: pd.DataFrame) -> dict:
        known = group["number_of_tenderers"].dropna()
        return {"tenders": len(group), "with_bidder_count": len(known),
                "mean_bidders": round(float(known.mean()), 2) if len(known) else np.nan,
                "single_bid_rate_pct": round(100 * float((known == 1).mean()), 1) if len(known) else np.nan,
                "flagged_pct": round(100 * float(group["flagged"].mean()), 1) if len(group) else np.nan,
                **{code: int(group[code].sum()) for code in FLAGS}}

    rows = [{"main_category": cat, "procedure": proc, **one(g)}
            for (cat, proc), g in frame.groupby(["main_category", "procedure"], sort=True)]
    rows.append({"main_category": "all", "procedure": "all", **one(frame)})
    return pd.DataFrame(rows)


# == course data and summaries for the notebook ====================================================
# Course design: wishes a group of children and parents might give for Portavera's playground.
SAMPLE_WISHES = pd.DataFrame({
    "wish": ["A big climbing net", "Swings for my little brother", "A long slide", "Sand and water to dig in",
             "My friend uses a wheelchair and wants to play too", "Benches for parents in the shade",
             "Soft ground so we don't get hurt", "Things get broken and stay broken", "A secret hiding house",
             "A place to play football", "Lights because it gets dark early in winter", "A zip line"],
    "group": ["children 7-12", "children 3-6", "children 7-12", "children 3-6", "children 7-12", "parents",
              "parents", "parents", "children 3-6", "children 7-12", "parents", "children 7-12"],
    "votes": [14, 9, 12, 8, 11, 7, 10, 6, 9, 5, 4, 13],
})
TURKU_PLAYGROUND_NOTE = ("Citizen involvement was a topic of the BUILD staff exchange hosted by Turku "
                         "(https://build-procurement.eu/?p=4034). A Turku playground case is mentioned only in the "
                         "course's seed texts and could not be confirmed in a public source: treat it as unverified. "
                         "The steps above are Beverwijk's (NL), which are documented.")


def course_tenders(city: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A course city's past tenders and their bids (datasets/shared/tenders.csv and bids.csv)."""
    from helpers.data import load_table

    tenders = load_table("tenders")
    tenders = tenders[tenders["city"] == city].reset_index(drop=True)
    if tenders.empty:
        raise LearnerError(f"there are no tenders for the city {city!r} in the course data",
                           fix="Use portavera, valmora or nordhaven")
    bids = load_table("bids")
    return tenders, bids[bids["tender_id"].isin(tenders["tender_id"])].reset_index(drop=True)


def health_in_brief(flags: pd.DataFrame, label: str) -> str:
    """One line: tenders, single-bid rate (where the bidder count is known) and each flag's count."""
    overall = health_summary(flags).iloc[-1]
    rate = overall["single_bid_rate_pct"]
    counts = ", ".join(f"{code} {int(flags[code].sum())}" for code in ("R003", "R018", "R058"))
    rate_text = "unknown" if pd.isna(rate) else f"{rate:.1f}%"
    return (f"{label}: {len(flags)} tenders, single-bid rate {rate_text} "
            f"(of {int(overall['with_bidder_count'])} with a bidder count); flags: {counts}; "
            f"{int(flags['flagged'].sum())} tenders flagged")

