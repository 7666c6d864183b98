"""Module 3, spend analysis: read a payment ledger, enrich it, compute indicators, the workbench.

Logic modules, in the order of an analysis:
- `ingest`: `read_ledger` turns a messy finance-system export (CSV or XLSX) into one clean
  table of payments plus a cleaning report; `parsing` reads its amounts and dates,
  `cleaning` finds the rows that are not payments and writes the report, `mapping` guesses
  which column holds the supplier, the amount, the date and so on;
- `enrich` gathers the enrichment steps: `suppliers` (name variants grouped), `register`
  (size and social economy), `geography` (where each supplier is), `sectors`;
  `reference_tables` reads a learner's own register and geography table;
- `indicators` computes the shares and concentration (`shares`: the one rule for a share the data
  cannot give: "unknown", why, and what to add, never 0%); `gender` the share of spend with women-led
  suppliers, over the suppliers whose status is known, with its coverage; `comparisons` year on year and against
  the benchmarks; `lm3` the Local Multiplier 3;
- `pipeline` runs it all on a course city or a learner's ledger, saves and exports analyses;
  `city_results` puts a course city's results in words (and registers the self-checks);
- `ledger_files`: a learner's files in my_data/, uploads, a quick preview of a file's columns.

The tool: `widgets/workbench.py` (`spend_workbench`) with its state, views, figures and
static view beside it. The command `python -m helpers spend-summary` is in `cli`.
"""

from helpers.spend.city_results import data_quality_facts, headline_summary
from helpers.spend.comparisons import benchmark_table, compare_with_benchmarks, year_on_year
from helpers.spend.gender import SupplierGenderShare, women_led_example, women_led_share, women_led_summary
from helpers.spend.geography import GeographyLevels, place_payments
from helpers.spend.indicators import local_spend_share, sector_by_location, top_300_lens, top_suppliers, total_spend
from helpers.spend.lm3 import (
    lm3_from_analysis,
    lm3_scenario,
    lm3_summary,
    local_multiplier_3,
    northumberland_explainer,
)
from helpers.spend.pipeline import (
    analyse_city,
    analyse_ledger,
    analysis_for,
    analysis_name_for,
    list_analyses,
    load_analysis,
    load_analysis_meta,
    main_year_payments,
    save_analysis,
    save_notebook_analysis,
    saved_headline,
)
from helpers.spend.sectors import grouping_column, sector_coverage
from helpers.spend.shares import Share, headline_shares
from helpers.spend.widgets.workbench import spend_workbench
from helpers.spend.widgets.workbench_state import Workbench

__all__ = [
    "GeographyLevels",
    "Share",
    "SupplierGenderShare",
    "Workbench",
    "analyse_city",
    "analyse_ledger",
    "analysis_for",
    "analysis_name_for",
    "benchmark_table",
    "compare_with_benchmarks",
    "data_quality_facts",
    "grouping_column",
    "headline_shares",
    "headline_summary",
    "list_analyses",
    "lm3_from_analysis",
    "lm3_scenario",
    "lm3_summary",
    "load_analysis",
    "load_analysis_meta",
    "local_multiplier_3",
    "local_spend_share",
    "main_year_payments",
    "northumberland_explainer",
    "place_payments",
    "save_analysis",
    "save_notebook_analysis",
    "saved_headline",
    "sector_coverage",
    "sector_by_location",
    "spend_workbench",
    "top_300_lens",
    "top_suppliers",
    "total_spend",
    "women_led_example",
    "women_led_share",
    "women_led_summary",
    "year_on_year",
]
