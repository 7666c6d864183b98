"""`python -m helpers` outside a course folder: a plain message, never a traceback."""

from __future__ import annotations

import helpers.__main__ as cli
from helpers.core.errors import LearnerError


def test_commands_that_cannot_load_their_content_say_where_to_run(monkeypatch, capsys):
    def missing():
        raise LearnerError("course/content/monitoring_rules.yaml: this course content file is missing")

    monkeypatch.setattr(cli, "build_parser", missing)
    assert cli.main(["hub-link", "--repo", "x"]) == 2
    err = capsys.readouterr().err
    assert "this course content file is missing" in err and "set SPW_ROOT" in err and "Traceback" not in err
