"""Print speed figures for the spend-analysis workbench (a benchmark prints; it never fails a build).

Run in the course environment itself (`make benchmark`). On generated Portavera-style ledgers of
100k, 1M and 5M payment lines (written to a temp dir, never into the repository) it measures, each
in a fresh Python process so that each peak resident set size (RSS) is that step's own:
- ingest: `read_ledger` on the quirky file (dd/mm/yyyy dates, "1,234.56" amounts, name variants,
  credit notes, duplicates, missing postcodes) beside `pandas.read_csv(engine="pyarrow")` on the
  clean equivalent (same rows, ISO dates, plain decimals);
- analyse: `analyse_ledger` with the Portavera register and geography (read, clean, group, join,
  place, sectors);
- a dashboard filter change (1M lines and below): `SpendCube.indicators` + `top_suppliers` over
  random filter combinations, beside the naive pandas recompute, results checked equal.
It ends with one line per goal of issue 15: met / not met.

Usage: python tools/bench_spend.py [--sizes 100000,1000000,5000000] [--runs 3] [--filters 20]
"""

from __future__ import annotations

import argparse
import csv
import gc
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
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


def child(step: str, path: Path, runs: int, n_filters: int) -> dict:
    """One measured step in this (fresh) process; its figures as a dict (printed as JSON)."""
    out: dict = {}
    if step == "ingest":
        out["seconds"], result = timed(lambda: read_ledger(path, use_saved_mapping=False), runs)
        out["kept"] = len(result.payments)
    elif step == "pyarrow":
        out["seconds"], _ = timed(lambda: pd.read_csv(path, engine="pyarrow"), runs)
    elif step == "analyse":
        reference = city_reference("portavera")
        out["seconds"], _ = timed(lambda: analyse_ledger(path, use_saved_mapping=False, **reference), runs)
    elif step == "filters":
        reference = city_reference("portavera")
        p = analyse_ledger(path, use_saved_mapping=False, **reference).payments
        out["cube_build"], cube = timed(lambda: SpendCube(p), runs)
        out["cube_rows"] = len(cube.amount)
        cube_times, naive_times, agree = [], [], 0
        for combo in random_filters(cube, n_filters):
            t0 = time.perf_counter()
            fast = cube_filter(cube, combo)
            t1 = time.perf_counter()
            slow = naive_filter(p, combo)
            t2 = time.perf_counter()
            cube_times.append(t1 - t0)
            naive_times.append(t2 - t1)
            agree += same_result(fast, slow)
        out["filter_cube"] = statistics.median(cube_times)
        out["filter_cube_max"] = max(cube_times)
        out["filter_naive"] = statistics.median(naive_times)
        out["agree"] = f"{agree}/{len(cube_times)}"
    out["rss"] = peak_rss_mb()
    return out


