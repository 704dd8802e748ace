"""Round 20's faster typing of a column says what the old one said:

- `type_groups._split_by_values` splits a large column of several kinds (dates or amounts with
  some cells typed as text) from one dict numbering of its cells, where `_split` took each cell's
  type, then each kind's cells out, then factorised them: each cell in the same kind, with the same
  value, cleaned text, microseconds and blank flag, and `coerce_column` gives the same values,
  errors and notes (the old form is `_split` with `_split_by_values` answering None, kept here);
- `results._Out.error_at` with no cell (a required column without a blank) makes no error array,
  and `_ids` makes no note array when no value lost an invisible character: the same result.

Compared on columns mixing text, floats, ints, bools (beside 0 and 1), Decimal amounts that cents
cannot hold, dates, datetimes, times, timedeltas, numpy and pandas dates, None, NaN, NaT, pd.NA,
blanks, whitespace, full-width digits, zero-width characters, lone surrogates and duplicates.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csbatch.policy.inputs import Column
from csbatch.sheets.coerce import CoerceContext, Coerced, coerce_column, identifiers, type_groups
from csbatch.sheets.coerce import column as column_module
from csbatch.sheets.coerce.results import _Out

_N = 4 * type_groups._SAMPLE + 37     # large enough for the sampled paths
_FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                        HealthCheck.function_scoped_fixture])


def _old_split(values: np.ndarray, per_cell: bool, monkeypatch: pytest.MonkeyPatch) -> type_groups._Cells:
    """`_split` as it was: a column of several kinds split cell by cell."""
    with monkeypatch.context() as m:
        m.setattr(type_groups, "_split_by_values", lambda values: None)
        return type_groups._split(values, per_cell)


def _same(x: Any, y: Any) -> bool:
    return type(x) is type(y) and (x is y or bool(x == y) or (x != x and y != y))


def _per_cell(cells: type_groups._Cells) -> list[tuple[Any, ...]]:
    """Each cell as the handlers see it: blank, or its kind, value, and cleaned text or microseconds."""
    seen: list[tuple[Any, ...]] = [("blank",) if b else ("none",) for b in cells.blank]
    for g in cells.groups:
        for p, c in zip(g.pos.tolist(), g.codes.tolist(), strict=True):
            assert seen[p] == ("none",), "a cell in two groups, or blank and in a group"
            seen[p] = (g.kind, g.uniq[c],
                       None if g.clean is None else g.clean[c], None if g.odd is None else bool(g.odd[c]),
                       None if g.us is None else int(g.us[c]))
    return seen


def _same_cells(a: type_groups._Cells, b: type_groups._Cells) -> None:
    assert a.n == b.n and (a.blank == b.blank).all()
    assert [g.kind for g in a.groups] == [g.kind for g in b.groups]
    for x, y in zip(_per_cell(a), _per_cell(b), strict=True):
        assert len(x) == len(y) and all(_same(u, v) for u, v in zip(x, y, strict=True)), (x, y)


_ODD = st.one_of(
    st.none(), st.just(float("nan")), st.just(""), st.sampled_from([" ", "  ", "\t", "\u3000", "\u200b", "\ufeff "]),
    st.floats(allow_nan=False, width=32), st.integers(-10**20, 10**20), st.booleans(), st.just(np.bool_(True)),
    st.sampled_from([0, 1, 0.0, 1.0, -0.0, Decimal("1.000"), Decimal(0), np.float64(1.0), np.int64(0)]),
    st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1)), st.times(),
    st.datetimes(dt.datetime(1900, 1, 1), dt.datetime(2100, 1, 1)),
    st.timedeltas(dt.timedelta(days=-3), dt.timedelta(days=3)),
    st.sampled_from([Decimal("1.005"), Decimal("12345678901234567890.125"), Decimal("1E+400"), Decimal("NaN")]),
    st.just(pd.NA), st.just(pd.NaT), st.just(np.str_("KH1")), st.just(pd.Timestamp("2026-10-08")),
    st.just(np.datetime64("2026-10-08T00:00:00.000000")), st.just(np.datetime64("NaT")),
    st.just(dt.datetime(2026, 10, 8)), st.just(dt.date(2026, 10, 8)),
    st.sampled_from(["１２３", "ＫＨ０００１", "KH\u200b0001", "\u200bKH1", "完成", "已退款 ", "ﬁ", "e\u0301", "\ud800",
                     "2026-10-08", "2026/10/8", "1", "0", "TRUE"]),
    st.text(max_size=4))


@st.composite
def _columns(draw: st.DrawFn) -> np.ndarray:
    """A large column of several kinds: dates, datetimes, amounts or IDs stored as numbers, some
    typed as text, few or many distinct values, with odd cells of any kind at drawn positions
    (sampled or not)."""
    typed = draw(st.sampled_from([
        [dt.date(2026, 10, 1 + i % 28) for i in range(40)],
        [dt.datetime(2026, 10, 1 + i % 28, i % 24) for i in range(40)],
        [float(i) / 4 for i in range(40)],                 # 0.0 and 1.0 among them
        [float(i) + 0.5 for i in range(2, 400)],
        [float(3000 + i) for i in range(3000)],           # many distinct, as employee IDs as numbers
        [Decimal("0.10"), 0.1, 7, 7.0, Decimal("7.00")],
        [dt.time(9, i % 60) for i in range(60)],
        [dt.timedelta(hours=i) for i in range(30)],
    ]))
    texts = draw(st.lists(st.text(max_size=4) | st.sampled_from(["2026-10-03", "１２.５", " 12 ", "", "  ", "5580"]),
                          min_size=1, max_size=20))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    share = draw(st.sampled_from([0.001, 0.1, 0.5]))
    cells: list[Any] = [texts[rng.integers(len(texts))] if rng.random() < share else typed[rng.integers(len(typed))]
                        for _ in range(_N)]
    if draw(st.booleans()):    # whole stretches blank, as a column's unused tail
        start, length = draw(st.integers(0, _N - 1)), draw(st.integers(1, 3000))
        blank = draw(st.sampled_from([None, "", float("nan")]))
        for at in range(start, min(start + length, _N)):
            cells[at] = blank
    for value, at in draw(st.lists(st.tuples(_ODD, st.integers(0, _N - 1)), max_size=8)):
        cells[at] = value
    out = np.empty(_N, dtype=object)
    out[:] = cells
    return out


@_FAST
@given(values=_columns(), per_cell=st.booleans())
def test_split_same_cells_as_old(values: np.ndarray, per_cell: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    _same_cells(type_groups._split(values.copy(), per_cell), _old_split(values.copy(), per_cell, monkeypatch))


@pytest.fixture(scope="module")
def ctx(policy) -> CoerceContext:
    return CoerceContext.from_policy(policy, "2026-10")


_COLUMNS = [Column(type="date", required=True), Column(type="datetime"), Column(type="money", required=True),
            Column(type="money", min=0), Column(type="number"), Column(type="int"), Column(type="id", required=True),
            Column(type="national_id"), Column(type="text"), Column(type="code", codes="order_status", default="completed"),
            Column(type="bool", default="否"), Column(type="time"), Column(type="month", default="2026-10"),
            Column(type="phone")]


def _same_result(a: Coerced, b: Coerced) -> None:
    assert a.values.dtype == b.values.dtype and a.values.index.equals(b.values.index)
    assert all(_same(x, y) or (pd.isna(x) is True and pd.isna(y) is True and type(x) is type(y))
               for x, y in zip(a.values.tolist(), b.values.tolist(), strict=True))
    assert [(i, str(m)) for i, m in a.errors] == [(i, str(m)) for i, m in b.errors]
    assert [(i, c, str(m)) for i, c, m in a.notes] == [(i, c, str(m)) for i, c, m in b.notes]


@_FAST
@given(values=_columns(), which=st.integers(0, len(_COLUMNS) - 1))
def test_coerce_column_same_as_old(ctx, values: np.ndarray, which: int, monkeypatch: pytest.MonkeyPatch) -> None:
    column = _COLUMNS[which]
    raw = pd.Series(values, index=range(2, _N + 2), dtype=object)
    new = coerce_column(raw.copy(), column, ctx)
    with monkeypatch.context() as m:
        m.setattr(type_groups, "_split_by_values", lambda values: None)
        old = coerce_column(raw.copy(), column, ctx)
    _same_result(new, old)


def _dates_and_texts() -> np.ndarray:
    cells = np.empty(_N, dtype=object)
    cells[:] = [dt.date(2026, 10, 1 + i % 28) if i % 30 else "2026/10/8" for i in range(_N)]
    return cells


def test_split_by_values_takes_the_sales_columns() -> None:
    """Dates or amounts with some cells typed as text (the sales sheets' order dates and amounts)
    are split by their distinct values, into the same cells as cell by cell."""
    dates = _dates_and_texts()
    amounts = np.empty(_N, dtype=object)
    amounts[:] = [float(10 + i % 400) if i % 25 else f"{10 + i % 400}.00" for i in range(_N)]
    for values in (dates, amounts):
        assert type_groups._split_by_values(values) is not None


def test_split_by_values_leaves_what_could_merge() -> None:
    """A bool beside a 1.0 (equal, and hashed alike), a column of bools, numpy dates, an
    unhashable cell or mostly distinct values: split cell by cell."""
    amounts = np.empty(_N, dtype=object)
    amounts[:] = [float(i % 3) if i % 25 else "12" for i in range(_N)]     # 0.0, 1.0 and 2.0
    assert type_groups._split_by_values(amounts) is not None
    hidden = amounts.copy()
    hidden[5001] = True          # not in the sample: numbered with 1.0
    assert type_groups._split_by_values(hidden) is None
    cells = type_groups._split(hidden, False)
    assert [g.kind for g in cells.groups] == [type_groups._STR, type_groups._NUM, type_groups._BOOL]
    for odd in (np.datetime64("2026-10-08"), [1], True):
        values = _dates_and_texts()
        values[::50] = [odd] * len(values[::50])
        assert type_groups._split_by_values(values) is None
    distinct = np.empty(_N, dtype=object)
    distinct[:] = [float(i) if i % 25 else str(i) for i in range(_N)]
    assert type_groups._split_by_values(distinct) is None


def test_bool_hidden_among_ones_is_still_an_error(ctx) -> None:
    """A TRUE cell in an amount column where 1.0 came first is refused as before, not read as 1."""
    values = np.empty(_N, dtype=object)
    values[:] = [1.0 if i % 3 else "2.5" for i in range(_N)]
    values[7001] = True          # not in the spread sample (every fourth cell)
    assert type_groups._split_by_values(values) is None
    result = coerce_column(pd.Series(values, index=range(2, _N + 2), dtype=object), Column(type="money"), ctx)
    assert [i for i, _ in result.errors] == [7003]
    assert result.values[7003] is None and result.values[7005] == Decimal("1")


def test_error_at_no_cell_makes_no_error_array() -> None:
    out = _Out(5, "object")
    out.error_at(np.zeros(5, dtype=bool), "x")
    out.error_at(np.zeros(0, dtype=np.intp), "x")
    assert out._err is None and not out.erred
    out.error_at(np.array([False, True, False, False, False]), "x")
    assert out.erred and out.err.tolist() == [None, "x", None, None, None]


def _old_error_at(self: _Out, cells: np.ndarray, msgs: Any) -> None:
    """`_Out.error_at` as it was: an error array even for no cell."""
    self.err[cells] = msgs
    self.erred = True


def _old_ids(g: type_groups._Group, column: Column, ctx: CoerceContext, out: _Out) -> None:
    """`_ids` as it was for text: a note array whether or not a value lost an invisible character."""
    if g.kind != type_groups._STR:
        return identifiers._ids(g, column, ctx, out)
    national = column.type == "national_id"
    notes = [("id.trimmed", identifiers._invisible_notes(g, g.invisible, national))]
    if national:
        identifiers._national_ids(g, out, notes)
    else:
        out.put(g, g.cleaned, None, notes)


_ID_CELLS = st.one_of(st.sampled_from(["WD0001", "WD0002", " WD0003 ", "WD\u200b0004", "\ufeffWD5", "", "  ", "\u3000",
                                       "ＷＤ０００６", "11010519491231002X", "11010519491231002x", "\ud800"]),
                      st.none(), st.just(float("nan")), st.floats(width=32), st.integers(-10**17, 10**17),
                      st.booleans(), st.dates(), st.text(max_size=5))


@_FAST
@given(pool=st.lists(_ID_CELLS, min_size=1, max_size=30), seed=st.integers(0, 2**32 - 1), size=st.sampled_from([40, _N]),
       which=st.sampled_from(["id", "national_id", "required id", "money"]))
def test_ids_and_errors_same_as_old(ctx, pool: list[Any], seed: int, size: int, which: str,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    column = Column(type=which.split()[-1], required=which.startswith("required"))
    values = np.empty(size, dtype=object)
    values[:] = [pool[j] for j in np.random.default_rng(seed).integers(len(pool), size=size)]
    raw = pd.Series(values, index=range(2, size + 2), dtype=object)
    new = coerce_column(raw.copy(), column, ctx)
    with monkeypatch.context() as m:
        m.setattr(_Out, "error_at", _old_error_at)
        m.setitem(column_module._HANDLERS, "id", _old_ids)
        m.setitem(column_module._HANDLERS, "national_id", _old_ids)
        old = coerce_column(raw.copy(), column, ctx)
    _same_result(new, old)
