"""Module 2 advisor widget: amounts as learners type them, the verdict flipping at the threshold,
options changing the time limits, escaped output, the saved note, and the tenders check."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from helpers.core.errors import LearnerError
from helpers.framework.advice import advise
from helpers.framework.thresholds import thresholds_display
from helpers.framework.widgets import threshold_advisor
from helpers.framework.widgets.threshold_advisor import (
    ThresholdAdvisor,
    advice_html,
    default_date,
    parse_euro,
    save_advice,
    time_limits_view,
    verdict_html,
)
from helpers.ui.tool import Tool
from tests.unit.download_checks import (
    assert_binder_offer,
    assert_links,
    assert_local_links_only,
    not_on_binder,
    on_binder,
)


@pytest.mark.parametrize(
    "text, value",
    [
        ("250000", 250_000),
        ("250,000", 250_000),
        ("250.000", 250_000),
        ("250 000", 250_000),
        ("€ 1.250.000,50", 1_250_000.5),
        ("1,234.56", 1234.56),
        ("216000,5", 216_000.5),
        (215999, 215_999),
    ],
)
def test_parse_euro_reads_what_learners_type(text, value):
    assert parse_euro(text) == value


@pytest.mark.parametrize("text", ["", "abc", "1.234.56", "1,2345", "-5", "12e5"])
def test_parse_euro_refuses_non_amounts(text):
    with pytest.raises(LearnerError):
        parse_euro(text)


def test_default_date_stays_in_the_table():
    assert default_date(dt.date(2026, 11, 30)) == dt.date(2026, 11, 30)
    assert default_date(dt.date(2030, 5, 1)) == dt.date(2027, 12, 31)
    assert default_date(dt.date(2019, 5, 1)) == dt.date(2022, 1, 1)


def test_verdict_html_and_time_limits():
    above = advise("services", 250_000, "sub_central", "2026-03-01")
    html = verdict_html(above)
    assert "spw-verdict-above" in html and "At or above the EU threshold: €250,000 ≥ €216,000" in html
    assert "2026–27" in html and "the EU Directive applies" in html
    below = advise("services", 215_999, "sub_central", "2026-03-01")
    assert "Below the EU threshold: €215,999 &lt; €216,000" in verdict_html(below)
    limits = time_limits_view(above)
    # open (Art. 27(4)); restricted requests (Art. 28(1)), tenders (Art. 28(5)), the Art. 28(4) option
    assert limits["minimum"].tolist() == ["30 days", "30 days", "25 days", "see rule"]
    urgent = time_limits_view(advise("services", 250_000, "sub_central", "2026-03-01", urgent=True))
    assert urgent["minimum"].tolist() == ["15 days", "15 days", "10 days", "see rule"]  # Arts 27(3), 28(6)
    html = advice_html(above)
    assert "spw-legal-basis" in html and "Applied: Directive 2014/24/EU Arts" in html
    assert "Delegated Regulation (EU) 2025/2152" in html and "Not known to this tool" in html


def test_thresholds_display():
    table = thresholds_display()
    row = table[table["contract type"].str.startswith("Supplies and services, sub-central")].iloc[0]
    assert (row["2022–23"], row["2024–25"], row["2026–27"]) == ("€215,000", "€221,000", "€216,000")


@pytest.fixture()
def advisor(work_dir):
    return ThresholdAdvisor(on_date="2026-03-01")


def test_advisor_flips_at_the_threshold(advisor):
    assert advisor.advice.threshold_eur == 216_000 and advisor.advice.above_threshold
    advisor.value.value = "215,999"
    assert "spw-verdict-below" in advisor.verdict.value and "Treaty principles" in advisor.details.value
    advisor.value.value = "216000"  # equal counts as above
    assert "spw-verdict-above" in advisor.verdict.value
    advisor.contract_type.value = "works"
    assert "€5,404,000" in advisor.verdict.value and "spw-verdict-below" in advisor.verdict.value
    advisor.contract_type.value = "services"
    advisor.on_date.value = dt.date(2025, 6, 1)  # 2024–25: €221,000
    assert "€221,000" in advisor.verdict.value and "spw-verdict-below" in advisor.verdict.value
    advisor.buyer_type.value = "central"  # €143,000 in 2024–25
    assert "€143,000" in advisor.verdict.value and "spw-verdict-above" in advisor.verdict.value


def test_options_change_the_time_limits(advisor):
    assert re.search(r"<td[^>]*>30 days</td>", advisor.details.value)
    advisor.e_submission.value = False
    assert re.search(r"<td[^>]*>35 days</td>", advisor.details.value)
    advisor.pin.value = True
    assert re.search(r"<td[^>]*>15 days</td>", advisor.details.value)
    advisor.procedure.value = "competitive_dialogue"
    assert "spw-time-limits" not in advisor.details.value and "competitive dialogue (Art. 30)" in advisor.details.value
    assert "may be used only if" in advisor.details.value and "Art. 26(4)" in advisor.details.value
    labels = dict((k, label) for label, k in advisor.procedure.options)
    assert labels["open"] == "open procedure (Art. 27): always available, Art. 26(2)"
    assert labels["competitive_dialogue"] == "competitive dialogue (Art. 30): only on a legal ground, Art. 26(4)"


def test_bad_value_shows_a_message_and_no_stale_verdict(advisor):
    advisor.value.value = "lots of money"
    assert "Problem" in advisor.message.value and advisor.verdict.value == "" and advisor.advice is None
    with pytest.raises(LearnerError):
        advisor.save_note()
    advisor.save.click()  # guarded: a message, no traceback
    assert "no advice to save" in advisor.message.value
    advisor.value.value = "300000"
    assert advisor.message.value == "" and "€300,000" in advisor.verdict.value


def test_save_note_writes_markdown_only_on_click(advisor, work_dir):
    exports = work_dir / "exports"
    assert not exports.exists() or not list(exports.glob("*.md"))  # building the tool saves nothing
    advisor.save.click()
    [note] = list(exports.glob("*.md"))
    text = note.read_text(encoding="utf-8")
    assert "at or above the EU threshold of €216,000" in text and "| 30 days |" in text
    assert "## Legal basis" in text and "Not known to this tool" in text
    assert str(note) in advisor.saved_note.value


def test_advice_html_escapes_text_and_note_goes_to_the_folder(tmp_path):
    advice = advise("services", 250_000, "sub_central", "2026-03-01")
    advice.reminders.append("<script>x</script>")
    html = advice_html(advice)
    assert "<script>" not in html and "&lt;script&gt;" in html
    note = save_advice(advice, folder=tmp_path)
    assert note == tmp_path / "threshold_advice_services_2026-03-01_250000.md"


def test_the_advisor_is_a_course_tool_with_its_message_area(advisor):
    assert isinstance(advisor, Tool)
    box = advisor.widget()
    assert "spw-advisor" in box._dom_classes and advisor.message in box.children
    assert "spw-verdict-above" in advisor.static_view()[0].data  # €250,000 services, headless


def test_the_saved_note_gets_a_download_link_and_binder_its_warning(advisor, work_dir, monkeypatch):
    not_on_binder(monkeypatch)
    advisor.save.click()
    [note] = list((work_dir / "exports").glob("*.md"))
    assert_local_links_only(advisor.downloads, [note])
    assert advisor.downloads in advisor.widget().children
    on_binder(monkeypatch)
    advisor.save.click()
    assert_links(advisor.downloads, [note])
    assert_binder_offer(advisor.downloads, work_dir)
    advisor.value.value = "lots of money"
    advisor.save.click()  # no advice to save: no link to the earlier note stays beside the problem
    assert "no advice to save" in advisor.message.value and advisor.downloads.outputs == ()


def test_download_links_escape_the_file_name(advisor, work_dir, monkeypatch):
    not_on_binder(monkeypatch)
    hostile = work_dir / "exports" / '"><img src=x onerror=alert(1)> & note.md'

    def write(advice):
        hostile.parent.mkdir(parents=True, exist_ok=True)
        hostile.write_text("# Note\n", encoding="utf-8")
        return hostile

    monkeypatch.setattr(threshold_advisor, "save_advice", write)
    advisor.save.click()
    assert (
        "<img" not in advisor.downloads.html
        and "&lt;img src=x onerror=alert(1)&gt; &amp; note.md" in advisor.downloads.html
    )
    assert_local_links_only(advisor.downloads, [hostile])
