"""The install is reproducible: one lock, the same pins for Binder, and what runs equals the pins."""

from __future__ import annotations

import subprocess
import sys
from importlib import metadata
from pathlib import Path

import yaml

from helpers.learning.checkup import pinned_versions

ROOT = Path(__file__).resolve().parents[2]


def test_environment_yml_lists_exactly_the_lock():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert "python=3.11.7" in conda
    lock = [
        line.strip()
        for line in (ROOT / "requirements.lock").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert sorted(pip) == sorted(lock)


def test_sync_script_agrees_with_committed_environment():
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "sync_environment.py"), "--check"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_installed_versions_equal_the_pins():
    pins = pinned_versions(ROOT / "requirements.lock")
    assert len(pins) > 50
    wrong = {}
    for name, version in pins.items():
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            wrong[name] = ("missing", version)
            continue
        if installed != version:
            wrong[name] = (installed, version)
    assert not wrong


def test_lock_has_what_the_kernel_needs_for_plotly_and_widgets():
    pins = pinned_versions(ROOT / "requirements.lock")
    for name in (
        "anywidget",
        "nbformat",
        "ipywidgets",
        "plotly",
        "jupyterlab",
        "papermill",
        "nbval",
        "pandas",
        "playwright",
    ):
        assert name in pins, name
    assert pins["ipywidgets"].startswith("8.")


def test_lab_settings_use_defer_windowing():
    import json

    settings = json.loads((ROOT / "jupyter-settings" / "overrides.json").read_text())
    assert settings["@jupyterlab/notebook-extension:tracker"]["windowingMode"] == "defer"
    assert (ROOT / "postBuild").read_text().count("overrides.json") >= 1
    assert "overrides.json" in (ROOT / "Makefile").read_text()


def test_python_is_the_pinned_minor():
    assert sys.version_info[:2] == (3, 11)
