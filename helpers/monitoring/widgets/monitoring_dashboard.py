"""The contract-management dashboard (module 7): a thin widget layer over `dashboard`,
`kpis`, `social_value`, `returns` and `handover`.

`monitoring_dashboard(city, as_of)` shows, for one city:
- filters (service area, supplier, the month looked at) and the RAG summary for that month
  as chips, the portfolio table and the alerts;
- one contract (a drop-down): its KPI trend against the target with the amber band shaded,
  its service credits and its social value against the pro-rata path;
- an upload (or a file from my_data/) of KPI returns, checked line by line; the usable rows
  can replace the shipped returns in the dashboard (the file itself is only read);
- exports of the monitoring report (XLSX, Markdown, HTML) and the contract's hand-over
  checklist (DOCX, Markdown) into my_work/exports.

Headless (papermill) it shows the RAG chips, the portfolio table and the default contract's
KPI chart. `MonitoringDashboard` holds the live widgets, so tests can drive it from Python.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import ipywidgets as w
import pandas as pd
import plotly.graph_objects as go
from IPython.display import HTML, display

from helpers.core.errors import LearnerError
from helpers.core.paths import exports_dir, my_data_dir
from helpers.core.safety import escape_html
from helpers.data import load_table
from helpers.monitoring.dashboard import (
    TABLE_NAMES,
    city_tables,
    contract_view,
    default_contract,
    filter_contracts,
    period_options,
    portfolio_summary,
    rag_counts,
    social_value_table,
)
from helpers.monitoring.dashboard import alerts as find_alerts
from helpers.monitoring.handover import handover_checklist
from helpers.monitoring.kpis import RETURN_COLUMNS, latest_month, month_label, month_number
from helpers.monitoring.report import export_monitoring_report
from helpers.monitoring.returns import read_kpi_returns
from helpers.monitoring.widgets.dashboard_views import (
    credits_figure,
    kpi_trend_figure,
    rag_chips_html,
    returns_check_html,
    social_value_figure,
)
from helpers.ui.display import message_html, show_tool
from helpers.ui.exports import html_table, save_report
from helpers.ui.messages import Issue
from helpers.ui.tool import Tool, heading

ALL = "(all)"
PORTFOLIO_COLUMNS = {
    "contract_id": "contract",
    "title": "title",
    "supplier": "supplier",
    "service_area": "service area",
    "green": "green",
    "amber": "amber",
    "red": "red",
    "missing": "missing",
    "latest_status": "status",
    "credits_to_date_eur": "credits to date (EUR)",
    "alerts": "alerts",
}


class MonitoringDashboard(Tool):
    """The live dashboard. `widget()` is the box to display; the controls are attributes so a
    test can set `period.value` or `contract.value` and read `rag_summary.value`."""

    css_class = "spw-monitoring"

    def __init__(
        self,
        city: str = "portavera",
        as_of=None,
        contract_id: str | None = None,
        tables: dict[str, pd.DataFrame] | None = None,
    ) -> None:
        super().__init__()
        self.city = city
        self.tables = dict(tables) if tables is not None else city_tables(city)
        self.shipped_returns = self.tables["kpi_returns"]
        self.returns = self.shipped_returns
        self.returns_source = "the course data (kpi_returns.csv)"
        contracts = self.tables["contracts"]
        self.periods = period_options(contracts, self.returns)
        start = month_label(month_number(as_of)) if as_of is not None else self.periods[-1]
        if start not in self.periods:
            self.periods = period_options(contracts, self.returns, until=max(start, self.periods[-1]))
        self.figures: dict[str, go.Figure] = {}
        self._filling = False
        self._controls(contracts, start)
        self._fill_my_data()
        self._fill_contracts(contract_id)
        self._observe()
        self.box = self._layout()
        self.guard(self.refresh)()

    def _controls(self, contracts: pd.DataFrame, start: str) -> None:
        layout = w.Layout(width="auto")
        areas = sorted(contracts["service_area"].astype("str").unique())
        suppliers = sorted(contracts["supplier_name"].astype("str").unique())
        self.service_area = w.Dropdown(
            options=[ALL] + areas,
            value=ALL,
            description="Service area",
            style={"description_width": "initial"},
            layout=layout,
        )
        self.supplier = w.Dropdown(
            options=[ALL] + suppliers,
            value=ALL,
            description="Supplier",
            style={"description_width": "initial"},
            layout=layout,
        )
        self.period = w.Dropdown(
            options=self.periods, value=start, description="Month (as of)", style={"description_width": "initial"}
        )
        self.service_area.add_class("spw-service-area")
        self.supplier.add_class("spw-supplier")
        self.period.add_class("spw-period")
        self.rag_summary = w.HTML()
        self.portfolio = w.HTML()
        self.alerts = w.HTML()
        self.contract = w.Dropdown(
            description="Contract", style={"description_width": "initial"}, layout=w.Layout(width="640px")
        )
        self.contract.add_class("spw-contract")
        self.kpi_chart, self.credit_chart, self.sv_chart = w.Output(), w.Output(), w.Output()
        self.kpi_chart.add_class("spw-kpi-chart")
        self.contract_tables = w.HTML()
        self.upload = w.FileUpload(
            accept=".csv,.xlsx", multiple=False, description="Upload KPI returns", layout=w.Layout(width="220px")
        )
        self.upload.add_class("spw-upload")
        self.my_data_file = w.Dropdown(description="or from my_data/", style={"description_width": "initial"})
        self.check_my_data = w.Button(description="Check this file", icon="check")
        self.use_shipped = w.Button(description="Use the course returns again", disabled=True)
        self.issues = w.HTML()
        self.returns_note = w.HTML()
        self.export_report = w.Button(
            description="Export monitoring report", icon="download", layout=w.Layout(width="auto")
        )
        self.export_handover = w.Button(
            description="Export hand-over checklist", icon="download", layout=w.Layout(width="auto")
        )
        self.export_message = w.HTML()
        self.export_message.add_class("spw-export-message")

    def _observe(self) -> None:
        for control in (self.service_area, self.supplier, self.period):
            control.observe(self.guard(lambda change: self.refresh()), names="value")
        self.contract.observe(
            self.guard(lambda change: None if self._filling else self.refresh_contract()), names="value"
        )
        self.upload.observe(self.guard(lambda change: self._on_upload()), names="value")
        self.check_my_data.on_click(self.guard(lambda _: self._on_my_data()))
        self.use_shipped.on_click(self.guard(lambda _: self.use_returns(None)))
        self.export_report.on_click(self.guard(lambda _: self.export_monitoring()))
        self.export_handover.on_click(self.guard(lambda _: self.export_handover_pack()))

    def _layout(self) -> w.VBox:
        h = heading
        box = w.VBox(
            [
                self.message,
                w.HBox([self.service_area, self.supplier, self.period]),
                h("Portfolio"),
                self.rag_summary,
                self.portfolio,
                h("Alerts"),
                self.alerts,
                h("One contract"),
                self.contract,
                self.kpi_chart,
                self.credit_chart,
                self.sv_chart,
                self.contract_tables,
                h("KPI returns: upload a file to check it"),
                w.HBox([self.upload, self.my_data_file, self.check_my_data]),
                self.issues,
                w.HBox([self.returns_note, self.use_shipped]),
                h("Exports"),
                w.HBox([self.export_report, self.export_handover]),
                self.export_message,
            ]
        )
        box.add_class(self.css_class)
        return box

    def widget(self) -> w.VBox:
        return self.box

    def static_view(self) -> list:
        return static_dashboard(self.city, self.period.value, self.contract.value)

    # ------------------------------------------------------------ state

    def _args(self) -> tuple[pd.DataFrame, ...]:
        t = self.tables
        return (t["contracts"], t["kpis"], self.returns, t["social_value_commitments"], t["social_value_delivery"])

    def _filters(self) -> dict:
        return {
            "service_area": None if self.service_area.value == ALL else self.service_area.value,
            "supplier": None if self.supplier.value == ALL else self.supplier.value,
        }

    def _fill_contracts(self, wanted: str | None = None) -> None:
        chosen = filter_contracts(self.tables["contracts"], **self._filters()).sort_values("contract_id")
        options = [(f"{c.contract_id}: {c.title} ({c.supplier_name})", c.contract_id) for c in chosen.itertuples()]
        ids = [value for _, value in options]
        keep = wanted or self.contract.value
        if keep not in ids:
            keep = default_contract(chosen) if ids else None
        self._filling = True  # the contract observer waits until options and value agree
        try:
            self.contract.options = options
            self.contract.value = keep
        finally:
            self._filling = False

    def _fill_my_data(self) -> None:
        folder = my_data_dir()
        files = sorted(p for p in folder.rglob("*") if p.suffix.lower() in (".csv", ".xlsx")) if folder.is_dir() else []
        if files:
            self.my_data_file.options = [(str(p.relative_to(folder)), str(p)) for p in files]
        else:
            self.my_data_file.options = [("(no .csv or .xlsx file in my_data/)", "")]
        self.check_my_data.disabled = not files

    # ------------------------------------------------------------ views

    def summary(self) -> pd.DataFrame:
        """The portfolio summary for the chosen filters and month."""
        return portfolio_summary(*self._args(), as_of=self.period.value, **self._filters())

    def refresh(self) -> None:
        """Recompute the portfolio view for the filters and month, then the contract view."""
        self.report("")
        summary = self.summary()
        self.rag_summary.value = rag_chips_html(rag_counts(summary), self.period.value, len(summary))
        shown = summary[list(PORTFOLIO_COLUMNS)].rename(columns=PORTFOLIO_COLUMNS)
        self.portfolio.value = f'<div class="spw-portfolio">{html_table(shown)}</div>'
        t = self.tables
        chosen = filter_contracts(t["contracts"], **self._filters())
        found = find_alerts(
            chosen,
            t["kpis"],
            self.returns,
            t["social_value_commitments"],
            t["social_value_delivery"],
            self.period.value,
        )
        self.alerts.value = (
            f'<div class="spw-alerts">{len(found)} alert(s) on {escape_html(self.period.value)}'
            f"{html_table(found[['severity', 'contract_id', 'kind', 'message']])}</div>"
            if len(found)
            else '<div class="spw-alerts">No alerts.</div>'
        )
        self._fill_contracts()
        self.refresh_contract()

    def view(self) -> dict[str, pd.DataFrame] | None:
        """The chosen contract's tables as of the chosen month (None when no contract is selected)."""
        if self.contract.value is None:
            return None
        return contract_view(self.contract.value, *self._args(), as_of=self.period.value)

    def refresh_contract(self) -> None:
        """Redraw the chosen contract's charts and tables."""
        view, cid, period = self.view(), self.contract.value, self.period.value
        for out in (self.kpi_chart, self.credit_chart, self.sv_chart):
            out.clear_output(wait=True)
        self.figures = {}
        if view is None:
            self.contract_tables.value = message_html("No contract matches these filters.", "info")
            return
        self.figures = {
            "kpi": kpi_trend_figure(view, cid, period),
            "credits": credits_figure(view, cid),
            "social_value": social_value_figure(view, cid, period),
        }
        for out, key in ((self.kpi_chart, "kpi"), (self.credit_chart, "credits"), (self.sv_chart, "social_value")):
            with out:
                display(self.figures[key])
        credits = view["credits"]
        red_months = credits[credits["red_kpis"] > 0]
        self.contract_tables.value = (
            '<div class="spw-contract-tables"><b>Months with a service credit</b>'
            + (html_table(red_months) if len(red_months) else " none by " + escape_html(period))
            + "<br><b>Social value</b>"
            + html_table(social_value_table(view))
            + "</div>"
        )

    # ------------------------------------------------------------ returns files

    def check_file(self, path, shown_name: str | None = None) -> tuple[pd.DataFrame, list[Issue]]:
        """Check a returns file against this city's contracts; show the issues; use the good rows if any."""
        good, issues = read_kpi_returns(path, self.tables["contracts"], self.tables["kpis"])
        name = shown_name or Path(path).name
        self.issues.value = returns_check_html(issues, name, len(good))
        if len(good):
            self.use_returns(good[RETURN_COLUMNS], f"{name} ({len(good)} usable rows)")
        else:
            self.returns_note.value = message_html(
                "No usable rows in this file, so the dashboard keeps the returns it had.", "warning"
            )
        return good, issues

    def use_returns(self, returns: pd.DataFrame | None, label: str = "") -> None:
        """Use `returns` in the dashboard (None = the shipped returns again) and redraw."""
        if returns is None:
            self.returns, self.returns_source = self.shipped_returns, "the course data (kpi_returns.csv)"
        else:
            self.returns, self.returns_source = returns, label
        self.use_shipped.disabled = returns is None
        self.returns_note.value = message_html(
            f"The dashboard now uses the KPI returns from {self.returns_source}. "
            "Your file is only read, never changed.",
            "ok" if returns is not None else "info",
        )
        self.refresh()

    def _on_upload(self) -> None:
        files = self.upload.value
        if not files:
            return
        item = files[0]
        name = Path(str(item["name"])).name or "returns.csv"
        with tempfile.TemporaryDirectory(prefix="spw-returns-") as folder:
            path = Path(folder) / name
            path.write_bytes(bytes(item["content"]))
            try:
                self.check_file(path, name)
            except LearnerError as exc:
                self.issues.value = (
                    '<div class="spw-issues">'
                    + message_html(str(exc).replace(str(folder) + "/", ""), "error")
                    + "</div>"
                )

    def _on_my_data(self) -> None:
        if self.my_data_file.value:
            try:
                self.check_file(self.my_data_file.value)
            except LearnerError as exc:
                self.issues.value = f'<div class="spw-issues">{message_html(str(exc), "error")}</div>'

    # ------------------------------------------------------------ exports

    def export_monitoring(self) -> list[Path]:
        """The monitoring report for the filters and month, as XLSX, Markdown and HTML."""
        prefix = exports_dir() / f"monitoring_{self.city}_{self.period.value}"
        written = export_monitoring_report(prefix, *self._args(), as_of=self.period.value, **self._filters())
        self.export_message.value = message_html(
            "Saved the monitoring report: " + ", ".join(str(p) for p in written), "ok"
        )
        return written

    def export_handover_pack(self) -> list[Path]:
        """The chosen contract's hand-over checklist, as DOCX and Markdown."""
        cid = self.contract.value
        if cid is None:
            raise LearnerError("no contract is selected", fix="Choose a contract in the drop-down first")
        report = handover_checklist(
            cid,
            self.tables["contracts"],
            self.tables["kpis"],
            self.tables["social_value_commitments"],
            tender=load_table("tenders"),
        )
        written = [save_report(report, exports_dir() / f"handover_{cid}.{fmt}") for fmt in ("docx", "md")]
        self.export_message.value = message_html(
            "Saved the hand-over checklist: " + ", ".join(str(p) for p in written), "ok"
        )
        return written


