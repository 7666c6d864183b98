"""helpers.core.safety, helpers.core.limits and helpers.core.notices: terminal and document cleaning,
never replacing a file, backups that never collide, the limits and how a trainer raises them."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from helpers.core import limits, notices
from helpers.core.errors import LearnerError, shorten
from helpers.core.safety import (
    check_upload_name,
    clean_control,
    keep_aside,
    safe_file_name,
    save_new_file,
    terminal_json,
    terminal_text,
)


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\x1b[31mred\x1b[0m", "red"),
        ("a\x1b]0;title\x07b", "ab"),
        ("a\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\b", "alinkb"),  # OSC 8 hyperlink
        ("x\x9b2Jy", "xy"),
        ("left\u202eright", "leftright"),
        ("one\rtwo", "onetwo"),
        ("keep\nlines\tand tabs", "keep\nlines\tand tabs"),
        ("café €5 ١٢٣", "café €5 ١٢٣"),
    ],
)
def test_terminal_text_removes_what_a_terminal_would_act_on(raw, shown):
    assert terminal_text(raw) == shown


def test_terminal_json_keeps_the_data_escaped():
    text = terminal_json({"name": "a\x9bb\u202ec\x1b"})
    assert "\x9b" not in text and "\u202e" not in text and "\x1b" not in text
    assert json.loads(text) == {"name": "a\x9bb\u202ec\x1b"}


def test_clean_control_counts_what_it_replaces():
    assert clean_control("a\x00b\x0bc\x7f\ud800\ufffe") == ("a\ufffdb\ufffdc\ufffd\ufffd\ufffd", 5)
    assert clean_control("tab\tnew\nline\r€") == ("tab\tnew\nline\r€", 0)
    assert clean_control(None) == ("", 0)


@pytest.mark.parametrize(
    ("name", "kept"),
    [("ledger.csv", "ledger.csv"), ("C:\\Users\\me\\ledger.csv", "ledger.csv"), ("../../etc/x.csv", "x.csv")],
)
def test_upload_names_keep_their_last_part(name, kept):
    assert check_upload_name(name) == kept


def test_safe_file_names():
    assert safe_file_name("Lisbon/2025 (draft).csv") == "Lisbon_2025_draft_.csv"
    assert safe_file_name("..") == "file" and safe_file_name(".hidden") == "hidden"
    long = safe_file_name("x" * 400 + ".xlsx")
    assert len(long) == 120 and long.endswith(".xlsx")


def test_save_new_file_never_replaces(tmp_path):
    target = tmp_path / "a.csv"
    target.write_bytes(b"mine")
    assert save_new_file(target, b"upload").name == "a_2.csv"
    assert save_new_file(target, b"mine") == target  # the same content: reused
    assert save_new_file(target, b"third").name == "a_3.csv"
    assert target.read_bytes() == b"mine"


def test_keep_aside_never_overwrites_a_backup(tmp_path):
    names = []
    for content in (b"one", b"two", b"three"):
        path = tmp_path / "progress.json"
        path.write_bytes(content)
        names.append(keep_aside(path, "corrupt"))
        assert not path.exists()
    assert len(set(names)) == 3 and sorted(p.read_bytes() for p in names) == [b"one", b"three", b"two"]


def test_limits_scale_only_up_and_within_reason(monkeypatch):
    base = limits.limits_for("ledger")
    for value, factor in (("2", 2), ("0.5", 1), ("abc", 1), ("1e9", 1), ("", 1)):
        monkeypatch.setenv("SPW_LIMITS_SCALE", value)
        assert limits.limits_for("ledger").max_bytes == base.max_bytes * factor
    assert limits.limits_for("something else") == limits.limits_for("table")


def test_check_zip_names_the_part_and_the_ratio():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<c/>" * 1_000_000)
        archive.writestr("small.xml", b"x" * 100_000)  # packed tightly, but small: fine
    with zipfile.ZipFile(buffer) as archive, pytest.raises(limits.LimitExceeded, match=r"'xl/worksheets/sheet1.xml'"):
        limits.check_zip(archive, "ledger", "book.xlsx")


def test_long_messages_are_shortened_not_dropped():
    error = LearnerError("the header is " + "x" * 10_000, file="f" * 1000, fix="Do this")
    assert len(str(error)) < 2000 and str(error).endswith("Do this.") and "more characters" in str(error)
    assert shorten("short") == "short"


def test_notices_are_taken_once():
    notices.post("repaired")
    notices.post("repaired")
    assert notices.take() == ["repaired"] and notices.take() == []