def measure(step: str, path: Path, runs: int, n_filters: int = 0) -> dict:
    """Run one step in a fresh Python process of this environment and read its figures."""
    done = subprocess.run(
        [sys.executable, __file__, "--child", step, str(path), "--runs", str(runs), "--filters", str(n_filters)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def bench_size(n_lines: int, folder: Path, runs: int, n_filters: int) -> dict:
    print(f"\n== {n_lines:,} lines ==", flush=True)
    start = time.perf_counter()
    messy, clean = make_ledgers(n_lines, folder)
    print(
        f"generated in {time.perf_counter() - start:.1f} s: {messy.name} {messy.stat().st_size / 1e6:.1f} MB, "
        f"{clean.name} {clean.stat().st_size / 1e6:.1f} MB",
        flush=True,
    )
    big = n_lines > 2_000_000  # one run of each step: a 5M-line step takes a while
    row: dict = {"lines": n_lines}
    row["ingest"] = measure("ingest", messy, 1 if big else runs)
    row["pyarrow"] = measure("pyarrow", clean, 1 if big else runs)
    row["analyse"] = measure("analyse", messy, 1)
    print(
        f"ingest {fmt_s(row['ingest']['seconds'])} (peak RSS {row['ingest']['rss']:.0f} MB); "
        f"read_csv pyarrow {fmt_s(row['pyarrow']['seconds'])}; analyse {fmt_s(row['analyse']['seconds'])} "
        f"(peak RSS {row['analyse']['rss']:.0f} MB)",
        flush=True,
    )
    if not big and n_filters:
        row["filters"] = measure("filters", messy, runs, n_filters)
    for path in (messy, clean):
        path.unlink()
    return row


def fmt_s(value: float | None) -> str:
    return "n/a" if value is None else (f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s")


def print_table(rows: list[dict]) -> None:
    print("\n== spend workbench benchmark (course environment) ==")
    import pyarrow

    print(
        f"machine: {platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} cores; "
        f"pandas {pd.__version__}, numpy {np.__version__}, pyarrow {pyarrow.__version__}"
    )
    print(
        f"load average now (1/5/15 min): {' / '.join(f'{x:.1f}' for x in os.getloadavg())} "
        f"(above {os.cpu_count()} means other work shared the cores: wall times are then pessimistic)"
    )
    print("\nINGEST AND ANALYSE (median wall time; peak RSS of a fresh process doing only that step)")
    print(
        f"{'lines':>10} | {'read_ledger (quirky)':>20} | {'read_csv pyarrow (clean)':>24} | {'ratio':>6} | "
        f"{'analyse_ledger':>14} | {'peak RSS ingest':>15} | {'peak RSS analyse':>16}"
    )
    for r in rows:
        ratio = r["ingest"]["seconds"] / r["pyarrow"]["seconds"]
        print(
            f"{r['lines']:>10,} | {fmt_s(r['ingest']['seconds']):>20} | {fmt_s(r['pyarrow']['seconds']):>24} | "
            f"{ratio:>5.1f}× | {fmt_s(r['analyse']['seconds']):>14} | {r['ingest']['rss']:>12.0f} MB | "
            f"{r['analyse']['rss']:>13.0f} MB"
        )
    filtered = [r for r in rows if "filters" in r]
    if filtered:
        print("\nDASHBOARD (filter change = headline indicators + top 10 suppliers; median over the filters)")
        print(
            f"{'lines':>10} | {'cube build':>10} | {'cube rows':>9} | {'filter: cube':>12} | {'(max)':>7} | "
            f"{'filter: naive':>13} | {'speed-up':>8} | {'agree':>6}"
        )
        for r in filtered:
            f = r["filters"]
            print(
                f"{r['lines']:>10,} | {fmt_s(f['cube_build']):>10} | {f['cube_rows']:>9,} | "
                f"{f['filter_cube'] * 1000:>9.1f} ms | {f['filter_cube_max'] * 1000:>4.0f} ms | "
                f"{f['filter_naive'] * 1000:>10.0f} ms | {f['filter_naive'] / f['filter_cube']:>7.0f}× | "
                f"{f['agree']:>6}"
            )
    print("\nGOALS (issue 15)")
    by_size = {r["lines"]: r for r in rows}

    def goal(text: str, met: bool, figure: str) -> None:
        print(f"  {text}: {'met' if met else 'NOT MET'} ({figure})")

    if 1_000_000 in by_size:
        r = by_size[1_000_000]
        ratio = r["ingest"]["seconds"] / r["pyarrow"]["seconds"]
        goal("ingest 1M messy ≤ 2× read_csv(engine=pyarrow) on the clean file", ratio <= 2, f"{ratio:.1f}×")
        goal("analyse_ledger at 1M ≤ 2 s", r["analyse"]["seconds"] <= 2, fmt_s(r["analyse"]["seconds"]))
        peak = max(r["ingest"]["rss"], r["analyse"]["rss"])
        goal("peak RSS at 1M ≤ 1 GB", peak <= 1000, f"{peak:.0f} MB")
        if "filters" in r:
            f = r["filters"]
            speed = f["filter_naive"] / f["filter_cube"]
            goal(
                "dashboard filter change at 1M stays fast (≤ 100 ms, ≥ 10× naive)",
                f["filter_cube"] <= 0.1 and speed >= 10,
                f"{f['filter_cube'] * 1000:.1f} ms, {speed:.0f}×",
            )
    if 100_000 in by_size:
        r = by_size[100_000]
        peak = max(r["ingest"]["rss"], r["analyse"]["rss"])
        goal("peak RSS at 100k ≤ 250 MB", peak <= 250, f"{peak:.0f} MB")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100000,1000000,5000000", help="ledger sizes in lines, comma-separated")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument("--filters", type=int, default=20, help="random filter combinations")
    parser.add_argument("--child", nargs=2, metavar=("STEP", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child[0], Path(args.child[1]), args.runs, args.filters)))
        return 0
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench_spend_") as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            rows.append(bench_size(size, Path(tmp), args.runs, args.filters))
            gc.collect()
    print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
