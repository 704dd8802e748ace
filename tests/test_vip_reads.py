"""The ledger's SQL answers about earlier purchases (`ledger.vip_reads`) are the answers the frame
of every purchase gives (`vip.purchases.FramePurchases`, what the VIP stage used to compute from):
the same sums to the last decimal place shown, the same orders, the same refunds."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from csbatch.ledger import Ledger
from csbatch.ledger.vip_reads import LedgerPurchases
from csbatch.vip.model import PURCHASE_COLUMNS
from csbatch.vip.purchases import FramePurchases

ROWS = [  # period, customer, store type, order, order date, amount
    ("2025-09", "K1", "flagship", "H0", "2025-09-03", "900"),          # before the window asked for
    ("2025-11", "K1", "flagship", "H1", "2025-11-10", "40000"),
    ("2025-12", "K1", "flagship", "H2", "2025-12-11", "688.5"),
    ("2026-01", "K1", "modern", "H3", "2026-01-02", "30000.00"),
    ("2026-02", "K1", "flagship", "H1", "2025-11-10", "-40000"),        # H1 refunded later
    ("2026-02", "K2", "flagship", "H4", "2026-02-01", "0.125"),         # more than cents hold
    ("2026-03", "K2", "flagship", "H5", "2026-03-01", "1E+2"),          # an exponent
    ("2026-03", "K2", "flagship", "H6", "2026-03-02", "-0.00"),         # not a refund
    ("2026-04", "K3", "flagship", "H7", "2026-04-05", "12.30"),
    ("2026-04", "K3", "online", "H8", "2026-04-06", "5000"),            # not a programme's store
    ("2026-05", "K1", "flagship", "H7", "2026-04-05", "-12.30"),        # refunds K3's H7, reported on K1
    ("2026-10", "K1", "flagship", "HA", "2026-10-01", "77"),            # the month being closed
]


def _frame() -> pd.DataFrame:
    frame = pd.DataFrame(ROWS, columns=["period", "customer_id", "store_type", "order_id", "order_date", "amount"])
    frame["order_date"] = pd.to_datetime(frame["order_date"])
    frame["category"] = "regular"
    frame["amount"] = frame["amount"].map(Decimal)
    return frame[PURCHASE_COLUMNS]


def _sorted(frame: pd.DataFrame, by: list[str]) -> list[tuple]:
    return sorted(tuple(str(v) for v in row) for row in frame[by].itertuples(index=False))


def test_the_ledger_sums_and_orders_as_the_frame_does(tmp_path):
    ledger = Ledger(tmp_path / "l.sqlite")
    try:
        ledger.import_purchases("imp1", "h.xlsx", "0" * 64, _frame())
        ledger.conn.execute("INSERT INTO vip_purchases VALUES ('gone', '2026-03', 'K1', 'flagship', 'regular', "
                            "'HX', '2026-03-01', '5')")          # a source no longer live: never counted
        sql, frame = LedgerPurchases(ledger.conn, "9999-99"), FramePurchases(_frame())
        stores, customers = ["flagship", "modern"], ["K1", "K2", "K3", "K9"]
        for since, before in (("2025-11", "2026-10"), ("", "2026-10"), ("2026-03", "2026-05")):
            columns = ["customer_id", "store_type", "amount"]
            assert _sorted(sql.spend(since, before, stores, customers), columns) == \
                _sorted(frame.spend(since, before, stores, customers), columns)
            columns = [*PURCHASE_COLUMNS, "refunded"]
            assert _sorted(sql.orders(since, before, stores, customers), columns) == \
                _sorted(frame.orders(since, before, stores, customers), columns)
        spent = sql.spend("2025-11", "2026-10", stores, ["K1", "K2"])
        assert _sorted(spent, ["customer_id", "store_type", "amount"]) == [
            ("K1", "flagship", "676.20"), ("K1", "modern", "30000.00"), ("K2", "flagship", "100.125")]
        orders = sql.orders("2025-11", "2026-10", stores, ["K3"])
        assert list(zip(orders["order_id"], orders["refunded"])) == [("H7", True)]
        assert len(LedgerPurchases(ledger.conn, "2026-03").frame()) == 6
    finally:
        ledger.close()


def test_spend_comes_sorted_and_a_ledger_without_purchases_sums_nothing(tmp_path):
    """Round 5: the sums come back by customer and store type (what `Spend` adds them in), and a
    ledger with no live purchases of the months asked (a first close) asks nothing of them."""
    ledger = Ledger(tmp_path / "l.sqlite")
    try:
        stores, customers = ["flagship", "modern"], ["K3", "K1", "K2", "K9"]
        empty = LedgerPurchases(ledger.conn, "9999-99").spend("2025-11", "2026-10", stores, customers)
        assert empty.empty and list(empty.columns) == ["customer_id", "store_type", "amount"]
        ledger.import_purchases("imp1", "h.xlsx", "0" * 64, _frame())
        spent = LedgerPurchases(ledger.conn, "9999-99").spend("2025-11", "2026-10", stores, customers)
        keys = list(zip(spent["customer_id"], spent["store_type"]))
        assert keys == sorted(keys) == [("K1", "flagship"), ("K1", "modern"), ("K2", "flagship"), ("K3", "flagship")]
        assert LedgerPurchases(ledger.conn, "9999-99").spend("2027-01", "2027-02", stores, customers).empty
    finally:
        ledger.close()
