"""Round 17: payroll's per-order steps over whole columns or once per distinct value. `_paid`
asks whether a pay is zero once per distinct pay when it has them coded; `Counted.column` takes an
object column from its array; `refunded_rows` compares an object status column by numpy; `tabulate`
iterates the employees as a list. Each is held to the old form, kept here."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from csbatch.payroll.compute import tabulate
from csbatch.payroll.lines import InputRows, OrderPay, PayLine
from csbatch.payroll.orders import Counted, _equals, _paid, coded_per_distinct, refunded_rows
from csbatch.scoring.measures_kit import SheetRows

_PAYS = st.sampled_from(["0", "0.00", "-0", "-0E+3", "1.5", "1.50", "-2", "1E+3", "0.0000001", "NaN",
                         "123456789012345678901234567.8"]).map(Decimal)


class _Ctx:
    def __init__(self) -> None:
        self.order_pay = OrderPay()


def _old_paid(code, ctx, orders, emps, pays):
    """`_paid`'s kept orders and sums before round 17: each pay asked whether it is zero."""
    nonzero = list(map(bool, pays))
    kept = [i for i, keep in enumerate(nonzero) if keep]
    ctx.order_pay.extend(code, [orders[i] for i in kept], [emps[i] for i in kept], [pays[i] for i in kept])
    sums: dict = {}
    rows: dict = {}
    for i in kept:
        sums[emps[i]] = sums.get(emps[i], Decimal(0)) + pays[i]
        rows.setdefault(emps[i], []).append(i)
    return sums, rows


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["E1", "E2", "E3", "Σ<x>"]), st.integers(0, 10)), max_size=40),
       st.lists(_PAYS, min_size=1, max_size=6))
def test_paid_asks_zero_once_per_distinct_pay_as_per_order(rows, distinct):
    emps = [e for e, _ in rows]
    amounts = [distinct[k % len(distinct)] for _, k in rows]     # shared objects, as the reader gives
    pay_codes, table = coded_per_distinct(lambda amount: amount, np.zeros(len(rows), dtype=np.int64), [()], amounts)
    pays = table[pay_codes].tolist() if len(pay_codes) else []
    orders = [f"O{i}" for i in range(len(rows))]
    inputs = InputRows("{x}", [None] * len(rows), lambda i: {"x": i})
    new_ctx, old_ctx = _Ctx(), _Ctx()
    exact, given_ = _paid("c", new_ctx, orders, emps, pays, inputs, (pay_codes, table))    # type: ignore[arg-type]
    sums, rows_of = _old_paid("c", old_ctx, orders, emps, pays)
    assert {e: (str(v), v.as_tuple()) for e, v in exact.items()} == {e: (str(v), v.as_tuple()) for e, v in sums.items()}
    assert list(exact) == list(sums)
    assert {e: r._at.tolist() for e, r in given_.items()} == rows_of
    assert vars(new_ctx.order_pay) == vars(old_ctx.order_pay)
    assert all(a is b for a, b in zip(new_ctx.order_pay.amount, old_ctx.order_pay.amount))


_CELLS = st.one_of(st.none(), st.just(float("nan")), st.just(pd.NA), st.sampled_from(["refunded", "paid", "Refunded",
                   "refunded ", "", "Σ<x>"]), st.integers(-2, 2), st.sampled_from(["1.5", "-0"]).map(Decimal))


@settings(max_examples=300, deadline=None)
@given(st.lists(_CELLS, max_size=30), st.sampled_from([object, "str", "category"]))
def test_status_compared_as_pandas_compares(cells, dtype):
    if dtype is not object:
        cells = [c if isinstance(c, str) or c is None else None for c in cells]
    column = pd.Series(cells, dtype=dtype)
    assert _equals(column, "refunded").tolist() == column.eq("refunded").to_numpy(dtype=bool).tolist()
    sales = pd.DataFrame({"status": column, "order_id": [f"O{i}" if i % 3 else None for i in range(len(cells))]})
    old = np.zeros(len(sales), dtype=bool)
    at = np.flatnonzero(sales["status"].eq("refunded").to_numpy(dtype=bool))
    old[at[sales["order_id"].take(at).notna().to_numpy(dtype=bool)]] = True
    assert refunded_rows(sales).tolist() == old.tolist()


@settings(max_examples=200, deadline=None)
@given(st.lists(_CELLS, min_size=1, max_size=20), st.lists(st.integers(0, 19), max_size=20),
       st.sampled_from([object, "str", "boolean", "Int64"]))
def test_counted_column_as_the_taken_series(cells, pick, dtype):
    if dtype == "str":
        cells = [c if isinstance(c, str) or c is None else None for c in cells]
    elif dtype in ("boolean", "Int64"):
        cells = [c if isinstance(c, int) and not isinstance(c, bool) and dtype == "Int64" else None for c in cells]
    sales = pd.DataFrame({"x": pd.Series(cells, dtype=dtype)}, index=pd.Index(range(100, 100 + len(cells))))
    at = np.array([i % len(cells) for i in pick], dtype=np.intp)
    rows = Counted(sales, at, np.arange(len(at)), SheetRows.of_columns(np.array([], dtype=object),
                                                                       np.array([], dtype=object), np.array([])))
    old = sales["x"].take(at).tolist()
    new = rows.column("x")
    assert [(type(v), repr(v)) for v in new] == [(type(v), repr(v)) for v in old]
    assert all(a is b for a, b in zip(new, old)) or dtype is not object


def test_tabulate_as_before_with_a_string_column_of_employees():
    people = pd.DataFrame({"employee_id": pd.Series(["E1", "E2", "E3"], dtype="str"), "name": ["a", "b", "c"],
                           "role": ["r", None, "r"]})
    lines = [PayLine("E1", "base_pay", Decimal("1.50"), "x"), PayLine("E3", "commission", Decimal("-0.00")),
             PayLine("E1", "base_pay", Decimal("2"), "y"), PayLine("E9", "base_pay", Decimal(3))]
    wide, long = tabulate(lines, people, ["base_pay", "commission"])
    assert [list(map(repr, row)) for row in wide.itertuples(index=False)] == [
        ["'E1'", "'a'", "'r'", "Decimal('3.50')", "Decimal('0.00')", "Decimal('3.50')"],
        ["'E2'", "'b'", "nan", "Decimal('0.00')", "Decimal('0.00')", "Decimal('0.00')"],
        ["'E3'", "'c'", "'r'", "Decimal('0.00')", "Decimal('0.00')", "Decimal('0.00')"]]     # (the old tree's)
    assert long.values.tolist() == [["E1", "a", "base_pay", Decimal("3.50"), "x; y"]]
