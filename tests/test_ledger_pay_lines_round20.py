"""Issue 14, round 20: a close's pay lines are bound from the columns' `tolist` instead of
iterating the pandas columns (a `str` column iterates through `__getitem__` a value at a time).
The rows stored, and each value's SQLite type, are those the iteration of before stored: the old
form is kept here and run on hostile columns (blanks, NaN/None/NA, NUL and quotes, Decimals
cents cannot hold, duplicates) of every dtype a frame may give them."""

from __future__ import annotations

import sqlite3
from decimal import Decimal
from itertools import repeat

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csbatch.ledger import store

_TEXT = st.one_of(st.none(), st.just(np.nan), st.just(""), st.sampled_from(["E1", "1041", "a\x00b", '"],["', "é\\n"]),
                  st.text(max_size=6))
_AMOUNT = st.one_of(st.decimals(allow_nan=True, allow_infinity=True, places=None),
                    st.sampled_from([Decimal("0.001"), Decimal("-0.00"), Decimal("1E+3"), Decimal("12.345678901")]),
                    st.integers(-10**20, 10**20), st.none())


def _old_rows(close_id: str, lines: pd.DataFrame) -> list[tuple]:
    """Round 19's form: the pandas columns iterated as they are."""
    return list(zip(repeat(close_id), lines["employee_id"], lines["component"], map(str, lines["amount"]),
                    (reason or "" for reason in lines["reason"])))


def _stored(rows: list[tuple]) -> list[tuple] | str:
    """The rows as SQLite stores them, with each value's type (or the error binding them: pd.NA)."""
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE pay_lines (close_id, employee_id, component, amount, reason)")
    try:
        conn.executemany("INSERT INTO pay_lines VALUES (?, ?, ?, ?, ?)", rows)
    except sqlite3.ProgrammingError as error:
        return str(error)
    return conn.execute("SELECT rowid, *, typeof(employee_id), typeof(component), typeof(amount), typeof(reason) "
                        "FROM pay_lines ORDER BY rowid").fetchall()


class _Conn:
    """Collects what `_record_rows` binds for pay lines, then stops it there."""

    def __init__(self) -> None:
        self.rows: list[tuple] = []

    def executemany(self, sql: str, rows) -> None:
        assert sql.startswith("INSERT INTO pay_lines")
        self.rows = list(rows)
        raise _Stop


class _Stop(Exception):
    pass


def _new_rows(close_id: str, lines: pd.DataFrame) -> list[tuple]:
    ledger = store.Ledger.__new__(store.Ledger)
    ledger.conn = _Conn()   # type: ignore[assignment]
    new = store.NewClose(close_id, "2026-10", "out", "staging", {}, lines, pd.DataFrame(), pd.DataFrame())  # type: ignore[arg-type]
    with pytest.raises(_Stop):
        ledger._record_rows(new)
    return ledger.conn.rows   # type: ignore[attr-defined]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_TEXT, _TEXT, _AMOUNT, _TEXT), max_size=12),
       st.sampled_from(["str", "object", "string"]))
def test_pay_lines_bound_as_the_columns_iterated(rows, dtype):
    rows = rows + rows[:2]   # duplicates
    lines = pd.DataFrame(rows, columns=["employee_id", "component", "amount", "reason"], dtype=object)
    for column in ("employee_id", "component", "reason"):
        lines[column] = lines[column].astype(dtype) if dtype != "object" else lines[column]
    old, new = _either(_old_rows, lines), _either(_new_rows, lines)
    if isinstance(old, type):   # pd.NA as a reason is refused both ways (its truth is ambiguous)
        assert new is old
        return
    assert not isinstance(new, type)
    assert _stored(new) == _stored(old)
    assert [tuple(map(type, r)) for r in new] == [tuple(map(type, r)) for r in old]


def _either(rows_of, lines: pd.DataFrame) -> list[tuple] | type:
    """The rows, or the type of the exception making them raised."""
    try:
        return rows_of("c1", lines)
    except (TypeError, ValueError) as error:
        return type(error)


def test_numeric_and_categorical_columns_too():
    lines = pd.DataFrame({"employee_id": pd.Series([1041, 7, 7], dtype="int64"),
                          "component": pd.Categorical(["base", "bonus", "base"]),
                          "amount": pd.Series([1.5, np.nan, 2.0]),
                          "reason": pd.Series([None, "x", np.nan], dtype=object)})
    old, new = _old_rows("c1", lines), _new_rows("c1", lines)
    assert _stored(new) == _stored(old)
