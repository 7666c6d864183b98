"""`python -m helpers spend-summary`, run as a learner or a trainer would run it."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
FIXTURES = REPO / "tests" / "fixtures" / "ledgers"
PYTHON = REPO / ".venv" / "bin" / "python"


def run(*args, work_dir: Path) -> subprocess.CompletedProcess:
    python = str(PYTHON) if PYTHON.exists() else sys.executable
    env = {**os.environ, "SPW_WORK_DIR": str(work_dir)}
    return subprocess.run(
        [python, "-m", "helpers", "spend-summary", *map(str, args)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_json_summary_of_a_messy_ledger(tmp_path):
    done = run(FIXTURES / "messy_preamble_totals.csv", "--json", work_dir=tmp_path)
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)  # exactly one JSON object on stdout
    assert figures["rows_read"] == 15 and figures["rows_kept"] == 7
    assert {d["reason"]: d["count"] for d in figures["rows_dropped"]} == {
        "blank line": 3,
        "repeated header row": 1,
        "totals or subtotal row": 3,
        "note or footer line (one filled cell, no amount)": 1,
    }
    assert figures["total"] == 3610.50
    assert figures["credit_notes"] == {"count": 1, "total": -100.0}
    assert figures["redacted"] == {"count": 2, "total": 160.0}
    # Groups by supplier number: S001 (3000), S002, S003, S004, S005 (160) → 5 suppliers.
    assert figures["suppliers"] == 5
    top = figures["top_suppliers"][0]
    assert top["name"] == "Acme Paving SL" and top["amount"] == 3000.0
    assert top["share"] == pytest.approx(round(3000 / 3610.5, 4))
    assert figures["period"] == {"start": "2024-07-01", "end": "2024-08-13"}
    assert figures["columns"]["amount"] == "Net Amount"
    assert figures["encoding"] == "utf-8" and figures["delimiter"] == ","


def test_text_summary_and_a_mapping_file(tmp_path):
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"amount": "Gross Amount"}), encoding="utf-8")
    done = run(FIXTURES / "messy_preamble_totals.csv", "--mapping", mapping, work_dir=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Cleaning report for messy_preamble_totals.csv" in done.stdout
    assert "amount = 'Gross Amount'" in done.stdout
    assert "4,368.71" in done.stdout  # gross total, see test_ingest
    assert "top suppliers" in done.stdout


def test_html_in_a_supplier_name_comes_out_verbatim_in_json(tmp_path):
    done = run(FIXTURES / "xss_supplier.csv", "--json", work_dir=tmp_path)
    names = [row["name"] for row in json.loads(done.stdout)["top_suppliers"]]
    assert names == ["<img src=x onerror=alert(1)>", '=HYPERLINK("http://x")']


def unusable_file(folder: Path, kind: str) -> Path:
    """A missing, an empty, or an amount-less ledger."""
    path = folder / f"{kind}.csv"
    if kind == "empty":
        path.write_bytes(b"")
    elif kind == "names":
        path.write_text("Supplier,Town\nAcme,Porto\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "kind, message",
    [
        ("missing", "does not exist"),
        ("empty", "the file is empty"),
        ("names", "no column looks like an amount"),
    ],
)
def test_unusable_files_exit_2_with_one_line(tmp_path, kind, message):
    done = run(unusable_file(tmp_path, kind), "--json", work_dir=tmp_path)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith("error: ") and message in done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr


def test_bad_mapping_file_exits_2(tmp_path):
    mapping = tmp_path / "mapping.json"
    mapping.write_text("{not json", encoding="utf-8")
    done = run(FIXTURES / "xss_supplier.csv", "--mapping", mapping, work_dir=tmp_path)
    assert done.returncode == 2 and "not valid JSON" in done.stderr


def independent_count(path, encoding: str):
    """The ledger read with the csv module and Decimal (not our parser), plus the CLI's JSON figures."""
    with open(path, encoding=encoding, newline="") as handle:
        rows = list(csv.DictReader(handle))
    amounts = [Decimal(r["Amount"]) for r in rows]
    return rows, amounts, [a for a in amounts if a < 0]


def cli_figures(path, work_dir) -> dict:
    done = run(path, "--json", work_dir=work_dir)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.realdata
