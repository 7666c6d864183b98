"""Law from the law: every legal statement in the sourced content files cites a primary source (EUR-Lex, the
Commission, the Court of Justice, the Publications Office, an official national text), and no learner-facing
text cites the course's internal research notes ("the brief"), the Scottish regulations, a law firm, or a
document-sharing or dictionary site for EU law."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import yaml

from helpers.core.content import all_content
from tests.conftest import REPO

# Primary sources: EU law and case law, the Commission's own pages, and official national texts.
PRIMARY_DOMAINS = (
    "eur-lex.europa.eu",
    "ec.europa.eu",  # with single-market-economy.ec.europa.eu, transport.ec.europa.eu, green-forum.ec.europa.eu ...
    "curia.europa.eu",
    "op.europa.eu",
    "finlex.fi",  # Finland's official legislation database
    "tem.fi",  # Finland's Ministry of Economic Affairs and Employment
)
LEGAL_WORDS = re.compile(r"\bDirective\b|\bArticles?\s+\d|\bArts?\.\s*\d|Regulation \(EU\)|\bCJEU\b|\bAct\s+\d")
NOT_LAW = ("course design", "national practice")  # an `article` field that says the item is not a legal statement
FORBIDDEN = re.compile(
    r"\b(?:the|domain|course)\s+brief\b|\bbrief\s*§|\bbrief's\b|\bbrief section\b|\bbrief example\b"
    r"|legislation\.gov\.uk|as transposed in Scotland|Scottish (?:regulations|transposition)"
    r"|bevanbrittan|mondaq\.com"  # law firms' notes
    r"|scribd\.com|studylib\.net|docplayer|docslib\.org|9pdf\.|paperzz"  # document-sharing sites
    r"|wordscope\.be|smartatfire|duke\.yt|tenderwolf",  # dictionary and glossary sites
    re.IGNORECASE,
)
LEARNER_DOCS = [
    REPO / "README.md",
    *(REPO / "course" / name for name in ("syllabus.md", "trainer-guide.md", "case-studies.md")),
    *sorted((REPO / "course" / "agendas").glob("*.md")),
    *sorted((REPO / "notebooks").glob("*.md")),
]
# Helpers whose learner-facing strings (messages, labels, report text: every string but docstrings) are checked.
LEARNER_HELPERS = sorted(
    {
        *(REPO / "helpers" / "framework").rglob("*.py"),
        *(REPO / "helpers" / "why").rglob("*.py"),
        REPO / "helpers" / "preprocurement" / "innovation.py",
        REPO / "helpers" / "preprocurement" / "engagement.py",
        REPO / "helpers" / "preprocurement" / "widgets" / "innovation_assessment.py",
        REPO / "helpers" / "monitoring" / "modification.py",
        REPO / "helpers" / "monitoring" / "handover.py",
        REPO / "helpers" / "monitoring" / "widgets" / "modification_checker.py",
        REPO / "helpers" / "strategy" / "lotting.py",
        REPO / "helpers" / "tendering" / "widgets" / "evaluation_simulator.py",
        REPO / "helpers" / "tendering" / "life_cycle_cost.py",
        REPO / "helpers" / "tendering" / "lcc_bids.py",
        REPO / "helpers" / "tendering" / "clean_vehicles.py",
        REPO / "helpers" / "tendering" / "widgets" / "life_cycle_costing.py",
        REPO / "helpers" / "spend" / "gender.py",
        REPO / "helpers" / "strategy" / "gender.py",
        REPO / "helpers" / "strategy" / "widgets" / "gender_checklist.py",
        REPO / "helpers" / "tendering" / "gender_aid.py",
        REPO / "helpers" / "tendering" / "widgets" / "gender_aid.py",
        REPO / "helpers" / "monitoring" / "gender_kpis.py",
    }
)


def _strings(value) -> list[str]:
    """Every string inside a YAML value."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _is_legal_statement(item: dict) -> bool:
    article = str(item.get("article") or "")
    if article:
        return not article.lower().startswith(NOT_LAW)
    return item.get("status") != "course design" and bool(LEGAL_WORDS.search(str(item.get("source") or "")))


def legal_items() -> list[tuple[str, dict]]:
    return [(name, item) for name, data in all_content().items() for item in data["items"] if _is_legal_statement(item)]


def test_the_rules_find_legal_statements_and_leave_course_design_alone():
    assert _is_legal_statement({"article": "Directive 2014/24/EU, Art. 27(1)", "source": "x", "status": "verified"})
    assert _is_legal_statement({"source": "Article 58(3) of Directive 2014/24/EU", "status": "verified"})
    assert not _is_legal_statement({"article": "course design (what the tool cannot know)", "source": "course design"})
    assert not _is_legal_statement({"source": "Preston's spend analysis guide", "status": "verified"})
    assert FORBIDDEN.search("as the brief says") and FORBIDDEN.search("brief §3.2")
    assert not FORBIDDEN.search("health_in_brief(flags)") and not FORBIDDEN.search("the month in brief")
    names = {name for name, _ in legal_items()}
    assert {"legal_facts", "framework_rules", "framework_time_limits", "preprocurement_innovation_routes"} <= names


@pytest.mark.parametrize("name, item", legal_items(), ids=lambda v: v if isinstance(v, str) else str(v.get("id")))
def test_legal_statements_cite_a_primary_source(name, item):
    source = str(item["source"])
    assert any(domain in source for domain in PRIMARY_DOMAINS), (
        f"{name}, item {item.get('id')}: a legal statement must cite EUR-Lex, the Commission, the Court of Justice "
        f"or an official national text, not {source!r}"
    )


def test_criteria_library_legal_entries_cite_eur_lex():
    for path in sorted((REPO / "course" / "criteria_library").glob("*.yaml")):
        for entry in yaml.safe_load(path.read_text(encoding="utf-8")):
            name = entry["source"]["name"]
            if name.startswith(("Directive", "Clean Vehicles Directive")):
                assert entry["source"]["url"].startswith("https://eur-lex.europa.eu/"), (path.name, entry["id"])


def _hits(text: str) -> list[str]:
    return sorted({m.group(0) for m in FORBIDDEN.finditer(text)})


@pytest.mark.parametrize("path", LEARNER_DOCS, ids=lambda p: str(p.relative_to(REPO)))
def test_no_learner_document_cites_the_brief_or_a_non_primary_source_for_the_law(path: Path):
    assert not _hits(path.read_text(encoding="utf-8")), f"{path.name}: {_hits(path.read_text(encoding='utf-8'))}"


@pytest.mark.parametrize(
    "folder", ["course/quizzes", "course/content", "course/criteria_library"], ids=lambda f: f.split("/")[-1]
)
def test_no_quiz_content_or_criterion_cites_the_brief_or_a_non_primary_source(folder: str):
    for path in sorted((REPO / folder).glob("*.yaml")):
        text = "\n".join(_strings(yaml.safe_load(path.read_text(encoding="utf-8"))))
        assert not _hits(text), f"{path.name}: {_hits(text)}"


def _learner_strings(path: Path) -> list[str]:
    """The string constants of a module, docstrings excepted (they are developer documentation)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


@pytest.mark.parametrize("path", LEARNER_HELPERS, ids=lambda p: str(p.relative_to(REPO)))
def test_no_helper_message_cites_the_brief(path: Path):
    hits = [s for s in _learner_strings(path) if FORBIDDEN.search(s)]
    assert not hits, f"{path.relative_to(REPO)}: {hits}"
