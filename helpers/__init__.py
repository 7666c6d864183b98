"""The Strategic Procurement Workbook's helper library.

Notebooks import from here so that lessons stay short and readable; all logic
lives in one module per stage of the procurement cycle. Importing this package
is cheap: heavy libraries (plotly, ipywidgets) are imported by the modules that
need them.
"""
from helpers.errors import LearnerError

__all__ = ["LearnerError", "doctor"]
__version__ = "0.1.0"


def doctor(**kwargs):
    """Check the set-up and print one short OK line or a precise fix."""
    from helpers.doctor import doctor as _doctor

    return _doctor(**kwargs)
