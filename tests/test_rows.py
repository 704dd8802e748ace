"""Naming a row and telling a blank: `Source.of_row` (every "which row was this" in the close)
and `csbatch.blanks.is_blank` (every "is this cell empty" about one value)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from csbatch.blanks import is_blank
from csbatch.errors import Source

BLANKS = [None, float("nan"), np.nan, np.float32("nan"), pd.NA, pd.NaT, np.datetime64("NaT"),
          np.timedelta64("NaT"), Decimal("NaN")]
VALUES = ["", " ", "x", 0, 0.0, -1.5, False, True, np.int64(0), np.float64(0.0), Decimal(0),
          Decimal("Infinity"), pd.Timestamp("2026-10-01"), np.datetime64("2026-10-01"),
          dt.date(2026, 10, 1), pd.Timedelta(0)]


@pytest.mark.parametrize("value", BLANKS, ids=repr)
def test_missing_values_in_every_spelling_are_blank(value):
    assert is_blank(value)


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_values_are_not_blank_even_empty_text_zero_and_false(value):
    assert not is_blank(value)


@pytest.mark.parametrize("value", BLANKS + VALUES, ids=repr)
def test_is_blank_is_pandas_isna_for_one_value(value):
    assert is_blank(value) == bool(pd.isna(value))


def test_a_signalling_decimal_nan_is_blank_where_pandas_raises():
    assert is_blank(Decimal("sNaN"))


def test_a_row_is_named_file_sheet_and_row():
    row = pd.Series({"x": 1, "_file": "sales.xlsx", "_sheet": "Sheet1", "_row": np.int64(7)})
    assert str(Source.of_row(row)) == "sales.xlsx[Sheet1]!row 7"
    assert str(Source.of_row(row, "C")) == "sales.xlsx[Sheet1]!C7"
    assert Source.of_row(row) == Source("sales.xlsx", sheet="Sheet1", row=7)


@pytest.mark.parametrize("sheet", [None, float("nan"), pd.NA])
def test_a_csv_row_has_no_sheet_however_the_frame_spells_it(sheet):
    row = {"_file": "考勤.csv", "_sheet": sheet, "_row": 14.0}
    assert str(Source.of_row(row)) == "考勤.csv!row 14"
    assert str(Source.of_row(row, "B")) == "考勤.csv!B14"


def test_a_row_without_provenance_has_no_place():
    assert Source.of_row({"employee_id": "E01"}) is None
    assert Source.of_row({"_file": float("nan"), "_sheet": "S", "_row": 2}) is None
    assert Source.of_row({"_file": "a.xlsx", "_sheet": "S", "_row": pd.NA}) == Source("a.xlsx", sheet="S")


def test_the_rows_of_a_frame_are_named_as_each_row_alone():
    frame = pd.DataFrame({"_file": ["a.xlsx", "b.csv", None], "_sheet": ["S", None, None],
                          "_row": pd.array([2, 3, None], dtype="Int64")})
    assert Source.of_rows(frame) == [Source.of_row(r) for _, r in frame.iterrows()]
    assert [str(s) for s in Source.of_rows(frame)[:2]] == ["a.xlsx[S]!row 2", "b.csv!row 3"]
    assert Source.of_rows(frame)[2] is None
    assert Source.of_rows(frame[["_file"]]) == [Source("a.xlsx"), Source("b.csv"), None]
    assert Source.of_rows(pd.DataFrame({"x": [1, 2]})) == [None, None]
