"""Round 14: the rest of the VIP stage at a million orders with less CPU, the same results.

Each faster form is held against the form it replaced, kept here: people by `pd.factorize` and
whole-list dicts against the loop over the rows; the person hasher (`hmac`'s keyed state,
copied) against `hmac.new` for keys of every length; the month's purchases with the text columns tested on the candidate rows only
against the tests on every row; texts joined per group from one sorted list against `runs`."""

from __future__ import annotations

import hashlib
import hmac
import math
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csbatch.vip.people import ANONYMOUS, People, _persons, _text, build_people

BLANKS = st.sampled_from([None, math.nan, pd.NA, "", "  "])
CIDS = st.one_of(BLANKS, st.sampled_from(["C1", " C1", "C2 ", "C3", "c3", "x\x00", "漢字", "1"]),
                 st.integers(0, 3))
ID_NUMBERS = st.one_of(BLANKS, st.sampled_from(["11010519491231002x", "11010519491231002X ", " 110105194912310",
                                                  "ß", "ǆ", "\u0131d", "id\ttab", "'; DROP TABLE x; --"]),
                       st.text(max_size=6))


def _hmac_person(key: bytes):
    def person(id_number: str) -> str:
        return hmac.new(key, id_number.strip().upper().encode(), hashlib.sha256).hexdigest()
    return person


def _persons_by_loop(customer_ids, id_numbers, person_of):
    """`build_people`'s loop over the rows before round 14."""
    people = People()
    row_of: dict[str, int] = {}
    for i, cid in enumerate(customer_ids):
        cid = _text(cid)
        if cid is None or cid in row_of:
            continue
        row_of[cid] = i
        id_number = _text(id_numbers[i])
        person = person_of(id_number.upper()) if id_number else ANONYMOUS + cid
        people.person_by_customer[cid] = person
        people.customers_of.setdefault(person, []).append(cid)
    return row_of, people.person_by_customer, people.customers_of


@settings(max_examples=200, deadline=None)
@given(rows=st.lists(st.tuples(CIDS, ID_NUMBERS), max_size=25))
def test_persons_are_what_the_loop_over_the_rows_gave(rows):
    cids, ids = [c for c, _ in rows], [i for _, i in rows]
    person_of = _hmac_person(b"k")
    got = _persons(cids, ids, person_of)
    want = _persons_by_loop(cids, ids, person_of)
    for g, w in zip(got, want):
        assert list(g.items()) == list(w.items())     # the same entries, in the same order
        assert [type(k) for k in g] == [type(k) for k in w]
    assert [type(v) for v in got[0].values()] == [int] * len(got[0])


@settings(max_examples=200, deadline=None)
@given(key=st.binary(max_size=200), texts=st.lists(st.text(max_size=20), max_size=5))
def test_person_hasher_is_hmac_sha256(key, texts):
    from csbatch.vip.identity import person_hasher, person_of

    person = person_hasher(key)
    for text in texts:
        assert person(text) == person_of(text, key) == _hmac_person(key)(text)


@pytest.mark.parametrize("size", [0, 1, 63, 64, 65, 128, 1000])
def test_person_hasher_keys_of_every_length(size):
    """A key longer than SHA-256's block is hashed first, a shorter one padded (RFC 2104)."""
    from csbatch.vip.identity import person_hasher

    key = bytes(range(256)) * 4
    assert person_hasher(key[:size])("11010519491231002x") == _hmac_person(key[:size])("11010519491231002x")


def test_build_people_same_records_and_warnings():
    """The whole of `build_people` on a sheet with blanks, repeats and a shared ID: the same
    people, records and warnings as the loop gave."""
    customers = pd.DataFrame({
        "customer_id": ["C1", None, "C2", " C1", "C3", "C4", math.nan, "C5"],
        "id_number": ["110105194912310021", "x", None, "y", " 110105194912310021 ", "", "z", "11010519491231002x"],
        "name": ["A", "B", "C", "D", "E", None, "G", "H"],
        "phone": [None] * 8, "engineering": [True, None, False, None, None, None, None, True],
        "birthday": pd.to_datetime(["1990-01-02", None, None, None, "1980-05-06", None, None, None]),
        "_file": ["c.xlsx"] * 8, "_sheet": ["S"] * 8, "_row": range(2, 10),
    })
    people, issues = build_people(customers, b"key")
    row_of, by_customer, customers_of = _persons_by_loop(customers["customer_id"].tolist(),
                                                         customers["id_number"].tolist(), _hmac_person(b"key"))
    assert list(people.person_by_customer.items()) == list(by_customer.items())
    assert list(people.customers_of.items()) == list(customers_of.items())
    assert list(people.records) == list(row_of)
    assert [people.records[c].name for c in row_of] == ["A", "C", "E", None, "H"]
    assert len(issues) == 1 and issues[0].code == "vip.same_person"


