"""Issue 14 (round 9): the ledger's bulk paths give what the row-by-row paths gave. IDs split with
numpy (`compact._split_texts`) as `_split_ids` splits them; rows inserted a chunk of rows per
statement (`compact._insert_many`, a key twice numbered as before) as `executemany` inserts them;
column digests joined in C (`digests.digest_columns`) as `digest_rows`; a datetime column's days
(`store._days`) as `_day` of each value."""

from __future__ import annotations

import sqlite3

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from csbatch.ledger import compact, digests
from csbatch.ledger.db import migrate
from csbatch.ledger.migrations import MIGRATIONS
from csbatch.ledger.store import _day, _days

#: IDs of the shapes the split cares about (prefixes, leading zeros, long numbers, odd characters)
IDS = st.one_of(st.text(max_size=14), st.from_regex(r"[A-Z订\0 ]{0,3}0{0,2}[0-9]{0,21}", fullmatch=True))
#: texts the plain digest path and its fallbacks must treat alike (`"`, `\`, `],[`, space and `!` sort before `"`)
TEXTS = st.lists(st.sampled_from(['a', 'b', ' ', '!', '"', '\\', '],[', '\n', '订', '0', '[', ',']),
                 max_size=4).map("".join)


def _ledger() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    migrate(conn, MIGRATIONS)
    return conn


def _by_rows(conn: sqlite3.Connection, values: list, add: bool = True) -> list:
    """`id_refs` the way it was before numpy: `_split_ids` over every ID."""
    saved = compact._split_texts
    compact._split_texts = lambda ids: None   # type: ignore[assignment,misc]
    try:
        return compact.id_refs(conn, values, add)
    finally:
        compact._split_texts = saved


@settings(max_examples=300, deadline=None)
@given(st.lists(IDS, max_size=40), st.booleans())
def test_ids_split_with_numpy_as_one_by_one(values, repeated):
    values = values * 3 if repeated else values
    heads, numbers = compact._split_ids(values)
    split = compact._split_texts(values)
    assert split is not None
    texts, which, number = split
    assert [texts[w] if w >= 0 else "" for w in which.tolist()] == heads
    assert [n if w >= 0 else None for w, n in zip(which.tolist(), number.tolist())] == numbers
    fast, slow = _ledger(), _ledger()
    assert compact.id_refs(fast, values) == _by_rows(slow, values)
    assert fast.execute("SELECT * FROM ledger_prefixes").fetchall() == slow.execute(
        "SELECT * FROM ledger_prefixes").fetchall()


def test_ids_that_are_not_all_text_or_are_long_split_one_by_one():
    assert compact._split_texts(["MD1", 1041]) is None
    conn = _ledger()
    assert compact.id_refs(conn, ["MD1", 1041, None]) == _by_rows(_ledger(), ["MD1", 1041, None])
    long = ["X" * 100 + "7", "MD" + "1" * 70, "MD12"]
    assert compact._split_texts(long) is None
    assert compact.id_refs(_ledger(), long) == _by_rows(_ledger(), long)


def test_ids_past_the_first_32_prefixes_and_slices_of_many():
    conn, slow = _ledger(), _ledger()
    for c in (conn, slow):
        c.executemany("INSERT INTO ledger_prefixes (text) VALUES (?)", ((f"P{i}x",) for i in range(40)))
    values = [f"{p}{n}" for n in range(1, 70_001) for p in ("MD",)] + ["P39x5", "P1x7", "Z" + "9" * 18, "007"]
    assert compact.id_refs(conn, values) == _by_rows(slow, values)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["MD1", "MD2", "x"]), st.sampled_from(["1", "2"]),
                          st.sampled_from(["commission", "bonus"]), st.sampled_from(["1.00", "2"])), max_size=30),
       st.integers(min_value=1, max_value=30))
def test_rows_inserted_in_chunks_as_row_by_row(rows, limit):
    """Any chunk size (SQLite's limit on bound values), a key twice numbered as `executemany` did."""
    columns = [list(c) for c in zip(*rows)] if rows else [[], [], [], []]
    chunked, one_by_one = _ledger(), _ledger()
    chunked.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, max(limit, 6))
    compact.insert_order_pay(chunked, "c" * 32, *columns)
    saved = compact.CHUNK
    compact.CHUNK = 1
    try:
        compact.insert_order_pay(one_by_one, "c" * 32, *columns)
    finally:
        compact.CHUNK = saved
    query = "SELECT * FROM order_pay_rows ORDER BY owner, order_ref, component, employee_ref, dup"
    assert chunked.execute(query).fetchall() == one_by_one.execute(query).fetchall()
    assert len(chunked.execute(query).fetchall()) == len(rows)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(TEXTS, TEXTS, TEXTS), max_size=30))
def test_column_digests_as_row_digests(rows):
    columns = [list(c) for c in zip(*rows)] if rows else [[], [], []]
    assert digests.digest_columns(columns) == digests.digest_rows(rows)


def test_days_of_a_datetime_column_as_each_day():
    values = pd.Series(pd.to_datetime(["2026-10-01 13:45", None, "1969-12-31 23:59:59", "1700-01-01", "2026-10-01"],
                                      format="mixed")).astype("datetime64[ns]")
    assert _days(values) == [_day(v) for v in values] == ["2026-10-01", None, "1969-12-31", "1700-01-01",
                                                          "2026-10-01"]
    assert _days(values[:0]) == []
    assert _days(pd.Series([None, None], dtype="datetime64[ns]")) == [None, None]
    assert _days(values.dt.tz_localize("Asia/Shanghai")) == [_day(v) for v in values.dt.tz_localize("Asia/Shanghai")]
    assert np.dtype("datetime64[ns]") == values.dtype
