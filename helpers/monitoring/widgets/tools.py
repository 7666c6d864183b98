"""The contract-management dashboard (module 7): a thin widget layer over `dashboard`,
`kpis`, `social_value`, `returns` and `handover`.

`monitoring_dashboard(city, as_of)` shows, for one city:
- filters (service area, supplier, the month looked at) and the RAG summary for that month
  as coloured chips, the portfolio table and the alerts;
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

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from helpers.core.errors import LearnerError
from helpers.ui.exports import html_table, save_report
from helpers.monitoring.dashboard import TABLE_NAMES, contract_view, export_monitoring_report
from helpers.monitoring.dashboard import alerts as find_alerts
from helpers.monitoring.dashboard import filter_contracts, load_monitoring_tables, portfolio_summary
from helpers.monitoring.handover import handover_checklist
from helpers.monitoring.kpis import RETURN_COLUMNS, latest_month, month_label, month_number, month_numbers
from helpers.monitoring.returns import Issue, read_kpi_returns
from helpers.core.safety import escape_html

DEFAULT_CONTRACT = "PV-C-2025-017"   # the running purchase: playground equipment (modules 5-7)
ALL = "(all)"
RAG_COLOURS = {"green": "#2e7d32", "amber": "#f9a825", "red": "#c62828", "missing": "#757575"}
BAND_FILL = "rgba(249, 168, 37, 0.22)"
PORTFOLIO_COLUMNS = {"contract_id": "contract", "title": "title", "supplier": "supplier",
                     "service_area": "service area", "green": "green", "amber": "amber", "red": "red",
                     "missing": "missing", "latest_status": "status", "credits_to_date_eur": "credits to date (EUR)",
                     "alerts": "alerts"}


# ---------------------------------------------------------------- pure pieces (tested without widgets)

def default_contract(contracts: pd.DataFrame) -> str:
    """PV-C-2025-017 when the city has it, else the city's first contract."""
    ids = contracts["contract_id"].astype("str").tolist()
    if not ids:
        raise LearnerError("this city has no contracts in the contract register",
                           fix="Choose another city, or add contracts to contracts.csv")
    return DEFAULT_CONTRACT if DEFAULT_CONTRACT in ids else sorted(ids)[0]


def period_options(contracts: pd.DataFrame, returns: pd.DataFrame, until=None) -> list[str]:
    """Every month from the first contract start to `until` (default: the latest return), newest last."""
    last = month_number(until) if until is not None else month_number(latest_month(returns))
    first = int(month_numbers(contracts["start_date"].astype("str"), "contracts table", "start_date").min())
    return [month_label(m) for m in range(min(first, last), last + 1)]


def rag_counts(summary: pd.DataFrame) -> dict[str, int]:
    """Green/amber/red/missing KPI returns across the contracts of a portfolio summary."""
    return {s: int(summary[s].sum()) if s in summary else 0 for s in RAG_COLOURS}


def rag_chips_html(counts: dict[str, int], period: str, contracts: int) -> str:
    """The RAG summary as coloured chips (numbers and fixed words only; the period is escaped)."""
    chips = "".join(
        f'<span class="spw-chip spw-chip-{s}" style="display:inline-block;background:{c};color:white;'
        f'border-radius:12px;padding:2px 12px;margin:2px 6px 2px 0;font-weight:bold">{s}: {counts[s]}</span>'
        for s, c in RAG_COLOURS.items())
    return (f'<div class="spw-rag-summary"><b>KPI returns for {escape_html(period)}</b> '
            f"({contracts} contract{'s' if contracts != 1 else ''}):<br>{chips}</div>")


