"""Issue 14: per-order pay and VIP purchases stored compactly (migration 7). A ledger of version 6
migrates with every row read back as the same text, its digests still verify, and an edit made
afterwards (to the compact tables or through the views) is still found."""

from __future__ import annotations

import sqlite3
from decimal import Decimal
from pathlib import Path

import pandas as pd

from csbatch.ledger import compact, digests
from csbatch.ledger.db import immediate, migrate, open_ledger
from csbatch.ledger.migrations import MIGRATIONS
from csbatch.ledger.store import Ledger

CLOSE = "c" * 32
#: amounts as `str(Decimal)` writes them, the odd ones included (stored as text, read back the same)
AMOUNTS = ["253.8000", "80.00", "-2370", "0", "0.00", "-0.00", "-0.01", "1E+2", "12345678901234.56", "0.1234567",
           "5.12345678", "-99999999999999999.5", "7."]
#: IDs: a number at the end (with a prefix, leading zeros, none) or not
IDS = ["MD26100000002", "KH013550", "1041", "007", "A0", "X", "", "订单12", "123456789012345678901"]
DATES = ["2026-09-01", "1970-01-01", "1969-12-31", "2999-12-31", "1899-12-31", "2026-9-1", "2026-02-30"]


def _v6(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, [m for m in MIGRATIONS if m.version <= 6])
    conn.execute("INSERT INTO closes VALUES (?, '2026-10', 't', 'me', 'o', 's', 1, 0, '{}')", (CLOSE,))
    conn.execute("INSERT INTO vip_imports VALUES ('import-1', 't', 'me', 'f', 'h', '2026-08,2026-09', 3)")
    for i, amount in enumerate(AMOUNTS):
        conn.execute("INSERT INTO order_pay VALUES (?, ?, ?, ?, ?)",
                     (CLOSE, IDS[i % len(IDS)], IDS[(i + 3) % len(IDS)], "commission" if i % 2 else "bonus", amount))
    conn.execute("INSERT INTO order_pay VALUES (?, 'MD1', '1041', 'commission', '1.00')", (CLOSE,))
    conn.execute("INSERT INTO order_pay VALUES (?, 'MD1', '1041', 'commission', '1.00')", (CLOSE,))  # twice
    for owner in (CLOSE, "import-1"):
        for i, date in enumerate(DATES):
            conn.execute("INSERT INTO vip_purchases VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                         (owner, "2026-09", IDS[i], "flagship", "regular", IDS[-i], date, AMOUNTS[i]))
    digests.record(conn, CLOSE, "2026-10", digests.CLOSE_PARTS)
    digests.record(conn, "import-1", "2026-08,2026-09", digests.IMPORT_PARTS)
    return conn


def _rows(conn: sqlite3.Connection, table: str) -> list:
    return sorted(conn.execute(f"SELECT * FROM {table}").fetchall(), key=repr)


def test_a_v6_ledger_migrates_with_its_rows_and_verifies(tmp_path):
    old = _v6(tmp_path / "l.sqlite")
    before = {t: _rows(old, t) for t in ("order_pay", "vip_purchases")}
    old.close()
    conn = open_ledger(tmp_path / "l.sqlite")
    assert [r[0] for r in conn.execute("SELECT version FROM schema_migrations")] == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]
    assert [r[0] for r in conn.execute("SELECT type FROM sqlite_master WHERE name IN ('order_pay', 'vip_purchases')")
            ] == ["view", "view"]
    for table, rows in before.items():
        assert _rows(conn, table) == rows
    assert digests.verify(conn) == ([], len(digests.CLOSE_PARTS) + len(digests.IMPORT_PARTS))
    # the compact rows: integers where the text reads back exactly
    stored = conn.execute("SELECT order_ref >> 5, p.text FROM order_pay_rows JOIN ledger_prefixes p "
                          "ON p.key = order_ref & 31 WHERE amount = 2538000 * 8 + 4").fetchall()
    assert stored == [(26100000002, "MD")]
    conn.close()


def test_the_write_path_stores_what_the_views_read_back(tmp_path):
    ledger = Ledger(tmp_path / "l.sqlite")
    amounts = [Decimal(a) for a in AMOUNTS]
    ids = [IDS[i % len(IDS)] for i in range(len(amounts))]
    with immediate(ledger.conn):
        ledger.conn.execute("INSERT INTO closes VALUES (?, '2026-10', 't', 'me', 'o', 's', 1, 0, '{}')", (CLOSE,))
        ledger._record_purchases(CLOSE, pd.DataFrame({
            "period": "2026-10", "customer_id": ids, "store_type": "modern", "category": "regular",
            "order_id": ids, "order_date": pd.to_datetime(["2026-10-0" + str(1 + i % 9) for i in range(len(ids))]),
            "amount": amounts}))
        compact.insert_order_pay(ledger.conn, CLOSE, ids, ids, ["commission"] * len(ids), map(str, amounts))
        compact.insert_order_pay(ledger.conn, "other", ["MD1", "MD1"], ["1", "1"], ["c", "c"], ["1.00", "1.00"])
    assert sorted(ledger.conn.execute("SELECT order_id, employee_id, amount FROM order_pay WHERE close_id = ?",
                                      (CLOSE,))) == sorted(zip(ids, ids, map(str, amounts)))
    assert ledger.conn.execute("SELECT COUNT(*) FROM order_pay WHERE close_id = 'other'").fetchone() == (2,)
    assert sorted(ledger.conn.execute("SELECT customer_id, order_date, amount FROM vip_purchases")) == sorted(
        (i, f"2026-10-0{1 + n % 9}", str(a)) for n, (i, a) in enumerate(zip(ids, amounts)))
    paid = ledger.paid_orders(["MD26100000002", "007", "nothing"])
    assert sorted(paid["order_id"]) == sorted(i for i in ids if i in ("MD26100000002", "007"))
    ledger.close()


def test_edits_through_the_views_are_found(tmp_path):
    _v6(tmp_path / "l.sqlite").close()
    conn = open_ledger(tmp_path / "l.sqlite")
    conn.execute("UPDATE vip_purchases SET amount = '400000' WHERE order_id = 'MD26100000002'")
    assert conn.execute("SELECT DISTINCT amount FROM vip_purchases WHERE order_id = 'MD26100000002'"
                        ).fetchall() == [("400000",)]
    conn.execute("DELETE FROM order_pay WHERE order_id = 'KH013550'")
    conn.execute("INSERT INTO order_pay VALUES (?, 'FAKE-1', '1', 'commission', '80000')", (CLOSE,))
    assert conn.execute("SELECT * FROM order_pay WHERE order_id = 'FAKE-1'").fetchall() == [
        (CLOSE, "FAKE-1", "1", "commission", "80000")]
    found, _ = digests.verify(conn)
    assert sorted((m.part, m.owner) for m in found) == [("order_pay", CLOSE), ("vip_purchases", CLOSE),
                                                        ("vip_purchases", "import-1")]
    conn.close()
