"""The column-wise shortcuts of the compute stages (issue 14, round 5) give what the per-row or
sorting code they replace gave: first rows of factorize codes, `filled`, and payroll's ranks of
text IDs, on random data with blanks, repeats and odd texts."""

from __future__ import annotations

import random
from decimal import Decimal

import numpy as np
import pandas as pd

from csbatch.payroll.compute import _text_ranks
from csbatch.scoring.engine import measured_columns
from csbatch.scoring.measures_kit import filled, first_codes
from csbatch.text import sort_keys


def test_first_codes_are_np_unique_return_index() -> None:
    rng = np.random.default_rng(7)
    for n, k in ((0, 1), (1, 1), (50, 3), (1000, 40)):
        codes = pd.factorize(rng.integers(0, k, n))[0]
        assert np.array_equal(first_codes(codes), np.unique(codes, return_index=True)[1])


def test_filled_is_strip_of_str_of_each_cell() -> None:
    rng = random.Random(3)
    pool = ["", " ", "\t\n", "\u3000", "a", " a ", None, float("nan"), pd.NA, Decimal("NaN"), 0, Decimal("1.5"),
            pd.Timestamp("2026-10-01"), pd.NaT]
    cells = [rng.choice(pool) for _ in range(500)]
    for values in (pd.Series(cells, dtype=object), pd.Series([c for c in cells if isinstance(c, str)], dtype="string")):
        old = values.astype(object).where(values.notna(), "").map(lambda v: str(v).strip() == "")
        assert np.array_equal(filled(values), ~old.to_numpy(dtype=bool))


def test_text_ranks_sort_as_the_texts() -> None:
    rng = random.Random(5)
    pool = ["O1", "O10", "O2", "é", "a", "ab", "a b", "Z", "b\0c", "中"]
    texts = [rng.choice(pool) for _ in range(2000)]
    ranks = _text_ranks(texts)
    assert ranks is not None
    assert np.array_equal(np.argsort(ranks, kind="stable"), np.argsort(sort_keys(texts), kind="stable"))
    assert _text_ranks(["a", None]) is None and _text_ranks(["a\0", "b"]) is None
    empty = _text_ranks([])
    assert empty is not None and len(empty) == 0


def test_measured_columns_as_get_per_employee() -> None:
    values = pd.DataFrame({"m": [Decimal(1), None, float("nan")], "n": ["x", pd.NA, "y"]}, index=["E1", "E2", "E3"],
                          dtype=object)
    got = measured_columns(values, ["E3", "E9", "E1", "E2"], ["m", "n", "absent"])
    assert got == {"m": [None, None, Decimal(1), None], "n": ["y", None, "x", None], "absent": [None] * 4}
    assert measured_columns(values.iloc[:0], ["E1"], ["m"]) == {"m": [None]}
