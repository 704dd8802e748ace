"""`csbatch.grouping`: rows grouped by factorize codes as a dictionary per row groups them."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from csbatch.grouping import first_codes, runs


@given(st.lists(st.sampled_from(["a", "b", "c", "d", "e"]), max_size=60))
def test_runs_and_first_rows_as_a_dictionary_groups_them(values):
    codes, uniques = pd.factorize(np.asarray(values, dtype=object))
    grouped: dict[str, list[int]] = {}
    for at, value in enumerate(values):
        grouped.setdefault(value, []).append(at)
    assert runs(codes, len(uniques)) == list(grouped.values())
    assert first_codes(codes).tolist() == [rows[0] for rows in grouped.values()]


def test_runs_of_no_rows():
    assert runs(np.zeros(0, dtype=np.intp), 0) == []
    assert first_codes(np.zeros(0, dtype=np.intp)).tolist() == []
