"""Round 15 (issue 14): the faster forms of the measured values give what the forms they replaced
gave, kept here: `dsum` (exact integer sums where certain, the Decimal loop otherwise),
`Feeds.add` (the employees asked about found on one factorize; uniqueness and the sort of rows
already in order found in one pass) and the customer records' measures (only the columns read)."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from csbatch.scoring.measures_kit import ZERO, Feeds, _lexsorted, _unique, count, dsum, filled
from csbatch.scoring.measures_service import customer_measures
from test_measures_round14 import _OldFeeds, _parts  # `Feeds.add` before round 15, kept there

WHO = ["E1", "E2", "E3", "日本", "<b>x</b>"]


# ---------------------------------------------------------------------------------------------
# dsum


def _old_dsum(values: pd.Series, keys: Any) -> pd.Series:
    """`dsum` as it was: each kept cell added to its key's sum in row order."""
    cells, owners = values.to_numpy(dtype=object), np.asarray(keys, dtype=object)
    kept = np.flatnonzero(~(pd.isna(cells) | pd.isna(owners)))
    if not len(kept):
        return pd.Series([], dtype=object)
    codes, uniques = pd.factorize(owners[kept])
    sums = [ZERO] * len(uniques)
    for at, cell in zip(codes.tolist(), cells[kept].tolist()):
        sums[at] += cell
    return pd.Series(sums, index=pd.Index(uniques), dtype=object, name=values.name)


_amounts = st.sampled_from([
    Decimal("48.3"), Decimal("48.30"), Decimal("0.001"), Decimal("-0.001"), Decimal("1E+30"),
    Decimal("1E-30"), Decimal("-0"), Decimal("0.00"), Decimal("5E+1"), Decimal("123456789.123456789"),
    Decimal("99999999999999999999999999.99"), Decimal("NaN"), None, np.nan, pd.NA, 3, 2.5,
    Decimal("-48.3"), Decimal("1.005"), Decimal("7"),
])
_owners = st.sampled_from([*WHO, None, np.nan, 1, "1"])


def _outcome(f, *args) -> Any:
    try:
        return f(*args)
    except Exception as e:      # (a float among Decimals: both fail alike)
        return type(e)


def _same(a: Any, b: Any) -> None:
    if isinstance(a, type) or isinstance(b, type):
        assert a is b
        return
    assert a.index.tolist() == b.index.tolist() and a.name == b.name and a.dtype == b.dtype
    assert [(type(x), repr(x)) for x in a.tolist()] == [(type(x), repr(x)) for x in b.tolist()]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(_amounts, _owners), max_size=40), st.booleans())
def test_dsum_gives_the_loop_s_sums_value_and_exponent(rows, shared):
    cells = [a for a, _ in rows]
    if shared:   # the reader hands equal cells one object: the same Decimal object many times
        first: dict[Any, Any] = {}
        cells = [first.setdefault(repr(c), c) for c in cells]
    values = pd.Series(cells, dtype=object, name="amount")
    keys = np.array([o for _, o in rows], dtype=object)
    _same(_outcome(dsum, values, keys), _outcome(_old_dsum, values, keys))


def test_dsum_at_the_edges():
    one = Decimal("0.10")
    cases = [
        ([one] * 1000, ["E1"] * 1000),                                 # one object, many rows
        ([Decimal("1"), Decimal("-1.00")], ["E1", "E1"]),               # an exact zero: its sign
        ([Decimal("1E+27"), Decimal("1E-2")], ["E1", "E1"]),           # beyond 28 digits: rounds
        ([Decimal("0.001"), Decimal("0.002"), Decimal("5")], ["E2", "E1", "E2"]),
        ([Decimal("Infinity"), Decimal("1")], ["E1", "E1"]),
        ([Decimal(2) ** 70, Decimal(1)], ["E1", "E2"]),                  # beyond int64
    ]
    for cells, owners in cases:
        values = pd.Series(cells, dtype=object)
        _same(_outcome(dsum, values, owners), _outcome(_old_dsum, values, owners))


# ---------------------------------------------------------------------------------------------
# Feeds.add

_cells = st.sampled_from([*WHO, "X9", None, np.nan, 1, "1", pd.NA])
_files = st.sampled_from(["a.xlsx", "b.csv", "a b!row 3.xlsx", None, ""])
_sheets = st.sampled_from(["S1", "S2", None])
_notes = st.sampled_from(["", "late", "on time", "!row 5", "<script>"])


@st.composite
def _frames(draw) -> tuple[pd.DataFrame, Any]:
    n = draw(st.integers(min_value=0, max_value=30))
    plain = draw(st.booleans())
    in_order = draw(st.booleans())     # a sheet read top to bottom (the sort already done)
    numbers = [draw(st.integers(min_value=1, max_value=9)) if plain else draw(st.none() | st.integers(1, 9))
               for _ in range(n)]
    files = [draw(_files) for _ in range(n)]
    sheets = [draw(_sheets) for _ in range(n)]
    if in_order:
        files, sheets = ["a.xlsx"] * n, [draw(_sheets)] * n
        numbers = sorted(numbers, key=lambda v: -1 if v is None else v) if plain else numbers
    rows = pd.DataFrame({
        "employee_id": pd.Series([draw(_cells) for _ in range(n)], dtype=object),
        "_file": pd.Series(files, dtype=object),
        "_sheet": pd.Series(sheets, dtype=object),
        "_row": np.array(numbers, dtype=np.int64) if plain else pd.array(numbers, dtype="Int64"),
    }, index=pd.Index(draw(st.permutations(range(n))), dtype=np.int64))
    note = draw(st.one_of(_notes, st.lists(_notes, min_size=n, max_size=n)))
    return rows, note


