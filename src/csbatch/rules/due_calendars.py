"""Due times shared by the audit and the scorecards: `Calendars`, a work calendar that widens
itself when a count of workdays runs into another year, and `complaint_rule`, the deadline rule of
complaint resolution. The audit's SLA table and the complaint-resolution measure both judge a
complaint by these, so "open within its due time" means the same minute in both."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import pandas as pd

from csbatch.blanks import is_blank
from csbatch.calendar import WorkCalendar
from csbatch.errors import Issue
from csbatch.policy import Policy
from csbatch.policy.deadlines import DeadlineRule
from csbatch.rules.due_dates import due_at


class Calendars:
    """The work calendar for `counting: workdays`. The close builds one for the period's year;
    a count that runs into another year (a complaint received on 30 December) widens it with
    `WorkCalendar.build`, so a year no holiday list covers is an error naming what to add, never
    a guess. Each problem is reported once."""

    def __init__(self, policy: Policy, calendar: WorkCalendar | None, period: str):
        self._policy = policy
        self._calendar = calendar
        self._years = {int(period[:4])}
        self._failed: set[frozenset[int]] = set()
        self.issues: list[Issue] = []
        if calendar is None:
            self._widen(set(self._years))

    def due(self, due, **anchor) -> dt.datetime | None:
        """`due_at(due, **anchor)` with a calendar wide enough; None when none can be built."""
        start = anchor.get("start")
        for _ in range(5):
            if self._calendar is None:
                return None
            try:
                return due_at(due, calendar=self._calendar, **anchor)
            except KeyError:     # the count reached a year the calendar was not built for
                if start is None:
                    raise
                # the start's year first (last December's complaint in January), then one more
                # year at a time: never ask for a year the count does not reach
                more = start.year if start.year not in self._years else max(self._years) + 1
                if not self._widen(self._years | {more}):
                    return None
        return None

    def workdays(self, first: dt.date, last: dt.date) -> list[dt.date] | None:
        """The workdays of [first, last] by the policy calendar (make-up workdays included); None
        when no calendar could be built (its problem is in `issues`)."""
        if self._calendar is None:
            return None
        days = (first + dt.timedelta(days=n) for n in range((last - first).days + 1))
        return [d for d in days if self._calendar.is_workday(d)]

    def _widen(self, years: set[int]) -> bool:
        key = frozenset(years)
        if key in self._failed:
            return False
        calendar, issues = WorkCalendar.build(self._policy.calendar, self._policy.schedule, years)
        if calendar is None:
            self._failed.add(key)
            self.issues.extend(i for i in issues if i not in self.issues)
            return False
        self._calendar, self._years = calendar, set(years)
        return True


def complaint_rule(policy: Policy) -> DeadlineRule | None:
    """The deadline rule of complaint resolution: evidence on the complaints sheet, counted from
    a start (intake). None when the policy has none."""
    for rule in policy.deadlines.values():
        if rule.evidence.sheet == "complaints" and rule.evidence.start is not None:
            return rule
    return None


def agreed_due(rule: DeadlineRule, row: Mapping[Any, Any]) -> pd.Timestamp | None:
    """The due time agreed on the row (the rule's `evidence.agreed` column, 协商确定最终期限), or
    None when the rule has no such column or the cell is blank: then the rule's own due time
    applies. One place, so the audit's tables and the complaint-resolution measure agree."""
    value: Any = row.get(rule.evidence.agreed) if rule.evidence.agreed else None
    return None if is_blank(value) else pd.Timestamp(value)
