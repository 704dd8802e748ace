"""`crosscheck._any_repeat` (a one-column key hashed as a Series) finds a repeated key exactly
when the key columns' frame did: blanks (None, NaN, NA) skipped, equal values of other types
(1, 1.0, True) equal as pandas hashes them."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from csbatch.sheets.crosscheck import _any_repeat

_CELLS = st.sampled_from(["A1", "A1 ", "a1", "", "Ａ1", None, np.nan, pd.NA, 1, 1.0, True, 0, False, 2**63, "2"])


def _frame_test(frame: pd.DataFrame, key: list[str]) -> bool:
    keys = frame[key]
    return bool(keys[keys.notna().all(axis=1)].duplicated(keep=False).any())


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(_CELLS, _CELLS), max_size=12))
def test_any_repeat_is_the_key_frames_duplicated(rows: list[tuple[object, object]]) -> None:
    frame = pd.DataFrame({"a": pd.Series([r[0] for r in rows], dtype=object),
                          "b": pd.Series([r[1] for r in rows], dtype=object), "_file": "f"})
    for key in (["a"], ["b"], ["a", "b"]):
        assert _any_repeat(frame, key) == _frame_test(frame, key)


def test_typed_key_columns() -> None:
    frame = pd.DataFrame({"n": pd.array([1, None, 2, None], dtype="Int64"),
                          "d": pd.to_datetime(["2026-10-01", None, "2026-10-02", None]),
                          "s": ["x", "y", "x", None]})
    for key in (["n"], ["d"], ["s"], ["n", "s"]):
        assert _any_repeat(frame, key) == _frame_test(frame, key)
    assert _any_repeat(frame, ["s"]) and not _any_repeat(frame, ["n"])
