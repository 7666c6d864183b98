"""Hand-made monitoring tables shared by the module 7 tests: every expected figure can be
checked with a pencil."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "kpi_returns"

EVIL = "=SUM(1+1) <script>x</script>"


def contracts_table() -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "contract_id": "C1",
                "tender_id": "T1",
                "city": "portavera",
                "title": "Park maintenance",
                "supplier_id": "S1",
                "supplier_name": "Acme Parks",
                "service_area": "Parks",
                "cpv_code": "77310000-6",
                "value_eur": 120000.0,
                "monthly_charge_eur": 10000.0,
                "start_date": "2025-01-01",
                "end_date": "2025-12-31",
                "contract_owner": "Ana Owner",
                "contract_manager": "Max Manager",
                "service_credit_pct": 3.0,
                "service_credit_cap_pct": 12.0,
            },
            {
                "contract_id": "C2",
                "tender_id": "T2",
                "city": "portavera",
                "title": "School meals",
                "supplier_id": "S2",
                "supplier_name": EVIL,
                "service_area": "Education",
                "cpv_code": "55523100-3",
                "value_eur": 24000.0,
                "monthly_charge_eur": 2000.0,
                "start_date": "2025-06-01",
                "end_date": "2026-05-31",
                "contract_owner": "Bea Owner",
                "contract_manager": "Cy Manager",
                "service_credit_pct": 5.0,
                "service_credit_cap_pct": 10.0,
            },
        ]
    )


def kpis_table() -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "contract_id": "C1",
                "kpi_id": "K1",
                "name": "Availability",
                "unit": "%",
                "target": 95.0,
                "direction": "higher",
                "tolerance_pct": 10.0,
            },  # amber down to 85.5
            {
                "contract_id": "C1",
                "kpi_id": "K2",
                "name": "Response time",
                "unit": "hours",
                "target": 4.0,
                "direction": "lower",
                "tolerance_pct": 25.0,
            },  # amber up to 5
            {
                "contract_id": "C2",
                "kpi_id": "K1",
                "name": "Meals on time",
                "unit": "%",
                "target": 90.0,
                "direction": "higher",
                "tolerance_pct": np.nan,
            },  # default 10 % -> amber down to 81
        ]
    )


def returns_table() -> pd.DataFrame:
    rows = [
        ("C1", "K1", "2025-01", 96),
        ("C1", "K1", "2025-02", 85.5),
        ("C1", "K1", "2025-03", 85.49),
        ("C1", "K1", "2025-04", 80),
        ("C1", "K1", "2025-05", 70),
        ("C1", "K1", "2025-06", 95),
        ("C1", "K1", "2025-07", 50),  # after as_of 2025-06
        ("C1", "K2", "2025-01", 4),
        ("C1", "K2", "2025-02", 5),
        ("C1", "K2", "2025-03", 5.01),
        ("C1", "K2", "2025-04", 6),
        ("C1", "K2", "2025-06", 3),  # 2025-05 missing
        ("C2", "K1", "2025-06", 80.99),
    ]
    return pd.DataFrame(rows, columns=["contract_id", "kpi_id", "period", "value"])


def commitments_table() -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"contract_id": "C1", "measure": "local_hires", "unit": "people", "committed_total": 12},
            {"contract_id": "C2", "measure": "apprenticeships", "unit": "people", "committed_total": 2},
        ]
    )


def delivery_table() -> pd.DataFrame:
    rows = [
        {"contract_id": "C1", "period": f"2025-0{m}", "measure": "local_hires", "delivered": 1.0} for m in range(1, 7)
    ]
    return pd.DataFrame(
        rows + [{"contract_id": "C2", "period": "2025-06", "measure": "apprenticeships", "delivered": 0.0}]
    )


def tables():
    return contracts_table(), kpis_table(), returns_table(), commitments_table(), delivery_table()


def sv_tables():
    contracts = pd.DataFrame(
        [
            {"contract_id": "S1", "start_date": "2025-01-01", "end_date": "2026-12-31"},
            {"contract_id": "S2", "start_date": "2026-01-01", "end_date": "2026-12-31"},
            {"contract_id": "S3", "start_date": "2024-01-01", "end_date": "2024-06-30"},
        ]
    )
    commitments = pd.DataFrame(
        [
            ("S1", "training_hours", "hours", 240),
            ("S1", "local_hires", "people", 8),
            ("S2", "local_hires", "people", 4),
            ("S3", "local_hires", "people", 6),
        ],
        columns=["contract_id", "measure", "unit", "committed_total"],
    )
    rows = [("S1", f"2025-{m:02d}", "training_hours", 10) for m in range(1, 10)]
    rows += [
        ("S1", "2025-10", "training_hours", 50),  # after as_of: not counted
        ("S1", "2025-02", "local_hires", 1),
        ("S1", "2025-07", "local_hires", 1),
        ("S3", "2024-03", "local_hires", 3),
        ("S3", "2024-06", "local_hires", 3),
    ]
    delivery = pd.DataFrame(rows, columns=["contract_id", "period", "measure", "delivered"])
    return commitments, delivery, contracts
