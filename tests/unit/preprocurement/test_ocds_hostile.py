"""Hostile and broken OCDS input (issue 11): unexpected types become data issues for that release, never an
exception; non-finite amounts are rejected; limits (file size, JSON depth, zip size, regular files, links) are
enforced quickly with a clear message; the CLI prints no terminal control sequence from the data; and a
property-based test feeds random OCDS-shaped JSON to the reader."""

from __future__ import annotations

import hashlib
import io
import json
import os
import time
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck as HypothesisHealth
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.__main__ import main
from helpers.core.errors import LearnerError
from helpers.preprocurement import ocds_files
from helpers.preprocurement.ocds import read_ocds
from helpers.preprocurement.red_flags import flag_coverage, tender_flags


def release(ocid="ocds-x-1", **tender):
    body = {
        "id": "t1",
        "procurementMethod": "open",
        "numberOfTenderers": 2,
        "value": {"amount": 1000.0, "currency": "EUR"},
        "tenderPeriod": {"startDate": "2025-01-02T09:00:00Z", "endDate": "2025-01-12T09:00:00Z"},
        "items": [{"classification": {"scheme": "CPV", "id": "37535200-9"}}],
    }
    body.update(tender)
    return {"ocid": ocid, "id": "1", "date": "2025-01-01", "tag": ["tender"], "tender": body}


def write(tmp_path: Path, name: str, data, raw: str | None = None) -> Path:
    path = tmp_path / name
    path.write_text(raw if raw is not None else json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "value, field",
    [
        ("abc", "numberOfTenderers"),
        (2.5, "numberOfTenderers"),
        ([1], "numberOfTenderers"),
        (True, "numberOfTenderers"),
        (-3, "numberOfTenderers"),
    ],
)
def test_bad_bidder_counts_are_data_issues(tmp_path, value, field):
    data = read_ocds(write(tmp_path, "r.json", [release(numberOfTenderers=value), release("ocds-x-2")]))
    counts = data.tenders.set_index("tender_id")["number_of_tenderers"]
    assert counts.isna()["ocds-x-1"] and counts["ocds-x-2"] == 2  # the other release is untouched
    (issue,) = data.data_issues
    assert issue.field == f"tender.{field}" and "ocds-x-1" in issue.message and "taken as unknown" in issue.message
    flags = tender_flags(data.tenders, data.bids).set_index("tender_id")
    assert flags.loc["ocds-x-1", "R018_why_not"] == "no bidder count"


def test_1e400_is_infinite_and_reported(tmp_path):
    raw = json.dumps([release()]).replace('"numberOfTenderers": 2', '"numberOfTenderers": 1e400')
    data = read_ocds(write(tmp_path, "r.json", None, raw=raw))
    assert data.tenders["number_of_tenderers"].isna().all()
    assert "inf" in data.data_issues[0].message


@pytest.mark.parametrize("amount", ["Infinity", "NaN", "-Infinity", float("inf"), "12abc", {"x": 1}, 1e300])
def test_non_finite_or_absurd_amounts_are_rejected(tmp_path, amount):
    raw = json.dumps([release(value={"amount": amount, "currency": "EUR"})], allow_nan=True)
    data = read_ocds(write(tmp_path, "r.json", None, raw=raw))
    assert data.tenders["estimated_value_eur"].isna().all()
    assert data.data_issues and data.data_issues[0].field == "tender.value.amount"


def test_bare_nan_and_infinity_literals_are_rejected(tmp_path):
    raw = json.dumps([release()]).replace('"amount": 1000.0', '"amount": NaN')
    data = read_ocds(write(tmp_path, "r.json", None, raw=raw))
    assert data.tenders["estimated_value_eur"].isna().all() and "'NaN'" in data.data_issues[0].message


def test_numeric_text_amount_is_accepted(tmp_path):
    data = read_ocds(write(tmp_path, "r.json", [release(value={"amount": "1500.50", "currency": "EUR"})]))
    assert data.tenders["estimated_value_eur"].tolist() == [1500.5] and not data.data_issues


def test_wrong_shapes_in_items_lots_suppliers_and_bids(tmp_path):
    rel = release(items=5, lots="x")
    rel["awards"] = [{"status": "active", "relatedLot": ["a", "b"], "suppliers": [{"name": {"en": "ACME"}, "id": 7}]}]
    rel["bids"] = {
        "details": [
            {"status": "valid", "value": {"amount": 10}, "tenderers": [{"id": "7", "name": {"x": 1}}]},
            "not a bid",
            {"status": "valid", "value": {"amount": "Infinity"}, "tenderers": "nobody", "relatedLot": []},
        ]
    }
    rel["buyer"] = {"name": ["a"], "address": {"countryName": 42}}
    data = read_ocds(write(tmp_path, "r.json", [rel]))
    row = data.tenders.iloc[0]
    assert row["cpv_code"] is None and row["lots"] == 1
    fields = {i.field for i in data.data_issues}
    assert {"tender.items", "tender.lots", "awards[0].relatedLot", "bids.details", "buyer.name"} <= fields
    assert "bids.details[0].tenderers[0].name" in fields and "bids.details[2].value.amount" in fields
    assert "bids.details[2].tenderers" in fields and "bids.details[2].relatedLot" in fields  # a list is no lot id
    assert len(data.bids) == 2 and data.bids["price_eur"].isna().tolist() == [False, True]
    assert data.bids["winner"].tolist() == [True, False]  # supplier id 7 (a number) matches bidder "7"
    flag_coverage(tender_flags(data.tenders, data.bids))  # and the flags run on it


