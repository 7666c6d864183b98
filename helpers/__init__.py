"""The Strategic Procurement Workbook's helper library.

Notebooks import from here so that lessons stay short and readable; all logic
lives in one module per stage of the procurement cycle. Importing this package
is cheap: heavy libraries (plotly, ipywidgets) are imported by the modules that
need them.
"""
from helpers.errors import LearnerError

__all__ = ["LearnerError", "doctor"]
__version__ = "0.1.0"


def doctor(**kwargs) -> None:
    """Check the set-up and print one short OK line or a precise fix.

    Returns nothing, so the notebook cell shows only the printed line; use
    `helpers.checkup.problems()` for the list of problems in code.
    """
    from helpers.checkup import doctor as _doctor

    _doctor(**kwargs)
