"""Attendance: clock records and leave requests → a month summary per employee
(docs/policy.md#calendar, #leave).

The month's numbers feed conduct points (late, early leave, absence), pay (absence and the unpaid
share of leave are deducted; scheduled days prorate base pay for joiners and leavers) and the
"not rated" rule of partial months. Besides the summary, the function returns one row per
employee × scheduled workday (`days`), with the clock rows each day came from, so `csbatch
explain` can show why someone was absent or late.

How a day is read:

* Scheduled days are the calendar's workdays inside the employee's employment (hire date to
  leave date, both included). Clock records on any other day (Sunday overtime, a holiday, before
  hire) are ignored: they make no present day and no late or early leave.
* Times are compared in whole minutes (seconds dropped, as a time clock displays them).
* Daily rows of one day merge (earliest clock-in, latest clock-out); of raw punches, the first of
  the day is the clock-in and the last the clock-out. A lone raw punch before the middle of the
  lunch break is a clock-in, otherwise a clock-out. A day with only one side is a missing punch:
  present, and listed for the admin.
* Only approved leave is leave. It covers the workdays from its start date to its end date, by
  half days: starting at or after lunch starts leaves the first morning uncovered; ending at or
  before lunch ends (a time, not a bare date) leaves the last afternoon uncovered.
* A half day on leave moves the expected clock-in to the end of lunch (morning off) or the
  expected clock-out to the start of lunch (afternoon off); a day fully on leave is not checked.
* Absence is the part of a scheduled day with no clock record that approved leave does not cover.
* With a shift schedule (排班表, calendar.yaml `shifts`) a day is judged against the person's
  shift that day: a shift on any day of employment is judged (a Sunday, a holiday), a day off
  (休) is not, even on a workday, and a day the schedule leaves blank is the calendar's as
  without a schedule. A night shift ending after midnight owns the punches after midnight up
  to the middle between its end and the start of the next day's own shift (midnight without
  one); a daily row's clock-out before the shift's start is the next morning's. Scheduled days
  (pay proration, the rated share) stay the calendar's workdays inside employment.

No policy number lives here: the schedule, grace minutes and paid shares come from the policy.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from csbatch.blanks import is_blank
from csbatch.calendar import WorkCalendar, month_bounds
from csbatch.errors import CsbatchError, Issue, Source
from csbatch.grouping import first_codes, joined_runs, stable_order
from csbatch.i18n import N_, Said
from csbatch.money import ONE as _ONE
from csbatch.money import ZERO as _ZERO
from csbatch.policy.worktime import LeaveType, Schedule, Shift

SUMMARY_COLUMNS: tuple[str, ...] = (
    "employee_id", "name", "scheduled_days", "present_days", "late_count", "late_minutes",
    "early_count", "absent_days", "paid_leave_days", "unpaid_leave_days", "missing_punches",
)
#: Columns after the contract's, in this order (`role` only when the roster has it).
SUMMARY_EXTRA_COLUMNS: tuple[str, ...] = ("month_workdays", "role")

DAY_COLUMNS: tuple[str, ...] = (
    "employee_id", "date", "present", "clock_in", "clock_out", "late_minutes", "early",
    "missing_punch", "leave_type", "leave_share", "absent_share", "sources",
    # detail beyond the contract, for pay and `explain`
    "late", "paid_leave_share", "unpaid_leave_share", "leave_sources", "unapproved_leave_type",
)

_KEY = ["employee_id", "date"]
_MINUTE = pd.Timedelta(minutes=1)
_MORNING, _AFTERNOON = 0, 1


@dataclass(frozen=True)
class AttendanceResult:
    """What the attendance stage hands on: the month per employee (`SUMMARY_COLUMNS`, then
    `SUMMARY_EXTRA_COLUMNS`) and per scheduled day (`DAY_COLUMNS`)."""

    summary: pd.DataFrame   # one row per employee employed for at least one day of the period
    days: pd.DataFrame      # one row per employee × scheduled workday


# ---------------------------------------------------------------------------------------------
# the schedule as times of day


@dataclass(frozen=True)
class _Day:
    """The schedule's clock times as offsets from midnight, the unit the clock frame uses."""

    start: pd.Timedelta
    end: pd.Timedelta
    morning_end: pd.Timedelta      # lunch starts: a half day off in the afternoon begins here
    afternoon_start: pd.Timedelta  # lunch ends: a half day off in the morning ends here
    late_grace: pd.Timedelta
    early_grace: pd.Timedelta

    @property
    def lone_punch_boundary(self) -> pd.Timedelta:
        """The middle of lunch: a lone punch before it is a clock-in, from it on a clock-out."""
        return self.morning_end + (self.afternoon_start - self.morning_end) / 2


