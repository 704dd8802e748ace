"""The card and task arithmetic keeps each answer once made (issue 14): with a year of history
the VIP stage asked `add_months`, `months_held` and `stamp` about the same few hundred days
~500k times and `yen` about a few thousand amounts ~600k times, each a `relativedelta`, a
`Timestamp` or a format of microseconds. Kept answers are the same answers, for any day and any
amount, and a datetime or Timestamp is never answered as the date it equals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from csbatch.vip.dates import add_months, months_held, stamp
from csbatch.vip.pricing import yen

DAYS = st.dates(dt.date(1990, 1, 1), dt.date(2090, 12, 31))


def test_an_answer_is_made_once():
    day = dt.date(2026, 1, 31)
    assert add_months(day, 1) is add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert stamp(day) is stamp(dt.date(2026, 1, 31)) == pd.Timestamp("2026-01-31")
    assert yen(Decimal("2800")) is yen(Decimal("2800"))
    assert months_held.cache_info().maxsize and stamp.cache_info().maxsize    # bounded


@given(day=DAYS, months=st.integers(-30, 30))
def test_kept_answers_are_the_formulas(day, months):
    assert add_months(day, months) == day + relativedelta(months=months)
    at = pd.Timestamp(day) + pd.Timedelta(hours=10, minutes=30)
    assert add_months(at, months) == at + relativedelta(months=months)
    assert type(add_months(at, months)) is pd.Timestamp and type(add_months(day, months)) is dt.date
    until = day + dt.timedelta(days=abs(months) * 17)
    delta = relativedelta(until, day)
    assert months_held(day, until) == delta.years * 12 + delta.months
    assert stamp(day) == pd.Timestamp(day) and stamp(None) is pd.NaT


@given(cents=st.integers(-10**12, 10**12), exponent=st.sampled_from([0, -1, -2, -4]))
def test_equal_amounts_have_the_text_of_their_cents(cents, exponent):
    """2800, 2800.00 and 2800.0000 are equal amounts: one text, whichever was asked first."""
    amount = Decimal(cents).scaleb(-2)
    written = amount.quantize(Decimal(1).scaleb(exponent)) if exponent > -2 and amount == amount.to_integral() \
        else amount.quantize(Decimal(1).scaleb(min(exponent, -2)))
    text = f"{abs(amount):,.2f}".removesuffix(".00")
    expected = f"{'-' if amount < 0 else ''}¥{text}"
    assert yen(written) == expected
    assert yen(amount) == expected
