"""How a table looks to a learner: every DataFrame a lesson shows goes through `learner_table_html`.

`doctor()` (the first cell of every lesson, through `helpers.ui.page`) registers it as the notebook's
HTML view of a DataFrame, so a table built in a lesson cell looks the same as one from a tool:
- money and percentages through `helpers.core.fmt` (no `2.588824e+08`, no `16625.0`, no `0.259641`),
  a figure the data cannot give as "unknown";
- column names in words (`supplier_group` → "supplier group"); the 0, 1, 2… row numbers hidden;
- columns that only the course's code needs (`id_prefix`, `postcode_rule`…) left out;
- a RAG status as a coloured chip with its word; a sourced fact's verification status as a label
  explained in a footnote (helpers.ui.status).
What a column holds is read from its name and its values (`column_kind`). The DataFrame itself is
unchanged (code and tests see the raw numbers); only its HTML view is formatted. Every text is escaped.
"""

from __future__ import annotations

import re
from html import unescape as html_unescape
from typing import Any

import pandas as pd
from IPython import get_ipython

from helpers.core.fmt import is_missing, money, pct
from helpers.core.safety import escape_html
from helpers.ui.status import is_status, status_footnote, status_mark
from helpers.ui.theme import STATUS_FILL, status_chip

# Columns the course's code uses and a learner never needs (city set-up rules, internal keys).
INTERNAL_COLUMNS = frozenset(
    {"id_prefix", "postcode_rule", "city_postcode_prefixes", "region_postcode_prefixes", "home_country_code"}
)
MAX_ROWS, HEAD_ROWS, TAIL_ROWS = 60, 10, 5  # like pandas: a long table shows its first and last rows
PERCENT = re.compile(r"%|\bpct\b|\bpercent\b")
MONEY = re.compile(r"\beur\b|€|\bamount\b|\bspend\b|\bprice\b|\bcost\b|\bturnover\b|\bcharge\b|\bcredits?\b")
NOT_MONEY = re.compile(r"\bpoints?\b|\bweight\b|\bcount\b|\bkpis?\b|\blines\b|\bsuppliers\b|\bnumber\b")
UNKNOWN_DASH = "–"
KINDS_ATTR = "spw_kinds"  # DataFrame.attrs key: {column or "*": kind}, set by `mark_columns`
UNIT_KINDS = {"money": "money", "share": "share", "percent": "percent", "count": "integer"}
CHANGE_KINDS = {"money": "money", "share": "points", "count": "integer"}  # a change of a share is in points
IDENTIFIER = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)+$")  # competitive_dialogue → "competitive dialogue"


def mark_columns(table: pd.DataFrame, default: str | None = None, **kinds: str) -> pd.DataFrame:
    """Say what columns hold when their names cannot (`ours` and `benchmark` are shares): returns `table`
    with `attrs` that `learner_table_html` reads; `default` applies to every column not named."""
    table.attrs[KINDS_ATTR] = {**({"*": default} if default else {}), **kinds}
    return table


def _header(name: Any) -> str:
    """A column name in words: `supplier_group` → "supplier group" (the case is kept: "2024 (EUR)")."""
    return re.sub(r"\s+", " ", str(name).replace("_", " ")).strip()


def _words(name: Any) -> str:
    return _header(name).lower()


def column_kind(name: Any, values: pd.Series) -> str:
    """What a column holds: money, percent (0–100), share (0–1), integer, number, bool, rag, status or text."""
    words = _words(name)
    known = values.dropna()
    if pd.api.types.is_bool_dtype(values):
        return "bool"
    if pd.api.types.is_datetime64_any_dtype(values):
        return "date"
    if not pd.api.types.is_numeric_dtype(values):
        text = known.astype("str").str.strip().str.lower()
        if len(text) and text.map(is_status).all():
            return "status"
        if len(text) and "status" in words and text.isin(list(STATUS_FILL)).all():
            return "rag"
        return "text"
    if PERCENT.search(words):
        return "percent"
    if "share" in words or re.search(r"\brate\b", words):
        return "share" if len(known) and known.abs().max() <= 1.0 + 1e-9 else "percent"
    if MONEY.search(words) and not NOT_MONEY.search(words):
        return "money"
    whole = len(known) == 0 or bool((known == known.round()).all())
    return "integer" if whole else "number"


