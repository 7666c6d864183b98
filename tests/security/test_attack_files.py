"""The fixed attack corpus against the readers (issue 11): each file is written by the test itself.
Every attack gives a clear LearnerError, quickly (well under a second to refuse), the file unchanged."""

from __future__ import annotations

import os
import time
import zipfile
from pathlib import Path

import pytest

from helpers.core import limits, tables
from helpers.core.errors import LearnerError
from helpers.monitoring.returns import read_kpi_returns
from helpers.spend.ingest import read_ledger
from helpers.spend.ledger_files import preview_ledger
from helpers.spend.reference_tables import read_geography, read_register
from helpers.tendering.bids import read_bids_file
from tests.security.conftest import digest, xlsx_bomb

pytestmark = pytest.mark.timeout(60)

READERS = {
    "ledger": read_ledger,
    "ledger preview": preview_ledger,
    "register": read_register,
    "geography": read_geography,
    "bids": read_bids_file,
    "KPI returns": lambda p: read_kpi_returns(p, None, None),
}


def refused(reader, path, match: str, within: float = 10.0) -> str:
    """Call `reader(path)`: it must raise a LearnerError matching `match`, within `within` seconds. The bound
    catches a hang (the old reader took minutes); the speed itself (well under a second on a quiet machine) is
    a benchmark figure, not a timed test: a loaded CI machine may take longer."""
    start = time.perf_counter()
    with pytest.raises(LearnerError, match=match) as caught:
        reader(path)
    elapsed = time.perf_counter() - start
    assert elapsed < within, f"took {elapsed:.2f} s to refuse"
    return str(caught.value)


@pytest.fixture(scope="module")
def bomb(tmp_path_factory) -> Path:
    return xlsx_bomb(tmp_path_factory.mktemp("bomb") / "ledger.xlsx", unpacked_mb=100)


def test_the_bomb_is_small_and_would_unpack_to_100_mb(bomb):
    assert bomb.stat().st_size < 300_000
    with zipfile.ZipFile(bomb) as archive:
        assert archive.getinfo("xl/sharedStrings.xml").file_size > 100_000_000


@pytest.mark.parametrize("name", ["ledger", "ledger preview", "KPI returns"])
def test_xlsx_whose_shared_string_unpacks_to_100_mb_is_refused_at_once(bomb, name, tmp_path):
    path = tmp_path / "returns.xlsx"
    path.write_bytes(bomb.read_bytes())
    before = digest(path)
    message = refused(READERS[name], path, "unpacks to 100 MB from")
    assert "built to exhaust memory" in message and len(message) < 600
    assert digest(path) == before


