"""Each lesson is a jupytext pair: the MyST Markdown source people edit and the notebook learners open."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest
from jupytext.config import load_jupytext_config

REPO = Path(__file__).resolve().parents[2]


def _tool(name: str):
    spec = importlib.util.spec_from_file_location(name, REPO / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


pairs = _tool("notebook_pairs")
PAIRED = pairs.paired_notebooks(REPO)


def test_every_lesson_and_the_template_are_paired():
    stems = {p.stem for p in PAIRED}
    assert {p.stem for p in (REPO / "notebooks").glob("*.ipynb")} <= stems
    assert "module_template" in stems
    for path in PAIRED:
        assert path.exists() and path.with_suffix(".md").exists(), path.stem


@pytest.mark.parametrize("path", PAIRED, ids=lambda p: p.stem)
def test_pair_has_the_same_cells_sources_and_tags(path):
    assert pairs.differences(path) == []


@pytest.mark.parametrize("path", PAIRED, ids=lambda p: p.stem)
def test_jupyterlab_saves_both_files_of_the_pair(path):
    """jupytext's server extension pairs by the [tool.jupytext] formats: saving the .ipynb writes the .md."""
    config = load_jupytext_config(str(path))
    assert config is not None, "no jupytext configuration found (pyproject.toml [tool.jupytext])"
    formats = config.default_formats(str(path))
    assert formats and "ipynb" in formats and "md:myst" in formats


def test_a_changed_source_is_reported(tmp_path):
    (tmp_path / "notebooks").mkdir()
    source = REPO / "notebooks" / "01_why_procurement_matters"
    copy = tmp_path / "notebooks" / source.name
    copy.with_suffix(".ipynb").write_bytes(source.with_suffix(".ipynb").read_bytes())
    text = source.with_suffix(".md").read_text(encoding="utf-8")
    assert ":tags: [keep-output, nbval-check-output]" in text
    copy.with_suffix(".md").write_text(text.replace("nbval-check-output]", "other]", 1), encoding="utf-8")
    problems = pairs.differences(copy.with_suffix(".ipynb"))
    assert len(problems) == 1 and "tags differs" in problems[0]


def test_pytest_collects_only_the_notebooks_in_notebooks_folder():
    """`make test` runs `pytest tests notebooks --nbval-lax`: the .md sources are not collected."""
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", "notebooks", "--nbval-lax"],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    items = [line for line in result.stdout.splitlines() if "::" in line]
    assert items
    assert all(line.split("::")[0].endswith(".ipynb") for line in items)
    collected = {line.split("::")[0] for line in items}
    assert collected == {f"notebooks/{p.name}" for p in (REPO / "notebooks").glob("*.ipynb")}
