"""Print speed and memory figures for the course (a benchmark prints; it never fails a build).

Run in the course environment itself (`make benchmark`):
- `import helpers` time (fresh interpreter, median of 5);
- the floor: a bare kernel start plus the course imports, run headless;
- each notebook run headless (papermill): its time and its kernel's memory at the end (RSS now and
  peak, and the private part of RSS: RSS less the pages of mapped files such as the cached course
  analyses, which every kernel on the machine shares), read from /proc in a cell added at the end;
- one learner's kernel after all eight notebooks: their code cells run in order in one kernel;
- the whole course against the floor (one kernel start + imports per notebook), and one line per
  goal of issue 15 (met / not met);
- the spend workbench on generated ledgers (tools/bench_spend.py), with --spend.
Usage: python tools/benchmark.py [--notebooks 00,03] [--spend]
"""

from __future__ import annotations

import argparse
import json
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
MEMORY_CELL = """import json as _json, sys as _sys
_rows = (line.split(":") for line in open("/proc/self/status"))
_mem = {k: int(v.split()[0]) / 1024 for k, v in _rows if k in ("VmRSS", "VmHWM", "RssAnon")}
_out = {"rss": _mem["VmRSS"], "peak": _mem["VmHWM"], "private": _mem["RssAnon"], "python": _sys.executable}
print("SPW_BENCH " + _json.dumps(_out))"""


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


def run_headless(nb: nbformat.NotebookNode, name: str, workdir: Path) -> tuple[float, dict]:
    """Run a notebook (with the memory cell added at the end) in notebooks/; its time and memory."""
    nb = nbformat.from_dict(nb)
    nb.cells.append(nbformat.v4.new_code_cell(MEMORY_CELL))
    source, target = workdir / f"{name}.in.ipynb", workdir / f"{name}.out.ipynb"
    nbformat.write(nb, source)
    start = time.perf_counter()
    papermill.execute_notebook(
        str(source),
        str(target),
        cwd=str(ROOT / "notebooks"),
        kernel_name="python3",
        progress_bar=False,
        log_output=False,
        # papermill writes the whole notebook after every cell by default (4.6 s of module 6's 12 s here):
        # that is the harness, not what a learner waits for; the notebook is written once, at the end
        request_save_on_cell_execute=False,
    )
    seconds = time.perf_counter() - start
    outputs = nbformat.read(target, as_version=4).cells[-1].get("outputs", [])
    text = "".join(o.get("text", "") for o in outputs)
    memory = json.loads(text.split("SPW_BENCH ", 1)[1].splitlines()[0])
    return seconds, memory


def floor_notebook() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        nbformat.v4.new_code_cell("import pandas, plotly.graph_objects, ipywidgets\nimport helpers, helpers.data")
    ]
    return nb


def all_in_one(paths: list[Path]) -> nbformat.NotebookNode:
    """The code cells of every notebook in order, in one notebook: one learner's kernel for the whole course."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    for path in paths:
        cells = nbformat.read(path, as_version=4).cells
        nb.cells += [nbformat.v4.new_code_cell(c.source) for c in cells if c.cell_type == "code"]
    return nb


def goal(text: str, met: bool, figure: str) -> None:
    print(f"  {text}: {'met' if met else 'NOT MET'} ({figure})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--notebooks", help="comma-separated prefixes, e.g. 00,03 (default: all)")
    parser.add_argument("--spend", action="store_true", help="also run the spend workbench benchmark")
    args = parser.parse_args()
    os.environ.setdefault("SPW_DISPLAY", "static")
    print(f"load average now (1/5/15 min): {' / '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        os.environ["SPW_WORK_DIR"] = str(work / "my_work")
        print(f"import helpers: {import_time() * 1000:.0f} ms (beyond a bare interpreter start)")
        floor, floor_memory = run_headless(floor_notebook(), "floor", work)
        print(
            f"floor (kernel start + course imports, headless): {floor:.1f} s; kernel RSS {floor_memory['rss']:.0f} MB, "
            f"private {floor_memory['private']:.0f} MB (kernel python: {floor_memory['python']})"
        )
        wanted = args.notebooks.split(",") if args.notebooks else None
        paths = [p for p in sorted((ROOT / "notebooks").glob("*.ipynb")) if not wanted or p.stem[:2] in wanted]
        total = 0.0
        print(
            f"{'notebook':<34} {'time':>7}   {'over the floor':>14}   {'kernel RSS at end':>17}   {'peak':>7}   "
            f"{'private':>7}"
        )
        for path in paths:
            seconds, memory = run_headless(nbformat.read(path, as_version=4), path.stem, work)
            total += seconds
            print(
                f"{path.stem:<34} {seconds:6.1f} s   {seconds - floor:+11.1f} s   {memory['rss']:>14.0f} MB   "
                f"{memory['peak']:>4.0f} MB   {memory['private']:>4.0f} MB"
            )
        floor_total = floor * len(paths)
        print(f"{'whole course':<34} {total:6.1f} s   (floor × {len(paths)} = {floor_total:.1f} s)")
        seconds, learner = run_headless(all_in_one(paths), "all_in_one", work)
        print(
            f"one learner's kernel after all {len(paths)} notebooks (one kernel, {seconds:.1f} s): "
            f"RSS {learner['rss']:.0f} MB, peak {learner['peak']:.0f} MB, private {learner['private']:.0f} MB"
        )
    print("\nGOALS (issue 15)")
    goal(
        f"a learner kernel after all {len(paths)} notebooks ≤ 200 MB", learner["rss"] <= 200, f"{learner['rss']:.0f} MB"
    )
    ratio = total / floor_total
    goal("whole course headless ≤ 1.5× floor", ratio <= 1.5, f"{total:.1f} s vs {floor_total:.1f} s = {ratio:.1f}×")
    if args.spend:
        subprocess.run([sys.executable, str(ROOT / "tools" / "bench_spend.py")], check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
