"""The VIP stage's fast paths give what the plain forms give (issue 14)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from csbatch.vip.identity import person_hasher, person_of
from csbatch.vip.purchases import _by_date_and_id


def test_person_hasher_is_person_of():
    key = b"k" * 32
    hasher = person_hasher(key)
    for number in ("110101199001011234", " 11010119900101123x ", "", "中文"):
        assert hasher(number) == person_of(number, key)


def test_date_and_id_order_is_pandas_order():
    frame = pd.DataFrame({
        "order_id": pd.Series(["b", "a", "B", "a1", "", "é", "a"], dtype=object),
        "order_date": pd.to_datetime(["2026-10-02", "2026-10-02", "2026-10-01", "2026-10-02",
                                      "2026-10-02", "2026-10-01", "2026-10-01"]),
        "n": range(7),
    })
    want = frame.sort_values(["order_date", "order_id"], kind="stable").reset_index(drop=True)
    assert _by_date_and_id(frame).equals(want)
    undated = frame.assign(order_date=frame["order_date"].where(frame["n"] != 3))   # pandas' sort then
    assert _by_date_and_id(undated).equals(
        undated.sort_values(["order_date", "order_id"], kind="stable").reset_index(drop=True))


def test_dates_made_when_asked_are_the_dates_of_the_column():
    """Round 5: `Spend` keeps this month's order dates as day numbers and makes a date only for
    the rows asked about; they are the dates `_dates` gives, whatever the column's unit."""
    from csbatch.vip.purchases import _dates, _day, _days

    texts = ["2026-10-01", None, "1969-12-31 13:00", "1969-12-31 23:59:59.999", "1900-01-01", "2999-12-31"]
    column = pd.Series(pd.to_datetime(texts, format="ISO8601"))
    for unit in ("s", "ms", "us"):
        typed = column.astype(f"datetime64[{unit}]")
        assert [_day(d) for d in _days(typed)] == _dates(typed)
    assert [_day(d) for d in _days(column[:4].astype("datetime64[ns]"))] == _dates(column[:4])
    as_text = pd.Series(["2026-10-01", None], dtype=object)
    assert [_day(d) for d in _days(as_text)] == _dates(as_text)


def test_spend_groups_rows_as_a_dict_per_row_groups_them():
    """Round 6: `Spend` finds each key's and each person's rows with `pd.factorize` and a stable
    sort; the same rows, in the same order, keys and persons in order of first appearance."""
    from csbatch.vip.people import People
    from csbatch.vip.purchases import _groups

    people = People(person_by_customer={"c1": "P", "c2": "P", "c3": "Q", "中": "Q", "c\0": "R"})
    cids = ["c1", "c9", "c2", "c3", "c1", "中", "", "c\0", "c9", "c2", "nan", "c\0 "]
    codes = ["gold", "gold", "gold", "elite", "elite", "gold", "gold", "elite", "gold", "elite", "gold", "gold"]
    at, of_person = _groups(cids, codes, people)
    want_at: dict = {}
    want_person: dict = {}
    for i, (cid, code) in enumerate(zip(cids, codes)):
        person = people.person(cid)
        want_at.setdefault((person, code), []).append(i)
        want_person.setdefault(person, []).append(i)
    assert list(at.items()) == list(want_at.items())
    assert list(of_person.items()) == list(want_person.items())
    assert _groups([], [], people) == ({}, {})


