"""Per-order pay and VIP purchases stored compactly (migration 7, issue 14): the two tables that
grow with every order, a million rows a month, kept in `WITHOUT ROWID` tables of small integers,
read through views named `order_pay` and `vip_purchases` that return the columns and the exact
text of before (so every reader, and every digest a ledger recorded, sees the same rows).

How a value is stored, and read back exactly:
- a close's or import's id, a component, a month, a store type, a category: a key of
  `ledger_keys` (one row per distinct text; key 0 is the empty text);
- an ID (order, employee, customer) ending in a number without a leading zero: that number × 32 +
  the key of the text before it in `ledger_prefixes` (`MD26100000002`: 26100000002 and `MD`;
  `KH013550`: 13550 and `KH0`; `1041`: 1041 and the empty text, key 0), the first 32 such texts;
  any other ID: its text;
- an amount: the exact decimal text as an integer `unscaled × 8 + decimals` (`253.8000`:
  2538000 × 8 + 4; `-2370`: -2370 × 8), any other text (an exponent, `-0.00`, 8 or more decimals)
  as that text: integer cents where the text has two decimals, never a float;
- a date: days since 1970-01-01 when it is `YYYY-MM-DD` of a year 1900-2999, else its text.

No secondary index: the key starts with the close (or import), which is how digests and refunds
read them. Hand edits through the views (`UPDATE vip_purchases ...`) still work, by `INSTEAD OF`
triggers storing the text as given, so `csbatch ledger verify` finds them like any other change.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import compress, repeat
from operator import itemgetter
from typing import Any

import numpy as np
import pandas as pd

from csbatch.grouping import Once

_DIGITS = "0123456789"
_EPOCH = dt.date(1970, 1, 1).toordinal()


def amount(value: Any) -> Any:
    """The stored form of an amount: its text (`str` of the Decimal, as before) as `unscaled × 8 +
    decimals` where that reads back to the same text, else the text."""
    text = value if isinstance(value, str) else str(value)
    body = text[1:] if text.startswith("-") else text
    whole, dot, decimals = body.partition(".")
    digits = whole + decimals
    if (not whole.isdigit() or not digits.isascii() or (dot and not decimals.isdigit()) or len(decimals) > 7
            or len(digits) > 17 or (whole.startswith("0") and whole != "0")):
        return text
    unscaled = int(digits)
    if text.startswith("-"):
        if unscaled == 0:
            return text          # -0.00: no integer keeps the sign
        unscaled = -unscaled
    return unscaled * 8 + len(decimals)


def day(value: Any) -> Any:
    """The stored form of a date: days since 1970-01-01 for `YYYY-MM-DD` (1900-2999), else as given."""
    if isinstance(value, str) and len(value) == 10 and value[:2] in ("19", "20", "21", "22", "23", "24", "25",
                                                                     "26", "27", "28", "29"):
        try:
            parsed = dt.date.fromisoformat(value)
        except ValueError:
            return value
        if parsed.isoformat() == value:
            return parsed.toordinal() - _EPOCH
    return value


def amount_sql(col: str) -> str:
    """SQL reading an `amount` column back as the exact text."""
    scale = f"({col} & 7)"
    padded = f"printf('%0*d', {scale} + 1, abs({col} >> 3))"
    return (f"CASE WHEN typeof({col}) = 'integer' THEN (CASE WHEN {col} < 0 THEN '-' ELSE '' END) || "
            f"CASE WHEN {scale} = 0 THEN CAST(abs({col} >> 3) AS TEXT) ELSE "
            f"substr({padded}, 1, length({padded}) - {scale}) || '.' || substr({padded}, -{scale}) END "
            f"ELSE {col} END")


def day_sql(col: str) -> str:
    return f"CASE WHEN typeof({col}) = 'integer' THEN date({col} * 86400, 'unixepoch') ELSE {col} END"


def _key(text: str) -> str:
    return f"(SELECT key FROM ledger_keys WHERE text = {text})"


def _keep(text: str) -> str:
    return f"INSERT OR IGNORE INTO ledger_keys (text) VALUES ({text})"


def id_sql(col: str) -> str:
    """SQL reading an ID column back as its text."""
    return (f"CASE WHEN typeof({col}) = 'integer' THEN (SELECT text FROM ledger_prefixes WHERE key = {col} & 31) "
            f"|| ({col} >> 5) ELSE {col} END")


def staff_sql(col: str) -> str:
    """SQL reading an employee column of `order_pay_rows` (migration 10: `staff_refs`) back as its text."""
    return (f"CASE WHEN typeof({col}) != 'integer' THEN {col} WHEN {col} >= 0 THEN CAST({col} AS TEXT) "
            f"ELSE (SELECT text FROM ledger_prefixes WHERE key = -{col} & 31) || (-{col} >> 5) END")


def _order_pay_columns(staff: Callable[[str], str]) -> str:
    return f"{id_sql('o.order_ref')}, {staff('o.employee_ref')}, k.text, {amount_sql('o.amount')}"


#: how the view of migrations 7 and 10 joined the components (migration 11: a close's own forms)
ORDER_PAY_KEYS = "JOIN ledger_keys k ON k.key = o.component"


def _order_pay_view(staff: Callable[[str], str]) -> str:
    return f"""
    CREATE VIEW order_pay (close_id, order_id, employee_id, component, amount) AS
    SELECT w.text, {_order_pay_columns(staff)}
    FROM order_pay_rows o JOIN ledger_keys w ON w.key = o.owner {ORDER_PAY_KEYS}"""


_PURCHASES_VIEW = f"""
    CREATE VIEW vip_purchases (source, period, customer_id, store_type, category, order_id, order_date, amount) AS
    SELECT w.text, pe.text, {id_sql('p.customer_ref')}, s.text, k.text, {id_sql('p.order_ref')},
           {day_sql('p.order_date')}, {amount_sql('p.amount')}
    FROM vip_purchase_rows p JOIN ledger_keys w ON w.key = p.owner JOIN ledger_keys pe ON pe.key = p.period
         JOIN ledger_keys s ON s.key = p.store_type JOIN ledger_keys k ON k.key = p.category"""

def _order_pay_match(staff: Callable[[str], str]) -> str:
    """Hand edits through the views: rows matched by what the view shows, new rows stored as text."""
    return (f"owner = {_key('OLD.close_id')} AND {id_sql('order_ref')} IS OLD.order_id "
            f"AND {staff('employee_ref')} IS OLD.employee_id AND component = {_key('OLD.component')} "
            f"AND {amount_sql('amount')} IS OLD.amount")


_ORDER_PAY_INSERT = (f"{_keep('NEW.close_id')}; {_keep('NEW.component')}; "
                     f"INSERT INTO order_pay_rows VALUES ({_key('NEW.close_id')}, CAST(NEW.order_id AS TEXT), "
                     f"{_key('NEW.component')}, CAST(NEW.employee_id AS TEXT), abs(random() % 1000000000) + 1, "
                     "CAST(NEW.amount AS TEXT));")
_PURCHASES_MATCH = (f"owner = {_key('OLD.source')} AND period = {_key('OLD.period')} "
                    f"AND {id_sql('customer_ref')} IS OLD.customer_id "
                    f"AND store_type = {_key('OLD.store_type')} AND category = {_key('OLD.category')} "
                    f"AND {id_sql('order_ref')} IS OLD.order_id "
                    f"AND {day_sql('order_date')} IS OLD.order_date AND {amount_sql('amount')} IS OLD.amount")
_PURCHASES_INSERT = (f"{_keep('NEW.source')}; {_keep('NEW.period')}; {_keep('NEW.store_type')}; "
                     f"{_keep('NEW.category')}; INSERT INTO vip_purchase_rows VALUES ({_key('NEW.source')}, "
                     f"CAST(NEW.order_id AS TEXT), {_key('NEW.period')}, CAST(NEW.customer_id AS TEXT), "
                     f"{_key('NEW.store_type')}, {_key('NEW.category')}, abs(random() % 1000000000) + 1, "
                     "CAST(NEW.order_date AS TEXT), CAST(NEW.amount AS TEXT));")

def _order_pay_views(staff: Callable[[str], str]) -> tuple[str, ...]:
    """The view `order_pay` and its hand-edit triggers, reading employees with `staff`."""
    match = _order_pay_match(staff)
    return (_order_pay_view(staff),
            f"CREATE TRIGGER order_pay_insert INSTEAD OF INSERT ON order_pay BEGIN {_ORDER_PAY_INSERT} END",
            f"CREATE TRIGGER order_pay_delete INSTEAD OF DELETE ON order_pay BEGIN "
            f"DELETE FROM order_pay_rows WHERE {match}; END",
            f"CREATE TRIGGER order_pay_update INSTEAD OF UPDATE ON order_pay BEGIN "
            f"DELETE FROM order_pay_rows WHERE {match}; {_ORDER_PAY_INSERT} END")


SCHEMA = (
    "CREATE TABLE ledger_keys (key INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE)",
    "CREATE TABLE ledger_prefixes (key INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE)",
    "INSERT INTO ledger_prefixes VALUES (0, '')",
    """CREATE TABLE order_pay_rows (
        owner           INTEGER NOT NULL,   -- ledger_keys: the close
        order_ref       NOT NULL,           -- the order ID: number × 32 + ledger_prefixes key (or its text)
        component       INTEGER NOT NULL,   -- ledger_keys
        employee_ref    NOT NULL,           -- the employee ID, as order_ref
        dup             INTEGER NOT NULL,   -- 0; 1, 2, ... for a repeat of the same key
        amount          NOT NULL,           -- unscaled × 8 + decimals (or the text)
        PRIMARY KEY (owner, order_ref, component, employee_ref, dup)
    ) WITHOUT ROWID""",
    """CREATE TABLE vip_purchase_rows (
        owner           INTEGER NOT NULL,   -- ledger_keys: the close or history import
        order_ref       NOT NULL,
        period          INTEGER NOT NULL,   -- ledger_keys
        customer_ref    NOT NULL,
        store_type      INTEGER NOT NULL,   -- ledger_keys
        category        INTEGER NOT NULL,   -- ledger_keys
        dup             INTEGER NOT NULL,
        order_date      NOT NULL,           -- days since 1970-01-01 (or the text)
        amount          NOT NULL,
        PRIMARY KEY (owner, order_ref, period, customer_ref, store_type, category, dup)
    ) WITHOUT ROWID""",
    *_order_pay_views(id_sql)[:1],
    _PURCHASES_VIEW,
    *_order_pay_views(id_sql)[1:],
    f"CREATE TRIGGER vip_purchases_insert INSTEAD OF INSERT ON vip_purchases BEGIN {_PURCHASES_INSERT} END",
    f"CREATE TRIGGER vip_purchases_delete INSTEAD OF DELETE ON vip_purchases BEGIN "
    f"DELETE FROM vip_purchase_rows WHERE {_PURCHASES_MATCH}; END",
    f"CREATE TRIGGER vip_purchases_update INSTEAD OF UPDATE ON vip_purchases BEGIN "
    f"DELETE FROM vip_purchase_rows WHERE {_PURCHASES_MATCH}; {_PURCHASES_INSERT} END",
)


#: Migration 8: purchases keyed by close (or import), month, store type and customer first, so
#: trailing spend (`ledger.vip_reads`) reads the months and customers it asks about, not every row.
PURCHASE_ROWS = ("owner", "period", "store_type", "customer_ref", "order_ref", "category", "dup", "order_date",
                 "amount")
_PURCHASES_INSERT_8 = (f"{_keep('NEW.source')}; {_keep('NEW.period')}; {_keep('NEW.store_type')}; "
                       f"{_keep('NEW.category')}; INSERT INTO vip_purchase_rows ({', '.join(PURCHASE_ROWS)}) VALUES "
                       f"({_key('NEW.source')}, {_key('NEW.period')}, {_key('NEW.store_type')}, "
                       f"CAST(NEW.customer_id AS TEXT), CAST(NEW.order_id AS TEXT), {_key('NEW.category')}, "
                       "abs(random() % 1000000000) + 1, CAST(NEW.order_date AS TEXT), CAST(NEW.amount AS TEXT));")
PURCHASES_8 = (
    """CREATE TABLE vip_purchase_rows (
        owner           INTEGER NOT NULL,   -- ledger_keys: the close or history import
        period          INTEGER NOT NULL,   -- ledger_keys
        store_type      INTEGER NOT NULL,   -- ledger_keys
        customer_ref    NOT NULL,           -- the customer ID: number × 32 + ledger_prefixes key (or its text)
        order_ref       NOT NULL,           -- the order ID, as customer_ref
        category        INTEGER NOT NULL,   -- ledger_keys
        dup             INTEGER NOT NULL,   -- 0; 1, 2, ... for a repeat of the same key
        order_date      NOT NULL,           -- days since 1970-01-01 (or the text)
        amount          NOT NULL,           -- unscaled × 8 + decimals (or the text)
        PRIMARY KEY (owner, period, store_type, customer_ref, order_ref, category, dup)
    ) WITHOUT ROWID""",
    _PURCHASES_VIEW,
    f"CREATE TRIGGER vip_purchases_insert INSTEAD OF INSERT ON vip_purchases BEGIN {_PURCHASES_INSERT_8} END",
    f"CREATE TRIGGER vip_purchases_delete INSTEAD OF DELETE ON vip_purchases BEGIN "
    f"DELETE FROM vip_purchase_rows WHERE {_PURCHASES_MATCH}; END",
    f"CREATE TRIGGER vip_purchases_update INSTEAD OF UPDATE ON vip_purchases BEGIN "
    f"DELETE FROM vip_purchase_rows WHERE {_PURCHASES_MATCH}; {_PURCHASES_INSERT_8} END",
)


def id_refs(conn: sqlite3.Connection, values: Sequence[Any], add: bool = True) -> list[Any]:
    """The stored form of IDs: number × 32 + the key of the text before it (`_split_ids`) where
    that key is below 32 (new prefixes added when `add`), else the ID's text."""
    if len(values) > _SAMPLE and not set(map(type, values)) - {str} and len(set(values[:_SAMPLE])) * 2 > _SAMPLE:
        distinct, few = {}, False   # text that does not repeat (a million order IDs): not put in a dict first
    else:
        distinct = dict.fromkeys(values)
        few = len(distinct) * 2 < len(values)   # an ID that repeats (employees, customers): encoded once
    ids: Sequence[Any] = list(distinct) if few else values
    split = _split_texts(ids)
    if split is None:
        heads, numbers = _split_ids(ids)
        used = set(compress(heads, numbers))   # numbers: None, or 1 and more
    else:
        used = set(split[0])
    prefixes: dict[str, int] = dict(conn.execute("SELECT text, key FROM ledger_prefixes"))
    new = used - prefixes.keys()
    if new and add:
        conn.executemany("INSERT OR IGNORE INTO ledger_prefixes (text) VALUES (?)", ((p,) for p in sorted(new)))
        prefixes = dict(conn.execute("SELECT text, key FROM ledger_prefixes"))
    low = {p: k for p, k in prefixes.items() if k < 32}
    if split is None:
        refs = [(value if isinstance(value, str) else str(value)) if number is None
                else number * 32 + low[head] if head in low and number < 1 << 57 else value
                for value, head, number in zip(ids, heads, numbers)]
    else:
        texts, which, number_of = split
        key = np.array([low.get(text, -1) for text in texts] + [-1], dtype=np.int64)[which]   # which -1: none
        refs = (number_of * 32 + key).tolist()
        for i in np.flatnonzero((key < 0) | (number_of >= 1 << 57)).tolist():
            refs[i] = ids[i]
    return list(map(dict(zip(distinct, refs)).__getitem__, values)) if few else refs


