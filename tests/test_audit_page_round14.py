"""Issue 14 (round 14): the audit page formats a datetime's cell without making a Timestamp of it;
the text is the one `pd.Timestamp(value).strftime` gave (the old form, kept here)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from csbatch.reports.audit_page import datetime_text
from csbatch.reports.vip_statements import DASH


def _old(value) -> str:
    return pd.Timestamp(value).strftime("%Y-%m-%d %H:%M")


@given(st.datetimes(min_value=dt.datetime(1700, 1, 1), max_value=dt.datetime(2200, 1, 1)),
       st.integers(0, 999))
def test_a_datetime_or_timestamp_shows_as_before(value, nanos):
    assert datetime_text(value) == _old(value)
    stamp = pd.Timestamp(value) + pd.Timedelta(nanoseconds=nanos)
    assert datetime_text(stamp) == _old(stamp)


def test_dates_text_and_blanks_as_before():
    assert datetime_text(dt.date(2026, 10, 1)) == "2026-10-01 00:00"
    assert datetime_text("2026-10-01 08:30") == "2026-10-01 08:30"
    assert datetime_text(pd.Timestamp("2026-10-01 08:30", tz="Asia/Shanghai")) == "2026-10-01 08:30"
    assert datetime_text(None) == datetime_text(pd.NaT) == datetime_text("") == DASH
