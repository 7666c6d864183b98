"""The one issue type and its HTML."""

from __future__ import annotations

import pytest

from helpers.ui.messages import Issue, has_errors, issues_html


def test_issue_reads_as_one_sentence_with_where_and_fix():
    issue = Issue("the amount is not a number", fix="Write it as 1234.50", where="bids.csv, line 4", line=4)
    assert str(issue) == "bids.csv, line 4: the amount is not a number. Write it as 1234.50."
    assert issue.to_dict()["line"] == 4


def test_unknown_severity_is_refused():
    with pytest.raises(ValueError):
        Issue("x", severity="fatal")


def test_html_orders_errors_first_says_the_severity_in_words_and_escapes():
    html = issues_html([Issue("check <b>me</b>", severity="warning"), Issue("<img src=x onerror=alert(1)>")])
    assert html.index("Problem:") < html.index("Check:")
    assert "<img" not in html and "&lt;img" in html
    assert "&lt;b&gt;me" in html


def test_no_issues_says_so():
    assert "No problems found." in issues_html([])
    assert "All good" in issues_html([], ok_text="All good")
    assert not has_errors([Issue("x", severity="warning")])
    assert has_errors([Issue("x")])
