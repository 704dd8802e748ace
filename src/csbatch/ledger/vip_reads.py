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
from itertools import compress
from operator import itemgetter
from typing import Any

import numpy as np
import pandas as pd

from csbatch.grouping import Once
from csbatch.ledger import compact
from csbatch.money import ZERO_CENTS as ZERO  # what a sum starts from, as in csbatch.vip.pricing
from csbatch.vip.model import PURCHASE_COLUMNS, SpendCents

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
#: A customer stored as the text of an ID that `compact.id_refs` stores as a number (a hand edit
#: through the view): such an ID ends in a digit. Trailing spend asks the database for the
#: customers' `id_refs` forms only (half the TEMP table of both forms) and keeps these groups
#: too, matched to the asked customers in Python.
_DIGIT_TEXT = "(typeof(p.customer_ref) = 'text' AND p.customer_ref GLOB '*[0-9]')"


#: The rows of the asked customers (`temp.order_refs`: both stored forms of each) in the live
#: owners' months and store types, found by the table's key: each (owner, month, store type,
#: customer) looked up, in the order a scan of the key meets them (every list ascending, as
#: SQLite walks an IN list: the rows of equal sort keys come out as before), not the window's
#: rows scanned for the few customers asked. Only the (owner, month) pairs that hold rows are
#: asked (`LedgerPurchases._held`, as [owner, month] lists, ascending; `json_extract`, not `->>`,
#: which SQLite before 3.38 does not know): an owner holds one month
#: or a few, so every other pair was a look-up per customer that found nothing (with a year of
#: history imported and 90k card holders, 2.9 of the query's 3.8 s). Sorted by month, day and
#: order as before.
_ORDERS = f"""
    SELECT pe.text, {compact.id_sql('p.customer_ref')}, s.text, k.text, {compact.id_sql('p.order_ref')},
           {compact.day_sql('p.order_date')}, {compact.amount_sql('p.amount')}
    FROM json_each(?) om CROSS JOIN json_each(?) t CROSS JOIN temp.order_refs r
         CROSS JOIN vip_purchase_rows p ON p.owner = json_extract(om.value, '$[0]')
                                           AND p.period = json_extract(om.value, '$[1]')
                                           AND p.store_type = t.value AND p.customer_ref = r.ref
         JOIN ledger_keys pe ON pe.key = p.period JOIN ledger_keys s ON s.key = p.store_type
         JOIN ledger_keys k ON k.key = p.category
    ORDER BY 1, 6, 5"""
#: `_ORDERS` of the days `?` <= day <= `?` (days since 1970-01-01, as `compact.day` stores a
#: date); a day stored otherwise (as text) is kept for the caller to judge.
_ORDERS_IN_DAYS = _ORDERS.replace(
    "ORDER BY", "WHERE typeof(p.order_date) != 'integer' OR p.order_date BETWEEN ? AND ?\n    ORDER BY")


def _column(rows: list[tuple[Any, ...]], i: int) -> tuple[Any, ...]:
    """Field `i` of each row, as `zip(*rows)` gives it."""
    return tuple(map(itemgetter(i), rows))


#: Each (owner, month, store type, customer)'s sum of `_CENTS_OR_MARK`, for the asked customers
#: (`temp.spend_refs`) and the customers stored as text (`_DIGIT_TEXT`), in the table's key order.
_SPEND_PER_MONTH = f"""
    SELECT p.customer_ref, p.store_type, SUM({_CENTS_OR_MARK}) AS cents
    FROM vip_purchase_rows p WHERE {_KEYED}
    GROUP BY p.owner, p.period, p.store_type, p.customer_ref
    HAVING p.customer_ref IN temp.spend_refs OR {_DIGIT_TEXT}"""


def _spend_sql(keys: tuple[str, str, str]) -> str:
    """The query of `LedgerPurchases.spend`: `_SPEND_PER_MONTH` added up per customer and store
    type over the owners and months; with one owner and one month (a ledger's second month) its
    rows are already one per customer and store type, so they are not sorted again to be added
    up (the sort of 200k rows at 1M: about 0.08 s). The order of the rows differs; `spend` sorts
    what it returns."""
    if len(json.loads(keys[0])) == 1 and len(json.loads(keys[1])) == 1:
        return _SPEND_PER_MONTH
    return f"SELECT customer_ref, store_type, SUM(cents) FROM ({_SPEND_PER_MONTH}) GROUP BY customer_ref, store_type"


