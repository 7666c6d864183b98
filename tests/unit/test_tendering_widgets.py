"""Module 6 tools: the criteria builder and the evaluation simulator, built in Python on the
shipped Portavera data and driven through their controls; results checked by hand and against
the pure functions."""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from helpers.core.errors import LearnerError
from helpers.learning.progress import ProgressStore
from helpers.tendering import load_library, score_bids, tender_gaps
from helpers.tendering.widgets.tools import (EXAMPLE_ABC, MINE, CriteriaBuilder, EvaluationSimulator, bids_from_form,
                                       choose_tender, default_draft, marks_table, price_weight_where_winner_changes,
                                       rank_reversal_table, ranking_lines, read_uploaded_bids, reversal_lines,
                                       static_criteria_builder, static_evaluation_simulator, tender_bids, tender_marks,
                                       winner_at)

BIDS = Path(__file__).resolve().parents[1] / "fixtures" / "bids"


@pytest.fixture(autouse=True)
def quiet_display(monkeypatch):
    """Outside a kernel `display` prints figures; the tests read `figures` instead."""
    import IPython.display

    monkeypatch.setattr(IPython.display, "display", lambda *a, **k: None)


@pytest.fixture(scope="module")
def library():
    return load_library()


@pytest.fixture()
def builder(library, work_dir):
    return CriteriaBuilder(library=library)


@pytest.fixture()
def simulator(work_dir):
    return EvaluationSimulator("PV-T-2025-017")


