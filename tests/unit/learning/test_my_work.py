"""Portable learner work: one archive out, checked and merged back in, and forgotten on request."""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path

import pytest

from helpers.core.errors import LearnerError
from helpers.learning import my_work
from helpers.learning.progress import store

DAY = 24 * 3600


@pytest.fixture()
def course(tmp_path, monkeypatch) -> Path:
    """A private course folder (so my_data is a temporary one) and a first machine's work folder."""
    root = tmp_path / "course-folder"
    (root / "course").mkdir(parents=True)
    (root / "course" / "course.yml").write_text("modules: []\n", encoding="utf-8")
    (root / "my_data").mkdir()
    (root / "my_data" / "README.md").write_text("Put your files here.\n", encoding="utf-8")
    monkeypatch.setenv("SPW_ROOT", str(root))
    monkeypatch.delenv("SPW_HOSTING", raising=False)
    use_machine(monkeypatch, tmp_path, "laptop")
    return root


def use_machine(monkeypatch, tmp_path: Path, name: str) -> Path:
    """Switch to another machine's work folder (a fresh Binder session, the office laptop…)."""
    work = tmp_path / f"work-{name}"
    monkeypatch.setenv("SPW_WORK_DIR", str(work))
    return work


def write(path: Path, text: str, age_days: float = 0) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    when = path.stat().st_mtime - age_days * DAY
    os.utime(path, (when, when))
    return path


def some_work(course: Path, work: Path) -> None:
    s = store()
    s.record_answer("m03-city-share", "03", 20, False)
    s.record_answer("m03-city-share", "03", 23, True)
    s.save_draft("criteria", "School meals", {"price_weight": 40})
    s.save_draft("objectives", "Portavera 2026", {"objectives": ["SME share 30%"]})
    s.save_settings("simulator", {"formula": "log"})
    write(work / "analyses" / "My city 2025.csv", "supplier,amount\nAcme,10\n")
    write(work / "analyses" / "My city 2025.json", json.dumps({"name": "My city 2025", "levels": ["city"]}))
    write(
        work / "mappings" / "0123456789abcdef.json",
        json.dumps({"signature": "0123456789abcdef", "mapping": {"amount": "Betrag"}}),
    )
    write(work / "exports" / "criteria_school_meals.md", "# Award criteria\n")
    write(work / "uploads" / "ledger.csv", "Betrag;Lieferant\n1;A\n")
    write(course / "my_data" / "council ledger.csv", "amount,supplier\n5,B\n")


def test_round_trip_to_a_fresh_machine(course, tmp_path, monkeypatch):
    laptop = tmp_path / "work-laptop"
    some_work(course, laptop)
    archive = my_work.export_my_work(tmp_path / "my-work.zip", include_uploads=True)
    names = set(zipfile.ZipFile(archive).namelist())
    assert {
        "manifest.json",
        "progress.json",
        "work/analyses/My city 2025.csv",
        "work/analyses/My city 2025.json",
        "work/mappings/0123456789abcdef.json",
        "work/exports/criteria_school_meals.md",
        "work/uploads/ledger.csv",
        "my_data/council ledger.csv",
    } == names
    (course / "my_data" / "council ledger.csv").unlink()  # the next session starts without it

    binder = use_machine(monkeypatch, tmp_path, "binder-week-3")
    report = my_work.import_my_work(archive)
    # 1 answer, 2 drafts, 1 tool's settings, 1 analysis (.csv + .json), 1 mapping, 1 export, 2 uploads
    assert report.count("added") == 9 and report.count("kept") == report.count("both") == 0
    s = store()
    assert s.answer("m03-city-share")["correct"] is True and s.answer("m03-city-share")["attempts"] == 2
    assert s.load_draft("criteria", "School meals") == {"price_weight": 40}
    assert s.load_settings("simulator") == {"formula": "log"}
    for rel in ("analyses/My city 2025.csv", "mappings/0123456789abcdef.json", "uploads/ledger.csv"):
        assert (binder / rel).read_bytes() == (laptop / rel).read_bytes()
        assert abs((binder / rel).stat().st_mtime - (laptop / rel).stat().st_mtime) < 1
    assert (course / "my_data" / "council ledger.csv").read_text(encoding="utf-8").startswith("amount")
    assert "9 added" in report.text() and "made 20" in report.text()

    again = my_work.import_my_work(archive)
    assert again.count("same") == 9 and "9 already here, unchanged." in again.text()