def test_records_made_when_asked_are_the_records_built_row_by_row():
    """Round 6: `build_people` finds each customer's person for every row, but makes a `Record`
    only when one is asked for; it is the record the row-by-row build made (the first row of a
    repeated id; blanks, NUL, full-width and padded text as `_text` reads them)."""
    import datetime as dt
    from decimal import Decimal

    import numpy as np

    from csbatch.vip.dates import as_date
    from csbatch.vip.people import Record, _flag, _text, build_people

    customers = pd.DataFrame({
        "customer_id": pd.Series(["c1", " c2 ", "c1", None, "", "c\0", "中文", 7, "c9"], dtype=object),
        "name": pd.Series(["  Ann ", None, "dup", "x", "y", "\0", "张三", float("nan"), Decimal("1.50")], dtype=object),
        "phone": pd.Series(["138", " ", "1", "2", "3", "4", "５", None, 13800000000], dtype=object),
        "id_number": pd.Series(["11010119900101123x", " 11010119900101123X", None, "", "z", "a\0",
                                "ＡＢ", np.nan, "  "], dtype=object),
        "birthday": pd.to_datetime(["1990-01-01", None, "1980-02-29", None, None, "2000-12-31", None,
                                    "1970-01-01", None]),
        "engineering": pd.Series([True, None, False, True, pd.NA, True, False, None, True], dtype=object),
        "_file": "customers.xlsx", "_sheet": "Sheet1", "_row": range(2, 11),
    })
    people, issues = build_people(customers, b"k" * 32)
    want: dict[str, Record] = {}
    rows = zip(*(customers[c].tolist() for c in ("customer_id", "name", "phone", "id_number", "engineering",
                                                 "_file", "_sheet", "_row")),
               customers["birthday"].dt.date.tolist())
    for cid, name, phone, id_number, eng, file, sheet, row, birthday in rows:   # round 5's build
        cid, id_number = _text(cid), _text(id_number)
        if cid is None or cid in want:
            continue
        want[cid] = Record(cid, _text(name), _text(phone), id_number.upper() if id_number else None,
                           birthday if type(birthday) is dt.date else as_date(birthday), _flag(eng),
                           (file, sheet, row))
    assert list(people.records) == list(want) and len(people.records) == len(want)
    assert {cid: people.records[cid] for cid in reversed(list(want))} == want
    assert "c1" in people.records and "nope" not in people.records and people.records.get("nope") is None
    assert people.person("c1") == people.person("c2")      # one ID number, one person
    assert people.person("7") == "customer:7" or people.records["7"].id_number is None
    assert [i.code for i in issues] == ["vip.same_person"]
    assert people.record("c2", people.person("c2")) is people.records["c2"]


def test_spend_month_sums_and_refunds_are_the_plain_loops(policy):
    """Round 11: a key with one purchase takes `ZERO + amount` (what `sum([amount], ZERO)` is),
    and refunds are picked by `ZERO > amount`: the same sums (value and exponent), largest orders
    and refunded order ids as the per-key `sum`/`max` and the per-row `amount < 0`."""
    from decimal import Decimal

    from csbatch.vip.people import People
    from csbatch.vip.pricing import ZERO
    from csbatch.vip.purchases import Spend

    people = People(person_by_customer={"C1": "P1", "C2": "P1", "C3": "P3"})
    store = next(p.store_type for p in policy.vip.programmes.values())
    amounts = ["5E+1", "-0", "0.000", "-12.5", "1.2300", "7", "7.00", "-3", "0", "100.10", "2E-2"]
    cids = ["C1", "C2", "C3", "C4", "C4", "C5", "C1", "C6", "C7", "C8", "C8"]
    month = pd.DataFrame({"period": "2026-10", "customer_id": cids, "store_type": store, "category": "regular",
                          "order_id": [f"O{i}" for i in range(len(cids))],
                          "order_date": pd.Timestamp("2026-10-05"), "amount": [Decimal(a) for a in amounts]})
    spend = Spend("2026-10", None, month, people, policy)
    want_month: dict = {}
    for cid, amount in zip(cids, amounts):
        want_month.setdefault(people.person(cid), []).append(Decimal(amount))
    code = spend.programme_of[store]
    assert {k: (str(v), v.as_tuple()) for k, v in spend.month.items()} == \
        {(p, code): (str(sum(v, ZERO)), sum(v, ZERO).as_tuple()) for p, v in want_month.items()}
    assert spend.largest_order == {(p, code): max(v) for p, v in want_month.items() if max(v) > ZERO}
    assert spend.refunds == frozenset(f"O{i}" for i, a in enumerate(amounts) if Decimal(a) < 0)


