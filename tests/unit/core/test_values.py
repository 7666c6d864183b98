import datetime as dt

import numpy as np
import pandas as pd
import pytest

from helpers.core.errors import LearnerError
from helpers.core.values import as_date, is_placeholder_date, timestamp_or_none


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


def test_as_date_reads_the_whole_range_of_real_exports():
    assert as_date("9999-12-31") == dt.date(9999, 12, 31)
    assert as_date("0001-01-01") == dt.date(1, 1, 1)
    assert as_date("2025-06-01T10:30:00") == dt.date(2025, 6, 1)
    assert as_date(np.datetime64("2025-06-01")) == dt.date(2025, 6, 1)
    for empty in (None, pd.NaT, float("nan"), np.datetime64("NaT")):
        with pytest.raises(LearnerError, match="is empty"):
            as_date(empty)


@pytest.mark.parametrize(
    ("day", "placeholder"),
    [
        (dt.date(9999, 12, 31), True),
        (dt.date(9999, 1, 1), True),
        (dt.date(1, 1, 1), True),
        (dt.date(1900, 1, 1), True),
        (dt.date(1899, 12, 30), True),
        (dt.date(2025, 6, 1), False),
        (dt.date(1, 1, 2), False),
        (dt.date(2099, 12, 31), False),
    ],
)
def test_placeholder_dates(day, placeholder):
    assert is_placeholder_date(day) is placeholder


def test_timestamp_or_none_never_raises_out_of_bounds():
    assert timestamp_or_none("9999-12-31") is None and timestamp_or_none("0001-01-01") is None
    assert timestamp_or_none("2262-04-11") == pd.Timestamp("2262-04-11")
    with pytest.raises(LearnerError, match=r"the end date 3000-01-01 is outside the years .* \(1677–2262\)"):
        timestamp_or_none("3000-01-01", "end date")
    with pytest.raises(LearnerError, match="outside the years"):
        timestamp_or_none(dt.date(1500, 1, 1))
