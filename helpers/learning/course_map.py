"""The start-here notebook: the course map, a first widget, and the learner's progress."""
from __future__ import annotations

import pandas as pd

from helpers.core.paths import my_data_dir, my_work_dir

MODULES = [
    ("01", "01_why_procurement_matters", "Why procurement matters", "Outcomes: what strategic procurement can do", 45),
    ("02", "02_eu_policy_framework", "The EU policy framework", "The rules: directives, thresholds, procedures", 60),
    ("03", "03_spend_analysis", "Spend analysis", "Spend analysis: where the money goes", 90),
    ("04", "04_procurement_strategy", "Procurement strategy", "Commissioning: objectives, targets, lots", 60),
    ("05", "05_pre_procurement", "Pre-procurement and market engagement", "Commissioning: market, citizens, innovation", 75),
    ("06", "06_tendering_and_award", "Tendering and award criteria", "Tendering and decision-making", 90),
    ("07", "07_contract_management", "Contract management and monitoring", "Monitoring, closing the cycle", 60),
]


def course_map() -> pd.DataFrame:
    """The seven modules with the stage of the procurement cycle each covers and the time needed."""
    return pd.DataFrame(
        [{"module": m, "notebook": f"notebooks/{nb}.ipynb", "title": t, "stage of the cycle": s,
          "time (min)": mins} for m, nb, t, s, mins in MODULES])


def where_is_my_work() -> str:
    """Where progress and exports are saved, plus any message about recovering a damaged progress file."""
    from helpers.learning.progress import store

    progress = store()
    progress.data()  # reading the file first reports (and backs up) a damaged one
    text = (f"Your answers, drafts and settings are saved in {progress.path}; "
            f"exports go to {my_work_dir() / 'exports'}; put your own data files in {my_data_dir()}. "
            "None of these is ever committed to git.")
    return "\n".join([text, *progress.messages])


def progress_overview() -> pd.DataFrame:
    """Self-check progress per module (questions answered correctly)."""
    from helpers.learning.selfcheck import module_progress

    return module_progress()


def widget_demo():
    """A first widget: pick a share and see a figure update, to learn how the tools respond."""
    import ipywidgets as w
    from IPython.display import HTML

    from helpers.ui.display import show_tool

    def describe(share: int) -> str:
        kept = 100_000_000 * share / 100
        return (f"<p class='spw-demo-result'>If a city spending <b>€100 million</b> a year bought "
                f"<b>{share}%</b> from suppliers in the city, <b>€{kept:,.0f}</b> would be paid to "
                "local firms in the first round.</p>")

    def build():
        slider = w.IntSlider(value=20, min=0, max=100, step=5, description="Local share %",
                             continuous_update=False)
        out = w.HTML(describe(slider.value))
        slider.observe(lambda change: setattr(out, "value", describe(change["new"])), names="value")
        box = w.VBox([slider, out])
        box.add_class("spw-demo")
        return box

    show_tool(build, lambda: [HTML(describe(20))])
