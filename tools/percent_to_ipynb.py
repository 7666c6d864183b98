"""Author a notebook as a plain text file, then turn it into .ipynb.

Format (like jupytext's "percent" format): cells start with `# %%` (code) or
`# %% [markdown]` (markdown; each line starts with `# `). Tags go in brackets
after the marker: `# %% tags=["parameters"]`. Outputs are never written: run
the notebook to see them. Usage: python tools/percent_to_ipynb.py SRC.py OUT.ipynb
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import nbformat

MARKER = re.compile(r"^# %%(?P<md> \[markdown\])?(?:\s+tags=(?P<tags>\[.*\]))?\s*$")


def convert(text: str) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                 "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    current: dict | None = None
    lines: list[str] = []

    def flush() -> None:
        if current is None:
            return
        body = "\n".join(lines).strip("\n")
        if current["md"]:
            body = "\n".join(l[2:] if l.startswith("# ") else l.lstrip("#") for l in body.splitlines())
            cell = nbformat.v4.new_markdown_cell(body)
        else:
            cell = nbformat.v4.new_code_cell(body)
        if current["tags"]:
            cell.metadata["tags"] = current["tags"]
        nb.cells.append(cell)

    for line in text.splitlines():
        match = MARKER.match(line)
        if match:
            flush()
            current = {"md": bool(match.group("md")),
                       "tags": json.loads(match.group("tags")) if match.group("tags") else []}
            lines = []
        elif current is not None:
            lines.append(line)
    flush()
    for index, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{index:02d}"
    return nb


if __name__ == "__main__":
    source, target = Path(sys.argv[1]), Path(sys.argv[2])
    nbformat.write(convert(source.read_text(encoding="utf-8")), target)
