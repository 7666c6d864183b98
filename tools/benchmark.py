"""Print speed figures for the course (a benchmark prints; it never fails a build).

- `import helpers` time (fresh interpreter, median of 5);
- the floor: a bare kernel start plus the course imports, run headless;
- the headless run time of each notebook and of the whole course (papermill);
- the spend workbench on generated ledgers (see tools/bench_spend.py), with --spend.
Usage: python tools/benchmark.py [--notebooks 00,03] [--spend]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import papermill

ROOT = Path(__file__).resolve().parents[1]


def import_time(runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import helpers"], check=True)
        times.append(time.perf_counter() - start)
    bare = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        bare.append(time.perf_counter() - start)
    return statistics.median(times) - statistics.median(bare)


def run_headless(path: Path, workdir: Path) -> float:
    start = time.perf_counter()
    papermill.execute_notebook(
        str(path),
        str(workdir / f"{path.stem}.out.ipynb"),
        cwd=str(path.parent),
        kernel_name="python3",
        progress_bar=False,
        log_output=False,
    )
    return time.perf_counter() - start


def floor_notebook(workdir: Path) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        nbformat.v4.new_code_cell("import pandas, plotly.graph_objects, ipywidgets\nimport helpers, helpers.data")
    ]
    path = workdir / "floor.ipynb"
    nbformat.write(nb, path)
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--notebooks", help="comma-separated prefixes, e.g. 00,03 (default: all)")
    parser.add_argument("--spend", action="store_true", help="also run the spend workbench benchmark")
    args = parser.parse_args()
    os.environ.setdefault("SPW_DISPLAY", "static")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        os.environ["SPW_WORK_DIR"] = str(work / "my_work")
        print(f"import helpers: {import_time() * 1000:.0f} ms (beyond a bare interpreter start)")
        floor = run_headless(floor_notebook(work), work)
        print(f"floor (kernel start + course imports, headless): {floor:.1f} s")
        wanted = args.notebooks.split(",") if args.notebooks else None
        total = 0.0
        for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
            if wanted and path.stem[:2] not in wanted:
                continue
            seconds = run_headless(path, work)
            total += seconds
            print(f"{path.stem:<34} {seconds:6.1f} s   ({seconds - floor:+.1f} s over the floor)")
        print(f"{'whole course':<34} {total:6.1f} s")
    if args.spend:
        subprocess.run([sys.executable, str(ROOT / "tools" / "bench_spend.py")], check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