def _decimals(values: pd.Series) -> int:
    """Two decimals if any value needs them, else one, else none (the same for the whole column)."""
    known = values.dropna().astype("float")
    if not len(known) or (known == known.round()).all():
        return 0
    return 1 if (known * 10 == (known * 10).round()).all() else 2


def cell_html(value: Any, kind: str, decimals: int = 2) -> str:
    """One cell, formatted for its column's kind and escaped (chips and labels are built escaped); a cell
    of a number column that holds text (already formatted, or a note) is shown as that text."""
    if kind in NUMERIC_KINDS and isinstance(value, str):
        return escape_html(value)
    if kind in {"money", "percent", "share"} and is_missing(value):
        return "unknown"
    if kind == "money":
        return money(value, None, decimals=decimals)
    if kind == "percent":
        return pct(value, fraction=False)
    if kind == "share":
        return pct(value)
    if kind == "points":
        return UNKNOWN_DASH if is_missing(value) else f"{float(value):+,.1f} pp"
    if kind in {"integer", "number"}:
        if is_missing(value):
            return UNKNOWN_DASH
        number = float(value)
        places = 0 if kind == "integer" else decimals
        return f"{number:,.{places}f}" if abs(number) >= 10_000 else f"{number:.{places}f}"
    if is_missing(value):
        return ""
    if kind == "date":
        stamp = pd.Timestamp(value)
        return stamp.strftime("%Y-%m-%d" if stamp == stamp.normalize() else "%Y-%m-%d %H:%M")
    if kind == "bool":
        return "yes" if bool(value) else "no"
    if kind == "rag":
        return status_chip(str(value).strip().lower())
    if kind == "status":
        return status_mark(str(value))
    text = str(value)
    return escape_html(text.replace("_", " ") if IDENTIFIER.match(text) else text)


NUMERIC_KINDS = frozenset({"money", "percent", "share", "integer", "number", "change", "points"})


def _kinds(table: pd.DataFrame) -> dict:
    """Each column's kind: its mark when it has one and still holds numbers, else what it looks like."""
    marked = table.attrs.get(KINDS_ATTR) or {}
    kinds = {}
    for c in table.columns:
        mark = marked.get(str(c), marked.get("*"))
        numeric = pd.api.types.is_numeric_dtype(table[c]) and not pd.api.types.is_bool_dtype(table[c])
        kinds[c] = mark if mark and (numeric or mark not in NUMERIC_KINDS) else column_kind(c, table[c])
    return kinds


def _row_kind(kind: str, row: pd.Series, units: bool) -> str:
    """In a table with a `unit` column (money / share / count per row), a number takes its row's unit."""
    unit = str(row.get("unit", "")).strip().lower() if units else ""
    if kind == "change":
        return CHANGE_KINDS.get(unit, "number")
    if units and kind in {"integer", "number"}:
        return UNIT_KINDS.get(unit, kind)
    return kind


LONGEST_UNBROKEN_WORD = 20  # characters: a column whose words are all this short never breaks inside a word
# What fits across a notebook at 1280 px, in characters: every column's padding (as 2.5 characters) plus the
# longest word of each column kept whole (measured: 16 columns of the contract register fit in 848 px).
WORDS_PER_LINE, COLUMN_PADDING = 110, 2.5
TAG = re.compile(r"<[^>]+>")


def _longest_word(cells: list[str]) -> int:
    """The longest word, in characters, among a column's header and cells as shown (HTML, tags left out)."""
    return max((len(word) for cell in cells for word in html_unescape(TAG.sub(" ", cell)).split()), default=0)


