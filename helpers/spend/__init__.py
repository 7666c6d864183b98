"""Module 3, spend analysis: read a payment ledger, enrich it, compute indicators, the workbench.

`ingest.read_ledger` turns a messy finance-system export (CSV or XLSX) into one
clean table of payments plus a cleaning report; `mapping` guesses which column
holds the supplier, the amount, the date and so on; `enrich` places suppliers;
`indicators` computes the shares; `lm3` the Local Multiplier 3.
"""
from helpers.spend.enrich import GeographyLevels, place_payments
from helpers.spend.indicators import (compare_with_benchmarks, sector_by_location, top_300_lens, top_suppliers,
                                      year_on_year)
from helpers.spend.lm3 import lm3_from_analysis, lm3_scenario, northumberland_explainer
from helpers.spend.pipeline import analyse_city, list_analyses, load_analysis, load_analysis_meta
from helpers.spend.widgets.workbench import Workbench, data_quality_facts, headline_summary, spend_workbench

__all__ = ["GeographyLevels", "Workbench", "analyse_city", "compare_with_benchmarks", "data_quality_facts",
           "headline_summary", "list_analyses", "lm3_from_analysis", "lm3_scenario", "load_analysis",
           "load_analysis_meta", "northumberland_explainer", "place_payments", "sector_by_location",
           "spend_workbench", "top_300_lens", "top_suppliers", "year_on_year"]
