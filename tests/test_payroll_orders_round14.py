"""Round 14: the counted orders' file order and places are read from the provenance columns
taken once as arrays (`orders._placed_in_file_order`), the order bonus adds its sales-rep
splits as columns (`Splits.extend`, which replaced `add` per order), the refunded rows and the counted orders check blanks only
on the rows the other conditions keep; each checked against the old form kept here."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csbatch.payroll.lines import Splits
from csbatch.payroll.orders import _placed_in_file_order, among, in_file_order, refunded_rows, staff_codes
from csbatch.scoring.measures_kit import Period, SheetRows
from csbatch.scoring.measures_sales import counted_order_mask


def old_form(sales: pd.DataFrame, counted: np.ndarray) -> tuple[np.ndarray, SheetRows]:
    order = in_file_order(sales[["_file", "_sheet", "_row"]][counted])
    provenance = [c for c in ("_file", "_sheet", "_row") if c in sales.columns]
    return order, SheetRows.of(sales[provenance].take(order))


def same(a: tuple[np.ndarray, SheetRows], b: tuple[np.ndarray, SheetRows]) -> bool:
    return a[0].tolist() == b[0].tolist() and a[1].places == b[1].places \
        and a[1].which.tolist() == b[1].which.tolist() and a[1].numbers.tolist() == b[1].numbers.tolist() \
        and a[1].numbers.dtype == b[1].numbers.dtype


texts = st.sampled_from(["a.xlsx", "b.xlsx", "b.csv", "", " ", "Σ'\"<x>", None, float("nan")])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(texts, st.sampled_from(["S1", "S2", None, "sheet<"]), st.integers(1, 9), st.booleans()),
                min_size=0, max_size=30), st.booleans())
def test_placed_in_file_order_is_the_old_form(rows: list[tuple], object_rows: bool) -> None:
    sales = pd.DataFrame({"_file": pd.Series([r[0] for r in rows], dtype=object),
                          "_sheet": pd.Series([r[1] for r in rows], dtype=object),
                          "_row": pd.Series([r[2] for r in rows], dtype=object if object_rows else np.int64)})
    counted = np.array([r[3] for r in rows], dtype=bool)
    assert same(_placed_in_file_order(sales, counted), old_form(sales, counted))


def test_placed_in_file_order_in_order_out_of_order_and_duplicated() -> None:
    base = {"_file": ["a", "a", "a", "b", "b"], "_sheet": ["S", "S", "T", "S", "S"], "_row": [2, 3, 2, 2, 2]}
    for frame in (pd.DataFrame(base), pd.DataFrame({**base, "_row": [3, 2, 2, 2, 2]}),
                  pd.DataFrame({**base, "_file": ["b", "a", "a", "b", "b"]}),
                  pd.DataFrame({**base, "_file": pd.Series(["a", "a", None, "b", "b"], dtype="str")}),
                  pd.DataFrame({**base, "_sheet": pd.Series(["S", "S", "T", "S", "S"], dtype="str")})):
        for counted in (np.ones(5, dtype=bool), np.array([True, False, True, True, True])):
            assert same(_placed_in_file_order(frame, counted), old_form(frame, counted))
    # a file column with pd.NA: the old form raises, so does the new
    frame = pd.DataFrame({**base, "_file": pd.array(["a", "a", None, "b", "b"], dtype="string")})
    for form in (_placed_in_file_order, old_form):
        with pytest.raises(TypeError):
            form(frame, np.ones(5, dtype=bool))


def test_splits_extend_appends_each_column_to_its_own() -> None:
    rows = [("O1", "E1", "R1", Decimal("10.0"), Decimal("0.5"), Decimal("0.50")),
            ("O2", "E2", None, Decimal("3"), Decimal("1E+1"), Decimal("-0")),
            ("O1", "E1", "R1", Decimal("10.0"), Decimal("0.5"), Decimal("0.50"))]
    many = Splits()
    many.extend(*(list(column) for column in zip(*rows[:1])))
    many.extend(*(list(column) for column in zip(*rows[1:])))
    assert repr(many) == repr(Splits(*(list(column) for column in zip(*rows))))
    assert many.sales_rep_id == ["R1", None, "R1"] and many.rep_share[1].as_tuple() == Decimal("-0").as_tuple()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["refunded", "completed", "Refunded", "", None, float("nan")]),
                          st.sampled_from(["O1", "O1", "", " ", None, float("nan"), "<o>"])), max_size=30),
       st.sampled_from([object, "str"]))
def test_refunded_rows_is_the_old_mask(rows: list[tuple], dtype: object) -> None:
    sales = pd.DataFrame({"status": pd.Series([r[0] for r in rows], dtype=object),
                          "order_id": pd.Series([r[1] for r in rows], dtype=dtype)})
    old = sales["status"].eq("refunded").to_numpy(dtype=bool) & sales["order_id"].notna().to_numpy(dtype=bool)
    assert refunded_rows(sales).tolist() == old.tolist()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["completed", "refunded", "", None]),
                          st.sampled_from(["2026-10-01 00:00", "2026-10-31 23:59", "2026-11-01 00:00", "2026-09-30 08:00", None]),
                          st.sampled_from([Decimal("1.5"), Decimal(0), None, float("nan"), 3])), max_size=30))
def test_counted_order_mask_is_the_old_mask(rows: list[tuple]) -> None:
    sales = pd.DataFrame({"status": pd.Series([r[0] for r in rows], dtype=object),
                          "order_date": pd.to_datetime(pd.Series([r[1] for r in rows], dtype=object)),
                          "amount": pd.Series([r[2] for r in rows], dtype=object)})
    period, statuses = Period.of("2026-10"), ["completed"]
    old = sales["status"].isin(list(statuses)).to_numpy(dtype=bool) \
        & period.holds(sales["order_date"]) & sales["amount"].notna().to_numpy(dtype=bool)
    assert counted_order_mask(sales, period, statuses).tolist() == old.tolist()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["1001", "1002", "1001 ", "", None, float("nan"), 1001, "<x>"]), max_size=30),
       st.sets(st.sampled_from(["1001", "1002", 1001, "", "<x>"]), max_size=4), st.sampled_from([object, "str"]))
def test_among_is_series_isin(employees: list, wanted: set, dtype: object) -> None:
    if dtype == "str":
        employees = [e for e in employees if not isinstance(e, int)]
    series = pd.Series(employees, dtype=dtype)
    assert among(staff_codes(series), wanted).tolist() == series.isin(wanted).to_numpy(dtype=bool).tolist()
