"""Round 20 (issue 14): `measures_kit.count` counts keys by one factorize of the objects and a
bincount; it gives what its round-19 form (a Series' `value_counts` of the non-blank keys, kept
here) gave: the same keys in the same order, the same index dtype (str where every key is a
text), the same Decimal counts, the same error where that raised."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from csbatch.scoring.measures_kit import count, decimals
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