def _offset(t: dt.time) -> pd.Timedelta:
    return pd.Timedelta(hours=t.hour, minutes=t.minute, seconds=t.second)


def _day_times(schedule: Schedule) -> _Day:
    """Without a lunch break the day's midpoint splits morning from afternoon."""
    start, end = _offset(schedule.start), _offset(schedule.end)
    if schedule.lunch is not None:
        morning_end, afternoon_start = _offset(schedule.lunch.from_), _offset(schedule.lunch.to)
    else:
        morning_end = afternoon_start = start + (end - start) / 2
    return _Day(start, end, morning_end, afternoon_start,
                pd.Timedelta(minutes=schedule.late_grace_minutes),
                pd.Timedelta(minutes=schedule.early_grace_minutes))


_DAY = pd.Timedelta(days=1)


def _shift_times(shift: Shift, schedule: Schedule) -> _Day:
    """A shift's times from its day's midnight; a shift without times is the schedule's day. An
    end (or a break) not after the start is the next day's: 24 hours later."""
    if shift.start is None or shift.end is None:
        return _day_times(schedule)
    start = _offset(shift.start)

    def after_start(t: dt.time) -> pd.Timedelta:
        return _offset(t) + (_DAY if _offset(t) <= start else pd.Timedelta(0))

    end = after_start(shift.end)
    if shift.breaks:
        morning_end, afternoon_start = after_start(shift.breaks[0].from_), after_start(shift.breaks[0].to)
    else:
        morning_end = afternoon_start = start + (end - start) / 2
    return _Day(start, end, morning_end, afternoon_start,
                pd.Timedelta(minutes=schedule.late_grace_minutes),
                pd.Timedelta(minutes=schedule.early_grace_minutes))


@dataclass(frozen=True)
class ShiftSchedule:
    """The month's shift schedule: `rows` (employee_id, date, shift — a shift code or `off`, as
    the 排班表 reader gives them) and the policy's shifts by code."""

    rows: pd.DataFrame
    types: dict[str, Shift]


_DEFAULT = ""   # the shift column of a day the schedule does not name: the schedule's day


def _times_table(times: _Day, schedule: Schedule, shifts: ShiftSchedule | None) -> dict[str, _Day]:
    table = {_DEFAULT: times}
    if shifts is not None:
        table.update({code: _shift_times(shift, schedule) for code, shift in shifts.types.items()})
    return table


def _with_times(frame: pd.DataFrame, table: dict[str, _Day]) -> pd.DataFrame:
    """The day's expected times beside each row of a frame with a `shift` column."""
    codes = frame["shift"]
    out = frame.copy()
    for field in ("start", "end", "morning_end", "afternoon_start"):
        values = {code: getattr(day, field) for code, day in table.items()}
        out[field] = codes.map(values).astype("timedelta64[ns]")
    out["lone_boundary"] = codes.map({c: d.lone_punch_boundary for c, d in table.items()}) \
        .astype("timedelta64[ns]")
    return out


# ---------------------------------------------------------------------------------------------
# small column helpers


def _dates(values: pd.Series | list[dt.date]) -> pd.Series:
    """Midnight timestamps at one resolution, so date keys of different frames merge."""
    return pd.Series(pd.to_datetime(values)).dt.normalize().astype("datetime64[ns]")


def _minutes(values: pd.Series) -> pd.Series:
    """Times of day in whole minutes: 08:30:59 reads 08:30, as the time clock shows it."""
    return values.astype("timedelta64[ns]").dt.floor("min")


def _row_sources(frame: pd.DataFrame) -> list[str]:
    """`考勤.csv!row 14` / `考勤.xlsx[Sheet1]!row 14` for each row: `str(Source.of_row(row))`
    ("" without a file), the file-and-sheet part worded once per file and sheet, not a `Source`
    per row."""
    if "_file" not in frame.columns or "_row" not in frame.columns:
        return ["" if place is None else str(place) for place in Source.of_rows(frame)]
    rows = frame["_row"]
    if isinstance(rows.dtype, np.dtype) and rows.dtype.kind in "iu":   # numpy integers: none blank
        numbers = rows.tolist()
    else:
        numbers = [-1 if blank else int(r) for r, blank in zip(rows.tolist(), rows.isna().tolist())]
    # the (file, sheet) pairs numbered by equality, as a dictionary keyed by the pair would tell
    # them apart (blanks of any kind word the same head), each pair's head worded once
    files, _ = pd.factorize(frame["_file"], use_na_sentinel=False)
    sheet_column = frame["_sheet"] if "_sheet" in frame.columns else pd.Series([None] * len(frame), dtype=object)
    sheets, _ = pd.factorize(sheet_column, use_na_sentinel=False)
    pairs, _ = pd.factorize(files.astype(np.int64) * (int(sheets.max(initial=0)) + 1) + sheets)
    firsts = first_codes(pairs).tolist()
    file_cells, sheet_cells = frame["_file"].to_numpy(dtype=object), sheet_column.to_numpy(dtype=object)
    words = []
    for at in firsts:
        place = Source.of_row({"_file": file_cells[at], "_sheet": sheet_cells[at]})
        words.append("" if place is None else str(place))
    heads = np.array(words, dtype=object)[pairs].tolist()
    return [head if row < 0 or not head else f"{head}!row {row}" for head, row in zip(heads, numbers)]


