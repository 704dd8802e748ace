"""Issue 14, round 3: VIP purchases keyed by close, month, store type and customer (migration 8).
A ledger of version 7 migrates with every purchase read back as the same text and its digests
still verifying; trailing spend and earlier orders then read only the months and customers they
ask about (the query plan seeks the table's key; no row of another month is visited), and give
the answers the frame of every purchase gives, odd amounts and hand-stored IDs included."""

from __future__ import annotations

import sqlite3
from decimal import Decimal

import pandas as pd

from csbatch.ledger import compact, digests
from csbatch.ledger.db import migrate
from csbatch.ledger.migrations import MIGRATIONS
from csbatch.ledger.store import Ledger
from csbatch.ledger.vip_reads import LedgerPurchases
from csbatch.vip.model import PURCHASE_COLUMNS
from csbatch.vip.purchases import FramePurchases

AMOUNTS = ["253.8000", "80.00", "-2370", "0", "0.00", "-0.00", "-0.01", "1E+2", "12.5", "0.1234567", "7."]
CUSTOMERS = ["KH013550", "1041", "X", "KH2", "订单12"]


def _purchases() -> pd.DataFrame:
    rows = []
    for m, period in enumerate(["2025-09", "2025-12", "2026-03", "2026-06", "2026-09"]):
        for i, amount in enumerate(AMOUNTS):
            rows.append((period, CUSTOMERS[(i + m) % len(CUSTOMERS)], ("flagship", "modern", "online")[i % 3],
                         "regular", f"MD{m}{i:03d}", f"{period}-0{1 + i % 9}", amount))
    rows.append(("2026-09", "KH2", "flagship", "regular", "MD0000", "2025-09-01", "-253.8000"))   # a refund
    frame = pd.DataFrame(rows, columns=PURCHASE_COLUMNS)
    frame["order_date"] = pd.to_datetime(frame["order_date"])
    frame["amount"] = frame["amount"].map(Decimal)
    return frame


def _sorted(frame: pd.DataFrame) -> list[tuple]:
    return sorted(tuple(str(v) for v in row) for row in frame.itertuples(index=False))


def test_a_v7_ledger_migrates_with_its_purchases_and_verifies(tmp_path):
    conn = sqlite3.connect(tmp_path / "l.sqlite", isolation_level=None)
    migrate(conn, [m for m in MIGRATIONS if m.version <= 7])
    purchases = _purchases()
    conn.execute("INSERT INTO vip_imports VALUES ('import-1', 't', 'me', 'f', 'h', '2025-09', 1)")
    compact.insert_purchases(conn, "import-1", *(list(purchases[c]) for c in PURCHASE_COLUMNS[:5]),
                             [d.date().isoformat() for d in purchases["order_date"]], map(str, purchases["amount"]))
    conn.execute("INSERT INTO vip_purchases VALUES ('import-1', '2026-09', 'KH7', 'flagship', 'regular', 'H1', "
                 "'2026-09-02', '5')")     # a hand edit: stored as text
    digests.record(conn, "import-1", "2025-09", digests.IMPORT_PARTS)
    before = sorted(conn.execute("SELECT * FROM vip_purchases").fetchall(), key=repr)
    assert migrate(conn) == [8, 9, 10, 11]   # 9: the outside-changes log; 10: employees by number
    assert sorted(conn.execute("SELECT * FROM vip_purchases").fetchall(), key=repr) == before
    assert digests.verify(conn)[0] == []
    assert [r[2] for r in conn.execute("PRAGMA index_info(sqlite_autoindex_vip_purchase_rows_1)")] == [
        "owner", "period", "store_type", "customer_ref", "order_ref", "category", "dup"]
    # the view still takes hand edits, and verify still finds them
    conn.execute("UPDATE vip_purchases SET amount = '6' WHERE order_id = 'H1'")
    assert conn.execute("SELECT amount FROM vip_purchases WHERE order_id = 'H1'").fetchall() == [("6",)]
    assert [m.part for m in digests.verify(conn)[0]] == ["vip_purchases"]


def test_spend_and_orders_read_the_window_by_key_and_match_the_frame(tmp_path):
    ledger = Ledger(tmp_path / "l.sqlite")
    try:
        ledger.import_purchases("imp1", "h.xlsx", "0" * 64, _purchases())
        ledger.conn.execute("INSERT INTO vip_purchases VALUES ('imp1', '2026-06', 'KH7', 'flagship', 'regular', "
                            "'H1', '2026-06-02', '5.25')")     # stored as text, by hand: still counted
        frame = _purchases()
        frame.loc[len(frame)] = ["2026-06", "KH7", "flagship", "regular", "H1", pd.Timestamp("2026-06-02"),
                                 Decimal("5.25")]
        sql, expected = LedgerPurchases(ledger.conn, "9999-99"), FramePurchases(frame)
        stores, customers = ["flagship", "modern"], [*CUSTOMERS, "KH7", "KH9"]
        for since, before in (("2025-10", "2026-10"), ("", "2026-10"), ("2026-03", "2026-07"), ("2027-01", "2027-12")):
            assert _sorted(sql.spend(since, before, stores, customers)) == \
                _sorted(expected.spend(since, before, stores, customers))
            assert _sorted(sql.orders(since, before, stores, customers)) == \
                _sorted(expected.orders(since, before, stores, customers))
        # the rows are found by the key (owner, month, store type), never by a scan of the table
        keys = sql._keys("2025-10", "2026-10", stores)
        plan = " ".join(str(r[-1]) for r in ledger.conn.execute(
            "EXPLAIN QUERY PLAN SELECT * FROM vip_purchase_rows p WHERE " + _keyed(), keys))
        assert "SEARCH p USING PRIMARY KEY (owner=? AND period=? AND store_type=?)" in plan, plan
        assert "SCAN p" not in plan, plan
    finally:
        ledger.close()


def _keyed() -> str:
    from csbatch.ledger import vip_reads
    return vip_reads._KEYED
