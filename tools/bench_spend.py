"""Print speed figures for the spend-analysis workbench (a benchmark prints; it never fails a build).

On generated Portavera-style ledgers of 100k and 1M payment lines (written to a temp dir,
never into the repository) it measures:
- ingest: `read_ledger` on the quirky file (dd/mm/yyyy dates, "1,234.56" amounts, name
  variants, credit notes, duplicates, missing postcodes) beside `pandas.read_csv` on the
  clean equivalent (same rows, ISO dates, plain decimals) with engine="pyarrow" and "c";
- the full pipeline: `analyse_ledger` with the Portavera register and geography;
- a dashboard filter change: `SpendCube.indicators` + `top_suppliers` over random filter
  combinations, beside the naive pandas recompute (boolean mask on the enriched frame, then
  `headline_indicators` + `top_suppliers`) in the same run, results checked equal;
- peak memory: the process's peak resident set size (resource.getrusage ru_maxrss), and the
  peak of Python allocations during one read_ledger (tracemalloc, 100k only: it slows code down).

Usage: python tools/bench_spend.py [--sizes 100000,1000000] [--runs 3] [--filters 20]
pyarrow is optional: without it the pyarrow column says why it is missing.
"""

from __future__ import annotations

import argparse
import csv
import gc
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.datagen import generate as datagen
from helpers.spend import indicators
from helpers.spend.indicators import SpendCube
from helpers.spend.ingest import read_ledger
from helpers.spend.pipeline import analyse_ledger, city_reference

YEAR = 2025


# ---------------------------------------------------------------- the fixture ledgers


def _padded(options: list[list], fill) -> tuple[np.ndarray, np.ndarray]:
    """A ragged list of option lists as a padded 2-D array plus the length of each row."""
    width = max(len(o) for o in options)
    table = np.array([list(o) + [fill] * (width - len(o)) for o in options], dtype=object)
    return table, np.array([len(o) for o in options])


def _pick(table: np.ndarray, counts: np.ndarray, rows: np.ndarray, r: np.ndarray, first: float) -> np.ndarray:
    """Per line: option 0 with probability `first`, else one of the others (as datagen does)."""
    n = counts[rows]
    other = 1 + (r * 1e6).astype("int64") % np.maximum(n - 1, 1)
    column = np.where((n == 1) | (r < first), 0, other)
    return table[rows, column]