def test_structure_that_is_not_ocds_is_listed_in_a_folder(tmp_path):
    folder = tmp_path / "set"
    folder.mkdir()
    write(folder, "good.json", [release()])
    write(folder, "releases5.json", {"releases": 5})
    write(folder, "nested.json", None, raw="[" * 5000 + "]" * 5000)
    write(folder, "text.json", None, raw="hello")
    (folder / "latin1.json").write_bytes('{"ocid": "é"}'.encode("latin-1"))
    (folder / "empty.json").write_bytes(b"")
    data = read_ocds(folder)
    assert len(data.tenders) == 1 and data.files_read == 1
    why = dict(data.unreadable)
    assert why["releases5.json"] == "this JSON is not OCDS: `releases` is 5, not a list"
    assert why["nested.json"] == "the JSON is nested 5000 levels deep, more than the limit of 100"
    assert why["text.json"].startswith("the file is not valid JSON (line 1, column 1")
    assert why["latin1.json"] == "the file is not UTF-8 text, so it is not OCDS JSON"
    assert why["empty.json"] == "the file is empty (0 bytes)"


def test_deep_nesting_alone_is_a_learner_error_quickly(tmp_path):
    path = write(tmp_path, "deep.json", None, raw='{"a":' * 200_000 + "1" + "}" * 200_000)
    start = time.perf_counter()
    with pytest.raises(LearnerError, match="deep.json: the JSON is nested 200000 levels deep"):
        read_ocds(path)
    assert time.perf_counter() - start < 1.0


def test_size_limits_are_refused_before_reading(tmp_path, monkeypatch):
    monkeypatch.setattr(ocds_files, "MAX_FILE_BYTES", 1000)
    big = write(tmp_path, "big.json", [release(title="x" * 2000)])
    with pytest.raises(LearnerError, match="big.json: the file is 0 MB, larger than the limit"):
        read_ocds(big)
    monkeypatch.setattr(ocds_files, "MAX_FILE_BYTES", 100 * 1024 * 1024)
    monkeypatch.setattr(ocds_files, "MAX_TOTAL_BYTES", 2 * (tmp_path / "big.json").stat().st_size // 5)
    folder = tmp_path / "two"
    folder.mkdir()
    write(folder, "a.json", [release("ocds-a")])
    write(folder, "b.json", [release("ocds-b")])
    write(folder, "c.json", [release("ocds-c")])
    data = read_ocds(folder)
    assert len(data.tenders) == 2 and "the folder's files together pass the limit" in dict(data.unreadable)["c.json"]


def test_zip_is_read_and_a_zip_bomb_is_refused(tmp_path, monkeypatch):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("set/a.json", json.dumps([release("ocds-a")]))
        archive.writestr("set/b.json", json.dumps([release("ocds-b")]))
        archive.writestr("set/empty.json", "")
        archive.writestr("readme.txt", "hello")
        archive.writestr("bomb.json", b" " * 5_000_000)  # 5 MB of spaces, a few KB compressed
    path = tmp_path / "ocds.zip"
    path.write_bytes(buffer.getvalue())
    monkeypatch.setattr(ocds_files, "MAX_FILE_BYTES", 1_000_000)
    start = time.perf_counter()
    data = read_ocds(path)
    assert time.perf_counter() - start < 1.0
    assert sorted(data.tenders["tender_id"]) == ["ocds-a", "ocds-b"]
    why = dict(data.unreadable)
    assert why["ocds.zip/bomb.json"] == "unpacks to 5 MB, over the limit of 0 MB"
    assert why["ocds.zip/set/empty.json"] == "the file is empty (0 bytes)"
    assert why["ocds.zip: 1 other file(s)"] == "not .json, so not read"
    (tmp_path / "bad.zip").write_bytes(b"PK\x03\x04 not a zip")
    with pytest.raises(LearnerError, match="bad.zip: this zip archive cannot be opened"):
        read_ocds(tmp_path / "bad.zip")


def test_only_regular_files_and_no_links_out_of_the_folder(tmp_path):
    outside = write(tmp_path, "secret.json", [release("ocds-secret")])
    folder = tmp_path / "set"
    folder.mkdir()
    write(folder, "good.json", [release()])
    (folder / "link_out.json").symlink_to(outside)
    (folder / "link_in.json").symlink_to(folder / "good.json")
    os.mkfifo(folder / "pipe.json")
    start = time.perf_counter()
    data = read_ocds(folder)
    assert time.perf_counter() - start < 1.0  # the FIFO is never opened
    why = dict(data.unreadable)
    assert why["link_out.json"] == "a link to a file outside the folder, so it was not read"
    assert why["pipe.json"].startswith("not a regular file")
    assert "ocds-secret" not in set(data.tenders["tender_id"]) and data.files_read == 2
    with pytest.raises(LearnerError, match="pipe.json: not a regular file"):
        read_ocds(folder / "pipe.json")
    with pytest.raises(LearnerError, match="no such file or folder"):
        read_ocds(tmp_path / "missing.json")


def test_unhashable_ids_in_parties_and_roles_that_are_not_lists(tmp_path):
    rel = release()
    rel["buyer"] = {"id": ["x"], "name": "B"}
    rel["parties"] = [{"id": ["x"], "roles": "buyer", "address": {"countryName": "Polska"}}, {"id": {"a": 1}}, 7]
    data = read_ocds(write(tmp_path, "r.json", [rel]))
    assert data.tenders["buyer_country"].isna().all()
    assert {"buyer.id", "parties[0].id", "parties", "parties[1].id"} <= {i.field for i in data.data_issues}


def test_cli_strips_terminal_control_sequences(tmp_path, capsys):
    evil = "\x1b[31mACME\x1b[0m\x1b]0;pwned\x07\x9b2J\u202e"
    rel = release(f"ocds-{evil}", procurementMethodDetails=f"procédure {evil}", procurementMethod=None)
    path = write(tmp_path, "evil.json", [rel])
    assert main(["health-check", "--ocds", str(path)]) == 0
    text = capsys.readouterr().out
    assert "ACME" in text and not any(ch in text for ch in "\x1b\x07\x9b\u202e")
    assert main(["health-check", "--ocds", str(path), "--json"]) == 0
    raw = capsys.readouterr().out
    assert not any(ch in raw for ch in "\x1b\x07\x9b\u202e")
    assert json.loads(raw)["unrecognised_procedures"] == {f"procédure {evil}": 1}  # the data kept, escaped
    bad = write(tmp_path, "x\x1b[2J.json", None, raw="nope")
    assert main(["health-check", "--ocds", str(bad)]) == 2
    assert "\x1b" not in capsys.readouterr().err


# -- property-based: random OCDS-shaped JSON ------------------------------------------------------------
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(["open", "selective", "limited", "Procédure ouverte", "NaN", "Infinity", "2025-01-01", "1e400"]),
)
ANY = st.recursive(
    SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
)


