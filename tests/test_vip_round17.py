"""Round 17: `Spend` makes each of this month's rows as a `Purchase` once (`_purchase`), shared by
`month_rows`, `month_orders` and `kept_orders`, and `_fold_cents` numbers the persons this month
did not number (holders who bought nothing) by a loop over those only, and `discount_audit` words
each set of terms once. Compared with the old forms kept here: a new `Purchase` per row per call,
a comprehension over every sum's person, the terms worded for every audit row."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csbatch.vip.model import SpendCents
from csbatch.vip.people import ANONYMOUS, People
from csbatch.vip.pricing import ZERO
from csbatch.vip.purchases import _BOUND, Spend, _fold_cents, _made

AMOUNTS = st.sampled_from(["5E+1", "-0", "0.000", "-12.5", "1.2300", "7", "7.00", "-3", "0", "100.10",
                           "2E-2", "0.001", "123456789012345678901234567.89", "-7.00"])
LISTS = st.sampled_from([None, "9.99", "0", "-1", "1E+3"])
CIDS = st.sampled_from(["C1", "C2", "C3", "C4", "中", "", "c\0", "nan", "C1 ", "X9", "<b>&'"])


def _people() -> People:
    return People(person_by_customer={"C1": "P1", "C2": "P1", "C3": "P3", "中": "P3", "c\0": "P4"},
                  customers_of={"P1": ["C1", "C2"], "P3": ["C3", "中"], "P4": ["c\0"], "P5": []})


def _month(policy, rows) -> pd.DataFrame:
    stores = [p.store_type for p in policy.vip.programmes.values()]
    return pd.DataFrame({
        "period": "2026-10", "customer_id": pd.Series([r[0] for r in rows], dtype=object),
        "store_type": pd.Series([stores[r[1] % len(stores)] for r in rows], dtype=object),
        "category": "regular", "order_id": pd.Series([f"O{i % 5}" for i in range(len(rows))], dtype=object),
        "order_date": pd.Series([pd.NaT if r[3] == 0 else pd.Timestamp(2026, 10, r[3]) for r in rows],
                                dtype="datetime64[ns]"),
        "amount": pd.Series([Decimal(r[2]) for r in rows], dtype=object),
        "list_amount": pd.Series([None if r[4] is None else Decimal(r[4]) for r in rows], dtype=object)})


def _rows(p) -> list:
    """A list of purchases by value (a `Purchase` equals another of the same fields; NaN does not
    equal itself, so compared by text)."""
    return [repr(x) for x in p]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(CIDS, st.integers(0, 1), AMOUNTS, st.integers(0, 28), LISTS), max_size=25),
       asks=st.lists(st.tuples(st.sampled_from(["rows", "orders", "kept", "kept_all"]),
                               st.sampled_from(["P1", "P3", "P4", "P5", ANONYMOUS + "X9", ANONYMOUS, "nobody",
                                                ANONYMOUS + "<b>&'"]),
                               st.integers(0, 2)), max_size=12))
def test_rows_made_once_are_the_rows_made_each_time(policy, rows, asks):
    """Whatever is asked in whatever order, the lists hold the same purchases as when every call
    made its own (the old `_purchase`), and a row asked twice is the one object."""
    month = _month(policy, rows)
    codes = [*policy.vip.programmes, "nope"]
    new = Spend("2026-10", None, month, _people(), policy)
    old = Spend("2026-10", None, month, _people(), policy)
    old._purchase = old._new_purchase       # type: ignore[method-assign]  # round 16's: made each call
    for what, person, c in asks:
        code = codes[c]
        for spend in (new, old):
            spend.load_orders([person], "")
        if what == "rows":
            assert _rows(new.month_rows(person, code)) == _rows(old.month_rows(person, code))
        elif what == "orders":
            assert _rows(new.month_orders(person, code)) == _rows(old.month_orders(person, code))
        elif what == "kept":
            assert _rows(new.kept_orders(person, code)) == _rows(old.kept_orders(person, code))
        else:
            assert _rows(new.kept_orders(person)) == _rows(old.kept_orders(person))
    for i in range(len(rows)):
        assert new._purchase(i) is new._purchase(i)
        assert repr(new._purchase(i)) == repr(old._purchase(i))


def _old_fold_cents(found: SpendCents, people: People, programme_of: dict[str, str], codes: dict[str, int],
                    programmes: list[str]) -> tuple[np.ndarray, np.ndarray, dict[int, Decimal]]:
    """Round 16's `_fold_cents`, as it was."""
    persons = people.persons(found.customers)
    numbered: list[Any] = list(map(codes.get, persons))
    if None in numbered:
        number = codes.setdefault
        numbered = [c if c is not None else number(p, len(codes)) for c, p in zip(numbered, persons)]
    person = np.array(numbered, dtype=np.int64)
    place_of = {code: j for j, code in enumerate(programmes)}
    store_place = np.array([place_of[programme_of[s]] for s in found.store_names], dtype=np.int64)
    n = len(programmes)
    key = person[found.at] * n + store_place[found.store] if len(found.at) else np.zeros(0, dtype=np.int64)
    size = len(codes) * n
    has = np.zeros(size, dtype=bool)
    has[key] = True
    wide = bool(len(found.cents)) and (int(found.cents.max()) >= _BOUND // len(found.cents)
                                       or int(found.cents.min()) <= -_BOUND // len(found.cents))
    cents = np.zeros(size, dtype=object if wide else np.int64)
    np.add.at(cents, key, found.cents.astype(object) if wide else found.cents)
    exact: dict[int, Decimal] = {}
    if found.exact:
        odd = set(key[list(found.exact)].tolist())
        rows: dict[int, dict[str, list[int]]] = {}
        for i in np.flatnonzero(np.isin(key, list(odd))).tolist():
            rows.setdefault(int(key[i]), {}).setdefault(found.customers[found.at[i]], []).append(i)
        for code, of_customer in rows.items():
            total = ZERO
            for customer in sorted(of_customer):
                at = of_customer[customer]
                ex = [found.exact[i] for i in at if i in found.exact]
                total = total + (ex[0] if ex else _made(sum(int(found.cents[i]) for i in at)))
            exact[code] = total
    return cents, has, exact


_CUSTOMERS = ["C1", "C2", "C3", "中", "c\0", "X9", "", "nan", "C1"]


@settings(max_examples=100, deadline=None)
@given(sums=st.lists(st.tuples(st.integers(0, len(_CUSTOMERS) - 1), st.integers(0, 1),
                               st.one_of(st.integers(-10**6, 10**6), st.sampled_from([2**62, -(2**62)]))),
                     max_size=14),
       exact=st.dictionaries(st.integers(0, 13), st.sampled_from(["0.125", "-0.00", "1E+2", "9.999"]), max_size=3),
       numbered=st.lists(st.sampled_from(["P1", "P3", "P4", ANONYMOUS + "X9", ANONYMOUS, "P9"]), unique=True))
def test_fold_numbers_the_unnumbered_as_before(sums, exact, numbered):
    """The same codes (persons this month did not number get the next numbers, in the order of the
    sums' customers, a person once however many of its customers), sums and exact Decimals."""
    people = _people()
    found = SpendCents(list(_CUSTOMERS), np.array([s[0] for s in sums], dtype=np.int64),
                       np.array([s[1] for s in sums], dtype=np.intp), ["s0", "s1"],
                       np.array([s[2] for s in sums], dtype=np.int64),
                       {i: ZERO + Decimal(v) for i, v in exact.items() if i < len(sums)})
    programme_of, programmes = {"s0": "a", "s1": "b"}, ["a", "b"]
    codes_new = {p: i for i, p in enumerate(numbered)}
    codes_old = dict(codes_new)
    got = _fold_cents(found, people, programme_of, codes_new, programmes)
    want = _old_fold_cents(found, people, programme_of, codes_old, programmes)
    assert list(codes_new.items()) == list(codes_old.items())
    assert got[0].tolist() == want[0].tolist() and got[1].tolist() == want[1].tolist()
    assert [(k, str(v)) for k, v in got[2].items()] == [(k, str(v)) for k, v in want[2].items()]


def _old_discount_audit(cards, spend, vouchers, policy) -> pd.DataFrame:
    """Round 16's `discount_audit`, as it was: the terms worded for every row."""
    from csbatch.rules.reasons import Reason
    from csbatch.vip.discount_check import AUDIT_COLUMNS, _category_name
    from csbatch.vip.model import empty
    from csbatch.vip.pricing import card_rate, percent, price_with_card, yen

    vip = policy.vip
    never = set(vip.never_discounted)
    rows = []
    for card in cards:
        programme = vip.programmes.get(card.programme)
        if programme is None or not card.active_this_month:
            continue
        tier = card.tier_at_start or card.tier
        for order in spend.month_orders(card.person, card.programme):
            if not card.member_order(order):
                continue
            voucher = vouchers.get(order.order_id, ZERO)
            expected = price_with_card(order.list_amount, programme, tier, order.category, voucher, never)
            if order.amount == expected:
                continue
            if order.category in never and order.amount < expected:
                problem = Reason.of("never_discounted", category=Reason.named(
                    order.category.replace("_", "-"), _category_name(policy, order.category)))
            else:
                rate = card_rate(programme, tier, order.category, never)
                tier_name = programme.tiers[tier].name if tier in programme.tiers else tier
                terms = (Reason.of("full_price") if order.category in never else
                         Reason.of("card_rate", tier=Reason.named(tier, tier_name), rate=percent(rate)))
                if voucher:
                    terms = Reason.of("less_voucher", terms=terms, voucher=yen(voucher))
                problem = Reason.of("off_terms", paid=yen(order.amount), expected=yen(expected), terms=terms)
            rows.append({"order_id": order.order_id, "customer_id": order.customer_id, "tier": tier,
                         "category": order.category, "list_amount": order.list_amount, "amount": order.amount,
                         "expected_amount": expected, "problem": problem, "_date": order.order_date})
    if not rows:
        return empty(AUDIT_COLUMNS)
    out = pd.DataFrame(rows).sort_values(["_date", "order_id"], kind="stable")
    return out[AUDIT_COLUMNS].reset_index(drop=True)


VOUCHERS = st.sampled_from([None, "1.0", "1.00", "1", "0", "0.00", "-5", "12.345", "1E+2", "100"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(st.sampled_from(["C1", "C3", "c\0", "X9"]), st.integers(0, 1),
                               st.sampled_from(["100", "90", "85.00", "92", "0.01", "80", "1E+2", "79.999", "50"]),
                               st.integers(1, 28), st.sampled_from(["regular", "special_price", "imported", "new"]),
                               VOUCHERS),
                     max_size=25),
       tiers=st.lists(st.sampled_from(["silver", "gold", "", "bronze"]), min_size=4, max_size=4))
def test_discount_audit_words_terms_as_before(policy, rows, tiers):
    """The same audit rows and reasons, in every language they are worded in, when vouchers equal
    in value differ in text (1.0, 1.00, 1), with several tiers and categories, as round 16's form."""
    import datetime as dt

    from csbatch.vip.card_events import ACTIVE, Card
    from csbatch.vip.discount_check import discount_audit

    stores = [p.store_type for p in policy.vip.programmes.values()]
    month = pd.DataFrame({
        "period": "2026-10", "customer_id": pd.Series([r[0] for r in rows], dtype=object),
        "store_type": pd.Series([stores[r[1]] for r in rows], dtype=object),
        "category": pd.Series([r[4] for r in rows], dtype=object),
        "order_id": pd.Series([f"O{i}" for i in range(len(rows))], dtype=object),
        "order_date": pd.Series([pd.Timestamp(2026, 10, r[3]) for r in rows], dtype="datetime64[ns]"),
        "amount": pd.Series([Decimal(r[2]) for r in rows], dtype=object),
        "list_amount": pd.Series([Decimal("100")] * len(rows), dtype=object)})
    vouchers = {f"O{i}": Decimal(r[5]) for i, r in enumerate(rows) if r[5] is not None}
    spend = Spend("2026-10", None, month, _people(), policy)
    codes = list(policy.vip.programmes)
    cards = [Card(f"V{i}", person, "C1", codes[i % 2], tiers[i] or "silver", dt.date(2026, 1, 1),
                  dt.date(2026, 12, 31), ACTIVE, active_at_start=True, tier_at_start=tiers[i])
             for i, person in enumerate(["P1", "P3", "P4", ANONYMOUS + "X9"])]
    got, want = discount_audit(cards, spend, vouchers, policy), _old_discount_audit(cards, spend, vouchers, policy)
    assert got.to_csv() == want.to_csv()
    assert [(p.text("en"), p.text("zh")) for p in got["problem"]] == \
        [(p.text("en"), p.text("zh")) for p in want["problem"]]
