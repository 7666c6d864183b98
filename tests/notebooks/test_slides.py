"""Every lesson opens with a one-line "how to run this", and is presentable as live slides with
jupyterlab-rise: slide metadata on the title and on every section heading, the set-up cells skipped,
and speaker notes per section that carry the trainer's notes with the section's minutes from
course/course.yml. Voilà leaves the how-to-run line and the notes out of the app."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from helpers.learning.app import APP_HIDDEN_TAGS
from helpers.learning.course import course_modules

REPO = Path(__file__).resolve().parents[2]
MODULES = {m.notebook: m for m in course_modules()}
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))


def slide_type(cell) -> str:
    return cell.metadata.get("slideshow", {}).get("slide_type", "-")


@pytest.mark.parametrize("path", [*NOTEBOOKS, REPO / "course/templates/module_template.ipynb"], ids=lambda p: p.stem)
def test_the_notebook_opens_with_how_to_run_it(path):
    first = nbformat.read(path, as_version=4).cells[0]
    assert first.cell_type == "markdown" and "spw-how-to-run" in first.metadata.get("tags", [])
    assert len(first.source.strip().splitlines()) == 1
    assert "**Run all**" in first.source and "Run → Run All Cells" in first.source
    assert slide_type(first) == "skip"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_section_is_a_slide_with_speaker_notes_and_its_minutes(path):
    cells = nbformat.read(path, as_version=4).cells
    module = MODULES[path.stem]
    title = cells[1]
    assert title.source.startswith("# ") and slide_type(title) == "slide"
    headings = [(i, c) for i, c in enumerate(cells) if c.cell_type == "markdown" and c.source.startswith("## ")]
    assert [c.source.splitlines()[0] for _, c in headings if re.match(r"## \d+\.", c.source)] == [
        f"## {s.title}" for s in module.sections
    ]
    for _, cell in headings:
        assert slide_type(cell) == "slide", cell.source.splitlines()[0]
    hidden_headings = [c.source[:40] for c in cells if c.cell_type == "markdown" and "\n## " in c.source]
    assert hidden_headings == []  # every heading starts its own cell, so it can start a slide
    notes = [c for c in cells if slide_type(c) == "notes"]
    assert all("spw-trainer-notes" in c.metadata.get("tags", []) for c in notes)
    assert notes[0].source.startswith(f"**For the trainer · {module.minutes} min in all.**")
    for section in module.sections:
        number = section.title.split(".")[0]
        start = next(i for i, c in headings if c.source.startswith(f"## {number}."))
        end = next((i for i, c in headings if i > start), len(cells))
        in_section = [c for c in cells[start:end] if slide_type(c) == "notes"]
        assert len(in_section) == 1, section.title
        assert in_section[0].source.startswith(f"**For the trainer · {section.minutes} min.** "), section.title
        assert len(in_section[0].source) > 60


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_set_up_cells_are_left_out_of_the_slides(path):
    code = [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
    parameters = next(c for c in code if "parameters" in c.metadata.get("tags", []))
    doctor = next(c for c in code if c.source.strip() == "doctor()")
    imports = code[code.index(parameters) + 1]
    assert {slide_type(parameters), slide_type(imports), slide_type(doctor)} == {"skip"}
    shown = [c for c in code if slide_type(c) != "skip"]
    assert shown, "the tools stay on the slides"


def test_the_app_leaves_out_exactly_the_lab_only_cells():
    config = json.loads((REPO / "voila.json").read_text())
    assert set(config["TagRemovePreprocessor"]["remove_cell_tags"]) == set(APP_HIDDEN_TAGS)
    assert set(APP_HIDDEN_TAGS) == {"spw-how-to-run", "spw-trainer-notes"}


def test_jupyterlab_reports_the_rise_extension_enabled():
    result = subprocess.run(
        [sys.executable, "-m", "jupyter", "labextension", "list"], capture_output=True, text=True, timeout=120
    )
    listing = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout + result.stderr)
    line = next(line for line in listing.splitlines() if "jupyterlab-rise" in line)
    assert "v0.43.1" in line and "enabled" in line and "OK" in line


def test_rise_settings_start_at_the_beginning_and_scroll_long_slides():
    settings = json.loads((REPO / "jupyter-settings" / "overrides.json").read_text())
    rise = settings["jupyterlab-rise:plugin"]
    assert rise["start_slideshow_at"] == "beginning" and rise["scroll"] is True
    toolbar = settings["@jupyterlab/notebook-extension:panel"]["toolbar"]
    assert {"name": "run-all", "command": "notebook:run-all-cells"}.items() <= toolbar[0].items()
