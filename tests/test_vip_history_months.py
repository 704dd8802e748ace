"""Round 12: trailing spend and earlier orders on a ledger of three months (one owner each), as a
close's second and third months read them. Trailing spend asks the database for one stored form
per customer and keeps the groups of customers stored as the text of a numbered ID (hand edits);
earlier orders are looked up by key per customer. Held to sums of the purchases in Python (exact
Decimals) and to round 11's scan of the window for orders, row for row: hand-edited rows, amounts
cents cannot hold (two of them summing to a whole float beside a plain sum of the same cents),
IDs stored as text, asked and not asked."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from csbatch.ledger import Ledger, compact
from csbatch.ledger.vip_reads import _KEYED, ZERO, LedgerPurchases
from csbatch.vip.model import PURCHASE_COLUMNS

MONTHS = {  # owner → rows: customer, store type, order, order date, amount
    "2026-08": [("K1", "flagship", "A1", "2026-08-01", "120.00"), ("K2", "modern", "A2", "2026-08-02", "0.125"),
                ("K3", "flagship", "A3", "2026-08-03", "99999999999999"), ("0042", "modern", "A4", "2026-08-04", "7.5"),
                ("ABC", "flagship", "A5", "2026-08-05", "10"), ("0077", "flagship", "A6", "2026-08-06", "3")],
    "2026-09": [("K1", "flagship", "B1", "2026-09-01", "30.10"), ("K1", "modern", "B2", "2026-09-02", "1E+2"),
                ("K4", "flagship", "B3", "2026-09-03", "0.01"),          # 1 cent: a plain sum of 1
                ("K5", "flagship", "B4", "2026-09-04", "0.125"),         # two rows cents cannot hold ...
                ("K5", "flagship", "B5", "2026-09-05", "0.875"),         # ... marked 0.5 each: a sum of 1.0
                ("K2", "modern", "A2", "2026-08-02", "-0.125"),          # a refund of an earlier month
                ("K6", "modern", "B6", "2026-09-06", "-0.00")],
    "2026-10": [("K1", "flagship", "C1", "2026-10-01", "5.55"), ("K4", "flagship", "C2", "2026-10-02", "2.5"),
                ("ABC", "flagship", "C3", "2026-10-03", "0.0000001"), ("K3", "modern", "C4", "2026-10-04", "1.999")],
}
EDITS = [  # through the view: stored as the text given
    ("2026-09", "2026-09", "K1", "flagship", "regular", "BX", "2026-09-09", "4.45"),    # K1, as text
    ("2026-10", "2026-10", "K5", "flagship", "regular", "CX", "2026-10-09", "1.000"),
    ("2026-10", "2026-10", "Z9", "modern", "regular", "CY", "2026-10-09", "8"),          # not asked
    ("2026-09", "2026-09", "0077", "flagship", "regular", "BY", "2026-09-09", "6"),      # not asked
]
ASKED = ["K1", "K2", "K3", "K4", "K5", "K6", "K7", "0042", "ABC"]
STORES = ["flagship", "modern"]
WINDOWS = [("2025-11", "2026-11"), ("2026-09", "2026-11"), ("2025-10", "2026-10"), ("2026-10", "2026-11")]


def _ledger(tmp_path) -> Ledger:
    ledger = Ledger(tmp_path / "l.sqlite")
    for period, rows in MONTHS.items():
        frame = pd.DataFrame([(period, c, s, "regular", o, pd.Timestamp(d), Decimal(a)) for c, s, o, d, a in rows],
                             columns=PURCHASE_COLUMNS)
        ledger.import_purchases(period, f"{period}.xlsx", period[-1] * 64, frame)
    ledger.conn.executemany("INSERT INTO vip_purchases VALUES (?, ?, ?, ?, ?, ?, ?, ?)", EDITS)
    return ledger


def _every() -> list[tuple[str, str, str, str]]:
    """period, customer, store type, amount of every purchase, edits included."""
    return ([(p, c, s, a) for p, rows in MONTHS.items() for c, s, _, _, a in rows]
            + [(p, c, s, a) for _, p, c, s, _, _, _, a in EDITS])


def _python_spend(since: str, before: str, customers: list[str]) -> list[tuple[str, str, str]]:
    sums: dict[tuple[str, str], Decimal] = {}
    for period, customer, store, amount in _every():
        if since <= period < before and store in STORES and customer in customers:
            sums[customer, store] = sums.get((customer, store), ZERO) + Decimal(amount)
    return sorted((c, s, str(a)) for (c, s), a in sums.items())


def _scan_orders(sql: LedgerPurchases, since: str, before: str, customers: list[str]) -> list:
    """Round 11's read of earlier orders: every row of the window, filtered by the forms."""
    keys = sql._keys(since, before, STORES)
    _, refs = sql._refs(customers)
    return sql.conn.execute(
        f"""SELECT pe.text, {compact.id_sql('p.customer_ref')}, s.text, k.text, {compact.id_sql('p.order_ref')},
                   {compact.day_sql('p.order_date')}, {compact.amount_sql('p.amount')}
            FROM vip_purchase_rows p JOIN ledger_keys pe ON pe.key = p.period
                 JOIN ledger_keys s ON s.key = p.store_type JOIN ledger_keys k ON k.key = p.category
            WHERE {_KEYED} AND +p.customer_ref IN (SELECT value FROM json_each(?))
            ORDER BY 1, 6, 5""", (*keys, refs)).fetchall()