def build_dashboard(
    city: str = "portavera", as_of=None, contract_id: str | None = None, tables: dict[str, pd.DataFrame] | None = None
) -> MonitoringDashboard:
    """The live dashboard object (its `widget()` is what JupyterLab shows)."""
    return MonitoringDashboard(city, as_of, contract_id, tables)


def static_dashboard(city: str = "portavera", as_of=None, contract_id: str | None = None) -> list:
    """The headless view: the RAG chips, the portfolio table and the default contract's KPI chart."""
    tables = city_tables(city)
    args = [tables[name] for name in TABLE_NAMES]
    period = month_label(month_number(as_of)) if as_of is not None else latest_month(tables["kpi_returns"])
    summary = portfolio_summary(*args, as_of=period)
    cid = contract_id or default_contract(tables["contracts"])
    view = contract_view(cid, *args, as_of=period)
    return [
        HTML(rag_chips_html(rag_counts(summary), period, len(summary))),
        summary[list(PORTFOLIO_COLUMNS)].rename(columns=PORTFOLIO_COLUMNS),
        kpi_trend_figure(view, cid, period),
    ]


def monitoring_dashboard(city: str = "portavera", as_of=None, contract_id: str | None = None) -> None:
    """Show the contract-management dashboard for `city`, looking at month `as_of` (YYYY-MM;
    default the latest month with a return). Widgets in JupyterLab, a static view headless."""
    show_tool(
        lambda: build_dashboard(city, as_of, contract_id).widget(), lambda: static_dashboard(city, as_of, contract_id)
    )