def _whole_word_columns(columns: dict[Any, list[str]]) -> set:
    """The columns whose cells wrap only between words ("performance" stays whole): those with no word longer
    than LONGEST_UNBROKEN_WORD, as long as their longest words fit across the page together; when they do not,
    the columns with the longest words may break inside a word (a URL, a long code), so the table still fits.
    `columns` maps each column to its header and cells as HTML."""
    longest = {c: _longest_word(cells) for c, cells in columns.items()}
    whole = sorted((c for c in columns if longest[c] <= LONGEST_UNBROKEN_WORD), key=lambda c: longest[c])
    while whole and sum(longest[c] for c in whole) + COLUMN_PADDING * len(columns) > WORDS_PER_LINE:
        whole.pop()
    return set(whole)


def _cell_class(number: bool, words_fit: bool) -> str:
    """Numbers are right-aligned, text left; cells whose words all fit wrap only between words."""
    names = [name for name, on in (("spw-num", number), ("spw-words", words_fit)) if on]
    return f' class="{" ".join(names)}"' if names else ""


def learner_table_html(table: pd.DataFrame) -> str:
    """The table as learners see it (see the module's docstring); pandas' own view for a multi-level table."""
    if isinstance(table.columns, pd.MultiIndex) or isinstance(table.index, pd.MultiIndex):
        return table._repr_html_()
    shown = table[[c for c in table.columns if str(c) not in INTERNAL_COLUMNS]]
    hidden_index = isinstance(shown.index, pd.RangeIndex) and shown.index.name is None
    kinds = _kinds(shown)
    units = "unit" in shown.columns and shown["unit"].astype("str").str.lower().isin(list(UNIT_KINDS)).any()
    rows = shown
    cut = len(shown) > MAX_ROWS
    if cut:
        rows = pd.concat([shown.head(HEAD_ROWS), shown.tail(TAIL_ROWS)])
    decimals = {c: _decimals(shown[c]) for c in shown.columns if kinds[c] in {"money", "number", "change"}}
    shown_cells: dict[Any, list[str]] = {c: [] for c in shown.columns}
    for _, row in rows.iterrows():
        for c in shown.columns:
            shown_cells[c].append(cell_html(row[c], _row_kind(kinds[c], row, units), decimals.get(c, 2)))
    whole_words = _whole_word_columns({c: [escape_html(_header(c)), *cells] for c, cells in shown_cells.items()})
    align = {c: _cell_class(kinds[c] in NUMERIC_KINDS, c in whole_words) for c in shown.columns}
    corner = _header(shown.index.name or shown.columns.name or "")
    head = "" if hidden_index else f"<th>{escape_html(corner)}</th>"
    head += "".join(f"<th{align[c]}>{escape_html(_header(c))}</th>" for c in shown.columns)
    body = []
    for position, label in enumerate(rows.index):
        if cut and position == HEAD_ROWS:
            span = len(shown.columns) + (0 if hidden_index else 1)
            body.append(f'<tr><td colspan="{span}" style="text-align:center">…</td></tr>')
        cells = "" if hidden_index else f"<th>{escape_html(str(label))}</th>"
        cells += "".join(f"<td{align[c]}>{shown_cells[c][position]}</td>" for c in shown.columns)
        body.append(f"<tr>{cells}</tr>")
    size = f'<p class="spw-table-notes">{len(shown):,} rows; the first {HEAD_ROWS} and the last {TAIL_ROWS} shown.</p>'
    notes = status_footnote(v for c in shown.columns if kinds[c] == "status" for v in shown[c].dropna().astype("str"))
    return (
        f'<div class="spw-learner-table-box"><table class="dataframe spw-learner-table">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
        f"{size if cut else ''}{notes}</div>"
    )


def register_table_formatter() -> bool:
    """Make `learner_table_html` the notebook's HTML view of a DataFrame (True when in IPython)."""
    shell = get_ipython()
    if shell is None:
        return False
    shell.display_formatter.formatters["text/html"].for_type(pd.DataFrame, learner_table_html)
    return True
