"""Round 16: earlier spend folded per person in integer cents (`LedgerPurchases.spend_cents`,
`purchases._fold_cents`, `Trailing`), Decimals made only for the keys read, `_could_qualify`
compared in cents (`Trailing.reaching`). Held to the old forms kept here and in the code: the
frame of `LedgerPurchases.spend`, `_earlier_sums` then `_plus` (a dict of Decimals), and the
per-key comprehension of `_could_qualify`; on amounts cents cannot hold (three decimals, an
exponent, `-0.00`, text-stored hand edits), customers of several IDs, refunds and negative sums,
sums past int64's reach."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csbatch.ledger import Ledger
from csbatch.ledger.vip_reads import LedgerPurchases
from csbatch.vip.card_events import _could_qualify
from csbatch.vip.model import SpendCents
from csbatch.vip.people import ANONYMOUS, People
from csbatch.vip.pricing import ZERO
from csbatch.vip.purchases import Spend, Trailing, _earlier_sums, _fold_cents, _plus
from test_vip_spend_sql import CUSTOMERS, ROWS, STORES, WINDOWS, _frame  # the rows of round 8


def _exactly(mapping) -> list:
    """Keys, values and digits, in order."""
    return [(k, str(v), v.as_tuple()) for k, v in mapping.items()]


def _old_could_qualify(trailing: dict, largest: dict, entry: dict) -> list:
    """`_could_qualify`'s comprehension (round 13) over a plain dict."""
    return [key for key, amount in trailing.items()
            if amount >= entry[key[1]].trailing_12m
            or ((order := entry[key[1]].single_order) is not None and largest.get(key, ZERO) >= order)]


def _as_frame_rows(found: SpendCents) -> list:
    """`spend_cents` read back as `spend`'s rows: a customer's sums per store type added up."""
    sums: dict = {}
    for i, (at, store, cents) in enumerate(zip(found.at.tolist(), found.store.tolist(), found.cents.tolist())):
        key = (found.customers[at], found.store_names[store])
        assert not (i in found.exact and key in sums), "a marked group is one row"
        sums[key] = found.exact[i] if i in found.exact else sums.get(key, 0) + cents
    return sorted((c, s, str(v if isinstance(v, Decimal) else ZERO + Decimal(v).scaleb(-2)))
                  for (c, s), v in sums.items())


def _ledger(tmp_path) -> Ledger:
    ledger = Ledger(tmp_path / "l.sqlite")
    ledger.import_purchases("imp1", "h.xlsx", "0" * 64, _frame(ROWS[:9]))
    ledger.import_purchases("imp2", "h2.xlsx", "1" * 64, _frame(ROWS[9:]))     # two owners, same customers
    edits = [("imp1", "2026-03", "K1", "flagship", "regular", "HX", "2026-03-01", "5"),     # text-stored
             ("imp1", "2026-04", "K3", "flagship", "regular", "HY", "2026-04-01", "2.555"),
             ("imp1", "2026-04", "K9", "modern", "regular", "HZ", "2026-04-01", "3.000"),
             ("imp1", "2026-05", "K4", "flagship", "regular", "HQ", "2026-05-01", "-0.00")]
    ledger.conn.executemany("INSERT INTO vip_purchases VALUES (?, ?, ?, ?, ?, ?, ?, ?)", edits)
    return ledger


def test_spend_cents_reads_back_as_spend(tmp_path):
    ledger = _ledger(tmp_path)
    try:
        sql = LedgerPurchases(ledger.conn, "9999-99")
        for since, before in WINDOWS:
            for customers in (CUSTOMERS, CUSTOMERS[::-1], ["K2"], ["K1", "K1"], []):
                found = sql.spend_cents(since, before, STORES, customers)
                old = sql.spend(since, before, STORES, customers)
                assert _as_frame_rows(found) == sorted(zip(old["customer_id"], old["store_type"],
                                                            map(str, old["amount"])))
                assert found.at.dtype == np.int64 and found.cents.dtype == np.int64
        assert ledger.conn.execute("SELECT count(*) FROM temp.spend_refs").fetchone() == (0,)
        empty = LedgerPurchases(Ledger(tmp_path / "new.sqlite").conn, "9999-99")
        assert len(empty.spend_cents("2025-11", "2026-10", STORES, CUSTOMERS).at) == 0
    finally:
        ledger.close()


