"""The spend-analysis workbench, driven from Python (no browser)."""

from __future__ import annotations

import datetime
from pathlib import Path

import pandas as pd
import pytest

from helpers.core.errors import LearnerError
from helpers.spend import indicators, ledger_files, pipeline
from helpers.spend.geography import DEFAULT_LEVELS, GeographyLevels
from helpers.spend.ingest import read_ledger
from helpers.spend.ledger_files import preview_ledger, save_upload
from helpers.spend.widgets.workbench import WorkbenchWidget
from helpers.spend.widgets.workbench_figures import geography_figure, sector_location_figure
from helpers.spend.widgets.workbench_state import Workbench
from helpers.spend.widgets.workbench_static import static_workbench
from tests.unit.download_checks import (
    assert_binder_offer,
    assert_links,
    assert_local_links_only,
    not_on_binder,
    on_binder,
)

LEDGERS = Path(__file__).resolve().parents[2] / "fixtures" / "ledgers"
VARIANTS = LEDGERS / "workbench_variants.csv"
XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture()
def variants(work_dir) -> Workbench:
    wb = Workbench()
    preview = wb.load_file(VARIANTS)
    wb.confirm_mapping(preview.proposed)
    return wb


def test_course_city_filters_give_the_indicators_of_the_filtered_payments(work_dir):
    wb = Workbench()
    head = wb.load_shipped("portavera", 2025)
    expected = pipeline.analyse_city("portavera", 2025).headline()
    assert head["total"] == pytest.approx(expected["total"])
    assert head["local_share_city"] == pytest.approx(expected["local_share_city"])
    assert wb.filter_options()["year"] == ["all", "2024", "2025"]

    filtered = wb.set_filters(service_area="Social Care", level="city")
    p = wb.payments
    chosen = p[(p["year"] == 2025) & (p["service_area"] == "Social Care") & (p["level"] == "city")]
    direct = indicators.headline_indicators(chosen)
    for key in ("total", "local_share_city", "sme_share", "social_economy_share", "top10_share", "hhi", "lines"):
        assert filtered[key] == pytest.approx(direct[key]), key
    assert filtered["local_share_city"] == pytest.approx(1.0)  # only city suppliers are left
    assert filtered["total"] < head["total"]

    wb.set_filters(level="all", year="2024", service_area=None)
    assert wb.headline()["total"] == pytest.approx(pipeline.analyse_city("portavera", 2024).headline()["total"])
    wb.set_filters(service_area="Social Care")
    text = wb.headline_text()
    assert "year 2024, service area Social Care" in text
    social_2024 = indicators.headline_indicators(p[(p["year"] == 2024) & (p["service_area"] == "Social Care")])
    assert f"Share spent with SMEs: {social_2024['sme_share']:.1%}" in text


def test_bad_filter_is_a_plain_message(work_dir):
    wb = Workbench()
    wb.load_shipped("portavera", 2025)
    with pytest.raises(LearnerError, match="not a value of service_area"):
        wb.set_filters(service_area="Space Programme")


def test_own_ledger_hand_computed_figures_and_split_off(variants):
    head = variants.headline()
    assert head["total"] == pytest.approx(4500.0)  # 1000+500+2000+250+300+100-50+400
    assert head["credit_notes"] == pytest.approx(-50.0)
    assert head["unknown_location_share"] == pytest.approx(1.0)  # no geography table: all unknown
    assert variants.set_filters(service_area="Housing")["total"] == pytest.approx(1950.0)
    variants.set_filters(service_area="all")
    assert variants.group_count() == 4  # Delta, Omega, the <img> name, Sigma
    assert len(variants.variant_groups()) == 3
    assert variants.split_off("DELTA SERVICIOS SL") == 5
    assert len(variants.variant_groups()) == 2
    assert variants.headline()["suppliers"] == 5  # the cube was rebuilt
    assert variants.clear_overrides() == 4
    with pytest.raises(LearnerError, match="no payment is made"):
        variants.split_off("Nobody Ltd")


def test_mapping_is_saved_and_proposed_again_for_the_same_shape(variants):
    preview = preview_ledger(VARIANTS)
    assert preview.saved == {
        "supplier": "Supplier Name",
        "amount": "Net Amount",
        "date": "Payment Date",
        "category": "Expense Type",
        "service_area": "Department",
    }
    assert variants.mapping_saved_to.parent.name == "mappings"


