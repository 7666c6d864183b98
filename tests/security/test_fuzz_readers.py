"""Property-based attacks on every reader (issue 11): random bytes, random CSV dialects, damaged
workbooks and random progress-file contents. Whatever the input, a reader gives a result or a clear
LearnerError, within a time bound, and never changes the file it read.

Bounded for CI (a few minutes in all): `SPW_FUZZ_EXAMPLES` sets the examples per property (default 50),
and under CI=true the examples are derandomised so a run is repeatable."""

from __future__ import annotations

import csv
import io
import json
import math
import os
import time
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from helpers.core import tables
from helpers.core.errors import LearnerError
from helpers.data import load_table
from helpers.learning.progress import ProgressStore
from helpers.learning.progress_schema import repair
from helpers.monitoring.cli import _csv_table
from helpers.monitoring.returns import read_kpi_returns
from helpers.spend.cli import read_mapping_file
from helpers.spend.ingest import read_ledger
from helpers.spend.ledger_files import preview_ledger
from helpers.spend.reference_tables import read_geography, read_register
from helpers.tendering.bids import read_bids_file, read_uploaded_bids
from helpers.tendering.lcc_bids import read_lcc_bids
from tests.security.conftest import digest

EXAMPLES = int(os.environ.get("SPW_FUZZ_EXAMPLES", "50"))
TIME_BOUND = 5.0  # seconds for one small file, on a slow shared CI machine
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,  # the time bound is asserted below, with a message
    derandomize=os.environ.get("CI", "").lower() == "true",
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)
pytestmark = pytest.mark.timeout(600)


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@pytest.fixture(scope="module")
def monitoring_tables():
    return load_table("contracts"), load_table("kpis")


def readers(monitoring_tables) -> dict:
    contracts, kpis = monitoring_tables
    return {
        "ledger.csv": read_ledger,
        "preview.csv": preview_ledger,
        "ledger.xlsx": read_ledger,
        "preview.xlsx": preview_ledger,
        "register.csv": read_register,
        "geography.csv": read_geography,
        "bids.csv": read_bids_file,
        "returns.csv": lambda p: read_kpi_returns(p, contracts, kpis),
        "returns.xlsx": lambda p: read_kpi_returns(p, contracts, kpis),
        "contracts.csv": lambda p: _csv_table(str(p), "contracts"),
        "mapping.json": read_mapping_file,
        "table.csv": lambda p: tables.read_csv_records(Path(p).read_bytes()),
        "table.xlsx": lambda p: tables.xlsx_records(Path(p).read_bytes()),
        "upload.csv": lambda p: read_uploaded_bids("upload.csv", Path(p).read_bytes()),
        "lcc.csv": lambda p: read_lcc_bids("lcc.csv", Path(p).read_bytes()),
    }


def result_or_learner_error(reader, path: Path) -> None:
    """The property: a result or a LearnerError, within the time bound, the file unchanged."""
    before = digest(path)
    start = time.perf_counter()
    try:
        reader(path)
    except LearnerError as exc:
        assert str(exc).strip() and "Traceback" not in str(exc) and len(str(exc)) < 4000
    elapsed = time.perf_counter() - start
    assert elapsed < TIME_BOUND, f"{path.name}: {elapsed:.1f} s"
    assert digest(path) == before, f"{path.name} was changed by reading it"


# ---------------------------------------------------------------- random bytes


@FUZZ
@given(raw=st.binary(min_size=1, max_size=4000))
def test_random_bytes_to_every_reader(folder, monitoring_tables, raw):
    for name, reader in readers(monitoring_tables).items():
        path = folder / name
        path.write_bytes(raw)
        result_or_learner_error(reader, path)


TEXTY = st.text(
    alphabet=st.sampled_from(list("abcXYZ019 ,;|\t\"'\n\r=+-@.€£é\x00\x01\x0b\x1b\u202e\ufeff<>&/:%()")),
    max_size=600,
)


@FUZZ
@given(text=TEXTY, encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"]))
def test_random_text_in_any_encoding_to_every_reader(folder, monitoring_tables, text, encoding):
    raw = text.encode(encoding, errors="replace")
    if not raw:
        return
    for name, reader in readers(monitoring_tables).items():
        if name.endswith(".csv") or name.endswith(".json"):
            path = folder / name
            path.write_bytes(raw)
            result_or_learner_error(reader, path)


# ---------------------------------------------------------------- random CSV dialects

CELL = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=20)
HEADERS = [
    ["Date", "Supplier", "Amount"],
    ["supplier_id", "name", "postcode", "country"],
    ["bidder", "price", "quality"],
    ["contract_id", "kpi_id", "period", "value"],
    ["postcode_prefix", "level"],
]


@st.composite
def csv_files(draw) -> bytes:
    header = draw(st.sampled_from(HEADERS))
    rows = draw(st.lists(st.lists(CELL, min_size=1, max_size=len(header) + 2), max_size=12))
    dialect = {
        "delimiter": draw(st.sampled_from([",", ";", "\t", "|"])),
        "quoting": draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC])),
        "lineterminator": draw(st.sampled_from(["\n", "\r\n", "\r"])),
        "quotechar": draw(st.sampled_from(['"', "'"])),
        "doublequote": draw(st.booleans()),
        "escapechar": "\\",
    }
    buffer = io.StringIO()
    writer = csv.writer(buffer, **dialect)
    writer.writerow(header)
    writer.writerows(rows)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
    return buffer.getvalue().encode(encoding, errors="replace")


