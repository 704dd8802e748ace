"""What the VIP stage asks of the ledger's earlier purchases (`vip.model.EarlierPurchases`), in
SQL: a close no longer loads every purchase of every month. Spend is a sum per customer and
store type over the trailing months, in integer cents; rows come back only for the customers
whose cards look back at their orders (anniversaries, maintenance reminders).

Every query here reads `vip_purchases` of live sources (closes not superseded, history imports),
periods `since` <= period < `before` (and before the ledger's own limit, for what-if), through
the period index, so its cost follows the months asked for, not the months the ledger holds.
`amount` is the text of a Decimal today; `_CENTS` turns the plain forms (at most two decimals)
into integer cents, and a group with any other form is summed as Decimals instead."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection
from decimal import Decimal

import pandas as pd

ZERO = Decimal("0.00")   # what a sum starts from (csbatch.vip.pricing.ZERO)

_LIVE = """(source IN (SELECT close_id FROM closes WHERE superseded = 0)
            OR source IN (SELECT import_id FROM vip_imports))"""
_WHERE = f"""period >= ? AND period < ? AND {_LIVE}
             AND store_type IN (SELECT value FROM json_each(?))"""
_DECIMALS = "(CASE instr(amount, '.') WHEN 0 THEN 0 ELSE length(amount) - instr(amount, '.') END)"
_CENTS = f"CAST(replace(amount, '.', '') AS INTEGER) * (CASE {_DECIMALS} WHEN 0 THEN 100 WHEN 1 THEN 10 ELSE 1 END)"
_ODD = f"(amount GLOB '*[^0-9.-]*' OR amount NOT GLOB '*[0-9]*' OR length(amount) > 18 OR {_DECIMALS} > 2)"
_NEGATIVE = "(amount LIKE '-%' AND amount GLOB '*[1-9]*')"   # Decimal(amount) < 0 (-0.00 is not)


class LedgerPurchases:
    """The ledger's purchases of months before `until`, asked for what a month needs."""

    def __init__(self, conn: sqlite3.Connection, until: str):
        self.conn = conn
        self.until = until

    def _range(self, since: str, before: str, stores: Collection[str]) -> tuple[str, str, str]:
        return since, min(before, self.until), json.dumps(sorted(stores))

    def spend(self, since: str, before: str, stores: Collection[str], customers: Collection[str]) -> pd.DataFrame:
        where = f"{_WHERE} AND customer_id IN (SELECT value FROM json_each(?))"
        args = (*self._range(since, before, stores), json.dumps(sorted(customers)))
        rows = self.conn.execute(
            f"""SELECT customer_id, store_type, SUM({_CENTS}), MAX({_ODD}) FROM vip_purchases
                WHERE {where} GROUP BY customer_id, store_type ORDER BY customer_id, store_type""", args).fetchall()
        amounts = []
        for cid, store, cents, odd in rows:
            if odd:     # a form cents cannot hold: the group's amounts as Decimals
                found = self.conn.execute(f"SELECT amount FROM vip_purchases WHERE {where} AND customer_id = ? "
                                          "AND store_type = ?", (*args, cid, store)).fetchall()
                amounts.append(sum((Decimal(a) for (a,) in found), ZERO))
            else:
                amounts.append(ZERO + Decimal(cents).scaleb(-2))
        return pd.DataFrame({"customer_id": pd.Series([r[0] for r in rows], dtype=object),
                             "store_type": pd.Series([r[1] for r in rows], dtype=object),
                             "amount": pd.Series(amounts, dtype=object)})

    def orders(self, since: str, before: str, stores: Collection[str], customers: Collection[str]) -> pd.DataFrame:
        from csbatch.vip.model import PURCHASE_COLUMNS

        ranged = self._range(since, before, stores)
        rows = self.conn.execute(
            f"""SELECT period, customer_id, store_type, category, order_id, order_date, amount,
                       order_id IN (SELECT order_id FROM vip_purchases WHERE {_WHERE} AND {_NEGATIVE})
                FROM vip_purchases WHERE {_WHERE} AND customer_id IN (SELECT value FROM json_each(?))
                ORDER BY period, order_date, order_id""", (*ranged, *ranged, json.dumps(sorted(customers)))).fetchall()
        out = pd.DataFrame([r[:7] for r in rows], columns=PURCHASE_COLUMNS)
        out["amount"] = pd.Series([Decimal(r[6]) for r in rows], dtype=object)
        out["order_date"] = pd.to_datetime(out["order_date"])
        out["refunded"] = pd.Series([bool(r[7]) for r in rows], dtype=bool)
        return out

    def frame(self) -> pd.DataFrame:
        from csbatch.vip.model import PURCHASE_COLUMNS

        purchases = pd.DataFrame(self.conn.execute(
            f"""SELECT period, customer_id, store_type, category, order_id, order_date, amount
                FROM vip_purchases WHERE {_LIVE} AND period < ?
                ORDER BY period, order_date, order_id""", (self.until,)).fetchall(), columns=PURCHASE_COLUMNS)
        purchases["amount"] = purchases["amount"].map(Decimal)
        purchases["order_date"] = pd.to_datetime(purchases["order_date"])
        return purchases
