import datetime as dt

import pandas as pd
import pytest

from helpers.core.errors import LearnerError
from helpers.core.values import as_date


@pytest.mark.parametrize(
    "value",
    [
        "2025-06-01",
        " 2025-06-01 ",
        dt.date(2025, 6, 1),
        dt.datetime(2025, 6, 1, 13, 5),
        pd.Timestamp("2025-06-01 08:00"),
    ],
)
def test_as_date_accepts_the_usual_forms(value):
    assert as_date(value) == dt.date(2025, 6, 1)


def test_as_date_names_the_field_and_the_fix():
    with pytest.raises(LearnerError, match=r"the contract start '01/06/2025' is not a date\. Write it as YYYY-MM-DD"):
        as_date("01/06/2025", "contract start")
