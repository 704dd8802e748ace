"""Deadline rules (docs/policy.md#deadlines): `due_at` for every due form of config/deadlines.yaml and
`status` at the exact boundary. October 2026: National Day Oct 1–7, make-up Saturday Oct 10
(the schedule is Monday–Saturday anyway); Sundays off."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from csbatch.calendar import WorkCalendar
from csbatch.policy.deadlines import DueAfter, DueNextMonth
from csbatch.rules.due_dates import due_at, status


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


@pytest.fixture(scope="module")
def calendar(policy):
    cal, issues = WorkCalendar.build(policy.calendar, policy.schedule, [2026])
    assert issues == []
    return cal


# ---------------------------------------------------------------------------------------------
# due_at, one test per form


def test_production_sheet_for_october_is_due_november_2nd_18_00(policy):
    due = policy.deadlines["production_sheet"].due
    assert due_at(due, period="2026-10") == at("2026-11-02 18:00")
    assert due_at(due, period="2026-12") == at("2027-01-02 18:00")   # across the year end


def test_next_month_day_past_the_month_end_is_its_last_day():
    due = DueNextMonth(kind="next_month", day=31, at="18:00")
    assert due_at(due, period="2027-01") == at("2027-02-28 18:00")


def test_complaint_is_due_72_hours_after_intake(policy):
    due = policy.deadlines["complaint_resolution"].due
    received = at("2026-10-12 11:54")
    assert due_at(due, start=received) == at("2026-10-15 11:54")
    # calendar days: a holiday in between does not matter
    assert due_at(due, start=at("2026-09-30 16:00")) == at("2026-10-03 16:00")
    # a pandas timestamp (as the complaints sheet holds) works the same
    assert due_at(due, start=pd.Timestamp("2026-10-12 11:54")) == at("2026-10-15 11:54")


def test_workdays_counting_skips_the_national_day_holiday(calendar):
    due = DueAfter(kind="after", days=3, counting="workdays")
    # Tue Sep 29 + 3 workdays: Wed Sep 30, (Oct 1–7 off), Thu Oct 8, Fri Oct 9; time kept
    assert due_at(due, start=at("2026-09-29 09:15"), calendar=calendar) == at("2026-10-09 09:15")
    # received on a holiday: the count starts with the next workday (Oct 8, 9, Sat 10)
    assert due_at(due, start=at("2026-10-03 14:00"), calendar=calendar) == at("2026-10-10 14:00")
    # Sat Oct 10 + 3 workdays skips Sunday Oct 11: Mon 12, Tue 13, Wed 14
    assert due_at(due, start=at("2026-10-10 17:00"), calendar=calendar) == at("2026-10-14 17:00")


def test_workdays_counting_needs_the_calendar():
    with pytest.raises(ValueError, match="calendar"):
        due_at(DueAfter(kind="after", days=1, counting="workdays"), start=at("2026-10-08 09:00"))


@pytest.mark.parametrize("reference", ["2026-10-12", "2026-10-14", "2026-10-18"])
def test_weekly_call_log_is_due_monday_10_00_after_the_week(policy, reference):
    """Every day of the week Mon Oct 12 – Sun Oct 18 is covered by Monday Oct 19, 10:00."""
    due = policy.deadlines["call_log"].due
    assert due_at(due, reference=dt.date.fromisoformat(reference)) == at("2026-10-19 10:00")


def test_weekly_reference_on_a_monday_belongs_to_its_own_week(policy):
    due = policy.deadlines["call_log"].due
    assert due_at(due, reference=pd.Timestamp("2026-10-19")) == at("2026-10-26 10:00")


def test_service_order_is_due_at_the_end_of_its_week(policy):
    due = policy.deadlines["service_order"].due
    end = due_at(due, reference=dt.date(2026, 10, 14))
    assert end == dt.datetime(2026, 10, 18, 23, 59, 59, 999999)
    assert due_at(due, reference=dt.date(2026, 10, 18)) == end          # Sunday: same week
    assert due_at(due, reference=dt.date(2026, 10, 19)) > end           # Monday: next week
    assert status(end, at("2026-10-18 23:59"), as_of=at("2026-10-31 00:00")) == "on_time"
    assert status(end, at("2026-10-19 00:00"), as_of=at("2026-10-31 00:00")) == "late"


def test_missing_anchor_is_a_programming_error(policy):
    with pytest.raises(ValueError, match="period"):
        due_at(policy.deadlines["production_sheet"].due)
    with pytest.raises(ValueError, match="reference"):
        due_at(policy.deadlines["call_log"].due)


# ---------------------------------------------------------------------------------------------
# status


def test_status_at_the_exact_boundary():
    due = at("2026-11-02 18:00")
    late_check = at("2026-11-30 00:00")
    assert status(due, at("2026-11-02 18:00"), late_check) == "on_time"      # exactly at due
    assert status(due, at("2026-11-02 18:00:59"), late_check) == "on_time"   # the due minute
    assert status(due, at("2026-11-02 18:01"), late_check) == "late"
    assert status(due, at("2026-11-01 09:00"), late_check) == "on_time"


def test_status_without_a_done_time():
    due = at("2026-10-15 11:54")
    assert status(due, None, as_of=at("2026-10-15 11:54")) == "open"         # not yet past due
    assert status(due, None, as_of=at("2026-10-15 11:55")) == "missing"
    assert status(due, pd.NaT, as_of=at("2026-10-31 23:59")) == "missing"    # a blank cell
    assert status(due, pd.NaT, as_of=at("2026-10-14 00:00")) == "open"


def test_complaint_resolved_at_exactly_72_hours_is_on_time(policy):
    due = due_at(policy.deadlines["complaint_resolution"].due, start=pd.Timestamp("2026-10-12 11:54"))
    month_end = at("2026-10-31 23:59")
    assert status(due, pd.Timestamp("2026-10-15 11:54"), month_end) == "on_time"
    assert status(due, pd.Timestamp("2026-10-15 11:55"), month_end) == "late"


def test_status_by_whole_minutes_answers_as_minutes_made_by_replace():
    """Round 6: two time-zone-less Timestamps are compared by their nanoseconds floor-divided to
    the minute; anything else (datetimes, time zones, Timestamps beyond nanoseconds) as before,
    by `replace`. Both give the same outcome."""
    import datetime as dt

    import pandas as pd

    from csbatch.rules.due_dates import _minute, status

    def plain_status(due, done, as_of):      # round 5's form
        if done is not None and not pd.isna(done):
            return "on_time" if _minute(done) <= _minute(due) else "late"
        return "missing" if _minute(as_of) > _minute(due) else "open"

    times = [pd.Timestamp("2026-10-01 10:00"), pd.Timestamp("2026-10-01 10:00:59.999999999"),
             pd.Timestamp("2026-10-01 10:01"), pd.Timestamp("2026-10-01 09:59:59"),
             pd.Timestamp("1969-12-31 23:59:30"), pd.Timestamp("1969-12-31 23:58:59.5"),
             pd.Timestamp("2026-10-01 10:00:30").as_unit("s"), pd.Timestamp("2026-10-01 10:00:30").as_unit("ms"),
             pd.Timestamp("2999-12-31 23:59:30"), pd.Timestamp("1200-01-01 00:00:30"),
             dt.datetime(2026, 10, 1, 10, 0, 45), dt.datetime(2026, 10, 1, 9, 59, 59, 999999)]
    def outcome(how, *args):
        try:
            return how(*args)
        except (OverflowError, ValueError) as e:     # what `replace` cannot make (beyond nanoseconds)
            return type(e)

    for due in times:
        for done in [*times, None, pd.NaT]:
            for as_of in times:
                assert outcome(status, due, done, as_of) == outcome(plain_status, due, done, as_of), \
                    (due, done, as_of)
    aware = pd.Timestamp("2026-10-01 10:00:30", tz="Asia/Shanghai")
    assert status(aware, aware + pd.Timedelta(seconds=20), aware) == "on_time"
