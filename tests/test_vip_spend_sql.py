"""Round 8: trailing spend summed per month in the table's key order, the asked customers kept by a
TEMP table, and a float sum marking a group that holds an amount cents cannot hold. Held here to
the query it replaced (`_old_spend`, copied from round 7) and to the frame of every purchase, on
odd values: refunds and negative rows, months outside the window, history imports beside a close,
a superseded close, hand edits stored as text, three decimals, an exponent, `-0.00`, sums that
cancel to zero, IDs that look like numbers."""

from __future__ import annotations

import json
from decimal import Decimal

import pandas as pd

from csbatch.ledger import Ledger, compact
from csbatch.ledger.vip_reads import _KEYED, _PLAIN, ZERO, LedgerPurchases, _nothing_keyed
from csbatch.vip.model import PURCHASE_COLUMNS
from csbatch.vip.purchases import FramePurchases

ROWS = [  # period, customer, store type, order, order date, amount
    ("2025-09", "K1", "flagship", "H0", "2025-09-03", "900"),          # before the window
    ("2025-11", "K1", "flagship", "H1", "2025-11-10", "40000"),
    ("2025-12", "K1", "flagship", "H2", "2025-12-11", "688.5"),
    ("2026-01", "K1", "modern", "H3", "2026-01-02", "30000.00"),
    ("2026-02", "K1", "flagship", "H1", "2025-11-10", "-40000"),        # a refund of an earlier month
    ("2026-02", "K2", "flagship", "H4", "2026-02-01", "0.125"),         # more than cents hold
    ("2026-03", "K2", "flagship", "H5", "2026-03-01", "1E+2"),          # an exponent
    ("2026-03", "K2", "flagship", "H6", "2026-03-02", "-0.00"),         # no integer keeps the sign
    ("2026-03", "K2", "modern", "H9", "2026-03-02", "19.99"),           # plain, beside K2's odd flagship
    ("2026-04", "K3", "flagship", "H7", "2026-04-05", "12.30"),
    ("2026-04", "K3", "online", "H8", "2026-04-06", "5000"),            # not a programme's store
    ("2026-05", "K3", "flagship", "H7", "2026-04-05", "-12.30"),        # cancels to zero
    ("2026-05", "1041", "flagship", "HB", "2026-05-01", "0.01"),        # an ID that is only a number
    ("2026-06", "0042", "modern", "HC", "2026-06-01", "-7.5"),          # a leading zero: stored as text
    ("2026-06", "K4", "modern", "HD", "2026-06-02", "0.0000001"),       # seven decimals, odd
    ("2026-07", "K4", "modern", "HE", "2026-07-02", "99999999999999"),  # beyond the cents bound
    ("2026-10", "K1", "flagship", "HA", "2026-10-01", "77"),            # the month being closed
]
CUSTOMERS = ["K1", "K2", "K3", "K4", "K9", "1041", "0042"]
STORES = ["flagship", "modern"]
WINDOWS = [("2025-11", "2026-10"), ("", "2026-10"), ("2026-03", "2026-05"), ("2026-08", "2026-10"),
           ("2026-02", "2026-03")]


def _frame(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["period", "customer_id", "store_type", "order_id", "order_date", "amount"])
    frame["order_date"] = pd.to_datetime(frame["order_date"])
    frame["category"] = "regular"
    frame["amount"] = frame["amount"].map(Decimal)
    return frame[PURCHASE_COLUMNS]


def _old_spend(sql: LedgerPurchases, since: str, before: str, stores: list[str], customers: list[str]) -> list:
    """Round 7's query and sums (every row filtered by a JSON list, one sort of all of them)."""
    keys = sql._keys(since, before, stores)
    if "[]" in keys:
        return []
    forms, refs = sql._refs(customers)
    sums: dict[tuple[str, str], list] = {}
    for ref, store, cents, odd in sql.conn.execute(
            f"""SELECT p.customer_ref, s.text, SUM(CASE WHEN {_PLAIN} THEN (p.amount >> 3) *
                       (CASE p.amount & 7 WHEN 0 THEN 100 WHEN 1 THEN 10 ELSE 1 END) END), SUM(NOT {_PLAIN})
                FROM vip_purchase_rows p JOIN ledger_keys s ON s.key = p.store_type
                WHERE {_KEYED} AND +p.customer_ref IN (SELECT value FROM json_each(?))
                GROUP BY p.customer_ref, p.store_type""", (*keys, refs)):
        found = sums.setdefault((forms[ref], store), [0, 0, []])
        found[0] += cents or 0
        found[1] += odd
        found[2].append(ref)
    out = []
    for (cid, store), (cents, odd, same) in sorted(sums.items()):
        if odd:
            found = sql.conn.execute(
                f"""SELECT {compact.amount_sql('p.amount')} FROM vip_purchase_rows p
                    JOIN ledger_keys s ON s.key = p.store_type
                    WHERE {_KEYED} AND s.text = ? AND +p.customer_ref IN (SELECT value FROM json_each(?))""",
                (*keys, store, json.dumps(same))).fetchall()
            amount = sum((Decimal(a) for (a,) in found), ZERO)
        else:
            amount = ZERO + Decimal(cents).scaleb(-2)
        out.append((cid, store, str(amount)))
    return out


def _rows(frame: pd.DataFrame) -> list:
    return list(zip(frame["customer_id"], frame["store_type"], map(str, frame["amount"])))


def _check(ledger: Ledger, every: pd.DataFrame) -> None:
    sql, reference = LedgerPurchases(ledger.conn, "9999-99"), FramePurchases(every)
    for since, before in WINDOWS:
        for customers in (CUSTOMERS, CUSTOMERS[::-1], ["K2"], []):
            new = sql.spend(since, before, STORES, customers)
            assert _rows(new) == _old_spend(sql, since, before, STORES, customers)
            assert sorted(_rows(new)) == sorted(_rows(reference.spend(since, before, STORES, customers)))
            assert all(type(a) is Decimal for a in new["amount"])


