"""Round 19's faster attendance paths give what the old forms (kept here) gave: the provenance
order without a sort of constant file and sheet columns, the row sources worded per distinct
(file, sheet) pair, `stable_order` of codes already in order, and the judged days' Decimal
leave cells read only on the days with a leave record; each punch's day found once for its
clock times and its sources."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csbatch import attendance
from csbatch.attendance import _day_times, _decimal_column, _judge_days, _provenance_order, _row_sources
from csbatch.errors import Source
from csbatch.grouping import stable_order
from csbatch.money import ZERO
from csbatch.policy.worktime import Schedule, Shift


def _old_provenance_order(frame: pd.DataFrame) -> pd.DataFrame:
    keys = [c for c in ("_file", "_sheet", "_row") if c in frame.columns]
    if not keys:
        return frame
    order = frame[keys].astype(object).where(frame[keys].notna(), "")
    order = order.assign(_row=frame["_row"].fillna(0).astype(int)) if "_row" in keys else order
    positions = order.reset_index(drop=True).sort_values(keys, kind="stable").index
    return frame.iloc[positions]


def _old_row_sources(frame: pd.DataFrame) -> list[str]:
    if "_file" not in frame.columns or "_row" not in frame.columns:
        return ["" if place is None else str(place) for place in Source.of_rows(frame)]
    rows = frame["_row"]
    numbers = [-1 if blank else int(r) for r, blank in zip(rows.tolist(), rows.isna().tolist())]
    sheets = frame["_sheet"].tolist() if "_sheet" in frame.columns else [None] * len(frame)
    heads: dict[tuple[Any, Any], str] = {}
    out = []
    for file, sheet, row in zip(frame["_file"].tolist(), sheets, numbers):
        head = heads.get((file, sheet))
        if head is None:
            place = Source.of_row({"_file": file, "_sheet": sheet})
            head = heads[file, sheet] = "" if place is None else str(place)
        out.append(head if row < 0 or not head else f"{head}!row {row}")
    return out


FILES = st.sampled_from(["考勤.csv", "考勤.xlsx", "a]b![c", "", " ", "None", None, np.nan, 3])
SHEETS = st.sampled_from(["Sheet1", "排班", "", None, np.nan, 2, "x!row 5"])


@st.composite
def provenance_frames(draw: Any) -> pd.DataFrame:
    n = draw(st.integers(0, 12))
    one_file, one_sheet = draw(st.booleans()), draw(st.booleans())
    first_file, first_sheet = draw(FILES), draw(SHEETS)
    files = [first_file if one_file else draw(FILES) for _ in range(n)]
    sheets = [first_sheet if one_sheet else draw(SHEETS) for _ in range(n)]
    rows = [draw(st.integers(-2, 9)) for _ in range(n)]
    if draw(st.booleans()):
        rows.sort()
    frame = pd.DataFrame({"employee_id": [f"E{i}" for i in range(n)]}, index=[10 + 3 * i for i in range(n)])
    frame["_file"] = pd.Series(files, index=frame.index, dtype=draw(st.sampled_from([object, "str"]))) \
        if all(isinstance(f, (str, float)) or f is None for f in files) else \
        pd.Series(files, index=frame.index, dtype=object)
    if draw(st.booleans()):
        frame["_sheet"] = pd.Series(sheets, index=frame.index, dtype=object)
    form = draw(st.sampled_from(["int", "float", "Int64", "none"]))
    if form == "int":
        frame["_row"] = np.array(rows, dtype=np.int64)
    elif form == "float":
        frame["_row"] = [np.nan if r == 0 else float(r) for r in rows]
    elif form == "Int64":
        frame["_row"] = pd.array([None if r == 0 else r for r in rows], dtype="Int64")
    return frame


@settings(max_examples=300, deadline=None)
@given(provenance_frames())
def test_provenance_order_is_the_old_sort(frame: pd.DataFrame) -> None:
    try:
        old = _old_provenance_order(frame)
    except TypeError:    # text and numbers in one file or sheet column: pandas cannot order them
        with pytest.raises(TypeError):
            _provenance_order(frame)
        return
    new = _provenance_order(frame)
    assert new.index.tolist() == old.index.tolist()
    pd.testing.assert_frame_equal(new, old)


@settings(max_examples=300, deadline=None)
@given(provenance_frames())
def test_row_sources_are_the_old_words(frame: pd.DataFrame) -> None:
    assert _row_sources(frame) == _old_row_sources(frame)


def test_row_sources_of_many_files_and_blank_rows() -> None:
    frame = pd.DataFrame({"_file": ["b.csv", "a.xlsx", None, "a.xlsx", np.nan, "b.csv", "a.xlsx"],
                          "_sheet": [None, "S1", "S1", "S2", None, np.nan, "S1"],
                          "_row": pd.array([2, 3, 4, None, 6, 7, -1], dtype="Int64")})
    assert _row_sources(frame) == _old_row_sources(frame) == \
        ["b.csv!row 2", "a.xlsx[S1]!row 3", "", "a.xlsx[S2]", "", "b.csv!row 7", "a.xlsx[S1]"]
    assert _row_sources(frame.iloc[:0]) == []


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 40), max_size=60), st.booleans())
def test_stable_order_of_codes_in_order(values: list[int], wide: bool) -> None:
    codes = np.array(sorted(values), dtype=np.int64) * (1000 if wide else 1)
    n = int(codes.max(initial=0)) + 1
    assert stable_order(codes, n).tolist() == np.argsort(codes, kind="stable").tolist()
    shuffled = np.array(values, dtype=np.int64)
    assert stable_order(shuffled, 41).tolist() == np.argsort(shuffled, kind="stable").tolist()


def test_judged_days_read_leave_cells_as_before() -> None:
    """Leave cells off the leave records are blank after the merge (zero); on them, a Decimal is
    kept whatever it is (even NaN or 48.30's digits) and anything else is zero."""
    times = _day_times(Schedule.model_validate({"workdays": ["mon"], "start": "09:00", "end": "18:00"}))
    day = pd.Timestamp("2026-10-05")
    emps = ["E1", "E2", "E3", "E4", "E5"]
    grid = pd.DataFrame({"employee_id": pd.Series(emps, dtype=object), "date": [day] * 5, "shift": [""] * 5,
                         "start": times.start, "end": times.end, "morning_end": times.morning_end,
                         "afternoon_start": times.afternoon_start})
    clock = pd.DataFrame({"employee_id": pd.Series(["E1"], dtype=object), "date": [day],
                          "clock_in": [pd.Timedelta(hours=9)], "clock_out": [pd.Timedelta(hours=18)],
                          "sources": ["c.csv!row 2"]})
    odd = [Decimal("0.5"), Decimal("NaN"), None, 0.5, Decimal("48.30")]
    leave = pd.DataFrame({"employee_id": pd.Series(["E2", "E3", "E4"], dtype=object), "date": [day] * 3,
                          "morning_off": [True, None, True], "afternoon_off": [False, None, False],
                          "leave_type": ["annual", None, "sick"],
                          "leave_share": pd.Series([Decimal("0.5"), None, 0.5], dtype=object),
                          "paid_leave_share": pd.Series(odd[1:4], dtype=object),
                          "unpaid_leave_share": pd.Series(odd[2:5], dtype=object),
                          "leave_sources": ["l!row 2", "", "l!row 3"],
                          "unapproved_leave_type": [None, "personal", None],
                          "unapproved_share": pd.Series([None, Decimal("0.5"), 1], dtype=object)})
    merged = grid.merge(clock, how="left", on=["employee_id", "date"]) \
        .merge(leave, how="left", on=["employee_id", "date"])
    for tracked in (True, False):
        days = _judge_days(grid, clock, leave, times, tracked)
        for column in ("leave_share", "paid_leave_share", "unpaid_leave_share"):
            want = _decimal_column(merged[column]).tolist()
            assert [(type(v), str(v)) for v in days[column]] == [(type(v), str(v)) for v in want]
            assert all(a is b for a, b in zip(days[column], want))
    untracked = _judge_days(grid, clock, leave, times, False)
    refused = [v if isinstance(v, Decimal) else ZERO for v in merged["unapproved_share"]]
    share = [v if isinstance(v, Decimal) else ZERO for v in merged["leave_share"]]
    want_absent = [min(u, max(ZERO, Decimal(1) - s)) for u, s in zip(refused, share)]
    assert [str(v) for v in untracked["absent_share"]] == [str(v) for v in want_absent]


# --- each punch's day found once, for its clock times and its sources ---------------------------

_KEY = ["employee_id", "date"]


def _old_punch_days(punches: pd.DataFrame, times: Any, judged: pd.DataFrame, overnight: pd.DataFrame) -> pd.DataFrame:
    emp = punches["employee_id"].astype(object)
    day, t = attendance._shift_dates(emp, punches["punch_time"].astype("datetime64[ns]"), overnight)
    frame = pd.DataFrame({"employee_id": emp, "date": day, "t": attendance._minutes(t)})
    g = frame.groupby(_KEY).agg(first=("t", "min"), last=("t", "max"), n=("t", "size"))
    boundary = pd.Series(times.lone_punch_boundary, index=g.index)
    if not overnight.empty or (judged["shift"] != "").any():
        own = judged.set_index(_KEY)["lone_boundary"]
        boundary = own.reindex(g.index).fillna(times.lone_punch_boundary)
    lone = g["n"] == 1
    return pd.DataFrame({"clock_in": g["first"].where(~lone | (g["first"] < boundary)),
                         "clock_out": g["last"].where(~lone | (g["last"] >= boundary))})


def _old_clock_days(clock: pd.DataFrame, times: Any, judged: pd.DataFrame) -> pd.DataFrame:
    overnight = attendance._overnight(judged)
    is_punch = clock["punch_time"].notna()
    is_daily = ~is_punch & clock["date"].notna() & (clock["clock_in"].notna() | clock["clock_out"].notna())
    parts = [_old_punch_days(clock[is_punch], times, judged, overnight),
             attendance._daily_row_days(clock[is_daily], overnight)]
    merged = pd.concat(parts).groupby(level=_KEY).agg(clock_in=("clock_in", "min"), clock_out=("clock_out", "max"))
    used = _old_provenance_order(clock[is_punch | is_daily])
    day = attendance._dates(used["punch_time"].where(is_punch[used.index], used["date"])).to_numpy()
    if not overnight.empty:
        punched = is_punch[used.index].to_numpy()
        moved, _ = attendance._shift_dates(used["employee_id"].astype(object),
                                           used["punch_time"].astype("datetime64[ns]"), overnight)
        day = pd.Series(day).where(~punched, moved.to_numpy()).astype("datetime64[ns]").to_numpy()
    emps, texts = used["employee_id"].astype(object).to_numpy(), _old_row_sources(used)
    keys, joined = attendance._sources_by_day(emps, day.view("int64"), texts)
    index = pd.MultiIndex.from_arrays(
        [pd.Index([emp for emp, _ in keys], dtype=object),
         pd.DatetimeIndex(pd.to_datetime([ns for _, ns in keys], unit="ns"))], names=_KEY)
    return merged.join(pd.Series(joined, index=index, dtype=object, name="sources")).reset_index()


def _judged(night: list[Any]) -> tuple[Any, pd.DataFrame]:
    schedule = Schedule.model_validate({"workdays": ["mon", "tue", "wed", "thu", "fri"], "start": "09:00",
                                        "end": "18:00", "lunch": {"from": "12:00", "to": "13:00"}})
    times = attendance._day_times(schedule)
    nights = attendance._shift_times(Shift.model_validate({"name": "夜班", "start": "22:00", "end": "06:00"}),
                                     schedule)
    table = {"": times, "night": nights}
    dates = pd.to_datetime(["2026-10-05", "2026-10-06", "2026-10-07"])
    rows = [(e, d, "night" if e in night and d != dates[2] else "") for e in ["E1", "E2", "E3"] for d in dates]
    grid = pd.DataFrame({"employee_id": pd.Series([r[0] for r in rows], dtype=object),
                         "date": pd.Series([r[1] for r in rows]).astype("datetime64[ns]"),
                         "shift": [r[2] for r in rows]})
    return times, attendance._with_times(grid, table)


@pytest.mark.parametrize("night", [[], ["E2"], ["E1", "E3"]])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_clock_days_as_before(night: list[Any], seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = 300
    emps = rng.choice(np.array(["E1", "E2", "E3", None, np.nan], dtype=object), n)
    base = pd.Timestamp("2026-10-05")
    punch = pd.Series(base + pd.to_timedelta(rng.integers(0, 3 * 24 * 60 * 60, n), unit="s"))
    daily = rng.random(n) < 0.3
    punch[daily | (rng.random(n) < 0.05)] = pd.NaT
    date = pd.Series(base + pd.to_timedelta(rng.integers(0, 3, n), unit="D"))
    date[~daily | (rng.random(n) < 0.1)] = pd.NaT
    clock_in = pd.Series(pd.to_timedelta(rng.integers(8 * 60, 11 * 60, n), unit="min"))
    clock_out = pd.Series(pd.to_timedelta(rng.integers(0, 24 * 60, n), unit="min"))
    clock_in[rng.random(n) < 0.2] = pd.NaT
    clock_out[rng.random(n) < 0.2] = pd.NaT
    clock = pd.DataFrame({"employee_id": pd.Series(emps, dtype=object), "date": date, "clock_in": clock_in,
                          "clock_out": clock_out, "punch_time": punch,
                          "_file": rng.choice(np.array(["a.csv", "b.xlsx"], dtype=object), n) if seed != 2
                          else np.array(["a.csv"] * n, dtype=object),
                          "_sheet": np.array([None] * n, dtype=object),
                          "_row": rng.permutation(n) + 2 if seed != 3 else np.arange(n) + 2})
    times, judged = _judged(night)
    pd.testing.assert_frame_equal(attendance._clock_days(clock, times, judged),
                                  _old_clock_days(clock, times, judged), check_exact=True)


# --- a leave request's first and last day normalised once, not per workday -----------------------

def _old_leave_halves(leave: pd.DataFrame, month_days: list[pd.Timestamp], times: Any,
                      own: dict[tuple[str, pd.Timestamp], Any]) -> dict[tuple[str, pd.Timestamp], list[Any]]:
    from csbatch.blanks import is_blank
    covered: dict[tuple[str, pd.Timestamp], list[Any]] = {}
    if leave.empty:
        return covered
    rows = _old_provenance_order(leave).copy()
    rows["_source"] = pd.Series(Source.of_rows(rows), index=rows.index, dtype=object)
    rows = rows.sort_values("start", kind="stable")
    for emp, start, end, code, source in zip(rows["employee_id"], rows["start"], rows["end"],
                                             rows["leave_type"], rows["_source"]):
        if is_blank(start) or is_blank(end):
            continue
        start, end = pd.Timestamp(start), pd.Timestamp(end)
        for day in month_days:
            if not start.normalize() <= day <= end.normalize():
                continue
            halves = covered.setdefault((str(emp), day), [None, None])
            day_times = own.get((str(emp), day), times)
            for half, on in enumerate(attendance._halves_covered(start, end, day, day_times)):
                if on and halves[half] is None:
                    halves[half] = (str(code), source)
    return covered


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_leave_halves_as_before(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = 60
    times, judged = _judged(["E2"])
    base = pd.Timestamp("2026-10-01")
    start = pd.Series(base + pd.to_timedelta(rng.integers(0, 20 * 48, n) * 30, unit="min"))
    end = start + pd.to_timedelta(rng.integers(-48, 6 * 48, n) * 30, unit="min")
    start[rng.random(n) < 0.1] = pd.NaT
    end[rng.random(n) < 0.1] = pd.NaT
    leave = pd.DataFrame({"employee_id": pd.Series(rng.choice(np.array(["E1", "E2", 3, None], dtype=object), n),
                                                   dtype=object),
                          "start": start, "end": end.dt.normalize().where(rng.random(n) < 0.3, end),
                          "leave_type": rng.choice(np.array(["annual", "sick", "事假"], dtype=object), n),
                          "_file": rng.choice(np.array(["l.csv", "m.xlsx"], dtype=object), n),
                          "_row": np.arange(n) + 2})
    days = [base + pd.Timedelta(days=d) for d in range(31) if (base + pd.Timedelta(days=d)).day_of_week < 5]
    named = judged[judged["shift"] != ""]
    own = {(str(e), pd.Timestamp(d)): attendance._shift_times(
        Shift.model_validate({"name": "夜班", "start": "22:00", "end": "06:00"}),
        Schedule.model_validate({"workdays": ["mon"], "start": "09:00", "end": "18:00"}))
        for e, d in zip(named["employee_id"], named["date"])}
    want = _old_leave_halves(leave, days, times, own)
    assert want and attendance._leave_halves(leave, days, times, own) == want
