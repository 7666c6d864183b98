"""Module 6 evaluation simulator, built in Python on the shipped Portavera data and driven through its
controls; results checked by hand and against the pure functions."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpers.core.errors import LearnerError
from helpers.learning.progress import ProgressStore
from helpers.tendering.bids import read_uploaded_bids, tender_bids
from helpers.tendering.evaluation import score_bids
from helpers.tendering.widgets.evaluation_simulator import (
    EXAMPLE_ABC,
    MINE,
    EvaluationSimulator,
    static_evaluation_simulator,
)
from tests.unit.download_checks import assert_binder_offer, not_on_binder, on_binder

BIDS = Path(__file__).resolve().parents[2] / "fixtures" / "bids"

pytestmark = pytest.mark.usefixtures("quiet_display")


@pytest.fixture()
def simulator(work_dir):
    return EvaluationSimulator("PV-T-2025-017")


def text(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


def test_static_evaluation_simulator_shows_the_defaults():
    views = static_evaluation_simulator("PV-T-2025-017")
    assert views[2].layout.title.text == "Scores at price weight 40: Juegos del Puerto S.L. wins"
    assert "PlayForm" in static_evaluation_simulator("PV-T-2025-017", 70)[2].layout.title.text


def test_simulator_defaults_show_the_playground_ranking(simulator):
    assert simulator.message.value == ""
    assert simulator.price_weight.value == 40  # the tender's published weight
    assert (
        "At price weight 40: Juegos del Puerto S.L. wins with 86.58 points, 0.86 ahead of Ludoteca Costa "
        "Alta Coop. (85.71)."
    ) in simulator.winner.value
    assert "maintenance plan (15)" in simulator.marks_html.value
    ranges = simulator.last_ranges.set_index("bidder")
    assert ranges.loc["Juegos del Puerto S.L.", "wins_from"] == pytest.approx(31.76, abs=0.01)
    assert ranges.loc["PlayForm Europe B.V.", "wins_from"] == pytest.approx(67.84, abs=0.01)
    assert "not flagged" in simulator.abnormal.value and "Portavera" in simulator.abnormal.value
    assert "ask for an explanation?" in simulator.abnormal.value and "False" not in simulator.abnormal.value


def test_simulator_price_weight_across_the_boundary_changes_the_winner(simulator):
    simulator.price_weight.value = 67
    assert "Juegos del Puerto S.L. wins" in simulator.winner.value
    simulator.price_weight.value = 68
    assert "PlayForm Europe B.V. wins" in simulator.winner.value
    assert simulator.figures["scores"].layout.title.text == "Scores at price weight 68: PlayForm Europe B.V. wins"
    expected = score_bids(tender_bids("PV-T-2025-017"), 68)
    assert list(simulator.last_scored["bidder"]) == list(expected["bidder"])
    simulator.price_weight.value = 31  # below 31.74: Ludoteca's range
    assert "Ludoteca Costa Alta Coop. wins" in simulator.winner.value


def test_simulator_formula_and_minimum_quality(simulator):
    simulator.source.value = EXAMPLE_ABC
    assert "B wins with 63.38" in simulator.winner.value  # rank reversal under relative
    simulator.formula.value = "log"
    assert "C wins with 50.00" in simulator.winner.value and "negative" in simulator.explanation.value
    simulator.min_quality.value = 50  # C (16.7 %) out before price
    assert "A wins with 80.00" in simulator.winner.value
    assert "quality below the minimum of 50%" in simulator.ranking.value


def test_simulator_rank_reversal_demo(simulator):
    assert "63.38" in simulator.reversal.value and "78.77" in simulator.reversal.value
    simulator.bid_c.value = False
    assert "63.38" not in simulator.reversal.value and "80.0" in simulator.reversal.value
    simulator.bid_c.value, simulator.reversal_formula.value = True, "log"
    assert "32.86" in simulator.reversal.value


def test_simulator_upload_bad_csv_names_the_row_and_keeps_the_bids(simulator):
    assert simulator.upload_bids("bad_price.csv", (BIDS / "bad_price.csv").read_bytes()) is None
    message = text(simulator.bids_message.value)
    assert "bad_price.csv, line 3: the price &#x27;abc&#x27; is not a number" in message
    assert "Juegos del Puerto S.L. wins" in simulator.winner.value  # the shipped bids stay in use
    good = simulator.upload_bids("brief_abc.csv", (BIDS / "brief_abc.csv").read_bytes())
    assert len(good) == 3 and simulator.source.value == "saved:brief_abc.csv"
    assert "B wins" in simulator.winner.value


def test_simulator_form_and_escaping(simulator):
    simulator.form[1][1].value = "lots"
    simulator.use_form.click()
    assert "the bids form, line 2: the price &#x27;lots&#x27; is not a number" in simulator.bids_message.value
    simulator.form[1][1].value = "130000"
    simulator.use_form.click()
    assert simulator.source.value == MINE and "B wins" in simulator.winner.value
    simulator.upload_bids("evil_name.csv", (BIDS / "evil_name.csv").read_bytes())
    assert "<img" not in simulator.ranking.value and "&lt;img" in simulator.ranking.value


def test_simulator_remembers_settings_only_on_click(work_dir):
    sim = EvaluationSimulator("PV-T-2025-017")
    sim.formula.value, sim.price_weight.value, sim.min_quality.value = "log", 55, 30
    sim.base.value = 3.0
    assert not (work_dir / "progress.json").exists()
    sim.remember.click()
    saved = ProgressStore(work_dir / "progress.json").load_settings("simulator")
    assert (saved["formula"], saved["price_weight"], saved["min_quality"], saved["base"]) == ("log", 55, 30, 3.0)
    assert "tender PV-T-2025-017, the log formula, price weight 55, minimum quality 30%, base A = 3" in text(
        sim.remember_message.value
    )
    again = EvaluationSimulator("PV-T-2025-017", price_weight=40)  # as the notebook calls it, after a restart
    assert (again.formula.value, again.price_weight.value, again.min_quality.value, again.base.value) == (
        "log",
        55,
        30,
        3.0,
    )
    assert "price weight 55" in again.winner.value
    assert "Opened on the settings you remembered: tender PV-T-2025-017, the log formula, price weight 55" in text(
        again.remember_message.value
    )
    other = EvaluationSimulator(None)  # a cell asking for other bids opens on those, and says so
    assert other.formula.value == "relative" and other.source.value == "example:AB"
    assert "remembered settings for tender PV-T-2025-017" in text(other.remember_message.value)
    again.forget.click()
    assert EvaluationSimulator("PV-T-2025-017").formula.value == "relative"


def test_uploaded_bids_are_kept_and_the_simulator_reopens_on_them(work_dir):
    sim = EvaluationSimulator("PV-T-2025-017")
    content = (BIDS / "brief_abc.csv").read_bytes()
    sim.upload_bids("brief_abc.csv", content)
    kept = work_dir / "bids" / "brief_abc.csv"
    assert kept.is_file() and "kept a copy as my_work/bids/brief_abc.csv" in text(sim.bids_message.value)
    sim.upload_bids("brief_abc.csv", content)  # the same again: found, not copied twice
    assert "already kept as my_work/bids/brief_abc.csv" in text(sim.bids_message.value)
    sim.upload_bids("brief_abc.csv", b"bidder,price,quality\nA,100000,70\nB,90000,50\n")  # other bids, same name
    assert kept.read_bytes().startswith(b"bidder,price,quality\nA,100000.0,66.67")  # never overwritten
    assert (work_dir / "bids" / "brief_abc-2.csv").is_file()
    assert "a different brief_abc.csv was kept already, so this is a new file" in text(sim.bids_message.value)
    sim.select_source("saved:brief_abc.csv")
    sim.formula.value, sim.price_weight.value = "linear", 45
    sim.lower.value, sim.upper.value = 60000.0, 140000.0
    sim.remember.click()
    assert "your bids my_work/bids/brief_abc.csv, the linear formula, price weight 45, minimum quality 0%, " in text(
        sim.remember_message.value
    )
    # a kernel restart: a new simulator from the same cell opens on the kept bids and the settings
    again = EvaluationSimulator("PV-T-2025-017", price_weight=40)
    assert again.source.value == "saved:brief_abc.csv" and len(again.bids()) == 3
    assert (again.formula.value, again.price_weight.value, again.lower.value, again.upper.value) == (
        "linear",
        45,
        60000.0,
        140000.0,
    )
    assert "Your bids: my_work/bids/brief_abc.csv" in [label for label, _ in again.source.options]
    expected = score_bids(again.bids(), 45, "linear", lower=60000.0, upper=140000.0)
    assert list(again.last_scored["bidder"]) == list(expected["bidder"])
    # the kept file deleted: it says so plainly and opens on the cell's tender, settings kept
    kept.unlink()
    third = EvaluationSimulator("PV-T-2025-017", price_weight=40)
    message = text(third.remember_message.value)
    assert "the bids you kept, my_work/bids/brief_abc.csv, are no longer there (deleted or moved)" in message
    assert third.source.value == "tender:PV-T-2025-017" and third.formula.value == "linear"
    assert "Juegos del Puerto" in third.winner.value and third.message.value == ""


def test_form_bids_are_kept_when_remembered(work_dir):
    sim = EvaluationSimulator("PV-T-2025-017")
    sim.use_form.click()  # the brief's A, B and C, as the form starts
    assert sim.source.value == MINE and "B wins with 63.38" in sim.winner.value
    sim.remember.click()
    assert (work_dir / "bids" / "form-bids.csv").is_file() and sim.source.value == "saved:form-bids.csv"
    again = EvaluationSimulator("PV-T-2025-017")
    assert again.source.value == "saved:form-bids.csv" and "B wins with 63.38" in again.winner.value


def test_simulator_on_the_cells_own_bids(work_dir):
    bids = read_uploaded_bids("mine.csv", (BIDS / "brief_abc.csv").read_bytes())
    sim = EvaluationSimulator("PV-T-2025-017", 40, bids=bids, bids_label="mine.csv")
    assert sim.source.value == MINE and "B wins with 63.38" in sim.winner.value
    views = static_evaluation_simulator("PV-T-2025-017", 40, bids=bids, bids_label="mine.csv")
    assert "Your bids (mine.csv), relative formula. At price weight 40: B wins" in views[0].data


def test_simulator_for_the_briefs_example_and_bad_tender(work_dir):
    sim = EvaluationSimulator(None)
    assert "A wins with 80.00 points, 1.23 ahead of B (78.77)" in sim.winner.value
    with pytest.raises(LearnerError, match="no tender 'XX-1'"):
        EvaluationSimulator("XX-1")


def test_a_broken_kept_file_is_a_message_and_clears_the_old_results(work_dir):
    sim = EvaluationSimulator("PV-T-2025-017")
    sim.upload_bids("mine.csv", (BIDS / "brief_abc.csv").read_bytes())
    sim.select_source("tender:PV-T-2025-017")
    sim.refresh()
    assert "Juegos del Puerto" in sim.winner.value
    (work_dir / "bids" / "mine.csv").write_text("bidder,price,quality\nA,lots,50\n", encoding="utf-8")
    sim._kept.clear()  # as after a restart: read from the file again
    sim.source.value = "saved:mine.csv"
    assert "mine.csv, line 2: the price &#x27;lots&#x27; is not a number" in sim.message.value
    assert sim.winner.value == "" and sim.ranking.value == "" and sim.bids_html.value == ""  # nothing stale
    assert "Traceback" not in sim.message.value


def test_remembering_offers_all_work_on_binder_only(simulator, work_dir, monkeypatch):
    not_on_binder(monkeypatch)
    assert simulator.remember_downloads in simulator.widget().children
    simulator.remember.click()
    assert "Remembered in" in simulator.remember_message.value and simulator.remember_downloads.outputs == ()
    on_binder(monkeypatch)
    simulator.remember.click()
    assert_binder_offer(simulator.remember_downloads, work_dir)
    simulator.forget.click()  # forgetting is not a save: no offer stays beside "Forgotten"
    assert "Forgotten" in simulator.remember_message.value and simulator.remember_downloads.outputs == ()
