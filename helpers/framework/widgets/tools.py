"""TEMPORARY re-export (issue 9): `helpers/strategy/widgets/tools.py` and `tests/notebooks/test_nb02.py` still
import these from here. Delete this file once they import them from `helpers.framework`."""
from helpers.framework.city_tenders import city_tenders_check, verdict_counts
from helpers.framework.widgets.threshold_advisor import parse_euro

__all__ = ["city_tenders_check", "parse_euro", "verdict_counts"]
