"""Deadline rules: one mechanism, several rules (docs/policy.md#deadlines). Each rule names its evidence (an
input sheet and its timestamp column), when the item is due, and who is expected to submit."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from csbatch.policy.base import Clock, Code, Flag, Int, Model, NonNegNumber, Text
from csbatch.policy.worktime import Weekday


class Evidence(Model):
    """Which input rows show that an item was done, and when."""

    sheet: Code = Field(description="the input kind holding the evidence (docs/inputs.md)")
    done: Code = Field(description="column holding when it was done/submitted")
    start: Code | None = Field(None, description="column the due time counts from")
    reference: Code | None = Field(None, description="column naming the day/week covered")
    kind: Code | None = Field(None, description="only rows of this kind (submissions sheet)")
    key: Code | None = Field(None, description="column naming each row in the deadline list")
    agreed: Code | None = Field(None, description="column holding a due time agreed on the row (a complaint's "
                                                  "协商确定最终期限 [003]); when filled it replaces the rule's")
    attended: Code | None = Field(None, description="yes/no column (a meeting's attendance): a row marked no is an "
                                                    "absence, not evidence")
    excuse: Code | None = Field(None, description="column giving an absence's reason: an absence with one is excused")
    score: Code | None = Field(None, description="column holding a test score, compared with the rule's pass_mark")


class DueAfter(Model):
    """Due a number of days after the `start` column's time (e.g. a complaint: intake + 72 hours)."""

    kind: Literal["after"]
    days: Int = Field(description="days after the start; exactly at the due time is on time")
    counting: Literal["calendar", "workdays"] = Field("calendar", description="calendar days (24 hours "
                                                                             "each) or workdays")


class DueNextMonth(Model):
    """Due on a day of the month after the period (e.g. the production sheet: the 2nd, 18:00)."""

    kind: Literal["next_month"]
    day: Int = Field(description="day of the next month")
    at: Clock = Field(description="time of that day")


class DueWeekly(Model):
    """Due every week on a weekday (e.g. the previous week's call log, Mondays 10:00)."""

    kind: Literal["weekly"]
    weekday: Weekday = Field(description="the day it is due")
    at: Clock = Field(description="time of that day")
    week: Literal["next", "same"] = Field("next", description="that weekday of the week after the one covered "
                                                              "(next) or of the week covered (same)")


class DueDaily(Model):
    """Due each workday of the policy calendar (make-up workdays included), at a time of that day
    (e.g. the day's business records to the manager by 17:30 [000])."""

    kind: Literal["daily"]
    at: Clock = Field(description="time of the day covered")


class DueEndOfWeek(Model):
    """Due by the end of the week of the row's reference date (e.g. a signed service order)."""

    kind: Literal["end_of_week"]


Due = Annotated[DueAfter | DueNextMonth | DueWeekly | DueDaily | DueEndOfWeek, Field(discriminator="kind")]


class Expected(Model):
    """What is expected, and from whom: an item missing its evidence is `missing`."""

    each: Literal["row", "employee_month", "employee_week", "employee_day"] = Field(
        description="one item per evidence row, per employee and month, per employee and week, or per "
                    "employee and workday of the policy calendar")
    roles: list[Code] = Field([], description="only employees of these roles (roles and scorecards both "
                                              "empty: everyone)")
    scorecards: list[Code] = Field([], description="only employees scored on these scorecards")
    team_lead: Flag | None = Field(None, description="only team leads (true) or only the others (false); "
                                                     "blank: both")
    if_supplied: Flag = Field(False, description="judged only in a month whose inputs hold evidence for the rule "
                                                 "(its sheet, with rows of its kind); else one warning, nothing "
                                                 "missing")


class DeadlineRule(Model):
    """A deadline rule: each expected item comes out on_time, late, missing or (still) open."""

    name: Text = Field(description="Chinese label, accepted in the submissions sheet's kind column")
    aliases: list[Text] = Field([], description="other labels the submissions sheet may use")
    source: str | None = Field(None, description='source document, e.g. "[001]" (docs/policy.md#sources)')
    evidence: Evidence = Field(description="where the evidence is")
    due: Due = Field(description="when an item is due, by `kind`")
    expected: Expected = Field(description="which items are expected")
    pass_mark: NonNegNumber | None = Field(None, description="a test score (evidence.score) below it is listed "
                                                             "in the audit")
