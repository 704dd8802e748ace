"""Round 14: `Spend` keeps this month's rows per key and per person as one stable sort each
(`Rows`, `RowsOf`: a list made only for what is asked), sums one-row keys by one numpy pass of
`ZERO.__add__`, finds a key's rows among its person's, and lists customers of persons by one
`map`. Compared with round 13's form kept here: a dict of lists per key and person, a loop
of `sum`/`max` per key, a loop over persons."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csbatch.vip.people import ANONYMOUS, People
from csbatch.vip.pricing import ZERO
from csbatch.vip.purchases import Spend, _groups


def _old_groups(cids, codes, people):
    at: dict = {}
    of_person: dict = {}
    for i, (cid, code) in enumerate(zip(cids, codes)):
        person = people.person(cid)
        at.setdefault((person, code), []).append(i)
        of_person.setdefault(person, []).append(i)
    return at, of_person


def _old_customers(people, persons):
    out: list[str] = []
    for person in persons:
        cids = people.customers_of.get(person)
        if cids:
            out += cids
        elif person.startswith(ANONYMOUS):
            out.append(person[len(ANONYMOUS):])
    return out


AMOUNTS = st.sampled_from(["5E+1", "-0", "0.000", "-12.5", "1.2300", "7", "7.00", "-3", "0", "100.10",
                           "2E-2", "0.001", "123456789012345678901234567.89", "-7.00"])
CIDS = st.sampled_from(["C1", "C2", "C3", "C4", "中", "", "c\0", "nan", "C1 ", "X9"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(CIDS, st.booleans(), AMOUNTS, st.integers(1, 28)), max_size=30))
def test_spend_is_round_13s_dicts_and_loops(policy, rows):
    stores = [p.store_type for p in policy.vip.programmes.values()]
    people = People(person_by_customer={"C1": "P1", "C2": "P1", "C3": "P3", "中": "P3", "c\0": "P4"},
                    customers_of={"P1": ["C1", "C2"], "P3": ["C3", "中"], "P4": ["c\0"], "P5": []})
    month = pd.DataFrame({
        "period": "2026-10", "customer_id": pd.Series([r[0] for r in rows], dtype=object),
        "store_type": pd.Series([stores[int(r[1]) % len(stores)] for r in rows], dtype=object),
        "category": "regular", "order_id": pd.Series([f"O{i % 7}" for i in range(len(rows))], dtype=object),
        "order_date": pd.Series([pd.Timestamp(2026, 10, r[3]) for r in rows], dtype="datetime64[ns]"),
        "amount": pd.Series([Decimal(r[2]) for r in rows], dtype=object)})
    spend = Spend("2026-10", None, month, people, policy, holders={"P5", ANONYMOUS + "Z"})
    cids = [str(c) for c in month["customer_id"]]
    codes = [spend.programme_of[s] for s in month["store_type"]]
    at, of_person = _old_groups(cids, codes, people)
    new_at, new_person = _groups(cids, codes, people)
    assert list(new_at.items()) == list(at.items()) and list(new_person.items()) == list(of_person.items())
    amounts = [Decimal(r[2]) for r in rows]
    want_month, want_largest = {}, {}
    for key, rows_of in at.items():
        of_key = [amounts[i] for i in rows_of]
        want_month[key] = sum(of_key, ZERO)
        if max(of_key) > ZERO:
            want_largest[key] = max(of_key)
    assert [(k, str(v), v.as_tuple()) for k, v in spend.month.items()] == \
        [(k, str(v), v.as_tuple()) for k, v in want_month.items()]
    assert [(k, v.as_tuple()) for k, v in spend.largest_order.items()] == \
        [(k, v.as_tuple()) for k, v in want_largest.items()]
    assert list(spend.trailing.items()) == list(want_month.items())
    for key, rows_of in at.items():
        want = sorted((spend._purchase(i) for i in rows_of), key=lambda p: (p.order_date or dt.date.min, p.order_id))
        assert spend.month_rows(*key) == want
    assert spend.month_rows("nobody", codes[0] if codes else "x") == []
    for person, rows_of in of_person.items():
        got = spend.kept_orders(person)
        want = sorted((p for p in (spend._purchase(i) for i in rows_of)
                       if p.is_order and p.order_id not in spend.refunds),
                      key=lambda p: (p.order_date or dt.date.min, p.order_id))
        assert got == want
    persons = [*of_person, "P5", "P1", ANONYMOUS + "Z", "nobody"]
    assert spend._customers(persons) == _old_customers(people, persons)
    assert spend._customers(set(persons)) == _old_customers(people, set(persons))
