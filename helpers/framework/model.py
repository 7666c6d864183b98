"""TEMPORARY re-export (issue 9): `helpers/preprocurement/model.py` still imports these from here.
Delete this file once it imports them from `helpers.framework`."""
from helpers.framework.procedures import OPEN_LIMITS_SOURCE, RESTRICTED_LIMITS_SOURCE, SUB_CENTRAL_AGREEMENT_SOURCE

__all__ = ["OPEN_LIMITS_SOURCE", "RESTRICTED_LIMITS_SOURCE", "SUB_CENTRAL_AGREEMENT_SOURCE"]
