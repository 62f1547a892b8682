"""Dates as United Nations documents write them: "8 March 2019" (no leading zero, the
month in full), "27–29 March 2019" for a meeting; times in UTC to the minute."""

from __future__ import annotations

import datetime


def day(value: datetime.date) -> str:
    """ "8 March 2019"."""
    return f"{value.day} {value:%B %Y}"


def day_range(start: datetime.date, end: datetime.date) -> str:
    """ "27–29 March 2019", "30 March–1 April 2019", "31 December 2019–2 January 2020";
    one day when they are the same."""
    if start == end:
        return day(start)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{day(end)}"
    if start.year == end.year:
        return f"{start.day} {start:%B}–{day(end)}"
    return f"{day(start)}–{day(end)}"


def minute_utc(value: datetime.datetime | None) -> str:
    """ "2026-12-07 21:51 UTC" (the store keeps UTC without a zone); "" for none."""
    return "" if value is None else f"{value:%Y-%m-%d %H:%M} UTC"
