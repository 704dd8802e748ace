"""Payroll's column-wise paths held to the per-value ones on odd values (issue 14, round 10)."""

from __future__ import annotations

import random

import numpy as np

from csbatch.payroll.compute import _text_ranks


def test_distinct_text_ranks_are_the_hashed_ones() -> None:
    rng = random.Random(10)
    pool = ["O1", "O10", "O2", "O2 ", "é", "a", "ab", "a b", "Z", "b\0c", "中", "", "𝒳", "MD2610000001"]
    cases: list[list[object]] = [
        [rng.choice(pool) for _ in range(3000)],
        [f"MD{n:011d}" for n in rng.sample(range(10**6), 2000)],
        [f"WD{n}" for n in range(500)] + [f"MD{n}" for n in range(500, 0, -1)] + ["MD7"] * 3,
        ["only"], [], ["a", None], ["a\0", "b"], ["a", 1], ["a", np.nan],
    ]
    for texts in cases:
        hashed, sorted_once = _text_ranks(list(texts)), _text_ranks(list(texts), distinct=True)
        if hashed is None:
            assert sorted_once is None
            continue
        assert sorted_once is not None and sorted_once.dtype == np.intp
        assert np.array_equal(hashed, sorted_once), texts[:5]
