"""`course/course.yml` drives the module list: the notebooks, their sections and times, the syllabus."""

from __future__ import annotations

import copy
import re

import nbformat
import pytest
import yaml

from helpers.core.errors import LearnerError
from helpers.core.paths import course_dir, repo_root
from helpers.learning import course
from helpers.learning.registry import PROVIDERS

MODULES = course.course_modules()


def test_the_map_has_start_here_and_seven_modules_in_order():
    assert [m.number for m in MODULES] == ["00", "01", "02", "03", "04", "05", "06", "07"]
    assert [m.stage for m in course.lesson_modules()] == [p.rsplit(".", 1)[1] for p in PROVIDERS]
    assert course.total_minutes() == 581 and course.total_minutes(with_start_here=True) == 599


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.notebook)
def test_each_module_has_its_notebook_quiz_and_stage_package(module):
    assert (repo_root() / module.path).is_file()
    assert (course_dir() / "quizzes" / module.quiz).is_file()
    if module.stage:
        assert (repo_root() / "helpers" / module.stage / "__init__.py").is_file()


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.notebook)
def test_sections_are_the_notebooks_numbered_sections_in_order(module):
    notebook = nbformat.read(repo_root() / module.path, as_version=4)
    headings = [
        line[3:].strip()
        for cell in notebook.cells
        if cell.cell_type == "markdown"
        for line in cell.source.splitlines()
        if re.match(r"## \d+\. ", line)
    ]
    assert headings == [s.title for s in module.sections]


def test_syllabus_block_is_the_generated_one():
    syllabus = (course_dir() / "syllabus.md").read_text(encoding="utf-8")
    assert course.update_syllabus(syllabus) == syllabus, "run: python -m helpers course-map --update"
    assert "| 03 | `notebooks/03_spend_analysis.ipynb` | Spend analysis |" in syllabus


def test_course_map_table_for_the_start_here_page():
    table = course.course_map()
    assert list(table["module"]) == ["01", "02", "03", "04", "05", "06", "07"]
    assert table.loc[table["module"] == "06", "time (min)"].item() == 128


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda d: d["modules"][1].pop("notebook"), "has no `notebook`"),
        (lambda d: d["modules"][1]["sections"].append({"title": "x", "minutes": 0}), "whole `minutes` above 0"),
        (lambda d: d["modules"][1].update(prerequisites=["07"]), "not earlier modules"),
        (lambda d: d["modules"][2].update(number="01"), "same number"),
    ],
)
def test_broken_course_maps_are_explained(change, message):
    data = copy.deepcopy(yaml.safe_load((course_dir() / "course.yml").read_text(encoding="utf-8")))
    change(data)
    assert any(message in p for p in course.validate_course(data))


def test_unknown_module_is_a_learner_error():
    assert course.module("3").title == "Spend analysis"
    with pytest.raises(LearnerError):
        course.module("42")