def _provenance_order(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows in file, sheet, row order, so joined sources and tie-breaks do not depend on the
    order intake concatenated the files in."""
    keys = [c for c in ("_file", "_sheet", "_row") if c in frame.columns]
    # file and sheet columns holding one value throughout (one CSV: every clock row) order
    # nothing: the rows go by their numbers alone, and rows already in order stay as they are
    if "_row" in keys and all(frame[c].nunique(dropna=False) <= 1 for c in keys if c != "_row"):
        rows = frame["_row"].fillna(0).astype(int).to_numpy()
        if bool((rows[1:] >= rows[:-1]).all()):
            return frame
        return frame.iloc[np.argsort(rows, kind="stable")]
    if not keys:
        return frame
    order = frame[keys].astype(object).where(frame[keys].notna(), "")
    order = order.assign(_row=frame["_row"].fillna(0).astype(int)) if "_row" in keys else order
    positions = order.reset_index(drop=True).sort_values(keys, kind="stable").index
    return frame.iloc[positions]


def _dsum(values: Iterable[Decimal]) -> Decimal:
    return sum(values, _ZERO)


# ---------------------------------------------------------------------------------------------
# who is scheduled when


def _employment(roster: pd.DataFrame, first: dt.date, last: dt.date) -> pd.DataFrame:
    """Employees with at least one day of employment in the month, and that span clipped to it.

    A blank hire date means employed before the month; a blank leave date, still employed. The
    leave date is the last day employed. Intake reports duplicate ids; the first row is used."""
    month_start, month_end = pd.Timestamp(first), pd.Timestamp(last)
    people = roster.drop_duplicates("employee_id", keep="first")
    hired = _dates(people["hire_date"]).fillna(month_start).to_numpy()
    left = _dates(people["leave_date"]).fillna(month_end).to_numpy()
    out = pd.DataFrame({
        "employee_id": people["employee_id"].astype(object).to_numpy(),
        "name": people["name"].astype(object).to_numpy(),
        # pandas-stubs type clip's bounds as numbers; a Timestamp bounds a datetime Series
        "from": pd.Series(hired).clip(lower=month_start).to_numpy(),  # type: ignore[call-overload]
        "to": pd.Series(left).clip(upper=month_end).to_numpy(),  # type: ignore[call-overload]
    })
    if "role" in people.columns:
        out["role"] = people["role"].astype(object).to_numpy()
    return out[out["from"] <= out["to"]].sort_values("employee_id", kind="stable") \
        .reset_index(drop=True)


def _scheduled_days(employment: pd.DataFrame, month_days: list[dt.date]) -> pd.DataFrame:
    """employee × workday of the month inside the employee's employment."""
    workdays = pd.DataFrame({"date": _dates(month_days)})
    grid = employment[["employee_id", "from", "to"]].merge(workdays, how="cross")
    grid = grid[(grid["date"] >= grid["from"]) & (grid["date"] <= grid["to"])]
    return grid[_KEY].sort_values(_KEY, kind="stable").reset_index(drop=True)


def _judged_days(employment: pd.DataFrame, scheduled: pd.DataFrame,
                 shifts: ShiftSchedule | None) -> pd.DataFrame:
    """The days judged and each one's shift (`_DEFAULT`: the schedule's day): the calendar's
    scheduled days, less the schedule's days off, plus its shifts on other days of employment."""
    grid = scheduled.assign(shift=_DEFAULT)
    if shifts is None or shifts.rows.empty:
        return grid
    plan = pd.DataFrame({"employee_id": shifts.rows["employee_id"].astype(object).to_numpy(),
                         "date": _dates(shifts.rows["date"]).to_numpy(),
                         "planned": shifts.rows["shift"].astype(object).to_numpy()})
    plan = plan.dropna().drop_duplicates(_KEY, keep="first")
    plan = plan.merge(employment[["employee_id", "from", "to"]], on="employee_id")
    plan = plan[(plan["date"] >= plan["from"]) & (plan["date"] <= plan["to"])][[*_KEY, "planned"]]
    grid = grid.merge(plan, how="outer", on=_KEY)
    grid["shift"] = grid["planned"].where(grid["planned"].notna(), grid["shift"]).fillna(_DEFAULT)
    grid = grid[grid["shift"] != "off"]
    return grid[[*_KEY, "shift"]].astype({"employee_id": object, "date": "datetime64[ns]"}) \
        .sort_values(_KEY, kind="stable").reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# clock records → one clock-in / clock-out per employee and day


def _overnight(judged: pd.DataFrame) -> pd.DataFrame:
    """The judged days whose shift ends after midnight, with `cutoff`: from that day's midnight,
    the middle between the shift's end and the start of the next day's own shift (the next day's
    end when it has none); a punch of the next day before it is this shift's."""
    night = judged[judged["end"] > _DAY]
    if night.empty:
        return night.assign(cutoff=pd.Series(dtype="timedelta64[ns]"))
    following = judged[_KEY + ["start"]].assign(date=judged["date"] - _DAY) \
        .rename(columns={"start": "next_start"})
    night = night.merge(following, how="left", on=_KEY)
    next_start = night["next_start"].astype("timedelta64[ns]").fillna(_DAY) + _DAY
    return night.assign(cutoff=night["end"] + (next_start - night["end"]) / 2)


def _night_values(emps: np.ndarray, dates: np.ndarray, overnight: pd.DataFrame, column: str) -> np.ndarray:
    """`overnight`'s `column` (a timedelta) on each (employee, date) of the rows, NaT where it has
    none: what a left merge on the key gives (its keys are distinct), merged only for the rows
    of employees it names. A rota's night shifts belong to a few people, and merging every clock
    row of a million-order month took ~0.08 s a merge."""
    out = np.full(len(emps), np.timedelta64("NaT"), dtype="timedelta64[ns]")
    if overnight["employee_id"].isna().any():   # a merge matches None and NaN alike, `isin` not
        mine = np.ones(len(emps), dtype=bool)
    else:
        mine = pd.Series(emps, dtype=object).isin(overnight["employee_id"]).to_numpy(dtype=bool)
    if mine.any():
        rows = pd.DataFrame({"employee_id": emps[mine], "date": dates[mine]})
        found = rows.merge(overnight[[*_KEY, column]], how="left", on=_KEY)[column]
        out[mine] = found.astype("timedelta64[ns]").to_numpy()
    return out


def _shift_dates(emp: pd.Series, at: pd.Series, overnight: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Each punch's day and time from that day's midnight: a punch after midnight before the
    cutoff of the previous day's night shift is that day's, 24 hours and more after its midnight."""
    day = at.dt.normalize()
    t = at - day
    if overnight.empty:
        return day, t
    cutoff = _night_values(emp.to_numpy(), (day - _DAY).to_numpy(), overnight, "cutoff")
    back = pd.Series((t + _DAY).to_numpy() < cutoff, index=at.index)
    return day.where(~back, day - _DAY), t.where(~back, t + _DAY)


def _punch_days(emp: pd.Series, day: pd.Series, t: pd.Series, times: _Day, judged: pd.DataFrame,
                overnight: pd.DataFrame) -> pd.DataFrame:
    """Raw punches (each one's employee and `_shift_dates`' day and time): first of the day is
    the clock-in, last the clock-out; a lone punch takes the side of the lunch break's (the
    shift's first break's) middle it falls on."""
    frame = pd.DataFrame({"employee_id": emp, "date": day, "t": _minutes(t)})
    g = frame.groupby(_KEY).agg(first=("t", "min"), last=("t", "max"), n=("t", "size"))
    boundary = pd.Series(times.lone_punch_boundary, index=g.index)
    if not overnight.empty or (judged["shift"] != _DEFAULT).any():
        own = judged.set_index(_KEY)["lone_boundary"]
        boundary = own.reindex(g.index).fillna(times.lone_punch_boundary)
    lone = g["n"] == 1
    return pd.DataFrame({
        "clock_in": g["first"].where(~lone | (g["first"] < boundary)),
        "clock_out": g["last"].where(~lone | (g["last"] >= boundary)),
    })


def _daily_row_days(daily: pd.DataFrame, overnight: pd.DataFrame) -> pd.DataFrame:
    """Daily rows: several for one day merge into the earliest clock-in and latest clock-out. On
    a night shift's day, a clock-out before the shift's start is the next morning's."""
    frame = pd.DataFrame({"employee_id": daily["employee_id"].astype(object),
                          "date": _dates(daily["date"]).to_numpy(),
                          "clock_in": _minutes(daily["clock_in"]).to_numpy(),
                          "clock_out": _minutes(daily["clock_out"]).to_numpy()})
    if not overnight.empty:
        start = _night_values(frame["employee_id"].to_numpy(), frame["date"].to_numpy(), overnight, "start")
        next_day = pd.Series(frame["clock_out"].to_numpy() < start, index=frame.index)
        frame["clock_out"] = frame["clock_out"].where(~next_day, frame["clock_out"] + _DAY)
    return frame.groupby(_KEY).agg(clock_in=("clock_in", "min"), clock_out=("clock_out", "max"))


def _clock_days(clock: pd.DataFrame, times: _Day, judged: pd.DataFrame) -> pd.DataFrame:
    """One row per employee and day with a clock record: clock_in, clock_out (either may be NaT,
    not both) and the provenance of the rows that made them.

    A daily row with neither time is no clock record: time-clock exports list every day, blank
    on the days nobody punched, and such a row must not turn an absence into a present day."""
    if clock.empty:
        return pd.DataFrame({"employee_id": pd.Series(dtype=object),
                             "date": pd.Series(dtype="datetime64[ns]"),
                             "clock_in": pd.Series(dtype="timedelta64[ns]"),
                             "clock_out": pd.Series(dtype="timedelta64[ns]"),
                             "sources": pd.Series(dtype=object)})
    overnight = _overnight(judged)
    is_punch = clock["punch_time"].notna()
    is_daily = ~is_punch & clock["date"].notna() & \
        (clock["clock_in"].notna() | clock["clock_out"].notna())
    # each punch's day found once: its clock-in/out here, the sources' day below
    punch_emp = clock["employee_id"][is_punch].astype(object)
    punch_day, punch_t = _shift_dates(punch_emp, clock["punch_time"][is_punch].astype("datetime64[ns]"), overnight)
    parts = [_punch_days(punch_emp, punch_day, punch_t, times, judged, overnight),
             _daily_row_days(clock[is_daily], overnight)]
    merged = pd.concat(parts).groupby(level=_KEY).agg(clock_in=("clock_in", "min"),
                                                      clock_out=("clock_out", "max"))

    used = _provenance_order(clock[is_punch | is_daily])
    days = np.full(len(clock), np.datetime64("NaT"), dtype="datetime64[ns]")
    days[is_punch.to_numpy(dtype=bool)] = punch_day.to_numpy()
    days[is_daily.to_numpy(dtype=bool)] = _dates(clock["date"][is_daily]).to_numpy()
    day = days[clock.index.get_indexer(used.index)]
    emps, texts = used["employee_id"].astype(object).to_numpy(), _row_sources(used)
    keys, joined = _sources_by_day(emps, day.view("int64"), texts)
    index = pd.MultiIndex.from_arrays(
        [pd.Index([emp for emp, _ in keys], dtype=object),
         pd.DatetimeIndex(pd.to_datetime([ns for _, ns in keys], unit="ns"))], names=_KEY)
    sources = pd.Series(joined, index=index, dtype=object, name="sources")
    return merged.join(sources).reset_index()


def _sources_by_day(emps: np.ndarray, days: np.ndarray, texts: list[str]) -> tuple[list[tuple[Any, int]], list[str]]:
    """The distinct (employee, day as ns) keys in order of first appearance, and each key's
    `texts` joined by "; " in row order. Grouped by codes (`pd.factorize`, a stable sort) when no
    employee is blank; a dictionary per row otherwise (NaN keys are told apart by identity)."""
    if len(emps) and not pd.isna(emps).any():
        emp_codes, _ = pd.factorize(emps)
        day_codes, day_values = pd.factorize(days)
        codes, keys = pd.factorize(emp_codes.astype(np.int64) * len(day_values) + day_codes)
        first = first_codes(codes)
        return (list(zip(emps[first].tolist(), days[first].tolist())),
                joined_runs(codes, len(keys), texts, "; "))
    by_day: dict[tuple[Any, int], list[str]] = {}   # dates as ns integers: fast to hash
    for key, source in zip(zip(emps, days.tolist()), texts):
        by_day.setdefault(key, []).append(source)
    return list(by_day), ["; ".join(v) for v in by_day.values()]


# ---------------------------------------------------------------------------------------------
# leave requests → half days covered


def _halves_covered(start: pd.Timestamp, end: pd.Timestamp, day: pd.Timestamp,
                    times: _Day) -> tuple[bool, bool]:
    """Which halves (morning, afternoon) of `day` a leave from `start` to `end` covers.

    An end at exactly 00:00 is a bare date: the whole of that day is included."""
    start_day, end_day = start.normalize(), end.normalize()
    whole_end = end == end_day
    morning = day > start_day or start - start_day < times.morning_end
    afternoon = day < end_day or whole_end or end - end_day > times.afternoon_start
    return morning, afternoon


_Halves = list[tuple[str, Source | None] | None]   # [morning, afternoon]: (leave type, place)


def _leave_halves(leave: pd.DataFrame, month_days: list[pd.Timestamp], times: _Day,
                  own: dict[tuple[str, pd.Timestamp], _Day]) -> dict[tuple[str, pd.Timestamp], _Halves]:
    """(employee, workday) → [morning, afternoon], each (leave type, place) or None; a day on a
    shift (`own`) splits at the shift's times.

    Two requests covering the same half count once (the earlier start wins, then file order),
    so a request entered twice is not leave twice."""
    covered: dict[tuple[str, pd.Timestamp], _Halves] = {}
    if leave.empty:
        return covered
    rows = _provenance_order(leave).copy()
    rows["_source"] = pd.Series(Source.of_rows(rows), index=rows.index, dtype=object)
    rows = rows.sort_values("start", kind="stable")
    for emp, start, end, code, source in zip(rows["employee_id"], rows["start"], rows["end"],
                                             rows["leave_type"], rows["_source"]):
        if is_blank(start) or is_blank(end):
            continue
        start, end = pd.Timestamp(start), pd.Timestamp(end)
        first, last = start.normalize(), end.normalize()    # once per request, not per workday
        for day in month_days:
            if not first <= day <= last:
                continue
            halves = covered.setdefault((str(emp), day), [None, None])
            day_times = own.get((str(emp), day), times)
            for half, on in enumerate(_halves_covered(start, end, day, day_times)):
                if on and halves[half] is None:
                    halves[half] = (str(code), source)
    return covered


def _paid_share(code: str, leave_types: dict[str, LeaveType], place: Source | None) -> Decimal:
    """Intake checks leave codes against the policy; a frame built elsewhere might not have."""
    try:
        return leave_types[code].paid
    except KeyError:
        raise CsbatchError([Issue.of(place, "attendance.leave_type", N_("leave type '{code}' is not in leave.yaml"),
                                     code=code)]) from None


def _leave_days(leave: pd.DataFrame, month_days: list[pd.Timestamp], times: _Day,
                leave_types: dict[str, LeaveType],
                own: dict[tuple[str, pd.Timestamp], _Day] | None = None) -> pd.DataFrame:
    """Per employee and workday: approved leave by half day, its share of the day and the paid
    and unpaid parts of that share; and the type of unapproved leave, shown beside an absence."""
    approved = leave["approved"].eq(True).fillna(False).astype(bool) if not leave.empty \
        else pd.Series(dtype=bool)
    records: dict[tuple[str, pd.Timestamp], dict] = {}
    own = own or {}
    for (emp, day), halves in _leave_halves(leave[approved], month_days, times, own).items():
        taken = [h for h in halves if h is not None]
        paid = _dsum(_paid_share(code, leave_types, src) / 2 for code, src in taken)
        share = Decimal(len(taken)) / 2
        records[(emp, day)] = {
            "morning_off": halves[_MORNING] is not None,
            "afternoon_off": halves[_AFTERNOON] is not None,
            "leave_type": "+".join(dict.fromkeys(code for code, _ in taken)) or None,
            "leave_share": share, "paid_leave_share": paid, "unpaid_leave_share": share - paid,
            "leave_sources": "; ".join(dict.fromkeys(str(src) for _, src in taken if src)),
        }
    for (emp, day), halves in _leave_halves(leave[~approved], month_days, times, own).items():
        codes = "+".join(dict.fromkeys(h[0] for h in halves if h is not None))
        record = records.setdefault((emp, day), {})
        record["unapproved_leave_type"] = codes or None
        off = (record.get("morning_off", False), record.get("afternoon_off", False))
        record["unapproved_share"] = Decimal(sum(1 for h, o in zip(halves, off)
                                                 if h is not None and not o)) / 2
    frame = pd.DataFrame([{"employee_id": emp, "date": day, **values}
                          for (emp, day), values in records.items()],
                         columns=[*_KEY, "morning_off", "afternoon_off", "leave_type",
                                  "leave_share", "paid_leave_share", "unpaid_leave_share",
                                  "leave_sources", "unapproved_leave_type", "unapproved_share"])
    frame["date"] = frame["date"].astype("datetime64[ns]")
    frame["employee_id"] = frame["employee_id"].astype(object)
    return frame


# ---------------------------------------------------------------------------------------------
# each scheduled day judged


def _judge_days(grid: pd.DataFrame, clock_days: pd.DataFrame, leave_days: pd.DataFrame,
                times: _Day, tracked: bool = True) -> pd.DataFrame:
    """Each scheduled day: present, late, early, on leave, absent, against its own times (the
    grid's start, end, morning_end, afternoon_start: the day's shift). Without a time clock
    (`tracked` false) a day is present unless leave covers it, and absent only for the halves
    of unapproved leave that approved leave does not cover."""
    days = grid.merge(clock_days, how="left", on=_KEY).merge(leave_days.assign(_on_leave=True), how="left", on=_KEY)
    # the few days with a leave record (a few hundred of a hundred thousand at 1M orders): only
    # their leave cells can hold a Decimal, the merge left the rest blank, which read as zero
    on_leave = np.flatnonzero(days["_on_leave"].eq(True).to_numpy(dtype=bool)).tolist()
    morning_off = days["morning_off"].eq(True).fillna(False).astype(bool)
    afternoon_off = days["afternoon_off"].eq(True).fillna(False).astype(bool)
    clock_in = days["clock_in"].astype("timedelta64[ns]")
    clock_out = days["clock_out"].astype("timedelta64[ns]")

    present = clock_in.notna() | clock_out.notna()
    checked = ~(morning_off & afternoon_off)
    expected_in = days["start"].where(~morning_off, days["afternoon_start"]).astype("timedelta64[ns]")
    expected_out = days["end"].where(~afternoon_off, days["morning_end"]).astype("timedelta64[ns]")
    late = (checked & clock_in.notna() & (clock_in > expected_in + times.late_grace))
    late_minutes = ((clock_in - expected_in) // _MINUTE).where(late, 0).astype("int64")
    early = (checked & clock_out.notna() & (clock_out < expected_out - times.early_grace))

    leave_share = _decimals(days["leave_share"], on_leave)
    if tracked:
        absent = [_ZERO if here else max(_ZERO, _ONE - share)
                  for here, share in zip(present, leave_share)]
    else:
        refused = _decimals(days["unapproved_share"], on_leave)
        absent = [min(u, max(_ZERO, _ONE - share)) for u, share in zip(refused, leave_share)]
        present = pd.Series([share + a < _ONE for share, a in zip(leave_share, absent)],
                            index=days.index, dtype=bool)
    return pd.DataFrame({
        "employee_id": days["employee_id"].astype(object),
        "date": days["date"].astype("datetime64[ns]"),
        "present": present.astype(bool),
        "clock_in": clock_in, "clock_out": clock_out,
        "late_minutes": late_minutes,
        "early": early.astype(bool),
        "missing_punch": (present & (clock_in.isna() | clock_out.isna()) & tracked).astype(bool),
        "leave_type": days["leave_type"].astype(object).where(days["leave_type"].notna(), None),
        "leave_share": pd.Series(leave_share, index=days.index, dtype=object),
        "absent_share": pd.Series(absent, index=days.index, dtype=object),
        "sources": days["sources"].astype(object).where(days["sources"].notna(), ""),
        "late": late.astype(bool),
        "paid_leave_share": pd.Series(_decimals(days["paid_leave_share"], on_leave), index=days.index, dtype=object),
        "unpaid_leave_share": pd.Series(_decimals(days["unpaid_leave_share"], on_leave), index=days.index,
                                        dtype=object),
        "leave_sources": days["leave_sources"].astype(object)
            .where(days["leave_sources"].notna(), ""),
        "unapproved_leave_type": days["unapproved_leave_type"].astype(object)
            .where(days["unapproved_leave_type"].notna(), None),
    }, columns=list(DAY_COLUMNS))


def _decimals(values: pd.Series, rows: list[int]) -> list[Decimal]:
    """`values`' Decimal cells at `rows` (positions), Decimal 0 elsewhere and for any other
    cell: `_decimal_column`'s values, each cell outside `rows` known not to be a Decimal."""
    out = [_ZERO] * len(values)
    cells = values.to_numpy(dtype=object)
    for at in rows:
        value = cells[at]
        if isinstance(value, Decimal):
            out[at] = value
    return out


def _decimal_column(values: pd.Series) -> pd.Series:
    return pd.Series([v if isinstance(v, Decimal) else _ZERO for v in values],
                     index=values.index, dtype=object)


# ---------------------------------------------------------------------------------------------
# the month per employee


def _group_dsums(groups: np.ndarray, n: int, values: pd.Series) -> list[Decimal]:
    """Each group's values (`groups`: `ngroup()`, -1 for a blank key: left out) summed in row
    order from Decimal 0, what `groupby(...).agg(_dsum)` gives without a Series per group (5,000
    employees, three columns: ~0.15 s)."""
    kept = np.flatnonzero(groups >= 0)
    order = kept[stable_order(groups[kept], n)]
    taken = values.to_numpy(dtype=object)[order].tolist()
    ends = np.cumsum(np.bincount(groups[kept], minlength=n)).tolist()
    return [_dsum(taken[start:end]) for start, end in zip([0, *ends[:-1]], ends)]


def _summarise(employment: pd.DataFrame, days: pd.DataFrame, month_workdays: int,
               scheduled: pd.DataFrame) -> pd.DataFrame:
    """`scheduled_days` are the calendar's workdays of the employment (`scheduled`), whatever a
    shift schedule moves: they prorate pay, and a day off in a rota is no unpaid day."""
    g = days.groupby("employee_id", sort=True)
    counts = pd.DataFrame({
        "scheduled_days": scheduled.groupby("employee_id", sort=True).size(),
        "present_days": g["present"].sum(),
        "late_count": g["late"].sum(),
        "late_minutes": g["late_minutes"].sum(),
        "early_count": g["early"].sum(),
        "missing_punches": g["missing_punch"].sum(),
    })
    groups, n = g.ngroup().fillna(-1).to_numpy(dtype=np.int64), g.ngroups   # NaN: a blank key
    amounts = pd.DataFrame({
        "absent_days": _group_dsums(groups, n, days["absent_share"]),
        "paid_leave_days": _group_dsums(groups, n, days["paid_leave_share"]),
        "unpaid_leave_days": _group_dsums(groups, n, days["unpaid_leave_share"]),
    }, index=g.size().index, dtype=object)
    summary = employment.drop(columns=["from", "to"]).merge(
        counts.join(amounts), how="left", left_on="employee_id", right_index=True)
    for column in counts.columns:     # employed, yet no workday in the span (e.g. only holidays)
        summary[column] = summary[column].fillna(0).astype("int64")
    for column in amounts.columns:
        summary[column] = _decimal_column(summary[column])
    summary["month_workdays"] = month_workdays
    extras = [c for c in SUMMARY_EXTRA_COLUMNS if c in summary.columns]
    return summary[[*SUMMARY_COLUMNS, *extras]].sort_values("employee_id", kind="stable") \
        .reset_index(drop=True)


def summarise_attendance(period: str, roster: pd.DataFrame, clock: pd.DataFrame,
                         leave: pd.DataFrame, calendar: WorkCalendar, schedule: Schedule,
                         leave_types: dict[str, LeaveType], tracked: bool = True,
                         shifts: ShiftSchedule | None = None) -> AttendanceResult:
    """The month's attendance per employee (`summary`) and per scheduled day (`days`).

    Pure: the frames follow the typed-table contract of `csbatch.sheets`, the calendar must be
    built for the period's year. Employees with no day of employment in the month are left out;
    one employed only on days off is listed with zero scheduled days. Without a time clock
    (`tracked` false, calendar.yaml) the clock frame is not read: present unless on leave. With
    a shift schedule (`shifts`) each day is judged against the person's shift that day."""
    # intake concatenates files: an index may repeat, and masks below align on it
    roster, clock, leave = (f.reset_index(drop=True) for f in (roster, clock, leave))
    first, last = month_bounds(period)
    month_days = calendar.workdays(first, last)
    times = _day_times(schedule)
    employment = _employment(roster, first, last)
    scheduled = _scheduled_days(employment, month_days)
    table = _times_table(times, schedule, shifts)
    grid = _with_times(_judged_days(employment, scheduled, shifts), table)
    clock_days = _clock_days(clock if tracked else clock.iloc[0:0], times, grid)
    # the grid's dates boxed once per distinct date, and only the rows a shift names boxed per row
    judged_dates = sorted({pd.Timestamp(d) for d in month_days} | set(pd.unique(grid["date"])))
    named = grid[(grid["shift"] != _DEFAULT).to_numpy(dtype=bool)]
    own = {(str(emp), pd.Timestamp(day)): table[code]
           for emp, day, code in zip(named["employee_id"], named["date"], named["shift"])}
    leave_days = _leave_days(leave, judged_dates, times, leave_types, own)
    days = _judge_days(grid, clock_days, leave_days, times, tracked)
    return AttendanceResult(summary=_summarise(employment, days, len(month_days), scheduled), days=days)


def check_presence(result: AttendanceResult, period: str, files: list[str]) -> list[Issue]:
    """A month in which nobody was present on any scheduled day, yet someone was absent, is not a
    month anyone worked: the attendance file is of another month, of other people, or missing.
    An error, so that nobody is paid for a month of absence. (A department without a time clock
    says so in calendar.yaml, and is then never here.)"""
    summary = result.summary
    if summary.empty or int(summary["present_days"].sum()) > 0:
        return []
    absent = sum(summary["absent_days"], _ZERO)
    if absent == 0:
        return []
    where = Source(", ".join(files)) if files else None
    given = Said(N_("the attendance file ({files})"), files=", ".join(files)) if files else \
        Said(N_("no attendance file (考勤) was given, so it"))
    return [Issue.of(where, "attendance.nobody_present",
                     N_("nobody was present on any workday of {period}: {given} would make all {n} "
                        "employees absent every scheduled day ({days} days). Give {period}'s attendance "
                        "file; a department that keeps no time clock says so in calendar.yaml "
                        "(attendance: tracked: false)"),
                     period=period, given=given, n=len(summary), days=absent)]
