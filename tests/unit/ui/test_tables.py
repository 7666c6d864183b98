"""Tables as learners see them: one formatter for money and percentages, words for names, no
internal columns, status chips and footnotes, everything escaped."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from helpers.ui import tables
from helpers.ui.page import CSS


def cells(html: str) -> list[list[str]]:
    rows = re.findall(r"<tr>(.*?)</tr>", html, re.S)
    return [[re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", r, re.S)] for r in rows]


@pytest.mark.parametrize(
    ("name", "values", "kind"),
    [
        ("estimated value (€)", [1123000.0, 523000.0], "money"),
        ("credits_eur", [4450.98, 0.0], "money"),
        ("credits to date (EUR)", [5877.31], "money"),
        ("amount", [17312975.7], "money"),
        ("price points", [35.58], "number"),
        ("credit_pct", [3.0], "percent"),
        ("single_bid_rate_pct", [12.5], "percent"),
        ("share", [0.067, 0.065], "share"),
        ("local share", [45.8, 12.0], "percent"),
        ("tenders", [3, 12], "integer"),
        ("quality points", [51.0, 53.5], "number"),
        ("status", ["red", "green"], "rag"),
        ("status", ["verified", "course design"], "status"),
        ("capped", [True, False], "bool"),
        ("title", ["Insurance services"], "text"),
    ],
)
def test_column_kinds(name, values, kind):
    assert tables.column_kind(name, pd.Series(values)) == kind


def test_money_percent_and_numbers_never_in_scientific_notation_and_unknown_is_said():
    table = pd.DataFrame(
        {
            "indicator": ["total", "credit notes"],
            "2024 (EUR)": [2.588824e08, np.nan],
            "share": [0.259641, 0.5],
            "price_weight": [40, 100],
            "quality_pct": [85.0, 61.666667],
        }
    )
    shown = cells(tables.learner_table_html(table))
    assert shown[0] == ["indicator", "2024 (EUR)", "share", "price weight", "quality pct"]
    assert shown[1] == ["total", "258,882,400", "26.0%", "40", "85.0%"]
    assert shown[2] == ["credit notes", "unknown", "50.0%", "100", "61.7%"]
    assert "e+" not in tables.learner_table_html(table)


def test_internal_columns_and_row_numbers_are_hidden_a_named_index_is_kept():
    cities = pd.DataFrame({"name": ["Portavera"], "id_prefix": ["PV"], "postcode_rule": ["5 digits"]})
    html = tables.learner_table_html(cities)
    assert "id_prefix" not in html and "id prefix" not in html and "postcode" not in html
    assert cells(html) == [["name"], ["Portavera"]]
    crossed = pd.DataFrame({"award": [3], "clause": [6]}, index=pd.Index(["green"], name="theme"))
    assert cells(tables.learner_table_html(crossed)) == [["theme", "award", "clause"], ["green", "3", "6"]]


def test_statuses_are_chips_and_labels_with_a_footnote():
    html = tables.learner_table_html(pd.DataFrame({"status": ["red", "amber"], "credits": [16625.0, 0.0]}))
    assert "spw-chip-red" in html and ">off target<" in html and ">watch<" in html
    assert "16,625" in html and "16625.0" not in html
    facts = tables.learner_table_html(pd.DataFrame({"fact": ["x"], "status": ["unverified"]}))
    assert "unverified *" in facts and "not confirmed in a public source" in facts and "[UNVERIFIED" not in facts


def test_long_tables_are_cut_like_pandas_and_text_is_escaped():
    long = pd.DataFrame({"supplier": [f"<b>s{i}</b>" for i in range(100)], "amount": np.arange(100) * 1.5})
    html = tables.learner_table_html(long)
    assert html.count("<tr>") == 1 + 10 + 1 + 5 and "100 rows" in html
    assert "&lt;b&gt;s0&lt;/b&gt;" in html and "<b>s0</b>" not in html


def test_registered_only_inside_ipython(monkeypatch):
    monkeypatch.setattr(tables, "get_ipython", lambda: None)  # another test may have started a shell
    assert tables.register_table_formatter() is False


def test_marked_columns_rows_with_units_dates_and_code_words():
    marked = tables.mark_columns(pd.DataFrame({"indicator": ["local_share_city"], "ours": [0.259641]}), ours="share")
    picked = marked[["indicator", "ours"]].round(3)  # pandas keeps the marks through selection and rounding
    assert cells(tables.learner_table_html(picked))[1] == ["local share city", "26.0%"]
    units = pd.DataFrame({"indicator": ["total", "sme_share"], "unit": ["money", "share"], "2024": [2.588824e08, 0.35]})
    assert [r[2] for r in cells(tables.learner_table_html(units))[1:]] == ["258,882,400.00", "35.0%"]
    dated = pd.DataFrame({"start": pd.to_datetime(["2023-07-01"]), "procedure": ["negotiated_without_publication"]})
    assert cells(tables.learner_table_html(dated))[1] == ["2023-07-01", "negotiated without publication"]
    assert cells(tables.learner_table_html(pd.DataFrame({"file": ["ledger_2025.csv"]})))[1] == ["ledger_2025.csv"]


def test_a_change_of_a_share_is_in_percentage_points():
    table = tables.mark_columns(
        pd.DataFrame({"indicator": ["total", "sme_share"], "unit": ["money", "share"], "change": [65855.4, 2.01]}),
        change="change",
    )
    assert [r[2] for r in cells(tables.learner_table_html(table))[1:]] == ["65,855.40", "+2.0 pp"]


def test_a_marked_column_that_now_holds_text_is_shown_as_that_text():
    table = tables.mark_columns(pd.DataFrame({"share": [0.379]}), share="share")
    shown = table.assign(share=table["share"].map(lambda v: f"{v:.1%}"))  # formatted by a tool: marks stay
    assert cells(tables.learner_table_html(shown))[1] == ["37.9%"]
    mixed = pd.DataFrame({"amount": [1500.5, "n/a"]})
    assert [r[0] for r in cells(tables.learner_table_html(mixed))[1:]] == ["1500.5", "n/a"]


def test_short_words_never_break_inside_a_word_long_codes_may():
    """The competence table's "performance" must not be broken in two; a column holding a long URL
    may still break inside it, so the table fits the page at 1280 px."""
    table = pd.DataFrame(
        {
            "competence": ["27. Organisational awareness", "28. Project management"],
            "cluster": ["performance", "performance"],
            "source": ["https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32014L0024", "EUR-Lex"],
            "amount": [1234567.5, 2.0],
        }
    )
    html = tables.learner_table_html(table)
    assert html.count('<td class="spw-words">performance</td>') == 2
    assert '<td class="spw-words">28. Project management</td>' in html
    assert "<td>https://eur-lex.europa.eu" in html  # one word of 70 characters: may break to fit
    assert '<td class="spw-num spw-words">1,234,567.5</td>' in html
    assert ".spw-learner-table .spw-words { overflow-wrap: normal; }" in CSS


def test_a_wide_table_lets_its_longest_words_break_so_it_fits_the_page():
    """Sixteen columns of 13-character codes cannot all stay whole across a notebook at 1280 px: the
    columns with the longest words may break, the shortest stay whole, within the line's budget."""
    table = pd.DataFrame({f"c{i}": ["X" * (5 + i)] for i in range(16)})
    whole = tables._whole_word_columns({c: [c, *table[c]] for c in table.columns})
    assert whole == {f"c{i}" for i in range(len(whole))}  # the shortest words are kept whole
    assert 0 < len(whole) < 16
    assert sum(5 + i for i in range(len(whole))) + 16 * tables.COLUMN_PADDING <= tables.WORDS_PER_LINE
    assert f'<td class="spw-words">{"X" * 5}</td>' in tables.learner_table_html(table)
    assert f"<td>{'X' * 20}</td>" in tables.learner_table_html(table)
