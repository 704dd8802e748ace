"""Issue 14 (round 8, migration 11): a close's per-order pay is stored in the close's own forms
(`order_pay_owners`: its orders from its smallest number on, its commonest component as 0), so a
month's order takes three bytes, not six. The view `order_pay` returns the rows of before to the
letter, for the closes of before (whose rows migration 11 leaves as they are) and the new ones;
refunds find them, hand edits through the view still work and are found."""

from __future__ import annotations

import sqlite3
from decimal import Decimal

from csbatch.ledger import compact, digests, guard
from csbatch.ledger.db import immediate, migrate
from csbatch.ledger.migrations import MIGRATIONS
from csbatch.ledger.store import Ledger

OLD, NEW, MORE = "a" * 32, "b" * 32, "c" * 32
#: IDs of odd shapes beside a month's orders: text, leading zeros, NUL, too long a number, other prefixes
ODD = ["KH013550", "1041", "007", "0", "", "X", "订单12", "MD7\x00", "123456789012345678901", "E-1", "QQ5", "QQ26100000009"]


def _orders(month: str, n: int) -> list[str]:
    return [f"{p}{month}{i:07d}" for i in range(1, n + 1) for p in ("MD", "WD")] + ODD


def _pay(conn: sqlite3.Connection, close_id: str, period: str, orders: list[str]) -> list[tuple]:
    conn.execute("INSERT INTO closes VALUES (?, ?, 't', 'me', 'o', 's', 1, 0, '{}')", (close_id, period))
    staff = [["1041", "E7", "007"][i % 3] for i in range(len(orders))]
    components = ["order_bonus" if i % 4 == 0 else "commission" for i in range(len(orders))]
    amounts = [f"{i}.{i % 100:02d}" if i % 5 else f"-{i}.5000" for i in range(len(orders))]
    compact.insert_order_pay(conn, close_id, orders, staff, components, amounts)
    digests.record(conn, close_id, period, ("order_pay",))
    return sorted(zip([close_id] * len(orders), orders, staff, components, amounts))


def _view(conn: sqlite3.Connection, close_id: str) -> list[tuple]:
    return sorted(conn.execute("SELECT * FROM order_pay WHERE close_id = ?", (close_id,)).fetchall())


def _v10(path) -> tuple[sqlite3.Connection, list[tuple]]:
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, [m for m in MIGRATIONS if m.version <= 10])
    return conn, _pay(conn, OLD, "2026-09", _orders("2609", 50))


def test_a_v10_ledger_migrates_with_its_rows_untouched(tmp_path):
    conn, rows = _v10(tmp_path / "l.sqlite")
    stored = sorted(conn.execute("SELECT * FROM order_pay_rows").fetchall(), key=repr)
    assert migrate(conn) == [11]
    assert sorted(conn.execute("SELECT * FROM order_pay_rows").fetchall(), key=repr) == stored
    assert _view(conn, OLD) == rows
    assert conn.execute("SELECT COUNT(*) FROM order_pay_owners").fetchone() == (0,)   # the forms of before
    assert [m for m in digests.verify(conn)[0] if "changed outside" in m.message] == []
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    assert set(guard.TRIGGERS) <= names and "outside_order_pay_owners_update" in names