def test_trailing_spend_over_three_months_is_the_python_sum(tmp_path):
    ledger = _ledger(tmp_path)
    try:
        kinds = dict(ledger.conn.execute("SELECT typeof(customer_ref), count(*) FROM vip_purchase_rows GROUP BY 1"))
        assert kinds["text"] == 6 and kinds["integer"] >= 10      # hand edits and unnumbered IDs beside numbers
        sql = LedgerPurchases(ledger.conn, "2026-11")
        for since, before in WINDOWS:
            for customers in (ASKED, ASKED[::-1], ["K5", "K4"], ["K1"], ["ABC", "0042"], []):
                got = sql.spend(since, before, STORES, customers)
                assert all(type(a) is Decimal for a in got["amount"])
                rows = list(zip(got["customer_id"], got["store_type"], map(str, got["amount"])))
                assert rows == _python_spend(since, before, customers), (since, before, customers)
        spent = {(c, s): str(a) for c, s, a in sql.spend("2025-11", "2026-11", STORES, ASKED).itertuples(index=False)}
        assert spent[("K5", "flagship")] == "2.000"     # 0.125 + 0.875 + 1.000, not a cent read off the marks
        assert spent[("K4", "flagship")] == "2.51"
        assert spent[("K1", "flagship")] == "160.10"    # the hand-edited row of K1 counted with the rest
        assert ("Z9", "modern") not in spent and ("0077", "flagship") not in spent
        assert ledger.conn.execute("SELECT count(*) FROM temp.spend_refs").fetchone() == (0,)
    finally:
        ledger.close()


def test_earlier_orders_looked_up_by_key_answer_as_the_scan(tmp_path):
    ledger = _ledger(tmp_path)
    try:
        for since, before in WINDOWS:
            for customers in (ASKED, ASKED[::-1], ["K5"], ["K1", "0077"], []):
                sql = LedgerPurchases(ledger.conn, "2026-11")
                got = sql.orders(since, before, STORES, customers)
                want = _scan_orders(sql, since, before, customers)
                assert list(zip(got["period"], got["customer_id"], got["store_type"], got["category"],
                                got["order_id"], got["order_date"].dt.strftime("%Y-%m-%d"),
                                map(str, got["amount"]))) == want
        held = LedgerPurchases(ledger.conn, "2026-11").orders("2025-11", "2026-11", STORES, ["K2", "K1"])
        assert dict(zip(held["order_id"], held["refunded"])) == {
            "A1": False, "A2": True, "B1": False, "B2": False, "BX": False, "C1": False}
        assert ledger.conn.execute("SELECT count(*) FROM temp.order_refs").fetchone() == (0,)
    finally:
        ledger.close()
