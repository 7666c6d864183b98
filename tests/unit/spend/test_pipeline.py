from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from helpers.core.errors import LearnerError
from helpers.spend import indicators
from helpers.spend.pipeline import (
    analyse_city,
    analyse_ledger,
    export_analysis,
    list_analyses,
    load_analysis,
    save_analysis,
    summary_report,
)
from helpers.ui.exports import to_markdown


@pytest.fixture(scope="module")
def portavera():
    return analyse_city("portavera", 2025)


def _plain_local_share(city: str, year: int) -> float:
    """Local share computed without the pipeline: the ledger read with pandas, joined to the register
    by supplier number, placed by the register's country and postcode prefix."""
    from helpers.data import ledger_path, load_table

    ledger = pd.read_csv(ledger_path(city, year), dtype=str)
    amount = ledger["Net Amount"].str.replace(",", "").astype(float)
    register = load_table("suppliers", city=city).set_index("supplier_id")
    geography = load_table("geography", city=city)
    city_prefixes = set(geography.loc[geography["level"] == "city", "postcode_prefix"].astype(str))
    postcode = ledger["Postcode"].fillna(ledger["Supplier No"].map(register["postcode"]))
    country = ledger["Supplier No"].map(register["country"])
    local = (country == "XM") & postcode.str[:3].isin(city_prefixes)
    return amount[local].sum() / amount.sum()


def test_city_analysis_matches_a_plain_pandas_computation(portavera):
    head = portavera.headline()
    assert head["lines"] == 54_999
    assert head["local_share_city"] == pytest.approx(_plain_local_share("portavera", 2025), abs=1e-9)
    assert 0.20 <= head["local_share_city"] <= 0.30  # the brief's plausible range for the course city
    assert head["unknown_location_share"] == 0.0  # missing ledger postcodes come from the register
    assert set(portavera.payments["year"].unique()) == {2025}


def test_tables_always_show_unknown_and_sum_to_one(portavera):
    tables = portavera.tables()
    assert tables["Geography"]["share"].sum() == pytest.approx(1.0)
    assert "unknown" in set(tables["Size class"]["size_class"])
    assert tables["Top suppliers"]["share"].iloc[0] == pytest.approx(
        indicators.top_suppliers(portavera.payments, 1)["share"].iloc[0]
    )


def test_ledger_without_register_or_geography_says_what_is_unknown(tmp_path):
    path = tmp_path / "tiny.csv"
    path.write_text(
        "Date,Supplier,Amount\n01/02/2025,Acme Ltd,100.00\n02/02/2025,ACME LIMITED,50.00\n03/02/2025,Beta SA,-25.00\n",
        encoding="utf-8",
    )
    steps = []
    analysis = analyse_ledger(path, use_saved_mapping=False, progress=lambda step, f: steps.append(f))
    head = analysis.headline()
    assert head["total"] == pytest.approx(125.0) and head["suppliers"] == 2
    assert head["unknown_location_share"] == pytest.approx(1.0)
    assert any("No supplier register" in n for n in analysis.notes)
    assert steps[0] == 0.0 and steps[-1] == 1.0 and steps == sorted(steps)


def test_save_and_load_an_own_analysis(work_dir, portavera):
    path = save_analysis(portavera, "My city 2025")
    assert path.parent == work_dir / "analyses"
    assert list_analyses() == ["My city 2025"]
    loaded = load_analysis("My city 2025")
    assert len(loaded) == 54_999
    assert loaded["amount"].sum() == pytest.approx(portavera.payments["amount"].sum())
    with pytest.raises(LearnerError, match="My city 2025"):
        load_analysis("Other")


def test_exports_escape_and_neutralise(work_dir, tmp_path):
    path = tmp_path / "xss.csv"
    path.write_text(
        "Date,Supplier,Amount\n01/02/2025,<img src=x onerror=alert(1)>,100.00\n"
        '02/02/2025,=HYPERLINK("http://x"),50.00\n',
        encoding="utf-8",
    )
    analysis = analyse_ledger(path, use_saved_mapping=False)
    xlsx, md, html = export_analysis(analysis, "xss test")
    assert "<img src=x" not in html.read_text() and "&lt;img src=x" in html.read_text()
    sheet = openpyxl.load_workbook(xlsx)["Top suppliers"]
    names = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert '\'=HYPERLINK("http://x")' in names
    assert "Where the money goes" in md.read_text()
    assert "Top 10 suppliers hold" in to_markdown(summary_report(analysis))


def test_saved_analysis_metadata(work_dir, portavera):
    from helpers.spend.pipeline import load_analysis_meta

    save_analysis(portavera, "Meta check")
    meta = load_analysis_meta("Meta check")
    assert meta["levels"] == ["city", "region", "country"] and meta["regional"] == "region"
    with pytest.raises(LearnerError, match="no saved analysis"):
        load_analysis_meta("missing")
