from __future__ import annotations

import datetime

import pandas as pd
import pytest

from ieg_analysis.export.dates import day, day_range, minute_utc


@pytest.mark.parametrize(
    ("value", "text"),
    [(datetime.date(2019, 3, 8), "8 March 2019"), (datetime.date(2021, 4, 16), "16 April 2021")],
)
def test_a_day_has_no_leading_zero_and_the_month_in_full(value, text) -> None:
    assert day(value) == text


@pytest.mark.parametrize(
    ("start", "end", "text"),
    [
        ((2019, 3, 27), (2019, 3, 29), "27–29 March 2019"),
        ((2019, 3, 30), (2019, 4, 1), "30 March–1 April 2019"),
        ((2019, 12, 31), (2020, 1, 2), "31 December 2019–2 January 2020"),
        ((2021, 4, 6), (2021, 4, 6), "6 April 2021"),
    ],
)
def test_a_meeting_spans_its_days(start, end, text) -> None:
    assert day_range(datetime.date(*start), datetime.date(*end)) == text


def test_times_are_to_the_minute_in_utc() -> None:
    assert minute_utc(pd.Timestamp("2026-12-07 21:51:56.251395")) == "2026-12-07 21:51 UTC"
    assert minute_utc(None) == ""