@settings(max_examples=300, deadline=None)
@given(st.lists(_frames(), min_size=1, max_size=4), st.booleans(), st.booleans())
def test_feeds_add_keeps_what_the_isin_and_second_factorize_kept(adds, by_series, shared):
    new, old = Feeds(frozenset(WHO)), _OldFeeds(frozenset(WHO))
    for k, (rows, note) in enumerate(adds):
        names: Any = "m" if k % 2 else ["m", f"n{k}"]
        by: Any = rows["employee_id"].to_numpy(dtype=object)[::-1].copy() if by_series else "employee_id"
        if shared and isinstance(note, str):
            new.add_shared(names, rows, WHO[:2], note=note)
            old.add_shared(names, rows, WHO[:2], note=note)
        new.add(names, rows, by=by, note=note)
        old.add(names, rows, by=by, note=note)
    assert list(new.parts) == list(old.parts)        # the same (employee, measure)s, in order
    assert _parts(new) == _parts(old)
    assert new.exact == old.exact and new.words == old.words
    assert {k: list(v) for k, v in new.result().items()} == {k: list(v) for k, v in old.result().items()}


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 5)), max_size=30), st.booleans())
def test_lexsorted_and_unique_are_the_sort_and_the_hash_table(pairs, presorted):
    if presorted:
        pairs = sorted(pairs)
    ranks = np.array([r for r, _ in pairs], dtype=np.intp)
    rows = np.array([n for _, n in pairs], dtype=np.int64)
    order = _lexsorted(rows, ranks)
    assert order.tolist() == np.lexsort((rows, ranks)).tolist()
    # keys as `_keys` makes them: an id (two ranks may share one: places said alike) and a row
    ids = np.array([[0, 1, 0, 2][r] for r in ranks.tolist()], dtype=np.int64)
    keys = (ids << 32) | rows
    assert _unique(keys, order) == pd.Index(keys).is_unique
    assert _unique(keys, np.arange(len(keys))) == pd.Index(keys).is_unique     # any order


# ---------------------------------------------------------------------------------------------
# customer records


def _customer_ctx(frame: pd.DataFrame, feeds: Feeds) -> Any:
    measures = SimpleNamespace(
        incomplete_customer_records=SimpleNamespace(required=["phone", "name"]),
        complete_customer_records=SimpleNamespace(required=["phone", "name", "address"]),
    )
    return SimpleNamespace(frame=lambda kind: frame.reset_index(drop=True), settings=measures, feeds=feeds)


def _old_customer_measures(ctx: Any) -> dict[str, pd.Series]:
    """`customer_measures` as it was: every column of the owned rows taken, and again per feed."""
    customers = ctx.frame("customers")
    rows = customers[customers["owner_id"].notna().to_numpy(dtype=bool)]
    owner = rows["owner_id"]
    fills = {c: filled(rows[c]) for c in {*ctx.settings.incomplete_customer_records.required,
                                          *ctx.settings.complete_customer_records.required,
                                          "customer_class"}}

    def all_of(columns) -> np.ndarray:
        return np.logical_and.reduce([fills[c] for c in columns]) if columns else np.ones(len(rows), dtype=bool)

    incomplete = ~all_of(ctx.settings.incomplete_customer_records.required)
    complete = all_of(ctx.settings.complete_customer_records.required)
    classified = fills["customer_class"]
    ctx.feeds.add("customer_records", rows, by="owner_id")
    for measure, mask in (("incomplete_customer_records", incomplete),
                          ("complete_customer_records", complete),
                          ("classified_customer_records", classified)):
        ctx.feeds.add(measure, rows[mask], by="owner_id")
    return {
        "incomplete_customer_records": count(owner[incomplete]),
        "customer_records": count(owner),
        "complete_customer_records": count(owner[complete]),
        "classified_customer_records": count(owner[classified]),
    }


def test_customer_measures_read_only_their_columns_and_find_the_same():
    frame = pd.DataFrame({
        "customer_id": ["C1", "C2", "C3", "C4", "C5", "C6"],
        "owner_id": ["E1", None, "E2", "E1", np.nan, "日本"],
        "name": ["a", "b", "  ", None, "e", "f"],
        "phone": ["1", "2", "3", "", "5", " 6 "],
        "address": [None, "x", "y", "z", "w", "<b>v</b>"],
        "customer_class": ["A", None, " ", "B", "C", "D"],
        "email": ["e@x", None, None, None, None, None],
        "_file": pd.array(["c.xlsx"] * 6, dtype="str"),
        "_sheet": pd.array(["S"] * 3 + ["T"] * 3, dtype="str"),
        "_row": np.array([2, 3, 4, 2, 3, 4], dtype=np.int64),
    })
    new_feeds, old_feeds = Feeds(frozenset(WHO)), Feeds(frozenset(WHO))
    got = customer_measures(_customer_ctx(frame, new_feeds))
    want = _old_customer_measures(_customer_ctx(frame, old_feeds))
    assert got.keys() == want.keys()
    for k in got:
        assert got[k].index.tolist() == want[k].index.tolist() and got[k].tolist() == want[k].tolist()
    assert _parts(new_feeds) == _parts(old_feeds)
    assert got["customer_records"].to_dict() == {"E1": Decimal(2), "E2": Decimal(1), "日本": Decimal(1)}
    assert got["complete_customer_records"].to_dict() == {"日本": Decimal(1)}     # E2: a blank name
