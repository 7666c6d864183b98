"""Course content files: loaded once, checked for shape, every item with a source and a status."""

from __future__ import annotations

import pytest

from helpers.core import content
from helpers.core.errors import LearnerError

GOOD = """title: Example facts
fields: [id, value]
items:
  - {id: a, value: 1, source: "https://eur-lex.europa.eu/eli/dir/2014/24/oj", status: verified}
  - {id: b, value: 2, source: "Course design", status: course design}
"""


@pytest.fixture()
def content_root(tmp_path, monkeypatch):
    (tmp_path / "course" / "content").mkdir(parents=True)
    monkeypatch.setenv("SPW_ROOT", str(tmp_path))
    content._load.cache_clear()
    yield tmp_path / "course" / "content"
    content._load.cache_clear()


def test_items_table_and_ids(content_root):
    (content_root / "example.yaml").write_text(GOOD, encoding="utf-8")
    assert [i["value"] for i in content.items("example")] == [1, 2]
    assert content.by_id("example")["b"]["status"] == "course design"
    assert list(content.table("example")["id"]) == ["a", "b"]
    assert list(content.all_content()) == ["example"]


def test_items_are_copies(content_root):
    (content_root / "example.yaml").write_text(GOOD, encoding="utf-8")
    content.items("example")[0]["value"] = 99
    assert content.items("example")[0]["value"] == 1


@pytest.mark.parametrize(
    "bad, message",
    [
        ("title: t\nfields: [id]\nitems:\n  - {id: a, source: s}\n", "status must be one of"),
        ("title: t\nfields: [id, value]\nitems:\n  - {id: a, source: s, status: verified}\n", "has no `value`"),
        ("title: t\nfields: [id]\nitems:\n  - {id: a, source: '', status: verified}\n", "the source is empty"),
        (
            "title: t\nfields: [id]\nitems:\n"
            "  - {id: a, source: s, status: verified}\n  - {id: a, source: s, status: verified}\n",
            "the id is used twice",
        ),
        ("items: 3\n", "needs a `title`"),
        ("title: [unclosed\n", "not valid YAML"),
    ],
)
def test_broken_files_are_refused_with_the_file_named(content_root, bad, message):
    (content_root / "broken.yaml").write_text(bad, encoding="utf-8")
    with pytest.raises(LearnerError, match=message) as info:
        content.items("broken")
    assert "broken.yaml" in str(info.value)


def test_a_root_without_content_falls_back_to_the_shipped_content(tmp_path, monkeypatch):
    monkeypatch.setenv("SPW_ROOT", str(tmp_path))
    content._load.cache_clear()
    assert content.content_dir() == content.PACKAGE_DIR.parent / "course" / "content"
    assert content.items("why_scale_facts")
    content._load.cache_clear()


def test_an_installed_package_without_a_course_folder_says_where_to_run(tmp_path, monkeypatch):
    monkeypatch.setenv("SPW_ROOT", str(tmp_path))
    monkeypatch.setattr(content, "PACKAGE_DIR", tmp_path / "site-packages" / "helpers")  # as on a hub
    with pytest.raises(LearnerError, match="course folder"):
        content.content_dir()


def test_missing_file_says_so(content_root):
    with pytest.raises(LearnerError, match="missing"):
        content.items("nothing-here")


def test_every_shipped_content_file_is_valid():
    """The course's own content files all load (each item sourced, with a status)."""
    content._load.cache_clear()
    files = content.all_content()
    assert len(files) >= 20, "the course ships its sourced content in course/content/"
    for name, data in files.items():
        assert data["items"], f"{name}.yaml has no items"