def kpi_trend_figure(view: dict[str, pd.DataFrame], contract_id: str, period: str) -> go.Figure:
    """One panel per KPI: the monthly value coloured by status, the target (dashed) and the
    amber band between the target and the worst value still amber, shaded."""
    trend, kpis = view["kpi_trend"], view["kpis"]
    title = f"{contract_id}: KPI returns against target, to {period}"
    if kpis.empty:
        fig = go.Figure()
        fig.update_layout(title=title + " (no KPI returns due by then)", height=220)
        return fig
    fig = make_subplots(rows=len(kpis), cols=1, shared_xaxes=True, vertical_spacing=0.08,
                        subplot_titles=[f"{k.kpi_id} {k.name} ({k.unit}; {k.direction} is better)"
                                        for k in kpis.itertuples()])
    for row, kpi in enumerate(kpis.itertuples(), start=1):
        rows = trend[trend["kpi_id"] == kpi.kpi_id]
        first = row == 1
        fig.add_trace(go.Scatter(x=rows["period"], y=rows["target"], mode="lines", name="target",
                                 line={"color": "#1e6b34", "dash": "dash"}, legendgroup="target",
                                 showlegend=first), row=row, col=1)
        fig.add_trace(go.Scatter(x=rows["period"], y=rows["amber_limit"], mode="lines", name="amber band",
                                 line={"color": "rgba(249,168,37,0.6)", "width": 1}, fill="tonexty",
                                 fillcolor=BAND_FILL, legendgroup="band", showlegend=first), row=row, col=1)
        fig.add_trace(go.Scatter(x=rows["period"], y=rows["value"], mode="lines+markers", name="return",
                                 line={"color": "#444"}, legendgroup="value", showlegend=first,
                                 marker={"size": 9, "color": [RAG_COLOURS[s] for s in rows["status"]]},
                                 customdata=rows["status"],
                                 hovertemplate="%{x}: %{y} (%{customdata})<extra></extra>"), row=row, col=1)
    fig.update_layout(title=title, height=170 * len(kpis) + 120, margin={"t": 80, "l": 50, "r": 20, "b": 40},
                      legend={"orientation": "h", "y": 1.08 + 0.02 * len(kpis), "x": 0})
    fig.update_xaxes(type="category")
    return fig


def credits_figure(view: dict[str, pd.DataFrame], contract_id: str) -> go.Figure:
    """Service credit per month (EUR), capped months marked."""
    credits = view["credits"]
    fig = go.Figure(go.Bar(x=credits["period"], y=credits["credit_eur"], name="service credit",
                           marker_color=["#8e24aa" if c else "#c62828" for c in credits["capped"]],
                           hovertemplate="%{x}: EUR %{y:,.2f}<extra></extra>"))
    total = float(credits["credit_eur"].sum()) if len(credits) else 0.0
    fig.update_layout(title=f"{contract_id}: service credits per month (total EUR {total:,.2f})", height=260,
                      yaxis_title="EUR", margin={"t": 50, "l": 60, "r": 20, "b": 40})
    fig.update_xaxes(type="category")
    return fig


def social_value_figure(view: dict[str, pd.DataFrame], contract_id: str, period: str) -> go.Figure:
    """Delivered so far and the pro-rata path, each as % of the commitment, per measure."""
    sv = view["social_value"]
    committed = sv["committed_total"].where(sv["committed_total"] != 0)
    delivered = (sv["delivered_to_date"] / committed * 100).round(1)
    path = (sv["pro_rata_target"] / committed * 100).round(1)
    fig = go.Figure()
    fig.add_trace(go.Bar(y=sv["measure"], x=delivered, orientation="h", name="delivered (% of commitment)",
                         marker_color=["#2e7d32" if ok else "#c62828" for ok in sv["on_track"]],
                         hovertemplate="%{y}: %{x}% delivered<extra></extra>"))
    fig.add_trace(go.Scatter(y=sv["measure"], x=path, mode="markers", name="pro-rata path",
                             marker={"symbol": "line-ns-open", "size": 26, "color": "#1a4b9c", "line": {"width": 3}},
                             hovertemplate="%{y}: path %{x}%<extra></extra>"))
    fig.update_layout(title=f"{contract_id}: social value delivered by {period} against the pro-rata path",
                      height=120 + 45 * max(len(sv), 1), xaxis_title="% of the total committed",
                      margin={"t": 50, "l": 200, "r": 20, "b": 40}, legend={"orientation": "h", "y": -0.25})
    return fig


