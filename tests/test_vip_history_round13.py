"""Round 13 (issue 14): what a close's VIP stage does with the months the ledger holds, made
cheaper, gives what the forms before it gave: the earlier spend folded per (person, programme),
the trailing sums merged, a ledger read's rows split into columns, this month's rows made
`Purchase`s, and care dates computed once per order date."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from csbatch.vip.dates import add_months
from csbatch.vip.people import ANONYMOUS, People
from csbatch.vip.pricing import ZERO
from csbatch.vip.purchases import Purchase, Spend, _day, _decimal, _earlier_sums, _plus

_DECIMALS = st.one_of(
    st.decimals(allow_nan=False, allow_infinity=False, places=2),
    st.decimals(allow_nan=False, allow_infinity=False, places=None),
    st.sampled_from([Decimal("-0"), Decimal("-0.00"), Decimal("0E+5"), Decimal("1E+30"), Decimal("NaN"),
                     Decimal("12345678901234567890123456789.99"), Decimal("-Infinity"), Decimal("0.001")]))
#: customers: known to a person (two share one), unknown (anonymous), hostile text, a number
_CUSTOMERS = st.sampled_from(["c1", "c2", "c3", "", " ", "c\0", "人", "nan", "None", 7, "7", "customer:c1"])
_PEOPLE = People(person_by_customer={"c1": "P", "c2": "P", "c3": "Q", "人": "Q", "c\0": "R", "7": "S"})
_PROGRAMME_OF = {"store-a": "gold", "store-b": "elite"}


def _old_fold(customers: list[Any], stores: list[Any], amounts: list[Decimal], people: People,
              programme_of: dict[str, str]) -> dict[tuple[str, str], Decimal]:
    """`Spend.__init__`'s loop over the earlier spend before round 13."""
    trailing: dict[tuple[str, str], Decimal] = {}
    for cid, store, amount in zip(customers, stores, amounts):
        key = (people.person(str(cid)), programme_of[store])
        trailing[key] = trailing.get(key, ZERO) + amount
    return trailing


def _old_plus(earlier: dict, month: dict) -> dict:
    """`_plus` before round 13: the keys of both as a set, three look-ups each."""
    merged = {**earlier, **month}
    for key in earlier.keys() & month.keys():
        merged[key] = earlier[key] + month[key]
    return merged


def _digits(sums: dict) -> list[tuple[Any, str]]:
    """Keys in order, values in value and digits (NaN is not equal to itself)."""
    return [(key, str(value)) for key, value in sums.items()]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(_CUSTOMERS, st.sampled_from(list(_PROGRAMME_OF)), _DECIMALS), max_size=14))
def test_earlier_spend_folds_per_person_as_the_loop(rows):
    """One row per key (most), several (a person of two customer IDs, a customer twice),
    anonymous customers, a number as customer: the same keys, in order, and the same sums."""
    customers = [r[0] for r in rows]
    stores = [r[1] for r in rows]
    amounts = [r[2] for r in rows]
    new = _earlier_sums(customers, stores, amounts, _PEOPLE, _PROGRAMME_OF)
    old = _old_fold(customers, stores, amounts, _PEOPLE, _PROGRAMME_OF)
    assert _digits(new) == _digits(old)
    assert all(type(k[0]) is str for k in new)


def test_earlier_spend_fold_of_no_rows_and_of_repeats():
    assert _earlier_sums([], [], [], _PEOPLE, _PROGRAMME_OF) == {}
    rows = (["c1", "x", "c2", "x", "c1"], ["store-a"] * 5,
            [Decimal("1.005"), Decimal("2"), Decimal("-0.00"), Decimal("1E+2"), Decimal("0.1")])
    new = _earlier_sums(*rows, _PEOPLE, _PROGRAMME_OF)
    assert _digits(new) == _digits(_old_fold(*rows, _PEOPLE, _PROGRAMME_OF))
    assert list(new) == [("P", "gold"), (ANONYMOUS + "x", "gold")]
    assert str(new["P", "gold"]) == "1.105"


_KEYS = st.tuples(st.sampled_from(["p1", "p2", "p3", "customer:9", "", "人", "p\0"]), st.sampled_from(["a", "b"]))


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(_KEYS, _DECIMALS, max_size=12), st.dictionaries(_KEYS, _DECIMALS, max_size=3),
       st.booleans())
def test_trailing_merge_walks_either_side_as_the_set_of_both(earlier, month, swap):
    """`_plus` walks the smaller dict (earlier or month, both tried): the same dict as the set of
    both keys and three look-ups each, keys in the same order, values in value and digits."""
    if swap:
        earlier, month = month, earlier
    month = {key: ZERO + amount for key, amount in month.items()}
    assert _digits(_plus(earlier, month)) == _digits(_old_plus(earlier, month))


def test_ledger_rows_split_into_columns_as_zip_does():
    from csbatch.ledger.vip_reads import _column

    rows = [(1, "a", 2), ("x\0", None, 0.5), (2**62, "", -3)]
    assert tuple(_column(rows, i) for i in range(3)) == tuple(zip(*rows))
    assert [_column([], i) for i in range(3)] == [(), (), ()]


def _old_purchase(spend: Spend, i: int) -> Purchase:
    """`Spend._purchase` before round 13."""
    per, cid, code, cat, oid, day, amount, lst = (column[i] for column in spend._columns)
    lst = amount if lst is None else _decimal(lst)
    return Purchase(per, cid, code, cat, oid, _day(day), amount, lst)


