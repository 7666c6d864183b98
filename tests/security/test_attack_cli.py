"""The command line under attack (issue 11): data cannot drive the terminal, the same checks as the
widgets, and numbers that would overflow or invent digits are refused or reported."""

from __future__ import annotations

import json
import math

import pytest

from helpers.__main__ import main
from helpers.spend.ingest import read_ledger

ESCAPES = ["\x1b[31m", "\x1b[2J", "\x1b]0;pwned\x07", "\x9b1;1H", "\u202e", "\r"]


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def no_terminal_controls(text: str) -> None:
    assert not any(ch in text for ch in "\x1b\x9b\x07\u202e\r"), repr(text[:300])


def bids(tmp_path, body: str):
    path = tmp_path / "bids.csv"
    path.write_text("bidder,price,quality\n" + body, encoding="utf-8")
    return path


def test_evaluate_strips_escape_sequences_from_bidder_names(tmp_path, capsys):
    names = [f"Bidder{i}{esc}X" for i, esc in enumerate(ESCAPES)]
    path = bids(tmp_path, "".join(f'"{n}",{100 + i},50\n' for i, n in enumerate(names)))
    code, out, err = run(capsys, "evaluate", path, "--price-weight", 40)
    assert code == 0 and err == ""
    no_terminal_controls(out)
    assert "Bidder0X" in out and "Bidder2X" in out and "pwned" not in out  # the title-setting sequence is gone
    code, out, _ = run(capsys, "evaluate", path, "--price-weight", 40, "--json")
    no_terminal_controls(out)
    assert [r["bidder"] for r in json.loads(out)["ranking"]] == names  # JSON keeps the data, escaped


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("A,100,50\nA,120,60\n", "appears twice"),
        ("A,١٢٣,50\nB,120,60\n", "not a number"),
        ("A,1_000,50\nB,120,60\n", "not a number"),
        ("A,100,5_0\nB,120,60\n", "not a number"),
        ("A,infinity,50\nB,120,60\n", "not a number"),
        ("A,1e-320,50\nB,120,60\n", "a price must be a number above 0"),
    ],
)
def test_evaluate_applies_the_widget_checks(tmp_path, capsys, body, message):
    code, out, err = run(capsys, "evaluate", bids(tmp_path, body), "--price-weight", 40, "--formula", "log")
    assert code == 2 and out == "" and message in err and "Traceback" not in err


def test_log_formula_stays_finite_for_far_apart_prices(tmp_path, capsys):
    code, out, _ = run(
        capsys, "evaluate", bids(tmp_path, "A,0.01,50\nB,1e13,60\n"), "--price-weight", 40, "--formula", "log", "--json"
    )
    ranking = json.loads(out)["ranking"]
    assert code == 0 and all(math.isfinite(r["total"]) for r in ranking)
    assert ranking[0]["bidder"] == "A"


def test_errors_printed_by_the_cli_are_stripped_too(tmp_path, capsys):
    path = bids(tmp_path, "\x1b[2JEvil\x1b]0;t\x07,abc,50\n")
    code, out, err = run(capsys, "evaluate", path, "--price-weight", 40)
    assert code == 2 and "not a number" in err
    no_terminal_controls(err)


def test_check_returns_strips_escape_sequences(tmp_path, capsys):
    path = tmp_path / "returns.csv"
    path.write_text("contract_id,kpi_id,period,value\n\x1b[2JPV-C-\x1b]0;x\x07999,K1,2025-01,5\n", encoding="utf-8")
    code, out, err = run(capsys, "check-returns", path)
    assert code == 1 and "PV-C-999" in out
    no_terminal_controls(out + err)
    code, out, _ = run(capsys, "check-returns", path, "--json")
    no_terminal_controls(out)
    assert json.loads(out)["rows_with_problems"] == 1


def test_spend_summary_strips_escape_sequences(tmp_path, capsys):
    path = tmp_path / "ledger.csv"
    path.write_text(
        "Date,Supplier,Amount\n01/02/2025,\x1b]0;pwned\x07Evil\x1b[31m Ltd,100.00\n02/02/2025,\u202eB,50.00\n",
        encoding="utf-8",
    )
    code, out, err = run(capsys, "spend-summary", path)
    assert code == 0 and "Evil Ltd" in out
    no_terminal_controls(out + err)
    code, out, _ = run(capsys, "spend-summary", path, "--json")
    no_terminal_controls(out)
    assert json.loads(out)["total"] == 150.0


def test_huge_amounts_never_overflow_and_40_digits_are_never_rounded(tmp_path, capsys):
    path = tmp_path / "ledger.csv"
    forty = "1234567890123456789012345678901234567890"
    path.write_text(
        f"Date,Supplier,Amount\n01/02/2025,A,1e308\n01/02/2025,B,1e308\n01/02/2025,C,{forty}\n"
        "01/02/2025,D,1e400\n02/02/2025,E,0.10\n02/02/2025,E,0.20\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "spend-summary", path, "--json")
    figures = json.loads(out)
    assert code == 0 and figures["total"] == 0.3 and figures["rows_kept"] == 2  # exact, and finite
    assert [s["share"] for s in figures["top_suppliers"]] == [1.0]
    assert figures["rows_dropped"] == [{"reason": "amount is not a number", "count": 4, "amounts": None}]
    assert any("4 amount(s) are above 10,000,000,000,000 or not finite" in w for w in figures["warnings"])
    assert forty[:20] not in out.replace(forty, "")  # never shown as a rounded number


def test_placeholder_and_ancient_dates_never_abort_a_ledger(tmp_path):
    path = tmp_path / "ledger.csv"
    path.write_text(
        "Date,Supplier,Amount\n9999-12-31,A,10.00\n0001-01-01,B,20.00\n31/12/9999,C,30.00\n"
        "01/01/0001,D,40.00\n0000-00-00,E,50.00\n3000-06-01,F,60.00\n02/01/2025,G,70.00\n",
        encoding="utf-8",
    )
    report = read_ledger(path).report
    payments = read_ledger(path).payments
    assert report.rows_kept == 7 and report.total_after == 280.0  # nothing dropped for its date
    assert payments["date"].notna().sum() == 1 and str(payments["date"].dropna().iloc[0])[:10] == "2025-01-02"
    assert "2001" not in " ".join(map(str, payments["date"].dropna()))  # 01/01/0001 is not 2001
    warnings = " ".join(report.warnings)
    assert "5 date(s) are placeholders for 'no date' such as 9999-12-31" in warnings
    assert "1 date(s) are outside the years 1678-2261" in warnings and "line 7" in warnings
