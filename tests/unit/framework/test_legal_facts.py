"""The legal facts table: every legal figure once, with its article, a primary source, the day it was checked
and, for figures that change on a schedule, a validity period that has not run out."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

from helpers.core.content import all_content
from helpers.framework import buying_together_table, exclusion_grounds_table
from helpers.framework.facts import expired_series, fact, fact_value, legal_facts, legal_facts_table, series_members

PRIMARY = ("https://eur-lex.europa.eu/", "https://www.finlex.fi/", "https://tem.fi/")


def test_no_scheduled_figure_has_run_out():
    """Fails when today is past the last period of a scheduled series (the thresholds are revised every two
    years): add the new period's figures, from the new delegated regulations on EUR-Lex, to legal_facts.yaml."""
    ended = expired_series(dt.date.today())
    assert not ended, (
        "these legal figures are no longer valid: "
        + ", ".join(f"{series} (ended {day.isoformat()})" for series, day in ended.items())
        + "; add the new period to course/content/legal_facts.yaml from the Commission's delegated regulations"
    )


def test_expired_series_finds_the_gap_in_2028():
    assert expired_series("2027-12-31") == {}
    ended = expired_series("2028-01-01")
    assert set(ended) == {
        "threshold-works",
        "threshold-supplies_services_central",
        "threshold-supplies_services_sub_central",
        "threshold-utilities_supplies_services",
        "threshold-concessions",
    }
    assert set(ended.values()) == {dt.date(2027, 12, 31)}


def test_every_fact_has_an_article_a_primary_source_and_a_check_date():
    facts = legal_facts()
    assert len(facts) >= 40
    for f in facts.values():
        assert f.article and f.law, f.id
        assert f.source.startswith(PRIMARY), f"{f.id}: {f.source}"
        assert f.checked <= dt.date.today(), f.id
        if f.series:
            assert f.valid_from and f.valid_to, f"{f.id} is scheduled but has no validity period"


def test_scheduled_periods_follow_each_other_without_gaps():
    for series in {f.series for f in legal_facts().values() if f.series}:
        members = series_members(series)
        for before, after in zip(members, members[1:]):
            assert after.valid_from == before.valid_to + dt.timedelta(days=1), series


@pytest.mark.parametrize(
    "fact_id, value, article",
    [
        ("threshold-supplies_services_sub_central-2026", 216_000, "Art. 4(c), as amended by Commission Delegated "
         "Regulation (EU) 2025/2152 of 22 October 2025 (OJ L, 23.10.2025)"),
        ("threshold-supplies_services_sub_central-2024", 221_000, "Art. 4(c), as amended by Commission Delegated "
         "Regulation (EU) 2023/2495 (OJ L, 16.11.2023)"),
        ("threshold-social_services", 750_000, "Art. 4(d) and Arts 74-76"),
        ("open-tenders", 35, "Art. 27(1)"),
        ("restricted-tenders-no-agreement", 10, "Art. 28(4) (a Member State option)"),
        ("reserved-contracts-min-share", 30, "Art. 20(1)"),
        ("modification-de-minimis-works", 15, "Art. 72(2)"),
        ("modification-max-increase", 50, "Art. 72(1)(b) and (c)"),
        ("finland-national-threshold-works", 150_000, "section 25"),
    ],
)  # fmt: skip
def test_key_figures_and_their_articles(fact_id, value, article):
    assert fact_value(fact_id) == value
    assert fact(fact_id).article == article


def test_light_regime_threshold_is_fixed_not_scheduled():
    light = fact("threshold-social_services")
    assert light.series is None and light.valid_from is None and light.valid_to is None
    assert "not revised every two years" in light.what


def test_no_other_content_file_writes_a_legal_figure_twice():
    """Files that quote the facts refer to them by id: no `amount_eur` or `days` field outside the facts table,
    except module 5's minimum periods, which keep `days` for the health check and must match their fact."""
    for name, data in all_content().items():
        if name in ("legal_facts", "preprocurement_legal_minimum_periods"):
            continue
        for item in data["items"]:
            assert "amount_eur" not in item, name
            if name.startswith("framework_"):
                assert "days" not in item, name


