"""The read's cheaper main-thread paths (issue 14, round 13) give what the old forms gave: columns
as views of one column-major array (`intake._mapped_columns`), padding and totals from one pass
over the leftmost column (`_text_lengths`, `_filled_counts`, `_totals_rows`), few-valued text
numbered by a dict (`type_groups._few_texts`), and a column of one kind put without a scatter
(`results._Out._put_all`). The old forms are kept here and compared on hostile cells."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csbatch.policy.inputs import Column
from csbatch.sheets import intake
from csbatch.sheets.coerce import CoerceContext, coerce_column, type_groups
from csbatch.sheets.read import RawSheet
from csbatch.text import normalise_label

# -- the old forms (as of 8423e8b) ---------------------------------------------------------------

_DIGIT = re.compile("[0-9]")


def _old_mapped_columns(raw: RawSheet, header_row0: int, wanted: dict[str, int]) -> dict[str, pd.Series]:
    body = raw.rows[header_row0 + 1:]
    index = pd.RangeIndex(header_row0 + 2, header_row0 + 2 + len(body))
    lengths = set(map(len, body))
    if len(lengths) == 1 and min(lengths) > max(wanted.values(), default=-1):
        cells = np.array(body, dtype=object)
        return {name: pd.Series(cells[:, j].copy(), index=index, dtype=object, copy=False)
                for name, j in wanted.items()}
    return {name: pd.Series([r[j] if j < len(r) else "" for r in body], index=index, dtype=object)
            for name, j in wanted.items()}


def _old_blank_cells(values: np.ndarray) -> np.ndarray:
    if pd.api.types.infer_dtype(values, skipna=False) == "string":
        return values == ""
    return pd.isna(values) | (values == "")


def _old_filled_counts(raw_cols: dict[str, pd.Series]) -> np.ndarray:
    columns = iter(raw_cols.values())
    first = next(columns)
    counts = np.zeros(len(first), dtype=np.int32)
    rows = np.arange(len(first))
    for series in (first, *columns):
        if not len(rows):
            break
        values = series.to_numpy(dtype=object, copy=False)
        counts[rows] += ~_old_blank_cells(values if len(rows) == len(values) else values[rows])
        rows = rows[counts[rows] < 2]
    return counts


def _old_totals_rows(first: pd.Series) -> pd.Index:
    if pd.api.types.infer_dtype(first, skipna=True) not in ("string", "mixed", "mixed-integer"):
        return pd.Index([])
    values = first.to_numpy(dtype=object)
    try:
        short = np.flatnonzero(np.fromiter(map(len, values), dtype=np.int64, count=len(values)) <= 8)
    except TypeError:
        short = np.arange(len(values))
    codes, uniq = pd.factorize(values[short])
    try:
        maybe = np.flatnonzero(~np.fromiter(map(bool, map(_DIGIT.search, uniq)), dtype=bool, count=len(uniq)))
    except TypeError:
        maybe = np.arange(len(uniq))
    hit = np.zeros(len(uniq), dtype=bool)
    hit[maybe] = [isinstance(v, str) and len(v) <= 8 and not _DIGIT.search(v)
                  and normalise_label(v) in intake.TOTALS for v in uniq[maybe]]
    if not hit.any():
        return pd.Index([])
    return first.index[short[(codes >= 0) & hit[codes]]]


# -- hostile cells -------------------------------------------------------------------------------

_TEXTS = st.sampled_from(["", " ", "   ", "合计", "总计 ", "小计", "Total", "totals:", "ＴＯＴＡＬ", "SUM",
                          "合计1", "KH000001", "KH0001", "１２", "12", "x", "注：本表", "\u200b", "\u00a0合计",
                          "a\x00", "\ud800", "合 计", "Totals", "total\u200b", "ＫＨ０００１"])
_CELLS = st.one_of(_TEXTS, st.text(max_size=10), st.none(), st.just(float("nan")), st.floats(allow_nan=False),
                   st.integers(-10, 10**6), st.booleans(), st.just(dt.date(2026, 10, 1)),
                   st.just(dt.datetime(2026, 10, 1, 8, 30)), st.just(Decimal("1.5")), st.just(pd.NaT),
                   st.just(np.str_("合计")), st.just(np.datetime64("NaT")))
_FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _columns(data: st.DataObject, width: int, n: int, text_only: list[bool]) -> dict[str, pd.Series]:
    index = pd.RangeIndex(3, 3 + n)
    cols = {}
    for j in range(width):
        cells = data.draw(st.lists(_TEXTS if text_only[j] else _CELLS, min_size=n, max_size=n))
        cols[f"c{j}"] = pd.Series(cells, index=index, dtype=object)
    return cols


@_FAST
@given(st.data(), st.integers(1, 4), st.integers(0, 30))
def test_filled_counts_and_totals_same_as_old(data, width, n) -> None:
    text_only = data.draw(st.lists(st.booleans(), min_size=width, max_size=width))
    cols = _columns(data, width, n, text_only)
    first = cols["c0"]
    lengths = intake._text_lengths(first.to_numpy(dtype=object))
    old_counts = _old_filled_counts(cols)
    assert (intake._filled_counts(cols) == old_counts).all()
    assert (intake._filled_counts(cols, None if lengths is None else lengths == 0) == old_counts).all()
    blank = old_counts == 0
    want = list(_old_totals_rows(first[~blank]))
    assert list(intake._totals_rows(first[~blank])) == want
    assert list(intake._totals_rows(first[~blank], None if lengths is None else lengths[~blank])) == want


def test_text_lengths_only_of_text() -> None:
    assert intake._text_lengths(np.array(["ab", "", np.str_("合计")], dtype=object)).tolist() == [2, 0, 2]
    for other in ([], [1.5], None, b"ab", dt.date(2026, 1, 1)):
        assert intake._text_lengths(np.array(["ab", other], dtype=object)) is None


def test_totals_row_found_among_short_ids() -> None:
    """Every leftmost cell is short (`KH000001`): the totals row is still found, the IDs are not."""
    cells = [f"KH{i:06d}" for i in range(5000)] + ["合 计", "Totals:", "ＴＯＴＡＬ", "12合计"]
    first = pd.Series(cells, index=pd.RangeIndex(2, 2 + len(cells)), dtype=object)
    lengths = intake._text_lengths(first.to_numpy(dtype=object))
    found = list(intake._totals_rows(first, lengths))
    assert found == list(_old_totals_rows(first)) and 5002 in found and found[-1] == 5004


def _sheet(rows: list[list[object]]) -> RawSheet:
    return RawSheet(rows=[list(r) for r in rows])


@pytest.mark.parametrize("wanted", [{"a": 0, "b": 1, "c": 2, "d": 3}, {"a": 0, "c": 2, "d": 3},
                                    {"b": 1}, {"a": 0, "b": 0, "d": 3}, {}])
def test_mapped_columns_same_as_old(wanted) -> None:
    rows = [["title", "", "", ""], ["A", "B", "C", "D"]]
    rows += [[f"ID{i}", None if i % 7 == 0 else float(i), dt.date(2026, 10, 1 + i % 28), "" if i % 3 else "x"]
             for i in range(50)]
    rows += [["", float("nan"), None, "   "], ["合计", 3.0, "", ""]]
    new = intake._mapped_columns(_sheet(rows), 1, wanted)
    old = _old_mapped_columns(_sheet(rows), 1, wanted)
    assert list(new) == list(old)
    for name in wanted:
        pd.testing.assert_series_equal(new[name], old[name])
        assert new[name].to_numpy(dtype=object).flags["C_CONTIGUOUS"]


def test_mapped_columns_short_rows_padded_as_before() -> None:
    rows = [["A", "B", "C"], ["1", "2"], ["3", "4", "5"], ["6"]]
    new = intake._mapped_columns(_sheet(rows), 0, {"a": 0, "c": 2})
    old = _old_mapped_columns(_sheet(rows), 0, {"a": 0, "c": 2})
    for name in ("a", "c"):
        pd.testing.assert_series_equal(new[name], old[name])


def test_mapped_columns_views_only_when_most_columns_are_read() -> None:
    """A sheet whose columns are nearly all read keeps its cells in one array (views); one with
    many columns not read copies the read ones, so the others are freed with the rows."""
    rows = [["A", "B", "C", "D"], *[[f"{i}", i, i, i] for i in range(10)]]
    most = intake._mapped_columns(_sheet(rows), 0, {"a": 0, "b": 1, "c": 2})
    few = intake._mapped_columns(_sheet(rows), 0, {"a": 0})
    def root(series: pd.Series) -> np.ndarray:
        array = series.to_numpy(dtype=object)
        while isinstance(array.base, np.ndarray):
            array = array.base
        return array
    assert root(most["a"]).ndim == 2 and root(most["a"]) is root(most["b"])
    assert root(few["a"]).ndim == 1
    # the cells of the column not read are not kept alive by the shared array
    assert all(v is None for v in root(most["a"])[:, 3])


def test_merge_fill_down_writes_into_its_own_column_only() -> None:
    """`apply_merges` writes into a column that is a view of the shared array: the other columns
    and the row lists stay as they were."""
    rows = [["A", "B"], ["x", "1"], ["", "2"], ["", "3"]]
    raw = _sheet(rows)
    cols = intake._mapped_columns(raw, 0, {"a": 0, "b": 1})
    cols["a"].loc[[3, 4]] = "x"
    assert cols["a"].tolist() == ["x", "x", "x"] and cols["b"].tolist() == ["1", "2", "3"]
    assert raw.rows[2] == ["", "2"]


@_FAST
@given(st.lists(st.one_of(st.sampled_from(["是", "否", "Y", " 是", "是 ", "", "\ud800", "a\x00", "a"]),
                          st.text(max_size=3), st.just(np.str_("是"))), max_size=40))
def test_few_texts_same_as_factorize(texts) -> None:
    values = np.array(texts + [""], dtype=object)[:len(texts)]
    codes, uniq = type_groups._few_texts(values)
    want_codes, want_uniq = pd.factorize(values)
    assert codes.tolist() == want_codes.tolist()
    assert uniq.dtype == object and [type(u) for u in uniq] == [type(u) for u in want_uniq]
    assert uniq.tolist() == list(want_uniq)


@pytest.fixture(scope="module")
def ctx(policy) -> CoerceContext:
    return CoerceContext.from_policy(policy, "2026-10")


def _few_valued() -> list[object]:
    cells: list[object] = [["是", "否", "已完成", "退款", "在线成交"][i % 5] for i in range(20_000)]
    cells[3] = " 是 "
    cells[10] = "是\u200b"
    cells[11] = "ＹＥＳ"
    cells[12] = ""
    cells[13] = "   "
    cells[19_999] = "未知"          # a value the sample never saw
    return cells


@pytest.mark.parametrize("column", [Column(type="bool"), Column(type="code", codes="order_status"),
                                    Column(type="text"), Column(type="id", required=True),
                                    Column(type="text", default="X"), Column(type="bool", required=True)])
def test_few_valued_column_same_as_factorised(ctx, monkeypatch, column) -> None:
    raw = pd.Series(_few_valued(), dtype=object, index=range(2, 20_002))
    few = coerce_column(raw, column, ctx)
    monkeypatch.setattr(type_groups, "_FEW", -1)      # never numbered by the dict
    factorised = coerce_column(raw, column, ctx)
    assert few.values.equals(factorised.values)
    assert few.errors == factorised.errors
    assert few.notes == factorised.notes


def test_few_texts_path_taken(monkeypatch) -> None:
    values = np.array(["甲", "乙"] * 10_000, dtype=object)
    calls = []
    monkeypatch.setattr(type_groups, "_factorize", lambda v: calls.append(v) or pd.factorize(v))
    codes, uniq = type_groups._distinct_texts(values, per_cell=False)
    assert not calls and uniq.tolist() == ["甲", "乙"] and codes[:3].tolist() == [0, 1, 0]


@pytest.mark.parametrize(("cells", "column"), [
    ([f"ORD{i:07d}" for i in range(20_000)], Column(type="id")),
    ([f"ORD{i:07d}" for i in range(20_000)], Column(type="text")),
    ([f"ORD{i:07d} " for i in range(20_000)], Column(type="id", required=True)),
    ([float(i) for i in range(20_000)], Column(type="int")),
    ([f"{i}" for i in range(20_000)], Column(type="int")),
    ([i % 2 == 0 for i in range(20_000)], Column(type="bool")),
    ([dt.date(2026, 10, 1 + i % 31) for i in range(20_000)], Column(type="date")),
    ([f"{i}.5" for i in range(20_000)], Column(type="money")),
])
def test_one_kind_column_put_whole_same_as_scattered(ctx, monkeypatch, cells, column) -> None:
    """A column of one kind goes in whole (`_Out._put_all`): the same values, errors and notes as
    the scatter through the positions, and the raw cells are left as they were."""
    from csbatch.sheets.coerce import results

    raw = pd.Series(cells, dtype=object, index=range(2, 20_002))
    before = raw.copy()
    whole = coerce_column(raw, column, ctx)
    assert raw.equals(before)

    def scatter(self, vals):
        self.vals[:] = vals
        self.ok[:] = True
    monkeypatch.setattr(results._Out, "_put_all", scatter)
    scattered = coerce_column(raw, column, ctx)
    assert whole.values.equals(scattered.values)
    assert str(whole.values.dtype) == str(scattered.values.dtype)
    assert whole.errors == scattered.errors and whole.notes == scattered.notes


def test_per_cell_values_are_not_the_raw_cells(ctx) -> None:
    """Cell by cell, a text column's values are its cells' texts: the result is a copy, so a
    later change to it does not reach the raw column."""
    raw = pd.Series([f"ORD{i:07d}" for i in range(20_000)], dtype=object)
    out = coerce_column(raw, Column(type="text"), ctx)
    out.values.iloc[0] = "changed"
    assert raw.iloc[0] == "ORD0000000"