#: The first IDs `id_refs` looks at to tell text IDs that repeat from those that do not (each
#: encoded once either way: the same stored forms, one dictionary less)
_SAMPLE = 4096
#: IDs per slice of `_split_texts` (a slice's characters as a numpy array of code points).
_SLICE = 65536
#: The longest ID `_split_texts` splits (a slice takes 4 bytes a character of its longest ID)...
_WIDEST = 64
#: ... and odd multipliers hashing a prefix's code points (a clash is found: the slow way then).
_MIX = np.random.default_rng(14).integers(1, 1 << 62, size=_WIDEST + 1, dtype=np.uint64) * np.uint64(2) + np.uint64(1)


def _split_texts(ids: Sequence[Any]) -> tuple[list[str], np.ndarray, np.ndarray] | None:
    """`_split_ids` of IDs that are all text, with numpy, a slice at a time: the distinct prefixes
    of the IDs with a number, and per ID the index of its prefix there (-1: no number) and its
    number (0: none). None where an ID is not text or longer than `_WIDEST` (`_split_ids` then
    splits them)."""
    if set(map(type, ids)) - {str}:
        return None
    texts: dict[str, int] = {}
    which, numbers = [], []
    for start in range(0, len(ids), _SLICE):
        chunk = list(ids[start:start + _SLICE])
        lengths = np.fromiter(map(len, chunk), dtype=np.int64, count=len(chunk))
        width = max(int(lengths.max()), 1)
        if width > _WIDEST:
            return None
        joined = "".join(chunk)
        codes: np.ndarray
        if int(lengths.min()) == width and joined.isascii():   # one length, ASCII: its bytes, no copy per ID
            codes = np.frombuffer(joined.encode("ascii"), dtype=np.uint8).reshape(len(chunk), width)
        else:
            codes = np.array(chunk, dtype=f"<U{width}").view(np.uint32).reshape(len(chunk), width)
        del joined
        uniform = _split_uniform(codes) if codes.dtype == np.uint8 and int(lengths.min()) == width else None
        if uniform is not None:   # every ID: the same text's length, then its trailing digits (`MD2610...`)
            heads, lead, local_of, number = uniform
            widest = int(lead[heads].max()) if len(heads) else 0   # each prefix hashed as below: texts in
            head = np.where(np.arange(widest) < lead[heads, None], codes[heads, :widest], 0)   # that order
            hashed = np.concatenate([head, lead[heads, None]], axis=1).astype(np.uint64) @ _MIX[:widest + 1]
            if len(np.unique(hashed)) < len(hashed):   # two prefixes of one hash: as below, the slow way
                return None
            local = np.zeros(len(heads) + 1, dtype=np.int64) - 1
            for g in np.argsort(hashed).tolist():
                local[g] = texts.setdefault(chunk[heads[g]][:lead[heads[g]]], len(texts))
            which.append(local[local_of])
            numbers.append(number)
            continue
        place, everyone = np.arange(width), np.arange(len(chunk))
        inside = place < lengths[:, None]
        digit = inside & (codes - 48 < 10)    # unsigned: a code point below `0` wraps to a large number
        other = (inside & ~digit)[:, ::-1]                             # the trailing digits start after
        last = other.argmax(axis=1)                                    # (`any(axis=1)`: the True argmax found,
        first = np.where(other[everyone, last], width - last, 0)       # four times faster) the last other character
        start = digit & (codes != 48) & (place >= first[:, None])      # (argmax of booleans: the first True,
        lead = start.argmax(axis=1)                                    # not a max over integers)
        lead = np.where(start[everyone, lead], lead, width)
        numbered = (lengths - lead >= 1) & (lengths - lead <= 18)      # a number without leading zero
        rows = np.flatnonzero(numbered)
        number = _numbers(codes, lengths, lead, numbered, int(lead[rows].min()) if len(rows) else width)
        widest = int(lead[rows].max()) if len(rows) else 0             # the longest prefix: no column past it
        head = np.where(place[:widest] < lead[rows, None], codes[rows, :widest], 0)   # the prefix, and its length
        keyed = np.concatenate([head.astype(np.uint32), lead[rows, None].astype(np.uint32)], axis=1)
        hashed = keyed.astype(np.uint64) @ _MIX[:widest + 1]           # wraps: equal prefixes, equal hashes
        _, first_of, of = np.unique(hashed, return_index=True, return_inverse=True)
        of = of.ravel()
        if not (keyed == keyed[first_of][of]).all():                   # two prefixes of one hash
            return None
        one = rows[first_of]
        local = np.array([texts.setdefault(chunk[i][:lead[i]], len(texts)) for i in one.tolist()], dtype=np.int64)
        index = np.full(len(chunk), -1, dtype=np.int64)
        index[rows] = local[of]
        which.append(index)
        numbers.append(number)
    return (list(texts), np.concatenate(which) if which else np.zeros(0, dtype=np.int64),
            np.concatenate(numbers) if numbers else np.zeros(0, dtype=np.int64))


