"""Issue 14, round 13: a close recorded the faster way (rows inserted a column at a time, the
owner and dup written into the statement, employees encoded once each, the purchase columns put
in key order by numpy, pandas columns read with `tolist`) leaves the very ledger the way of round
12 left: every table, raw rows and views, and every digest. The way of before is kept here as a
reference (row tuples, `executemany`, a Python sort, `_split_ids` one ID at a time, digests read
back through the views), and both record the same close of odd data."""

from __future__ import annotations

import sqlite3
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csbatch.ledger import compact, digests, store
from csbatch.ledger.store import Ledger, NewClose
from csbatch.vip.model import CARD_COLUMNS, POINT_COLUMNS, PURCHASE_COLUMNS, VipResult

AMOUNTS = [Decimal("253.8000"), Decimal("80.00"), Decimal("-2370"), Decimal("-0.00"), Decimal("1E+3"),
           Decimal("0.123456789"), Decimal("12345678901234567.89"), Decimal("72.150"), Decimal("0"),
           Decimal("80.0"), Decimal("-1.5")]
ODD_IDS = ["", "007", "1041", "E1041", "md-7", "订单42", "MD" + "9" * 19, "KH013550", "KH001234", "x y", 'q"1']


def _old_staff_refs(conn: sqlite3.Connection, values: list[Any], add: bool = True) -> list[Any]:
    return [-ref if isinstance(ref, int) and ref & 31 else ref >> 5 if isinstance(ref, int) else ref
            for ref in compact.id_refs(conn, values, add)]


def _old_insert(conn: sqlite3.Connection, table: str, owner: int, rows: list[tuple], key_width: int,
                names: tuple[str, ...] | None = None) -> None:
    named = f" ({', '.join(names)})" if names else ""
    sql = f"INSERT INTO {table}{named} VALUES ({', '.join('?' * len(rows[0]))})" if rows else ""
    try:
        conn.executemany(sql, rows) if rows else None
    except sqlite3.IntegrityError:
        conn.execute(f"DELETE FROM {table} WHERE owner = ?", (owner,))
        conn.executemany(sql, list(compact._with_dups(rows, key_width)))


def _old_owned_orders(refs: list[Any], texts: list[Any]) -> tuple[int, int, list[Any]]:
    numbered = [ref for ref in refs if isinstance(ref, int)]
    if not numbered:
        return 0, 32, refs
    numbers, prefixes = [r >> 5 for r in numbered], [r & 31 for r in numbered]
    counts = [prefixes.count(p) for p in range(32)]
    base = min(n for n, p in zip(numbers, prefixes) if counts[p] * 64 >= len(numbered))
    width = max(p for n, p in zip(numbers, prefixes) if n >= base) + 1
    return base, width, [compact.owned_order(ref, text, base, width) for ref, text in zip(refs, texts)]


def _old_insert_order_pay(conn, owner_id, order_ids, employee_ids, components, amounts, staff=None) -> None:
    keys = compact.Keys(conn)
    owner = keys.of([owner_id])[owner_id]
    codes = keys.of(components)
    orders, staff_ids = compact.id_refs(conn, order_ids), _old_staff_refs(conn, list(employee_ids))
    base, width, orders = _old_owned_orders(orders, order_ids)
    counts: dict[Any, int] = {}
    for c in components:
        counts[c] = counts.get(c, 0) + 1
    shift = codes[max(counts, key=counts.__getitem__)] if counts else 0
    conn.execute("INSERT INTO order_pay_owners VALUES (?, ?, ?, ?)", (owner, base, width, shift))
    rows = [(owner, o, codes[c] - shift, e, 0, compact.amount(a))
            for o, c, e, a in zip(orders, components, staff_ids, amounts)]
    _old_insert(conn, "order_pay_rows", owner, rows, 4)


