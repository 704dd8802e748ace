"""Column-wise forms of the compute stages' per-row helpers give what the pandas calls they
replaced gave, odd values included: `dsum` (a groupby of exact Decimal sums) and the deadline
checks' evidence rows (`records`, `DataFrame.to_dict("records")`)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import numpy as np
import pandas as pd

from csbatch.attendance import _sources_by_day
from csbatch.audit.kit import records, text, timestamp
from csbatch.blanks import is_blank
from csbatch.scoring.measures_kit import decimal_sum, dsum


def _groupby_dsum(values: pd.Series, keys) -> pd.Series:
    """What `dsum` was: a pandas groupby of `decimal_sum`."""
    keys = pd.Series(np.asarray(keys, dtype=object), index=values.index)
    keep = values.notna() & keys.notna()
    if not keep.any():
        return pd.Series([], dtype=object)
    return values[keep].groupby(keys[keep], sort=False).agg(decimal_sum).astype(object)


ODD = [Decimal("1.50"), Decimal("2.5"), Decimal("-0.00"), Decimal("-3"), Decimal("1E+2"), Decimal("0.001"),
       Decimal("NaN"), None, np.nan, Decimal("123456789.123456789"), Decimal("-1.50")]


def test_dsum_is_the_groupby_sum_digit_for_digit():
    rng = random.Random(5)
    for n in (0, 1, 2, 7, 60, 400):
        for keys_of in (["E1", "E2", "E3"], ["E1", None, np.nan, "E2"], [1, "1", 2.0, "E"]):
            values = pd.Series([rng.choice(ODD) for _ in range(n)], dtype=object, name=rng.choice(["amount", None]))
            keys = [rng.choice(keys_of) for _ in range(n)]
            for index in (values.index, pd.Index([f"r{i}" for i in range(n)])):
                v = values.set_axis(index)
                for k in (keys, pd.Series(keys, index=index, dtype=object), np.asarray(keys, dtype=object)):
                    got, want = dsum(v, k), _groupby_dsum(v, k)
                    pd.testing.assert_series_equal(got, want)
                    assert [str(x) for x in got] == [str(x) for x in want]   # the same exponents


def test_evidence_records_are_the_frame_s_dict_records():
    frame = pd.DataFrame({
        "employee_id": pd.Series(["E1", None, "E2", np.nan], dtype=object),
        "code": pd.Series(["a", None, "b", "c"], dtype="str"),
        "done": pd.to_datetime(["2026-10-01 09:00", None, "2026-10-03 00:00", "2026-10-04 23:59:59.5"], format="mixed"),
        "took": pd.to_timedelta(["1h", None, "0s", "2h"]),
        "attended": pd.array([True, None, False, True], dtype="boolean"),
        "n": pd.array([1, None, 3, 4], dtype="Int64"),
        "_row": np.array([2, 3, 4, 5], dtype=np.int64),
        "score": pd.Series([Decimal("1.50"), None, 3, 2.5], dtype=object),
        "x": np.array([0.5, np.nan, 1.0, 2.0]),
    })
    for picked in (frame, frame.iloc[:0], frame[["employee_id"]], frame.iloc[[3, 0]], frame[[]],
                   frame.assign(score=pd.Series([np.int64(3), None, np.float64(2.5), np.datetime64("2026-10-01")],
                                                dtype=object)),
                   frame.assign(score=pd.Series([pd.NA, True, np.bool_(False), np.timedelta64(5, "s")], dtype=object),
                                n=pd.array([None, None, 7, None], dtype="Int64"))):
        got, want = records(picked), picked.to_dict("records")
        assert len(got) == len(want)
        for g, w in zip(got, want):
            assert list(g) == list(w)
            for key in w:
                assert type(g[key]) is type(w[key]) and (g[key] is w[key] or g[key] == w[key]
                                                           or (pd.isna(g[key]) and pd.isna(w[key]))), key


def _by_day_dict(emps, days, texts):
    """What attendance grouped the clock rows' places with: a dictionary per row."""
    by_day: dict = {}
    for key, source in zip(zip(emps, days), texts):
        by_day.setdefault(key, []).append(source)
    return list(by_day), ["; ".join(v) for v in by_day.values()]


def test_clock_sources_by_day_group_as_the_dictionary_did():
    rng = random.Random(8)
    nat = np.datetime64("NaT").view("int64")
    for n in (0, 1, 2, 5, 50, 700):
        emps = np.array([rng.choice(["E1", "E2", "e1", "E10", 7]) for _ in range(n)], dtype=object)
        days = np.array([rng.choice([0, 86_400 * 10**9, 3 * 86_400 * 10**9, nat]) for _ in range(n)], dtype=np.int64)
        texts = [f"clock.xlsx[S]!row {i + 2}" for i in range(n)]
        keys, joined = _sources_by_day(emps, days, texts)
        want_keys, want_joined = _by_day_dict(emps, days.tolist(), texts)
        assert keys == want_keys and joined == want_joined
        assert [type(e) for e, _ in keys] == [type(e) for e, _ in want_keys]
    blank = np.array(["E1", None, np.nan, "E1", np.nan], dtype=object)
    assert _sources_by_day(blank, np.zeros(5, dtype=np.int64), list("abcde")) == \
        _by_day_dict(blank, [0] * 5, list("abcde"))


def test_cell_text_and_timestamp_answer_as_before_for_odd_cells():
    class Name(str):
        def __str__(self) -> str:
            return "shown"

    blanks = [None, np.nan, pd.NA, pd.NaT, np.datetime64("NaT"), Decimal("NaN")]
    for cell in ["E1", "", " ", Name("E2"), 7, 7.0, np.int64(3), Decimal("1.50"), True, *blanks]:
        want = None if is_blank(cell) else str(cell)
        assert text(cell) == want and type(text(cell)) is type(want)
    for cell in [pd.Timestamp("2026-10-01 09:30:00.000000001"), pd.Timestamp("2026-10-01", tz="Asia/Shanghai"),
                 pd.Timestamp("2026-10-01").as_unit("s"), np.datetime64("2026-10-02T08:00"), "2026-10-03 10:00",
                 dt.datetime(2026, 10, 4, 7, 5), dt.date(2026, 10, 5), *blanks]:
        want = None if is_blank(cell) else pd.Timestamp(cell)
        got = timestamp(cell)
        assert (got is None and want is None) or (type(got) is type(want) and got == want
                                                  and got.unit == want.unit and got.tz == want.tz)


def test_paid_sums_each_agent_s_orders_as_the_gathered_sum_did():
    from types import SimpleNamespace

    from csbatch.payroll.orders import _paid

    rng = random.Random(11)
    for n in (0, 1, 9, 300):
        emps = [rng.choice(["E1", "E2", "E3", "E10"]) for _ in range(n)]
        pays = [rng.choice([Decimal(0), Decimal("32.58500"), Decimal("-1.5"), Decimal("0.00"), Decimal("7"),
                            Decimal("1E+3"), Decimal("0.0000001")]) for _ in range(n)]
        ctx = SimpleNamespace(order_pay=SimpleNamespace(extend=lambda *columns: None))
        exact, given = _paid("commission", ctx, [f"O{i}" for i in range(n)], emps, pays,
                             SimpleNamespace(of=lambda at: at.tolist()))
        want: dict = {}
        for emp, pay in zip(emps, pays):
            if pay:
                want[emp] = want.get(emp, Decimal(0)) + pay
        assert list(exact) == list(want) and [str(v) for v in exact.values()] == [str(v) for v in want.values()]
        assert all(all(emps[i] == emp and pays[i] for i in given[emp]) for emp in given)