@FUZZ
@given(raw=csv_files())
def test_random_csv_dialects_to_every_table_reader(folder, monitoring_tables, raw):
    for name, reader in readers(monitoring_tables).items():
        if name.endswith(".csv"):
            path = folder / name
            path.write_bytes(raw)
            result_or_learner_error(reader, path)


PLAIN_CELL = st.text(alphabet=st.sampled_from(list("abcdefXYZ0123456789 .-_€é()/")), max_size=12)


@FUZZ
@given(
    width=st.integers(2, 6),
    data=st.data(),
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
    terminator=st.sampled_from(["\n", "\r\n"]),
)
def test_a_well_formed_table_reads_back_exactly(width, data, delimiter, terminator):
    rows = data.draw(st.lists(st.lists(PLAIN_CELL, min_size=width, max_size=width), min_size=2, max_size=15))
    assume(any(cell.strip() for row in rows for cell in row))  # a table of blanks has no delimiter to find
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator=terminator).writerows(rows)
    records, encoding, found = tables.read_csv_records(buffer.getvalue().encode("utf-8"))
    assert found == delimiter and encoding == "utf-8"
    assert [cells for _, cells in records] == rows
    assert [line for line, _ in records] == list(range(1, len(rows) + 1))


# ---------------------------------------------------------------- damaged workbooks


@pytest.fixture(scope="module")
def workbook() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Date", "Supplier", "Amount"])
    for i in range(20):
        sheet.append([f"0{i % 9 + 1}/02/2025", f"Supplier {i}", 10.5 * i])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@FUZZ
@given(changes=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), min_size=1, max_size=30))
def test_damaged_workbooks_to_the_xlsx_readers(folder, monitoring_tables, workbook, changes):
    raw = bytearray(workbook)
    for where, byte in changes:
        raw[int(where * len(raw))] = byte
    for name, reader in readers(monitoring_tables).items():
        if name.endswith(".xlsx"):
            path = folder / name
            path.write_bytes(bytes(raw))
            result_or_learner_error(reader, path)


# ---------------------------------------------------------------- random progress files

LEAF = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=10),
)
JSONISH = st.recursive(
    LEAF,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=25,
)
SECTION = st.one_of(JSONISH, st.dictionaries(st.text(max_size=6), JSONISH, max_size=4))
STORE_LIKE = st.fixed_dictionaries(
    {},
    optional={"version": JSONISH, "answers": SECTION, "drafts": SECTION, "settings": SECTION, "extra": JSONISH},
)


def check_store(path: Path) -> None:
    """Reading never fails, gives a sound store, repairs once, and saving works afterwards."""
    start = time.perf_counter()
    store = ProgressStore(path)
    data = store.data()
    assert time.perf_counter() - start < TIME_BOUND
    assert all(isinstance(data[k], dict) for k in ("answers", "drafts", "settings"))
    assert repair(json.loads(json.dumps(data))) == (data, [])  # what is kept is sound
    again = ProgressStore(path)
    assert again.data() == data and again.messages == []  # the repair is written once, then silent
    again.save_settings("fuzz", {"ok": 1})
    assert ProgressStore(path).load_settings("fuzz") == {"ok": 1}
    json.loads(path.read_text(encoding="utf-8"), parse_constant=_no_constant)  # no bare NaN or Infinity written


def _no_constant(name: str):
    raise AssertionError(f"the store wrote the non-JSON constant {name}")  # a string "Infinity" is fine


@FUZZ
@given(content=st.one_of(STORE_LIKE, JSONISH))
def test_random_progress_contents(tmp_path_factory, content):
    path = tmp_path_factory.mktemp("progress") / "progress.json"
    path.write_text(json.dumps(content), encoding="utf-8")
    check_store(path)


@FUZZ
@given(raw=st.binary(max_size=300))
def test_random_progress_bytes(tmp_path_factory, raw):
    path = tmp_path_factory.mktemp("progress") / "progress.json"
    path.write_bytes(raw)
    check_store(path)


def _finite(value) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, dict):
        return all(_finite(v) for v in value.values())
    if isinstance(value, list):
        return all(_finite(v) for v in value)
    return True


@FUZZ
@given(
    settings_=st.dictionaries(
        st.text(max_size=8), st.dictionaries(st.text(max_size=8), JSONISH, max_size=3), max_size=3
    )
)
def test_a_sound_store_is_never_changed_by_repair(settings_):
    sound_settings = {tool: {k: v for k, v in values.items() if _finite(v)} for tool, values in settings_.items()}
    store = {"version": 1, "answers": {}, "drafts": {}, "settings": sound_settings}
    assert repair(json.loads(json.dumps(store))) == (store, [])


def test_pandas_is_not_needed_to_read_a_store(tmp_path):
    # a guard for the property above: the store's JSON is plain (no pandas types sneak in)
    store = ProgressStore(tmp_path / "p.json")
    store.save_settings("t", {"n": 1})
    assert not any(isinstance(v, pd.Series) for v in store.data()["settings"]["t"].values())