class _OldForm:
    """The ledger's earlier purchases without `spend_cents`: `Spend` takes the old path."""

    def __init__(self, sql: LedgerPurchases):
        self.sql = sql

    def spend(self, *args):
        return self.sql.spend(*args)

    def orders(self, *args):
        return self.sql.orders(*args)


def _month(policy, rows) -> pd.DataFrame:
    stores = [p.store_type for p in policy.vip.programmes.values()]
    return pd.DataFrame({
        "period": "2026-10", "customer_id": pd.Series([r[0] for r in rows], dtype=object),
        "store_type": pd.Series([stores[r[1] % len(stores)] for r in rows], dtype=object),
        "category": "regular", "order_id": pd.Series([f"N{i}" for i in range(len(rows))], dtype=object),
        "order_date": pd.Series([pd.Timestamp(2026, 10, 1 + i % 28) for i in range(len(rows))],
                                dtype="datetime64[ns]"),
        "amount": pd.Series([Decimal(r[2]) for r in rows], dtype=object)})


def test_spend_from_the_ledger_as_the_old_fold(tmp_path, policy):
    """`Spend` over the ledger: the same trailing sums, digit for digit, in cents and not, and the
    same keys could qualify, whatever the thresholds; persons of several customer ids."""
    ledger = _ledger(tmp_path)
    stores = [p.store_type for p in policy.vip.programmes.values()]
    more = ["250", "-40.5", "0.333", "19.99", "1E+1", "-0.00", "88", "7.10"]   # months no import holds
    ledger.import_purchases("imp3", "h3.xlsx", "2" * 64, _frame(
        [(f"2026-0{8 + i % 2}", f"K{i % 5}" if i % 3 else "1041", stores[i % 2], f"M{i}", f"2026-0{8 + i % 2}-01", a)
         for i, a in enumerate(more * 2)]))
    try:
        people = People(person_by_customer={"K1": "P1", "K2": "P1", "K3": "P3", "0042": "P3", "1041": "P4"},
                        customers_of={"P1": ["K1", "K2"], "P3": ["K3", "0042"], "P4": ["1041"], "P5": []})
        month = _month(policy, [("K1", 0, "12.34"), ("K2", 0, "-5"), ("K3", 1, "0.125"), ("K9", 0, "40000"),
                                ("1041", 1, "7"), ("Z", 0, "1E+2")])
        sql = LedgerPurchases(ledger.conn, "2026-10")
        holders = {"P5", ANONYMOUS + "K4", ANONYMOUS + "0042"}
        new = Spend("2026-10", sql, month, people, policy, holders=holders)
        old = Spend("2026-10", _OldForm(sql), month, people, policy, holders=holders)
        assert isinstance(new.trailing, Trailing) and isinstance(old.trailing, dict)
        assert sorted(_exactly(new.trailing)) == sorted(_exactly(old.trailing))
        assert len(new.trailing) == len(old.trailing) and set(new.keys()) == set(old.keys())
        for key in [*old.trailing, ("nobody", "x"), ("P1", "nope")]:
            assert _exactly({key: new.trailing_12m(*key)}) == _exactly({key: old.trailing_12m(*key)})
        for threshold in (Decimal("0"), Decimal("100"), Decimal("688.505"), Decimal("-1"), Decimal("Infinity")):
            for single in (None, Decimal("0"), Decimal("10"), Decimal("-5")):
                entry = {code: type("T", (), {"trailing_12m": threshold, "single_order": single})()
                         for code in policy.vip.programmes}
                assert _could_qualify(new, entry) == _old_could_qualify(dict(new.trailing.items()),
                                                                         new.largest_order, entry)
                assert sorted(_could_qualify(new, entry)) == sorted(_could_qualify(old, entry))
    finally:
        ledger.close()