def test_new_spend_sums_as_the_old_query_and_the_frame(tmp_path):
    ledger = Ledger(tmp_path / "l.sqlite")
    try:
        ledger.import_purchases("imp1", "h.xlsx", "0" * 64, _frame(ROWS[:9]))
        ledger.import_purchases("imp2", "h2.xlsx", "1" * 64, _frame(ROWS[9:]))     # two owners, same customers
        _check(ledger, _frame(ROWS))
        spent = LedgerPurchases(ledger.conn, "9999-99").spend("2025-11", "2026-10", STORES, CUSTOMERS)
        assert _rows(spent) == [
            ("0042", "modern", "-7.50"), ("1041", "flagship", "0.01"), ("K1", "flagship", "688.50"),
            ("K1", "modern", "30000.00"), ("K2", "flagship", "100.125"), ("K2", "modern", "19.99"),
            ("K3", "flagship", "0.00"), ("K4", "modern", "99999999999999.0000001")]
    finally:
        ledger.close()


def test_hand_edits_and_sources_no_longer_live(tmp_path):
    """A row put in through the view is stored as its text (`K1`, not K1's number): it is the same
    customer's, summed with the rest; a source no longer live is never counted."""
    ledger = Ledger(tmp_path / "l.sqlite")
    try:
        ledger.import_purchases("imp1", "h.xlsx", "0" * 64, _frame(ROWS))
        edits = [("imp1", "2026-03", "K1", "flagship", "regular", "HX", "2026-03-01", "5"),
                 ("imp1", "2026-04", "K3", "flagship", "regular", "HY", "2026-04-01", "2.5"),
                 ("imp1", "2026-04", "K9", "modern", "regular", "HZ", "2026-04-01", "3.000"),
                 ("gone", "2026-03", "K1", "flagship", "regular", "HW", "2026-03-01", "1000")]
        ledger.conn.executemany("INSERT INTO vip_purchases VALUES (?, ?, ?, ?, ?, ?, ?, ?)", edits)
        kinds = ledger.conn.execute("SELECT DISTINCT typeof(customer_ref) FROM vip_purchase_rows").fetchall()
        assert ("text",) in kinds and ("integer",) in kinds
        sql = LedgerPurchases(ledger.conn, "9999-99")
        for since, before in WINDOWS:
            assert _rows(sql.spend(since, before, STORES, CUSTOMERS)) == \
                _old_spend(sql, since, before, STORES, CUSTOMERS)
        spent = {(c, s): a for c, s, a in _rows(sql.spend("2025-11", "2026-10", STORES, ["K1", "K3"]))}
        assert spent[("K1", "flagship")] == "693.50" and spent[("K3", "flagship")] == "2.50"
        assert _rows(sql.spend("2026-04", "2026-05", STORES, ["K9"])) == [("K9", "modern", "3.000")]
    finally:
        ledger.close()


def test_the_temp_table_is_left_empty_and_a_first_close_asks_nothing(tmp_path):
    ledger = Ledger(tmp_path / "l.sqlite")
    try:
        sql = LedgerPurchases(ledger.conn, "9999-99")
        assert sql.spend("2025-11", "2026-10", STORES, CUSTOMERS).empty
        ledger.import_purchases("imp1", "h.xlsx", "0" * 64, _frame(ROWS))
        assert not sql.spend("2025-11", "2026-10", STORES, CUSTOMERS).empty
        assert ledger.conn.execute("SELECT count(*) FROM temp.spend_refs").fetchone() == (0,)
    finally:
        ledger.close()


def test_orders_asked_twice_read_the_refunds_once_and_answer_as_fresh(tmp_path):
    """`orders` keeps each window's refunded orders (the close asks for card holders, then for new
    cards): a second question on the same window answers as a fresh reader and as the frame do."""
    ledger = Ledger(tmp_path / "l.sqlite")
    try:
        ledger.import_purchases("imp1", "h.xlsx", "0" * 64, _frame(ROWS))
        sql, reference = LedgerPurchases(ledger.conn, "9999-99"), FramePurchases(_frame(ROWS))
        columns = [*PURCHASE_COLUMNS, "refunded"]
        for since, before in WINDOWS:
            for customers in (["K1"], ["K3", "K2"], CUSTOMERS):
                again = sql.orders(since, before, STORES, customers)
                fresh = LedgerPurchases(ledger.conn, "9999-99").orders(since, before, STORES, customers)
                assert again.astype(str).values.tolist() == fresh.astype(str).values.tolist()
                assert sorted(map(tuple, again[columns].astype(str).values.tolist())) == \
                    sorted(map(tuple, reference.orders(since, before, STORES, customers)[columns].astype(str).values.tolist()))
        assert len(sql._refunded) == len(WINDOWS)
        held = sql.orders("2025-11", "2026-10", STORES, ["K3"])
        assert list(zip(held["order_id"], map(str, held["amount"]), held["refunded"])) == [
            ("H7", "12.30", True), ("H7", "-12.30", True)]
    finally:
        ledger.close()


def test_nothing_keyed_when_any_key_list_is_empty():
    """A first close (no live owner, month or store type yet) sums nothing; any key present sums."""
    assert _nothing_keyed(("[]", "[3]", "[4]"))
    assert _nothing_keyed(("[1]", "[]", "[4]"))
    assert _nothing_keyed(("[1]", "[3]", "[]"))
    assert not _nothing_keyed(("[1]", "[3, 5]", "[4]"))