def test_uploads_only_when_asked_and_archives_never_nest(course, tmp_path):
    some_work(course, tmp_path / "work-laptop")
    first = my_work.export_my_work()
    assert first.parent.name == "downloads" and first.name.startswith("my-work-")
    second = zipfile.ZipFile(my_work.export_my_work(tmp_path / "again.zip"))
    assert not any(n.startswith(("work/uploads", "my_data", "work/downloads")) for n in second.namelist())
    manifest = json.loads(second.read("manifest.json"))
    assert manifest["format"] == my_work.ARCHIVE_FORMAT and manifest["version"] == 1
    assert manifest["includes_uploads"] is False
    counts = my_work.saved_summary()
    assert counts["saved analyses"] == 1 and counts["answers"] == 1 and counts["drafts"] == 2
    assert my_work.uploads_size() > 0


def test_newer_work_is_never_overwritten(course, tmp_path, monkeypatch):
    laptop = tmp_path / "work-laptop"
    some_work(course, laptop)
    write(laptop / "exports" / "old_report.md", "old\n", age_days=3)

    def last_week(data):
        data["drafts"]["criteria"]["School meals"]["saved"] = "2026-01-05T10:00:00+00:00"
        data["answers"]["m03-city-share"]["updated"] = "2026-01-05T10:00:00+00:00"

    store().apply(last_week)
    archive = my_work.export_my_work(tmp_path / "week2.zip")

    office = use_machine(monkeypatch, tmp_path, "office")
    s = store()
    s.record_answer("m03-city-share", "03", 99, False)  # a later, wrong attempt here
    s.save_draft("criteria", "School meals", {"price_weight": 55})  # newer than the archive's
    s.save_settings("simulator", {"formula": "linear"})
    write(office / "analyses" / "My city 2025.csv", "supplier,amount\nOld,1\n", age_days=5)
    write(office / "analyses" / "My city 2025.json", json.dumps({"name": "My city 2025"}), age_days=5)
    write(office / "exports" / "old_report.md", "newer here\n")

    report = my_work.import_my_work(archive)
    s = store()
    answer = s.answer("m03-city-share")
    assert answer["correct"] is True and answer["response"] == 99  # newer record kept, correct stays correct
    assert s.load_draft("criteria", "School meals") == {"price_weight": 55}
    assert s.load_settings("simulator") == {"formula": "linear"}
    assert "Acme" in (office / "analyses" / "My city 2025.csv").read_text(encoding="utf-8")  # archive's was newer
    assert (office / "exports" / "old_report.md").read_text(encoding="utf-8") == "newer here\n"
    outcomes = {(kind, name): outcome for kind, name, outcome in report.entries}
    assert outcomes[("draft", "criteria / School meals")] == "kept"
    assert outcomes[("tool settings", "simulator")] == "kept"
    assert outcomes[("saved analyses", "My city 2025")] == "updated"
    assert outcomes[("exports", "old_report.md")] == "kept"
    assert "kept as on this machine" in report.text()


def test_without_a_date_to_choose_by_both_are_kept(course, tmp_path, monkeypatch):
    laptop = tmp_path / "work-laptop"
    some_work(course, laptop)
    store().apply(lambda d: d["drafts"]["criteria"]["School meals"].pop("saved"))
    archive = my_work.export_my_work(tmp_path / "a.zip")
    stamp = (laptop / "analyses" / "My city 2025.csv").stat().st_mtime

    office = use_machine(monkeypatch, tmp_path, "office")
    store().save_draft("criteria", "School meals", {"price_weight": 10})
    for suffix, text in ((".csv", "supplier,amount\nOther,2\n"), (".json", json.dumps({"name": "My city 2025"}))):
        path = write(office / "analyses" / f"My city 2025{suffix}", text)
        os.utime(path, (stamp, stamp))  # same time, different content

    report = my_work.import_my_work(archive)
    drafts = store().list_drafts("criteria")
    restored = [d for d in drafts if d.startswith("School meals (restored ")]
    assert "School meals" in drafts and len(restored) == 1
    assert store().load_draft("criteria", restored[0]) == {"price_weight": 40}
    assert store().load_draft("criteria", "School meals") == {"price_weight": 10}
    copies = sorted(p.name for p in (office / "analyses").glob("My city 2025 (restored *)*"))
    assert len(copies) == 2 and copies[0].endswith(".csv") and copies[1].endswith(".json")
    meta = json.loads((office / "analyses" / copies[1]).read_text(encoding="utf-8"))
    assert meta["name"].startswith("My city 2025 (restored ")
    assert report.count("both") == 2 and "kept both" in report.text()


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _tampered(archive: Path, change) -> bytes:
    with zipfile.ZipFile(archive) as source:
        members = {n: source.read(n) for n in source.namelist()}
    change(members)
    return _zip(members)


