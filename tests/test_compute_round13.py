"""Round 13 (issue 14): the faster forms in payroll and VIP give what the old forms gave, on odd
data too (blanks, NaN, hostile text, duplicates, Decimals cents cannot hold)."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from csbatch.payroll.orders import in_file_order
from csbatch.vip.pricing import ZERO
from csbatch.vip.purchases import _plus


def _old_file_order(places: pd.DataFrame) -> np.ndarray:
    """The form before round 13: a stable three-column sort, blanks first."""
    order = places.sort_values(["_file", "_sheet", "_row"], kind="stable", na_position="first")
    return order.index.to_numpy(dtype=np.intp)


_TEXTS = st.one_of(st.none(), st.just(np.nan), st.sampled_from(["a.xlsx", "b.xlsx", "B.xlsx", "销售订单_1.xlsx",
                                                                 "销售订单_2.xlsx", "", " ", "a\0", "a"]),
                   st.text(max_size=4))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_TEXTS, _TEXTS, st.integers(min_value=-3, max_value=5)), max_size=12),
       st.booleans(), st.booleans(), st.booleans())
def test_file_order_as_the_three_column_sort(rows, presort, string_dtype, shuffled_index):
    """`in_file_order` gives the labels the stable sort by (_file, _sheet, _row) gives: rows
    already in order (the fast check) or not, blank files and sheets, equal rows, any index."""
    frame = pd.DataFrame(rows, columns=["_file", "_sheet", "_row"]) if rows else \
        pd.DataFrame({"_file": [], "_sheet": [], "_row": pd.Series([], dtype="int64")})
    if presort and len(frame):
        frame = frame.sort_values(["_file", "_sheet", "_row"], kind="stable", na_position="first")
    if string_dtype:
        frame = frame.astype({"_file": "str", "_sheet": "str"})
    if shuffled_index:
        frame.index = np.arange(len(frame))[::-1] * 7 + 3
    assert in_file_order(frame).tolist() == _old_file_order(frame).tolist()


def test_file_order_of_sorted_rows_keeps_the_labels_and_falls_back_when_rows_go_down():
    frame = pd.DataFrame({"_file": ["a", "a", "a", "b", "b"], "_sheet": ["s", "s", "t", "a", "a"],
                          "_row": [2, 2, 1, 5, 6]}, index=[10, 4, 8, 1, 0])
    assert in_file_order(frame).tolist() == [10, 4, 8, 1, 0]
    frame.loc[0, "_row"] = 4                    # the last row number goes down within its sheet
    assert in_file_order(frame).tolist() == _old_file_order(frame).tolist() == [10, 4, 8, 0, 1]
    frame = pd.DataFrame({"_file": ["b", "a"], "_sheet": ["s", "s"], "_row": [1, 2]})
    assert in_file_order(frame).tolist() == [1, 0]
    floats = pd.DataFrame({"_file": ["a", "a"], "_sheet": ["s", "s"], "_row": [2.0, np.nan]})
    assert in_file_order(floats).tolist() == _old_file_order(floats).tolist()


def _old_plus(earlier: dict, month: dict) -> dict:
    """The loop before round 13."""
    trailing = dict(earlier)
    for key, amount in month.items():
        trailing[key] = trailing.get(key, ZERO) + amount
    return trailing


_DECIMALS = st.one_of(st.decimals(allow_nan=False, allow_infinity=False, places=None),
                      st.decimals(allow_nan=False, allow_infinity=False, places=2),
                      st.sampled_from([Decimal("-0"), Decimal("0E+5"), Decimal("1E+30"), Decimal("-0.000"),
                                       Decimal("12345678901234567890123456789.99"), Decimal("Infinity"),
                                       Decimal("NaN")]))
_KEYS = st.tuples(st.sampled_from(["p1", "p2", "customer:9", "", "人"]), st.sampled_from(["a", "b"]))


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(_KEYS, _DECIMALS, max_size=6), st.dictionaries(_KEYS, _DECIMALS, max_size=6))
def test_trailing_spend_merge_as_the_loop(earlier, month_given):
    """A month amount is `ZERO + …` (what `Spend` makes); `_plus` gives the old loop's dict: the
    same keys in the same order, values equal in value and in digits (their `str`)."""
    month = {key: ZERO + amount for key, amount in month_given.items()}
    earlier = {key: ZERO + amount for key, amount in earlier.items()}
    new, old = _plus(earlier, month), _old_plus(earlier, month)
    assert list(new) == list(old)
    assert [str(v) for v in new.values()] == [str(v) for v in old.values()]
