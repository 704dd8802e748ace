"""Issue 14, round 15: the ledger's write of a close made cheaper (IDs of one shape split without a
per-character search, `compact._split_uniform`; encodings memoised in one lookup a value; the
purchases' key columns permuted as the arrays they were sorted by; the column digests' plain check
made on the bytes hashed) leaves the very ledger the code of before left: every table's raw rows
and views, every digest. The forms of before are kept here (`_old_each`, `_old_insert_purchases`;
`_split_ids` one ID at a time; `digests._digest_checked`, the digest of before, and `digest_rows`)."""

from __future__ import annotations

from decimal import Decimal
from itertools import repeat
from operator import itemgetter
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csbatch.ledger import compact, digests, store
from csbatch.ledger.store import NewClose
from csbatch.vip.model import CARD_COLUMNS, POINT_COLUMNS, PURCHASE_COLUMNS, VipResult
from test_ledger_record_round13 import _record  # every table and view as recorded, the digests checked

AMOUNTS = [Decimal("253.8000"), Decimal("80.00"), Decimal("-2370"), Decimal("-0.00"), Decimal("1E+2"),
           Decimal("0.12345678"), Decimal("0.123456789"), Decimal("12345678901234567.89"), Decimal("72.150"),
           Decimal("0"), Decimal("80.0"), Decimal("-1.5"), Decimal("1.00")]
ODD_IDS = ["", "007", "0", "MD0000", "1041", "E1041", "md-7", "订单42", "MD" + "9" * 19, "MD" + "9" * 18,
           "KH013550", "KH001234", "x y", 'q"1', "ABCDEFGH12", "no digits", "Ω12345678901"]


def _old_each(encode, values) -> list[Any]:
    values = list(values)
    return list(map({v: encode(v) for v in dict.fromkeys(values)}.__getitem__, values))


def _old_insert_purchases(conn, owner_id, periods, customer_ids, store_types, categories, order_ids, order_dates,
                          amounts) -> None:
    """`compact.insert_purchases` as round 14 left it: each column put in key order by `itemgetter`."""
    keys = compact.Keys(conn)
    owner = keys.of([owner_id])[owner_id]
    codes = keys.of([*periods, *store_types, *categories])
    keyed = [list(map(codes.__getitem__, periods)), list(map(codes.__getitem__, store_types)),
             compact.id_refs(conn, customer_ids), compact.id_refs(conn, order_ids),
             list(map(codes.__getitem__, categories))]
    count = len(keyed[0])
    varied = [*keyed, _old_each(compact.day, order_dates), _old_each(compact.amount, amounts)]
    order = compact._key_order(varied[:5])
    if order is None:
        rows = compact._in_key_order(list(zip(repeat(owner), *varied[:5], repeat(0), *varied[5:])))
        if rows:
            ordered = [list(c) for c in zip(*rows)]
            varied = ordered[1:6] + ordered[7:]
    elif count > 1:
        take = itemgetter(*order)
        varied = [take(column) for column in varied]
    compact._insert(conn, "vip_purchase_rows", owner, [owner, *varied[:5], 0, *varied[5:]], 6, compact.PURCHASE_ROWS)


def _close(n: int, odd: bool, twice: bool) -> NewClose:
    """A close of `n` orders of one shape (`MD261...`), then odd ones where `odd`: leading zeros, no
    digits, 19 digits, text past ASCII, more than 32 prefixes; a row twice where `twice`."""
    many = [f"P{chr(65 + i % 26)}{chr(65 + i // 26)}{i}" for i in range(40)]   # 40 prefixes: past the 32 kept
    orders = [f"MD261{i:08d}" for i in range(2, n + 2)] + ((ODD_IDS + many) if odd else [])
    staff = [str(1000 + i % 37) if i % 5 else f"E{i % 11:03d}" for i in range(n)] + ((ODD_IDS[::-1] + many)
                                                                                     if odd else [])
    components = ["commission" if i % 3 else "order_bonus" for i in range(len(orders))]
    amounts = [AMOUNTS[i % len(AMOUNTS)] for i in range(len(orders))]
    order_pay = pd.DataFrame({"order_id": orders, "employee_id": staff, "component": components, "amount": amounts},
                             dtype=object)
    if twice:
        order_pay.loc[len(order_pay)] = ["MD26100000003", staff[1], components[1], amounts[1]]
    customers = [f"KH0{(i * 7919) % 997 + 1:05d}" for i in range(n)]
    if odd:
        customers[::41] = ((ODD_IDS + many) * n)[:len(customers[::41])]
    purchases = pd.DataFrame({
        "period": pd.array(["2026-10" if i % 50 else "2026-09" for i in range(n)], dtype="str"),
        "customer_id": customers, "store_type": ["modern" if i % 3 else "flagship" for i in range(n)],
        "category": ["regular" if i % 4 else "imported" for i in range(n)], "order_id": orders[:n],
        "order_date": pd.to_datetime([f"2026-10-{1 + i % 28:02d}" for i in range(n)]),
        "amount": [AMOUNTS[i % len(AMOUNTS)] for i in range(n)]})
    if twice:
        purchases = pd.concat([purchases, purchases.iloc[[3, 3]]], ignore_index=True)
    empty = pd.DataFrame()
    cards = pd.DataFrame([["C1", "p", "KH000001", "vip", "gold", pd.Timestamp("2026-01-02"), pd.Timestamp("2027-01-01"),
                           "active", pd.NaT, pd.NaT]], columns=CARD_COLUMNS)
    points = pd.DataFrame([["C1", "p", "KH000001", pd.Timestamp("2026-10-03"), "earn", 12, "MD26100000002", None]],
                          columns=POINT_COLUMNS)
    vip = VipResult(purchases[PURCHASE_COLUMNS], cards, points, empty, empty, empty, empty, [])
    pay_lines = pd.DataFrame([["1001", "commission", Decimal("10.50"), ""]],
                             columns=["employee_id", "component", "amount", "reason"])
    results = pd.DataFrame([["1001", "ecommerce", "959.01", "A", 3.0, True]],
                           columns=["employee_id", "scorecard", "total", "grade", "rank", "rated"])
    return NewClose("c" * 32, "2026-10", Path("/tmp/out"), Path("/tmp/out/.2026-10.partial"), {"x": "é"},
                    pay_lines, order_pay, results, vip, {"revenue": Decimal("1.50")})


