"""When an item is due, and whether it came on time: the one mechanism behind every deadline
rule of `config/deadlines.yaml` (docs/policy.md#deadlines).

    due_at(rule.due, period=..., start=..., reference=..., calendar=...) -> datetime
    status(due, done, as_of) -> "on_time" | "late" | "missing" | "open"

Each due form needs its own anchor:

* `after` (complaint resolution): `start` + `days`. Calendar days keep the time of day exactly
  (intake + 72 h); `counting: workdays` moves forward that many workdays of the `calendar`
  (days that are not workdays do not count, whatever the day `start` falls on) and keeps the
  time of day.
* `next_month` (production sheet): the `day`-th of the month after `period`, at `at`; a day past
  the end of that month means its last day.
* `weekly` (call log): the first `weekday` after the week (Monday–Sunday) that holds
  `reference`, at `at` — the Monday-10:00 rule covers the previous week; with `week: same`, that
  weekday of the week itself (a training's test by Friday 18:00).
* `daily` (business records): the `reference` day itself at `at` (which days are expected — the
  workdays of the policy calendar — is the audit's business, not the due time's).
* `end_of_week` (service order): the last instant of the Sunday of the week that holds
  `reference` (23:59:59.999999), i.e. anything before the next Monday 00:00 is on time.

Times are compared in whole minutes, as people write them and time clocks show them: an item done
at the due minute (18:00:59 for an 18:00 deadline) is on time, a minute later is late.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

import pandas as pd

from csbatch.blanks import is_blank
from csbatch.calendar import WorkCalendar
from csbatch.policy.deadlines import DueAfter, DueDaily, DueEndOfWeek, DueNextMonth, DueWeekly
from csbatch.policy.worktime import WEEKDAYS

Status = Literal["on_time", "late", "missing", "open"]

_END_OF_DAY = dt.time(23, 59, 59, 999999)


def _day(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _need(value, name: str, form: str):
    if value is None:
        raise ValueError(f"a '{form}' deadline needs `{name}`")
    return value


def _add_workdays(start: dt.datetime, days: int, calendar: WorkCalendar) -> dt.datetime:
    day = _day(start)
    left = days
    while left > 0:
        day += dt.timedelta(days=1)
        if calendar.is_workday(day):
            left -= 1
    return dt.datetime.combine(day, start.time())


def _month_after(period: str) -> tuple[int, int]:
    year, month = (int(x) for x in period.split("-"))
    return (year + 1, 1) if month == 12 else (year, month + 1)


def _week_monday(reference: dt.date | dt.datetime) -> dt.date:
    day = _day(reference)
    return day - dt.timedelta(days=day.weekday())


def due_at(due, *, period: str | None = None, start: dt.datetime | None = None,
           reference: dt.date | None = None, calendar: WorkCalendar | None = None) -> dt.datetime:
    """The moment `due` (a rule's `due:` record) falls due for one expected item.

    Pass what the form needs: `start` for `after` (and `calendar` when counting workdays),
    `period` ('YYYY-MM') for `next_month`, `reference` (a date or datetime) for `weekly`, `daily`
    and `end_of_week`. A missing anchor is a programming error (ValueError), not a data problem."""
    if isinstance(due, DueAfter):
        start = _need(start, "start", "after")
        if due.counting == "workdays":
            return _add_workdays(start, due.days, _need(calendar, "calendar", "after/workdays"))
        return start + dt.timedelta(days=due.days)
    if isinstance(due, DueNextMonth):
        year, month = _month_after(_need(period, "period", "next_month"))
        last = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
        return dt.datetime.combine(dt.date(year, month, min(due.day, last)), due.at)
    if isinstance(due, DueWeekly):
        monday = _week_monday(_need(reference, "reference", "weekly"))
        day = monday + dt.timedelta(days=(7 if due.week == "next" else 0) + WEEKDAYS.index(due.weekday))
        return dt.datetime.combine(day, due.at)
    if isinstance(due, DueDaily):
        return dt.datetime.combine(_day(_need(reference, "reference", "daily")), due.at)
    if isinstance(due, DueEndOfWeek):
        sunday = _week_monday(_need(reference, "reference", "end_of_week")) + dt.timedelta(days=6)
        return dt.datetime.combine(sunday, _END_OF_DAY)
    raise TypeError(f"unknown deadline form {type(due).__name__}")


def _minute(value: dt.datetime) -> dt.datetime:
    if isinstance(value, pd.Timestamp):
        return value.replace(second=0, microsecond=0, nanosecond=0)
    return value.replace(second=0, microsecond=0)


_NS_PER_MINUTE = 60_000_000_000


def _minutes(value: dt.datetime) -> int | None:
    """The whole minutes since 1970 of a time-zone-less Timestamp (its nanoseconds floor-divided:
    the minute `_minute` keeps, without making a Timestamp); None for anything else (a datetime,
    a Timestamp with a time zone, or one too far from 1970 for nanoseconds)."""
    if type(value) is pd.Timestamp and value.tz is None:
        try:
            return value.value // _NS_PER_MINUTE
        except OverflowError:
            return None
    return None


def _not_after(earlier: dt.datetime, later: dt.datetime) -> bool:
    """`earlier`'s minute at or before `later`'s."""
    first, second = _minutes(earlier), _minutes(later)
    if first is not None and second is not None:
        return first <= second
    return _minute(earlier) <= _minute(later)


def status(due: dt.datetime, done: dt.datetime | None, as_of: dt.datetime) -> Status:
    """On time, late, missing or open, compared in whole minutes.

    * done at or before the due minute → "on_time"; after it → "late";
    * not done and `as_of` past the due minute → "missing";
    * not done and not yet due at `as_of` → "open".

    `done` may be None or NaT. Callers name the outcome for their rule: a submission that is
    "missing" was never handed in; for a complaint "missing" means still open past its due time
    (the audit lists both)."""
    if done is not None and not is_blank(done):
        return "on_time" if _not_after(done, due) else "late"
    return "open" if _not_after(as_of, due) else "missing"
