"""Issue 14 (round 14): a table sheet's date serials, its texts' shared-string numbers and its formats'
numbers are worked out a column at once, and every row of a kept (`down`) sheet is written from
the columns' joined text (the formats numbered up front in the order writing cell by cell first
shows them). Each is held against the old form kept here: the serials against the per-cell loop,
the workbooks against writing every cell through `Workbook.cell` (byte for byte: sheet XML,
shared strings, styles.xml), with blanks, NaT, formula-looking and hostile text, duplicates,
Decimal amounts cents cannot hold, formats first shown far down, rows with formats of their own
and cells written over the table afterwards."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csbatch.reports.tables import Col, Table
from csbatch.reports.workbook import (
    _EXCEL_EPOCH_US,
    Workbook,
    _first_given,
    _widest,
    excel_serials,
)
from test_workbook_down_round13 import _cell_by_cell, _parts  # the old form, kept there


def _serials_per_cell(values: pd.Series) -> list[float | None]:
    """`excel_serials`' loop as it was before round 14: a Python step per cell."""
    blank = values.isna().to_numpy()
    stamps = values.to_numpy()
    micros = (stamps.view("int64") // 1000 if stamps.dtype == "datetime64[ns]"
              else stamps.astype("datetime64[us]").view("int64"))
    out: list[float | None] = []
    for us, nat in zip((micros - _EXCEL_EPOCH_US).tolist(), blank.tolist()):
        if nat:
            out.append(None)
            continue
        days, rest = divmod(us, 86_400_000_000)
        seconds, micro = divmod(rest, 1_000_000)
        out.append(days + (float(seconds) + float(micro) / 1e6) / 86400 + 1)
    return out


stamps = st.one_of(st.none(), st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(2200, 1, 1)))


@settings(max_examples=200, deadline=None)
@given(values=st.lists(stamps, max_size=30), unit=st.sampled_from(["ns", "us", "ms", "s"]))
def test_serials_at_once_are_the_per_cell_loops_floats(values, unit):
    series = pd.Series(pd.to_datetime(pd.Series(values, dtype=object)), dtype="datetime64[ns]")
    if unit != "ns":
        series = series.dt.floor({"ms": "ms", "s": "s", "us": "us"}[unit]).astype(f"datetime64[{unit}]")
    fast = excel_serials(series)
    assert fast is not None
    slow = _serials_per_cell(series)
    assert [None if v is None else v.hex() for v in fast] == [None if v is None else v.hex() for v in slow]


@given(values=st.lists(st.one_of(st.none(), st.integers(), st.just(0), st.just(""), st.just(False))))
def test_first_given_is_the_first_value_not_none(values):
    assert _first_given(values) == next((i for i, v in enumerate(values) if v is not None), None)


def test_a_date_columns_width_is_fixed_once_any_date_is_given():
    assert _widest(pd.Series([pd.NaT, pd.NaT]), "datetime") == 0
    assert _widest(pd.Series([pd.NaT, pd.Timestamp("2026-10-01 08:00")]), "datetime") == 16
    assert _widest(pd.Series([None, dt.date(2026, 10, 1)], dtype=object), "date") == 10


TABLE = Table("t", "Sheet", (
    Col("employee_id", "id", "employee id"), Col("name", "text", "name"), Col("pay", "money", "pay"),
    Col("at", "datetime", "due at"), Col("points", "decimal", "points"), Col("note", "text", "note"),
    Col("day", "date", "day"), Col("n", "int", "count")))

texts = st.one_of(st.none(), st.sampled_from(["", "=1+1", "-x", "@a", "\tt", " lead", "a&b<c>", "_x0041_", "张三",
                                              "宽" * 70, "<script>alert(1)</script>"]), st.text(max_size=5))
amounts = st.one_of(st.none(), st.just(Decimal("0.001")), st.just(Decimal("-0")), st.just(Decimal("NaN")),
                    st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-10**6, max_value=10**6))
days = st.one_of(st.none(), st.datetimes(min_value=dt.datetime(2026, 1, 1), max_value=dt.datetime(2027, 1, 1)))
points = st.one_of(st.none(), st.sampled_from([Decimal("1"), Decimal("1.5"), Decimal("1.234"), Decimal("2.00")]))


