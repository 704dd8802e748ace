"""A sheet's columns made anew while its rows are alive (`csbatch.sheets.gathered`): the same
values of the same types, each distinct text a fresh copy shared by its cells, and a real
workbook's read gives its repeated texts as one object."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from builders import ROSTER_ROWS, write_roster, write_xlsx
from csbatch.sheets.gathered import gathered
from csbatch.sheets.intake import read_inputs

CELLS = st.one_of(st.text(max_size=6), st.integers(-3, 3), st.floats(allow_nan=True, allow_infinity=True),
                  st.booleans(), st.none(), st.datetimes(min_value=dt.datetime(2026, 1, 1),
                                                         max_value=dt.datetime(2026, 1, 3)),
                  st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2026, 1, 3)),
                  st.sampled_from([0.0, -0.0, 1, 1.0, True, "1", "", "客户"]))


def _same(a: object, b: object) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        assert isinstance(b, float)
        return (math.isnan(a) and math.isnan(b)) or (a == b and math.copysign(1, a) == math.copysign(1, b))
    return a == b


def _column(cells: list[object], repeat: int) -> np.ndarray:
    column = np.empty(len(cells) * repeat, dtype=object)
    column[:] = [x[:1] + x[1:] if isinstance(x, str) else x for x in cells * repeat]   # a new text each
    return column


@settings(max_examples=60, deadline=None)
@given(st.lists(CELLS, min_size=1, max_size=40), st.integers(1, 60))
def test_every_cell_keeps_its_value_and_type(cells, repeat):
    column = _column(cells, repeat)
    made = gathered(column)
    assert len(made) == len(column)
    assert all(_same(a, b) for a, b in zip(column, made, strict=True))


def test_one_one_float_and_true_stay_three_and_the_signs_of_zero_two():
    column = _column([1, 1.0, True, 0.0, -0.0, "1"], 500)
    made = gathered(column)
    assert [type(x) for x in made[:6]] == [int, float, bool, float, float, str]
    assert [math.copysign(1, x) for x in made[3:5]] == [1, -1]
    assert all(_same(a, b) for a, b in zip(column, made, strict=True))


def test_equal_texts_become_one_fresh_copy():
    column = _column(["客户0001", "客户0002", None, "客户0001"], 300)
    made = gathered(column)
    texts = {id(x) for x in made if isinstance(x, str)}
    assert len(texts) == 2                                # one object per distinct text
    assert texts.isdisjoint(id(x) for x in column)       # copies, not the cells read
    assert made[2] is None


def test_any_text_is_copied_a_lone_surrogate_too():
    column = _column(["a\udc80b", "\ud800", "x", ""], 300)
    made = gathered(column)
    assert list(made) == list(column)
    assert made[0] is not column[0] and made[0] is made[4]


def test_a_short_column_is_left_as_read():
    column = _column(["甲乙丙", "甲乙丙"], 3)
    assert gathered(column) is column


def test_a_read_sheet_holds_each_repeated_text_once(policy, tmp_path):
    """A real workbook read through `read_inputs`: calamine makes an object per cell, and typing
    keeps each cell of a column of nearly all distinct texts as it is (`coerce.type_groups`); the
    frame holds one object per distinct customer."""
    write_roster(tmp_path)
    header = ["订单号", "下单日期", "客服工号", "客户编号", "实收金额"]
    n, customers = 9000, 8800
    rows = [[f"A{i:05d}", "2026-10-08", ROSTER_ROWS[i % 3][0], f"C{i % customers:05d}", 100 + i % 5]
            for i in range(n)]
    write_xlsx(tmp_path / "销售订单.xlsx", {"Sheet1": [header, *rows]})
    inputs, issues = read_inputs(policy, "2026-10", tmp_path, None)
    assert inputs is not None, [str(i) for i in issues]
    sales = inputs["sales"]
    assert list(sales["order_id"]) == [f"A{i:05d}" for i in range(n)]
    assert list(sales["customer_id"]) == [f"C{i % customers:05d}" for i in range(n)]
    assert len({id(x) for x in sales["customer_id"]}) == customers
