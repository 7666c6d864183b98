"""Keep each lesson's MyST Markdown source and its notebook in step (jupytext pairs).

A lesson is written and reviewed as `notebooks/NN_name.md`; `notebooks/NN_name.ipynb` beside it is
what learners open. jupytext pairs them (`[tool.jupytext]` in pyproject.toml): saving either one in
JupyterLab writes both, and `jupytext --sync` updates the older one from the newer one, keeping the
notebook's stored key outputs.

    python tools/notebook_pairs.py           # sync every pair (jupytext --sync)
    python tools/notebook_pairs.py --check   # report pairs that differ; exit 1 if any

The check compares what matters for a lesson: cell types, cell sources and cell tags.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import jupytext
import nbformat

ROOT = Path(__file__).resolve().parents[1]
# Folders whose notebooks are paired (the `formats` in [tool.jupytext] in pyproject.toml).
PAIRED_FOLDERS = ("notebooks", "course/templates")


def paired_notebooks(root: Path = ROOT) -> list[Path]:
    """Every .ipynb in the paired folders, plus the .ipynb of any .md there without its notebook."""
    found: set[Path] = set()
    for folder in PAIRED_FOLDERS:
        for path in (root / folder).glob("*.ipynb"):
            found.add(path)
        for path in (root / folder).glob("*.md"):
            if _is_jupytext_markdown(path):
                found.add(path.with_suffix(".ipynb"))
    return sorted(found)


def _is_jupytext_markdown(path: Path) -> bool:
    return path.read_text(encoding="utf-8").startswith("---\njupytext:")


def _cells(nb: nbformat.NotebookNode) -> list[tuple[str, str, list[str]]]:
    return [(c.cell_type, c.source, list(c.get("metadata", {}).get("tags", []))) for c in nb.cells]


def differences(ipynb: Path) -> list[str]:
    """How the notebook and its Markdown source differ (an empty list when they agree)."""
    text = ipynb.with_suffix(".md")
    missing = [p.name for p in (ipynb, text) if not p.exists()]
    if missing:
        return [f"{ipynb.stem}: {' and '.join(missing)} missing (run: jupytext --sync on the other file)"]
    ours = _cells(nbformat.read(ipynb, as_version=4))
    theirs = _cells(jupytext.read(text))
    problems = []
    if len(ours) != len(theirs):
        problems.append(f"{ipynb.stem}: {len(ours)} cells in the .ipynb, {len(theirs)} in the .md")
    for number, (a, b) in enumerate(zip(ours, theirs)):
        for what, left, right in (("type", a[0], b[0]), ("source", a[1], b[1]), ("tags", a[2], b[2])):
            if left != right:
                problems.append(f"{ipynb.stem}: cell {number} {what} differs: .ipynb {left!r:.60} / .md {right!r:.60}")
                break
    return problems


def sync(paths: list[Path]) -> int:
    """`jupytext --sync` each pair: the newer file's inputs win; the notebook keeps its outputs."""
    jupytext_cli = Path(sys.executable).with_name("jupytext")
    command = [str(jupytext_cli)] if jupytext_cli.exists() else [sys.executable, "-m", "jupytext"]
    targets = [str(p if p.exists() else p.with_suffix(".md")) for p in paths]
    return subprocess.run([*command, "--sync", "--quiet", *targets], cwd=ROOT).returncode if targets else 0


def main(argv: list[str]) -> int:
    paths = [Path(a).resolve().with_suffix(".ipynb") for a in argv if not a.startswith("--")] or paired_notebooks()
    if "--check" not in argv:
        return sync(paths)
    problems = [problem for path in paths for problem in differences(path)]
    for problem in problems:
        print(problem)
    if problems:
        print("lesson pairs differ: edit the .md, then run `make sync` (jupytext --sync)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
