"""Round 13 (issue 14): the faster forms in payroll and VIP give what the old forms gave, on odd
data too (blanks, NaN, hostile text, duplicates, Decimals cents cannot hold)."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from csbatch.blanks import is_blank
from csbatch.payroll.orders import in_file_order
from csbatch.vip.pricing import ZERO
from csbatch.vip.purchases import _plus


def _old_file_order(places: pd.DataFrame) -> np.ndarray:
    """The form before round 13: a stable three-column sort, blanks first."""
    order = places.sort_values(["_file", "_sheet", "_row"], kind="stable", na_position="first")
    return order.index.to_numpy(dtype=np.intp)


_TEXTS = st.one_of(st.none(), st.just(np.nan), st.sampled_from(["a.xlsx", "b.xlsx", "B.xlsx", "销售订单_1.xlsx",
                                                                 "销售订单_2.xlsx", "", " ", "a\0", "a"]),
                   st.text(max_size=4))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_TEXTS, _TEXTS, st.integers(min_value=-3, max_value=5)), max_size=12),
       st.booleans(), st.booleans(), st.booleans())
def test_file_order_as_the_three_column_sort(rows, presort, string_dtype, shuffled_index):
    """`in_file_order` gives the labels the stable sort by (_file, _sheet, _row) gives: rows
    already in order (the fast check) or not, blank files and sheets, equal rows, any index."""
    frame = pd.DataFrame(rows, columns=["_file", "_sheet", "_row"]) if rows else \
        pd.DataFrame({"_file": [], "_sheet": [], "_row": pd.Series([], dtype="int64")})
    if presort and len(frame):
        frame = frame.sort_values(["_file", "_sheet", "_row"], kind="stable", na_position="first")
    if string_dtype:
        frame = frame.astype({"_file": "str", "_sheet": "str"})
    if shuffled_index:
        frame.index = np.arange(len(frame))[::-1] * 7 + 3
    assert in_file_order(frame).tolist() == _old_file_order(frame).tolist()


def test_file_order_of_sorted_rows_keeps_the_labels_and_falls_back_when_rows_go_down():
    frame = pd.DataFrame({"_file": ["a", "a", "a", "b", "b"], "_sheet": ["s", "s", "t", "a", "a"],
                          "_row": [2, 2, 1, 5, 6]}, index=[10, 4, 8, 1, 0])
    assert in_file_order(frame).tolist() == [10, 4, 8, 1, 0]
    frame.loc[0, "_row"] = 4                    # the last row number goes down within its sheet
    assert in_file_order(frame).tolist() == _old_file_order(frame).tolist() == [10, 4, 8, 0, 1]
    frame = pd.DataFrame({"_file": ["b", "a"], "_sheet": ["s", "s"], "_row": [1, 2]})
    assert in_file_order(frame).tolist() == [1, 0]
    floats = pd.DataFrame({"_file": ["a", "a"], "_sheet": ["s", "s"], "_row": [2.0, np.nan]})
    assert in_file_order(floats).tolist() == _old_file_order(floats).tolist()


def _old_plus(earlier: dict, month: dict) -> dict:
    """The loop before round 13."""
    trailing = dict(earlier)
    for key, amount in month.items():
        trailing[key] = trailing.get(key, ZERO) + amount
    return trailing


_DECIMALS = st.one_of(st.decimals(allow_nan=False, allow_infinity=False, places=None),
                      st.decimals(allow_nan=False, allow_infinity=False, places=2),
                      st.sampled_from([Decimal("-0"), Decimal("0E+5"), Decimal("1E+30"), Decimal("-0.000"),
                                       Decimal("12345678901234567890123456789.99"), Decimal("Infinity"),
                                       Decimal("NaN")]))
_KEYS = st.tuples(st.sampled_from(["p1", "p2", "customer:9", "", "人"]), st.sampled_from(["a", "b"]))


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(_KEYS, _DECIMALS, max_size=6), st.dictionaries(_KEYS, _DECIMALS, max_size=6))
def test_trailing_spend_merge_as_the_loop(earlier, month_given):
    """A month amount is `ZERO + …` (what `Spend` makes); `_plus` gives the old loop's dict: the
    same keys in the same order, values equal in value and in digits (their `str`)."""
    month = {key: ZERO + amount for key, amount in month_given.items()}
    earlier = {key: ZERO + amount for key, amount in earlier.items()}
    new, old = _plus(earlier, month), _old_plus(earlier, month)
    assert list(new) == list(old)
    assert [str(v) for v in new.values()] == [str(v) for v in old.values()]


def _same_cells(new: list, old: list) -> None:
    assert len(new) == len(old)
    for a, b in zip(new, old):
        assert type(a) is type(b), (a, b)
        assert (a is pd.NaT and b is pd.NaT) or (a == b and a.unit == b.unit), (a, b)


def test_audit_records_box_each_distinct_instant_as_pandas_boxes_every_cell():
    """`records` reads a datetime64 column through `instants`: the Timestamps (their unit too)
    and NaTs `list(column)` gives, for every unit, repeats, blanks, one row and none."""
    from csbatch.audit.kit import instants, records

    cells = ["2026-10-01", None, "2026-10-01 08:30:00.000001", "2026-10-01", "2026-10-31 23:59", None,
             "1970-01-01", "1969-12-31 23:59:59"]
    for unit in ("ns", "us", "ms", "s"):
        for values in (cells, cells[:1], cells[1:2], [], ["2026-10-01"] * 3):
            column = pd.Series(pd.to_datetime(pd.Series(values, dtype=object), format="ISO8601"), dtype=f"datetime64[{unit}]")
            _same_cells(instants(column), list(column))
    far = pd.Series(np.array(["3000-01-01", "NaT", "3000-01-01", "1500-06-01"], dtype="datetime64[us]"))
    _same_cells(instants(far), list(far))
    frame = pd.DataFrame({"at": pd.to_datetime(pd.Series(cells, dtype=object), format="ISO8601"), "n": range(len(cells)),
                          "tz": pd.to_datetime(pd.Series(cells, dtype=object), format="ISO8601").dt.tz_localize("Asia/Shanghai")})
    new, old = records(frame), frame.to_dict("records")
    assert new == old
    for a, b in zip(new, old):
        _same_cells([a["at"], a["tz"]], [b["at"], b["tz"]])


def test_deadline_instant_column_as_pandas_converts_the_list():
    """`instant_column` gives `pd.Series(values, dtype="datetime64[ns]")`: Timestamps of mixed
    units and Nones by their nanoseconds; anything else (NaT, datetimes, a time zone, an instant
    nanoseconds cannot hold) the way pandas converts it, errors included."""
    import datetime as dt

    from csbatch.audit.deadline_checks import instant_column

    ts = pd.Timestamp
    cases = [
        [ts("2026-10-01 08:30")], [None, None], [],
        [ts("2026-10-01 08:30").as_unit("us"), None, ts("2026-10-01 08:30:00.000000001"),
         ts("2026-10-01").as_unit("s"), ts("1960-01-01").as_unit("ms")],
        [ts("2026-10-01"), pd.NaT, None], [dt.datetime(2026, 10, 1, 8, 30), ts("2026-10-02")],
        [ts("2026-10-01", tz="UTC"), None],
    ]
    for values in cases:
        try:
            old = pd.Series(values, dtype="datetime64[ns]")
        except Exception as exc:   # whatever pandas raises, the new form raises too
            try:
                instant_column(values)
            except type(exc):
                continue
            raise AssertionError(f"no {type(exc).__name__} for {values}") from None
        pd.testing.assert_series_equal(instant_column(values), old, check_exact=True)
    far = [ts("3000-01-01").as_unit("us"), None]
    try:
        pd.Series(far, dtype="datetime64[ns]")
        raised = None
    except Exception as exc:
        raised = type(exc)
    if raised is None:
        pd.testing.assert_series_equal(instant_column(far), pd.Series(far, dtype="datetime64[ns]"))
    else:
        try:
            instant_column(far)
        except raised:
            pass
        else:
            raise AssertionError("the out-of-range instant was converted")


def test_roster_cells_by_id_as_roster_at_for_what_members_by_card_asks():
    """`members_by_card` reads role, team and team_lead from dicts (`_by_id`) instead of
    `roster.at` per employee: each cell is the same text or not, blank or not, and true or not,
    for every dtype a roster column may have."""
    from csbatch.scoring.cards import _by_id

    ids = ["1001", "1002", "1003", "1004", "1005"]
    columns = [
        pd.Series(["agent", None, np.nan, "", 7], dtype=object), pd.Series(["a", None, "b", "", "人"], dtype="str"),
        pd.array([True, None, False, True, None], dtype="boolean"), pd.Series([True, False, True, False, True]),
        pd.Series([1.0, np.nan, 0.0, 2.0, np.nan]), pd.Series([True, None, np.nan, "是", 0], dtype=object),
        pd.Series([pd.NA, Decimal("NaN"), Decimal("1"), "x", None], dtype=object),
    ]
    for column in columns:
        roster = pd.DataFrame({"employee_id": ids, "c": column}).set_index("employee_id")
        cells = _by_id(roster, "c")
        for emp in ids:
            new, old = cells[emp], roster.at[emp, "c"]
            assert isinstance(new, str) == isinstance(old, str) and is_blank(new) == is_blank(old), (new, old)
            assert (new if isinstance(new, str) and new else None) == (old if isinstance(old, str) and old else None)
            if not is_blank(old):
                assert bool(new) == bool(old)


def _old_could_qualify(key, spend, entry) -> bool:
    """The per-key form before round 13."""
    tier = entry[key[1]]
    if spend.trailing[key] >= tier.trailing_12m:
        return True
    return tier.single_order is not None and spend.largest_order.get(key, ZERO) >= tier.single_order


_AMOUNTS = st.one_of(st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-10**6, max_value=10**6),
                     st.sampled_from([Decimal("-0"), Decimal("1E+3"), Decimal("999.999"), Decimal("1000"),
                                      Decimal("1000.00"), Decimal("Infinity"), Decimal("-Infinity")]))


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.tuples(st.sampled_from(["p1", "p2", "customer:1", "", "人"]), st.sampled_from(["a", "b"])),
                       _AMOUNTS, max_size=10),
       st.dictionaries(st.tuples(st.sampled_from(["p1", "p2", "customer:1", "", "人"]), st.sampled_from(["a", "b"])),
                       _AMOUNTS, max_size=10),
       st.sampled_from([Decimal("1000"), Decimal("0"), Decimal("999.99")]),
       st.sampled_from([None, Decimal("500"), Decimal("0")]))
def test_could_qualify_as_the_per_key_test(trailing, largest, threshold, single):
    """`_could_qualify` keeps the keys of the trailing sums the per-key test kept, in their order."""
    from types import SimpleNamespace

    from csbatch.vip.card_events import _could_qualify

    spend = SimpleNamespace(trailing=trailing, largest_order=largest)
    entry = {"a": SimpleNamespace(trailing_12m=threshold, single_order=single),
             "b": SimpleNamespace(trailing_12m=Decimal("50000"), single_order=Decimal("3000"))}
    assert _could_qualify(spend, entry) == [k for k in trailing if _old_could_qualify(k, spend, entry)]


def _old_groups(cids, codes, people):
    """`_groups` before round 13 (a `people.person` call per distinct customer id)."""
    from csbatch.grouping import runs

    if not cids:
        return {}, {}
    cid_codes, cid_uniques = pd.factorize(np.asarray(cids, dtype=object))
    of_cid, persons = pd.factorize(np.asarray([people.person(c) for c in cid_uniques.tolist()], dtype=object))
    person_codes = of_cid[cid_codes]
    code_codes, programmes = pd.factorize(np.asarray(codes, dtype=object))
    key_codes, keys = pd.factorize(person_codes.astype(np.int64) * len(programmes) + code_codes)
    person_list, programme_list = persons.tolist(), programmes.tolist()
    by_key = runs(key_codes, len(keys))
    packed = np.asarray(keys, dtype=np.int64)
    owners = map(person_list.__getitem__, (packed // len(programmes)).tolist())
    kinds = map(programme_list.__getitem__, (packed % len(programmes)).tolist())
    return dict(zip(zip(owners, kinds), by_key)), dict(zip(person_list, runs(person_codes, len(persons))))


_CIDS = st.sampled_from(["c1", "c2", "c3", "", "customer:c1", "顾客", "c1 ", "0"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_CIDS, st.sampled_from(["a", "b"])), max_size=12),
       st.dictionaries(_CIDS, st.sampled_from(["p1", "p2", "", "customer:c2"]), max_size=5))
def test_spend_groups_and_customers_as_the_per_call_forms(rows, known):
    """`_groups` finds each customer's person as `People.person` does (a person of '' or none is
    `customer:<id>`), and `Spend._customers` gives the old loop's ids in its order."""
    from types import SimpleNamespace

    from csbatch.vip.people import ANONYMOUS, People
    from csbatch.vip.purchases import Spend, _groups

    people = People(person_by_customer=dict(known))
    for cid, person in known.items():
        if person:
            people.customers_of.setdefault(person, []).append(cid)
    cids, codes = [c for c, _ in rows], [p for _, p in rows]
    new, old = _groups(cids, codes, people), _old_groups(cids, codes, people)
    assert [list(d.items()) for d in new] == [list(d.items()) for d in old]
    persons = [*dict.fromkeys(people.person(c) for c in cids), "p1", "p9", ANONYMOUS + "x"]
    expected: list[str] = []
    for person in persons:
        found = people.customers_of.get(person)
        if found:
            expected += found
        elif person.startswith(ANONYMOUS):
            expected.append(person[len(ANONYMOUS):])
    assert Spend._customers(SimpleNamespace(people=people), persons) == expected   # type: ignore[arg-type]
