"""The Strategic Procurement Workbook's helper library.

Layers, from the bottom up (a layer uses only the ones below it):

- `helpers.core`: errors, paths, safety, value parsing, formatting, the one table reader;
- `helpers.ui`: live widgets or their static view, messages, the colour theme, exports;
- `helpers.learning`: self-checks, progress, the course map, the set-up check;
- `helpers.data` (the shipped datasets) and `helpers.datagen` (their generator);
- one package per stage of the procurement cycle: `why`, `framework`, `spend`, `strategy`,
  `preprocurement`, `tendering`, `monitoring`. A stage's `__init__` is its notebook-facing API.

Importing this package is cheap; `doctor` and `selfcheck` load what they need when first used.
"""

from __future__ import annotations

from typing import Any

from helpers.core.errors import LearnerError

__all__ = ["LearnerError", "doctor", "selfcheck"]
__version__ = "0.1.0"


def doctor(**kwargs: Any) -> None:
    """Check the set-up and print one short OK line or a precise fix.

    Returns nothing, so the notebook cell shows only the printed line; use
    `helpers.learning.checkup.problems()` for the list of problems in code.
    """
    from helpers.learning.checkup import doctor as run_checks  # loads pandas and IPython: only when called

    run_checks(**kwargs)


def __getattr__(name: str) -> Any:
    """`from helpers import selfcheck` loads the self-check engine on first use (PEP 562)."""
    if name == "selfcheck":
        from helpers.learning import selfcheck  # loads yaml and pandas: only when a notebook asks

        return selfcheck
    raise AttributeError(f"module 'helpers' has no attribute {name!r}")
