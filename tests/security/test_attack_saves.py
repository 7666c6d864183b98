"""Nothing is overwritten silently (issue 11): uploads and saved analyses get their own names or ask,
a learner's own my_data/ file is never replaced by an upload, and upload names that no file could
have are refused in plain words, without a temporary path."""

from __future__ import annotations

import datetime
import json
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import pytest

from helpers.core.errors import LearnerError
from helpers.core.safety import check_upload_name, save_new_file
from helpers.preprocurement.widgets.health_check import HealthCheck
from helpers.spend import pipeline
from helpers.spend.ledger_files import save_register_upload, save_upload
from helpers.spend.widgets.workbench import WorkbenchWidget

LEDGER = b"Date,Supplier,Amount\n01/02/2025,ACME,10.00\n"
OTHER = b"Date,Supplier,Amount\n01/02/2025,Other,99.00\n"


def upload_value(name: str, content: bytes) -> tuple[dict, ...]:
    return (
        {
            "name": name,
            "type": "text/csv",
            "size": len(content),
            "content": memoryview(content),
            "last_modified": datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC),
        },
    )


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("..", "no usable name"),
        (".", "no usable name"),
        ("", "no usable name"),
        ("folder/..", "no usable name"),
        ("ledger\x00.csv", "NUL character"),
        ("é" * 130 + ".csv", "longer than 255 bytes"),
        ("a" * 300 + ".csv", "longer than 255 bytes"),
    ],
)
def test_impossible_upload_names_are_refused_plainly(work_dir, name, message):
    with pytest.raises(LearnerError, match=message) as caught:
        save_upload(name, LEDGER)
    text = str(caught.value)
    assert str(work_dir) not in text and ".tmp" not in text and len(text) < 300
    assert not (work_dir / "uploads").exists() or list((work_dir / "uploads").iterdir()) == []


def test_a_name_of_255_bytes_is_saved(work_dir):
    name = "a" * 251 + ".csv"
    assert check_upload_name(name) == name
    path = save_upload(name, LEDGER)
    assert path.read_bytes() == LEDGER and len(path.name) <= 124  # cleaned and shortened for the disk


def test_the_widget_shows_the_refusal_in_its_message_area(work_dir):
    ww = WorkbenchWidget("portavera", 2025)
    for name in ("..", "x\x00y.csv", "b" * 300 + ".csv"):
        ww.upload.value = upload_value(name, LEDGER)
        assert "Problem" in ww.message.value and "Something went wrong" not in ww.message.value
        assert str(work_dir) not in ww.message.value and ".tmp" not in ww.message.value


def test_uploads_with_the_same_name_are_kept_side_by_side(work_dir):
    first = save_upload("ledger.csv", LEDGER)
    again = save_upload("ledger.csv", LEDGER)  # the same file again: reused, not duplicated
    other = save_upload("ledger.csv", OTHER)
    cleaned_same = save_upload("ledger?.csv", OTHER)  # cleans to ledger_.csv
    assert first == again and other != first and other.name == "ledger_2.csv"
    assert first.read_bytes() == LEDGER and other.read_bytes() == OTHER and cleaned_same.name == "ledger_.csv"
    one, two = save_register_upload(LEDGER), save_register_upload(OTHER)
    assert one.name == "register_upload.csv" and two.name == "register_upload_2.csv"
    assert one.read_bytes() == LEDGER and two.read_bytes() == OTHER


def test_an_ocds_upload_never_replaces_the_learners_own_file(work_dir, tmp_path, monkeypatch):
    data = tmp_path / "my_data"
    data.mkdir()
    mine = data / "tenders.json"
    mine.write_text('{"my": "own notes, not OCDS"}')
    monkeypatch.setattr("helpers.core.paths.my_data_dir", lambda: data)
    release = {
        "ocid": "ocds-x-1",
        "id": "1",
        "date": "2024-01-01",
        "tag": ["tender"],
        "tender": {"id": "T1", "title": "Benches", "value": {"amount": 1000, "currency": "EUR"}},
    }
    content = json.dumps({"releases": [release]}).encode()
    check = HealthCheck("portavera")
    check.upload = SimpleNamespace(value=[{"name": "tenders.json", "content": content}])
    check.uploaded()
    assert mine.read_text() == '{"my": "own notes, not OCDS"}'
    assert (data / "tenders_2.json").read_bytes() == content
    assert check.source.value == f"ocds:{data / 'tenders_2.json'}"
    check.upload = SimpleNamespace(value=[{"name": "..", "content": content}])
    with pytest.raises(LearnerError, match="no usable name"):
        check.uploaded()


def test_save_new_file_gives_two_names_to_two_saves_at_once(tmp_path):
    contents = [f"version {i}".encode() for i in range(8)]
    with ThreadPoolExecutor(8) as pool:
        paths = list(pool.map(lambda c: save_new_file(tmp_path / "same.csv", c), contents))
    assert len(set(paths)) == 8 and sorted(p.read_bytes() for p in paths) == sorted(contents)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


@pytest.fixture(scope="module")
def small_analysis(tmp_path_factory):
    ledger = tmp_path_factory.mktemp("ledger") / "ledger.csv"
    ledger.write_bytes(LEDGER + b"02/02/2025,B,5.00\n")
    return pipeline.analyse_ledger(ledger, use_saved_mapping=False)


def test_analyses_whose_names_clean_alike_are_kept_apart(work_dir, small_analysis):
    first = pipeline.save_analysis(small_analysis, "Lisbon/2025")
    second = pipeline.save_analysis(small_analysis, "Lisbon_2025")
    assert first != second and first.is_file() and second.is_file()
    assert pipeline.list_analyses() == ["Lisbon/2025", "Lisbon_2025"]
    assert pipeline.load_analysis_meta("Lisbon/2025")["name"] == "Lisbon/2025"
    assert pipeline.load_analysis_meta("Lisbon_2025")["name"] == "Lisbon_2025"


def test_saving_over_an_analysis_asks_first(work_dir, small_analysis):
    path = pipeline.save_analysis(small_analysis, "Mine")
    before = path.read_bytes()
    with pytest.raises(pipeline.AlreadySaved, match="saved already"):
        pipeline.save_analysis(small_analysis, "Mine")
    assert path.read_bytes() == before
    assert pipeline.save_analysis(small_analysis, "Mine", replace=True) == path
    assert pipeline.list_analyses() == ["Mine"]


def test_the_widget_asks_then_replaces_on_a_second_click(work_dir):
    ww = WorkbenchWidget("valmora", 2024)
    ww.save_name.value = "Valmora"
    ww.save_button.click()
    assert "Saved" in ww.export_message.value
    ww.save_button.click()
    assert "saved already" in ww.message.value and "Click save again to replace it" in ww.message.value
    saved = work_dir / "analyses" / "Valmora.csv"
    before = saved.stat().st_mtime_ns
    ww.save_button.click()
    assert pipeline.list_analyses() == ["Valmora"] and saved.stat().st_mtime_ns > before
