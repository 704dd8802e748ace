"""Issue 14 (stop 38): a table sheet's kept columns (`down`) hold one object per distinct value,
each cell a reference to it, not a float or an int per cell: a sheet's cells wait in memory until
the workbook is written, and at a year of VIP history (95k members, 293k reminders) a number per
cell was ~75 MB of the VIP workbook's ~250. The values are the same ones (told apart by their
bits: -0.0 stays apart from 0.0), so the file is the same; the byte-for-byte tests of the sheets
(`test_workbook_round14`, `test_workbook_fast_columns`) hold that."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from csbatch.reports.tables import Col, Table
from csbatch.reports.workbook import Workbook, one_per_value

TABLE = Table("shared", "Shared", (
    Col("customer", "text", "Customer"),
    Col("tier", "text", "Tier"),
    Col("amount", "money", "Amount"),
    Col("rate", "decimal", "Rate"),
    Col("day", "date", "Day"),
))


def _frame(n: int) -> pd.DataFrame:
    return pd.DataFrame({
        "customer": [f"C{i % 700:05d}" for i in range(n)],
        "tier": [("银卡", "金卡", None)[i % 3] for i in range(n)],
        "amount": [Decimal(f"{i % 40}.50") for i in range(n)],
        "rate": [Decimal("0.95") if i % 2 else Decimal("0.9500") for i in range(n)],
        "day": pd.to_datetime([dt.date(2026, 11, 1 + i % 30) for i in range(n)]),
    })


def test_each_distinct_value_of_a_kept_column_is_one_object(tmp_path):
    n = 3000
    book = Workbook(tmp_path / "s.xlsx")
    book.add_table_sheet(TABLE, _frame(n), "zh")
    ws = book.book.worksheets()[0]
    by_name = {col.name: ws.down[c] for c, col in enumerate(TABLE.columns)}
    for name, distinct in (("customer", 700), ("tier", 2), ("amount", 40), ("rate", 1), ("day", 30)):
        values = by_name[name].values
        assert len(values) == n
        objects = {id(v) for v in values if v is not None}
        assert len(objects) == distinct, name
        assert len({v for v in values if v is not None}) == distinct, name
    assert by_name["tier"].values[2::3] == [None] * (n // 3)
    book.close()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.floats(allow_nan=True, allow_infinity=True), st.booleans()), max_size=60))
def test_one_per_value_keeps_every_value_by_its_bits(cells):
    floats = np.array([f for f, _ in cells], dtype=np.float64)
    blank = np.array([b for _, b in cells], dtype=bool)
    got = one_per_value(floats, blank)
    want = [None if b else f for f, b in zip(floats.tolist(), blank.tolist())]
    assert [None if v is None else np.float64(v).view(np.int64) for v in got] == \
           [None if v is None else np.float64(v).view(np.int64) for v in want]
    shown: dict[int, int] = {}
    for v in got:
        if v is not None:
            assert shown.setdefault(np.float64(v).view(np.int64).item(), id(v)) == id(v)


def test_minus_zero_and_zero_stay_two_values():
    got = one_per_value(np.array([0.0, -0.0, 0.0, -0.0]), np.zeros(4, dtype=bool))
    assert [str(v) for v in got] == ["0.0", "-0.0", "0.0", "-0.0"]
    assert got[0] is got[2] and got[1] is got[3] and got[0] is not got[1]
