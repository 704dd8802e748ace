"""Attendance (docs/policy.md#calendar) with the default policy and the real 2026 calendar.

October 2026: National Day holiday Oct 1–7, make-up Saturday Oct 10, Sundays Oct 11/18/25 off:
21 workdays (Oct 8–31 less three Sundays). September 2026: Mid-Autumn Sept 25–27, make-up Sunday
Sept 20: 25 workdays.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
import pytest

from csbatch.attendance import SUMMARY_COLUMNS, summarise_attendance
from csbatch.calendar import WorkCalendar

D = Decimal

# ---------------------------------------------------------------------------------------------
# builders: contract-typed frames (canonical columns + _file/_sheet/_row), as intake returns them

ROSTER = {"employee_id": "text", "name": "text", "role": "text", "hire_date": "date",
          "leave_date": "date"}
CLOCK = {"employee_id": "text", "date": "date", "clock_in": "time", "clock_out": "time",
         "punch_time": "datetime"}
LEAVE = {"employee_id": "text", "start": "datetime", "end": "datetime", "leave_type": "text",
         "approved": "bool"}


def _frame(columns: dict[str, str], rows: list[dict], file: str, sheet: str | None = None):
    data = {}
    for name, kind in columns.items():
        values = [r.get(name) for r in rows]
        if kind == "text":
            data[name] = pd.Series(values, dtype=object)
        elif kind in ("date", "datetime"):
            data[name] = pd.Series(pd.to_datetime(values, format="ISO8601"), dtype="datetime64[ns]")
        elif kind == "time":
            values = [v if v is None or v.count(":") == 2 else f"{v}:00" for v in values]
            data[name] = pd.Series(pd.to_timedelta(values), dtype="timedelta64[ns]")
        elif kind == "bool":
            data[name] = pd.Series(values, dtype="boolean")
    data["_file"] = pd.Series([file] * len(rows), dtype=object)
    data["_sheet"] = pd.Series([sheet] * len(rows), dtype=object)
    data["_row"] = pd.Series(range(2, len(rows) + 2), dtype="int64")
    return pd.DataFrame(data)


def person(emp: str, hire: str = "2020-01-01", leave: str | None = None, role="consulting_cs"):
    return {"employee_id": emp, "name": f"员工{emp}", "role": role, "hire_date": hire,
            "leave_date": leave}


def daily(emp: str, date: str, clock_in: str | None = "08:25", clock_out: str | None = "17:35"):
    return {"employee_id": emp, "date": date, "clock_in": clock_in, "clock_out": clock_out}


def punch(emp: str, at: str):
    return {"employee_id": emp, "punch_time": at}


def leave_row(emp: str, start: str, end: str, code: str, approved: bool | None = True):
    return {"employee_id": emp, "start": start, "end": end, "leave_type": code,
            "approved": approved}


@pytest.fixture(scope="module")
def calendar(policy):
    cal, issues = WorkCalendar.build(policy.calendar, policy.schedule, [2026])
    assert issues == []
    return cal


@pytest.fixture
def run(policy, calendar):
    def _run(period, people, clock=(), leave=(), schedule=None):
        return summarise_attendance(
            period, _frame(ROSTER, list(people), "花名册.xlsx", "Sheet1"),
            _frame(CLOCK, list(clock), "考勤.csv"),
            _frame(LEAVE, list(leave), "请假.xlsx", "请假"),
            calendar, schedule or policy.schedule, policy.leave.types)
    return _run


def workdays(calendar, period: str, *, skip=()) -> list[str]:
    year, month = (int(x) for x in period.split("-"))
    first = dt.date(year, month, 1)
    last = dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)
    return [d.isoformat() for d in calendar.workdays(first, last) if d.isoformat() not in skip]


def on_time(emp: str, dates) -> list[dict]:
    return [daily(emp, d) for d in dates]


def row(result, emp: str) -> dict:
    found = result.summary[result.summary["employee_id"] == emp]
    assert len(found) == 1
    return found.iloc[0].to_dict()


def day(result, emp: str, date: str) -> dict:
    found = result.days[(result.days["employee_id"] == emp)
                        & (result.days["date"] == pd.Timestamp(date))]
    assert len(found) == 1
    return found.iloc[0].to_dict()


def counts(r: dict) -> tuple:
    return (r["scheduled_days"], r["present_days"], r["late_count"], r["late_minutes"],
            r["early_count"], r["absent_days"], r["paid_leave_days"], r["unpaid_leave_days"],
            r["missing_punches"])


# ---------------------------------------------------------------------------------------------
# the calendar


def test_october_has_21_workdays_and_days_off_work_does_not_count(run, calendar):
    """Punches on a holiday (Oct 4, a Sunday in National Day) and an ordinary Sunday (Oct 11)
    are neither present days nor late, even at 09:00."""
    dates = workdays(calendar, "2026-10")
    assert len(dates) == 21 and dates[:3] == ["2026-10-08", "2026-10-09", "2026-10-10"]
    clock = on_time("E01", dates) + [daily("E01", "2026-10-04", "09:00", "12:00"),
                                     daily("E01", "2026-10-11", "09:00", "12:00")]
    result = run("2026-10", [person("E01")], clock)

    r = row(result, "E01")
    assert counts(r) == (21, 21, 0, 0, 0, D(0), D(0), D(0), 0)
    assert r["month_workdays"] == 21
    assert list(result.days["date"].dt.strftime("%Y-%m-%d")) == dates


def test_summary_columns_types_and_order(run, calendar):
    people = [person("E03"), person("E01"), person("E02")]
    result = run("2026-10", people, on_time("E01", workdays(calendar, "2026-10")))

    assert list(result.summary.columns) == [*SUMMARY_COLUMNS, "month_workdays", "role"]
    assert list(result.summary["employee_id"]) == ["E01", "E02", "E03"]
    r = row(result, "E02")
    assert r["name"] == "员工E02" and r["role"] == "consulting_cs"
    for column in ("scheduled_days", "present_days", "late_count", "late_minutes",
                   "early_count", "missing_punches", "month_workdays"):
        assert result.summary[column].dtype == "int64", column
    for column in ("absent_days", "paid_leave_days", "unpaid_leave_days"):
        assert isinstance(r[column], Decimal), column
    assert r["absent_days"] == D(21)          # no clock record at all: absent every workday
    assert list(result.days.columns[:12]) == [
        "employee_id", "date", "present", "clock_in", "clock_out", "late_minutes", "early",
        "missing_punch", "leave_type", "leave_share", "absent_share", "sources"]
    assert len(result.days) == 63


def test_make_up_sunday_is_a_scheduled_workday(run, calendar):
    """Sept 20, 2026 is a Sunday and a statutory make-up workday: no record there is absence."""
    dates = workdays(calendar, "2026-09")
    assert len(dates) == 25 and "2026-09-20" in dates
    assert "2026-09-25" not in dates and "2026-09-26" not in dates   # Mid-Autumn
    clock = on_time("E01", [d for d in dates if d != "2026-09-20"])
    result = run("2026-09", [person("E01")], clock)

    assert counts(row(result, "E01")) == (25, 24, 0, 0, 0, D(1), D(0), D(0), 0)
    sunday = day(result, "E01", "2026-09-20")
    assert sunday["present"] is False and sunday["absent_share"] == D(1)
    assert sunday["sources"] == ""


# ---------------------------------------------------------------------------------------------
# late and early leave


def test_late_is_judged_in_whole_minutes(run):
    """Grace 0: 08:30:59 shows as 08:30 on the clock and is on time; 08:31 is one minute late."""
    clock = [daily("E01", "2026-10-08", "08:30:59"), daily("E01", "2026-10-09", "08:31:00"),
             daily("E01", "2026-10-10", "08:45:30")]
    result = run("2026-10", [person("E01")], clock)

    r = row(result, "E01")
    assert (r["late_count"], r["late_minutes"]) == (2, 1 + 15)
    assert day(result, "E01", "2026-10-08")["late_minutes"] == 0
    assert day(result, "E01", "2026-10-09")["late_minutes"] == 1
    assert day(result, "E01", "2026-10-10")["clock_in"] == pd.Timedelta("08:45:00")


def test_late_grace_comes_from_the_schedule(run, policy):
    """Grace 5: 08:35:59 is on time, 08:36 is late by 6 minutes (counted from 08:30)."""
    schedule = policy.schedule.model_copy(update={"late_grace_minutes": 5})
    clock = [daily("E01", "2026-10-08", "08:35:59"), daily("E01", "2026-10-09", "08:36:00")]
    result = run("2026-10", [person("E01")], clock, schedule=schedule)

    r = row(result, "E01")
    assert (r["late_count"], r["late_minutes"]) == (1, 6)


def test_early_leave(run, policy):
    clock = [daily("E01", "2026-10-08", clock_out="17:29:59"),
             daily("E01", "2026-10-09", clock_out="17:30:00"),
             daily("E01", "2026-10-10", clock_out="16:00")]
    r = row(run("2026-10", [person("E01")], clock), "E01")
    assert r["early_count"] == 2

    schedule = policy.schedule.model_copy(update={"early_grace_minutes": 10})
    clock = [daily("E01", "2026-10-08", clock_out="17:20"),
             daily("E01", "2026-10-09", clock_out="17:19:59")]
    r = row(run("2026-10", [person("E01")], clock, schedule=schedule), "E01")
    assert r["early_count"] == 1


# ---------------------------------------------------------------------------------------------
# clock records of both shapes


def test_missing_punch_on_daily_rows(run):
    """One side only: present, listed; the side that is there is still checked."""
    clock = [daily("E01", "2026-10-08", "08:20", None), daily("E01", "2026-10-09", "08:40", None),
             daily("E01", "2026-10-10", None, "17:00"),
             daily("E01", "2026-10-12", None, None)]     # a blank export line: no record
    result = run("2026-10", [person("E01")], clock)

    r = row(result, "E01")
    assert (r["present_days"], r["missing_punches"]) == (3, 3)
    assert (r["late_count"], r["late_minutes"], r["early_count"]) == (1, 10, 1)
    assert day(result, "E01", "2026-10-12")["present"] is False
    assert r["absent_days"] == D(21 - 3)


def test_missing_punch_on_raw_punches(run):
    """A lone punch before the middle of lunch (12:15) is a clock-in, from 12:15 a clock-out."""
    clock = [punch("E01", "2026-10-08 08:40:10"), punch("E01", "2026-10-09 12:14:59"),
             punch("E01", "2026-10-10 12:15:00"), punch("E01", "2026-10-12 17:40:00")]
    result = run("2026-10", [person("E01")], clock)

    r = row(result, "E01")
    assert (r["present_days"], r["missing_punches"]) == (4, 4)
    assert (r["late_count"], r["late_minutes"]) == (2, 10 + 224)
    assert r["early_count"] == 1
    d10 = day(result, "E01", "2026-10-10")
    assert pd.isna(d10["clock_in"]) and d10["clock_out"] == pd.Timedelta("12:15:00")
    assert d10["early"] and d10["missing_punch"]
    d12 = day(result, "E01", "2026-10-12")
    assert pd.isna(d12["clock_in"]) and not d12["early"]


def test_raw_punches_and_daily_rows_in_one_frame(run):
    clock = [
        punch("E01", "2026-10-08 08:20:00"), punch("E01", "2026-10-08 12:01:00"),
        punch("E01", "2026-10-08 17:40:00"),                 # first = in, last = out
        daily("E01", "2026-10-09", "08:32", "17:31"),        # late 2
        daily("E01", "2026-10-10", "08:25", None),           # in from a daily row …
        punch("E01", "2026-10-10 17:45:00"),                 # … out from a raw punch
        punch("E02", "2026-10-08 08:29:00"), punch("E02", "2026-10-08 17:20:00"),  # early
        punch("E02", "2026-10-11 09:00:00"), punch("E02", "2026-10-11 10:00:00"),  # Sunday
    ]
    result = run("2026-10", [person("E01"), person("E02")], clock)

    assert counts(row(result, "E01"))[:5] == (21, 3, 1, 2, 0)
    assert row(result, "E01")["missing_punches"] == 0
    assert counts(row(result, "E02"))[:5] == (21, 1, 0, 0, 1)
    d10 = day(result, "E01", "2026-10-10")
    assert (d10["clock_in"], d10["clock_out"]) == (pd.Timedelta("08:25:00"),
                                                   pd.Timedelta("17:45:00"))
    assert d10["sources"] == "考勤.csv!row 6; 考勤.csv!row 7"
    assert day(result, "E01", "2026-10-08")["sources"] == \
        "考勤.csv!row 2; 考勤.csv!row 3; 考勤.csv!row 4"

    again = run("2026-10", [person("E02"), person("E01")], list(reversed(clock)))
    # the rows moved, so their row numbers did; everything else is the same
    pd.testing.assert_frame_equal(result.summary, again.summary)
    pd.testing.assert_frame_equal(result.days.drop(columns="sources"),
                                  again.days.drop(columns="sources"))


def test_duplicate_daily_rows_merge(run):
    """Two rows for one day: earliest clock-in, latest clock-out."""
    clock = [daily("E01", "2026-10-08", "08:40", None),
             daily("E01", "2026-10-08", "08:20", "17:40"),
             daily("E01", "2026-10-08", None, "17:50")]
    result = run("2026-10", [person("E01")], clock)

    d = day(result, "E01", "2026-10-08")
    assert (d["clock_in"], d["clock_out"]) == (pd.Timedelta("08:20:00"), pd.Timedelta("17:50:00"))
    assert not d["late"] and not d["missing_punch"]
    assert d["sources"] == "考勤.csv!row 2; 考勤.csv!row 3; 考勤.csv!row 4"
    assert counts(row(result, "E01"))[:5] == (21, 1, 0, 0, 0)
    assert row(result, "E01")["missing_punches"] == 0


def test_sources_follow_file_and_row_order_when_files_are_concatenated(policy, calendar):
    """Intake stacks files; the index repeats and the second file may come first."""
    second = _frame(CLOCK, [daily("E01", "2026-10-08", "08:20", None)], "考勤2.csv")
    first = _frame(CLOCK, [daily("E01", "2026-10-09"), daily("E01", "2026-10-08", None, "17:40")],
                   "考勤.csv")
    result = summarise_attendance(
        "2026-10", _frame(ROSTER, [person("E01")], "花名册.xlsx", "Sheet1"),
        pd.concat([second, first]), _frame(LEAVE, [], "请假.xlsx"),
        calendar, policy.schedule, policy.leave.types)

    d = day(result, "E01", "2026-10-08")
    assert d["sources"] == "考勤.csv!row 3; 考勤2.csv!row 2"
    assert not d["missing_punch"]
    assert row(result, "E01")["present_days"] == 2


# ---------------------------------------------------------------------------------------------
# leave


def test_leave_across_national_day_counts_only_workdays(run, calendar):
    """Annual leave Sept 28 – Oct 10 (bare dates): in October only Oct 8, 9, 10 are leave days."""
    dates = workdays(calendar, "2026-10", skip={"2026-10-08", "2026-10-09", "2026-10-10"})
    result = run("2026-10", [person("E01")], on_time("E01", dates),
                 [leave_row("E01", "2026-09-28", "2026-10-10", "annual")])

    assert counts(row(result, "E01")) == (21, 18, 0, 0, 0, D(0), D(3), D(0), 0)
    d = day(result, "E01", "2026-10-10")
    assert (d["leave_type"], d["leave_share"], d["absent_share"]) == ("annual", D(1), D(0))
    assert d["leave_sources"] == "请假.xlsx[请假]!row 2"


def test_half_day_leave(run):
    clock = [
        daily("E01", "2026-10-12", "08:28", "11:31"),    # afternoon off: leaving 11:31 is not early
        daily("E01", "2026-10-14", "08:29", "11:30"),    # afternoon off (first day of 2.0)
        daily("E01", "2026-10-16", "13:00", "17:30"),    # morning off: 13:00 is not late
        daily("E01", "2026-10-17", "13:05", "17:30"),    # morning off: 13:05 is 5 minutes late
    ]
    leave = [
        leave_row("E01", "2026-10-12 13:00", "2026-10-12 17:30", "annual"),
        leave_row("E01", "2026-10-13 08:30", "2026-10-13 11:30", "personal"),   # no punch
        leave_row("E01", "2026-10-14 11:30", "2026-10-16 12:00", "annual"),     # 0.5 + 1 + 0.5
        leave_row("E01", "2026-10-17 08:30", "2026-10-17 13:00", "annual"),
    ]
    result = run("2026-10", [person("E01")], clock, leave)

    r = row(result, "E01")
    assert (r["paid_leave_days"], r["unpaid_leave_days"]) == (D("3"), D("0.5"))
    assert (r["late_count"], r["late_minutes"], r["early_count"]) == (1, 5, 0)
    assert r["absent_days"] == D(21 - 6) + D("0.5")      # 6 days touched; Oct 13 half absent
    assert day(result, "E01", "2026-10-13")["absent_share"] == D("0.5")
    assert [day(result, "E01", f"2026-10-{n}")["leave_share"] for n in (14, 15, 16)] == \
        [D("0.5"), D(1), D("0.5")]


def test_sick_leave_is_paid_at_its_share(run):
    """Sick leave is paid 80%: a day is 0.8 paid + 0.2 unpaid; half a day 0.4 + 0.1."""
    leave = [leave_row("E01", "2026-10-08", "2026-10-09", "sick"),
             leave_row("E02", "2026-10-08 13:00", "2026-10-08 17:30", "sick")]
    result = run("2026-10", [person("E01"), person("E02")], [], leave)

    e1, e2 = row(result, "E01"), row(result, "E02")
    assert (e1["paid_leave_days"], e1["unpaid_leave_days"], e1["absent_days"]) == \
        (D("1.6"), D("0.4"), D(19))
    assert (e2["paid_leave_days"], e2["unpaid_leave_days"], e2["absent_days"]) == \
        (D("0.4"), D("0.1"), D("20.5"))
    assert str(e2["paid_leave_days"]) == "0.4"          # exact, not 0.4000000001


def test_unapproved_leave_is_absence(run, calendar):
    dates = workdays(calendar, "2026-10", skip={"2026-10-08", "2026-10-09"})
    leave = [leave_row("E01", "2026-10-08", "2026-10-08", "personal", approved=False),
             leave_row("E01", "2026-10-09", "2026-10-09", "annual", approved=None)]
    result = run("2026-10", [person("E01")], on_time("E01", dates), leave)

    assert counts(row(result, "E01")) == (21, 19, 0, 0, 0, D(2), D(0), D(0), 0)
    d = day(result, "E01", "2026-10-08")
    assert d["leave_type"] is None and d["unapproved_leave_type"] == "personal"


def test_leave_entered_twice_counts_once(run):
    leave = [leave_row("E01", "2026-10-08", "2026-10-08", "annual"),
             leave_row("E01", "2026-10-08", "2026-10-08", "annual")]
    r = row(run("2026-10", [person("E01")], [], leave), "E01")
    assert (r["paid_leave_days"], r["absent_days"]) == (D(1), D(20))


# ---------------------------------------------------------------------------------------------
# joiners and leavers


def test_joiner_and_leaver_are_scheduled_for_their_days_only(run):
    """Joiner hired Thu Oct 15: Oct 15–31 less Sundays 18 and 25 = 15 days; a punch the day
    before hire is not a present day. Leaver's last day Fri Oct 9: Oct 8 and 9."""
    clock = [daily("J", "2026-10-14"), daily("J", "2026-10-15", "08:40"),
             daily("L", "2026-10-08"), daily("L", "2026-10-12")]
    leave = [leave_row("L", "2026-10-12", "2026-10-16", "annual")]     # after leaving: ignored
    result = run("2026-10", [person("J", hire="2026-10-15"), person("L", leave="2026-10-09")],
                 clock, leave)

    assert counts(row(result, "J")) == (15, 1, 1, 10, 0, D(14), D(0), D(0), 0)
    assert counts(row(result, "L")) == (2, 1, 0, 0, 0, D(1), D(0), D(0), 0)
    assert row(result, "J")["month_workdays"] == 21


def test_employees_not_employed_in_the_month_are_left_out(run):
    people = [person("GONE", leave="2026-09-30"), person("LATER", hire="2026-11-01"),
              person("HOLIDAY", hire="2026-10-03", leave="2026-10-05"), person("E01")]
    result = run("2026-10", people, [daily("GONE", "2026-10-08")])

    assert list(result.summary["employee_id"]) == ["E01", "HOLIDAY"]
    # employed only during the holiday: listed, with nothing scheduled
    assert counts(row(result, "HOLIDAY")) == (0, 0, 0, 0, 0, D(0), D(0), D(0), 0)
    assert set(result.days["employee_id"]) == {"E01"}
