"""Re-run a notebook headless and store the outputs of its key-result cells only.

Cells tagged `keep-output` (and `nbval-check-output`) keep their text output in the
committed notebook; nbval checks that a fresh run prints the same. All other outputs
are stripped. Only the .ipynb changes: its paired .md holds no outputs.
Usage: python tools/refresh_key_outputs.py NOTEBOOK [...]
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import nbformat
import papermill

sys.path.insert(0, str(Path(__file__).resolve().parent))
from strip_notebooks import strip  # noqa: E402


def refresh(path: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["SPW_WORK_DIR"] = str(Path(tmp) / "my_work")
        os.environ["SPW_DISPLAY"] = "static"
        out = Path(tmp) / "out.ipynb"
        papermill.execute_notebook(str(path), str(out), cwd=str(path.parent), kernel_name="python3", progress_bar=False)
        executed = nbformat.read(out, as_version=4)
    original = nbformat.read(path, as_version=4)
    by_id = {c.get("id"): c for c in executed.cells}
    for cell in original.cells:
        if cell.cell_type == "code" and "keep-output" in cell.metadata.get("tags", []):
            source = by_id.get(cell.get("id"))
            cell.outputs = [
                o
                for o in (source.outputs if source else [])
                if o.get("output_type") == "stream" or "text/plain" in o.get("data", {})
            ]
            for out_cell in cell.outputs:
                if "data" in out_cell:
                    out_cell["data"] = {"text/plain": out_cell["data"]["text/plain"]}
                    out_cell["metadata"] = {}
    path.write_text(nbformat.writes(strip(original)) + "\n", encoding="utf-8")


if __name__ == "__main__":
    for name in sys.argv[1:]:
        refresh(Path(name))
        print(f"refreshed key outputs in {name}")