@pytest.mark.parametrize("odd", [False, True])
@pytest.mark.parametrize("twice", [False, True])
@pytest.mark.parametrize("slice_", [64, 65536])
def test_a_close_records_the_ledger_of_before(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, odd: bool,
                                              twice: bool, slice_: int):
    """Small slices: some of one shape (`_split_uniform`), the one with the odd IDs not."""
    new = _close(3000, odd, twice)
    monkeypatch.setattr(store, "now", lambda: "2026-11-01T00:00:00+00:00")
    monkeypatch.setattr(store, "who", lambda: "hr@host")
    monkeypatch.setattr(compact, "_SLICE", slice_)
    fast = _record(tmp_path / "fast.sqlite", new)
    with monkeypatch.context() as old:
        old.setattr(compact, "_split_texts", lambda ids: None)           # `_split_ids`, one ID at a time
        old.setattr(compact, "_each", _old_each)
        old.setattr(compact, "insert_purchases", _old_insert_purchases)
        old.setattr(digests, "digest_columns", digests._digest_checked)
        reference = _record(tmp_path / "old.sqlite", new)
    assert fast.keys() == reference.keys()
    for table in reference:
        assert fast[table] == reference[table], table
    assert len(fast["order_pay_rows"]) == len(new.order_pay)
    assert len(fast["digests"]) == len(digests.CLOSE_PARTS)


_SHAPED = st.tuples(st.text("ABMDKÖ-x ", max_size=9), st.integers(0, 21), st.integers(1, 40)).flatmap(
    lambda shape: st.lists(st.tuples(st.text("MDKHAB-", min_size=len(shape[0]), max_size=len(shape[0])),
                                     st.text("0123456789", min_size=shape[1], max_size=shape[1])),
                           min_size=1, max_size=shape[2]))


@settings(max_examples=400, deadline=None)
@given(_SHAPED, st.booleans())
def test_ids_of_one_shape_split_as_one_by_one(parts, same_prefix):
    """`_split_texts` (`_split_uniform` where the IDs are of one shape) splits as `_split_ids`:
    leading zeros in the prefix, all zeros or 19+ digits no number, prefixes of up to 9 characters."""
    values = [(parts[0][0] if same_prefix else head) + digits for head, digits in parts]
    heads, numbers = compact._split_ids(values)
    split = compact._split_texts(values)
    assert split is not None
    texts, which, number = split
    assert [texts[w] if w >= 0 else "" for w in which.tolist()] == heads
    assert [n if w >= 0 else None for w, n in zip(which.tolist(), number.tolist())] == numbers
    assert set(texts) == {h for h, n in zip(heads, numbers) if n is not None}   # no prefix of no number


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 4).flatmap(lambda k: st.lists(
    st.lists(st.one_of(st.text(max_size=6), st.sampled_from(['"', "\\", "\0", " ", "!", "\n", "é", "],[", "a"])),
             min_size=k, max_size=k), max_size=30)))
def test_column_digests_as_read_back(rows):
    """`digest_columns` (plain check on the bytes hashed) is `digest_rows` of the rows, and the
    digest of before (`_digest_checked`), for hostile text; None where a value holds NUL."""
    columns = [list(c) for c in zip(*rows)] or [[]]
    found = digests.digest_columns(columns)
    assert found == digests._digest_checked(columns)
    if any("\0" in v for row in rows for v in row):
        assert found is None
    else:
        assert found == digests.digest_rows(rows)


def test_column_digests_of_values_not_text_or_not_of_one_length():
    assert digests.digest_columns([["a", 1]]) is None
    assert digests.digest_columns([["a", "b"], ["c"]]) == digests._digest_checked([["a", "b"], ["c"]])
    with pytest.raises(UnicodeEncodeError):
        digests.digest_columns([["a\ud800"]])
    assert digests.digest_columns([["a\ud800", "\0"]]) is None


@pytest.mark.parametrize("values", [
    [1, 1.0, True, "1", Decimal("1.0"), Decimal("1.00")], ["-0.00", "1E+2", "0.123456789", "80.00", "80.00"], []])
def test_each_encodes_as_before(values):
    """Equal dict keys (1, 1.0, True; Decimal 1.0 and 1.00) take the first one's form, as before."""
    for encode in (compact.amount, compact.day, repr):
        assert compact._each(encode, values) == _old_each(encode, values)
        assert compact._each(encode, iter(values)) == _old_each(encode, values)
