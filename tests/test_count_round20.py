"""Round 20 (issue 14): `measures_kit.count` counts keys by one factorize of the objects and a
bincount; it gives what its round-19 form (a Series' `value_counts` of the non-blank keys, kept
here) gave: the same keys in the same order, the same index dtype (str where every key is a
text), the same Decimal counts, the same error where that raised. `isums` (the contacts' six
sums from one groupby) gives what round 19's `isum` per column (kept here) gave; the callbacks'
sellers, found from the sales' four columns read, are what the whole rows gave."""

from __future__ import annotations

import contextlib
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from csbatch.scoring.measures_kit import count, decimals, isums
from csbatch.scoring.measures_service import _seller_of_order
from test_measures_round15 import _outcome  # a result, or the type of the error raised


def _old_count(keys: pd.Series | np.ndarray) -> pd.Series:
    keys = pd.Series(np.asarray(keys, dtype=object))
    return decimals(keys[keys.notna()].value_counts(sort=False))


def _array(cells: list[Any]) -> np.ndarray:
    out = np.empty(len(cells), dtype=object)
    for at, cell in enumerate(cells):
        out[at] = cell
    return out


def _same(a: Any, b: Any) -> None:
    if isinstance(a, type) or isinstance(b, type):
        assert a is b
        return
    assert a.index.tolist() == b.index.tolist() and a.index.dtype == b.index.dtype
    assert [type(k) for k in a.index] == [type(k) for k in b.index]
    assert a.name == b.name and a.index.name == b.index.name and a.dtype == b.dtype
    assert [(type(x), repr(x)) for x in a.tolist()] == [(type(x), repr(x)) for x in b.tolist()]


_keys = st.sampled_from([
    "1001", "1002", "1001 ", "", " ", "<script>x</script>", "日本", None, np.nan, pd.NA, pd.NaT,
    Decimal("NaN"), Decimal("1"), 1, 1.0, True, False, 0, "1", "nan", "None", 2.5, (1, 2),
])


@settings(max_examples=400, deadline=None)
@given(st.lists(_keys, max_size=40))
def test_count_is_the_old_value_counts(cells: list[Any]) -> None:
    keys = _array(cells)
    _same(_outcome(count, keys), _outcome(_old_count, keys))
    series = pd.Series(keys, index=range(100, 100 + len(keys)), dtype=object)
    _same(_outcome(count, series), _outcome(_old_count, series))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["1001", "1002", "1003", None, np.nan]), max_size=60))
def test_texts_and_blanks_count_as_before(cells: list[Any]) -> None:
    keys = _array(cells)
    _same(count(keys), _old_count(keys))
    _same(count(pd.Series(keys, dtype="str")), _old_count(pd.Series(keys, dtype="str")))


def test_odd_forms() -> None:
    for cells in ([], [None], [None, np.nan, pd.NA], ["a"], [[3]], [Decimal("sNaN")], ["a", [3]],
                  [Decimal("sNaN"), "a"], [1, 1.0, True], [True, False], [1.5, 2.5, 1.5]):
        keys = _array(cells)
        _same(_outcome(count, keys), _outcome(_old_count, keys))
    numbers = np.array([3, 1, 3, 2], dtype=np.int64)
    _same(count(numbers), _old_count(numbers))
    assert count(_array(["b", "a", "b", None])).to_dict() == {"b": Decimal(2), "a": Decimal(1)}


# --- isums: the contacts' six sums by one groupby give what `isum` per column gave --------------

def _old_isum(values: pd.Series, keys: pd.Series | np.ndarray) -> pd.Series:
    keys = pd.Series(np.asarray(keys, dtype=object), index=values.index)
    keep = keys.notna()
    if not keep.any():
        return pd.Series([], dtype=object)
    sums = values[keep].astype("Int64").groupby(keys[keep], sort=False).sum()
    return decimals(sums)


_cells = st.sampled_from([0, 1, 7, -3, 2**40, None, np.nan, pd.NA, 2.0, 2.5, "3", Decimal("4"), True])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["1001", "1002", "日本", None, np.nan, 1, "1"]), _cells, _cells),
                max_size=30), st.booleans())
def test_isums_is_isum_per_column(rows: list[tuple[Any, Any, Any]], typed: bool) -> None:
    frame = pd.DataFrame({"k": _array([r[0] for r in rows]), "a": _array([r[1] for r in rows]),
                          "b": _array([r[2] for r in rows])}, index=range(50, 50 + len(rows)))
    if typed:
        with contextlib.suppress(TypeError, ValueError):
            frame = frame.astype({"a": "Int64", "b": "Int64"})
    new = _outcome(isums, frame, ["a", "b"], frame["k"])
    olds = {column: _outcome(_old_isum, frame[column], frame["k"]) for column in ("a", "b")}
    failed = [o for o in olds.values() if isinstance(o, type)]
    if failed:      # the contacts' sums failed at the first column that fails: so do they all
        assert new is failed[0]
        return
    assert not isinstance(new, type)
    for column, old in olds.items():
        _same(new[column], old)
    by_array = isums(frame, ["a", "b"], frame["k"].to_numpy())
    for column, old in olds.items():
        _same(by_array[column], old)


# --- the callbacks' sellers: only the columns read cut for the matching sales rows -------------

def _old_seller_of_order(sales: pd.DataFrame, orders: pd.Series) -> pd.Series:
    sales = sales[sales["order_id"].isin(set(orders.dropna())).to_numpy(dtype=bool)]
    return sales.sort_values(["_file", "_row"], kind="stable") \
        .drop_duplicates("order_id").set_index("order_id")["employee_id"]


_ids = st.sampled_from(["MD1", "MD2", "MD3", "md1", "", " ", None, np.nan, 1, "1", "<b>", "订单"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_ids, st.sampled_from(["1001", "1002", None, np.nan, 7]),
                          st.sampled_from(["a.xlsx", "b.xlsx", None]), st.sampled_from([2, 3, 5, 9])),
                max_size=25),
       st.lists(_ids, max_size=10))
def test_seller_of_order_is_the_old_form(rows: list[tuple[Any, ...]], asked: list[Any]) -> None:
    sales = pd.DataFrame({
        "order_id": _array([r[0] for r in rows]), "order_date": [pd.Timestamp("2026-10-01")] * len(rows),
        "employee_id": _array([r[1] for r in rows]), "amount": [Decimal("1.10")] * len(rows),
        "status": ["paid"] * len(rows), "_file": _array([r[2] for r in rows]),
        "_sheet": ["s"] * len(rows), "_row": [r[3] for r in rows]})
    orders = pd.Series(_array(asked), dtype=object)
    new, old = _seller_of_order(sales, orders), _old_seller_of_order(sales, orders)
    assert new.index.tolist() == old.index.tolist() and new.index.dtype == old.index.dtype
    assert [(type(x), repr(x)) for x in new.tolist()] == [(type(x), repr(x)) for x in old.tolist()]
    assert new.dtype == old.dtype and new.name == old.name
    assert orders.map(new).tolist() == orders.map(old).tolist() or \
        repr(orders.map(new).tolist()) == repr(orders.map(old).tolist())
