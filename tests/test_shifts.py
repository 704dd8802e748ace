"""Shifts (issue 13, item 2; [004] 能适应倒班制度) through real closes: a shift schedule (排班表),
long or as a month grid, makes each day judged against the person's shift — a night shift owns its
punches after midnight, a day off (休) is no absence even on a workday or the make-up Saturday,
a shift on the make-up Saturday is judged — and without one the month is as before.

October 2026: National Day Oct 1–7, make-up Saturday Oct 10 (chinesecalendar), Sundays off."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from pydantic import ValidationError

from builders import write_csv, write_xlsx
from conftest import CONFIG
from csbatch.closing.runs import monthly_close
from csbatch.policy.worktime import Shift

ROSTER = [["工号", "姓名", "岗位", "班组", "入职日期", "底薪"],
          ["1003", "王五", "咨询类客服", "二组", "2024-01-15", 2100],
          ["1004", "赵六", "咨询类客服", "二组", "2024-02-01", 2100]]
WORKDAYS = [d.date() for d in pd.date_range("2026-10-08", "2026-10-31") if d.weekday() != 6] + \
    [dt.date(2026, 10, 10)]
NIGHTS = {dt.date(2026, 10, 12): ("22:10", "06:05"), dt.date(2026, 10, 13): ("21:55", "06:00"),
          dt.date(2026, 10, 10): ("22:20", "06:00")}
OFF = {dt.date(2026, 10, 14)}      # a Wednesday: 王五 has the day off, and no punches


def _punches(folder: Path) -> None:
    """Raw punches: 王五 on the day shift except his day off; 赵六 on nights on the 10th (the
    make-up Saturday), 12th and 13th, each night's clock-out the next morning, days otherwise."""
    rows = [["工号", "打卡时间"]]
    for day in sorted(set(WORKDAYS)):
        if day not in OFF:
            rows += [["1003", f"{day} 08:25"], ["1003", f"{day} 17:35"]]
        if day in NIGHTS:
            clock_in, clock_out = NIGHTS[day]
            rows += [["1004", f"{day} {clock_in}"], ["1004", f"{day + dt.timedelta(days=1)} {clock_out}"]]
        else:
            rows += [["1004", f"{day} 08:25"], ["1004", f"{day} 17:35"]]
    write_csv(folder / "考勤.csv", rows)


def _month(folder: Path, schedule: list[list] | None, name: str = "排班表.xlsx") -> Path:
    write_xlsx(folder / "员工名册.xlsx", {"Sheet1": ROSTER})
    _punches(folder)
    if schedule is not None:
        write_xlsx(folder / name, {"Sheet1": schedule})
    return folder


LONG = [["工号", "日期", "班次"],
        *[["1004", str(day), "夜班"] for day in sorted(NIGHTS)],
        ["1003", "2026-10-10", "休"], ["1003", "2026-10-14", "休"]]


def _grid() -> list[list]:
    """The same schedule as a month grid: a title row, then 工号, 姓名 and a column per day 1…31."""
    head = ["工号", "姓名", *range(1, 32)]
    zhao = ["1004", "赵六", *["N" if dt.date(2026, 10, d) in NIGHTS else "" for d in range(1, 32)]]
    wang = ["1003", "王五", *["休" if d in (10, 14) else "" for d in range(1, 32)]]
    return [["2026年10月 排班表"], head, zhao, wang]


def _days(tmp_path: Path, schedule: list[list] | None) -> pd.DataFrame:
    outcome = monthly_close("2026-10", _month(tmp_path / "in", schedule), tmp_path / "out", CONFIG)
    assert outcome.ok, [str(i) for i in outcome.issues if i.is_error]
    days = outcome.state.attendance.days
    return days.assign(date=days["date"].dt.date).set_index(["employee_id", "date"])


def _summary(tmp_path: Path, schedule: list[list] | None) -> pd.DataFrame:
    outcome = monthly_close("2026-10", _month(tmp_path / "in", schedule), tmp_path / "out", CONFIG)
    assert outcome.ok, [str(i) for i in outcome.issues if i.is_error]
    return outcome.state.attendance.summary.set_index("employee_id")


def test_a_night_shift_owns_its_punches_after_midnight(tmp_path):
    days = _days(tmp_path, LONG)
    night = days.loc[("1004", dt.date(2026, 10, 12))]
    # 22:10 against 22:00 is ten minutes late; 06:05 the next morning is its clock-out
    assert night["late"] and night["late_minutes"] == 10
    assert night["clock_out"] == pd.Timedelta(hours=30, minutes=5)
    assert not night["early"] and not night["missing_punch"] and night["present"]
    second = days.loc[("1004", dt.date(2026, 10, 13))]
    assert not second["late"] and not second["early"] and not second["missing_punch"]
    # the 14th's day shift starts with its own 08:25, not the night's 06:00
    assert days.loc[("1004", dt.date(2026, 10, 14)), "clock_in"] == pd.Timedelta(hours=8, minutes=25)