def test_preview_columns_match_the_full_reader_on_every_fixture(work_dir):
    for path in sorted(LEDGERS.iterdir()):
        preview = preview_ledger(path)
        if "amount" not in preview.guess.mapping:
            continue
        result = read_ledger(path, preview.guess.mapping, use_saved_mapping=False)
        assert result.report.columns["amount"] == preview.guess.mapping["amount"], path.name


def test_what_if_moves_non_local_spend_and_raises_lm3(work_dir):
    wb = Workbench()
    wb.load_shipped("portavera", 2025)
    none = wb.what_if(0, 0.4)
    assert none["share_after"] == pytest.approx(none["share_before"])
    ten = wb.what_if(10, 0.4)
    assert ten["share_after"] > ten["share_before"]
    assert ten["lm3_after"] == pytest.approx(1 + ten["share_after"] * 1.4)  # (1 + s + 0.4 s) / 1
    assert f"{ten['share_after']:.1%}" in ten["sentence"]


def test_widget_upload_with_script_names_shows_text_only(work_dir):
    ww = WorkbenchWidget("portavera", 2025)
    content = VARIANTS.read_bytes()
    ww.upload.value = (
        {
            "name": "my ledger.csv",
            "type": "text/csv",
            "size": len(content),
            "content": memoryview(content),
            "last_modified": datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC),
        },
    )
    copy = work_dir / "uploads" / "my_ledger.csv"
    assert copy.read_bytes() == content  # the upload, copied under my_work
    assert ww.mapping_controls["amount"].value == "Net Amount"
    ww.confirm_button.click()
    assert "Problem" not in ww.message.value
    assert "&lt;img src=x onerror=alert(1)&gt;" in ww.groups_table.value
    assert "<img" not in ww.groups_table.value.lower()
    assert "<img" not in ww.headline.value.lower() and "<img" not in ww.cleaning.value.lower()
    labels = list(ww.charts["top"].data[0].y)
    assert "&lt;IMG SRC=X ONERROR=ALERT(1)&gt;" in labels or "&lt;img src=x onerror=alert(1)&gt;" in labels
    assert "EUR" not in ww.headline.value and "4,500.00" in ww.headline.value
    assert "unknown" in ww.source_note.value  # no register: said plainly

    ww.filter_controls["service_area"].value = "Housing"
    assert "1,950.00" in ww.headline.value
    assert "Housing" in ww.charts["geography"].layout.title.text

    ww.variant.value = "DELTA SERVICIOS SL"
    ww.split_button.click()
    assert "5 supplier groups" in ww.groups_table.value


def test_widget_missing_amount_column_is_one_plain_message(work_dir):
    ww = WorkbenchWidget("portavera", 2025)
    ww.load_path(LEDGERS / "no_amount_column.csv")
    assert "choose it in the mapping" in ww.message.value
    ww.confirm_button.click()  # guarded: a message, never a traceback
    assert "Problem" in ww.message.value and "choose it in the mapping" in ww.message.value
    assert "Traceback" not in ww.message.value


def test_widget_filter_updates_headline_chart_and_exports(work_dir):
    ww = WorkbenchWidget("valmora", 2024)
    before = ww.headline.value
    ww.filter_controls["level"].value = "city"
    assert ww.headline.value != before and "Supplier location" not in before
    assert "level city" in ww.charts["top"].layout.title.text
    paths = ww.export()
    assert [p.suffix for p in paths] == [".xlsx", ".md", ".html"] and all(p.is_file() for p in paths)
    assert str(paths[0]) in ww.export_message.value
    ww.save_name.value = "Valmora city suppliers"
    ww.save_button.click()
    assert "Valmora city suppliers" in pipeline.list_analyses()
    saved = pipeline.load_analysis("Valmora city suppliers")
    # a saved or exported analysis is the whole chosen year (module 4 needs every location)
    assert set(saved["year"]) == {2024} and {"city", "region"} <= set(saved["level"])
    assert len(saved) == pipeline.analyse_city("valmora", 2024).headline()["lines"]


def test_save_without_name_and_bad_upload_are_plain_messages(work_dir):
    ww = WorkbenchWidget("portavera", 2025)
    ww.save_button.click()
    assert "needs a name" in ww.message.value
    with pytest.raises(LearnerError, match="not a ledger file"):
        save_upload("notes.pdf", b"%PDF")


