"""The column-wise provenance readers (`SheetRows`, `place_texts`, `PayContext.cells`) say what
the row-by-row ones say (`Source.of_row`, `Inputs.cell`), blanks and all: a million-row sheet
is placed without a Source per row twice over."""

from __future__ import annotations

import numpy as np
import pandas as pd

from csbatch.errors import Source
from csbatch.payroll.lines import PayContext
from csbatch.scoring.measures_kit import SheetRows, place_texts
from csbatch.sheets.intake import Inputs

ROWS = pd.DataFrame({
    "_file": ["a.xlsx", "a.xlsx", None, "b.csv", "None", "c.xlsx", "a.xlsx", np.nan],
    "_sheet": ["S1", None, "S", np.nan, "x", 3, "S1", None],
    "_row": pd.array([2, None, 4, 5, 6, 7, 9, 3], dtype="Int64"),
    "amount": range(8),
})


def _row_by_row(frame: pd.DataFrame) -> list[str]:
    return [str(Source.of_row(row)) for _, row in frame.iterrows()]


def test_place_texts_are_the_row_sources_in_words():
    assert place_texts(ROWS) == _row_by_row(ROWS)
    for missing in ("_sheet", "_row", "_file"):
        frame = ROWS.drop(columns=[missing])
        assert place_texts(frame) == [str(p) for p in Source.of_rows(frame)]
    floats = pd.DataFrame({"_file": ["a", "a"], "_sheet": [None, None], "_row": [3.0, np.nan]})
    assert place_texts(floats) == ["a!row 3", "a"]
    assert place_texts(ROWS.iloc[:0]) == []


def test_sheet_rows_places_each_row():
    assert [(None if p is None else str(p), n) for p, n in SheetRows.of(ROWS)] == [
        ("a.xlsx[S1]", 2), ("a.xlsx", None), (None, None), ("b.csv", 5), ("None[x]", 6), ("c.xlsx[3]", 7),
        ("a.xlsx[S1]", 9), (None, None)]


def test_pay_cells_are_the_input_cells():
    inputs = Inputs("2026-10", {"sales": ROWS}, [], letters={("a.xlsx", "S1"): {"amount": "E"},
                                                             ("b.csv", None): {"amount": "C"}})
    ctx = PayContext.__new__(PayContext)
    ctx.inputs = inputs
    for column in ("amount", "status"):
        assert ctx.cells(ROWS, column) == [inputs.cell(row, column) for _, row in ROWS.iterrows()]


def test_order_pay_sorted_as_pandas_sorts_it():
    from decimal import Decimal

    from csbatch.payroll.compute import _order_pay
    from csbatch.payroll.lines import OrderPay

    rng = np.random.default_rng(7)
    paid = OrderPay()
    for code in ("commission", "order_bonus"):
        n = 300
        paid.extend(code, [f"SO{x}" for x in rng.integers(0, 120, n)], [f"E{x}" for x in rng.integers(0, 9, n)],
                    [Decimal(i) for i in range(n)])
    rank = {"order_bonus": 0, "commission": 1}
    want = pd.DataFrame({c: getattr(paid, c) for c in ("order_id", "employee_id", "component", "amount")},
                        dtype=object).sort_values(["order_id", "component", "employee_id"], kind="stable",
                                                  key=lambda c: c.map(rank) if c.name == "component" else c)
    assert _order_pay(paid, rank).equals(want.reset_index(drop=True))
    assert _order_pay(OrderPay(), rank).empty


def test_integer_row_numbers_place_rows_as_the_nullable_column_does():
    plain = ROWS.assign(_row=np.array([2, 11, 4, 5, 6, 7, 9, 3], dtype=np.int64))
    nullable = plain.assign(_row=plain["_row"].astype("Int64"))
    for frame in (plain, nullable, plain.iloc[::-1], plain.iloc[:0]):
        got, want = SheetRows.of(frame), SheetRows.of(frame.assign(_row=frame["_row"].astype("Int64")))
        assert got.numbers.tolist() == want.numbers.tolist() and got.numbers.dtype == want.numbers.dtype
        assert got.which.tolist() == want.which.tolist() and got.places == want.places
        assert got.texts() == _row_by_row(frame)