def make_ledgers(n_lines: int, folder: Path) -> tuple[Path, Path]:
    """Write a Portavera-dialect ledger of about `n_lines` lines and its clean equivalent; return both paths.

    Vectorised (datagen.make_ledger loops per line and is tied to the course's line counts):
    the same suppliers, name variants, categories, VAT rates, ~1% credit notes, ~0.2% exact
    duplicates and ~5% missing postcodes, but not byte-identical to the course ledger.
    """
    cfg = datagen.CITY_BY_ID["portavera"]
    suppliers = datagen.make_suppliers(cfg)
    rng = np.random.default_rng(n_lines)
    spend = datagen._spend_weights(cfg, suppliers, YEAR)
    active = np.flatnonzero(spend > 0)
    n_base = int(n_lines / 1.012)
    weight = spend[active] ** 0.5
    sup = rng.choice(active, n_base, p=weight / weight.sum())
    raw = rng.lognormal(0.0, 1.0, n_base)
    net = np.round(np.maximum(raw / np.bincount(sup, raw, len(suppliers))[sup] * spend[sup], 5.0), 2)
    days = np.array([d for d in range(365) if (date(YEAR, 1, 1) + timedelta(d)).weekday() < 5])
    day = rng.choice(days, n_base)
    cn = rng.choice(n_base, n_base // 100, replace=False)  # credit notes
    frac = np.where(rng.random(len(cn)) < 0.5, 1.0, np.round(rng.uniform(0.1, 0.6, len(cn)), 2))
    sup = np.concatenate([sup, sup[cn]])
    net = np.concatenate([net, -np.round(net[cn] * frac, 2)])
    day = np.concatenate([day, np.minimum(day[cn] + rng.integers(7, 60, len(cn)), days[-1])])
    order = np.lexsort((rng.random(len(sup)), day))
    sup, net, day = sup[order], net[order], day[order]
    n = len(sup)

    cat_options, cat_counts = _padded([datagen.CAT_BY_DIVISION[s["cpv_division"]] for s in suppliers], -1)
    cat = _pick(cat_options, cat_counts, sup, rng.random(n), 0.75).astype("int64")
    area_options, area_counts = _padded([list(c[3]) for c in datagen.CATEGORIES], "")
    area = area_options[cat, (rng.random(n) * area_counts[cat]).astype("int64")]
    name_options, name_counts = _padded([list(s["_variants"]) for s in suppliers], "")
    name = _pick(name_options, name_counts, sup, rng.random(n), 0.7)
    rate = np.array([c[2] for c in datagen.CATEGORIES])[cat]
    rate[np.array([s["_location"] == "abroad" for s in suppliers])[sup]] = 0.0
    vat = np.round(net * rate, 2)
    gross = np.round(net + vat, 2)
    postcode = np.array([s["postcode"] for s in suppliers], dtype=object)[sup]
    postcode[rng.random(n) < 0.05] = ""
    ids = np.array([s["supplier_id"] for s in suppliers], dtype=object)[sup]
    vat_no = np.array([s["vat_number"] for s in suppliers], dtype=object)[sup]
    cat_names = np.array([c[0] for c in datagen.CATEGORIES], dtype=object)[cat]
    refs = [f"PV{YEAR % 100}-{i:07d}" for i in range(1, n + 1)]
    dup = np.zeros(n, dtype=bool)
    dup[rng.choice(n, n // 500, replace=False)] = True  # exported twice
    repeat = np.where(dup, 2, 1)

    start = date(YEAR, 1, 1)
    dmy = np.array([(start + timedelta(d)).strftime("%d/%m/%Y") for d in range(366)], dtype=object)
    iso = np.array([(start + timedelta(d)).isoformat() for d in range(366)], dtype=object)
    header = datagen.DIALECTS["portavera"].columns
    messy, clean = folder / f"portavera_{n_lines}.csv", folder / f"portavera_{n_lines}_clean.csv"
    for path, dates, money, end in ((messy, dmy, "{:,.2f}", "\r\n"), (clean, iso, "{:.2f}", "\n")):
        columns = [
            dates[day],
            refs,
            name,
            ids,
            vat_no,
            postcode,
            area,
            cat_names,
            [money.format(v) for v in net],
            [money.format(v) for v in vat],
            [money.format(v) for v in gross],
        ]
        rows = [np.repeat(np.asarray(c, dtype=object), repeat) for c in columns]
        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator=end)
            writer.writerow(header)
            writer.writerows(zip(*rows))
    return messy, clean


# ---------------------------------------------------------------- measuring


def timed(func, runs: int) -> tuple[float, object]:
    """Median wall time of `runs` calls (seconds) and the last result."""
    times, result = [], None
    for _ in range(runs):
        result = None
        gc.collect()
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def random_filters(cube: SpendCube, count: int, seed: int = 7) -> list[dict]:
    """Filter combinations a learner might click: 1–3 dimensions, one or two values each."""
    rng = np.random.default_rng(seed)
    dims = [
        d
        for d in ("service_area", "category", "level", "size_class", "sector", "social_economy", "year")
        if len(cube.categories[d])
    ]
    combos = []
    for _ in range(count):
        chosen = rng.choice(dims, size=int(rng.integers(1, 4)), replace=False)
        combo = {}
        for dim in chosen:
            cats = [str(c) for c in cube.categories[dim]]
            combo[str(dim)] = [
                str(v) for v in rng.choice(cats, size=min(len(cats), int(rng.integers(1, 3))), replace=False)
            ]
        combos.append(combo)
    return combos


def naive_filter(p: pd.DataFrame, combo: dict) -> tuple[dict, pd.DataFrame]:
    """What a dashboard would do without the cube: mask the enriched frame, recompute everything."""
    mask = pd.Series(True, index=p.index)
    for dim, values in combo.items():
        if dim == "year":
            column = p["year"].astype("str")
        elif dim == "social_economy":
            column = p["social_economy"].astype("boolean").map({True: "yes", False: "no"}).astype("str")
        else:
            column = p[dim].astype("str")
        mask &= column.isin(values)
    sub = p[mask]
    return indicators.headline_indicators(sub), indicators.top_suppliers(sub, 10)


def cube_filter(cube: SpendCube, combo: dict) -> tuple[dict, pd.DataFrame]:
    return cube.indicators(combo), cube.top_suppliers(combo, 10)


def same_result(a: tuple[dict, pd.DataFrame], b: tuple[dict, pd.DataFrame]) -> bool:
    keys = ("total", "local_share_city", "sme_share", "top10_share", "hhi", "suppliers", "lines")
    heads = all(np.isclose(a[0][k], b[0][k], rtol=1e-9, atol=1e-6) for k in keys)
    tops = a[1]["supplier_group"].tolist() == b[1]["supplier_group"].tolist()
    return heads and tops


def bench_size(n_lines: int, folder: Path, runs: int, n_filters: int, reference: dict) -> dict:
    print(f"\n== {n_lines:,} lines ==", flush=True)
    start = time.perf_counter()
    messy, clean = make_ledgers(n_lines, folder)
    print(
        f"generated in {time.perf_counter() - start:.1f} s: {messy.name} {messy.stat().st_size / 1e6:.1f} MB, "
        f"{clean.name} {clean.stat().st_size / 1e6:.1f} MB",
        flush=True,
    )
    row: dict = {"lines": n_lines}
    row["read_ledger"], result = timed(lambda: read_ledger(messy, use_saved_mapping=False), runs)
    row["kept"] = len(result.payments)
    del result
    try:
        import pyarrow  # noqa: F401

        row["pyarrow"], _ = timed(lambda: pd.read_csv(clean, engine="pyarrow"), runs)
        row["pyarrow_version"] = pyarrow.__version__
    except ImportError:
        row["pyarrow"] = None
    row["c"], _ = timed(lambda: pd.read_csv(clean, engine="c"), runs)
    row["rss_after_ingest"] = peak_rss_mb()
    if n_lines <= 200_000:
        tracemalloc.start()
        read_ledger(messy, use_saved_mapping=False)
        row["tracemalloc_peak"] = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
    row["pipeline"], analysis = timed(
        lambda: analyse_ledger(messy, use_saved_mapping=False, **reference), max(1, runs - 2)
    )
    p = analysis.payments
    row["cube_build"], cube = timed(lambda: SpendCube(p), runs)
    row["cube_rows"] = len(cube.amount)
    combos = random_filters(cube, n_filters)
    cube_times, naive_times, agree = [], [], 0
    for combo in combos:
        t0 = time.perf_counter()
        fast = cube_filter(cube, combo)
        t1 = time.perf_counter()
        slow = naive_filter(p, combo)
        t2 = time.perf_counter()
        cube_times.append(t1 - t0)
        naive_times.append(t2 - t1)
        agree += same_result(fast, slow)
    row["filter_cube"] = statistics.median(cube_times)
    row["filter_cube_max"] = max(cube_times)
    row["filter_naive"] = statistics.median(naive_times)
    row["agree"] = f"{agree}/{len(combos)}"
    row["rss_peak"] = peak_rss_mb()
    return row


def fmt_s(value: float | None) -> str:
    return "n/a" if value is None else (f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s")


def print_table(rows: list[dict], pyarrow_note: str) -> None:
    print("\n== spend workbench benchmark ==")
    print(
        f"machine: {platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} cores; "
        f"pandas {pd.__version__}, numpy {np.__version__}; {pyarrow_note}"
    )
    print(
        f"load average now (1/5/15 min): {' / '.join(f'{x:.1f}' for x in os.getloadavg())} "
        f"(above {os.cpu_count()} means other work shared the cores: wall times are then pessimistic)"
    )
    print("\nINGEST (median wall time)")
    print(
        f"{'lines':>10} | {'read_ledger (quirky)':>20} | {'read_csv pyarrow (clean)':>24} | {'ratio':>6} | "
        f"{'read_csv c (clean)':>18} | {'ratio':>6}"
    )
    for r in rows:
        ratio_pa = f"{r['read_ledger'] / r['pyarrow']:.1f}×" if r["pyarrow"] else "n/a"
        print(
            f"{r['lines']:>10,} | {fmt_s(r['read_ledger']):>20} | {fmt_s(r['pyarrow']):>24} | {ratio_pa:>6} | "
            f"{fmt_s(r['c']):>18} | {r['read_ledger'] / r['c']:.1f}×"
        )
    print("\nPIPELINE AND DASHBOARD (filter change = headline indicators + top 10 suppliers; median over the filters)")
    print(
        f"{'lines':>10} | {'analyse_ledger':>14} | {'cube build':>10} | {'cube rows':>9} | {'filter: cube':>12} | "
        f"{'(max)':>7} | {'filter: naive':>13} | {'speed-up':>8} | {'agree':>6}"
    )
    for r in rows:
        print(
            f"{r['lines']:>10,} | {fmt_s(r['pipeline']):>14} | {fmt_s(r['cube_build']):>10} | {r['cube_rows']:>9,} | "
            f"{r['filter_cube'] * 1000:>9.1f} ms | {r['filter_cube_max'] * 1000:>4.0f} ms | "
            f"{r['filter_naive'] * 1000:>10.0f} ms | {r['filter_naive'] / r['filter_cube']:>7.0f}× | {r['agree']:>6}"
        )
    print("\nMEMORY")
    for r in rows:
        extra = (
            f"; Python allocations during one read_ledger peak at {r['tracemalloc_peak']:.0f} MB (tracemalloc)"
            if "tracemalloc_peak" in r
            else ""
        )
        print(
            f"{r['lines']:>10,} lines: process peak RSS {r['rss_after_ingest']:.0f} MB after ingest, "
            f"{r['rss_peak']:.0f} MB after pipeline + filters (resource.getrusage ru_maxrss){extra}"
        )
    print("\nGOALS (issue 3)")
    for r in rows:
        if r["pyarrow"]:
            ratio = r["read_ledger"] / r["pyarrow"]
            print(f"  {r['lines']:>9,} lines: ingest ≤ 2× pyarrow: {'MET' if ratio <= 2 else 'NOT MET'} ({ratio:.1f}×)")
        else:
            print(f"  {r['lines']:>9,} lines: ingest ≤ 2× pyarrow: cannot tell here ({pyarrow_note})")
    for r in rows:
        if r["lines"] >= 1_000_000:
            ok_ms = r["filter_cube"] <= 0.1
            speed = r["filter_naive"] / r["filter_cube"]
            print(
                f"  {r['lines']:>9,} lines: filter change ≤ 100 ms median: {'MET' if ok_ms else 'NOT MET'} "
                f"({r['filter_cube'] * 1000:.1f} ms); ≥ 10× naive pandas: {'MET' if speed >= 10 else 'NOT MET'} "
                f"({speed:.0f}×)"
            )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100000,1000000", help="ledger sizes in lines, comma-separated")
    parser.add_argument("--runs", type=int, default=3, help="runs per ingest measurement (median)")
    parser.add_argument("--filters", type=int, default=20, help="random filter combinations")
    args = parser.parse_args()
    try:
        import pyarrow

        pyarrow_note = f"pyarrow {pyarrow.__version__}"
    except ImportError:
        pyarrow_note = (
            "pyarrow column unavailable: pyarrow is not installed in this environment (on purpose: "
            "the course venv leaves it out; run `make benchmark`, which uses .venv-bench)"
        )
        print(pyarrow_note)
    reference = city_reference("portavera")
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench_spend_") as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            rows.append(bench_size(size, Path(tmp), args.runs, args.filters, reference))
            gc.collect()
    print_table(rows, pyarrow_note)
    return 0


if __name__ == "__main__":
    sys.exit(main())