def test_xlsx_bomb_as_bytes_and_above_the_unpacked_total(bomb, monkeypatch):
    refused(lambda raw: tables.xlsx_records(raw, "ledger"), bomb.read_bytes(), "times")
    monkeypatch.setitem(limits.LIMITS, "table", limits.Limits(max_bytes=10**9, max_rows=10, max_unpacked=50_000))
    refused(
        lambda raw: tables.xlsx_records(raw, "table"), bomb.read_bytes(), r"unpacks to 100(\.\d)? MB, above the 50 KB"
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are a POSIX feature")
@pytest.mark.parametrize("name", sorted(READERS))
def test_a_fifo_is_refused_without_waiting_for_a_writer(name, tmp_path):
    fifo = tmp_path / ("fifo.xlsx" if name == "ledger preview" else "fifo.csv")
    os.mkfifo(fifo)
    refused(READERS[name], fifo, r"pipe \(FIFO\)|not a file|not an ordinary")


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
@pytest.mark.parametrize("name", sorted(READERS))
def test_dev_zero_is_refused_not_read_forever(name):
    refused(READERS[name], Path("/dev/zero"), "device|not a file")


def test_a_link_that_leaves_its_folder_is_refused_one_inside_is_read(tmp_path):
    outside = tmp_path / "secret" / "ledger.csv"
    outside.parent.mkdir()
    outside.write_text("Date,Supplier,Amount\n01/02/2025,ACME,10.00\n")
    folder = tmp_path / "my_files"
    folder.mkdir()
    (folder / "escape.csv").symlink_to(outside)
    refused(read_ledger, folder / "escape.csv", "link to a file outside its folder")
    (folder / "real.csv").write_text(outside.read_text())
    (folder / "alias.csv").symlink_to(folder / "real.csv")
    assert read_ledger(folder / "alias.csv").report.rows_kept == 1


def test_a_file_above_the_size_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    path = tmp_path / "big.csv"
    with open(path, "wb") as handle:  # a sparse 3 GB file: takes no disk space, and no time unless read
        handle.truncate(3_000_000_000)
    message = refused(read_ledger, path, r"the file is 3 GB, above the 2 GB this course reads for a ledger")
    assert "SPW_LIMITS_SCALE" in message
    monkeypatch.setenv("SPW_LIMITS_SCALE", "2")
    assert limits.limits_for("ledger").max_bytes == 4_000_000_000  # a trainer can raise it


def test_the_default_limits_pass_a_multi_year_city_ledger():
    ledger = limits.limits_for("ledger")
    # five years of a large city: a million payment lines a year at ~200 bytes a line
    assert ledger.max_rows >= 5_000_000 and ledger.max_bytes >= 5_000_000 * 200
    assert ledger.max_cell == 32_767  # the most an Excel cell holds
    assert limits.limits_for("bids file").max_rows >= 100_000


def test_too_many_lines_are_refused_before_they_are_split(tmp_path, monkeypatch):
    monkeypatch.setitem(limits.LIMITS, "ledger", limits.Limits(max_bytes=10**9, max_rows=1000))
    path = tmp_path / "long.csv"
    path.write_text("Date,Supplier,Amount\n" + "01/02/2025,ACME,10.00\n" * 1500)
    refused(read_ledger, path, "more than 1,000 lines")


@pytest.mark.parametrize("name", ["ledger", "register", "bids", "KPI returns"])
def test_a_cell_longer_than_a_spreadsheet_cell_is_refused_and_not_quoted_whole(name, tmp_path):
    path = tmp_path / "cell.csv"
    path.write_text("supplier_id,name,bidder,price,quality\n1," + "A" * 10_000_000 + ",x,1,2\n")
    message = refused(READERS[name], path, "longer than 32,767 characters")
    assert len(message) < 1000 and "line 2" in message


def test_an_unclosed_quote_is_a_cell_too_long_not_a_hang(tmp_path):
    path = tmp_path / "quote.csv"
    path.write_text('Date,Supplier,Amount\n01/02/2025,"ACME,10.00\n' + "01/02/2025,B,5.00\n" * 5000)
    refused(read_ledger, path, "quote character that is never closed")


def test_a_huge_header_is_read_quickly_and_messages_stay_short(tmp_path):
    cell = "Supplier " * 3_600  # 32,400 characters: a cell, not a column name
    path = tmp_path / "header.csv"
    path.write_text("\n".join([",".join([cell] * 4)] * 20 + ["1,2,3,4"]))
    start = time.perf_counter()
    with pytest.raises(LearnerError) as caught:
        read_ledger(path)
    assert time.perf_counter() - start < 5
    assert len(str(caught.value)) < 2000 and "more characters" in str(caught.value)


def test_binary_and_random_files_are_refused_plainly(tmp_path):
    path = tmp_path / "random.csv"
    path.write_bytes(bytes(range(256)) * 40)
    refused(read_ledger, path, "not a text table")
    path.write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 600)
    refused(read_ledger, path, "old-style .xls")
    path = tmp_path / "damaged.xlsx"
    path.write_bytes(b"PK\x03\x04" + os.urandom(2000))
    refused(read_ledger, path, "password-protected|damaged|cannot be read")
