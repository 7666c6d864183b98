"""App mode (Voilà): the course menu, the URLs, the command and the environment it starts with."""

from __future__ import annotations

import argparse
import json
import socket
from pathlib import Path

import nbformat
import pytest

from helpers.__main__ import build_parser
from helpers.core.errors import LearnerError
from helpers.learning import app
from helpers.learning.course import course_modules

REPO = Path(__file__).resolve().parents[3]


def test_the_menu_links_every_module_to_its_app_by_title():
    html = app.menu_html()
    for m in course_modules():
        assert f'href="../notebooks/{m.notebook}.ipynb"' in html
        assert m.title in html and f"about {m.minutes} minutes" in html
    assert "Module 3: Spend analysis" in html
    assert html.count("<li") == len(course_modules()) == 8


def test_the_menu_notebook_is_the_one_cell_that_shows_the_menu():
    nb = nbformat.read(REPO / app.MENU_NOTEBOOK, as_version=4)
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    assert code == ["from helpers.learning.app import course_menu\n\ncourse_menu()"]
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")


def test_app_urls_for_binder_and_a_hub():
    assert app.module_app_path(course_modules()[3]) == "voila/render/notebooks/03_spend_analysis.ipynb"
    assert app.binder_url() == (
        "https://mybinder.org/v2/gh/strategic-procurement/workbook/HEAD"
        "?urlpath=voila%2Frender%2Fapp%2Fcourse_menu.ipynb"
    )
    assert (
        app.hub_url("https://hub.example.org/", "ana maria")
        == "https://hub.example.org/user/ana%20maria/voila/render/app/course_menu.ipynb"
    )


def test_voila_serves_the_repository_on_loopback_with_live_widgets(monkeypatch):
    command = app.voila_command(8899, root="/course")
    assert command[1:4] == ["-m", "voila", "/course"]
    assert "--Voila.ip=127.0.0.1" in command and "--port=8899" in command and "--no-browser" in command
    env = app.app_environment({"PYTHONPATH": "/elsewhere", "HOME": "/home/x"})
    assert env["SPW_DISPLAY"] == "widgets"
    assert env["PYTHONPATH"].split(":") == [str(REPO), "/elsewhere"]  # this course's helpers first
    assert env["HOME"] == "/home/x"


def test_voila_config_hides_the_lab_only_cells_and_loads_no_broken_extension():
    config = json.loads((REPO / "voila.json").read_text())
    assert set(config["TagRemovePreprocessor"]["remove_cell_tags"]) == set(app.APP_HIDDEN_TAGS)
    assert config["TagRemovePreprocessor"]["enabled"] is True
    assert "jupyterlab-jupytext" in config["VoilaConfiguration"]["extension_denylist"]
    assert config["Voila"]["ip"] == "127.0.0.1"
    assert config["VoilaConfiguration"]["show_tracebacks"] is False
    # a closed tab's kernel is shut down after 10 idle minutes; a page still open keeps its kernel
    assert config["MappingKernelManager"] == {"cull_idle_timeout": 600, "cull_interval": 60, "cull_connected": False}


def test_the_app_command_is_registered_and_a_taken_port_is_a_plain_error():
    args = build_parser().parse_args(["app", "--port", "8898", "--no-browser"])
    assert args.func is app.run_app and args.port == 8898 and args.no_browser
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        port = taken.getsockname()[1]
        with pytest.raises(LearnerError, match=f"port {port}"):
            app.run_app(argparse.Namespace(port=port, no_browser=True))
