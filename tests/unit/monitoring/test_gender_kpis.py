"""Gender-disaggregated KPIs: women's share and the pay gap from a contract's returns by sex; a figure not
reported is "unknown", never 0; bad rows are Issues naming the line."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.monitoring import gender_kpi_lines, gender_kpi_table, gender_kpis, gender_returns_example


def test_the_playground_returns_are_disaggregated_by_sex():
    kpis, issues = gender_kpis(gender_returns_example())
    assert issues == []
    staff, hires, pay, training, users = (kpis.iloc[i] for i in range(5))
    assert staff["total"] == 36 and staff["value"] == pytest.approx(0.25)  # 9 women of 36
    assert hires["value"] == pytest.approx(3 / 8)
    assert pay["summary"] == "gender pay gap" and pay["value"] == pytest.approx(0.05)  # (16.00 - 15.20) / 16.00
    assert training["status"] == "partly reported" and pd.isna(training["value"]) and pd.isna(training["total"])
    assert users["status"] == "not reported" and pd.isna(users["value"])


def test_what_is_not_reported_is_shown_as_unknown_not_zero():
    kpis, _ = gender_kpis(gender_returns_example())
    table = gender_kpi_table(kpis)
    assert table["summary"].tolist() == [
        "women's share: 25.0%",
        "women's share: 37.5%",
        "gender pay gap: 5.0%",
        "women's share: unknown",
        "women's share: unknown",
    ]
    assert table.loc[3, "men"] == "unknown" and table.loc[4, "women"] == "unknown"
    lines = gender_kpi_lines(kpis)
    assert lines[3].startswith("PV-C-2025-017 2026-H1, Staff trained on gender equality: women's share unknown")
    assert "GEN-ANY-04" in lines[3] and "0.0%" not in " ".join(lines)


def test_zero_reported_is_a_real_zero_and_bad_rows_are_issues():
    returns = pd.DataFrame(
        {
            "contract_id": ["C1", "C1", "C1", "C1"],
            "period": ["2026-01"] * 4,
            "measure": ["hires", "hires", "parking", "staff"],
            "women": [0, "3,0", 1, -2],
            "men": [4, "x", 1, 5],
        }
    )
    kpis, issues = gender_kpis(returns, where="gender.csv")
    assert kpis["value"].tolist()[0] == 0.0  # no woman among 4 hires: a reported zero
    assert (
        pd.isna(kpis["value"].tolist()[1])
        and kpis.loc[1, "women"] == 3.0
        and kpis.loc[1, "status"] == "partly reported"
    )
    assert [(i.severity, i.line) for i in issues] == [("warning", 3), ("error", 4), ("warning", 5)]
    assert "'parking' is not a gender measure" in str(issues[1]) and str(issues[1]).startswith("gender.csv")


def test_returns_without_the_columns_are_one_clear_issue():
    kpis, issues = gender_kpis(pd.DataFrame({"contract_id": ["C1"], "value": [3]}))
    assert kpis.empty and len(issues) == 1 and "no period, measure, women, men column" in issues[0].message
    assert gender_kpi_lines(kpis)[0].startswith("No gender returns: every gender KPI is unknown")


def test_a_learners_own_gender_returns_file_is_read_with_its_lines(tmp_path):
    from helpers.monitoring import gender_kpis_from

    own = tmp_path / "gender.csv"
    own.write_bytes(
        "Contract;Period;Measure;Female;Male\n"  # Windows-1252, semicolons, European decimals
        "GR-001;2025;staff;12;28\n"
        "GR-001;2025;hourly_pay;17,10;18,00\n"
        "GR-001;2025;hires;;4\n"
        "GR-001;2025;volunteers;3;2\n".encode("cp1252")
    )
    kpis, issues, read = gender_kpis_from(str(own))
    assert read == "gender.csv: 4 row(s) read"
    values = dict(zip(kpis["measure"], kpis["value"], strict=True))
    assert round(values["Staff working on the contract"], 3) == 0.3  # 12 of 40
    assert round(values["Average gross hourly pay of staff on the contract"], 3) == 0.05  # (18.00 - 17.10) / 18.00
    assert kpis.loc[kpis["measure"] == "New hires for the contract", "value"].isna().all()  # unknown, never 0
    assert [str(i) for i in issues] == [
        "gender.csv, line 5: 'volunteers' is not a gender measure the course knows. Use one of: staff, hires, "
        "hourly_pay, training, users."
    ]


def test_an_unreadable_gender_returns_file_falls_back_to_the_example_and_says_so(tmp_path):
    from helpers.monitoring import gender_kpis_from

    kpis, issues, read = gender_kpis_from(str(tmp_path / "missing.csv"))
    assert read == "the example returns (your file could not be read)" and len(kpis) == 5
    assert str(issues[0]).startswith("missing.csv: this file does not exist")
