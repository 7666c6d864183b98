from __future__ import annotations

import helpers
from helpers.learning import checkup as doctor_module


def test_doctor_prints_one_ok_line_and_returns_nothing(capsys):
    assert helpers.doctor() is None
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and out[0].startswith("OK: Python 3.11")


def test_doctor_names_the_fix_when_the_data_is_missing(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("SPW_ROOT", str(tmp_path))
    problems = doctor_module.problems()
    assert any("course data folder was not found" in p and "make lab" in p for p in problems)
    assert doctor_module.doctor() is False
    assert "Set-up problems:" in capsys.readouterr().out


def test_doctor_reports_a_version_that_differs_from_the_lock(monkeypatch):
    real = doctor_module.pinned_versions
    monkeypatch.setattr(doctor_module, "pinned_versions", lambda lock=None: {**real(), "pandas": "0.0.1"})
    problems = doctor_module.problems()
    assert any(p.startswith("pandas ") and "pins 0.0.1" in p and "make lab" in p for p in problems)


def test_doctor_can_be_called_twice_in_one_kernel(capsys):
    from helpers import doctor

    doctor()
    from helpers import doctor as again

    again()
    assert capsys.readouterr().out.count("OK: Python") == 2
