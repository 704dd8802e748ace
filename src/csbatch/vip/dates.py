"""Calendar arithmetic of cards: a card runs `valid_months` from its issue date, less one day
(2026-11-05 → 2027-11-04), and tier rules count whole months held. Month arithmetic clamps to
the month's end (a card issued 01-31 plus one month runs to 02-28), so it lives in one place
instead of being re-derived (and re-argued) wherever a date is computed."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

import pandas as pd
from dateutil.relativedelta import relativedelta
from pandas.api.typing import NaTType

from csbatch.blanks import is_blank

DAY = dt.timedelta(days=1)


def as_date(value: Any) -> dt.date | None:
    """A date from a frame cell (Timestamp, datetime, date, ISO text); None for a blank."""
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):          # pandas Timestamps too
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and not value.strip():
        return None
    return pd.Timestamp(value).date()


#: The functions below are asked the same few hundred days again and again (each card's dates, each
#: task's, at 95k members with a year of history), and a `relativedelta` or a `Timestamp` is made
#: in microseconds: each answer is kept once made (a date, its type and its answer are immutable;
#: `typed`: a datetime or Timestamp is never taken for the date it equals).
_KEPT = lru_cache(maxsize=8192, typed=True)


@_KEPT
def add_months(day: dt.date, months: int) -> dt.date:
    return day + relativedelta(months=months)


def valid_until(start: dt.date, months: int) -> dt.date:
    """The last day of a card year that starts on `start`."""
    return add_months(start, months) - DAY


@_KEPT
def months_held(since: dt.date, until: dt.date) -> int:
    """Whole months from `since` to `until` (2026-10-09 → 2027-10-31 is 12)."""
    delta = relativedelta(until, since)
    return delta.years * 12 + delta.months


def shift_period(period: str, months: int) -> str:
    year, month = (int(x) for x in period.split("-"))
    index = year * 12 + month - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


@_KEPT
def stamp(day: dt.date | None) -> pd.Timestamp | NaTType:
    """A date as the frames hold it: midnight Timestamp, NaT for None."""
    return pd.NaT if day is None else pd.Timestamp(day)
