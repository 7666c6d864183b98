"""TEMPORARY re-export (issue 9): `tests/notebooks/test_nb01.py` still imports these from here.
Delete this file once it imports them from `helpers.why`."""
from helpers.why.widgets.local_spend_estimator import estimate_sentence, starting_point

__all__ = ["estimate_sentence", "starting_point"]
