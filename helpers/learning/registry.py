"""Self-check computations registered by name.

A quiz question whose right answer depends on the course data names a
computation (`compute: city-share-pct`) instead of a Python path, so moving or
renaming a module never breaks a quiz, and a quiz file can only run functions
that a stage registered here on purpose.

    @self_check("city-share-pct")
    def city_share_pct(city: str, year: int) -> float: ...
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from helpers.core.errors import LearnerError

_REGISTRY: dict[str, Callable[..., Any]] = {}

# The packages that register computations when imported (the stages of the cycle).
PROVIDERS = (
    "helpers.why",
    "helpers.framework",
    "helpers.spend",
    "helpers.strategy",
    "helpers.preprocurement",
    "helpers.tendering",
    "helpers.monitoring",
)


def self_check(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register the decorated function as the computation `name` (returned unchanged)."""

    def register(function: Callable[..., Any]) -> Callable[..., Any]:
        existing = _REGISTRY.get(name)
        if existing is not None and existing.__qualname__ != function.__qualname__:
            raise ValueError(f"the self-check name {name!r} is already used by {existing.__qualname__}")
        _REGISTRY[name] = function
        return function

    return register


def registered() -> dict[str, Callable[..., Any]]:
    """Every registered computation by name (imports the stages first, so the list is complete)."""
    for package in PROVIDERS:
        importlib.import_module(package)
    return dict(_REGISTRY)


def computation(name: str) -> Callable[..., Any]:
    """The computation registered as `name`; a `LearnerError` if no stage registered it."""
    if name not in _REGISTRY:
        registered()
    try:
        return _REGISTRY[name]
    except KeyError:
        raise LearnerError(f"the quiz names {name!r}, which is not a registered self-check computation") from None
