"""Which days are workdays, from the statutory calendar plus the company's schedule and overrides.

A day is a workday when the company opens it (`open`), or when it is not closed (`closed`) and
either it is a statutory make-up workday (调休, whatever weekday — Sundays too) or its weekday is
in the schedule and it is not a statutory holiday. Statutory days come from the `chinesecalendar`
package, or from `calendar.years` in the policy for a year the package does not cover. A year
neither covers is an error telling the admin what to add: never a silent guess.

Lunar dates (Spring Festival, Mid-Autumn) come from `lunardate`, a real lunar calendar.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

import chinese_calendar
from chinese_calendar import constants as cc_constants
from lunardate import LunarDate

from csbatch.errors import Issue
from csbatch.i18n import N_
from csbatch.policy.worktime import WEEKDAYS, CalendarPolicy, Schedule


@dataclass(frozen=True)
class StatutoryYear:
    holidays: dict[dt.date, str]      # date → holiday name
    workdays: frozenset[dt.date]      # make-up workdays


def _library_year(year: int) -> StatutoryYear | None:
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return None
    holidays = {d: str(name) for d, name in cc_constants.holidays.items() if d.year == year}
    workdays = frozenset(d for d in cc_constants.workdays if d.year == year)
    return StatutoryYear(holidays, workdays)


class WorkCalendar:
    """Workdays for the years it was built for. Build it with `WorkCalendar.build`."""

    def __init__(self, years: dict[int, StatutoryYear], schedule: Schedule,
                 closed: Iterable[dt.date] = (), opened: Iterable[dt.date] = ()):
        self._years = years
        self._weekdays = frozenset(WEEKDAYS.index(w) for w in schedule.workdays)
        self._closed = frozenset(closed)
        self._open = frozenset(opened)

    @classmethod
    def build(cls, policy: CalendarPolicy, schedule: Schedule,
              years: Iterable[int]) -> tuple[WorkCalendar | None, list[Issue]]:
        known: dict[int, StatutoryYear] = {}
        issues: list[Issue] = []
        for year in sorted(set(years)):
            if year in policy.years:
                cfg = policy.years[year]
                known[year] = StatutoryYear(dict.fromkeys(cfg.holidays, "holiday"),
                                            frozenset(cfg.workdays))
                continue
            found = _library_year(year) if policy.holidays_from == "chinesecalendar" else \
                StatutoryYear({}, frozenset())
            if found is None:
                issues.append(Issue.of(
                    policy.place_of("years") or policy.place, "calendar.year_not_covered",
                    N_("no holiday calendar covers {year}: the chinesecalendar package knows up to "
                       "{known}. Add {year}'s statutory holidays and make-up workdays under `years:` in "
                       "calendar.yaml, e.g.\n  years:\n    {year}:\n      holidays: [{year}-01-01, ...]\n"
                       "      workdays: [...]"),
                    year=year, known=max(d.year for d in cc_constants.holidays)))
                continue
            known[year] = found
        if issues:
            return None, issues
        return cls(known, schedule, policy.closed, policy.open), []

    def _year(self, d: dt.date) -> StatutoryYear:
        try:
            return self._years[d.year]
        except KeyError:
            raise KeyError(f"the work calendar was not built for {d.year}") from None

    def is_workday(self, d: dt.date) -> bool:
        if d in self._open:
            return True
        if d in self._closed:
            return False
        year = self._year(d)
        if d in year.workdays:
            return True
        return d.weekday() in self._weekdays and d not in year.holidays

    def workdays(self, start: dt.date, end: dt.date) -> list[dt.date]:
        """Workdays from `start` to `end`, both included."""
        days = []
        d = start
        while d <= end:
            if self.is_workday(d):
                days.append(d)
            d += dt.timedelta(days=1)
        return days


def month_bounds(period: str) -> tuple[dt.date, dt.date]:
    """`2026-10` → (2026-10-01, 2026-10-31)."""
    year, month = (int(x) for x in period.split("-"))
    first = dt.date(year, month, 1)
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return first, nxt - dt.timedelta(days=1)


def lunar_to_solar(year: int, month: int, day: int) -> dt.date:
    """The solar date of lunar `month`/`day` in lunar year `year` (e.g. Mid-Autumn 8/15)."""
    return LunarDate(year, month, day).to_solar_date()


_PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def check_period(period: str) -> list[Issue]:
    if not _PERIOD.match(period):
        return [Issue.of(None, "period.invalid", N_("'{period}' is not a period; write it as YYYY-MM, e.g. 2026-10"),
                         period=period)]
    return []