def test_static_view_has_scope_headline_geography_and_top_suppliers():
    scope, table, figure, top = static_workbench("valmora", 2024)
    head = pipeline.analyse_city("valmora", 2024).headline()
    assert "Valmora: year 2024" in scope.data
    assert (
        table.set_index("indicator").loc["Share spent with suppliers in the city", "year 2024"]
        == f"{head['local_share_city']:.1%}"
    )
    assert "Where the money goes" in figure.layout.title.text
    assert len(top) == 10 and isinstance(top, pd.DataFrame)


# ---------------------------------------------------------------- a learner's own geography levels (Pamplona)

PAMPLONA_LEDGER = """Payment Date,Supplier Name,Supplier No,Postcode,Net Amount,Department,Expense Type
03/02/2025,Pamplona Obras S.L.,S1,31001,800.00,Works,Repairs
04/02/2025,Comarca Limpiezas S.L.,S2,,400.00,Works,Cleaning
05/02/2025,Navarra Reparaciones S.A.,S3,31200,300.00,Works,Repairs
06/02/2025,Madrid Consultores S.L.,S4,28001,250.00,Education,Consulting
07/02/2025,Bayonne Services SARL,S5,64100,150.00,Education,Consulting
08/02/2025,Sin Datos,,,100.00,Education,Books
"""
PAMPLONA_REGISTER = """supplier_id,name,vat_number,postcode,country,size_class,social_economy
S1,Pamplona Obras S.L.,,31001,ES,small,false
S2,Comarca Limpiezas S.L.,,31190,ES,micro,true
S3,Navarra Reparaciones S.A.,,31200,ES,medium,false
S4,Madrid Consultores S.L.,,28001,ES,large,false
S5,Bayonne Services SARL,,64100,FR,small,false
"""
# listed nearest first, as a learner would write it (Pamplona's four levels, brief §2.4)
PAMPLONA_GEOGRAPHY = """postcode_prefix,place,level
310,Pamplona,city
311,Cuenca de Pamplona,metropolitan
312,Navarra,regional
28,Madrid,national
"""


@pytest.fixture()
def pamplona_files(tmp_path, monkeypatch, work_dir) -> dict[str, Path]:
    """A tiny ledger, register and four-level geography table in a private my_data/ folder."""
    folder = tmp_path / "my_data"
    folder.mkdir()
    files = {
        "ledger": folder / "pamplona_2025.csv",
        "register": folder / "pamplona_register.csv",
        "geography": folder / "pamplona_geography.csv",
    }
    for key, text in (("ledger", PAMPLONA_LEDGER), ("register", PAMPLONA_REGISTER), ("geography", PAMPLONA_GEOGRAPHY)):
        files[key].write_text(text, encoding="utf-8")
    monkeypatch.setattr(ledger_files, "my_data_dir", lambda: folder)
    return files


def test_own_geography_levels_flow_through_the_analysis(pamplona_files):
    wb = Workbench()
    wb.use_register(pamplona_files["register"])
    wb.use_geography(pamplona_files["geography"], "es")
    head = wb.confirm_mapping(wb.load_file(pamplona_files["ledger"]).proposed)
    # S2 has no ledger postcode: the register's 31190 makes it metropolitan; S5 is in FR: abroad
    table = wb.geography_table()
    assert table["level"].tolist() == ["city", "metropolitan", "regional", "national", "abroad", "unknown"]
    assert table["amount"].tolist() == [800.0, 400.0, 300.0, 250.0, 150.0, 100.0]
    assert head["local_share_city"] == pytest.approx(800 / 2000)  # 0.40
    assert head["local_share_region"] == pytest.approx((800 + 400) / 2000)  # default: up to metropolitan
    assert wb.set_levels(regional="regional")["local_share_region"] == pytest.approx(1500 / 2000)
    assert wb.set_filters(level="metropolitan")["total"] == pytest.approx(400.0)  # the cube knows the levels
    wb.set_filters(level="all")
    # what-if: 10% of the regional repairs firm's 300 moves to the city (Repairs has a city supplier)
    assert wb.what_if(10, 0.4)["share_after"] == pytest.approx((800 + 30) / 2000)
    wb.set_levels(local="metropolitan")
    assert wb.headline()["local_share_city"] == pytest.approx(1200 / 2000)
    assert wb.what_if(10, 0.4)["share_after"] == pytest.approx((1200 + 30) / 2000)
    assert wb.analysis().headline()["local_share_region"] == pytest.approx(0.75)
    wb.save_for_module4("Pamplona test")
    meta = pipeline.load_analysis_meta("Pamplona test")
    assert meta["levels"] == ["city", "metropolitan", "regional", "national"]
    assert (meta["local"], meta["regional"]) == ("metropolitan", "regional")
    with pytest.raises(LearnerError, match="cannot be nearer"):
        wb.set_levels(local="national", regional="regional")
    with pytest.raises(LearnerError, match="not one of"):
        wb.set_levels(regional="region")
    # a course city keeps the default levels
    wb.load_shipped("valmora", 2024)
    assert wb.levels == DEFAULT_LEVELS


