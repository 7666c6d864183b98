"""`python -m helpers evaluate`, run as a trainer would run it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
PYTHON = REPO / ".venv" / "bin" / "python"

# The brief's §4.3 case with C, quality as % of 60 points: A 40/60, B 48/60 = 80 %, C 10/60.
ABC = "bidder,price,quality\nA,100000,66.666667\nB,130000,80\nC,50000,16.666667\n"


def run(*args, tmp_path: Path) -> subprocess.CompletedProcess:
    python = str(PYTHON) if PYTHON.exists() else sys.executable
    env = {**os.environ, "SPW_WORK_DIR": str(tmp_path)}
    return subprocess.run(
        [python, "-m", "helpers", "evaluate", *map(str, args)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def bids_file(tmp_path: Path, text: str = ABC) -> Path:
    path = tmp_path / "bids.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_json_ranking_reproduces_rank_reversal(tmp_path):
    done = run(bids_file(tmp_path), "--formula", "relative", "--price-weight", 40, "--json", tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert found["formula"] == "relative" and found["price_weight"] == 40
    ranking = {r["bidder"]: r for r in found["ranking"]}
    assert [r["bidder"] for r in found["ranking"]] == ["B", "A", "C"]
    assert ranking["B"]["total"] == pytest.approx(63.38, abs=0.005) and ranking["B"]["rank"] == 1
    assert ranking["A"]["total"] == pytest.approx(60.00, abs=0.005)
    assert ranking["C"]["price_points"] == 40 and ranking["C"]["quality_points"] == pytest.approx(10, abs=1e-4)


def test_log_and_linear_formulas_and_table_output(tmp_path):
    done = run(
        bids_file(tmp_path), "--formula", "log", "--log-base", 2, "--price-weight", 40, "--json", tmp_path=tmp_path
    )
    ranking = {r["bidder"]: r for r in json.loads(done.stdout)["ranking"]}
    assert ranking["C"]["rank"] == 1 and ranking["B"]["total"] == pytest.approx(32.86, abs=0.005)
    # Linear 50k (full) → 150k (zero), W = 50: A = 25 + 33.33, B = 10 + 40, C = 50 + 8.33.
    done = run(
        bids_file(tmp_path),
        "--formula",
        "linear",
        "--bounds",
        "50000,150000",
        "--price-weight",
        50,
        "--json",
        tmp_path=tmp_path,
    )
    ranking = {r["bidder"]: r for r in json.loads(done.stdout)["ranking"]}
    assert ranking["A"]["total"] == pytest.approx(58.3333, abs=1e-3) and ranking["A"]["rank"] == 1
    assert ranking["C"]["total"] == pytest.approx(58.3333, abs=1e-3) and ranking["C"]["rank"] == 1  # a tie
    assert ranking["B"]["rank"] == 3
    text = run(bids_file(tmp_path), "--price-weight", 40, tmp_path=tmp_path)
    assert text.returncode == 0 and "63.38" in text.stdout and text.stdout.splitlines()[2].split()[:2] == ["1", "B"]


@pytest.mark.parametrize(
    "content, args, message",
    [
        (None, ["--price-weight", "40"], "file not found"),
        ("bidder,price\nA,100\n", ["--price-weight", "40"], "no column 'quality'"),
        (
            "bidder,price,quality\nA,100,50\nB,lots,60\n",
            ["--price-weight", "40"],
            "line 3: the price 'lots' is not a number",
        ),
        ("bidder,price,quality\nA,0,50\n", ["--price-weight", "40"], "line 2: the price 0 must be above 0"),
        (ABC, ["--price-weight", "120"], "must be from 0 to 100"),
        (ABC, ["--price-weight", "40", "--formula", "linear"], "needs --bounds"),
        (
            ABC,
            ["--price-weight", "40", "--formula", "linear", "--bounds", "150000,50000"],
            "MIN (150000) must be below MAX",
        ),
    ],
)
def test_bad_input_exits_2_with_one_line(tmp_path, content, args, message):
    path = bids_file(tmp_path, content) if content is not None else tmp_path / "missing.csv"
    done = run(path, *args, tmp_path=tmp_path)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith("error: ") and message in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