def _month_purchases_on_every_row(period, sales, policy):
    """`month_purchases` before round 14: every test asked of every sales row."""
    from csbatch.blanks import is_blank
    from csbatch.calendar import month_bounds
    from csbatch.vip.purchases import _MONTH_COLUMNS, COMPLETED, REFUNDED, _by_date_and_id, sales_default

    stores = {p.store_type for p in policy.vip.programmes.values()}
    start, end = (pd.Timestamp(d) for d in month_bounds(period))
    status = sales["status"].fillna(sales_default(policy, "status", COMPLETED))
    dates = sales["order_date"]
    completed = status.eq(COMPLETED) & dates.ge(start) & dates.le(end)
    refunded = status.eq(REFUNDED) & dates.lt(start)
    keep = (sales["store_type"].isin(stores) & (completed | refunded)
            & sales["amount"].notna() & sales["customer_id"].notna()).to_numpy(dtype=bool)
    rows = sales.loc[keep, [c for c in _MONTH_COLUMNS if c in sales.columns]]
    is_refund = refunded[keep] if sales.index.is_unique else refunded.loc[rows.index]
    amounts = [-a if r else a for a, r in zip(rows["amount"].tolist(), is_refund.tolist())]
    lists = [a if is_blank(x) else x
             for a, x in zip(rows["amount"].tolist(), rows["list_amount"].tolist())] \
        if "list_amount" in rows.columns else rows["amount"].tolist()
    out = pd.DataFrame({
        "period": period,
        "customer_id": rows["customer_id"].astype(object),
        "store_type": rows["store_type"].astype(object),
        "category": rows["category"].fillna(sales_default(policy, "category", "regular")).astype(object),
        "order_id": rows["order_id"].astype(object),
        "order_date": rows["order_date"].astype("datetime64[ns]"),
        "amount": pd.Series(amounts, index=rows.index, dtype=object),
        "list_amount": pd.Series(lists, index=rows.index, dtype=object),
        "status": pd.Series([REFUNDED if r else COMPLETED for r in is_refund.tolist()],
                            index=rows.index, dtype=object),
    })
    return _by_date_and_id(out)


def _cells(frame: pd.DataFrame) -> list:
    return [list(frame.columns), list(map(str, frame.dtypes)),
            [[(repr(v), type(v)) for v in frame[c].tolist()] for c in frame.columns]]


STATUSES = st.sampled_from([None, math.nan, "completed", "refunded", "cancelled", "Completed", ""])
DAYS = st.sampled_from([None, "2026-09-01", "2026-09-30 23:59", "2026-10-01", "2026-10-15", "2026-10-31 23:00",
                        "2026-11-01", "2025-10-10"])
AMOUNTS = st.sampled_from([None, Decimal("10.00"), Decimal("-3.5"), Decimal("1E+2"), Decimal("0.001"),
                           Decimal("123456789012345678.123"), Decimal(0)])
LISTS = st.sampled_from([None, math.nan, Decimal("NaN"), Decimal("12.00"), pd.NA])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(CIDS.filter(lambda c: not isinstance(c, int)), st.integers(0, 3), STATUSES, DAYS,
                               AMOUNTS, LISTS, st.sampled_from(["O1", "O2", "O3", "o1"])), min_size=1, max_size=20),
       index=st.sampled_from(["range", "reversed", "text", "repeated"]), with_lists=st.booleans())
def test_month_purchases_as_on_every_row(policy, rows, index, with_lists):
    from csbatch.vip.purchases import month_purchases

    stores = [*(p.store_type for p in policy.vip.programmes.values()), "elsewhere", None]
    sales = pd.DataFrame({
        "customer_id": [r[0] for r in rows], "store_type": [stores[r[1]] for r in rows],
        "status": pd.Series([r[2] for r in rows], dtype=object), "category": [None] * len(rows),
        "order_date": pd.to_datetime(pd.Series([r[3] for r in rows], dtype=object), format="ISO8601"),
        "amount": pd.Series([r[4] for r in rows], dtype=object),
        "list_amount": pd.Series([r[5] for r in rows], dtype=object), "order_id": [r[6] for r in rows],
        "employee_id": ["E1"] * len(rows),
    })
    if not with_lists:
        sales = sales.drop(columns=["list_amount"])
    n = len(sales)
    sales.index = {"range": pd.RangeIndex(n), "reversed": pd.Index(range(n, 0, -1)),
                   "text": pd.Index([f"r{i}" for i in range(n)]), "repeated": pd.Index([i // 2 for i in range(n)])}[index]
    try:
        want = _cells(_month_purchases_on_every_row("2026-10", sales, policy))
    except ValueError:      # a repeated label among the kept rows: the same failure
        with pytest.raises(ValueError):
            month_purchases("2026-10", sales, policy)
        return
    assert _cells(month_purchases("2026-10", sales, policy)) == want


@settings(max_examples=200, deadline=None)
@given(codes=st.lists(st.integers(0, 6), max_size=40), extra=st.integers(0, 3))
def test_joined_runs_are_runs_joined(codes, extra):
    from csbatch.grouping import joined_runs, runs

    array = np.asarray(codes, dtype=np.int64)
    n = (max(codes) + 1 if codes else 0) + extra
    texts = [f"t{i};\x00{'é' * (i % 3)}" for i in range(len(codes))]
    assert joined_runs(array, n, texts, "; ") == ["; ".join([texts[i] for i in run]) for run in runs(array, n)]