def _old_record_purchases(self: Ledger, source: str, purchases: pd.DataFrame) -> None:
    columns = [list(purchases["period"]), list(purchases["customer_id"]), list(purchases["store_type"]),
               list(purchases["category"]), list(purchases["order_id"]),
               [store._day(v) for v in purchases["order_date"]], [str(a) for a in purchases["amount"]]]
    periods, customers, stores, categories, orders, dates, amounts = columns
    keys = compact.Keys(self.conn)
    owner = keys.of([source])[source]
    codes = keys.of([*periods, *stores, *categories])
    rows = list(zip([owner] * len(periods), [codes[p] for p in periods], [codes[s] for s in stores],
                    compact.id_refs(self.conn, customers), compact.id_refs(self.conn, orders),
                    [codes[c] for c in categories], [0] * len(periods), [compact.day(d) for d in dates],
                    [compact.amount(a) for a in amounts]))
    rows.sort(key=compact._purchase_order)
    _old_insert(self.conn, "vip_purchase_rows", owner, rows, 6, tuple(compact.PURCHASE_ROWS))


def _close(n: int, text_ids: bool, twice: bool) -> NewClose:
    orders = [f"MD261{i:08d}" for i in range(2, n + 2)] + ["MD26100000003" if twice else "MD26199999999", *ODD_IDS]
    staff = [str(1000 + i % 37) if i % 5 else f"E{i % 11}" for i in range(n)] + ["1001", *ODD_IDS[::-1]]
    components = ["commission" if i % 3 else "order_bonus" for i in range(n)] + ["order_bonus", "奖金", *["c"] * 10]
    amounts = [AMOUNTS[i % len(AMOUNTS)] for i in range(len(orders))]
    order_pay = pd.DataFrame({"order_id": orders, "employee_id": staff, "component": components, "amount": amounts},
                             dtype=object)
    if twice:   # a row twice: the rows numbered (`dup`) as before
        order_pay.loc[len(order_pay)] = ["MD26100000003", staff[1], components[1], amounts[1]]
    customers = [f"KH0{(i * 7919) % 997 + 1:05d}" for i in range(n)]
    if text_ids:
        customers[::97] = (ODD_IDS * n)[:len(customers[::97])]
    purchases = pd.DataFrame({
        "period": pd.array(["2026-10" if i % 50 else "2026-09" for i in range(n)], dtype="str"),
        "customer_id": customers, "store_type": ["modern" if i % 3 else "flagship" for i in range(n)],
        "category": ["regular" if i % 4 else "imported" for i in range(n)], "order_id": orders[:n],
        "order_date": pd.to_datetime([f"2026-10-{1 + i % 28:02d}" for i in range(n)]),
        "amount": [AMOUNTS[i % len(AMOUNTS)] for i in range(n)]})
    if twice:   # a purchase three times
        purchases = pd.concat([purchases, purchases.iloc[[3, 3]]], ignore_index=True)
    empty = pd.DataFrame()
    cards = pd.DataFrame([["C1", "p", "KH000001", "vip", "gold", pd.Timestamp("2026-01-02"), pd.Timestamp("2027-01-01"), "active",
                           pd.NaT, pd.NaT]], columns=CARD_COLUMNS)
    points = pd.DataFrame([["C1", "p", "KH000001", pd.Timestamp("2026-10-03"), "earn", 12, "MD26100000002", None]],
                          columns=POINT_COLUMNS)
    vip = VipResult(purchases[PURCHASE_COLUMNS], cards, points, empty, empty, empty, empty, [])
    pay_lines = pd.DataFrame([["1001", "commission", Decimal("10.50"), ""], ["E1", "bonus", Decimal("-0.00"), "x"]],
                             columns=["employee_id", "component", "amount", "reason"])
    results = pd.DataFrame([["1001", "ecommerce", "959.01", "A", 3.0, True], ["E1", "store", None, None, None, False]],
                           columns=["employee_id", "scorecard", "total", "grade", "rank", "rated"])
    return NewClose("c" * 32, "2026-10", Path("/tmp/out"), Path("/tmp/out/.2026-10.partial"), {"x": "é"},
                    pay_lines, order_pay, results, vip, {"revenue": Decimal("1.50"), "blank": None})


def _tables(path: Path) -> dict[str, list]:
    """Every table and view, raw rows and read back (not the migrations: when the ledger was made)."""
    conn = sqlite3.connect(path)
    try:
        names = [n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
                                            "AND name NOT LIKE 'sqlite_%' AND name != 'schema_migrations' ORDER BY name")]
        return {n: sorted(map(repr, conn.execute(f"SELECT * FROM {n}").fetchall())) for n in names}
    finally:
        conn.close()


