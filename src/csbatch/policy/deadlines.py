"""Deadline rules: one mechanism, several rules (policies.md §4). Each rule names its evidence (an
input sheet and its timestamp column), when the item is due, and who is expected to submit."""

from __future__ import annotations

from typing import Annotated, Literal, Union

from pydantic import Field

from csbatch.policy.base import Clock, Code, Int, Model, Text
from csbatch.policy.worktime import Weekday


class Evidence(Model):
    sheet: Code
    done: Code = Field(description="column holding when it was done/submitted")
    start: Code | None = Field(None, description="column the due time counts from")
    reference: Code | None = Field(None, description="column naming the day/week covered")
    kind: Code | None = Field(None, description="only rows of this kind (submissions sheet)")
    key: Code | None = None


class DueAfter(Model):
    kind: Literal["after"]
    days: Int
    counting: Literal["calendar", "workdays"] = "calendar"


class DueNextMonth(Model):
    kind: Literal["next_month"]
    day: Int
    at: Clock


class DueWeekly(Model):
    kind: Literal["weekly"]
    weekday: Weekday
    at: Clock


class DueEndOfWeek(Model):
    kind: Literal["end_of_week"]


Due = Annotated[Union[DueAfter, DueNextMonth, DueWeekly, DueEndOfWeek], Field(discriminator="kind")]


class Expected(Model):
    each: Literal["row", "employee_month", "employee_week"]
    roles: list[Code] = []
    scorecards: list[Code] = []


class DeadlineRule(Model):
    name: Text
    aliases: list[Text] = []
    source: str | None = None
    evidence: Evidence
    due: Due
    expected: Expected