def _nothing_keyed(keys: tuple[str, str, str]) -> bool:
    """Whether one of `LedgerPurchases._keys`' JSON lists is empty: no live owner, no month or no
    store type in the ledger, so no purchase row can match (a first close asks this)."""
    return any(json.loads(k) == [] for k in keys)


def _forms_in_key_order(forms: Collection[Any]) -> list[Any]:
    """Stored forms with the integers first, ascending, as SQLite keeps them (every integer before
    any text): a TEMP table's key filled in that order appends to its last page instead of
    searching the tree for each one. Texts follow as given. Only the speed of the insert
    depends on it, not what the table holds."""
    numbers = sorted(f for f in forms if type(f) is int)
    return [*numbers, *(f for f in forms if type(f) is not int)] if len(numbers) < len(forms) else numbers


def _every_form(texts: list[str], of_ref: dict[Any, str]) -> dict[Any, str]:
    """Each customer's stored forms → the customer: its `compact.id_refs` form (`of_ref`) and its
    text, as a hand edit through the view stores it."""
    return {**dict(zip(texts, texts)), **of_ref}


#: rows of `_ORDERS` fetched at a time (`_order_columns`)
_ORDER_CHUNK = 20_000


def _order_columns(found: sqlite3.Cursor) -> list[list[Any]]:
    """The columns of `_ORDERS` rows (PURCHASE_COLUMNS; the amounts Decimal), fetched a chunk at
    a time: a month, customer, store type, category, day or amount that repeats is one object
    (an amount one Decimal), the order ids as read. All the rows fetched at once, then a Decimal
    per row, were ~240 MiB at a time for a window of next month's care reminders with a year of
    history at 1M (324k orders), and most of it stayed with the process after (the ids kept
    among them)."""
    columns: list[list[Any]] = [[] for _ in PURCHASE_COLUMNS]
    once: list[dict[Any, Any]] = [{} for _ in PURCHASE_COLUMNS]     # a column's own: no value met in another
    amounts = Once(Decimal)     # a stored amount's text → its Decimal, made on first look-up
    while chunk := found.fetchmany(_ORDER_CHUNK):
        period, customer, store, category, order, day, amount = zip(*chunk, strict=True)
        del chunk
        for at, values in ((0, period), (1, customer), (2, store), (3, category), (5, day)):
            columns[at] += map(once[at].setdefault, values, values)
        columns[4] += order
        columns[6] += map(amounts.__getitem__, amount)
    return columns


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

    def _held(self, keys: tuple[str, str, str]) -> str:
        """The [owner, month] pairs of `_keys`' owners and months that hold a row, ascending, as a
        JSON list: one look-up per pair by the table's key."""
        probe = "SELECT 1 FROM vip_purchase_rows WHERE owner = ? AND period = ? LIMIT 1"
        return json.dumps([[o, m] for o in sorted(json.loads(keys[0])) for m in sorted(json.loads(keys[1]))
                           if self.conn.execute(probe, (o, m)).fetchone()])

    def _id_forms(self, customers: Collection[str]) -> tuple[list[str], dict[Any, str]]:
        """The customers as text, and each one's `compact.id_refs` form → the customer."""
        texts = [str(c) for c in customers]
        return texts, dict(zip(compact.id_refs(self.conn, texts, add=False), texts))

    def _refs(self, customers: Collection[str]) -> tuple[dict[Any, str], str]:
        """`_every_form` of the customers, and those forms as a JSON list (in key order:
        `_forms_in_key_order`)."""
        forms = _every_form(*self._id_forms(customers))
        return forms, json.dumps(_forms_in_key_order(forms))

    def _fill(self, table: str, refs: str) -> None:
        """A TEMP table of stored forms (`refs`, a JSON list), emptied first; a TEMP table rather
        than `json_each` in the query: an ID ending in NUL, a text that looks like a number and
        an integer form stay exactly what they are (as `Ledger.paid_orders`)."""
        self.conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {table} (ref PRIMARY KEY) WITHOUT ROWID")
        self.conn.execute(f"DELETE FROM temp.{table}")
        self.conn.execute(f"INSERT OR IGNORE INTO temp.{table} SELECT value FROM json_each(?)", (refs,))

    def _store_names(self, keys: tuple[str, str, str]) -> dict[int, str]:
        """The store types' keys (`_keys`' third list) → their text."""
        return dict(self.conn.execute(
            "SELECT key, text FROM ledger_keys WHERE key IN (SELECT value FROM json_each(?))", (keys[2],)))

    def _sums(self, keys: tuple[str, str, str], refs: str) -> list[Any]:
        """`_spend_sql`'s rows (stored form, store type key, cents or a float marking the group)
        for the stored forms `refs` (a JSON list, in key order), through the `spend_refs` TEMP
        table, emptied again after."""
        try:
            self._fill("spend_refs", refs)
            return self.conn.execute(_spend_sql(keys), keys).fetchall()
        finally:
            self.conn.execute("DELETE FROM temp.spend_refs")

    def _exact_sum(self, keys: tuple[str, str, str], store: str, forms: list[Any]) -> Decimal:
        """A marked group's sum (an amount cents cannot hold): `ZERO` plus the exact text of each
        amount of the customer's stored `forms` and the store type named `store`."""
        found = self.conn.execute(
            f"""SELECT {compact.amount_sql('p.amount')} FROM vip_purchase_rows p
                JOIN ledger_keys s ON s.key = p.store_type
                WHERE {_KEYED} AND s.text = ? AND +p.customer_ref IN (SELECT value FROM json_each(?))""",
            (*keys, store, json.dumps(forms))).fetchall()
        return sum((Decimal(a) for (a,) in found), ZERO)

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
        texts, of_ref = self._id_forms(customers)
        named = self._store_names(keys)
        found_rows = self._sums(keys, json.dumps(_forms_in_key_order(of_ref)))
        # a column per field by `_column`, not `zip(*found_rows)`: that makes an iterator object per
        # row (200k at 1M: 0.03-0.05 s against 0.01), and so many new objects can start a walk of
        # the whole heap by the garbage collector (up to 0.45 s under the default thresholds)
        found_refs, found_stores, found_cents = (_column(found_rows, i) for i in range(3))
        found_customers: list[Any] = list(map(of_ref.get, found_refs))
        if None in found_customers:     # a text form (`_DIGIT_TEXT`): a hand edit, or a customer not asked
            asked = set(texts)
            keep = [c is not None or r in asked for c, r in zip(found_customers, found_refs)]
            found_refs, found_stores, found_cents = (tuple(compress(c, keep)) for c in (found_refs, found_stores,
                                                                                         found_cents))
            found_customers = [of_ref.get(r, r) for r in found_refs]
        found_keys = list(zip(found_customers, map(named.__getitem__, found_stores)))
        sums: dict[tuple[str, str], int | float] = dict(zip(found_keys, found_cents))
        if len(sums) < len(found_keys):     # a customer stored in two forms (a hand edit): its sums add up
            sums = {}
            for key, cents in zip(found_keys, found_cents):
                sums[key] = sums[key] + cents if key in sums else cents   # a float marks the group
        ordered = sorted(sums)      # by customer and store type, sorted once
        cents_of = list(map(sums.__getitem__, ordered))
        # one Decimal per distinct sum of cents (sums repeat); a float marks a group summed below
        # (asked by type, never by value: 101.0 == 101, and both hash alike)
        made = {c: ZERO + Decimal(c).scaleb(-2) for c in {c for c in cents_of if type(c) is int}}
        amounts: list[Decimal | None] = [made[c] if type(c) is int else None for c in cents_of]
        forms_of: dict[str, list[Any]] = {}
        for i, key in enumerate(ordered):
            if amounts[i] is None:  # a form cents cannot hold: the group's amounts as Decimals
                if not forms_of:
                    for form, customer in _every_form(texts, of_ref).items():
                        forms_of.setdefault(customer, []).append(form)
                amounts[i] = self._exact_sum(keys, key[1], forms_of[key[0]])
        return pd.DataFrame({"customer_id": pd.Series([k[0] for k in ordered], dtype=object),
                             "store_type": pd.Series([k[1] for k in ordered], dtype=object),
                             "amount": pd.Series(amounts, dtype=object)})

    def spend_cents(self, since: str, before: str, stores: Collection[str], customers: Collection[str]
                    ) -> SpendCents:
        """`spend`'s sums as integer cents per row of the same query, unsorted, each customer by its
        place in `customers` (no text, tuple, Decimal or frame per sum: at a million orders the
        Python after the query was 0.55-0.7 s of `spend`'s 1.1-1.3). A group the query marks (a
        float: an amount cents cannot hold) is summed as Decimals of the exact text over every
        stored form of its customer, as `spend` does, once: another form's row of that customer
        and store type is dropped. Plain rows of a customer in two forms stay two rows (cents
        add up alike wherever they are added)."""
        keys = self._keys(since, before, stores)
        texts = [] if _nothing_keyed(keys) else [str(c) for c in customers]   # a first close: nothing
        refs = compact.id_refs(self.conn, texts, add=False)
        at_of_ref = dict(zip(refs, range(len(texts))))      # a repeated customer: its last place
        store_keys = json.loads(keys[2])
        named = self._store_names(keys)
        found_rows = self._sums(keys, json.dumps(_forms_in_key_order(at_of_ref))) if texts else []
        found_refs, found_stores, found_cents = (_column(found_rows, i) for i in range(3))
        at: list[Any] = list(map(at_of_ref.get, found_refs))
        if None in at:      # a text form (`_DIGIT_TEXT`): a hand edit, or a customer not asked
            at_of_text = dict(zip(texts, range(len(texts))))
            at = [a if a is not None else at_of_text.get(r) for a, r in zip(at, found_refs)]
            keep = [a is not None for a in at]
            at = list(compress(at, keep))
            found_stores, found_cents = (tuple(compress(c, keep)) for c in (found_stores, found_cents))
        # each sum's store type's place in `store_keys`, by a search of them sorted (no look-up per sum)
        by_key = np.argsort(np.array(store_keys, dtype=np.int64))
        store: list[Any] = by_key[np.searchsorted(np.array(store_keys, dtype=np.int64)[by_key],
                                                  np.array(found_stores, dtype=np.int64))].tolist()
        exact: dict[int, Decimal] = {}
        cents: list[Any] | tuple[Any, ...] = found_cents
        if float in set(map(type, found_cents)):    # a marked group: its amounts as Decimals
            cents = list(found_cents)
            done: dict[tuple[int, int], int] = {}
            drop: list[int] = []
            for i, c in enumerate(found_cents):
                if type(c) is float and (at[i], store[i]) not in done:
                    done[at[i], store[i]] = i
            for i in range(len(cents)):
                first = done.get((at[i], store[i]))
                if first is None:
                    continue
                if first != i:
                    drop.append(i)
                    continue
                exact[i] = self._exact_sum(keys, named[store_keys[store[i]]], [texts[at[i]], refs[at[i]]])
                cents[i] = 0
            if drop:
                keep = [True] * len(cents)
                for i in drop:
                    keep[i] = False
                at, store, cents = (list(compress(c, keep)) for c in (at, store, cents))
                place = (np.cumsum(keep) - 1).tolist()     # a kept row's number after the drop
                exact = {place[i]: amount for i, amount in exact.items()}
        return SpendCents(texts, np.array(at, dtype=np.int64), np.array(store, dtype=np.intp),
                          [named[k] for k in store_keys], np.array(cents, dtype=np.int64), exact)

    def orders(self, since: str, before: str, stores: Collection[str], customers: Collection[str],
               refunds_before: str | None = None, days: tuple[int, int] | None = None) -> pd.DataFrame:
        keys = self._keys(since, before, stores)
        _, refs = self._refs(customers)
        later = keys if refunds_before in (None, before) else self._keys(since, refunds_before, stores)
        refunds = self._refunded.get(later)
        if refunds is None:
            refunds = self._refunded[later] = {o for (o,) in self.conn.execute(
                f"""SELECT {compact.id_sql('p.order_ref')} FROM vip_purchase_rows p
                    WHERE {_KEYED} AND (CASE WHEN typeof(p.amount) = 'integer' THEN p.amount < 0
                                             ELSE p.amount LIKE '-%' AND p.amount GLOB '*[1-9]*' END)""", later)}
        try:
            self._fill("order_refs", refs)
            asked = (self._held(keys), json.dumps(sorted(json.loads(keys[2]))))
            found = self.conn.execute(_ORDERS, asked) if days is None else \
                self.conn.execute(_ORDERS_IN_DAYS, (*asked, *days))
            columns = _order_columns(found)
        finally:
            self.conn.execute("DELETE FROM temp.order_refs")
        out = pd.DataFrame({**dict(zip(PURCHASE_COLUMNS[:6], columns, strict=False)),
                            "amount": pd.Series(columns[6], dtype=object)})
        out["order_date"] = pd.to_datetime(out["order_date"])
        out["refunded"] = pd.Series([o in refunds for o in columns[4]], dtype=bool)
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