_CUSTOMERS = ["C1", "C2", "C3", "C4", "中", "c\0", "X9"]
_EXACT = st.sampled_from(["0.125", "-0.00", "1E+2", "3.000", "99999999999999.0000001", "-2.555", "0E-7"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sums=st.lists(st.tuples(st.sampled_from(_CUSTOMERS), st.integers(0, 1),
                               st.one_of(st.integers(-10**6, 10**6), st.sampled_from([2**62, -(2**62), 2**63 - 1]),
                                         _EXACT)), max_size=14),
       month=st.dictionaries(st.tuples(st.sampled_from(["P1", "P2", ANONYMOUS + "X9", "P9"]), st.sampled_from(["a", "b"])),
                             st.sampled_from([Decimal("0.00"), Decimal("-3.00"), Decimal("700.00"), Decimal("0.125"),
                                              Decimal("1000.000"), Decimal("5E+2")]), max_size=6),
       threshold=st.sampled_from([Decimal("1000"), Decimal("0"), Decimal("999.999"), Decimal("-0.01")]),
       single=st.sampled_from([None, Decimal("500"), Decimal("0"), Decimal("-1")]))
def test_fold_in_cents_as_earlier_sums_then_plus(sums, month, threshold, single):
    """`_fold_cents` and `Trailing` against `_earlier_sums` and `_plus` over the frame `spend`
    answered (its rows sorted by customer and store type), on sums of one customer in two forms,
    marked sums, sums near int64's end; `reaching` against the per-key comprehension."""
    people = People(person_by_customer={"C1": "P1", "C2": "P1", "C3": "P2", "中": "P2", "c\0": "P1", "C4": "P9"},
                    customers_of={"P1": ["C1", "C2", "c\0"], "P2": ["C3", "中"], "P9": ["C4"]})
    programme_of, store_names = {"s0": "a", "s1": "b"}, ["s0", "s1"]
    customers = list(dict.fromkeys([c for c, _, _ in sums] + ["C4"]))
    at, store, cents, exact = [], [], [], {}
    marked = set()
    for c, s, v in sums:
        if isinstance(v, str):
            if (c, s) in marked:
                continue
            marked.add((c, s))
            exact[len(at)] = ZERO + Decimal(v)
            v = 0
        at.append(customers.index(c))
        store.append(s)
        cents.append(v)
    found = SpendCents(customers, np.array(at, dtype=np.int64), np.array(store, dtype=np.intp), store_names,
                       np.array(cents, dtype=np.int64), exact)
    # the old form: one row per (customer, store type), sorted, Decimals
    groups: dict = {}
    for i, (a, s, v) in enumerate(zip(at, store, cents)):
        key = (customers[a], store_names[s])
        groups[key] = exact[i] if i in exact else (groups.get(key, 0) + v if not isinstance(groups.get(key), Decimal)
                                                  else groups[key])
    for i in exact:     # a marked group holds the exact sum whatever the order of its rows
        groups[customers[at[i]], store_names[store[i]]] = exact[i]
    ordered = sorted(groups)
    amounts = [v if isinstance(v, Decimal) else ZERO + Decimal(v).scaleb(-2) for v in map(groups.__getitem__, ordered)]
    want = _plus(_earlier_sums([k[0] for k in ordered], [k[1] for k in ordered], amounts, people, programme_of), month)

    programmes = ["a", "b"]
    codes: dict = {}
    for p, _ in month:
        codes.setdefault(p, len(codes))
    folded = _fold_cents(found, people, programme_of, codes, programmes)
    names = list(month)
    month_codes = np.array([codes[p] * 2 + programmes.index(c) for p, c in names], dtype=np.int64)
    values, largest = np.empty(len(names), dtype=object), np.empty(len(names), dtype=object)
    values[:] = list(month.values())
    largest[:] = [v - 1 for v in month.values()]
    trailing = Trailing(codes, programmes, *folded, month, (month_codes, values, largest))
    assert sorted(_exactly(trailing)) == sorted(_exactly(want))
    assert list(trailing) == list(dict(trailing.items()))
    for key in [*want, ("P1", "a"), ("nobody", "a")]:
        assert _exactly({key: trailing.get(key, ZERO)}) == _exactly({key: want.get(key, ZERO)})
    entry = {code: type("T", (), {"trailing_12m": threshold, "single_order": single})() for code in programmes}
    largest_order = {k: v for k, v in zip(names, largest) if v > ZERO}
    assert trailing.reaching(dict.fromkeys(programmes, threshold), dict.fromkeys(programmes, single)) == \
        _old_could_qualify(dict(trailing.items()), largest_order, entry)
