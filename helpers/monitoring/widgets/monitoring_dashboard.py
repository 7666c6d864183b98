"""The contract-management dashboard (module 7): a thin widget layer over `dashboard`, `alerts`,
`kpis`, `social_value`, `monitoring_data` and `handover`.

`monitoring_dashboard(city, as_of, data=...)` shows, for the course city or the learner's own data:
- filters (service area, supplier, the month looked at) and the RAG summary for that month as
  chips (contracts that have ended or not started that month are counted apart, never rated),
  the portfolio table and the alerts, most urgent first, under their plain names;
- one contract (a drop-down): its KPI trend against the target with the amber band shaded, its
  service credits and its social value against the pro-rata path (people counted whole);
- the learner's own files (upload, or a file from my_data/): a contract register, KPI definitions,
  KPI returns or social-value tables, checked line by line; the usable rows replace that table
  (the file itself is only read), and "Back to the course data" undoes it;
- exports of the monitoring report (XLSX, Markdown, HTML) and the contract's hand-over
  checklist (DOCX, Markdown) into my_work/exports.

Every redraw first clears what the previous choice showed, so nothing stale stays on screen.
Headless (papermill) it shows where the data comes from, the RAG chips, the portfolio, the alerts
and the chosen contract's KPI chart. `MonitoringDashboard` holds the live widgets, so tests can
drive it from Python.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import ipywidgets as w
import pandas as pd
import plotly.graph_objects as go

from helpers.core.errors import LearnerError
from helpers.core.paths import exports_dir, my_data_dir
from helpers.core.safety import escape_html
from helpers.data import load_table
from helpers.learning.my_work_widget import DownloadArea
from helpers.monitoring.alerts import alerts as find_alerts
from helpers.monitoring.dashboard import (
    TABLE_NAMES,
    contract_view,
    default_contract,
    filter_contracts,
    period_options,
    portfolio_summary,
    rag_counts,
)
from helpers.monitoring.handover import handover_checklist
from helpers.monitoring.kpis import latest_month, month_label, month_number
from helpers.monitoring.monitoring_data import KIND_LABELS, MonitoringData, course_data
from helpers.monitoring.report import export_monitoring_report
from helpers.monitoring.social_value import social_value_table
from helpers.monitoring.widgets.dashboard_views import (
    alerts_html,
    contract_label,
    credits_figure,
    credits_shown,
    kpi_trend_figure,
    portfolio_shown,
    rag_chips_html,
    returns_check_html,
    social_value_figure,
    state_note_html,
    static_dashboard,
)
from helpers.ui.display import message_html, show_in, show_tool
from helpers.ui.exports import html_table, save_report
from helpers.ui.messages import Issue
from helpers.ui.tool import Tool, heading

ALL = "(all)"
FILE_KINDS = [(f"{label[0].upper()}{label[1:]}", kind) for kind, label in KIND_LABELS.items()]


def _options(contracts: pd.DataFrame, column: str) -> list[str]:
    values = contracts[column].dropna().astype("str") if column in contracts else pd.Series(dtype="str")
    return [ALL] + sorted(v for v in values.unique() if v.strip())


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
        data: MonitoringData | None = None,
    ) -> None:
        super().__init__()
        self.city = city
        if data is None:
            data = course_data(city, as_of)
            if tables is not None:
                data.tables = {name: tables[name] for name in TABLE_NAMES}
        self.data = data
        start = month_label(month_number(as_of)) if as_of is not None else data.as_of
        self.figures: dict[str, go.Figure] = {}
        self._filling = False
        self._controls()
        self._fill_filters(start)
        self._fill_my_data()
        self._fill_contracts(contract_id)
        self._observe()
        self.box = self._layout()
        self.data_summary.value = self.data.summary_html(problems=False, month=False)
        self.guard(self.refresh)()

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        return self.data.tables

    @property
    def returns(self) -> pd.DataFrame:
        return self.data.tables["kpi_returns"]

    def _controls(self) -> None:
        wide = {"description_width": "initial"}
        self.service_area = w.Dropdown(description="Service area", style=wide, layout=w.Layout(width="auto"))
        self.supplier = w.Dropdown(description="Supplier", style=wide, layout=w.Layout(width="auto"))
        self.period = w.Dropdown(description="Month (as of)", style=wide)
        self.service_area.add_class("spw-service-area")
        self.supplier.add_class("spw-supplier")
        self.period.add_class("spw-period")
        self.data_summary = w.HTML()
        self.data_summary.add_class("spw-data-summary")
        self.rag_summary = w.HTML()
        self.portfolio = w.HTML()
        self.alerts = w.HTML()
        self.contract = w.Dropdown(description="Contract", style=wide, layout=w.Layout(width="640px"))
        self.contract.add_class("spw-contract")
        self.state_note = w.HTML()
        self.state_note.add_class("spw-state-note")
        self.kpi_chart, self.credit_chart, self.sv_chart = w.Output(), w.Output(), w.Output()
        self.kpi_chart.add_class("spw-kpi-chart")
        self.contract_tables = w.HTML()
        self.file_kind = w.Dropdown(
            options=[FILE_KINDS[2], *FILE_KINDS[:2], *FILE_KINDS[3:]],
            value="kpi_returns",
            description="The file holds",
            style=wide,
        )
        self.file_kind.add_class("spw-file-kind")
        self.upload = w.FileUpload(
            accept=".csv,.xlsx", multiple=False, description="Upload a file", layout=w.Layout(width="220px")
        )
        self.upload.add_class("spw-upload")
        self.my_data_file = w.Dropdown(description="or from my_data/", style=wide)
        self.check_my_data = w.Button(
            description="Check and use this file", icon="check", layout=w.Layout(width="auto")
        )
        self.use_shipped = w.Button(description="Back to the course data", disabled=True, layout=w.Layout(width="auto"))
        self.use_shipped.add_class("spw-use-course")
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
        self.export_downloads = DownloadArea()  # a link per written file (and, on Binder, the warning)

    def _observe(self) -> None:
        for control in (self.service_area, self.supplier, self.period):
            control.observe(self.guard(lambda change: None if self._filling else self.refresh()), names="value")
        self.contract.observe(
            self.guard(lambda change: None if self._filling else self.refresh_contract()), names="value"
        )
        self.upload.observe(self.guard(lambda change: self._on_upload()), names="value")
        self.check_my_data.on_click(self.guard(lambda _: self._on_my_data()))
        self.use_shipped.on_click(self.guard(lambda _: self.use_course_data()))
        self.export_report.on_click(self.guard(lambda _: self.export_monitoring()))
        self.export_handover.on_click(self.guard(lambda _: self.export_handover_pack()))

    def _layout(self) -> w.VBox:
        h = heading
        box = w.VBox(
            [
                self.message,
                self.data_summary,
                w.HBox([self.service_area, self.supplier, self.period]),
                h("Portfolio"),
                self.rag_summary,
                self.portfolio,
                h("Alerts, most urgent first"),
                self.alerts,
                h("One contract"),
                self.contract,
                self.state_note,
                self.kpi_chart,
                self.credit_chart,
                self.sv_chart,
                self.contract_tables,
                h("Your own files: contracts, KPIs, returns, social value"),
                w.HBox([self.file_kind, self.upload]),
                w.HBox([self.my_data_file, self.check_my_data]),
                self.issues,
                w.HBox([self.returns_note, self.use_shipped]),
                h("Exports"),
                w.HBox([self.export_report, self.export_handover]),
                self.export_message,
                self.export_downloads,
            ]
        )
        box.add_class(self.css_class)
        return box

    def widget(self) -> w.VBox:
        return self.box

    def static_view(self) -> list:
        return static_dashboard(self.city, self.period.value, self.contract.value, data=self.data)

    # ------------------------------------------------------------ state

    def _args(self) -> tuple[pd.DataFrame, ...]:
        return self.data.args()

    def _filters(self) -> dict:
        return {
            "service_area": None if self.service_area.value in (ALL, None) else self.service_area.value,
            "supplier": None if self.supplier.value in (ALL, None) else self.supplier.value,
        }

    def _fill_filters(self, start: str) -> None:
        """The filter and month choices for the data in use (kept where they still apply)."""
        contracts = self.tables["contracts"]
        periods = period_options(contracts, self.returns) if len(self.returns) else [start]
        if start not in periods:
            periods = period_options(contracts, self.returns, until=max(start, periods[-1]))
        self._filling = True
        try:
            for control, column in ((self.service_area, "service_area"), (self.supplier, "supplier_name")):
                options = _options(contracts, column)
                keep = control.value if control.value in options else ALL
                control.options, control.value = options, keep
            self.period.options, self.period.value = periods, start
        finally:
            self._filling = False

    def _fill_contracts(self, wanted: str | None = None) -> None:
        chosen = filter_contracts(self.tables["contracts"], **self._filters()).sort_values("contract_id")
        options = [(contract_label(c), c.contract_id) for c in chosen.itertuples()]
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

    def clear_views(self) -> None:
        """Empty every view, so nothing from a previous choice stays on screen if a redraw stops."""
        for html in (self.rag_summary, self.portfolio, self.alerts, self.state_note, self.contract_tables):
            html.value = ""
        for out in (self.kpi_chart, self.credit_chart, self.sv_chart):
            show_in(out)
        self.figures = {}

    def refresh(self) -> None:
        """Recompute the portfolio view for the filters and month, then the contract view."""
        self.report("")
        self.clear_views()
        summary = self.summary()
        period = self.period.value
        self.rag_summary.value = rag_chips_html(
            rag_counts(summary[summary["state"] == "running"]),
            period,
            len(summary),
            summary["state"].value_counts().to_dict(),
        )
        self.portfolio.value = f'<div class="spw-portfolio">{html_table(portfolio_shown(summary))}</div>'
        t = self.tables
        chosen = filter_contracts(t["contracts"], **self._filters())
        found = find_alerts(
            chosen, t["kpis"], self.returns, t["social_value_commitments"], t["social_value_delivery"], period
        )
        self.alerts.value = alerts_html(found, period)
        self._fill_contracts()
        self.refresh_contract()

    def view(self) -> dict[str, pd.DataFrame] | None:
        """The chosen contract's tables as of the chosen month (None when no contract is selected)."""
        if self.contract.value is None:
            return None
        return contract_view(self.contract.value, *self._args(), as_of=self.period.value)

    def refresh_contract(self) -> None:
        """Redraw the chosen contract's charts and tables."""
        for html in (self.state_note, self.contract_tables):
            html.value = ""
        for out in (self.kpi_chart, self.credit_chart, self.sv_chart):
            show_in(out)
        self.figures = {}
        view, cid, period = self.view(), self.contract.value, self.period.value
        if view is None:
            self.contract_tables.value = message_html("No contract matches these filters.", "info")
            return
        self.state_note.value = state_note_html(view, cid)
        self.figures = {
            "kpi": kpi_trend_figure(view, cid, period),
            "credits": credits_figure(view, cid),
            "social_value": social_value_figure(view, cid, period),
        }
        for out, key in ((self.kpi_chart, "kpi"), (self.credit_chart, "credits"), (self.sv_chart, "social_value")):
            show_in(out, self.figures[key])
        red_months = credits_shown(view["credits"]).drop(columns="contract")
        sv = view["social_value"]
        self.contract_tables.value = (
            '<div class="spw-contract-tables"><b>Months with a service credit</b>'
            + (html_table(red_months) if len(red_months) else " none by " + escape_html(period))
            + "<br><b>Social value</b>"
            + (
                html_table(social_value_table(sv).drop(columns="contract"))
                if len(sv)
                else " no commitments recorded for this contract"
            )
            + "</div>"
        )

    # ------------------------------------------------------------ the learner's files

    def use_file(self, kind: str, path, shown: str | None = None) -> tuple[bool, list[Issue]]:
        """Check the learner's `kind` file (contracts, kpis, kpi_returns, social_value_...); show what was
        found; if it has usable rows, use them in place of that table and redraw everything."""
        name = shown or Path(str(path)).name
        self.issues.value = ""
        self.returns_note.value = ""
        used, issues = self.data.use_file(kind, path, name)
        rows = len(self.tables[kind]) if used else 0
        self.issues.value = returns_check_html(issues, name, rows)
        self.data_summary.value = self.data.summary_html(problems=False, month=False)
        if used:
            self.use_shipped.disabled = not self.data.own
            self.returns_note.value = message_html(
                f"The dashboard now uses your {KIND_LABELS[kind]} from {name}. Your file is only read, never changed.",
                "ok",
            )
            if kind == "kpi_returns":  # the learner's own returns: look at their latest month
                self.data.as_of = latest_month(self.returns)
            self._fill_filters(self.data.as_of if kind in ("kpi_returns", "contracts") else self.period.value)
            self.refresh()
        else:
            self.returns_note.value = message_html(
                f"Nothing from {name} is used: the dashboard keeps the {KIND_LABELS[kind]} it had.", "warning"
            )
        return used, issues

    def check_file(self, path, shown_name: str | None = None, kind: str = "kpi_returns"):
        """Check a file (KPI returns by default) and use its good rows; returns (the table in use, the issues)."""
        used, issues = self.use_file(kind, path, shown_name)
        return (self.tables[kind] if used else self.tables[kind].iloc[0:0]), issues

    def use_course_data(self) -> None:
        """Go back to the course city's data (the learner's files stay where they are)."""
        self.data = course_data(self.city)
        self.use_shipped.disabled = True
        self.issues.value = ""
        self.returns_note.value = message_html("The dashboard uses the course data again.", "info")
        self.data_summary.value = self.data.summary_html(problems=False, month=False)
        self._fill_filters(self.data.as_of)
        self.refresh()

    def _on_upload(self) -> None:
        files = self.upload.value
        if not files:
            return
        item = files[0]
        name = Path(str(item["name"])).name or "file.csv"
        with tempfile.TemporaryDirectory(prefix="spw-monitoring-") as folder:
            path = Path(folder) / name
            path.write_bytes(bytes(item["content"]))
            self.use_file(self.file_kind.value, path, name)

    def _on_my_data(self) -> None:
        if self.my_data_file.value:
            self.use_file(self.file_kind.value, self.my_data_file.value)

    # ------------------------------------------------------------ exports

    def export_monitoring(self) -> list[Path]:
        """The monitoring report for the filters and month, as XLSX, Markdown and HTML; offer their download."""
        self.export_downloads.clear()
        label = "my_data" if self.data.own else self.city
        prefix = exports_dir() / f"monitoring_{label}_{self.period.value}"
        written = export_monitoring_report(prefix, *self._args(), as_of=self.period.value, **self._filters())
        self.export_message.value = message_html(
            "Saved the monitoring report: " + ", ".join(str(p) for p in written), "ok"
        )
        self.export_downloads.show(written, text="")
        return written

    def export_handover_pack(self) -> list[Path]:
        """The chosen contract's hand-over checklist, as DOCX and Markdown; offer their download."""
        self.export_downloads.clear()
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
        safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in str(cid))
        written = [save_report(report, exports_dir() / f"handover_{safe}.{fmt}") for fmt in ("docx", "md")]
        self.export_message.value = message_html(
            "Saved the hand-over checklist: " + ", ".join(str(p) for p in written), "ok"
        )
        self.export_downloads.show(written, text="")
        return written


def build_dashboard(
    city: str = "portavera",
    as_of=None,
    contract_id: str | None = None,
    tables: dict[str, pd.DataFrame] | None = None,
    data: MonitoringData | None = None,
) -> MonitoringDashboard:
    """The live dashboard object (its `widget()` is what JupyterLab shows)."""
    return MonitoringDashboard(city, as_of, contract_id, tables, data)


def monitoring_dashboard(
    city: str = "portavera", as_of=None, contract_id: str | None = None, data: MonitoringData | None = None
) -> None:
    """Show the contract-management dashboard for `city` (or `data`, the learner's own from
    `load_monitoring_data`), looking at month `as_of` (YYYY-MM; default 2026-03 on the course data,
    the latest month of the learner's returns on theirs). Widgets in JupyterLab, a static view headless."""
    show_tool(
        lambda: build_dashboard(city, as_of, contract_id, data=data).widget(),
        lambda: static_dashboard(city, as_of, contract_id, data=data),
    )
