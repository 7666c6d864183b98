"""Every notebook follows the template and is committed without bulky outputs."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))


def test_there_is_a_start_here_and_seven_modules():
    stems = [p.stem[:2] for p in NOTEBOOKS]
    assert stems[0] == "00"
    assert len(NOTEBOOKS) >= 1


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_template_parts_present(path):
    nb = nbformat.read(path, as_version=4)
    sources = [c.source for c in nb.cells]
    text = "\n".join(sources)
    params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1 and "city =" in params[0].source and "year =" in params[0].source
    assert "doctor()" in text
    assert "selfcheck.show(" in text
    assert "## Sources" in text or "## Sources and further reading" in text
    if path.stem != "00_start_here":
        for heading in ("Learning objectives", "Time needed", "your city", "Summary"):
            assert heading.lower() in text.lower(), heading
    code_lines = [len(c.source.splitlines()) for c in nb.cells if c.cell_type == "code"]
    assert max(code_lines) <= 12, "code cells stay short: move logic into helpers"


def test_notebooks_are_stripped_except_key_results():
    result = subprocess.run([sys.executable, str(REPO / "tools" / "strip_notebooks.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
    for path in NOTEBOOKS:
        assert path.stat().st_size < 150_000, f"{path.name} is too large for a stripped notebook"


@pytest.mark.parametrize("module", __import__("helpers.learning.course", fromlist=["MODULES"]).MODULES,
                         ids=lambda m: m[1])
def test_time_needed_matches_the_course_plan(module):
    """The notebook's "Time needed" is the time in the syllabus and the trainer guide's session plans."""
    import re

    _, stem, _, _, minutes = module
    text = "\n".join(c.source for c in nbformat.read(REPO / "notebooks" / f"{stem}.ipynb", as_version=4).cells)
    stated = re.search(r"Time needed:\*\*\s*(?:about\s*)?(\d+)\s*minutes", text)
    assert stated and int(stated.group(1)) == minutes
