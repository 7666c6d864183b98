"""A learner's ledger files: the my_data/ list (previews and uploads are tested with the workbench)."""

from __future__ import annotations

from helpers.spend import ledger_files


def test_my_data_files_lists_ledgers_only(tmp_path, monkeypatch):
    (tmp_path / "a.csv").write_text("x")
    (tmp_path / "b.xlsx").write_bytes(b"x")
    (tmp_path / "README.md").write_text("x")
    monkeypatch.setattr(ledger_files, "my_data_dir", lambda: tmp_path)
    assert [p.name for p in ledger_files.my_data_files()] == ["a.csv", "b.xlsx"]