def test_month_rows_made_purchases_as_the_generator_made_them(policy):
    """List amounts given, blank (None: the amount), as text; dates blank and not: each row the
    same `Purchase` (fields equal and of the same types)."""
    store = next(p.store_type for p in policy.vip.programmes.values())
    month = pd.DataFrame({
        "period": "2026-10", "customer_id": ["c1", "c2", "c2", "人"], "store_type": store,
        "category": ["regular", "bed", "regular", "x"], "order_id": ["o1", "o2", "o3", "o\0"],
        "order_date": pd.to_datetime(["2026-10-05", None, "2026-10-31", "2026-10-01"]),
        "amount": [Decimal("10.00"), Decimal("-3"), Decimal("1E+2"), Decimal("0.005")],
        "list_amount": pd.Series([None, "12.50", Decimal("7"), None], dtype=object)})
    spend = Spend("2026-10", None, month, People(), policy)
    for i in range(len(month)):
        new, old = spend._purchase(i), _old_purchase(spend, i)
        assert new == old
        assert [type(getattr(new, f)) for f in new.__dataclass_fields__] == \
            [type(getattr(old, f)) for f in old.__dataclass_fields__]


def _old_care(day: dt.date, months: int, days_before: int) -> tuple[dt.date, dt.date]:
    due = add_months(day, months)
    return due, due - dt.timedelta(days=days_before)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2999, 12, 31)),
                          st.integers(min_value=0, max_value=60)), max_size=20),
       st.integers(min_value=-40, max_value=400))
def test_care_dates_computed_once_are_the_dates_of_each_order(orders, days_before):
    """Dates repeated (each asked twice), month ends, 29 February, cycles of 0-60 months."""
    from csbatch.vip.tasks import _care_dates

    dates = _care_dates(days_before)
    fixed = [(dt.date(2024, 2, 29), 12), (dt.date(2026, 1, 31), 1), (dt.date(2026, 10, 31), 13)]
    for day, months in [*orders, *orders, *fixed, *fixed]:
        got, want = dates(day, months), _old_care(day, months, days_before)
        assert got == want and [type(d) for d in got] == [type(d) for d in want]


def test_care_dates_of_a_datetime_are_not_those_of_its_date():
    """A datetime (not what `Spend` gives) is computed each time, as before: a datetime after its
    date was asked keeps its time and its type."""
    from csbatch.vip.tasks import _care_dates

    dates = _care_dates(3)
    assert dates(dt.date(2026, 1, 31), 1) == _old_care(dt.date(2026, 1, 31), 1, 3)
    moment = dt.datetime(2026, 1, 31, 10, 30)
    got = dates(moment, 1)
    assert got == _old_care(moment, 1, 3) and all(type(d) is dt.datetime for d in got)
    stamp = pd.Timestamp("2026-01-31 10:30")
    assert dates(stamp, 1) == _old_care(stamp, 1, 3) and type(dates(stamp, 1)[0]) is pd.Timestamp


def test_spend_of_one_owner_and_one_month_is_not_added_up_again(tmp_path):
    """A ledger's second month: one live close, one month in the window. `spend` reads each
    customer's per-month sums without adding them up again by customer and store type; the
    same frame as the query that did (round 8's `_old_spend`) and as the frame of every purchase,
    with hand edits stored as text beside the number form of the same customer, in that month."""
    from csbatch.ledger import Ledger
    from csbatch.ledger.vip_reads import _SPEND_PER_MONTH, LedgerPurchases, _spend_sql
    from csbatch.vip.purchases import FramePurchases
    from test_vip_spend_sql import CUSTOMERS, ROWS, STORES, _frame, _old_spend, _rows

    ledger = Ledger(tmp_path / "l.sqlite")
    try:
        ledger.import_purchases("imp1", "h.xlsx", "0" * 64, _frame(ROWS))
        edits = [("imp1", "2026-03", "K2", "flagship", "regular", "HX", "2026-03-01", "5"),
                 ("imp1", "2026-03", "K2", "modern", "regular", "HY", "2026-03-01", "0.001"),
                 ("imp1", "2026-03", "K9", "modern", "regular", "HZ", "2026-03-01", "3.000"),
                 ("imp1", "2026-03", "0042", "modern", "regular", "HV", "2026-03-01", "-0.00")]
        ledger.conn.executemany("INSERT INTO vip_purchases VALUES (?, ?, ?, ?, ?, ?, ?, ?)", edits)
        sql = LedgerPurchases(ledger.conn, "9999-99")
        every = ledger.vip_history().purchases
        months = sorted({r[0] for r in ROWS})
        for month in months:
            before = f"{month}-99"          # the window: that month only
            keys = sql._keys(month, before, STORES)
            assert _spend_sql(keys) == _SPEND_PER_MONTH
            for customers in (CUSTOMERS, CUSTOMERS[::-1], ["K2", "K9"], ["K9"], []):
                new = sql.spend(month, before, STORES, customers)
                assert _rows(new) == _old_spend(sql, month, before, STORES, customers)
                assert sorted(_rows(new)) == sorted(_rows(FramePurchases(every).spend(month, before, STORES,
                                                                                      customers)))
        assert _spend_sql(sql._keys(months[0], "9999-99", STORES)) != _SPEND_PER_MONTH     # many months
    finally:
        ledger.close()
