"""Every stage's charts escape labels built from data: a bidder, supplier, KPI or category named
`<a href=…>` shows as text, never as a link, an image or a script (helpers.ui.theme.chart_label)."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.monitoring.dashboard import city_tables, contract_view, default_contract
from helpers.monitoring.widgets.dashboard_views import credits_figure, kpi_trend_figure, social_value_figure
from helpers.preprocurement.innovation import assess_innovation, playground_scores
from helpers.preprocurement.widgets.innovation_assessment import profile_figure
from helpers.spend.geography import GeographyLevels
from helpers.spend.widgets.workbench_figures import (
    geography_figure,
    sector_location_figure,
    top_suppliers_figure,
    year_on_year_figure,
)
from helpers.strategy.opportunity_matrix import MatrixThresholds
from helpers.strategy.widgets.opportunity_matrix_tool import matrix_figure
from helpers.tendering.criteria import CriteriaDraft, DraftItem
from helpers.tendering.evaluation import score_bids
from helpers.tendering.life_cycle_cost import life_cycle_costs
from helpers.tendering.widgets.criteria_views import weights_figure
from helpers.tendering.widgets.evaluation_views import scores_figure, sensitivity_figure
from helpers.tendering.widgets.life_cycle_costing import parts_figure, rates_figure
from helpers.ui.theme import chart_label
from tests.security.conftest import HOSTILE, raw_tags, strings_of


def assert_no_raw_html(figure) -> None:
    texts = strings_of(figure.to_plotly_json())
    found = {tag for text in texts for tag in raw_tags(text)}
    assert found == set(), f"unescaped tags {found} in the figure"
    assert any("&lt;a href" in t for t in texts), "the hostile label should be shown, escaped"


def test_chart_label_escapes_and_plotly_shows_the_text():
    assert chart_label('<a href="x">') == "&lt;a href=&#34;x&#34;&gt;"
    assert raw_tags(chart_label(HOSTILE)) == set()


def test_tendering_charts():
    bids = pd.DataFrame({"bidder": [HOSTILE, "B"], "price": [100.0, 120.0], "quality_pct": [60.0, 80.0]})
    assert_no_raw_html(scores_figure(score_bids(bids, 40), 40))
    assert_no_raw_html(sensitivity_figure(bids, "relative", 40))
    draft = CriteriaDraft(subject=HOSTILE, items=[DraftItem(title=HOSTILE, weight=60)])
    assert_no_raw_html(weights_figure(draft))
    lcc = pd.DataFrame({"bidder": [HOSTILE, "B"], "acquisition": [100.0, 120.0], "maintenance_per_year": [9.0, 5.0]})
    assert_no_raw_html(parts_figure(life_cycle_costs(lcc, 10, 4), 4))
    assert_no_raw_html(rates_figure(lcc, 10, 4, None))


def test_monitoring_charts():
    tables = city_tables("portavera")
    cid = default_contract(tables["contracts"])
    hostile_id = "C" + HOSTILE
    for table in tables.values():
        if "contract_id" in table:
            table["contract_id"] = table["contract_id"].astype("str").replace(cid, hostile_id)
    tables["kpis"]["name"] = HOSTILE
    tables["kpis"]["unit"] = HOSTILE
    for name in ("social_value_commitments", "social_value_delivery"):
        tables[name]["measure"] = tables[name]["measure"].astype("str").radd(HOSTILE)
    view = contract_view(
        hostile_id,
        tables["contracts"],
        tables["kpis"],
        tables["kpi_returns"],
        tables["social_value_commitments"],
        tables["social_value_delivery"],
        as_of=None,
    )
    assert len(view["kpi_trend"]) and len(view["social_value"])  # the charts below have data to label
    period = str(view["kpi_trend"]["period"].max()) if len(view["kpi_trend"]) else "2025-06"
    assert_no_raw_html(kpi_trend_figure(view, hostile_id, period))
    assert_no_raw_html(credits_figure(view, hostile_id))
    assert_no_raw_html(social_value_figure(view, hostile_id, period))


def test_spend_charts():
    levels = GeographyLevels((HOSTILE, "region", "country"))
    shares = pd.DataFrame({"level": [HOSTILE, "region"], "amount": [10.0, 5.0], "share": [2 / 3, 1 / 3]})
    assert_no_raw_html(geography_figure(shares, levels, "Where the money goes"))
    table = pd.DataFrame({"sector": [HOSTILE, "b"], "level": [HOSTILE, "region"], "amount": [10.0, 5.0]})
    assert_no_raw_html(sector_location_figure(table, levels, "Sectors"))
    top = pd.DataFrame({"supplier_group": [HOSTILE, "B"], "share": [0.6, 0.4]})
    assert_no_raw_html(top_suppliers_figure(top, "Top"))
    head = {"local_share_city": 0.1, "local_share_region": 0.2, "sme_share": 0.3}
    head |= {"social_economy_share": 0.0, "top10_share": 0.5}
    assert_no_raw_html(year_on_year_figure({HOSTILE: head}, "Years"))


def test_strategy_and_preprocurement_charts():
    thresholds = MatrixThresholds()
    matrix = pd.DataFrame(
        {
            "quadrant": ["keep"],
            "local_share": [0.5],
            thresholds.capacity: [3],
            "spend": [100.0],
            "spend_share": [1.0],
            "category": [HOSTILE],
            "name": [HOSTILE],
        }
    )
    assert_no_raw_html(matrix_figure(matrix, thresholds, "Matrix " + chart_label(HOSTILE)))
    assert_no_raw_html(profile_figure(assess_innovation(playground_scores(), name=HOSTILE)))


@pytest.mark.parametrize("label", ["<b>bold</b> & <i>x</i>", 'He said "hi"', "a<br>b"])
def test_even_harmless_markup_from_data_is_shown_as_text(label):
    assert raw_tags(chart_label(label)) == set() and "<" not in chart_label(label)
