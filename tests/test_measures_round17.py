"""Round 17 (issue 14): the faster forms of the measured values give what the forms they replaced
gave, kept here: the complaint due check (`_within_due`: a due time only for unresolved rows) and
counted sales' per-employee look-ups (`_sheet_cells`, `_by_key` instead of `production.loc` and
`Series.get` per employee), and the deadline items' statuses found for all items at once
(`_statuses`) instead of a `judge` per item."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from csbatch.audit.deadline_checks import Item, _nanos, _statuses, instant_column, judge
from csbatch.scoring.measures_kit import Period, dsum
from csbatch.scoring.measures_sales import _by_key, _sheet_cells
from csbatch.scoring.measures_service import _within_due
from test_measures_round14 import _complaints, _moments, _old_within_due

_blanks = st.sampled_from([None, np.nan, pd.NaT, pd.NA, Decimal("NaN"), np.datetime64("NaT")])


@st.composite
def _odd_complaints(draw) -> pd.DataFrame:
    """The round-14 registers, with many unresolved rows, and sometimes a resolved_at column of
    objects holding every kind of blank (or no such column at all)."""
    frame = draw(_complaints())
    n = len(frame)
    form = draw(st.sampled_from(["as drawn", "mostly open", "objects", "missing"]))
    if form == "mostly open":
        frame["resolved_at"] = pd.Series([draw(st.one_of(st.none(), st.none(), _moments)) for _ in range(n)],
                                         dtype="datetime64[ns]")
    elif form == "objects":
        frame["resolved_at"] = pd.Series([draw(st.one_of(_blanks, _moments.map(lambda m: m and pd.Timestamp(m))))
                                          for _ in range(n)], dtype=object)
    elif form == "missing":
        frame = frame.drop(columns=["resolved_at"])
    return frame


@settings(max_examples=300, deadline=None)
@given(_odd_complaints())
def test_within_due_asks_due_times_of_open_rows_only_and_finds_the_same(policy, frame):
    ctx = SimpleNamespace(policy=policy, period=Period.of("2026-10"))
    assert _within_due(ctx, frame).tolist() == _old_within_due(ctx, frame).tolist()  # type: ignore[arg-type]


def test_within_due_on_a_register_of_open_complaints(policy):
    received = pd.Series(pd.to_datetime(["2026-10-30 09:00", "2026-10-01 00:00", None, "2026-10-29 00:01"]))
    frame = pd.DataFrame({"received_at": received,
                          "resolved_at": pd.Series([None, None, None, "2026-10-30"], dtype="datetime64[ns]"),
                          "agreed_deadline": pd.Series([None, "2026-11-20", None, None], dtype="datetime64[ns]")})
    ctx = SimpleNamespace(policy=policy, period=Period.of("2026-10"))
    got = _within_due(ctx, frame).tolist()  # type: ignore[arg-type]
    assert got == _old_within_due(ctx, frame).tolist() == [True, True, False, False]  # type: ignore[arg-type]


_keys = st.sampled_from(["E1", "E2", "日本", "<b>x</b>", "", " ", "1", None, np.nan])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_keys, st.sampled_from([Decimal("1.005"), Decimal("0"), Decimal("2E+70"), None])),
                max_size=12),
       st.lists(st.sampled_from(["E1", "E2", "E9", "日本", "<b>x</b>", "", " ", "1", 1]), max_size=8))
def test_by_key_answers_as_series_get(cells, asked):
    sums = dsum(pd.Series([a for _, a in cells], dtype=object), np.array([k for k, _ in cells], dtype=object))
    for index in (sums.index, sums.index.astype(object)):
        series = pd.Series(sums.to_numpy(), index=index, dtype=object)
        get = _by_key(series)
        for emp in asked:
            expected, got = series.get(emp, "none"), get(emp, "none")
            assert type(got) is type(expected) and repr(got) == repr(expected)
    odd = pd.Series([Decimal(1), Decimal(2)], index=pd.Index(["E1", "E1"], dtype=object), dtype=object)
    assert _by_key(odd) == odd.get      # repeated keys: Series.get itself


def test_sheet_cells_are_the_cells_of_the_rows_loc_cuts():
    production = pd.DataFrame({
        "employee_id": pd.Series(["E1", "E2", "日本", None], dtype=object),
        "period": pd.Series(["2026-10", None, "2026-10", "x"], dtype=object),
        "reported_sales": pd.Series([Decimal("1.005"), None, np.nan, Decimal("1E+30")], dtype=object),
        "submitted_at": pd.Series(["2026-11-02 18:00", None, "2026-11-03 00:00", "2026-11-01 00:00"], dtype="datetime64[ns]"),
        "_file": pd.Series(["p.xlsx"] * 4, dtype="str"), "_sheet": pd.Series(["S"] * 4, dtype="str"),
        "_row": np.arange(2, 6, dtype=np.int64),
    }).set_index("employee_id")
    cells = _sheet_cells(production)
    assert len(cells) == 4
    for emp in ("E1", "E2", "日本"):
        row = production.loc[emp]
        for name in ("submitted_at", "reported_sales"):
            old, new = getattr(row, name), getattr(cells[emp], name)
            assert type(new) is type(old) and repr(new) == repr(old)
    assert cells.get("E9") is None


# ---------------------------------------------------------------------------------------------
# deadline statuses, for all items at once

_instants = st.one_of(
    st.datetimes(min_value=dt.datetime(1960, 1, 1), max_value=dt.datetime(2200, 1, 1)).map(pd.Timestamp),
    st.datetimes(min_value=dt.datetime(2026, 10, 31, 23, 58), max_value=dt.datetime(2026, 11, 1, 0, 2))
    .map(pd.Timestamp),
    st.sampled_from([pd.Timestamp("2026-10-31 23:59:59.999999"), pd.Timestamp("2026-10-31 23:59"),
                     pd.Timestamp("1969-12-31 23:59:30"), pd.Timestamp("2026-10-31 23:59:00.5").as_unit("ms"),
                     pd.Timestamp("2026-10-31 23:59", tz="Asia/Shanghai"), pd.NaT,
                     pd.Timestamp("1677-09-21 00:12:43.145225"), dt.datetime(2026, 10, 31, 23, 59, 30)]))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_instants, st.one_of(st.none(), _instants), st.sampled_from([False, True, 0, 1]),
                          st.booleans()), max_size=10))
def test_statuses_judge_each_item_as_judge_does(policy, drawn):
    started = next(r for r in policy.deadlines.values() if r.evidence.start is not None)
    submitted = next(r for r in policy.deadlines.values() if r.evidence.start is None)
    items = []
    for due, done, excused, from_start in drawn:
        if done is pd.NaT:
            done = None
        items.append((0, Item("r", "E1", "2026-10-31", due, done, None, excused), started if from_start else submitted))
    dues, dones = [i.due for _, i, _ in items], [i.done for _, i, _ in items]
    expected = _outcome(lambda: [judge(rule, item.due, item.done, item.excused) for _, item, rule in items])
    got = _outcome(lambda: _statuses(items, _nanos(dues), _nanos(dones)))
    assert got == expected      # the same words, or the same error (a time zone mixed in, out of bounds)
    if got[0] == "value":
        assert all(type(s) is str for s in got[1])
    for values in (dues, dones):
        old = _outcome(lambda v=values: instant_column(v))
        new = _outcome(lambda v=values: instant_column(v, _nanos(v)))
        if old[0] == "value" and new[0] == "value":
            pd.testing.assert_series_equal(new[1], old[1])
        else:
            assert new == old


def _outcome(make):
    try:
        return "value", make()
    except Exception as error:      # an error is an outcome to compare
        return "raised", type(error)
