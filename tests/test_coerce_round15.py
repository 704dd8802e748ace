"""Round 15's faster typing of a column says what the old one said:

- `type_groups._all_texts` proves a column of many distinct texts text by one C loop over the
  cells' types (`lib.is_string_array`) and hashes them in pandas' text table directly, where it
  factorised them with `pd.factorize` and then tested every distinct value: the same codes, values
  and odd cells, or None where the old form said None;
- `type_groups._split` goes by the cells' types at once when a large column's sample holds text
  and another type (`_text_among_others`), without `infer_dtype`'s pass: the same groups;
- `type_groups._defaulted` finds the split of a column with its default put in the blank cells
  from the first split, where `coerce_column` split the defaulted cells again: the same groups.

Each is compared with the old form, kept here, on columns mixing text, numbers, booleans, dates,
times, None, NaN, blanks, whitespace, full-width digits and zero-width characters.
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
from csbatch.sheets.coerce import CoerceContext, coerce_column, type_groups

_N = 4 * type_groups._SAMPLE + 37     # large enough for the sampled paths
_FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                        HealthCheck.function_scoped_fixture])


def _old_all_texts(values: np.ndarray, per_cell: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray | None] | None:
    """`_all_texts` as round 14 left it (a1f7275)."""
    n = len(values)
    if n < 4 * type_groups._SAMPLE:
        return None
    sample = values[::n // type_groups._SAMPLE]
    if not all(isinstance(v, str) for v in sample):
        return None
    distinct = len(set(sample))
    try:
        if per_cell and distinct >= 0.9 * len(sample) and all(map(str.isascii, sample)):
            ascii_ = np.fromiter(map(str.isascii, values), dtype=bool, count=n)
            return np.arange(n), values, ~ascii_
        codes, uniq = (type_groups._few_texts(values) if distinct <= type_groups._FEW
                       else type_groups._factorize(values))
    except TypeError:
        return None
    if (len(codes) and codes.min() < 0) or not all(isinstance(v, str) for v in uniq):
        return None
    return codes, uniq, None


def _old_split(values: np.ndarray, per_cell: bool, monkeypatch: pytest.MonkeyPatch) -> type_groups._Cells:
    with monkeypatch.context() as m:
        m.setattr(type_groups, "_all_texts", _old_all_texts)
        m.setattr(type_groups, "_text_among_others", lambda values: False)
        return type_groups._split(values, per_cell)


def _old_defaulted(values: np.ndarray, cells: type_groups._Cells, default: object,
                   per_cell: bool) -> type_groups._Cells:
    """`coerce_column`'s second split as it was: the default put in the blank cells, split again."""
    values = values.copy()
    values[cells.blank] = default
    return type_groups._split(values, per_cell)


def _same_values(a: np.ndarray, b: np.ndarray) -> None:
    assert len(a) == len(b)
    assert all(type(x) is type(y) and (x is y or x == y or (x != x and y != y))
               for x, y in zip(a, b, strict=True))


def _same_groups(a: type_groups._Cells, b: type_groups._Cells) -> None:
    assert a.n == b.n and (a.blank == b.blank).all() and len(a.groups) == len(b.groups)
    for g, h in zip(a.groups, b.groups, strict=True):
        assert (g.kind, g.per_cell) == (h.kind, h.per_cell)
        assert np.array_equal(g.pos, h.pos) and np.array_equal(g.codes, h.codes)
        assert g.codes.dtype == h.codes.dtype and g.uniq.dtype == h.uniq.dtype
        _same_values(g.uniq, h.uniq)
        for field in ("clean", "odd", "us"):
            x, y = getattr(g, field), getattr(h, field)
            assert (x is None) == (y is None) and (x is None or np.array_equal(x, y))


_ODD = st.one_of(
    st.none(), st.just(float("nan")), st.just(""), st.sampled_from([" ", "  ", "\t", "\u3000", "\u200b", "\ufeff "]),
    st.floats(allow_nan=False, width=32), st.integers(-10**20, 10**20), st.booleans(),
    st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1)), st.times(),
    st.datetimes(dt.datetime(1900, 1, 1), dt.datetime(2100, 1, 1)),
    st.just(Decimal("1.005")), st.just(pd.NA), st.just(pd.NaT), st.just(np.str_("KH1")),
    st.sampled_from(["１２３", "ＫＨ０００１", "KH\u200b0001", "\u200bKH1", "完成", "已退款 ", "ﬁ", "e\u0301", "\ud800"]),
    st.text(max_size=4))


