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


def _plain_sort_keys(texts):
    """Round 5's form: every text checked one by one in Python."""
    if not all(type(t) is str and not t.endswith("\0") for t in texts):
        return None
    try:
        return np.asarray(texts, dtype=np.bytes_)
    except UnicodeEncodeError:
        return np.asarray(texts, dtype=np.str_)


def test_column_wise_checks_answer_as_the_text_by_text_checks():
    """Round 6: the checks look at the set of types and at how many characters numpy kept; a
    NUL inside a text is kept (and sorts as Python sorts it), a NUL at the end is not."""
    class Sub(str):
        pass

    cases = [[], [""], ["\0"], ["a\0b"], ["a", "b\0\0"], ["é", "a\0"], ["é\0b", "é"], ["a", ""],
             ["订单1", "\0订单"], ["A1", 1], ["A1", None], ["A1", float("nan")], [Sub("a")], ["a", Sub("b")],
             ["😀", "z", "\x7f", "\x80"], [" ", "\t", "\u3000"], [b"a"]]
    for texts in cases:
        want, got = _plain_sort_keys(texts), sort_keys(texts)
        assert (want is None) == (got is None), texts
        if want is not None:
            assert got.dtype == want.dtype and got.tolist() == want.tolist(), texts
            assert _numpy_order(texts) == sorted(texts), texts