def text(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


# ---------------------------------------------------------------- pure pieces

def test_playground_bids_quality_from_the_marks():
    bids = tender_bids("PV-T-2025-017").set_index("bidder")
    # Juegos del Puerto: 4/5×20 + 4/5×15 + 5/5×15 + 4/5×10 = 51 of 60 points = 85 %
    assert bids.loc["Juegos del Puerto S.L.", "quality_pct"] == pytest.approx(85.0)
    assert bids.loc["PlayForm Europe B.V.", "quality_pct"] == pytest.approx(100 * 37 / 60)
    grid = marks_table(tender_marks("PV-T-2025-017")).set_index("bidder")
    assert grid.loc["Juegos del Puerto S.L.", "maintenance plan (15)"] == 5
    assert grid.loc["Ludoteca Costa Alta Coop.", "quality_points"] == 53.0


def test_playground_ranking_at_40_and_70():
    bids = tender_bids("PV-T-2025-017")
    scored = score_bids(bids, 40)
    # Juegos: 40 × 965,000 / 1,085,000 + 51 = 86.58; Ludoteca: 40 × 965/1,180 + 53 = 85.71
    assert ranking_lines(scored).splitlines()[:2] == [
        "1. Juegos del Puerto S.L.: 86.58 (price 35.58 + quality 51.00)",
        "2. Ludoteca Costa Alta Coop.: 85.71 (price 32.71 + quality 53.00)"]
    assert winner_at(bids, 70) == "PlayForm Europe B.V."       # 70 + 30 × 0.6167 = 88.50
    assert price_weight_where_winner_changes() == 67.8


def test_rank_reversal_table_is_the_briefs():
    table = rank_reversal_table("relative")
    assert table[["A", "B", "C"]].fillna(-1).values.tolist() == [[80.0, 78.77, -1], [60.0, 63.38, 50.0]]
    assert list(table["winner"]) == ["A", "B"]
    assert reversal_lines(rank_reversal_table("log")).splitlines() == [
        "A and B only: A 80.00, B 72.86 → A wins", "C enters (quality 10, EUR 50k): A 40.00, B 32.86, C 50.00 → C wins"]


def test_choose_tender_falls_back_for_a_city_without_a_featured_tender():
    assert choose_tender("portavera") == "PV-T-2025-017"
    assert choose_tender("portavera", "PV-T-2024-009") == "PV-T-2024-009"
    assert choose_tender("valmora") is None and choose_tender("nordhaven", "PV-T-2025-017") is None


def test_bids_from_form_and_upload_name_the_row():
    assert bids_from_form([("A", "100000", "66.67"), ("", "", ""), ("B", "130 000", "80")])["price"].tolist() == \
        [100000.0, 130000.0]
    with pytest.raises(LearnerError, match=r"the bids form, line 2: the price 'abc' is not a number"):
        bids_from_form([("A", "100000", "66.67"), ("B", "abc", "80")])
    with pytest.raises(LearnerError, match="line 2: the bidder 'A' appears twice"):
        bids_from_form([("A", "1", "1"), ("A", "2", "2")])
    with pytest.raises(LearnerError, match=r"bad_price.csv, line 3: the price 'abc' is not a number"):
        read_uploaded_bids("bad_price.csv", (BIDS / "bad_price.csv").read_bytes())
    with pytest.raises(LearnerError, match="no column 'quality'"):
        read_uploaded_bids("x.csv", b"bidder,price\nA,1\n")


def test_tender_gaps_without_a_status_column():
    # fixed in evaluation.tender_gaps: a table with no status column used to fail (every bid counts as valid)
    gaps = tender_gaps(pd.DataFrame({"tender_id": ["T", "T"], "bidder": ["W", "S"], "price": [100.0, 115.0],
                                     "winner": [True, False]}))
    assert gaps["gap"].item() == pytest.approx(0.15)


def test_static_views_show_the_defaults():
    items = static_criteria_builder()
    table = items[1]
    assert list(table["points"]) == [20, 15, 15, 10, 0, 0, 0, 40]
    assert items[2].layout.title.text == "Award weights in the draft: 100 of 100 points"
    assert "No problems found" in items[3].data
    views = static_evaluation_simulator("PV-T-2025-017")
    assert views[2].layout.title.text == "Scores at price weight 40: Juegos del Puerto S.L. wins"
    assert "PlayForm" in static_evaluation_simulator("PV-T-2025-017", 70)[2].layout.title.text


# ---------------------------------------------------------------- criteria builder

def test_builder_default_draft_is_clean_and_weights_drive_the_checks(builder):
    assert len(builder.draft.items) == 7 and builder.draft.quality_weight == 60
    assert "No problems found" in builder.validation.value
    builder.set_weight(0, 15)                                          # children's choice 20 → 15
    assert "the award criteria carry 55 points and price 40: together 95, but they must add up to 100" \
        in builder.validation.value
    assert "spw-error" in builder.validation.value and "Quality 55 + price 40 = <b>95</b>" in builder.weights_summary.value
    builder.price_weight.value = 45                                     # back to 100 in total
    assert "No problems found" in builder.validation.value
    builder.price_weight.value = 85
    assert "outside 20–80" in builder.validation.value and "spw-warning" in builder.validation.value


def test_builder_performance_clause_with_points_belongs_in_a_clause(builder, library):
    builder.theme.value = "green"
    assert all(library.loc[v, "theme"] == "green" for _, v in builder.suggestion.options)
    builder.suggestion.value = "GRN-ANY-01"
    assert "Carbon reporting for the contract" in builder.card.value and "Verification:" in builder.card.value
    builder.add_selected()
    builder.set_weight(7, 5)
    assert ("item 8 (Carbon reporting for the contract) is a contract performance clause but has 5 points: it "
            "belongs in a contract clause") in builder.validation.value
    builder.remove(7)
    assert "No problems found" in builder.validation.value


def test_builder_placeholders_fill_the_wording(builder):
    box = next(b for b in builder.placeholder_boxes[5] if b.description == "years")   # repair before replacement
    box.value = "12"
    assert builder.draft.items[5].values == {"years": "12"}
    assert "for at least 12 years" in text(builder.items_box.children[5].children[1].value)


def test_builder_escapes_learner_text(builder):
    builder.cpv.value = "<b>x</b>"
    assert "&lt;b&gt;x&lt;/b&gt;" in builder.validation.value and "<b>x</b>" not in builder.validation.value


def test_builder_save_and_load_round_trip(builder, library, work_dir):
    builder.set_weight(0, 25)
    builder.price_weight.value = 35
    builder.draft_name.value = "Playground v1"
    assert not (work_dir / "progress.json").exists()                   # nothing saved before the click
    builder.save_button.click()
    assert "Saved the draft “Playground v1”" in builder.save_message.value
    assert ProgressStore(work_dir / "progress.json").list_drafts("criteria") == ["Playground v1"]
    fresh = CriteriaBuilder(library=library)
    assert fresh.saved.options == ("Playground v1",) and fresh.draft.items[0].weight == 20
    fresh.load("Playground v1")
    assert fresh.draft.items[0].weight == 25 and fresh.price_weight.value == 35
    assert fresh.weight_boxes[0].value == 25 and "No problems found" in fresh.validation.value


def test_builder_export_writes_docx_and_markdown(builder, work_dir):
    builder.export_button.click()
    written = sorted(p.name for p in (work_dir / "exports").iterdir())
    assert written == ["criteria_playground_equipment_supply_and_maintena.docx",
                       "criteria_playground_equipment_supply_and_maintena.md"]
    assert "criteria_playground" in builder.export_message.value
    md = (work_dir / "exports" / written[1]).read_text(encoding="utf-8")
    assert "Price carries 40 points" in md and "Children's choice of design" in md


def test_default_draft_for_another_cpv_adds_up(library):
    draft = default_draft(library, "55523100-3", "School meals", 3_600_000)
    assert draft.quality_weight + draft.price_weight == 100
    assert {i.type for i in draft.items} == {"award_criterion", "technical_specification",
                                             "contract_performance_clause"}


# ---------------------------------------------------------------- evaluation simulator

def test_simulator_defaults_show_the_playground_ranking(simulator):
    assert simulator.message.value == ""
    assert simulator.price_weight.value == 40                           # the tender's published weight
    assert ("At price weight 40: Juegos del Puerto S.L. wins with 86.58 points, 0.86 ahead of Ludoteca Costa "
            "Alta Coop. (85.71).") in simulator.winner.value
    assert "maintenance plan (15)" in simulator.marks_html.value
    ranges = simulator.last_ranges.set_index("bidder")
    assert ranges.loc["Juegos del Puerto S.L.", "wins_from"] == pytest.approx(31.76, abs=0.01)
    assert ranges.loc["PlayForm Europe B.V.", "wins_from"] == pytest.approx(67.84, abs=0.01)
    assert "not flagged" in simulator.abnormal.value and "Portavera" in simulator.abnormal.value


def test_simulator_price_weight_across_the_boundary_changes_the_winner(simulator):
    simulator.price_weight.value = 67
    assert "Juegos del Puerto S.L. wins" in simulator.winner.value
    simulator.price_weight.value = 68
    assert "PlayForm Europe B.V. wins" in simulator.winner.value
    assert simulator.figures["scores"].layout.title.text == "Scores at price weight 68: PlayForm Europe B.V. wins"
    expected = score_bids(tender_bids("PV-T-2025-017"), 68)
    assert list(simulator.last_scored["bidder"]) == list(expected["bidder"])
    simulator.price_weight.value = 31                                   # below 31.74: Ludoteca's range
    assert "Ludoteca Costa Alta Coop. wins" in simulator.winner.value


def test_simulator_formula_and_minimum_quality(simulator):
    simulator.source.value = EXAMPLE_ABC
    assert "B wins with 63.38" in simulator.winner.value               # rank reversal under relative
    simulator.formula.value = "log"
    assert "C wins with 50.00" in simulator.winner.value and "negative" in simulator.explanation.value
    simulator.min_quality.value = 50                                     # C (16.7 %) out before price
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
    assert "Juegos del Puerto S.L. wins" in simulator.winner.value     # the shipped bids stay in use
    good = simulator.upload_bids("brief_abc.csv", (BIDS / "brief_abc.csv").read_bytes())
    assert len(good) == 3 and simulator.source.value == MINE
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
    sim.formula.value, sim.price_weight.value = "log", 55
    assert not (work_dir / "progress.json").exists()
    sim.remember.click()
    assert ProgressStore(work_dir / "progress.json").load_settings("simulator")["formula"] == "log"
    again = EvaluationSimulator("PV-T-2025-017", price_weight=40)      # as the notebook calls it
    assert (again.formula.value, again.price_weight.value) == ("log", 55)
    assert "price weight 55" in again.winner.value and "price weight 55, log formula" in again.remember_message.value
    assert EvaluationSimulator(None).formula.value == "relative"         # remembered for other bids only


def test_simulator_for_the_briefs_example_and_bad_tender(work_dir):
    sim = EvaluationSimulator(None)
    assert "A wins with 80.00 points, 1.23 ahead of B (78.77)" in sim.winner.value
    with pytest.raises(LearnerError, match="no tender 'XX-1'"):
        EvaluationSimulator("XX-1")
