"""`python -m helpers health-check` on CSV files."""

from __future__ import annotations

import pandas as pd

from helpers.__main__ import main
from tests.unit.preprocurement.test_red_flags import tender


def test_health_check_cli_on_csv(tmp_path, capsys):
    tenders = pd.DataFrame([tender("A", days=10, n=1), tender("B", n=4)])
    bids = pd.DataFrame(
        {
            "tender_id": ["A"],
            "lot": [1],
            "bidder_id": ["x"],
            "bidder_name": ["=cmd"],
            "price_eur": [10.0],
            "quality_pct": [None],
            "status": ["valid"],
            "winner": ["true"],
        }
    )
    tenders.to_csv(tmp_path / "t.csv", index=False)
    bids.to_csv(tmp_path / "b.csv", index=False)
    assert main(["health-check", str(tmp_path / "t.csv"), str(tmp_path / "b.csv")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("2 tenders, 1 flagged.") and "- A: R003, R018, below_legal_minimum" in out
