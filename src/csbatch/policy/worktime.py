"""The work calendar, the daily schedule, leave types and the conduct catalogue (policies.md §2)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, model_validator

from csbatch.policy.base import Clock, Code, Flag, Minutes, Model, NonNegNumber, Rate, Text

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class YearDays(Model):
    """A year's statutory holidays and make-up workdays, for a year no library covers."""

    holidays: list[dt.date] = []
    workdays: list[dt.date] = []


class CalendarPolicy(Model):
    holidays_from: Literal["chinesecalendar", "none"] = "chinesecalendar"
    closed: list[dt.date] = Field([], description="extra company days off")
    open: list[dt.date] = Field([], description="extra company workdays")
    years: dict[int, YearDays] = Field({}, description="years the library does not cover")


class Span(Model):
    from_: Clock = Field(alias="from")
    to: Clock


class Schedule(Model):
    workdays: list[Weekday]
    start: Clock
    end: Clock
    lunch: Span | None = None
    late_grace_minutes: Minutes = 0
    early_grace_minutes: Minutes = 0

    @model_validator(mode="after")
    def _ordered(self):
        if self.start >= self.end:
            raise ValueError(f"start {self.start:%H:%M} is not before end {self.end:%H:%M}")
        if self.lunch and not (self.start <= self.lunch.from_ < self.lunch.to <= self.end):
            raise ValueError("lunch must lie inside the working day")
        if len(set(self.workdays)) != len(self.workdays):
            raise ValueError("a weekday is listed twice")
        return self


class LeaveType(Model):
    name: Text
    aliases: list[Text] = []
    paid: Rate = Field(description="share of the day that is paid (1 = fully paid)")


class LeavePolicy(Model):
    types: dict[Code, LeaveType]


class ConductItem(Model):
    name: Text
    aliases: list[Text] = []
    source: str | None = None
    points: NonNegNumber = Field(description="points lost per occurrence (per day for absence)")
    from_attendance: Literal["late", "early_leave", "absent"] | None = None
    min_minutes_exclusive: Minutes | None = Field(
        None, description="only occurrences longer than this many minutes count")


class AttendanceTracking(Model):
    """Whether the department keeps a time clock. Without one (`tracked: false`) everyone is
    present on every scheduled day that leave does not cover, and no attendance file is expected;
    with one, a close in which nobody clocked in on any day is refused (the wrong file, or none)."""

    tracked: Flag = True


class WorktimeFile(Model):
    calendar: CalendarPolicy
    schedule: Schedule
    attendance: AttendanceTracking = AttendanceTracking()
