"""`csbatch.text.sort_keys`: text IDs as a numpy array that sorts as Python sorts the strings, or
None where numpy would sort them differently (issue 14: one helper for payroll's and VIP's sorts)."""

from __future__ import annotations

import numpy as np

from csbatch.text import sort_keys


def _numpy_order(texts):
    keys = sort_keys(texts)
    assert keys is not None
    return [texts[i] for i in np.argsort(keys, kind="stable")]


def test_ascii_and_chinese_ids_sort_as_python_sorts_them():
    ascii_ids = ["SO-10", "SO-9", "A1", "a1", "SO-1", "", "SO-10"]
    mixed = ["订单2", "订单10", "SO-1", "Ｓ1", "订单1"]
    assert sort_keys(ascii_ids).dtype.kind == "S"          # ASCII: bytes, half the width
    assert sort_keys(mixed).dtype.kind == "U"
    for texts in (ascii_ids, mixed):
        assert _numpy_order(texts) == sorted(texts)


def test_what_numpy_would_sort_differently_is_left_to_the_slow_sort():
    assert sort_keys(["a\0", "a"]) is None                 # trailing NUL: numpy drops it
    assert sort_keys(["A1", 1]) is None                    # not all text
    assert sort_keys(["A1", None]) is None
    assert sort_keys([]) is not None and len(sort_keys([])) == 0
