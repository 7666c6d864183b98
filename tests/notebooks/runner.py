"""Run a course notebook headless with papermill and return its outputs as text.

Runs are cached per (notebook, parameters) for the whole test session, so
several tests can assert different values of one run without running it twice.
Each run gets its own learner work folder, so saved work never leaks between runs.
"""

from __future__ import annotations

import json
import os
import tempfile
from functools import cache
from pathlib import Path

import nbformat
import papermill

from tests.kernels import AsyncIPCKernelManager

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = REPO / "notebooks"
CELL_TIMEOUT = 300  # seconds per cell: a hung widget cell fails instead of blocking CI


def notebook_path(stem_prefix: str) -> Path:
    """`"03"` → notebooks/03_spend_analysis.ipynb."""
    matches = sorted(NOTEBOOKS.glob(f"{stem_prefix}_*.ipynb"))
    assert len(matches) == 1, f"expected one notebook starting {stem_prefix}_, found {matches}"
    return matches[0]


class Run:
    """An executed notebook: `text` joins every text output; `cell_text(tag)` one cell's."""

    def __init__(self, nb: nbformat.NotebookNode, work_dir: Path) -> None:
        self.nb, self.work_dir = nb, work_dir
        self.text = "\n".join(self._cell_outputs(c) for c in nb.cells if c.cell_type == "code")

    @staticmethod
    def _cell_outputs(cell) -> str:
        parts = []
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                parts.append(out.get("text", ""))
            elif out.get("output_type") in {"execute_result", "display_data"}:
                data = out.get("data", {})
                parts.append(data.get("text/plain", "") + "\n" + data.get("text/html", ""))
            elif out.get("output_type") == "error":
                parts.append("ERROR " + out.get("ename", "") + ": " + out.get("evalue", ""))
        return "\n".join(parts)

    def cell_text(self, tag: str) -> str:
        cells = [c for c in self.nb.cells if tag in c.get("metadata", {}).get("tags", [])]
        assert cells, f"no cell tagged {tag!r}"
        return "\n".join(self._cell_outputs(c) for c in cells)


@cache
def _run(stem_prefix: str, params_json: str) -> Run:
    params = json.loads(params_json)
    work = Path(tempfile.mkdtemp(prefix=f"spw-nb{stem_prefix}-"))
    out = work / "executed.ipynb"
    env_before = dict(os.environ)
    os.environ.update({"SPW_WORK_DIR": str(work / "my_work"), "SPW_DISPLAY": "static"})
    try:
        papermill.execute_notebook(
            str(notebook_path(stem_prefix)),
            str(out),
            parameters=params,
            cwd=str(NOTEBOOKS),
            kernel_name="python3",
            progress_bar=False,
            execution_timeout=CELL_TIMEOUT,
            log_output=False,
            kernel_manager_class=AsyncIPCKernelManager,
        )
    finally:
        os.environ.clear()
        os.environ.update(env_before)
    return Run(nbformat.read(out, as_version=4), work)


def run_notebook(stem_prefix: str, **params) -> Run:
    """Execute notebook `stem_prefix` with `params` (cached for the session)."""
    return _run(stem_prefix, json.dumps(params, sort_keys=True))