def test_bad_archives_are_refused_before_anything_is_written(course, tmp_path, monkeypatch):
    some_work(course, tmp_path / "work-laptop")
    good = my_work.export_my_work(tmp_path / "good.zip")
    fresh = use_machine(monkeypatch, tmp_path, "fresh")

    def manifest_edit(edit):
        def change(members):
            manifest = json.loads(members["manifest.json"])
            edit(manifest, members)
            members["manifest.json"] = json.dumps(manifest).encode()

        return change

    def traversal(manifest, members):
        manifest["items"].append({"path": "work/analyses/../../../evil.py", "size": 1, "sha256": "x"})
        members["work/analyses/../../../evil.py"] = b"x"

    cases = {
        "not a course work archive": b"not a zip at all",
        "not a course work archive ": _zip({"notes.txt": b"hello"}),
        "newer version of the course": _tampered(good, manifest_edit(lambda m, _: m.update(version=99))),
        "never holds": _tampered(good, manifest_edit(traversal)),
        "never holds ": _tampered(good, lambda m: m.update({"extra.sh": b"rm -rf"})),
        "is damaged": _tampered(good, lambda m: m.update({"work/exports/criteria_school_meals.md": b"changed"})),
        "its progress": _tampered(
            good,
            manifest_edit(
                lambda m, members: (members.update({"progress.json": b'{"answers": []}'}), m.pop("progress_sha256"))
            ),
        ),
    }
    for expected, data in cases.items():
        with pytest.raises(LearnerError, match=expected.strip()):
            my_work.import_my_work(data)
    assert not fresh.exists() or not any(p.is_file() and not p.name.endswith(".lock") for p in fresh.rglob("*"))
    assert not (tmp_path / "evil.py").exists()
    with pytest.raises(LearnerError, match="was not found"):
        my_work.import_my_work(tmp_path / "missing.zip")
    with pytest.raises(LearnerError, match=r"\.zip"):
        my_work.export_my_work(tmp_path / "my-work.tar")


def test_forget_everything_needs_confirmation_and_says_what_it_removed(course, tmp_path):
    laptop = tmp_path / "work-laptop"
    some_work(course, laptop)
    my_work.export_my_work()  # a final download, made before forgetting
    store()._read  # noqa: B018 - the store exists
    write(laptop / "progress.corrupt-20260101-000000.json", "{old")
    write(laptop / "notes-not-from-the-course.txt", "keep me")
    with pytest.raises(LearnerError, match="nothing was removed"):
        my_work.forget_everything("yes")
    assert (laptop / "progress.json").is_file()

    report = my_work.forget_everything(my_work.FORGET_CONFIRMATION)
    text = report.text()
    for kind in (
        "progress, answers, drafts and settings: 2 file(s)",
        "saved analyses: 2 file(s)",
        "saved column mappings: 1",
        "exports: 1",
        "uploads: 1",
        "downloaded archives: 1",
        "your files in my_data: 1 file(s) (council ledger.csv)",
    ):
        assert kind in text
    assert "notes-not-from-the-course.txt" in text and "Not touched: the notebooks" in text
    left = sorted(p.name for p in laptop.rglob("*") if p.is_file())
    assert left == ["notes-not-from-the-course.txt"] or left == ["notes-not-from-the-course.txt", "progress.json.lock"]
    assert sorted(p.name for p in (course / "my_data").iterdir()) == ["README.md"]
    assert my_work.saved_summary() == {"answers": 0, "drafts": 0, "tool settings": 0}
    assert "nothing to remove" in my_work.forget_everything(my_work.FORGET_CONFIRMATION).text()


def test_binder_notice_and_after_save(course, tmp_path, monkeypatch):
    saved = write(tmp_path / "work-laptop" / "exports" / "plan.md", "# Plan\n")
    assert my_work.binder_notice() == "" and my_work.binder_notice_html() == ""
    html = my_work.after_save_html([saved])
    assert "Saved plan.md." in html and 'download="plan.md"' in html and "Binder" not in html
    monkeypatch.setenv("BINDER_REQUEST", "v2/gh/strategic-procurement/workbook/v1.0")
    assert "vanishes when this session ends" in my_work.binder_notice()
    html = my_work.after_save_html([saved], text="Saved <your> plan.")
    assert "Saved &lt;your&gt; plan." in html and "Download your work before you leave" in html
    assert "Download all my work (one file)" in html
    again = my_work.after_save_html([], text="Draft saved.")
    assert "Draft saved." in again and "Download all my work" in again
    assert len(list((tmp_path / "work-laptop" / "downloads").glob("my-work-*.zip"))) == 1  # older offers replaced