def test_widget_levels_dropdowns_rerun_the_headline(pamplona_files):
    ww = WorkbenchWidget("portavera", 2025)
    assert list(ww.region_level.options) == ["city", "region", "country"]
    ww._fill_file_lists()
    ww.register_pick.value = str(pamplona_files["register"])
    ww.geography.value = str(pamplona_files["geography"])
    ww.home_country.value = "ES"
    ww.load_path(pamplona_files["ledger"])
    ww.confirm_button.click()
    assert "Problem" not in ww.message.value
    assert "city → metropolitan → regional → national → abroad → unknown" in ww.levels_note.value
    assert list(ww.local_level.options) == ["city", "metropolitan", "regional", "national"]
    assert (ww.local_level.value, ww.region_level.value) == ("city", "metropolitan")
    assert list(ww.charts["geography"].data[0].x) == [
        "city",
        "metropolitan",
        "regional",
        "national",
        "abroad",
        "unknown",
    ]
    assert "40.0%" in ww.headline.value and "60.0%" in ww.headline.value
    ww.region_level.value = "regional"
    assert ww.wb.headline()["local_share_region"] == pytest.approx(0.75)
    assert "75.0%" in ww.headline.value and "60.0%" not in ww.headline.value
    assert list(ww.charts["years"].data[0].y)[1] == pytest.approx(75.0)  # the charts were redrawn too
    ww.region_level.value = "city"
    ww.local_level.value = "regional"  # wider region nearer than the city: a plain message
    assert "cannot be nearer" in ww.message.value
    assert (ww.local_level.value, ww.region_level.value) == ("city", "city")
    ww.load_button.click()  # back to the course city: default levels
    assert list(ww.local_level.options) == ["city", "region", "country"]


def test_level_names_from_a_file_reach_the_charts_escaped():
    levels = GeographyLevels(("city", XSS))
    shares = pd.DataFrame({"level": ["city", XSS], "amount": [1.0, 3.0], "share": [0.25, 0.75]})
    fig = geography_figure(shares, levels, "t")
    assert "&lt;img src=x onerror=alert(1)&gt;" in list(fig.data[0].x)
    assert not any("<img" in str(x) for x in fig.data[0].x)
    table = pd.DataFrame({"sector": ["45 Works"] * 2, "level": ["city", XSS], "amount": [1.0, 3.0]})
    sector = sector_location_figure(table, levels, "t")
    assert all("<img" not in trace.name and "<img" not in trace.hovertemplate for trace in sector.data)


def test_exports_and_the_saved_analysis_get_download_links(work_dir, monkeypatch):
    not_on_binder(monkeypatch)
    ww = WorkbenchWidget("valmora", 2024)
    assert ww.export_downloads.outputs == ()
    paths = ww.export()
    assert [p.suffix for p in paths] == [".xlsx", ".md", ".html"]
    assert_local_links_only(ww.export_downloads, paths)
    ww.save_name.value = "Valmora <b>2024</b> & co"
    ww.save_button.click()
    csv = work_dir / "analyses" / "Valmora _b_2024__b_ _ co.csv"
    assert csv.is_file() and "Valmora <b>2024</b> & co" in pipeline.list_analyses()
    assert_local_links_only(ww.export_downloads, [csv])  # the learner's name reaches the link cleaned
    ww.save_button.click()  # the same name again: asks before replacing, and no stale link stays
    assert "saved already" in ww.message.value and ww.export_downloads.outputs == ()
    on_binder(monkeypatch)
    ww.summary_button.click()
    assert_links(ww.export_downloads, paths)
    assert_binder_offer(ww.export_downloads, work_dir)