def test_json_totals_equal_an_independent_count_of_the_devon_ledger(real_data_dir, tmp_path):
    path = real_data_dir / "devon_spend_2024_09.csv"
    rows, amounts, negatives = independent_count(path, "utf-8-sig")
    figures = cli_figures(path, tmp_path)
    assert figures["rows_kept"] == len(rows) == 11113 and figures["rows_dropped"] == []
    assert Decimal(str(figures["total"])) == sum(amounts).quantize(Decimal("0.01"))
    assert figures["credit_notes"]["count"] == len(negatives) == 122
    assert Decimal(str(figures["credit_notes"]["total"])) == sum(negatives).quantize(Decimal("0.01"))
    assert figures["redacted"]["count"] == 682
    assert figures["suppliers"] == len({r["Supplier ID"] for r in rows})  # every row has a Supplier ID
    assert figures["period"] == {"start": "2024-09-02", "end": "2024-09-30"}


@pytest.mark.realdata
def test_json_totals_equal_an_independent_count_of_the_2014_cp1252_ledger(real_data_dir, tmp_path):
    path = real_data_dir / "devon_spend_2014_07_cp1252.csv"
    rows, amounts, negatives = independent_count(path, "cp1252")
    redacted = [a for r, a in zip(rows, amounts) if r["Supplier Name"].startswith("REDACTED")]
    figures = cli_figures(path, tmp_path)
    assert figures["rows_kept"] == len(rows) == 9459 and figures["rows_dropped"] == []
    assert Decimal(str(figures["total"])) == sum(amounts).quantize(Decimal("0.01"))
    assert figures["credit_notes"]["count"] == len(negatives) == 104
    assert Decimal(str(figures["credit_notes"]["total"])) == sum(negatives).quantize(Decimal("0.01"))
    assert figures["redacted"]["count"] == len(redacted) == 257
    assert Decimal(str(figures["redacted"]["total"])) == sum(redacted).quantize(Decimal("0.01"))
    assert figures["encoding"] in {"cp1252", "latin-1"} and figures["delimiter"] == ","
    assert figures["columns"]["amount"] == "Amount" and figures["columns"]["supplier"] == "Supplier Name"


@pytest.mark.realdata
def test_json_shares_are_null_with_a_reason_without_register_or_geography(real_data_dir, tmp_path):
    figures = cli_figures(real_data_dir / "devon_spend_2014_07_cp1252.csv", tmp_path)
    shares = figures["shares"]
    for key in ("local_share_city", "local_share_region", "sme_share", "social_economy_share"):
        assert shares[key]["value"] is None and shares[key]["unknown_share"] == 1.0, key
        assert shares[key]["reason"].startswith("no payment in this selection"), key
    assert "geography table" in shares["local_share_city"]["what_to_add"]
    assert shares["top10_share"]["value"] == pytest.approx(0.2923, abs=1e-4) and shares["top10_share"]["reason"] is None
    assert figures["total_dropped"] == 0.0 and figures["main_years"] == [2014]
    done = run(real_data_dir / "devon_spend_2014_07_cp1252.csv", work_dir=tmp_path)
    assert "share spent with SMEs: unknown: no payment" in done.stdout and " 0.0%" not in done.stdout


def test_json_shares_with_a_register_and_geography(tmp_path):
    ledger = tmp_path / "ledger.csv"
    ledger.write_text(
        "Date,Supplier,Supplier No,Postcode,Amount\n01/07/2024,Alpha SL,A1,28001,300.00\n"
        "02/07/2024,Beta SA,B1,41005,100.00\n",
        encoding="utf-8",
    )
    register = tmp_path / "register.csv"
    register.write_text(
        "supplier_id,name,vat_number,postcode,country,size_class,social_economy\n"
        "A1,Alpha SL,,28001,ES,small,false\nB1,Beta SA,,41005,ES,large,false\n",
        encoding="utf-8",
    )
    geography = tmp_path / "geography.csv"
    geography.write_text("postcode_prefix,place,level\n280,Madrid,city\n410,Sevilla,country\n", encoding="utf-8")
    done = run(
        ledger, "--json", "--register", register, "--geography", geography, "--home-country", "ES", work_dir=tmp_path
    )
    assert done.returncode == 0, done.stderr
    shares = json.loads(done.stdout)["shares"]
    assert shares["local_share_city"]["value"] == pytest.approx(0.75)  # 300 of 400
    assert shares["sme_share"]["value"] == pytest.approx(0.75)  # Alpha is small
    assert shares["social_economy_share"] == {"value": 0.0, "unknown_share": 0.0, "reason": None, "what_to_add": None}
