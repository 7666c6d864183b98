"""The course documents (syllabus, trainer guide, case studies) stay in step with the course."""

from __future__ import annotations

import re

import pytest

from helpers.learning.course import MODULES
from tests.conftest import REPO, shared_dir, skip_or_fail

COURSE = REPO / "course"
DOCS = ["syllabus.md", "trainer-guide.md", "case-studies.md"]
URL = re.compile(r"https?://[^\s<>()\[\]`\"']+")
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def text(name: str) -> str:
    return (COURSE / name).read_text(encoding="utf-8")


def urls_in(markdown: str) -> list[str]:
    """Every web address in a Markdown text, without trailing punctuation."""
    return [u.rstrip(".,;:!?*") for u in URL.findall(markdown)]


def relative_links(markdown: str) -> list[str]:
    """Link targets that are files in the repository (not web addresses, not anchors)."""
    return [t.split("#")[0] for t in LINK.findall(markdown) if not re.match(r"[a-z]+:", t) and not t.startswith("#")]


@pytest.fixture(scope="module")
def brief() -> str:
    """The domain brief; skips locally when ../shared is missing, fails in CI."""
    path = shared_dir() / "domain" / "brief.md"
    if not path.is_file():
        skip_or_fail(f"domain brief not found at {path}")
    return path.read_text(encoding="utf-8")


def test_helpers_find_urls_and_relative_links():
    sample = "See <https://a.eu/x?p=1>. And [b](https://b.eu/y), [c](../README.md#top), [d](#local) and https://c.eu/z."
    assert urls_in(sample) == ["https://a.eu/x?p=1", "https://b.eu/y", "https://c.eu/z"]
    assert relative_links(sample) == ["../README.md"]


@pytest.mark.parametrize("module, notebook, title, stage, minutes", MODULES)
def test_every_module_notebook_and_time_is_in_the_syllabus(module, notebook, title, stage, minutes):
    syllabus = text("syllabus.md")
    assert f"notebooks/{notebook}.ipynb" in syllabus
    assert f"| {module} | `notebooks/{notebook}.ipynb` | {title} | {stage} | {minutes} min |" in syllabus


def test_syllabus_total_time_matches_the_modules():
    hours, minutes = divmod(sum(m[-1] for m in MODULES), 60)
    assert f"(the seven modules take {hours} hours" + (f" {minutes} min" if minutes else "") in text("syllabus.md")


PRIMARY_LAW = ("https://eur-lex.europa.eu/", "https://www.finlex.fi/")


def test_every_case_study_url_is_in_the_domain_brief_or_the_law_itself(brief):
    """Cases cite the sources the course's research read; where a case touches the law, the law itself."""
    urls = urls_in(text("case-studies.md"))
    assert len(urls) >= 20
    missing = [u for u in urls if u not in brief and not u.startswith(PRIMARY_LAW)]
    assert not missing, f"case-studies.md cites addresses the domain brief does not have: {missing}"


def test_unverified_facts_are_marked_in_the_case_studies():
    cases = text("case-studies.md")
    for heading in (
        "**Rotterdam's split between procurement and contract management. [UNVERIFIED]**",
        "**Turku's playground. [UNVERIFIED]**",
    ):
        assert heading in cases
    assert "titles of the other URBACT\n  modules are **[UNVERIFIED]**" in cases


def test_trainer_guide_gives_the_answer_key_command_for_every_module():
    guide = text("trainer-guide.md")
    assert "python -m helpers answer-key" in guide
    for module, *_ in MODULES:
        assert f"`answer-key --module {module}`" in guide


@pytest.mark.parametrize("name", DOCS)
def test_relative_links_point_to_files_that_exist(name):
    links = relative_links(text(name))
    assert links, f"{name} links to no other course file"
    broken = [t for t in links if not (COURSE / t).resolve().exists()]
    assert not broken, f"{name} has links to missing files: {broken}"