def _record(path: Path, new: NewClose) -> dict[str, list]:
    ledger = Ledger(path)
    try:
        ledger.record_close(new)
        assert ledger.verify()[0] == []
    finally:
        ledger.close()
    return _tables(path)


@pytest.mark.parametrize("text_ids", [False, True])
@pytest.mark.parametrize("twice", [False, True])
def test_a_close_records_the_ledger_of_before(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text_ids: bool,
                                              twice: bool):
    new = _close(5000, text_ids, twice)
    monkeypatch.setattr(store, "now", lambda: "2026-11-01T00:00:00+00:00")
    monkeypatch.setattr(store, "who", lambda: "hr@host")
    fast = _record(tmp_path / "fast.sqlite", new)
    with monkeypatch.context() as old:
        old.setattr(compact, "insert_order_pay", _old_insert_order_pay)
        old.setattr(compact, "_split_texts", lambda ids: None)           # `_split_ids`, one ID at a time
        old.setattr(digests, "digest_columns", lambda columns: None)     # digests read back through the views
        old.setattr(Ledger, "_record_purchases", _old_record_purchases)
        reference = _record(tmp_path / "old.sqlite", new)
    assert fast.keys() == reference.keys()
    for table in reference:
        assert fast[table] == reference[table], table
    assert len(fast["order_pay_rows"]) == len(new.order_pay)
    assert len(fast["vip_purchase_rows"]) == len(new.vip.purchases) if new.vip is not None else False


@pytest.mark.parametrize("values", [
    ["a", None, "b", float("nan")], ["KH1", "", "订单", pd.NA], [Decimal("1.0"), Decimal("1.00"), None]])
def test_tolist_gives_what_list_gave(values):
    """The columns are read with `tolist`: the same objects, of the same types, `list` gave."""
    for series in (pd.Series(values, dtype=object), pd.Series([v for v in values if isinstance(v, str)], dtype="str")):
        assert [(type(v), repr(v)) for v in series.tolist()] == [(type(v), repr(v)) for v in list(series)]


def test_columns_inserted_as_rows_with_fixed_values_written_in(tmp_path: Path):
    """`_insert_many`: any chunk size, an int column written into the statement, as executemany."""
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (a, b, c, d)")
    columns: list[Any] = [7, [1, "x", None, 2.5, b"\0"], ("p", "q", "r", "s", "t"), 0]
    for chunk in (1, 2, 3, 2000):
        compact.CHUNK, saved = chunk, compact.CHUNK
        try:
            compact._insert_many(conn, "INSERT INTO t", columns)
        finally:
            compact.CHUNK = saved
        rows = conn.execute("SELECT * FROM t").fetchall()
        assert rows == [(7, b, c, 0) for b, c in zip(columns[1], columns[2])]
        conn.execute("DELETE FROM t")


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 20).flatmap(lambda k: st.lists(st.text("0123456789MDK-x", min_size=k, max_size=k), min_size=1,
                                                       max_size=60)))
def test_ids_of_one_length_split_from_their_bytes_as_one_by_one(values):
    """`_split_texts` of ASCII IDs of one length (read from their bytes, the leading-digit search by
    argmax) splits them as `_split_ids` does one ID at a time."""
    heads, numbers = compact._split_ids(values)
    split = compact._split_texts(values)
    assert split is not None
    texts, which, number = split
    assert [texts[w] if w >= 0 else "" for w in which.tolist()] == heads
    assert [n if w >= 0 else None for w, n in zip(which.tolist(), number.tolist())] == numbers


def test_employees_encoded_once_each_as_one_by_one():
    """`staff_refs` encodes each distinct employee once; IDs that are not all text (1 and 1.0 are one
    dict key) one by one, as before."""
    conn = sqlite3.connect(":memory:")
    for statement in compact.SCHEMA[:3]:
        conn.execute(statement)
    for values in (["1041", "E1041", "007", "", "张伟", "1041", "E1041"], [1, 1.0, "1", None, 1, True]):
        assert compact.staff_refs(conn, values) == _old_staff_refs(conn, values)