def _split_uniform(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None:
    """`_split_texts` of a slice of IDs of one length in ASCII (`codes`: a row of bytes each) whose
    trailing digits all start at one column, after at most `_PACKED` other characters, and are at
    most 18 (every order and customer of a month): no per-character search for where each number
    starts, the numbers by one product, the prefixes grouped by their bytes packed into an integer
    (hash-grouped by pandas, not sorted). Returns (a row of each prefix, each row's `lead` where its
    number starts, each row's prefix index (-1: no number, the last), its number), else None."""
    count, width = codes.shape
    first = width
    while first > 0 and bool(((codes[:, first - 1] - 48) < 10).all()):   # uint8: below `0` wraps to large
        first -= 1                                # a column at a time (a reduction down the rows: 8x slower)
    if first == width or width - first > 18 or first > _PACKED or (
            first and bool(((codes[:, first - 1] - 48) < 10).any())):
        return None
    tail = codes[:, first:]
    nonzero = tail != 48
    zeros = nonzero.argmax(axis=1)                # leading zeros of the number: part of the prefix
    numbered = nonzero[np.arange(count), zeros]   # all zeros: no number (as `_split_ids`: its text)
    number = np.zeros(count, dtype=np.int64)
    for column in range(first, width):            # at most 18 digits: no overflow
        number *= 10
        number += codes[:, column]
    number -= 48 * ((10 ** (width - first) - 1) // 9)   # the `0` of every digit taken off at once
    number[~numbered] = 0
    key = zeros.astype(np.int64) << 56
    for column in range(first):
        key |= codes[:, column].astype(np.int64) << (8 * column)
    rows = np.flatnonzero(numbered)
    found, distinct = pd.factorize(key[rows])     # only prefixes of a number: each one becomes a ledger prefix
    heads = np.zeros(len(distinct), dtype=np.int64)
    heads[found] = rows                           # any row of each prefix: they share its text
    group = np.full(count, len(distinct), dtype=np.int64)
    group[rows] = found
    return heads, first + zeros, group, number


#: The longest text before the digits `_split_uniform` packs into an integer with its leading zeros.
_PACKED = 7


def _numbers(codes: np.ndarray, lengths: np.ndarray, lead: np.ndarray, numbered: np.ndarray, low: int) -> np.ndarray:
    """Per ID (a row of `codes`), its number: the digits from `lead` to its length where `numbered`
    (at most 18: no overflow), else 0; `low` the smallest `lead` of those. IDs of one length (the
    common case): one product of the digit columns and their powers of ten; else a column at a time
    (Horner), every ID at once (not a fancy-indexed copy per shape of ID)."""
    width = codes.shape[1]
    if int(lengths.min()) == width:
        digits = codes[:, low:].astype(np.int64) - 48
        digits[~((np.arange(low, width) >= lead[:, None]) & numbered[:, None])] = 0
        return digits @ 10 ** np.arange(width - low - 1, -1, -1, dtype=np.int64)
    number = np.zeros(len(codes), dtype=np.int64)
    for column in range(low, width):
        taken = numbered & (lead <= column) & (lengths > column)
        number = np.where(taken, number * 10 + codes[:, column].astype(np.int64) - 48, number)
    return number


def _split_ids(values: Iterable[Any]) -> tuple[list[str], list[int | None]]:
    """The prefix and the number of each ID, in one loop (a million order IDs), as two lists (not
    a tuple per ID: this runs at the publish stage's peak of memory): an ID ending in a number
    without a leading zero, of at most 18 digits, splits into the text before that number and the
    number (`KH013550`: `KH0` and 13550); any other (no number, too long, not text) has the
    number None (and the prefix '') and is stored as its text (`str` of it)."""
    heads: list[str] = []
    numbers: list[int | None] = []
    head, number_of = heads.append, numbers.append
    for value in values:
        number = value[len(value.rstrip(_DIGITS)):].lstrip("0") if isinstance(value, str) else ""
        if number and len(number) <= 18:
            head(value[:len(value) - len(number)])
            number_of(int(number))
        else:
            head("")
            number_of(None)
    return heads, numbers


def staff_refs(conn: sqlite3.Connection, values: Sequence[Any], add: bool = True) -> list[Any]:
    """The stored form of employee IDs in `order_pay_rows` (migration 10): the number of an ID
    that is only a number (`1041`: 1041, two bytes where `id_refs` takes three), else minus its
    `id_refs` integer (`E1041`: -(1041 × 32 + key)), else its text."""
    def form(ref: Any) -> Any:
        return -ref if isinstance(ref, int) and ref & 31 else ref >> 5 if isinstance(ref, int) else ref

    if set(map(type, values)) - {str}:   # 1 and 1.0 are one dict key but two IDs ("1", "1.0"): one by one
        return list(map(form, id_refs(conn, values, add)))
    distinct = list(dict.fromkeys(values))   # a few thousand employees over a million orders: each once
    forms = dict(zip(distinct, map(form, id_refs(conn, distinct, add))))
    return list(map(forms.__getitem__, values))


def _each(encode: Callable[[Any], Any], values: Iterable[Any]) -> list[Any]:
    """`encode` of each value, once per distinct value (amounts and dates repeat): one dictionary
    lookup a value (`grouping.Once`), not a pass to find the distinct values and a second to look them up."""
    return list(map(Once(encode).__getitem__, values))


class Keys:
    """`ledger_keys` as a dictionary: text → key, new texts added on demand."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.known: dict[str, int] = dict(conn.execute("SELECT text, key FROM ledger_keys"))

    def of(self, texts: Iterable[Any]) -> dict[Any, int]:
        """The key of each distinct value (as text), added where new."""
        values = set(texts)
        new = {str(v) for v in values} - self.known.keys()
        if new:
            self.conn.executemany("INSERT OR IGNORE INTO ledger_keys (text) VALUES (?)", ((t,) for t in sorted(new)))
            self.known = dict(self.conn.execute("SELECT text, key FROM ledger_keys"))
        return {v: self.known[str(v)] for v in values}


def _with_dups(rows: list[tuple], key_width: int) -> Iterator[tuple]:
    """Rows whose key (the first `key_width` columns, `dup` 0 after them) repeats get dup 1, 2, ..."""
    seen: dict[tuple, int] = {}
    for row in rows:
        key = row[:key_width]
        n = seen.get(key, -1) + 1
        seen[key] = n
        yield (*key, n, *row[key_width + 1:])


def _purchase_order(row: tuple) -> tuple:
    """A purchase row's place in the order of its table's key, as SQLite orders the values (an ID
    stored as an integer before one stored as text), so rows are inserted in key order."""
    _, period, store, customer, order, category = row[:6]
    return period, store, isinstance(customer, str), customer, isinstance(order, str), order, category


def _in_key_order(rows: list[tuple], columns: Sequence[Sequence[Any]] | None = None) -> list[tuple]:
    """Purchase rows sorted by `_purchase_order` (stable): with numpy where every customer and
    order is stored as a number (the common case: half a million rows without a Python key each).
    `columns`: the rows' period, store type, customer, order and category, where the caller has them."""
    order = _key_order([[row[i] for row in rows] for i in (1, 2, 3, 4, 5)] if columns is None else columns)
    return sorted(rows, key=_purchase_order) if order is None else list(map(rows.__getitem__, order))


def _key_order(columns: Sequence[Sequence[Any]]) -> list[int] | None:
    """The stable order of rows by these columns (period, store type, customer, order, category),
    with numpy, where every customer and order is stored as a number; else None."""
    arrays = _key_arrays(columns)
    return None if arrays is None else np.lexsort(arrays[::-1]).tolist()


def _key_arrays(columns: Sequence[Sequence[Any]]) -> list[np.ndarray] | None:
    """These columns (period, store type, customer, order, category) as int64 arrays, where there
    are rows and every customer and order is stored as a number; else None."""
    if not columns[0] or not all(set(map(type, columns[i])) == {int} for i in (2, 3)):
        return None
    return [np.array(c, dtype=np.int64) for c in columns]


#: Rows per `INSERT ... VALUES (...), (...), ...` statement (`_insert_many`), at most.
CHUNK = 2000


def _insert_many(conn: sqlite3.Connection, sql: str, columns: Sequence[Sequence[Any] | int]) -> None:
    """Insert the rows these columns make (each a list or tuple, all of one length; an int: that
    value in every row, written into the statement, not bound a row at a time) as statements of
    `CHUNK` rows each (fewer where this SQLite binds fewer values): SQLite then inserts the rows of
    a call with the GIL released, instead of the sqlite3 module taking it back for every row (0.6
    of the CPU for a million rows). Each statement's flat list of values is filled a column at a
    time by slice assignment (in C): no tuple per row, no pass of Python over every value."""
    bound = [c for c in columns if not isinstance(c, int)]
    width = len(bound)
    count = len(bound[0]) if bound else 0
    chunk = max(1, min(CHUNK, conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // max(width, 1)))
    values = f"({', '.join(str(int(c)) if isinstance(c, int) else '?' for c in columns)})"
    full = f"{sql} VALUES {', '.join([values] * chunk)}"
    flat: list[Any] = [None] * (width * chunk)
    for start in range(0, count, chunk):
        n = min(chunk, count - start)
        if n < chunk:
            flat = [None] * (width * n)
        for i, column in enumerate(bound):
            flat[i::width] = column[start:start + n]
        conn.execute(full if n == chunk else f"{sql} VALUES {', '.join([values] * n)}", flat)


def _insert(conn: sqlite3.Connection, table: str, owner: int, columns: Sequence[Sequence[Any] | int], key_width: int,
            names: Sequence[str] | None = None) -> None:
    """Insert the rows of `columns` (`_insert_many`; made again as rows, numbered, if a key
    repeats): a column at a time, not a list of a million tuples at the publish stage's peak of memory."""
    named = f" ({', '.join(names)})" if names else ""
    sql = f"INSERT INTO {table}{named}"
    try:
        _insert_many(conn, sql, columns)
    except sqlite3.IntegrityError:  # a key twice (rare): number the repeats
        conn.execute(f"DELETE FROM {table} WHERE owner = ?", (owner,))
        count = max((len(c) for c in columns if not isinstance(c, int)), default=0)
        rows = list(zip(*(repeat(c, count) if isinstance(c, int) else c for c in columns)))
        _insert_many(conn, sql, list(zip(*_with_dups(rows, key_width))))


def insert_order_pay(conn: sqlite3.Connection, owner_id: str, order_ids: Sequence[Any],
                     employee_ids: Sequence[Any], components: Sequence[Any], amounts: Iterable[Any],
                     staff: Callable[..., list[Any]] | None = None) -> None:
    """Per-order pay of a close (`amounts`: the text stored before, `str` of each Decimal);
    employees stored by `staff` (`staff_refs`; migration 7 stored them by `id_refs`); orders and
    components in the close's own forms where the ledger has `order_pay_owners` (migration 11)."""
    keys = Keys(conn)
    owner = keys.of([owner_id])[owner_id]
    codes = keys.of(components)
    orders, staff_ids = id_refs(conn, order_ids), (staff or staff_refs)(conn, employee_ids)
    shift = 0
    if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'order_pay_owners'").fetchone():
        known = order_forms(conn).get(owner)
        if known is None:
            base, width, orders = _owned_orders(orders, order_ids)
            counts = Counter(components)
            shift = codes[max(counts, key=counts.__getitem__)] if counts else 0   # the commonest: stored as 0
            conn.execute("INSERT INTO order_pay_owners VALUES (?, ?, ?, ?)", (owner, base, width, shift))
        else:   # more rows of a close already recorded: its forms, the text where an order does not fit
            base, width, shift = known
            orders = [owned_order(ref, text, base, width) for ref, text in zip(orders, order_ids)]
    stored = _each(amount, amounts)
    codes = {component: key - shift for component, key in codes.items()}
    _insert(conn, "order_pay_rows", owner, [owner, orders, list(map(codes.__getitem__, components)), staff_ids, 0,
                                            stored], 4)


def insert_purchases(conn: sqlite3.Connection, owner_id: str, periods: Sequence[Any], customer_ids: Sequence[Any],
                     store_types: Sequence[Any], categories: Sequence[Any], order_ids: Sequence[Any],
                     order_dates: Iterable[Any], amounts: Iterable[Any]) -> None:
    """VIP purchases of a close or a history import (dates as `YYYY-MM-DD` text, amounts as text),
    in the order of the table's key (migration 8's `PURCHASE_ROWS`, by column name)."""
    keys = Keys(conn)
    owner = keys.of([owner_id])[owner_id]
    codes = keys.of([*periods, *store_types, *categories])
    keyed = [list(map(codes.__getitem__, periods)), list(map(codes.__getitem__, store_types)),
             id_refs(conn, customer_ids), id_refs(conn, order_ids), list(map(codes.__getitem__, categories))]
    count = len(keyed[0])
    varied = [*keyed, _each(day, order_dates), _each(amount, amounts)]
    del keyed
    arrays = _key_arrays(varied[:5])
    if arrays is None:   # a customer or order stored as text: the rows sorted in Python
        rows = _in_key_order(list(zip(repeat(owner), *varied[:5], repeat(0), *varied[5:])))
        if rows:
            ordered = [list(c) for c in zip(*rows)]
            varied = ordered[1:6] + ordered[7:]
    elif count > 1:     # each column put in that order (owner and dup, the same in every row: as they are),
        order = np.lexsort(arrays[::-1])   # the key's from the arrays it was found by (no Python getitem a value)
        take = itemgetter(*order.tolist())
        varied = [*(array[order].tolist() for array in arrays), *map(take, varied[5:])]
    _insert(conn, "vip_purchase_rows", owner, [owner, *varied[:5], 0, *varied[5:]], 6, PURCHASE_ROWS)


def convert(conn: sqlite3.Connection) -> None:
    """Migration 7: the tables `order_pay` and `vip_purchases` of before become the compact tables
    and the views of the same names, every row kept (the views read back its exact text)."""
    conn.execute("ALTER TABLE order_pay RENAME TO order_pay_v6")
    conn.execute("ALTER TABLE vip_purchases RENAME TO vip_purchases_v6")
    for statement in SCHEMA:
        conn.execute(statement)
    for (owner,) in conn.execute("SELECT DISTINCT close_id FROM order_pay_v6").fetchall():
        rows = conn.execute("SELECT order_id, employee_id, component, amount FROM order_pay_v6 WHERE close_id = ?",
                            (owner,)).fetchall()
        order_ids, employee_ids, components, amounts = map(list, zip(*rows))
        insert_order_pay(conn, owner, order_ids, employee_ids, components, amounts, staff=id_refs)
    for (owner,) in conn.execute("SELECT DISTINCT source FROM vip_purchases_v6").fetchall():
        rows = conn.execute("SELECT period, customer_id, store_type, category, order_id, order_date, amount "
                            "FROM vip_purchases_v6 WHERE source = ?", (owner,)).fetchall()
        insert_purchases(conn, owner, *map(list, zip(*rows)))
    conn.execute("DROP TABLE order_pay_v6")        # its indexes go with it
    conn.execute("DROP TABLE vip_purchases_v6")



def reorder_purchases(conn: sqlite3.Connection) -> None:
    """Migration 8: `vip_purchase_rows` keyed by close, month, store type and customer first
    (`PURCHASES_8`), every row kept; the view and its triggers made again over it."""
    for name in ("vip_purchases_insert", "vip_purchases_delete", "vip_purchases_update"):
        conn.execute(f"DROP TRIGGER {name}")
    conn.execute("DROP VIEW vip_purchases")
    conn.execute("ALTER TABLE vip_purchase_rows RENAME TO vip_purchase_rows_7")
    for statement in PURCHASES_8:
        conn.execute(statement)
    columns = ", ".join(PURCHASE_ROWS)
    conn.execute(f"INSERT INTO vip_purchase_rows ({columns}) SELECT {columns} FROM vip_purchase_rows_7 "
                 f"ORDER BY {', '.join(PURCHASE_ROWS[:7])}")
    conn.execute("DROP TABLE vip_purchase_rows_7")


#: Migration 10: employees in `order_pay_rows` stored by `staff_refs` (a number alone: the number).
ORDER_PAY_ROWS_10 = """CREATE TABLE order_pay_rows_10 (
        owner           INTEGER NOT NULL,   -- ledger_keys: the close
        order_ref       NOT NULL,           -- the order ID: number × 32 + ledger_prefixes key (or its text)
        component       INTEGER NOT NULL,   -- ledger_keys
        employee_ref    NOT NULL,           -- the employee ID: its number, or -(number × 32 + key) (or its text)
        dup             INTEGER NOT NULL,   -- 0; 1, 2, ... for a repeat of the same key
        amount          NOT NULL,           -- unscaled × 8 + decimals (or the text)
        PRIMARY KEY (owner, order_ref, component, employee_ref, dup)
    ) WITHOUT ROWID"""


def restaff_order_pay(conn: sqlite3.Connection) -> None:
    """Migration 10: `order_pay_rows` made again with its employees stored by `staff_refs`, every
    row kept (the view reads back the same text); the view, its hand-edit triggers and the
    triggers on the table (the outside-changes log's, ledger.guard: those in place) made again."""
    triggers = [sql for (sql,) in conn.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' "
                                               "AND tbl_name = 'order_pay_rows' ORDER BY name")]
    for name in ("order_pay_insert", "order_pay_delete", "order_pay_update"):
        conn.execute(f"DROP TRIGGER {name}")
    conn.execute("DROP VIEW order_pay")
    conn.execute(ORDER_PAY_ROWS_10)
    conn.execute("""INSERT INTO order_pay_rows_10
                    SELECT owner, order_ref, component,
                           CASE WHEN typeof(employee_ref) != 'integer' THEN employee_ref
                                WHEN employee_ref & 31 = 0 THEN employee_ref >> 5 ELSE -employee_ref END,
                           dup, amount
                    FROM order_pay_rows ORDER BY 1, 2, 3, 4, 5""")
    conn.execute("DROP TABLE order_pay_rows")
    conn.execute("ALTER TABLE order_pay_rows_10 RENAME TO order_pay_rows")
    for statement in (*_order_pay_views(staff_sql), *triggers):
        conn.execute(statement)


#: Migration 11: per close, how `order_pay_rows` stores its orders and components. An order ID
#: stored by `id_refs` as `number × 32 + prefix key` is stored as `(number - base) × width +
#: prefix key` (width: the close's largest prefix key + 1; base: its smallest number), so a month's
#: orders (`MD26100000002`, ...) take three bytes, not six; a component as its key minus
#: `component` (the key of the close's commonest component: zero, no byte). A close without a row
#: here (recorded before migration 11, or put in by hand through the view) keeps the forms of
#: before: base 0, width 32, component 0.
ORDER_PAY_OWNERS = """CREATE TABLE order_pay_owners (
        owner           INTEGER PRIMARY KEY,   -- ledger_keys: the close
        base            INTEGER NOT NULL,      -- order_ref: (number - base) × width + ledger_prefixes key
        width           INTEGER NOT NULL,
        component       INTEGER NOT NULL       -- component: ledger_keys key - component
    )"""
_FORMS = (("base", 0), ("width", 32), ("component", 0))


def _form(what: str, owner: str) -> str:
    """SQL of a close's stored form (`_FORMS`), `owner` its ledger key, the form of before where it has none."""
    default = dict(_FORMS)[what]
    return f"COALESCE((SELECT {what} FROM order_pay_owners WHERE owner = {owner}), {default})"


def owned_id_sql(col: str, base: str, width: str) -> str:
    """SQL reading an order of `order_pay_rows` back as its text (migration 11: its close's form)."""
    return (f"CASE WHEN typeof({col}) = 'integer' THEN (SELECT text FROM ledger_prefixes WHERE key = {col} % {width}) "
            f"|| ({col} / {width} + {base}) ELSE {col} END")


_ORDER_PAY_VIEW_11 = f"""
    CREATE VIEW order_pay (close_id, order_id, employee_id, component, amount) AS
    SELECT w.text, {owned_id_sql('o.order_ref', 'COALESCE(b.base, 0)', 'COALESCE(b.width, 32)')},
           {staff_sql('o.employee_ref')}, k.text, {amount_sql('o.amount')}
    FROM order_pay_rows o JOIN ledger_keys w ON w.key = o.owner LEFT JOIN order_pay_owners b ON b.owner = o.owner
         JOIN ledger_keys k ON k.key = o.component + COALESCE(b.component, 0)"""
_OLD_OWNER = _key("OLD.close_id")
_ORDER_PAY_MATCH_11 = (f"owner = {_OLD_OWNER} "
                       f"AND {owned_id_sql('order_ref', _form('base', _OLD_OWNER), _form('width', _OLD_OWNER))} "
                       f"IS OLD.order_id AND {staff_sql('employee_ref')} IS OLD.employee_id "
                       f"AND component + {_form('component', _OLD_OWNER)} = {_key('OLD.component')} "
                       f"AND {amount_sql('amount')} IS OLD.amount")
_ORDER_PAY_INSERT_11 = (f"{_keep('NEW.close_id')}; {_keep('NEW.component')}; "
                        f"INSERT INTO order_pay_rows VALUES ({_key('NEW.close_id')}, CAST(NEW.order_id AS TEXT), "
                        f"{_key('NEW.component')} - {_form('component', _key('NEW.close_id'))}, "
                        "CAST(NEW.employee_id AS TEXT), abs(random() % 1000000000) + 1, CAST(NEW.amount AS TEXT));")
ORDER_PAY_11 = (
    ORDER_PAY_OWNERS,
    _ORDER_PAY_VIEW_11,
    f"CREATE TRIGGER order_pay_insert INSTEAD OF INSERT ON order_pay BEGIN {_ORDER_PAY_INSERT_11} END",
    f"CREATE TRIGGER order_pay_delete INSTEAD OF DELETE ON order_pay BEGIN "
    f"DELETE FROM order_pay_rows WHERE {_ORDER_PAY_MATCH_11}; END",
    f"CREATE TRIGGER order_pay_update INSTEAD OF UPDATE ON order_pay BEGIN "
    f"DELETE FROM order_pay_rows WHERE {_ORDER_PAY_MATCH_11}; {_ORDER_PAY_INSERT_11} END",
)


def own_order_pay(conn: sqlite3.Connection) -> None:
    """Migration 11: the table of each close's forms (`ORDER_PAY_OWNERS`), and the view `order_pay`
    and its hand-edit triggers made again to read them. No row is rewritten: the closes already
    recorded have no row there and keep the forms of before."""
    for name in ("order_pay_insert", "order_pay_delete", "order_pay_update"):
        conn.execute(f"DROP TRIGGER {name}")
    conn.execute("DROP VIEW order_pay")
    for statement in ORDER_PAY_11:
        conn.execute(statement)


def order_forms(conn: sqlite3.Connection) -> dict[int, tuple[int, int, int]]:
    """Each close's (base, width, component) in `order_pay_owners` (migration 11), by its key."""
    return {owner: (base, width, component) for owner, base, width, component
            in conn.execute("SELECT owner, base, width, component FROM order_pay_owners")}


def owned_order(ref: Any, text: Any, base: int, width: int) -> Any:
    """The stored form of an order under its close's `base` and `width`: `ref` (its `id_refs`
    form) re-based where it is a number of a prefix below `width` from `base` on, else its text."""
    if isinstance(ref, int):
        number, prefix = ref >> 5, ref & 31
        if number >= base and prefix < width:
            return (number - base) * width + prefix
        return text if isinstance(text, str) else str(text)
    return ref


class OrderProbe:
    """The orders a refund asks about, ready to be looked for close by close (`Ledger.paid_orders`):
    their `id_refs` forms split once into number and prefix, so that each close is asked only for
    the orders its rows could hold. A close's stored numbers span one range (its smallest and
    largest, two reads of the key), and most closes hold no text order at all: an order outside
    every range is never looked up, so the cost follows the orders asked about, not the months the
    ledger holds."""

    def __init__(self, refs: Sequence[Any], texts: Sequence[Any]):
        self.refs, self.texts = refs, texts
        numbered = np.fromiter((type(ref) is int for ref in refs), dtype=bool, count=len(refs))
        values = np.array([ref if ok else 0 for ref, ok in zip(refs, numbered.tolist())], dtype=np.int64)
        self.numbered, self.numbers, self.prefixes = numbered, values >> 5, values & 31

    def rows(self, conn: sqlite3.Connection, owner: int, base: int, width: int) -> list[tuple[int, Any, Any]]:
        """(owner, stored form, text) of each order that close `owner` could hold (`owned_order`'s
        forms, in the orders' order): numbers within the close's range, texts if it holds any."""
        key = "SELECT order_ref FROM order_pay_rows WHERE owner = ? AND order_ref {} ORDER BY order_ref {} LIMIT 1"
        low = conn.execute(key.format("< ''", "ASC"), (owner,)).fetchone()     # numbers sort before texts
        high = conn.execute(key.format("< ''", "DESC"), (owner,)).fetchone()
        texts = conn.execute(key.format(">= ''", "ASC"), (owner,)).fetchone() is not None
        fits = self.numbered & (self.numbers >= base) & (self.prefixes < width)
        stored = (self.numbers - base) * width + self.prefixes
        out: list[tuple[int, Any, Any]] = []
        if low is not None and high is not None:
            within = fits & (stored >= low[0]) & (stored <= high[0])
            out += [(owner, form, self.texts[i]) for i, form in
                    zip(np.flatnonzero(within).tolist(), stored[within].tolist())]
        if texts:
            out += [(owner, owned_order(self.refs[i], self.texts[i], base, width), self.texts[i])
                    for i in np.flatnonzero(~fits).tolist()]
        return out


def _owned_orders(refs: list[Any], texts: Sequence[Any]) -> tuple[int, int, list[Any]]:
    """(base, width, stored forms) of a close's orders: base the smallest number of the prefixes
    that hold at least 1/64 of its numbered orders (an odd ID with a small number, `1041`, does not
    make every order long; it is stored as its text), width the largest prefix key + 1, every
    number stored re-based (`owned_order`)."""
    numbered = refs if not set(map(type, refs)) - {int} else [ref for ref in refs if isinstance(ref, int)]
    if not numbered:
        return 0, 32, refs
    array = np.array(numbered, dtype=np.int64)
    numbers, prefixes = array >> 5, array & 31
    common = np.bincount(prefixes, minlength=32) * 64 >= len(array)
    base = int(numbers[common[prefixes]].min())
    width = int(prefixes[numbers >= base].max()) + 1
    if len(array) == len(refs) and base == int(numbers.min()):   # the common case, at once (a million orders)
        return base, width, ((numbers - base) * width + prefixes).tolist()
    return base, width, [owned_order(ref, text, base, width) for ref, text in zip(refs, texts)]
