"""What every part of a sample month shares: the policy, the period, its workdays and seeded
random streams. Each table draws from its own named stream, so changing how one table is made
never shifts the numbers of another, and nothing reads the clock."""

from __future__ import annotations

import datetime as dt
import zlib
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from csbatch.calendar import WorkCalendar, month_bounds
from csbatch.errors import CsbatchError
from csbatch.policy import Policy


@dataclass(frozen=True)
class Month:
    """One sample month: policy, period and seed."""

    policy: Policy
    period: str
    seed: int
    calendar: WorkCalendar

    @classmethod
    def build(cls, policy: Policy, period: str, seed: int) -> Month:
        first, _ = month_bounds(period)
        calendar, issues = WorkCalendar.build(policy.calendar, policy.schedule, [first.year])
        if calendar is None:
            raise CsbatchError(issues)
        return cls(policy, period, seed, calendar)

    @cached_property
    def first(self) -> dt.date:
        return month_bounds(self.period)[0]

    @cached_property
    def last(self) -> dt.date:
        return month_bounds(self.period)[1]

    @cached_property
    def workdays(self) -> list[dt.date]:
        return self.calendar.workdays(self.first, self.last)

    @property
    def yymm(self) -> str:
        return f"{self.first:%y%m}"

    @property
    def index(self) -> int:
        """Months since year 0: consecutive periods have consecutive indexes."""
        return self.first.year * 12 + self.first.month - 1

    @property
    def label(self) -> str:
        """`2026年10月`."""
        return f"{self.first.year}年{self.first.month}月"

    def previous(self) -> Month | None:
        """The month before, or None when no calendar covers it."""
        prev = (self.first - dt.timedelta(days=1)).strftime("%Y-%m")
        try:
            return Month.build(self.policy, prev, self.seed)
        except CsbatchError:
            return None

    def rng(self, stream: str) -> np.random.Generator:
        """A random stream for this seed, period and table."""
        return np.random.default_rng([self.seed, self.index, zlib.crc32(stream.encode())])

    def base_rng(self, stream: str) -> np.random.Generator:
        """A random stream for this seed only: the same in every period (customers, staff)."""
        return np.random.default_rng([self.seed, 0, zlib.crc32(stream.encode())])


def at(day: dt.date, hour: int, minute: int = 0, second: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, second)
