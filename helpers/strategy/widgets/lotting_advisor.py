"""`lotting_advisor(city)`: how lots change the turnover a bidder needs and the local SMEs able to bid,
and the "divide or explain" text for the procurement file. Headless (papermill) it shows the plan
for its defaults."""

from __future__ import annotations

import ipywidgets as w
import pandas as pd
from IPython.display import HTML

from helpers.core.fmt import money
from helpers.core.safety import escape_html
from helpers.data import city_info, load_table
from helpers.framework import parse_euro
from helpers.strategy.lotting import divide_or_explain, lot_plan, parse_lots, turnover_note
from helpers.ui.exports import html_table
from helpers.ui.tool import Tool


def lot_plan_view(plan: pd.DataFrame) -> pd.DataFrame:
    out = plan.copy()
    for col in ("value", "max_turnover_requirement", "required_turnover"):
        out[col] = out[col].map(lambda v: money(v, None, decimals=0))
    return out.rename(
        columns={
            "max_turnover_requirement": "turnover cap (2 x value)",
            "required_turnover": "turnover asked",
            "local_smes_in_division": "local SMEs in sector",
            "local_smes_able": "local SMEs able to bid",
        }
    )


def divide_or_explain_html(lots, reason: str) -> str:
    return (
        f"<div class='spw-divide-or-explain'><b>For the procurement file:</b> "
        f"{escape_html(divide_or_explain(lots, reason))}</div>"
    )


class LottingAdvisor(Tool):
    """Contract value, lots, CPV division and turnover ratio in; the lot plan and the Art. 46 text out."""

    css_class = "spw-lots"

    def __init__(
        self, city: str = "portavera", contract_value: float = 1_200_000, lots: str = "3", cpv_division: str = "37"
    ) -> None:
        super().__init__()
        self.register = load_table("suppliers", city=city)
        self.geography = load_table("geography", city=city)
        self.home = city_info(city)["home_country_code"]
        names = load_table("cpv_divisions")
        divisions = sorted(self.register["cpv_division"].dropna().astype("str").str.zfill(2).unique())
        name_of = dict(zip(names["division"].astype("str").str.zfill(2), names["name"]))
        wide = {"description_width": "200px"}
        self.value = w.Text(
            value=money(contract_value, None, decimals=0),
            description="Contract value (EUR)",
            style=wide,
            continuous_update=False,
        )
        self.lots = w.Text(
            value=lots,
            description="Lots (number or values)",
            style=wide,
            continuous_update=False,
            layout=w.Layout(width="520px"),
        )
        self.division = w.Dropdown(
            options=[(f"{d} {name_of.get(d, '')}"[:70], d) for d in divisions],
            value=cpv_division if cpv_division in divisions else divisions[0],
            description="CPV division",
            style=wide,
            layout=w.Layout(width="620px"),
        )
        self.ratio = w.FloatSlider(
            value=2.0,
            min=0.5,
            max=2.0,
            step=0.25,
            description="Turnover asked (x lot)",
            style=wide,
            continuous_update=False,
        )
        self.years = w.Text(value="", description="Contract years (optional)", style=wide, continuous_update=False)
        self.reason = w.Textarea(
            description="Reasons",
            style=wide,
            layout=w.Layout(width="620px"),
            placeholder="why these lots, or why one contract",
        )
        self.table, self.text = w.HTML(), w.HTML()
        for css, control in (
            ("value", self.value),
            ("lots", self.lots),
            ("division", self.division),
            ("ratio", self.ratio),
            ("years", self.years),
            ("reason", self.reason),
            ("table", self.table),
            ("text", self.text),
        ):
            control.add_class(f"spw-lots-{css}")
            if css not in ("table", "text"):
                control.observe(self.guard(lambda _: self.refresh()), names="value")
        self.plan: pd.DataFrame | None = None
        self.box = w.VBox(
            [
                self.value,
                self.lots,
                self.division,
                self.ratio,
                self.years,
                self.message,
                self.table,
                self.reason,
                self.text,
                w.HTML(f"<i>{escape_html(turnover_note())}</i>"),
            ]
        )
        self.box.add_class(self.css_class)
        self.guard(self.refresh)()

    def widget(self) -> w.Widget:
        return self.box

    def static_view(self) -> list:
        return [lot_plan_view(self.plan), HTML(self.text.value)]

    def refresh(self) -> None:
        self.report("")
        years = float(self.years.value) if self.years.value.strip() else None
        lots = parse_lots(self.lots.value)
        self.plan = lot_plan(
            parse_euro(self.value.value),
            lots,
            self.register,
            self.division.value,
            self.geography,
            turnover_ratio=self.ratio.value,
            contract_years=years,
            home_country=self.home,
        )
        self.table.value = html_table(lot_plan_view(self.plan))
        self.text.value = divide_or_explain_html(lots, self.reason.value)


def lotting_advisor(
    city: str = "portavera", contract_value: float = 1_200_000, lots: str = "3", cpv_division: str = "37"
) -> None:
    """Show the lotting advisor; headless, the plan for the defaults."""
    LottingAdvisor(city, contract_value, lots, cpv_division).show()
