"""Modules 3 → 4 under papermill on each real council ledger in ../shared/data/real, as a trainer
preparing a version for a city would run them: `ledger=` in module 3 (which saves the analysis),
then `ledger=` in module 4 (which opens it), in one learner work folder.

Every figure asserted is computed here independently (csv + Decimal), and no output may hold a
traceback or a share of 0.0% that is really unknown (Devon publishes no postcodes and no register).
"""

from __future__ import annotations

import csv
import html
import json
import os
import re
import tempfile
from collections import defaultdict
from decimal import ROUND_HALF_EVEN, Decimal
from functools import cache
from pathlib import Path

import nbformat
import papermill
import pytest

from tests.conftest import shared_dir
from tests.kernels import AsyncIPCKernelManager
from tests.notebooks.runner import CELL_TIMEOUT, NOTEBOOKS, Run, notebook_path

pytestmark = [pytest.mark.notebook, pytest.mark.realdata]

LEDGERS = {"devon_spend_2014_07_cp1252.csv": "cp1252", "devon_spend_2024_09.csv": "utf-8-sig"}


def _execute(stem: str, ledger: Path, work: Path) -> Run:
    out = work / f"executed_{stem}.ipynb"
    env_before = dict(os.environ)
    os.environ.update({"SPW_WORK_DIR": str(work / "my_work"), "SPW_DISPLAY": "static"})
    try:
        papermill.execute_notebook(
            str(notebook_path(stem)),
            str(out),
            parameters={"ledger": str(ledger)},
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


@cache
def modules_3_then_4(name: str) -> tuple[Run, Run]:
    """Module 3 then module 4 on one ledger, sharing one learner work folder (cached per ledger)."""
    ledger = shared_dir() / "data" / "real" / name
    work = Path(tempfile.mkdtemp(prefix="spw-real-"))
    return _execute("03", ledger, work), _execute("04", ledger, work)


def _money(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01'), ROUND_HALF_EVEN):,}"


def _pct(value: Decimal, decimals: int = 1) -> str:
    return f"{(value * 100).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_EVEN)}%"


@cache
def expected(name: str) -> dict:
    """The ledger read with csv and Decimal, not with the course's reader."""
    path = shared_dir() / "data" / "real" / name
    with open(path, encoding=LEDGERS[name], newline="") as handle:
        rows = list(csv.DictReader(handle))
    amounts = [Decimal(r["Amount"]) for r in rows]
    total = sum(amounts, Decimal(0))
    by_supplier: dict[str, Decimal] = defaultdict(Decimal)
    by_type: dict[str, Decimal] = defaultdict(Decimal)
    for row, amount in zip(rows, amounts):
        by_supplier[row["Supplier ID"]] += amount
        by_type[row["Expense Type"].strip() or "unclassified"] += amount
    top10 = sum(sorted(by_supplier.values(), reverse=True)[:10], Decimal(0))
    big = {t for t, a in by_type.items() if a / total >= Decimal("0.02")}
    return {
        "stem": Path(name).stem,
        "lines": len(rows),
        "total": total,
        "top10": top10 / total,
        "types": by_type,
        "big_types": big,
        "big_share": sum((by_type[t] for t in big), Decimal(0)) / total,
    }


def zero_shares(text: str) -> list[str]:
    """Every share of exactly 0.0% in a text, with some context (100.0% and 10.0% are not)."""
    return [text[max(0, m.start() - 80) : m.end()] for m in re.finditer(r"(?<![\d.])0\.0%", text)]


def no_traceback(run: Run) -> None:
    errors = [o for c in run.nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert errors == [], [e.get("ename") for e in errors]
    assert "Traceback" not in run.text and "ERROR" not in run.text


@pytest.fixture(params=sorted(LEDGERS), ids=lambda n: n.split(".")[0])
def ledger(request, real_data_dir) -> str:
    assert (real_data_dir / request.param).is_file()
    return request.param


def test_module_3_on_a_real_ledger_says_unknown_and_states_its_scope(ledger):
    run3, _ = modules_3_then_4(ledger)
    want = expected(ledger)
    no_traceback(run3)
    key = run3.cell_text("keep-output")
    text = html.unescape(run3.text)  # the HTML outputs escape quotes
    assert (
        f"{ledger}: in the city unknown; city + region unknown; SMEs unknown; social economy unknown; "
        f"location unknown 100.0%; top 10 suppliers {_pct(want['top10'])}" in key
    )
    # the whole file, and the headline total equals the cleaning report's total of the payments kept
    assert f"amounts on the payments kept: {_money(want['total'])} (the analysis's total)" in text
    assert (
        f"{ledger}: all payments, {want['lines']:,} payment lines; the whole file: the total equals the "
        f"cleaning report's total of the payments kept ({_money(want['total'])})" in text
    )
    assert f"{want['lines']:,} of {want['lines']:,} read" in text  # data-quality facts
    assert "The what-if cannot be worked out for this selection" in text
    assert f"LM3 for {ledger}: unknown, because no payment in this selection has a known supplier location" in text
    assert zero_shares(text) == []
    assert (
        f"Saved the analysis of {ledger} for module 4 as '{want['stem']}': {want['lines']:,} payment lines, "
        f"total {_money(want['total'])}." in text
    )
    saved = json.loads((run3.work_dir / "my_work" / "analyses" / f"{want['stem']}.json").read_text())
    assert saved["lines"] == want["lines"] and f"{Decimal(str(saved['total'])):,.2f}" == _money(want["total"])


def test_module_4_opens_what_module_3_saved_and_never_guesses_a_local_share(ledger):
    _, run4 = modules_3_then_4(ledger)
    want = expected(ledger)
    no_traceback(run4)
    text = html.unescape(run4.text)  # the HTML outputs escape quotes
    assert (
        f"Using '{want['stem']}', the analysis of {ledger} saved in module 3 ({want['lines']:,} payment lines" in text
    )
    key = run4.cell_text("keep-output")
    low = len(want["types"]) - len(want["big_types"])
    assert (
        f"{want['stem']}: low priority {low}, location unknown {len(want['big_types'])} "
        f"({_pct(want['big_share'], 0)} of spend)." in key
    )
    assert "No category can be placed as grow, keep or thin" in key
    assert "grow local spend" not in key
    # the matrix's static view: the ledger's own Expense Types, no chart, and why
    assert "'Expense Type' values" in text
    assert "The chart cannot be drawn" in text
    titles = [
        out["data"]["application/vnd.plotly.v1+json"]["layout"]["title"]["text"]
        for cell in run4.nb.cells
        for out in cell.get("outputs", [])
        if "application/vnd.plotly.v1+json" in out.get("data", {})
    ]
    assert not any(want["stem"] in t for t in titles) and not any("Portavera" in t for t in titles)
    # the largest Expense Type's spend, as the matrix table shows it (rounded to whole units)
    largest = max(want["types"], key=want["types"].get)
    whole = f"{want['types'][largest].quantize(Decimal(1), ROUND_HALF_EVEN):,}"
    assert largest in text and whole in text
    # objectives: baselines unknown, with why, never 0
    assert "share of spend with suppliers in the city" in text and "Unknown: no payment" in text
    assert zero_shares(text) == []