def test_without_a_schedule_the_night_is_a_missing_punch_and_nothing_is_said(tmp_path):
    outcome = monthly_close("2026-10", _month(tmp_path / "in", None), tmp_path / "out", CONFIG)
    assert outcome.ok
    days = outcome.state.attendance.days
    night = days[(days["employee_id"] == "1004") & (days["date"] == pd.Timestamp("2026-10-12"))].iloc[0]
    assert night["missing_punch"]        # 22:10 alone that day: a clock-out without a clock-in
    # most months have no 排班表: its absence is not worth a warning every month
    assert not [i for i in outcome.issues if "排班表" in str(i) or "shifts" in str(i)]


def test_make_up_saturday_under_a_schedule(tmp_path):
    """Oct 10 is a make-up Saturday: 赵六's night shift there is judged (20 minutes late),
    王五's day off there is no absence."""
    days = _days(tmp_path, LONG)
    assert days.loc[("1004", dt.date(2026, 10, 10)), "late_minutes"] == 20
    assert ("1003", dt.date(2026, 10, 10)) not in days.index
    summary = _summary(tmp_path / "again", LONG)
    assert summary.loc["1003", "absent_days"] == 0 and summary.loc["1004", "absent_days"] == 0
    assert summary.loc["1004", "late_count"] == 2 and summary.loc["1004", "missing_punches"] == 0


def test_a_day_off_on_a_weekday_is_not_an_absence(tmp_path):
    without = _summary(tmp_path / "plain", None)
    assert without.loc["1003", "absent_days"] == 1       # Wed Oct 14 without punches (and Oct 10)
    summary = _summary(tmp_path / "shifts", LONG)
    assert summary.loc["1003", "absent_days"] == 0
    # pay still prorates by the calendar's workdays: a rota's day off is no unpaid day
    assert summary.loc["1003", "scheduled_days"] == without.loc["1003", "scheduled_days"]


def test_the_month_grid_reads_as_the_long_form(tmp_path):
    grid = _days(tmp_path / "grid", _grid())
    long = _days(tmp_path / "long", LONG)
    pd.testing.assert_frame_equal(grid.drop(columns="sources"), long.drop(columns="sources"))
    assert grid.loc[("1004", dt.date(2026, 10, 12)), "late_minutes"] == 10


def test_a_grid_headed_by_dates(tmp_path):
    """Excel date cells as the day headings, with a template's blank 31st of another month."""
    head = ["工号", "姓名", *[dt.datetime(2026, 10, d) for d in range(1, 32)]]
    rows = [head, *_grid()[2:]]
    days = _days(tmp_path, rows)
    assert days.loc[("1004", dt.date(2026, 10, 13)), "clock_out"] == pd.Timedelta(hours=30)


def test_daily_rows_on_a_night_shift(tmp_path):
    """A time clock's daily rows (date, in, out): the night's clock-out before its start is the
    next morning's."""
    folder = tmp_path / "in"
    write_xlsx(folder / "员工名册.xlsx", {"Sheet1": ROSTER})
    rows = [["工号", "日期", "上班打卡", "下班打卡"]]
    rows += [[e, str(day), "08:25", "17:35"] for e in ("1003", "1004") for day in sorted(set(WORKDAYS))
             if (e, day) != ("1004", dt.date(2026, 10, 12))]
    rows += [["1004", "2026-10-12", "22:00", "05:40"]]
    write_csv(folder / "考勤.csv", rows)
    write_xlsx(folder / "排班表.xlsx", {"Sheet1": [["工号", "日期", "班次"], ["1004", "2026-10-12", "夜班"]]})
    outcome = monthly_close("2026-10", folder, tmp_path / "out", CONFIG)
    assert outcome.ok, [str(i) for i in outcome.issues if i.is_error]
    days = outcome.state.attendance.days
    night = days[(days["employee_id"] == "1004") & (days["date"] == pd.Timestamp("2026-10-12"))].iloc[0]
    assert night["clock_out"] == pd.Timedelta(hours=29, minutes=40)
    assert night["early"] and not night["late"]       # 05:40 is twenty minutes before 06:00


def test_a_break_outside_its_shift_is_refused():
    Shift.model_validate({"name": "夜班", "start": "22:00", "end": "06:00",
                          "breaks": [{"from": "02:00", "to": "02:30"}]})
    with pytest.raises(ValidationError):
        Shift.model_validate({"name": "中班", "start": "13:00", "end": "22:00",
                              "breaks": [{"from": "11:30", "to": "12:00"}]})
