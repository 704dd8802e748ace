"""The work calendar, the daily schedule, leave types and the conduct catalogue
(docs/policy.md#calendar, #leave, #conduct)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, model_validator

from csbatch.i18n import N_, Said
from csbatch.policy.base import Clock, Code, Flag, Minutes, Model, NonNegNumber, Rate, Text

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class YearDays(Model):
    """A year's statutory holidays and make-up workdays, for a year no library covers."""

    holidays: list[dt.date] = Field([], description="statutory days off of the year")
    workdays: list[dt.date] = Field([], description="make-up workdays (调休) of the year, whatever the "
                                                    "weekday")


class CalendarPolicy(Model):
    """Which days are workdays: the weekly schedule, less statutory holidays, plus make-up days."""

    holidays_from: Literal["chinesecalendar", "none"] = Field(
        "chinesecalendar", description="where mainland China's statutory holidays and make-up workdays come "
                                       "from: the chinesecalendar package, or none (only `years`)")
    closed: list[dt.date] = Field([], description="extra company days off")
    open: list[dt.date] = Field([], description="extra company workdays")
    years: dict[int, YearDays] = Field({}, description="years the library does not cover")


class Span(Model):
    """A span of the day, e.g. lunch."""

    from_: Clock = Field(alias="from", description="when it starts")
    to: Clock = Field(description="when it ends")


class Schedule(Model):
    """The working day: lateness and early leave are judged against it."""

    workdays: list[Weekday] = Field(description="weekdays worked (a make-up workday is worked too)")
    start: Clock = Field(description="when the day starts: a later first clock-in is late")
    end: Clock = Field(description="when the day ends: an earlier last clock-out is early leave")
    lunch: Span | None = Field(None, description="the lunch break, inside the day; half-day leave "
                                                 "splits at it")
    late_grace_minutes: Minutes = Field(0, description="minutes after `start` before a clock-in is late")
    early_grace_minutes: Minutes = Field(0, description="minutes before `end` a clock-out may be")

    @model_validator(mode="after")
    def _ordered(self):
        if self.start >= self.end:
            raise ValueError(Said(N_("start {start} is not before end {end}"), start=f"{self.start:%H:%M}",
                                  end=f"{self.end:%H:%M}"))
        if self.lunch and not (self.start <= self.lunch.from_ < self.lunch.to <= self.end):
            raise ValueError(Said(N_("lunch must lie inside the working day")))
        if len(set(self.workdays)) != len(self.workdays):
            raise ValueError(Said(N_("a weekday is listed twice")))
        return self


class Shift(Model):
    """A shift (班次) the shift schedule (排班表) may name. Without `start` and `end` it is the
    working day of `schedule` (its start, end and lunch): the day everyone works without a
    schedule. An `end` not after `start` ends the next day (a night shift); its punches after
    midnight belong to the day the shift starts."""

    name: Text = Field(description="Chinese label, accepted in the shift schedule's cells")
    aliases: list[Text] = Field([], description="other labels the shift schedule may use")
    start: Clock | None = Field(None, description="when the shift starts (blank: the schedule's start)")
    end: Clock | None = Field(None, description="when it ends; not after `start`: the next day "
                                                "(blank: the schedule's end)")
    breaks: list[Span] = Field([], description="breaks inside the shift; the first splits it in halves "
                                               "for half-day leave (none: its middle)")

    @model_validator(mode="after")
    def _hours(self):
        if (self.start is None) != (self.end is None):
            raise ValueError(Said(N_("a shift gives both start and end, or neither (the schedule's day)")))
        if self.start is None and self.breaks:
            raise ValueError(Said(N_("breaks need the shift's own start and end")))
        if self.start is None or self.end is None:
            return self
        if self.start == self.end:
            raise ValueError(Said(N_("a shift cannot start and end at the same time")))

        start = self.start.hour * 60 + self.start.minute

        def after_start(t: dt.time) -> int:   # minutes from the start, the next day's after midnight
            return (t.hour * 60 + t.minute - start) % (24 * 60)

        for span in self.breaks:
            if not 0 < after_start(span.from_) < after_start(span.to) < after_start(self.end):
                raise ValueError(Said(N_("a break must lie inside its shift")))
        return self


class ShiftPolicy(Model):
    """The shifts of an optional shift schedule (排班表). A month without one, and every day it
    leaves blank, is the schedule's working day on the calendar's workdays, as without shifts."""

    off: list[Text] = Field(min_length=1, description="what a day off is written as in the schedule "
                                                      "(休): never an absence, even on a workday")
    types: dict[Code, Shift] = Field(description="shifts by code")

    @model_validator(mode="after")
    def _no_off_code(self):
        if "off" in self.types:
            raise ValueError(Said(N_("'off' is the day off, not a shift code")))
        return self


DEFAULT_SHIFTS = ShiftPolicy(off=["休"], types={"day": Shift(name="白班")})


class LeaveType(Model):
    """A leave type (假别) of the leave sheet."""

    name: Text = Field(description="Chinese label, accepted in the leave sheet's type column")
    aliases: list[Text] = Field([], description="other labels the leave sheet may use")
    paid: Rate = Field(description="share of the day that is paid (1 = fully paid)")


class LeavePolicy(Model):
    """Leave types and their paid share."""

    types: dict[Code, LeaveType] = Field(description="leave types by code")


class ConductItem(Model):
    """An item of the conduct catalogue (日常行为规范): points lost per occurrence."""

    name: Text = Field(description="Chinese label, accepted in the conduct sheet's violation column")
    aliases: list[Text] = Field([], description="other labels the conduct sheet may use")
    source: str | None = Field(None, description='source document, e.g. "[003]" (docs/policy.md#sources)')
    points: NonNegNumber = Field(description="points lost per occurrence (per day for absence)")
    from_attendance: Literal["late", "early_leave", "absent"] | None = Field(
        None, description="also counted from the clock records (once per day, with the logged count)")
    from_absence: Code | None = Field(
        None, description="also counted from a deadline rule's attendance (a meeting): each absence "
                          "without a reason is one occurrence (once per day, with the logged count)")
    min_minutes_exclusive: Minutes | None = Field(
        None, description="only occurrences longer than this many minutes count")


class AttendanceTracking(Model):
    """Whether the department keeps a time clock. Without one (`tracked: false`) everyone is
    present on every scheduled day that leave does not cover, and no attendance file is expected;
    with one, a close in which nobody clocked in on any day is refused (the wrong file, or none)."""

    tracked: Flag = Field(True, description="a time clock decides who was present")


class WorktimeFile(Model):
    """The work calendar, the daily schedule, the shifts and whether attendance is tracked."""

    calendar: CalendarPolicy = Field(description="which days are workdays")
    schedule: Schedule = Field(description="the working day")
    shifts: ShiftPolicy = Field(DEFAULT_SHIFTS, description="shifts a shift schedule (排班表) may name")
    attendance: AttendanceTracking = Field(AttendanceTracking(), description="whether a time clock is kept")