def _frame(rows: list[tuple], blank_before: int) -> pd.DataFrame:
    """The rows, every column but the first blank in the first `blank_before` rows: each column's
    formats first show far down."""
    frame = pd.DataFrame(rows, columns=["employee_id", "name", "pay", "at", "points", "note", "day", "n"],
                         dtype=object)
    for name in frame.columns[1:]:
        frame.loc[: blank_before - 1, name] = None
    frame["at"] = pd.to_datetime(frame["at"])           # a datetime64 column: its serials at once
    frame["day"] = pd.Series([None if v is None else v.date() for v in frame["day"]], dtype=object)
    return frame


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(texts, texts, amounts, days, points, texts, days,
                               st.one_of(st.none(), st.integers(-5, 5))), max_size=30),
       blank_before=st.integers(0, 30), bold_last=st.booleans(),
       row_format_at=st.one_of(st.none(), st.integers(1, 31)), over=st.one_of(st.none(), st.integers(1, 31)))
def test_sheets_write_as_cell_by_cell(tmp_path, rows, blank_before, bold_last, row_format_at, over):
    frame = _frame(rows, blank_before)
    made = []
    for name, sheet in (("fast", lambda book, **kw: book.add_table_sheet(TABLE, frame, "zh", **kw)),
                        ("slow", lambda book, **kw: _cell_by_cell(book, TABLE, frame, "zh", **kw))):
        book = Workbook(tmp_path / f"{name}.xlsx", "zh")
        sheet(book, bold_last_row=bold_last)
        ws = book.book.worksheets()[0]
        italic = book.book.add_format({"italic": True})
        if row_format_at is not None:
            ws.set_row(row_format_at, None, book.book.add_format({"underline": True}))
        if over is not None:
            ws.write_string(over, 9, "beside the table", italic)        # no kept column under it
            ws.write_string(over, over % 8, "over the table", italic)   # over a kept column's cell
        _cell_by_cell(book, Table("s", "Second", TABLE.columns[:3]), frame, "zh") if name == "slow" else \
            book.add_table_sheet(Table("s", "Second", TABLE.columns[:3]), frame, "zh")
        made.append(_parts(book.close()))
    assert made[0] == made[1]


def test_a_format_first_shown_far_down_and_one_written_later_are_numbered_as_cell_by_cell(tmp_path):
    n = 200
    frame = pd.DataFrame({
        "employee_id": [f"E{i % 7}" for i in range(n)], "name": [None] * 150 + ["=x"] * 50,
        "pay": [None] * 120 + [Decimal(i) for i in range(80)],
        "at": pd.to_datetime([None] * 180 + [dt.datetime(2026, 10, 1, i % 24) for i in range(20)]),
        "points": [Decimal(i) if i < 190 else Decimal("1.25") for i in range(n)],
        "note": [None] * 199 + ["宽" * 70], "day": [None] * n, "n": np.arange(n).tolist()})
    made = []
    for name in ("fast", "slow"):
        book = Workbook(tmp_path / f"{name}.xlsx", "zh")
        if name == "fast":
            book.add_table_sheet(TABLE, frame, "zh", bold_last_row=True)
        else:
            _cell_by_cell(book, TABLE, frame, "zh", bold_last_row=True)
        ws = book.book.worksheets()[0]
        ws.write_string(100, 12, "later", book.book.add_format({"italic": True}))
        ws.set_row(160, None, book.book.add_format({"underline": True}))
        made.append(_parts(book.close()))
    assert made[0] == made[1]


def test_a_text_longer_than_half_the_cell_limit_goes_cell_by_cell_as_before(tmp_path):
    frame = pd.DataFrame({"employee_id": ["E1", "E2", "E1"], "name": ["张三", "x" * 20_000, None],
                          "pay": [Decimal("1.5")] * 3}, dtype=object)
    small = Table("s", "Second", TABLE.columns[:3])
    fast, slow = Workbook(tmp_path / "fast.xlsx", "zh"), Workbook(tmp_path / "slow.xlsx", "zh")
    fast.add_table_sheet(small, frame, "zh")
    _cell_by_cell(slow, small, frame, "zh")
    assert _parts(fast.close()) == _parts(slow.close())