@st.composite
def _columns(draw: st.DrawFn) -> np.ndarray:
    """A large column: many distinct texts (one per cell, or a few thousand repeating), a few
    values repeating, or dates/amounts with some cells of text, with odd cells of any kind dropped at drawn positions (sampled or not)."""
    shape = draw(st.sampled_from(["distinct", "many", "few", "mixed"]))
    if shape == "mixed":    # dates or amounts, some typed as text (the sales sheets' odd columns)
        typed = draw(st.sampled_from([[dt.date(2026, 10, 1 + i % 28) for i in range(40)],
                                      [float(i) / 4 for i in range(40)], [7, 7.5, True, None]]))
        texts = draw(st.lists(st.text(max_size=4) | st.sampled_from(["2026-10-03", "１２.５", " 12 "]),
                              min_size=1, max_size=20))
        rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
        share = draw(st.sampled_from([0.001, 0.1, 0.5]))
        cells = [texts[rng.integers(len(texts))] if rng.random() < share else typed[i % len(typed)]
                 for i in range(_N)]
    elif shape == "distinct":
        cells: list[Any] = [f"WD{i:011d}" for i in range(_N)]
    elif shape == "many":
        cells = [f"KH{i % 3000:06d}" for i in range(_N)]
    else:
        pool = draw(st.lists(st.text(max_size=4) | _ODD, min_size=1, max_size=70))
        seed = draw(st.integers(0, 2**32 - 1))
        picks = np.random.default_rng(seed).integers(len(pool), size=_N)
        cells = [pool[j] for j in picks]
    for value, at in draw(st.lists(st.tuples(_ODD, st.integers(0, _N - 1)), max_size=6)):
        cells[at] = value
    out = np.empty(_N, dtype=object)
    out[:] = cells
    return out


@_FAST
@given(values=_columns(), per_cell=st.booleans())
def test_all_texts_same_as_old(values: np.ndarray, per_cell: bool) -> None:
    new = type_groups._all_texts(values.copy(), per_cell)
    old = _old_all_texts(values.copy(), per_cell)
    assert (new is None) == (old is None)
    if new is not None and old is not None:
        assert np.array_equal(new[0], old[0]) and new[0].dtype == old[0].dtype
        _same_values(new[1], old[1])
        assert (new[2] is None) == (old[2] is None) and (new[2] is None or np.array_equal(new[2], old[2]))


@_FAST
@given(values=_columns(), per_cell=st.booleans())
def test_split_same_as_old(values: np.ndarray, per_cell: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    _same_groups(type_groups._split(values.copy(), per_cell), _old_split(values.copy(), per_cell, monkeypatch))


_DEFAULTS = st.one_of(st.sampled_from(["completed", "否", "", "  ", "\u200b", "ＫＨ０００１", "KH000001", "WD00000000001"]),
                      st.text(max_size=3), st.just(np.str_("x")), st.just(0), st.just(1.5), st.just(True))


@_FAST
@given(values=_columns(), default=_DEFAULTS, small=st.booleans())
def test_defaulted_same_as_split_again(values: np.ndarray, default: object, small: bool) -> None:
    if small:      # below the sampled paths: factorised as a whole
        values = values[:300].copy()
    cells = type_groups._split(values, False)
    if not cells.blank.any():
        values[::97] = None
        cells = type_groups._split(values, False)
    new = type_groups._defaulted(cells, default, values)
    if new is not None:
        _same_groups(new, _old_defaulted(values, cells, default, False))


def test_defaulted_takes_the_common_cases() -> None:
    """A code column of text and blanks with a text default (the sales sheets' status, channel,
    yes/no columns) is derived, not split again; the default already among the values or not."""
    values = np.array((["已完成", "", None, "退款", "  "] * 2000), dtype=object)
    cells = type_groups._split(values, False)
    for default in ("已完成", "completed", ""):
        new = type_groups._defaulted(cells, default, values)
        assert new is not None
        _same_groups(new, _old_defaulted(values, cells, default, False))
    # a default of another type, or a column of several kinds: split again
    assert type_groups._defaulted(cells, 0, values) is None
    mixed = values.copy()
    mixed[3] = 1.5
    assert type_groups._defaulted(type_groups._split(mixed, False), "x", mixed) is None


@pytest.fixture(scope="module")
def ctx(policy) -> CoerceContext:
    return CoerceContext.from_policy(policy, "2026-10")


_DEFAULTED_COLUMNS = [Column(type="code", codes="order_status", default="completed"), Column(type="bool", default="否"),
                      Column(type="code", codes="order_status", default="refunded"), Column(type="month", default="2026-10")]


@_FAST
@given(values=_columns(), which=st.integers(0, len(_DEFAULTED_COLUMNS) - 1))
def test_coerce_column_same_as_old(ctx, values: np.ndarray, which: int, monkeypatch: pytest.MonkeyPatch) -> None:
    column = _DEFAULTED_COLUMNS[which]
    values[::101] = None
    raw = pd.Series(values, index=range(2, _N + 2), dtype=object)
    new = coerce_column(raw.copy(), column, ctx)
    with monkeypatch.context() as m:
        m.setattr(type_groups, "_all_texts", _old_all_texts)
        m.setattr(type_groups, "_text_among_others", lambda values: False)
        m.setattr("csbatch.sheets.coerce.column._defaulted", lambda cells, default, values: None)
        old = coerce_column(raw.copy(), column, ctx)
    assert new.values.equals(old.values) and new.values.dtype == old.values.dtype
    assert [type(v) for v in new.values] == [type(v) for v in old.values]
    assert [(i, str(e)) for i, e in new.errors] == [(i, str(e)) for i, e in old.errors]
    assert [(i, c, str(n)) for i, c, n in new.notes] == [(i, c, str(n)) for i, c, n in old.notes]
