"""TEMPORARY re-export (issue 9): `tests/notebooks/test_nb01.py` still imports this from here.
Delete this file once it imports it from `helpers.why`."""
from helpers.why.local_spend import local_spend_estimate

__all__ = ["local_spend_estimate"]
