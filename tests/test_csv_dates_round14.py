"""Issue 14 (round 14): a datetime column whose values carry fractions of a second (a deadline at
23:59:59.999999) gets its CSV text at once too (`csv_fraction_datetimes`, after `csv_dates`): whole seconds without a fraction, the others with
microseconds, each the very text `_datetime_text` (`Timestamp.isoformat`) gives the value; a part
below a microsecond still goes value by value."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from csbatch.blanks import is_blank
from csbatch.reports.cells import _datetime_text, csv_dates, csv_fraction_datetimes
from csbatch.reports.csvout import _column

stamps = st.one_of(st.none(), st.datetimes(min_value=dt.datetime(1700, 1, 1), max_value=dt.datetime(2200, 1, 1)),
                   st.sampled_from([dt.datetime(2026, 10, 31, 23, 59, 59, 999999), dt.datetime(2026, 10, 1)]))


def _one_by_one(series: pd.Series) -> list[str]:
    return ["" if is_blank(v) else _datetime_text(v) for v in series]


@settings(max_examples=200, deadline=None)
@given(values=st.lists(stamps, max_size=25), nanos=st.lists(st.integers(0, 999), max_size=25),
       unit=st.sampled_from(["ns", "us", "ms", "s"]))
def test_datetime_text_at_once_is_each_values_text(values, nanos, unit):
    series = pd.Series(pd.to_datetime(pd.Series(values, dtype=object)), dtype="datetime64[ns]")
    if unit == "ns":
        extra = np.zeros(len(series), dtype="int64")
        extra[:len(nanos)] = nanos[:len(series)]
        series = series + pd.to_timedelta(extra, unit="ns")
    else:
        series = series.dt.floor(unit).astype(f"datetime64[{unit}]")
    for at_once in (csv_dates(series, "datetime"), csv_fraction_datetimes(series)):
        if at_once is not None:
            assert at_once == _one_by_one(series)
    assert _column(series, "datetime") == _one_by_one(series)


def test_end_of_day_deadlines_are_written_at_once():
    series = pd.Series(pd.to_datetime(["2026-10-31 23:59:59.999999", None, "2026-10-01 09:30:00"],
                                      format="ISO8601"))
    assert csv_dates(series, "datetime") is None        # as before: a fraction of a second
    assert csv_fraction_datetimes(series) == ["2026-10-31 23:59:59.999999", "", "2026-10-01 09:30:00"]
    assert csv_fraction_datetimes(pd.Series(["2026-10-01"])) is None
