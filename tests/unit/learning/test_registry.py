"""Self-check computations are found by name, and only registered ones can run."""

from __future__ import annotations

import pytest
import yaml

from helpers.core.errors import LearnerError
from helpers.core.paths import course_dir
from helpers.learning import registry
from helpers.learning.registry import computation, registered, self_check


def test_every_stage_registers_its_computations():
    names = set(registered())
    assert {
        "lm3",
        "extra-local-money",
        "threshold-eur",
        "open-procedure-days",
        "city-share-pct",
        "sme-share-pct",
        "grow-count",
        "single-bid-rate-pct",
        "winner-switch-weight",
        "service-credit-eur",
        "red-kpis",
    } <= names


def test_every_quiz_compute_name_is_registered_and_no_path_is_used():
    names = set(registered())
    for path in sorted((course_dir() / "quizzes").glob("module*.yaml")):
        for q in yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]:
            if "compute" in q:
                assert "." not in q["compute"], f"{q['id']} names a module path"
                assert q["compute"] in names, f"{q['id']}: {q['compute']!r} is not registered"


def test_lookup_runs_the_registered_function():
    assert computation("lm3")(total_spend=10.0, local_share=40, respend_rate=0.4) == pytest.approx(1.56)


def test_unregistered_names_are_refused():
    with pytest.raises(LearnerError, match="not a registered self-check computation"):
        computation("os.system")


def test_a_name_cannot_be_taken_twice(monkeypatch):
    monkeypatch.setattr(registry, "_REGISTRY", {})

    @self_check("twice")
    def first():
        return 1

    with pytest.raises(ValueError, match="already used"):

        @self_check("twice")
        def second():
            return 2

    assert computation("twice")() == 1
