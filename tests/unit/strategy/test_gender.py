"""EIGE's guiding questions (lots, needs assessment) as a checklist: answers checked, what to do next, saved as
a draft and reloaded; the real cases with their sources."""

from __future__ import annotations

import pytest

from helpers.core.errors import LearnerError
from helpers.learning.progress import ProgressStore
from helpers.strategy import checklist_summary, checklist_table, gender_case_lines, gender_cases, gender_questions
from helpers.strategy.widgets.gender_checklist import GenderChecklist, checklist_static_view, draft_tool


def test_the_questions_are_eiges_with_their_source():
    lots, needs = gender_questions("lots"), gender_questions("needs")
    assert (len(lots), len(needs)) == (5, 4)
    assert all("eige.europa.eu/gender-mainstreaming/toolkits/grpp/tool-6" in q["source"] for q in lots)
    assert all("eige.europa.eu/gender-mainstreaming/toolkits/grpp/tool-4" in q["source"] for q in needs)
    assert "women-led businesses" in needs[3]["question"]
    with pytest.raises(LearnerError, match="no gender checklist"):
        gender_questions("award")


def test_the_summary_gives_the_follow_ups_the_answers_call_for():
    answers = {
        "lots-1": {"answer": "no"},  # follow-up when "no": consult the market
        "lots-2": {"answer": "no"},  # follow-up only when "yes"
        "lots-3": {"answer": "not sure"},  # "not sure" always gets the follow-up
        "lots-9": {"answer": "yes"},  # not a question: ignored
        "lots-4": {"answer": "<script>"},  # not an answer: open
    }
    lines = checklist_summary("lots", answers)
    assert lines[0] == "3 of 5 questions answered (dividing the contract into lots (EIGE tool 6))."
    assert lines[1] == "Q1 (no): If not, hold a preliminary market consultation first."
    assert lines[2].startswith("Q3 (not sure): Consider a separate lot")
    assert lines[3] == "Still to answer: Q4, Q5."
    assert len(lines) == 4


def test_the_table_keeps_notes_short_and_shows_the_answers():
    table = checklist_table("needs", {"needs-1": {"answer": "YES", "note": "x" * 900}})
    assert table.loc[0, "answer"] == "yes" and len(table.loc[0, "note"]) == 500
    assert table["answer"].tolist()[1:] == ["", "", ""]


def test_the_checklist_saves_and_reloads_a_draft(work_dir):
    tool = GenderChecklist("needs")
    tool.answers["needs-2"].value = "no"
    tool.notes["needs-2"].value = "ask the equality office"
    assert "Q2 (no): If not, consult people who do" in tool.summary.value
    tool.name.value = "School meals"
    tool.save_answers()
    assert "Saved your answers for 'School meals'" in tool.status.value
    saved = ProgressStore(work_dir / "progress.json").load_draft(draft_tool("needs"), "School meals")
    assert saved["needs-2"] == {"answer": "no", "note": "ask the equality office"}
    fresh = GenderChecklist("needs")
    fresh.name.value = "School meals"
    fresh.load_answers()
    assert fresh.answers["needs-2"].value == "no" and fresh.notes["needs-2"].value == "ask the equality office"


def test_reloading_a_draft_that_does_not_exist_says_so(work_dir):
    tool = GenderChecklist("lots")
    tool.name.value = "nothing"
    tool.reload.click()
    assert "no saved draft called" in tool.message.value


def test_the_cases_name_their_sources():
    assert {c["id"] for c in gender_cases()} >= {"vienna", "basque-country", "genprocure", "the-hague"}
    vienna = gender_case_lines("05")[0]
    assert vienna.startswith("Vienna (Austria).") and "https://urbact.eu/toolbox-home/" in vienna
    assert "Emakunde" in gender_case_lines("06")[0]
    assert "urbact.eu/networks/genprocure" in gender_case_lines("07")[0]
    shown = checklist_static_view("lots")
    assert len(shown[0]) == 5 and "The Hague" in shown[1].data
