"""Module 7, contract management and monitoring: KPI returns rated green/amber/red,
service credits, social value against its pro-rata path, alerts, a portfolio
summary and one contract's view for the dashboard, the hand-over pack, the
monitoring report with its exports, and the returns-file check.

- `kpis`: months, contract states, `RagRules`, `rag_status`, `kpi_status`, `service_credits`
- `social_value`: `social_value_progress` (whole units stay whole), `social_value_path`, `social_value_table`
- `alerts`: `alerts` (plain names, ranked high → low), `alert_counts`, `alerts_shown`, `ALERT_NAMES`
- `dashboard`: `portfolio_summary` (with each contract's state: running, ended, not started), `contract_view`,
  `default_contract`, `period_options`, `rag_counts`
- `report`: `monitoring_report`, `export_monitoring_report`, `month_in_brief`, `credits_in_year`, `year_in_brief`
- `returns`: `read_kpi_returns` (its findings are `helpers.ui.messages.Issue`s)
- `own_data`: a learner's own `read_contracts`, `read_kpis`, `read_social_value` (CSV or XLSX, line by line)
- `monitoring_data`: `load_monitoring_data` (the course city's tables with any of the learner's files in
  their place; problems become `Issue`s, never a traceback), `MonitoringData`
- `gender_kpis`: gender-disaggregated returns (`gender_kpis`, `gender_kpi_table`, `gender_kpi_lines`,
  `gender_returns_example`, `gender_kpis_from` for the learner's own file): women's share and the pay
  gap, "unknown" where not reported, never 0
- `handover`: `ROLES`, `handover_checklist`, `review_dates`, `reprocurement_planning_date`
- `modification`: `Modification`, `check_modification`, `de_minimis_limit` ("may I change this contract?",
  Art. 72 of Directive 2014/24/EU); self-check `modification-de-minimis-limit`
- `widgets`: `monitoring_dashboard` (the dashboard tool), `build_dashboard`, `modification_checker`
- `plan`: the thread from criteria to monitoring: `monitoring_plan_from_criteria` (a learner's criteria draft of
  module 6 → their KPIs, targets, reporting months), `monitoring_results` (met / not met / unknown), the summary
  module 4 offers; widget `plan_from_criteria`
- `measure_checks`: the open social-value measure set (`measure_set`) and the checks on claims (double counting,
  additionality, unknown proxies): `check_claims`, `claims_value`
- `cli`: `python -m helpers check-returns`

Sourced and course-design constants live in `course/content/monitoring_*.yaml`.
"""

from helpers.monitoring.alerts import ALERT_NAMES, ALERT_SEVERITY, alert_counts, alerts, alerts_shown
from helpers.monitoring.dashboard import (
    DEFAULT_CONTRACT,
    contract_view,
    default_contract,
    filter_contracts,
    load_monitoring_tables,
    period_options,
    portfolio_summary,
    rag_counts,
)
from helpers.monitoring.gender_kpis import (
    gender_kpi_lines,
    gender_kpi_table,
    gender_kpis,
    gender_kpis_from,
    gender_measures,
    gender_returns_example,
)
from helpers.monitoring.handover import ROLES, handover_checklist, reprocurement_planning_date, review_dates
from helpers.monitoring.kpis import (
    RagRules,
    amber_limits,
    contract_states,
    expected_months,
    kpi_status,
    latest_month,
    month_label,
    month_number,
    overall_status,
    rag_status,
    rag_statuses,
    service_credits,
)
from helpers.monitoring.measure_checks import (
    additionality_issues,
    check_claims,
    claims_value,
    double_counting_issues,
    example_claims,
    measure_set,
    proxy_issues,
)
from helpers.monitoring.modification import Modification, ModificationAnswer, check_modification, de_minimis_limit
from helpers.monitoring.monitoring_data import COURSE_AS_OF, MonitoringData, load_monitoring_data
from helpers.monitoring.own_data import read_contracts, read_kpis, read_social_value
from helpers.monitoring.plan import (
    criteria_without_kpis,
    monitoring_plan_from_criteria,
    monitoring_results,
    reporting_months,
)
from helpers.monitoring.report import (
    credits_in_year,
    export_monitoring_report,
    monitoring_report,
    month_in_brief,
    red_kpis_for,
    service_credit_for,
    year_in_brief,
)
from helpers.monitoring.returns import read_kpi_returns
from helpers.monitoring.social_value import (
    SV_BEHIND_TOLERANCE_PCT,
    social_value_path,
    social_value_progress,
    social_value_table,
)
from helpers.monitoring.widgets.dashboard_views import credits_shown
from helpers.monitoring.widgets.modification_checker import modification_checker
from helpers.monitoring.widgets.monitoring_dashboard import build_dashboard, monitoring_dashboard
from helpers.monitoring.widgets.plan_from_criteria import plan_from_criteria
from helpers.ui.messages import Issue

__all__ = [
    "gender_kpi_lines",
    "gender_kpi_table",
    "gender_kpis",
    "gender_kpis_from",
    "gender_measures",
    "gender_returns_example",
    "ALERT_NAMES",
    "COURSE_AS_OF",
    "MonitoringData",
    "ALERT_SEVERITY",
    "DEFAULT_CONTRACT",
    "Issue",
    "Modification",
    "ModificationAnswer",
    "ROLES",
    "RagRules",
    "SV_BEHIND_TOLERANCE_PCT",
    "alert_counts",
    "alerts",
    "alerts_shown",
    "amber_limits",
    "build_dashboard",
    "check_modification",
    "contract_view",
    "credits_in_year",
    "de_minimis_limit",
    "contract_states",
    "credits_shown",
    "default_contract",
    "expected_months",
    "export_monitoring_report",
    "filter_contracts",
    "handover_checklist",
    "kpi_status",
    "latest_month",
    "load_monitoring_data",
    "load_monitoring_tables",
    "modification_checker",
    "monitoring_dashboard",
    "monitoring_report",
    "month_in_brief",
    "month_label",
    "month_number",
    "overall_status",
    "period_options",
    "portfolio_summary",
    "rag_counts",
    "rag_status",
    "rag_statuses",
    "read_contracts",
    "read_kpi_returns",
    "read_kpis",
    "read_social_value",
    "red_kpis_for",
    "reprocurement_planning_date",
    "review_dates",
    "service_credit_for",
    "service_credits",
    "social_value_path",
    "social_value_progress",
    "social_value_table",
    "year_in_brief",
    # the thread from criteria to monitoring, and the open measure set
    "additionality_issues",
    "check_claims",
    "claims_value",
    "criteria_without_kpis",
    "double_counting_issues",
    "example_claims",
    "measure_set",
    "monitoring_plan_from_criteria",
    "monitoring_results",
    "plan_from_criteria",
    "proxy_issues",
    "reporting_months",
]