def test_module_5_minimum_periods_match_their_facts():
    periods = all_content()["preprocurement_legal_minimum_periods"]["items"]
    for period in periods:
        if period.get("days") is not None:
            minus = fact_value(period["minus"]) if period.get("minus") else 0
            assert period["days"] == fact_value(period["fact"]) - minus, period["id"]
        assert period["source"].startswith("https://eur-lex.europa.eu/"), period["id"]
        assert period["article"].startswith("Art. 2"), period["id"]


def test_legal_facts_table_for_learners():
    table = legal_facts_table("threshold")
    assert list(table.columns) == ["figure", "what", "law and article", "source", "checked", "valid"]
    row = table[table["figure"] == "€216,000"].iloc[0]
    assert row["valid"] == "2026-01-01 to 2027-12-31" and "2025/2152" in row["law and article"]
    assert table[table["figure"] == "€750,000"].iloc[0]["valid"] == "until the law changes"
    assert legal_facts_table("open")["figure"].tolist() == ["35 days", "15 days", "15 days"]


def test_buying_together_and_exclusion_tables_fill_their_figures_from_the_facts():
    tools = buying_together_table().set_index("tool")
    assert "at most 4 years" in tools.loc["Framework agreement", "what the law says"]
    dps = tools.loc["Dynamic purchasing system (DPS)", "what the law says"]
    assert "at least 30 days" in dps and "at least 10 days for tenders" in dps
    assert tools["article"].tolist() == [
        "Directive 2014/24/EU, Art. 33",
        "Directive 2014/24/EU, Art. 34",
        "Directive 2014/24/EU, Arts 35 and 36",
        "Directive 2014/24/EU, Art. 37 (definitions in Art. 2(1)(14)-(16))",
        "Directive 2014/24/EU, Art. 38",
        "Directive 2014/24/EU, Art. 39",
    ]
    grounds = exclusion_grounds_table().set_index("ground")
    periods = grounds.loc["How long an exclusion lasts", "what the law says"]
    assert "at most 5 years" in periods and "3 years" in periods
    assert grounds.loc["Conflicts of interest", "article"] == "Directive 2014/24/EU, Art. 24"
    assert set(grounds["kind"]) >= {"mandatory", "discretionary"}
    assert not buying_together_table().apply(lambda c: c.astype(str).str.contains("{")).any().any()


def test_turnover_cap_of_the_lotting_advisor_is_the_legal_fact():
    cap = all_content()["strategy_turnover_cap"]["items"][0]
    assert cap["fact"] == "turnover-cap-multiple" and cap["multiple"] == fact_value("turnover-cap-multiple") == 2


NOTEBOOK_2 = Path(__file__).resolve().parents[3] / "notebooks" / "02_eu_policy_framework.md"
# euro amounts module 2's prose may quote that are not legal figures: worked examples (course design)
EXAMPLE_AMOUNTS = {250_000, 150_000, 20_000}


def test_module_2_prose_quotes_only_figures_from_the_facts_table():
    """Every euro amount in module 2's text is a figure of the legal facts table, or a labelled example."""
    prose = "\n".join(part for i, part in enumerate(NOTEBOOK_2.read_text(encoding="utf-8").split("```")) if i % 2 == 0)
    amounts = {int(m.replace(",", "")) for m in re.findall(r"€(\d[\d,]*)", prose)}
    legal = {int(f.value) for f in legal_facts().values() if f.unit == "EUR"}
    assert amounts - EXAMPLE_AMOUNTS <= legal, sorted(amounts - EXAMPLE_AMOUNTS - legal)
    assert {216_000, 221_000, 5_404_000, 750_000, 60_000, 150_000} <= amounts


def test_quiz_answers_that_quote_a_legal_figure_match_the_facts():
    quizzes = Path(__file__).resolve().parents[3] / "course" / "quizzes"
    questions = {
        q["id"]: q for path in quizzes.glob("module*.yaml") for q in yaml.safe_load(path.read_text())["questions"]
    }
    rotterdam = questions["m04-rotterdam"]
    assert (
        rotterdam["options"][rotterdam["answer"]] == f"€{fact_value('threshold-supplies_services_sub_central-2026'):,}"
    )
    assert questions["m06-reserved"]["answer"] == fact_value("reserved-contracts-min-share")
    assert questions["m02-open-days"]["answer"] == fact_value("open-tenders") - fact_value("e-submission-reduction")
    assert questions["m02-restricted-days"]["answer"] == 25