def test_a_close_after_migration_11_is_stored_in_its_own_forms(tmp_path):
    conn, old_rows = _v10(tmp_path / "l.sqlite")
    migrate(conn)
    new_rows = _pay(conn, NEW, "2026-10", _orders("2610", 300))
    assert _view(conn, OLD) == old_rows and _view(conn, NEW) == new_rows
    assert [m for m in digests.verify(conn)[0] if "changed outside" in m.message] == []
    # the digest of the texts written is the one read back through the view
    assert digests.digest_rows([r[1:] for r in new_rows]) == digests.compute(conn, "order_pay", NEW)
    owner = conn.execute("SELECT key FROM ledger_keys WHERE text = ?", (NEW,)).fetchone()[0]
    base, width, component = conn.execute("SELECT base, width, component FROM order_pay_owners WHERE owner = ?",
                                          (owner,)).fetchone()
    assert base == 26100000001 and width > 2
    assert conn.execute("SELECT text FROM ledger_keys WHERE key = ?", (component,)).fetchone() == ("commission",)
    refs = [r for (r,) in conn.execute("SELECT order_ref FROM order_pay_rows WHERE owner = ?", (owner,))]
    assert max(r for r in refs if isinstance(r, int)) < 1 << 23        # three bytes, not six
    assert "123456789012345678901" in refs                              # text stays text
    assert conn.execute("SELECT COUNT(*) FROM order_pay_rows WHERE owner = ? AND component = 0",
                        (owner,)).fetchone()[0] == sum(r[3] == "commission" for r in new_rows)


def test_refunds_find_the_rows_of_closes_of_both_forms(tmp_path):
    ledger = Ledger(tmp_path / "l.sqlite")
    with immediate(ledger.conn):
        rows = [*_pay(ledger.conn, OLD, "2026-09", _orders("2609", 40)),
                *_pay(ledger.conn, NEW, "2026-10", _orders("2610", 40))]
        # more rows of the same close, some outside its forms (a smaller number, a new prefix)
        more = ["MD26100000000", "ZZ26100000005", "MD26100000041"]
        compact.insert_order_pay(ledger.conn, NEW, more, ["1"] * 3, ["bonus"] * 3, ["1.00"] * 3)
        rows += [(NEW, o, "1", "bonus", "1.00") for o in more]
    assert sorted(ledger.conn.execute("SELECT * FROM order_pay")) == sorted(rows)
    asked = ["MD26090000003", "WD26100000040", *ODD, *more, "nothing", "MD26100000099"]
    paid = ledger.paid_orders(asked)
    periods = {OLD: "2026-09", NEW: "2026-10"}
    assert sorted(paid.itertuples(index=False, name=None)) == sorted(
        (o, periods[c], e, k, Decimal(a)) for c, o, e, k, a in rows if o in asked)
    assert [(r[0], r[3]) for r in paid.itertuples(index=False)] == sorted(
        (r[0], r[3]) for r in paid.itertuples(index=False))
    ledger.close()


def test_hand_edits_through_the_view_of_a_close_in_its_own_forms(tmp_path):
    conn = sqlite3.connect(tmp_path / "l.sqlite", isolation_level=None)
    migrate(conn)
    _pay(conn, NEW, "2026-10", _orders("2610", 20))
    conn.execute("UPDATE order_pay SET amount = '9.00' WHERE order_id = 'WD26100000003'")
    assert conn.execute("SELECT component, amount FROM order_pay WHERE order_id = 'WD26100000003'").fetchall() == [
        ("commission", "9.00")]
    conn.execute("DELETE FROM order_pay WHERE order_id = 'MD26100000002'")
    assert conn.execute("SELECT COUNT(*) FROM order_pay WHERE order_id = 'MD26100000002'").fetchone() == (0,)
    conn.execute("INSERT INTO order_pay VALUES (?, 'FAKE-1', '1', 'order_bonus', '80000')", (NEW,))
    assert conn.execute("SELECT * FROM order_pay WHERE order_id = 'FAKE-1'").fetchall() == [
        (NEW, "FAKE-1", "1", "order_bonus", "80000")]
    assert [m.part for m in digests.verify(conn)[0] if "changed outside" in m.message] == ["order_pay"]
    conn.execute(f"DELETE FROM {guard.LOG}")
    conn.execute("UPDATE order_pay_owners SET base = base + 1")     # the forms themselves: logged, found
    assert ("order_pay_owners", "update") in conn.execute(f"SELECT tbl, op FROM {guard.LOG}").fetchall()
    assert not guard.untouched(conn)
