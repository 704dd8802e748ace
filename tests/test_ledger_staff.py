"""Issue 14 round 4: employees of per-order pay stored by their number (migration 10). A ledger of
version 9 migrates with every row read back as the same text and its digests intact; the write
path stores an ID that is only a number as that number, anything else as before (negated) or as
text; hand edits through the view and the outside-changes log still work on the rebuilt table."""

from __future__ import annotations

import sqlite3

from csbatch.ledger import compact, digests, guard
from csbatch.ledger.db import migrate
from csbatch.ledger.migrations import MIGRATIONS

CLOSE = "c" * 32
#: employee IDs: a number alone, with a prefix, leading zeros, none, too long for an integer
STAFF = ["1041", "E1041", "007", "0", "X", "", "员工12", "123456789012345678901", "32", "1"]


def _v9(path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, [m for m in MIGRATIONS if m.version <= 9])
    conn.execute("INSERT INTO closes VALUES (?, '2026-10', 't', 'me', 'o', 's', 1, 0, '{}')", (CLOSE,))
    orders = [f"MD{n}" for n in range(len(STAFF))] + ["MD0", "MD0"]
    compact.insert_order_pay(conn, CLOSE, orders, [*STAFF, "1041", "1041"], ["commission"] * len(orders),
                             ["1.00"] * len(STAFF) + ["2.00", "2.00"], staff=compact.id_refs)  # as version 9 did
    digests.record(conn, CLOSE, "2026-10", ("order_pay",))
    return conn


def _rows(conn: sqlite3.Connection) -> list:
    return sorted(conn.execute("SELECT * FROM order_pay").fetchall())


def test_a_v9_ledger_migrates_with_the_same_rows_and_digests(tmp_path):
    conn = _v9(tmp_path / "l.sqlite")
    before = _rows(conn)
    triggers = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                            "AND tbl_name = 'order_pay_rows' ORDER BY name").fetchall()
    assert migrate(conn) == [10, 11]
    assert _rows(conn) == before
    assert [m for m in digests.verify(conn)[0] if "changed outside" in m.message] == []
    assert conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                        "AND tbl_name = 'order_pay_rows' ORDER BY name").fetchall() == triggers
    assert guard.untouched(conn) is False   # the log's first entry (migration 9) is still there
    refs = {r for (r,) in conn.execute("SELECT employee_ref FROM order_pay_rows")}
    assert {1041, 32, 1} <= refs and "0" in refs and "" in refs     # a number alone: the number
    assert any(isinstance(r, int) and r < 0 for r in refs)          # E1041, 007: minus id_refs


def test_the_write_path_and_hand_edits_after_migration_10(tmp_path):
    conn = sqlite3.connect(tmp_path / "l.sqlite", isolation_level=None)
    migrate(conn)
    conn.execute("INSERT INTO closes VALUES (?, '2026-10', 't', 'me', 'o', 's', 1, 0, '{}')", (CLOSE,))
    orders = [f"MD{n}" for n in range(len(STAFF))]
    compact.insert_order_pay(conn, CLOSE, orders, STAFF, ["commission"] * len(STAFF), ["1.00"] * len(STAFF))
    assert _rows(conn) == sorted((CLOSE, o, e, "commission", "1.00") for o, e in zip(orders, STAFF))
    assert compact.staff_refs(conn, STAFF, add=False)[:4] == [
        1041, -compact.id_refs(conn, ["E1041"], add=False)[0], -compact.id_refs(conn, ["007"], add=False)[0], "0"]
    digests.record(conn, CLOSE, "2026-10", ("order_pay",))
    conn.execute("UPDATE order_pay SET amount = '9.00' WHERE employee_id = 'E1041'")
    assert conn.execute("SELECT amount FROM order_pay WHERE employee_id = 'E1041'").fetchall() == [("9.00",)]
    assert [m.part for m in digests.verify(conn)[0] if "changed outside" in m.message] == ["order_pay"]
    assert ("order_pay_rows", "insert") in conn.execute(f"SELECT tbl, op FROM {guard.LOG}").fetchall()