def _field(values):
    return st.one_of(ANY, values)


def _value():
    return st.fixed_dictionaries({}, optional={"amount": ANY, "currency": _field(st.just("EUR"))})


RELEASES = st.fixed_dictionaries(
    {"ocid": _field(st.text(min_size=1, max_size=8))},
    optional={
        "date": ANY,
        "tag": ANY,
        "buyer": _field(st.fixed_dictionaries({}, optional={"id": ANY, "name": ANY, "address": ANY})),
        "parties": ANY,
        "tender": _field(
            st.fixed_dictionaries(
                {},
                optional={
                    "procurementMethod": ANY,
                    "procurementMethodDetails": ANY,
                    "numberOfTenderers": ANY,
                    "tenderPeriod": _field(st.fixed_dictionaries({}, optional={"startDate": ANY, "endDate": ANY})),
                    "value": _field(_value()),
                    "items": ANY,
                    "lots": ANY,
                    "tenderers": ANY,
                },
            )
        ),
        "awards": _field(
            st.lists(
                st.fixed_dictionaries({}, optional={"status": ANY, "relatedLot": ANY, "suppliers": ANY, "date": ANY}),
                max_size=3,
            )
        ),
        "bids": _field(
            st.fixed_dictionaries(
                {},
                optional={
                    "details": st.lists(
                        st.fixed_dictionaries(
                            {}, optional={"status": ANY, "value": _field(_value()), "tenderers": ANY, "relatedLot": ANY}
                        ),
                        max_size=4,
                    )
                },
            )
        ),
    },
)
DOCUMENTS = st.one_of(
    st.lists(RELEASES, max_size=4),
    st.fixed_dictionaries({"releases": st.one_of(st.lists(RELEASES, max_size=4), ANY)}),
    st.fixed_dictionaries({"records": st.lists(st.fixed_dictionaries({"compiledRelease": RELEASES}), max_size=3)}),
    ANY,
)


@settings(
    max_examples=150, deadline=None, database=None, suppress_health_check=[HypothesisHealth.function_scoped_fixture]
)
@given(document=DOCUMENTS)
def test_random_ocds_shaped_json_gives_a_result_or_a_learner_error(tmp_path, document):
    path = tmp_path / "random.json"
    path.write_text(json.dumps(document, allow_nan=True), encoding="utf-8")
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    start = time.perf_counter()
    try:
        data = read_ocds(path)
        flags = tender_flags(data.tenders, data.bids)
        for entry in flag_coverage(flags):
            assert entry["applicable"] + entry["not_applicable"] == len(flags)
    except LearnerError as exc:
        assert str(exc).startswith("random.json")
    assert time.perf_counter() - start < 2.0
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before  # the source is never changed