def social_value_table(view: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The social-value progress in the learner's words, rounded for reading."""
    sv = view["social_value"]
    return pd.DataFrame({"measure": sv["measure"], "unit": sv["unit"], "committed": sv["committed_total"],
                         "delivered so far": sv["delivered_to_date"].round(2),
                         "pro-rata path": sv["pro_rata_target"].round(2),
                         "status": ["on track" if ok else "behind" for ok in sv["on_track"]],
                         "forecast at end": sv["forecast_at_end"].round(1)})


def issues_html(issues: list[Issue], file_name: str, rows_ok: int) -> str:
    """The check of a returns file in plain words: a short verdict and a table of the problems."""
    verdict = (f"<b>{escape_html(file_name)}</b>: {rows_ok} row{'s' if rows_ok != 1 else ''} usable, "
               f"{len({i.line for i in issues})} row(s) with problems.")
    if not issues:
        return f'<div class="spw-issues">{verdict} No problems found.</div>'
    table = pd.DataFrame({"line": ["file" if i.line is None else i.line for i in issues],
                          "problem": [i.message for i in issues], "what to do": [i.fix for i in issues]})
    return f'<div class="spw-issues">{verdict}{html_table(table)}</div>'


def city_tables(city: str) -> dict[str, pd.DataFrame]:
    """The five monitoring tables of one city, with a clear message if the city has no contracts."""
    tables = load_monitoring_tables(city)
    if tables["contracts"].empty:
        raise LearnerError(f"the course data has no contracts for '{city}'",
                           fix="Use portavera, valmora or nordhaven")
    return tables


# ---------------------------------------------------------------- the widget

class MonitoringDashboard:
    """The live dashboard. `widget` is the box to display; the controls are attributes so a
    test can set `period.value` or `contract.value` and read `rag_summary.value`."""

    def __init__(self, city: str = "portavera", as_of=None, contract_id: str | None = None,
                 tables: dict[str, pd.DataFrame] | None = None) -> None:
        import ipywidgets as w

        from helpers.ui.display import guarded, message_html

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

        self.message = w.HTML()
        self.message.add_class("spw-message-area")

        def report(text: str, kind: str) -> None:
            self.message.value = message_html(text, kind)

        self._guard = guarded(report)
        self._message_html = message_html
        layout = w.Layout(width="auto")
        areas = sorted(contracts["service_area"].astype("str").unique())
        suppliers = sorted(contracts["supplier_name"].astype("str").unique())
        self.service_area = w.Dropdown(options=[ALL] + areas, value=ALL, description="Service area",
                                       style={"description_width": "initial"}, layout=layout)
        self.supplier = w.Dropdown(options=[ALL] + suppliers, value=ALL, description="Supplier",
                                   style={"description_width": "initial"}, layout=layout)
        self.period = w.Dropdown(options=self.periods, value=start, description="Month (as of)",
                                 style={"description_width": "initial"})
        self.service_area.add_class("spw-service-area")
        self.supplier.add_class("spw-supplier")
        self.period.add_class("spw-period")
        self.rag_summary = w.HTML()
        self.portfolio = w.HTML()
        self.alerts = w.HTML()
        self.contract = w.Dropdown(description="Contract", style={"description_width": "initial"},
                                   layout=w.Layout(width="640px"))
        self.contract.add_class("spw-contract")
        self.kpi_chart, self.credit_chart, self.sv_chart = w.Output(), w.Output(), w.Output()
        self.kpi_chart.add_class("spw-kpi-chart")
        self.contract_tables = w.HTML()
        self.upload = w.FileUpload(accept=".csv,.xlsx", multiple=False, description="Upload KPI returns",
                                  layout=w.Layout(width="220px"))
        self.upload.add_class("spw-upload")
        self.my_data_file = w.Dropdown(description="or from my_data/", style={"description_width": "initial"})
        self.check_my_data = w.Button(description="Check this file", icon="check")
        self.use_shipped = w.Button(description="Use the course returns again", disabled=True)
        self.issues = w.HTML()
        self.returns_note = w.HTML()
        self.export_report = w.Button(description="Export monitoring report", icon="download",
                                      layout=w.Layout(width="auto"))
        self.export_handover = w.Button(description="Export hand-over checklist", icon="download",
                                        layout=w.Layout(width="auto"))
        self.export_message = w.HTML()
        self.export_message.add_class("spw-export-message")
        self._filling = False
        self._fill_my_data()
        self._fill_contracts(contract_id)

        for control in (self.service_area, self.supplier, self.period):
            control.observe(self._guard(lambda change: self.refresh()), names="value")
        self.contract.observe(self._guard(lambda change: None if self._filling else self.refresh_contract()),
                              names="value")
        self.upload.observe(self._guard(lambda change: self._on_upload()), names="value")
        self.check_my_data.on_click(self._guard(lambda _: self._on_my_data()))
        self.use_shipped.on_click(self._guard(lambda _: self.use_returns(None)))
        self.export_report.on_click(self._guard(lambda _: self.export_monitoring()))
        self.export_handover.on_click(self._guard(lambda _: self.export_handover_pack()))

        def h(text: str):      # fixed headings, no data
            return w.HTML(f"<h4 style='margin:10px 0 4px 0'>{escape_html(text)}</h4>")

        self.widget = w.VBox([
            self.message,
            w.HBox([self.service_area, self.supplier, self.period]),
            h("Portfolio"), self.rag_summary, self.portfolio, h("Alerts"), self.alerts,
            h("One contract"), self.contract, self.kpi_chart, self.credit_chart, self.sv_chart,
            self.contract_tables,
            h("KPI returns: upload a file to check it"), w.HBox([self.upload, self.my_data_file, self.check_my_data]),
            self.issues, w.HBox([self.returns_note, self.use_shipped]),
            h("Exports"), w.HBox([self.export_report, self.export_handover]), self.export_message])
        self.widget.add_class("spw-monitoring")
        self._guard(self.refresh)()

    # ------------------------------------------------------------ state

    def _args(self) -> tuple[pd.DataFrame, ...]:
        t = self.tables
        return (t["contracts"], t["kpis"], self.returns, t["social_value_commitments"], t["social_value_delivery"])

    def _filters(self) -> dict:
        return {"service_area": None if self.service_area.value == ALL else self.service_area.value,
                "supplier": None if self.supplier.value == ALL else self.supplier.value}

    def _fill_contracts(self, wanted: str | None = None) -> None:
        chosen = filter_contracts(self.tables["contracts"], **self._filters()).sort_values("contract_id")
        options = [(f"{c.contract_id}: {c.title} ({c.supplier_name})", c.contract_id)
                   for c in chosen.itertuples()]
        ids = [value for _, value in options]
        keep = wanted or self.contract.value
        if keep not in ids:
            keep = default_contract(chosen) if ids else None
        self._filling = True              # the contract observer waits until options and value agree
        try:
            self.contract.options = options
            self.contract.value = keep
        finally:
            self._filling = False

    def _fill_my_data(self) -> None:
        from helpers.core.paths import my_data_dir

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
        self.message.value = ""
        summary = self.summary()
        self.rag_summary.value = rag_chips_html(rag_counts(summary), self.period.value, len(summary))
        shown = summary[list(PORTFOLIO_COLUMNS)].rename(columns=PORTFOLIO_COLUMNS)
        self.portfolio.value = f'<div class="spw-portfolio">{html_table(shown)}</div>'
        t = self.tables
        chosen = filter_contracts(t["contracts"], **self._filters())
        found = find_alerts(chosen, t["kpis"], self.returns, t["social_value_commitments"],
                            t["social_value_delivery"], self.period.value)
        self.alerts.value = (f'<div class="spw-alerts">{len(found)} alert(s) on {escape_html(self.period.value)}'
                             f"{html_table(found[['severity', 'contract_id', 'kind', 'message']])}</div>"
                             if len(found) else '<div class="spw-alerts">No alerts.</div>')
        self._fill_contracts()
        self.refresh_contract()

    def view(self) -> dict[str, pd.DataFrame] | None:
        """The chosen contract's tables as of the chosen month (None when no contract is selected)."""
        if self.contract.value is None:
            return None
        return contract_view(self.contract.value, *self._args(), as_of=self.period.value)

    def refresh_contract(self) -> None:
        """Redraw the chosen contract's charts and tables."""
        from IPython.display import display

        view, cid, period = self.view(), self.contract.value, self.period.value
        for out in (self.kpi_chart, self.credit_chart, self.sv_chart):
            out.clear_output(wait=True)
        self.figures: dict[str, go.Figure] = {}
        if view is None:
            self.contract_tables.value = self._message_html("No contract matches these filters.", "info")
            return
        self.figures = {"kpi": kpi_trend_figure(view, cid, period), "credits": credits_figure(view, cid),
                        "social_value": social_value_figure(view, cid, period)}
        for out, key in ((self.kpi_chart, "kpi"), (self.credit_chart, "credits"), (self.sv_chart, "social_value")):
            with out:
                display(self.figures[key])
        credits = view["credits"]
        red_months = credits[credits["red_kpis"] > 0]
        self.contract_tables.value = (
            '<div class="spw-contract-tables"><b>Months with a service credit</b>'
            + (html_table(red_months) if len(red_months) else " none by " + escape_html(period))
            + "<br><b>Social value</b>" + html_table(social_value_table(view)) + "</div>")

    # ------------------------------------------------------------ returns files

    def check_file(self, path, shown_name: str | None = None) -> tuple[pd.DataFrame, list[Issue]]:
        """Check a returns file against this city's contracts; show the issues; use the good rows if any."""
        good, issues = read_kpi_returns(path, self.tables["contracts"], self.tables["kpis"])
        name = shown_name or Path(path).name
        self.issues.value = issues_html(issues, name, len(good))
        if len(good):
            self.use_returns(good[RETURN_COLUMNS], f"{name} ({len(good)} usable rows)")
        else:
            self.returns_note.value = self._message_html(
                "No usable rows in this file, so the dashboard keeps the returns it had.", "warning")
        return good, issues

    def use_returns(self, returns: pd.DataFrame | None, label: str = "") -> None:
        """Use `returns` in the dashboard (None = the shipped returns again) and redraw."""
        if returns is None:
            self.returns, self.returns_source = self.shipped_returns, "the course data (kpi_returns.csv)"
        else:
            self.returns, self.returns_source = returns, label
        self.use_shipped.disabled = returns is None
        self.returns_note.value = self._message_html(
            f"The dashboard now uses the KPI returns from {self.returns_source}. "
            "Your file is only read, never changed.", "ok" if returns is not None else "info")
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
                self.issues.value = ('<div class="spw-issues">'
                                     + self._message_html(str(exc).replace(str(folder) + "/", ""), "error")
                                     + "</div>")

    def _on_my_data(self) -> None:
        if self.my_data_file.value:
            try:
                self.check_file(self.my_data_file.value)
            except LearnerError as exc:
                self.issues.value = f'<div class="spw-issues">{self._message_html(str(exc), "error")}</div>'

    # ------------------------------------------------------------ exports

    def export_monitoring(self) -> list[Path]:
        """The monitoring report for the filters and month, as XLSX, Markdown and HTML."""
        from helpers.core.paths import exports_dir

        prefix = exports_dir() / f"monitoring_{self.city}_{self.period.value}"
        written = export_monitoring_report(prefix, *self._args(), as_of=self.period.value, **self._filters())
        self.export_message.value = self._message_html(
            "Saved the monitoring report: " + ", ".join(str(p) for p in written), "ok")
        return written

    def export_handover_pack(self) -> list[Path]:
        """The chosen contract's hand-over checklist, as DOCX and Markdown."""
        from helpers.data import load_table
        from helpers.core.paths import exports_dir

        cid = self.contract.value
        if cid is None:
            raise LearnerError("no contract is selected", fix="Choose a contract in the drop-down first")
        report = handover_checklist(cid, self.tables["contracts"], self.tables["kpis"],
                                    self.tables["social_value_commitments"], tender=load_table("tenders"))
        written = [save_report(report, exports_dir() / f"handover_{cid}.{fmt}") for fmt in ("docx", "md")]
        self.export_message.value = self._message_html(
            "Saved the hand-over checklist: " + ", ".join(str(p) for p in written), "ok")
        return written


def build_dashboard(city: str = "portavera", as_of=None, contract_id: str | None = None,
                    tables: dict[str, pd.DataFrame] | None = None) -> MonitoringDashboard:
    """The live dashboard object (its `.widget` is what JupyterLab shows)."""
    return MonitoringDashboard(city, as_of, contract_id, tables)


def static_dashboard(city: str = "portavera", as_of=None, contract_id: str | None = None) -> list:
    """The headless view: the RAG chips, the portfolio table and the default contract's KPI chart."""
    from IPython.display import HTML

    tables = city_tables(city)
    args = [tables[name] for name in TABLE_NAMES]
    period = month_label(month_number(as_of)) if as_of is not None else latest_month(tables["kpi_returns"])
    summary = portfolio_summary(*args, as_of=period)
    cid = contract_id or default_contract(tables["contracts"])
    view = contract_view(cid, *args, as_of=period)
    return [HTML(rag_chips_html(rag_counts(summary), period, len(summary))),
            summary[list(PORTFOLIO_COLUMNS)].rename(columns=PORTFOLIO_COLUMNS),
            kpi_trend_figure(view, cid, period)]


def monitoring_dashboard(city: str = "portavera", as_of=None, contract_id: str | None = None) -> None:
    """Show the contract-management dashboard for `city`, looking at month `as_of` (YYYY-MM;
    default the latest month with a return). Widgets in JupyterLab, a static view headless."""
    from helpers.ui.display import show_tool

    show_tool(lambda: build_dashboard(city, as_of, contract_id).widget,
              lambda: static_dashboard(city, as_of, contract_id))
