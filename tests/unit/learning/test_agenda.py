"""Session agendas: generated from the course map's section minutes, exact in time, honest about skips."""

from __future__ import annotations

import subprocess
import sys

import pytest

from helpers.core.errors import LearnerError
from helpers.learning import agenda as ag
from helpers.learning.course import module

FORMATS = ag.formats()


def test_the_five_formats_exist_shortest_first():
    assert [f.id for f in FORMATS] == ["taster-90", "workshop-180", "one-day", "cohort-4-weeks", "two-day"]


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.id)
def test_blocks_add_up_exactly_to_the_format(fmt):
    assert ag.agenda(format_id=fmt.id).total_minutes == fmt.minutes


def test_module_blocks_take_the_course_map_minutes_unless_they_say_otherwise():
    one_day = ag.agenda(format_id="one-day")
    m03 = next(line.block for line in one_day.lines if line.block.module == "03")
    assert m03.sections == (1, 3, 4, 5, 6)
    assert m03.minutes == sum(module("03").sections[n - 1].minutes for n in m03.sections) == 38


def test_workshop_clock_skips_and_not_covered():
    plan = ag.agenda(180)
    assert plan.format.id == "workshop-180"
    assert plan.lines[0].when == "09:30–09:40" and plan.lines[-1].when == "12:10–12:30"
    assert "2. The cycle of procurement" in plan.skipped["01"]
    assert plan.not_covered == ["Module 02: The EU policy framework"]


def test_two_days_restart_the_clock_and_cover_everything():
    plan = ag.agenda(format_id="two-day")
    days = [line for line in plan.lines if line.block.kind == "day"]
    assert len(days) == 2
    after_day_2 = plan.lines[plan.lines.index(days[1]) + 1]
    assert after_day_2.when.startswith("09:00")
    assert plan.skipped == {} and plan.not_covered == []


def test_weekly_cohort_has_no_clock():
    plan = ag.agenda(format_id="cohort-4-weeks")
    assert all(line.when == "" for line in plan.lines)
    assert "## Week 2" in plan.to_markdown()


def test_longest_format_that_fits_and_errors():
    assert ag.choose_format(200).id == "workshop-180"
    assert ag.choose_format(90).id == "taster-90"
    with pytest.raises(LearnerError, match="no session format fits"):
        ag.choose_format(60)
    with pytest.raises(LearnerError, match="Choose one of"):
        ag.choose_format(format_id="retreat")
    with pytest.raises(LearnerError, match="not a time"):
        ag.agenda(180, start="9h30")


def test_markdown_has_times_tools_councillor_track_and_checklist():
    text = ag.agenda(180, start="14:00").to_markdown()
    assert "| 14:00–14:10 | 10 |" in text
    assert "`evaluation_simulator`" in text
    assert "## For a mixed room: the councillor track" in text and "units that order" in text
    assert "- [ ] " in text


def test_command_line_prints_an_agenda():
    done = subprocess.run(
        [sys.executable, "-m", "helpers", "agenda", "--minutes", "180"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("# 3-hour workshop (3 h 00 min)")


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.id)
def test_written_agendas_are_current_and_linked_from_the_trainer_guide(fmt):
    path = ag.agendas_dir() / f"{fmt.id}.md"
    assert path.read_text(encoding="utf-8") == ag.agenda(format_id=fmt.id).to_markdown(), (
        "run: python -m helpers agenda --write"
    )
    guide = (ag.course_dir() / "trainer-guide.md").read_text(encoding="utf-8")
    assert f"(agendas/{fmt.id}.md)" in guide