def _month_purchases_taking_every_column(period, sales, policy):
    """`month_purchases` before round 11: every sales column taken, refund flags by label."""
    from csbatch.blanks import is_blank
    from csbatch.calendar import month_bounds
    from csbatch.vip.purchases import COMPLETED, REFUNDED, _by_date_and_id, sales_default

    stores = {p.store_type for p in policy.vip.programmes.values()}
    start, end = (pd.Timestamp(d) for d in month_bounds(period))
    status = sales["status"].fillna(sales_default(policy, "status", COMPLETED))
    dates = sales["order_date"]
    completed = status.eq(COMPLETED) & dates.ge(start) & dates.le(end)
    refunded = status.eq(REFUNDED) & dates.lt(start)
    rows = sales[sales["store_type"].isin(stores) & (completed | refunded)
                 & sales["amount"].notna() & sales["customer_id"].notna()]
    is_refund = refunded.loc[rows.index]
    amounts = [-a if r else a for a, r in zip(rows["amount"].tolist(), is_refund.tolist())]
    lists = [a if is_blank(x) else x for a, x in zip(rows["amount"].tolist(), rows["list_amount"].tolist())] \
        if "list_amount" in rows.columns else rows["amount"].tolist()
    out = pd.DataFrame({
        "period": period, "customer_id": rows["customer_id"].astype(object),
        "store_type": rows["store_type"].astype(object),
        "category": rows["category"].fillna(sales_default(policy, "category", "regular")).astype(object),
        "order_id": rows["order_id"].astype(object), "order_date": rows["order_date"].astype("datetime64[ns]"),
        "amount": pd.Series(amounts, index=rows.index, dtype=object),
        "list_amount": pd.Series(lists, index=rows.index, dtype=object),
        "status": pd.Series([REFUNDED if r else COMPLETED for r in is_refund.tolist()], index=rows.index, dtype=object),
    })
    return _by_date_and_id(out)


def test_month_purchases_take_only_the_columns_they_read(policy):
    """Round 11: the month's purchases from the columns read and refund flags by position give
    the frame every column and `.loc` by label gave (a unique index, a repeated one, blanks)."""
    from decimal import Decimal

    from csbatch.vip.purchases import month_purchases

    store = next(p.store_type for p in policy.vip.programmes.values())
    sales = pd.DataFrame({
        "order_id": ["A1", "A2", "A3", "A4", "A5", "A6", "A7"],
        "customer_id": ["C1", None, "C2", "C3", "C1", "C4", "C2"],
        "store_type": [store, store, "elsewhere", store, store, store, store],
        "status": [None, "completed", "completed", "refunded", "refunded", "completed", "cancelled"],
        "category": [None, "regular", "regular", "regular", None, "regular", "regular"],
        "order_date": pd.to_datetime(["2026-10-03", "2026-10-04", "2026-10-05", "2026-09-20", "2026-10-06",
                                      "2026-10-03", "2026-10-07"]),
        "amount": [Decimal("10.00"), Decimal(5), Decimal(7), Decimal("3.5"), Decimal(8), None, Decimal(2)],
        "list_amount": [None, Decimal(6), Decimal(7), Decimal(4), np.nan, Decimal(1), Decimal(2)],
        "employee_id": ["E1"] * 7, "_file": ["s.xlsx"] * 7, "_row": range(2, 9),
    })
    for frame in (sales, sales.drop(columns=["list_amount"]), sales.set_axis([5, 3, 1, 0, 2, 4, 6]),
                  sales.set_axis(["b", "a", "c", "d", "e", "f", "g"])):
        got = month_purchases("2026-10", frame, policy)
        want = _month_purchases_taking_every_column("2026-10", frame, policy)
        pd.testing.assert_frame_equal(got, want)
    repeated = sales.set_axis([0, 1, 0, 1, 2, 2, 3])     # by label, as before: the same failure
    with pytest.raises(ValueError):
        _month_purchases_taking_every_column("2026-10", repeated, policy)
    with pytest.raises(ValueError):
        month_purchases("2026-10", repeated, policy)
