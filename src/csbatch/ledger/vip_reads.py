"""What the VIP stage asks of the ledger's earlier purchases (`vip.model.EarlierPurchases`), in
SQL: a close no longer loads every purchase of every month. Spend is a sum per customer and
store type over the trailing months, in integer cents; rows come back only for the customers
whose cards look back at their orders (anniversaries, maintenance reminders).

Every query here reads the purchases of live sources (closes not superseded, history imports),
periods `since` <= period < `before` (and before the ledger's own limit, for what-if), by the key
of `vip_purchase_rows` (owner, period, store type, customer: migration 8), so its cost follows the
months and customers asked for, not the months the ledger holds. An amount is stored as
`unscaled × 8 + decimals` (`ledger.compact`); `_PLAIN` ones (at most two decimals) are summed
as integer cents, and a group with any other form as Decimals of the exact text instead."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection
from decimal import Decimal
from typing import Any

import pandas as pd

from csbatch.ledger import compact

ZERO = Decimal("0.00")   # what a sum starts from (csbatch.vip.pricing.ZERO)

_LIVE = """(source IN (SELECT close_id FROM closes WHERE superseded = 0)
            OR source IN (SELECT import_id FROM vip_imports))"""
#: The rows of live owners, months and store types (`LedgerPurchases._keys`), by the table's key.
_KEYED = """p.owner IN (SELECT value FROM json_each(?)) AND p.period IN (SELECT value FROM json_each(?))
            AND p.store_type IN (SELECT value FROM json_each(?))"""
#: A stored amount (`compact.amount`: unscaled × 8 + decimals) that whole cents hold: at most two
#: decimals, under 10^13 (so that sums of millions stay within SQLite's integers); its cents.
_PLAIN = "(typeof(p.amount) = 'integer' AND (p.amount & 7) <= 2 AND abs(p.amount >> 3) < 10000000000000)"
_STORED_CENTS = "(p.amount >> 3) * (CASE p.amount & 7 WHEN 0 THEN 100 WHEN 1 THEN 10 ELSE 1 END)"
#: A row's cents when its amount is `_PLAIN`, else 0.5: SQLite's SUM of integers is an integer,
#: and a sum holding any other row is a float, which marks the group to sum as Decimals.
_CENTS_OR_MARK = f"(CASE WHEN {_PLAIN} THEN {_STORED_CENTS} ELSE 0.5 END)"


def _nothing_keyed(keys: tuple[str, str, str]) -> bool:
    """Whether one of `LedgerPurchases._keys`' JSON lists is empty: no live owner, no month or no
    store type in the ledger, so no purchase row can match (a first close asks this)."""
    return any(json.loads(k) == [] for k in keys)


class LedgerPurchases:
    """The ledger's purchases of months before `until`, asked for what a month needs."""

    def __init__(self, conn: sqlite3.Connection, until: str):
        self.conn = conn
        self.until = until
        #: the refunded orders of each window `orders` was asked about (the close asks twice: card
        #: holders, then new cards); an instance reads the ledger as one close sees it
        self._refunded: dict[tuple[str, str, str], set[str]] = {}

    def _range(self, since: str, before: str, stores: Collection[str]) -> tuple[str, str, str]:
        return since, min(before, self.until), json.dumps(sorted(stores))

    def _keys(self, since: str, before: str, stores: Collection[str]) -> tuple[str, str, str]:
        """The keys (`ledger_keys`, as JSON lists) of the live owners, of the months `since` <=
        period < `before` and of the store types: what `vip_purchase_rows` is keyed by first."""
        since, before, stores_json = self._range(since, before, stores)
        def keys(sql: str, *args: str) -> str:
            return json.dumps([k for (k,) in self.conn.execute(f"SELECT key FROM ledger_keys WHERE {sql}", args)])
        return (keys(_LIVE.replace("source", "text")), keys("text >= ? AND text < ?", since, before),
                keys("text IN (SELECT value FROM json_each(?))", stores_json))

    def _refs(self, customers: Collection[str]) -> tuple[dict[Any, str], str]:
        """Each customer's stored forms (its `compact.id_refs` and its text, as a hand edit stores
        it) → the customer, and those forms as a JSON list."""
        texts = [str(c) for c in customers]
        forms = {**dict(zip(texts, texts)), **dict(zip(compact.id_refs(self.conn, texts, add=False), texts))}
        return forms, json.dumps(list(forms))

    def spend(self, since: str, before: str, stores: Collection[str], customers: Collection[str]) -> pd.DataFrame:
        """Summed in SQL over the rows of the months, store types and customers asked for only
        (the table's key starts with them: migration 8): integer cents where every amount of a
        customer and store type is plain, else that group's amounts as Decimals. Each month's rows
        are summed per customer in the table's key order (no sort), the asked customers' sums kept
        (their stored forms in a TEMP table: one look-up per customer and month, not per row), then
        added up over the months; store types come back as keys, named here."""
        keys = self._keys(since, before, stores)
        if _nothing_keyed(keys):    # a first close: nothing to sum
            customers = ()
        forms, refs = self._refs(customers)
        named = dict(self.conn.execute(
            "SELECT key, text FROM ledger_keys WHERE key IN (SELECT value FROM json_each(?))", (keys[2],)))
        self.conn.execute("CREATE TEMP TABLE IF NOT EXISTS spend_refs (ref PRIMARY KEY) WITHOUT ROWID")
        try:
            self.conn.execute("DELETE FROM temp.spend_refs")
            self.conn.execute("INSERT OR IGNORE INTO temp.spend_refs SELECT value FROM json_each(?)", (refs,))
            found_rows = self.conn.execute(
                f"""SELECT customer_ref, store_type, SUM(cents) FROM (
                        SELECT p.customer_ref, p.store_type, SUM({_CENTS_OR_MARK}) AS cents
                        FROM vip_purchase_rows p WHERE {_KEYED}
                        GROUP BY p.owner, p.period, p.store_type, p.customer_ref
                        HAVING p.customer_ref IN temp.spend_refs)
                    GROUP BY customer_ref, store_type""", keys).fetchall()
        finally:
            self.conn.execute("DELETE FROM temp.spend_refs")
        sums: dict[tuple[str, str], int | float] = {}
        for ref, store, cents in found_rows:
            key = (forms[ref], named[store])
            # the same customer stored in two forms (a hand edit) adds up; a float marks the group
            sums[key] = sums[key] + cents if key in sums else cents
        ordered = sorted(sums)      # by customer and store type, sorted once
        amounts = [ZERO + Decimal(sums[key]).scaleb(-2) if type(sums[key]) is int else None for key in ordered]
        forms_of: dict[str, list[Any]] = {}
        for i, key in enumerate(ordered):
            if amounts[i] is None:  # a form cents cannot hold: the group's amounts as Decimals
                if not forms_of:
                    for form, customer in forms.items():
                        forms_of.setdefault(customer, []).append(form)
                found = self.conn.execute(
                    f"""SELECT {compact.amount_sql('p.amount')} FROM vip_purchase_rows p
                        JOIN ledger_keys s ON s.key = p.store_type
                        WHERE {_KEYED} AND s.text = ? AND +p.customer_ref IN (SELECT value FROM json_each(?))""",
                    (*keys, key[1], json.dumps(forms_of[key[0]]))).fetchall()
                amounts[i] = sum((Decimal(a) for (a,) in found), ZERO)
        return pd.DataFrame({"customer_id": pd.Series([k[0] for k in ordered], dtype=object),
                             "store_type": pd.Series([k[1] for k in ordered], dtype=object),
                             "amount": pd.Series(amounts, dtype=object)})

    def orders(self, since: str, before: str, stores: Collection[str], customers: Collection[str]) -> pd.DataFrame:
        from csbatch.vip.model import PURCHASE_COLUMNS

        keys = self._keys(since, before, stores)
        _, refs = self._refs(customers)
        refunds = self._refunded.get(keys)
        if refunds is None:
            refunds = self._refunded[keys] = {o for (o,) in self.conn.execute(
                f"""SELECT {compact.id_sql('p.order_ref')} FROM vip_purchase_rows p
                    WHERE {_KEYED} AND (CASE WHEN typeof(p.amount) = 'integer' THEN p.amount < 0
                                             ELSE p.amount LIKE '-%' AND p.amount GLOB '*[1-9]*' END)""", keys)}
        rows = self.conn.execute(
            f"""SELECT pe.text, {compact.id_sql('p.customer_ref')}, s.text, k.text, {compact.id_sql('p.order_ref')},
                       {compact.day_sql('p.order_date')}, {compact.amount_sql('p.amount')}
                FROM vip_purchase_rows p JOIN ledger_keys pe ON pe.key = p.period
                     JOIN ledger_keys s ON s.key = p.store_type JOIN ledger_keys k ON k.key = p.category
                WHERE {_KEYED} AND +p.customer_ref IN (SELECT value FROM json_each(?))
                ORDER BY 1, 6, 5""", (*keys, refs)).fetchall()
        out = pd.DataFrame(rows, columns=PURCHASE_COLUMNS)
        out["amount"] = pd.Series([Decimal(r[6]) for r in rows], dtype=object)
        out["order_date"] = pd.to_datetime(out["order_date"])
        out["refunded"] = pd.Series([r[4] in refunds for r in rows], dtype=bool)
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
