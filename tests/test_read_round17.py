"""The read's main thread with less repeated work (issue 14, round 17) gives what the old forms
gave: `intake._mapped_columns` builds its column-major array from the sheet's row list itself
(the header rows taken off it meanwhile and put back; no copy of the data rows' list, no pass
over their lengths). The old form (as of cf2292f) is
kept here and compared on hostile cells: blanks, NaN/None, rows of several widths, head rows of
another width, cells that are sequences."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csbatch.sheets import intake
from csbatch.sheets.read import RawSheet

_FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# -- the old forms (as of cf2292f) ---------------------------------------------------------------


def _old_mapped_columns(raw: RawSheet, header_row0: int, wanted: dict[str, int]) -> dict[str, pd.Series]:
    body = raw.rows[header_row0 + 1:]
    index = pd.RangeIndex(header_row0 + 2, header_row0 + 2 + len(body))
    lengths = set(map(len, body))
    if len(lengths) == 1 and min(lengths) > max(wanted.values(), default=-1):
        width = min(lengths)
        cells = np.array(body, dtype=object, order="F")
        shared = len(set(wanted.values())) * intake._SHARED_SHARE >= width
        if shared:
            cells[:, sorted(set(range(width)) - set(wanted.values()))] = None
        return {name: pd.Series(cells[:, j] if shared else cells[:, j].copy(), index=index, dtype=object,
                                copy=False)
                for name, j in wanted.items()}
    return {name: pd.Series([r[j] if j < len(r) else "" for r in body], index=index, dtype=object)
            for name, j in wanted.items()}


# -- _mapped_columns ---------------------------------------------------------------------------

_CELL = st.one_of(
    st.sampled_from(["", " ", "合计", "ID1", "\u200b", "a\x00", "\ud800", None, float("nan"), 0.0, 1, True,
                     dt.date(2026, 10, 1), dt.datetime(2026, 10, 1, 8, 30), np.str_("是"), Decimal("1.10")]),
    st.text(max_size=4))


def _root(series: pd.Series) -> np.ndarray:
    array = series.to_numpy(dtype=object)
    while isinstance(array.base, np.ndarray):
        array = array.base
    return array


def _same(new: dict[str, pd.Series], old: dict[str, pd.Series]) -> None:
    assert list(new) == list(old)
    for name in old:
        pd.testing.assert_series_equal(new[name], old[name])
        assert [type(v) for v in new[name]] == [type(v) for v in old[name]]
        assert all(a is b for a, b in zip(new[name], old[name], strict=True)) or not len(old[name])


@_FAST
@given(st.data(), st.integers(1, 5), st.integers(0, 12), st.integers(0, 3))
def test_mapped_columns_same_as_old(data, width, n, header_row0) -> None:
    """Any rows (mostly as wide, sometimes not; head rows of another width) give the same
    columns, the same cell objects, laid out as before (contiguous views when most are read)."""
    def row(w: int) -> list[object]:
        return data.draw(st.lists(_CELL, min_size=w, max_size=w))
    head_width = data.draw(st.sampled_from([width, width, 1, width + 1]))
    rows = [row(head_width) for _ in range(header_row0 + 1)]
    rows += [row(width if data.draw(st.integers(0, 9)) else data.draw(st.integers(0, width + 1)))
             for _ in range(n)]
    columns = data.draw(st.lists(st.integers(0, width + 1), min_size=1, max_size=width + 1, unique=True))
    wanted = {f"c{j}": j for j in columns}
    raw = RawSheet(rows=[list(r) for r in rows])
    before = [list(r) for r in raw.rows]
    new = intake._mapped_columns(raw, header_row0, wanted)
    old = _old_mapped_columns(RawSheet(rows=[list(r) for r in rows]), header_row0, wanted)
    _same(new, old)
    assert len(raw.rows) == len(before)
    for name in wanted:
        values = new[name].to_numpy(dtype=object)
        assert values.flags["C_CONTIGUOUS"]
        olds = old[name].to_numpy(dtype=object)
        assert _root(new[name]).ndim == _root(old[name]).ndim
        if olds.base is not None and _root(old[name]).ndim == 2:   # shared: views of one array
            assert _root(new[name]) is _root(new[next(iter(wanted))])
            unread = sorted(set(range(_root(new[name]).shape[1])) - set(wanted.values()))
            assert all(v is None for v in _root(new[name])[:, unread].ravel())


def test_mapped_columns_head_rows_of_another_width() -> None:
    """A title row narrower than the data (a CSV's `月度考勤` line): the data rows alone make the
    array, as before."""
    rows = [["月度考勤"], ["A", "B", "C"], *[[f"{i}", i, ""] for i in range(6)]]
    new = intake._mapped_columns(RawSheet(rows=rows), 1, {"a": 0, "b": 1, "c": 2})
    old = _old_mapped_columns(RawSheet(rows=[list(r) for r in rows]), 1, {"a": 0, "b": 1, "c": 2})
    _same(new, old)
    assert _root(new["a"]).shape == (6, 3)


def test_mapped_columns_rows_put_back_as_they_were() -> None:
    """The header rows are taken off the sheet's list while the array is made and put back: the
    same row objects in the same order afterwards, the array of the data rows only, and the
    columns not read None in it."""
    rows = [["title", "", "", ""], ["A", "B", "C", "D"], *[[f"{i}", i, i, f"x{i}"] for i in range(10)]]
    before = list(rows)
    raw = RawSheet(rows=rows)
    cols = intake._mapped_columns(raw, 1, {"a": 0, "b": 1, "c": 2})
    assert raw.rows is rows and len(rows) == len(before) and all(a is b for a, b in zip(rows, before, strict=True))
    root = _root(cols["a"])
    assert root.shape == (10, 4) and root is _root(cols["c"]) and all(v is None for v in root[:, 3])
    assert cols["a"].index.tolist() == list(range(3, 13)) and cols["b"].tolist() == list(range(10))
    assert rows[1] == ["A", "B", "C", "D"] and rows[2] == ["0", 0, 0, "x0"]


def test_mapped_columns_rows_put_back_when_the_array_fails(monkeypatch) -> None:
    rows = [["A", "B"], *[[f"{i}", i] for i in range(5)]]
    before = list(rows)

    class _Failing:
        def __getattr__(self, name: str) -> object:
            return getattr(np, name)

        @staticmethod
        def array(*args: object, **kwargs: object) -> np.ndarray:
            raise MemoryError

    monkeypatch.setattr(intake, "np", _Failing())
    with pytest.raises(MemoryError):
        intake._mapped_columns(RawSheet(rows=rows), 0, {"a": 0, "b": 1})
    assert len(rows) == len(before) and all(a is b for a, b in zip(rows, before, strict=True))


@pytest.mark.parametrize("rows", [
    [["A", "B"]],                                   # no data rows
    [["A", "B"], [], []],                           # empty rows
    [["A", "B"], ["1", "2"], ["3"]],                # a short last row
    [["A", "B"], ["1", ["x", "y"]], ["3", ["z", "w"]]],   # cells that are sequences
    [["A", "B"], ["1", ("x",)], ["3", ("z",)]],
])
def test_mapped_columns_odd_rows(rows) -> None:
    if any(isinstance(c, list) for r in rows[1:] for c in r):
        # the old form made a 3-D array of such cells and failed; the new one reads them as cells
        new = intake._mapped_columns(RawSheet(rows=[list(r) for r in rows]), 0, {"a": 0, "b": 1})
        assert new["b"].tolist() == [r[1] for r in rows[1:]]
        return
    new = intake._mapped_columns(RawSheet(rows=[list(r) for r in rows]), 0, {"a": 0, "b": 1})
    try:
        old = _old_mapped_columns(RawSheet(rows=[list(r) for r in rows]), 0, {"a": 0, "b": 1})
    except ValueError:   # the old form's 3-D array of tuple cells
        assert new["b"].tolist() == [r[1] for r in rows[1:]]
        return
    _same(new, old)
