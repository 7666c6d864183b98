"""Strip outputs and execution counts from the course notebooks (and the lesson template).

Cells tagged `keep-output` keep their (small, text) outputs on purpose: they are
the key results nbval checks (they also carry nbval's `nbval-check-output` tag).
nbstripout cannot replace this: it keeps outputs only for a `keep_output` tag and
then still clears the execution count, which makes nbval skip the cell. Usage:
python tools/strip_notebooks.py [--check] [NOTEBOOK ...]
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]


def strip(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        keep = "keep-output" in cell.metadata.get("tags", [])
        # nbval compares stored outputs only for cells that were run, i.e. have an execution count.
        cell.execution_count = 1 if keep and cell.outputs else None
        if keep:
            for out in cell.outputs:
                if "execution_count" in out:
                    out["execution_count"] = None
        else:
            cell.outputs = []
        for key in ("execution", "collapsed", "scrolled"):
            cell.metadata.pop(key, None)
    nb.metadata.pop("widgets", None)
    nb.metadata.pop("papermill", None)
    return nb


def main(argv: list[str]) -> int:
    check = "--check" in argv
    paths = [Path(a) for a in argv if not a.startswith("--")] or sorted(
        [*(ROOT / "notebooks").glob("*.ipynb"), *(ROOT / "course" / "templates").glob("*.ipynb")]
    )
    dirty = []
    for path in paths:
        original = path.read_text(encoding="utf-8")
        cleaned = nbformat.writes(strip(nbformat.reads(original, as_version=4))) + "\n"
        if cleaned != original:
            dirty.append(path.name)
            if not check:
                path.write_text(cleaned, encoding="utf-8")
    if check and dirty:
        print("notebooks with outputs to strip: " + ", ".join(dirty) + " (run tools/strip_notebooks.py)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
