"""The ledger's earlier orders (`LedgerPurchases.orders`) read a chunk of rows at a time, each
repeated month, store type, category, day and amount one object: with a year of history at 1M,
next month's care reminders read 324k orders, all fetched at once and a Decimal made per row
(~240 MiB at a time, most of it kept by the process after)."""

from __future__ import annotations

import pandas as pd
import pytest

from csbatch.ledger import vip_reads
from csbatch.ledger.store import Ledger
from csbatch.ledger.vip_reads import LedgerPurchases
from test_ledger_purchases_keyed import CUSTOMERS, _purchases, _sorted

STORES = ["flagship", "modern", "online"]


@pytest.fixture
def ledger(tmp_path):
    ledger = Ledger(tmp_path / "l.sqlite")
    ledger.import_purchases("imp1", "h.xlsx", "0" * 64, _purchases())
    yield ledger
    ledger.close()


def test_chunks_of_any_size_give_the_same_orders(ledger, monkeypatch):
    whole = LedgerPurchases(ledger.conn, "9999-99").orders("2025-09", "2026-10", STORES, CUSTOMERS)
    assert len(whole) > 10
    for size in (1, 3, 7):
        monkeypatch.setattr(vip_reads, "_ORDER_CHUNK", size)
        chunked = LedgerPurchases(ledger.conn, "9999-99").orders("2025-09", "2026-10", STORES, CUSTOMERS)
        pd.testing.assert_frame_equal(chunked, whole)
        assert _sorted(chunked) == _sorted(whole)


def test_a_repeated_value_is_one_object(ledger, monkeypatch):
    monkeypatch.setattr(vip_reads, "_ORDER_CHUNK", 4)     # shared across chunks too
    found = LedgerPurchases(ledger.conn, "9999-99").orders("2025-09", "2026-10", STORES, CUSTOMERS)
    for column in ("amount", "customer_id", "store_type", "category", "period"):
        values = found[column].tolist()
        assert len({id(v) for v in values}) == len({str(v) for v in values}) < len(values), column
