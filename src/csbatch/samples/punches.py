"""Clock punches and leave requests for every scheduled workday (WorkCalendar), with the cases the
attendance rules must meet: a clock-in at 08:30:59 and one at 08:31:00, an early leave, a day
with only an in-punch and one with only an out-punch, an absence, and leave of every type —
approved, refused and pending, one sick leave, one spanning a day off. Two people work a week of
night shifts each (排班表), clocking out the next morning, with a day off (休) on a workday after it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from csbatch.samples.month_context import Month, at
from csbatch.samples.staff import LEAD, MANAGER, Employee, Staff

PRESENT, LATE, EARLY, NO_OUT, NO_IN, ABSENT, LEAVE, OFF = (
    "present", "late", "early", "no_out", "no_in", "absent", "leave", "off")
AT_WORK = (PRESENT, LATE, EARLY, NO_OUT, NO_IN)


@dataclass
class LeaveRequest:
    employee: Employee
    start: dt.date | dt.datetime
    end: dt.date | dt.datetime
    leave_type: str
    approved: bool
    pending: bool = False


@dataclass
class Attendance:
    punches: list[tuple[Employee, dt.datetime, int]]     # employee, time, clock number
    leave: list[LeaveRequest]
    days: dict[int, dict[dt.date, str]]                  # employee index → day → status
    anchors: dict[str, tuple[Employee, dt.date]] = field(default_factory=dict)
    rota: dict[tuple[int, dt.date], str] = field(default_factory=dict)  # (employee, day) → shift code

    def at_work(self, e: Employee) -> list[dt.date]:
        return [d for d, s in self.days.get(e.index, {}).items() if s in AT_WORK]


def scheduled(month: Month, e: Employee) -> list[dt.date]:
    return [d for d in month.workdays if e.active(d)]


def off_day_inside(month: Month) -> dt.date | None:
    """A day off (Sunday or holiday) with workdays either side, for a leave that spans it."""
    work = set(month.workdays)
    d = month.first + dt.timedelta(days=1)
    while d < month.last:
        if d not in work and d - dt.timedelta(days=1) in work and d + dt.timedelta(days=1) in work:
            return d
        d += dt.timedelta(days=1)
    return None


def _scripted_leave(month: Month, staff: Staff) -> list[LeaveRequest]:
    people = [e for e in staff.steady(*month.policy.roles) if e.role not in (MANAGER, LEAD)]
    days = month.workdays
    types = list(month.policy.leave.types)

    def day(i: int) -> dt.date:
        return days[min(i, len(days) - 1)]

    def who(k: int) -> Employee:
        return people[(4 + k) % len(people)]

    out = [LeaveRequest(who(0), day(10), day(11), "sick", True)]
    gap = off_day_inside(month)
    if gap is not None:
        out.append(LeaveRequest(who(1), gap - dt.timedelta(days=1), gap + dt.timedelta(days=1),
                                "annual", True))
    out += [LeaveRequest(who(2), day(13), day(13), "personal", False),
            LeaveRequest(who(3), day(14), day(16), "marriage", True),
            LeaveRequest(who(4), day(5), day(5), "bereavement", True),
            LeaveRequest(who(5), at(day(12), 8, 30), at(day(12), 17, 30), "compensatory", True),
            LeaveRequest(who(6), day(18), day(18), "personal", False, pending=True)]
    return [r for r in out if r.leave_type in types]


def _random_leave(month: Month, staff: Staff, rng: np.random.Generator,
                  taken: set[int]) -> list[LeaveRequest]:
    types = list(month.policy.leave.types)
    days = month.workdays
    out = []
    for e in staff.steady(*month.policy.roles):
        if e.index in taken or rng.random() >= 0.08:
            continue
        start = int(rng.integers(0, len(days)))
        end = min(start + int(rng.integers(0, 2)), len(days) - 1)
        out.append(LeaveRequest(e, days[start], days[end], types[int(rng.integers(len(types)))],
                                bool(rng.random() < 0.85)))
    return out


def _leave_days(month: Month, r: LeaveRequest) -> list[dt.date]:
    start = r.start.date() if isinstance(r.start, dt.datetime) else r.start
    end = r.end.date() if isinstance(r.end, dt.datetime) else r.end
    return [d for d in month.workdays if start <= d <= end]


def _rota(month: Month, people: list[Employee], leave: list[LeaveRequest]) -> dict[tuple[int, dt.date], str]:
    """Nights for two people without leave (the policy's `night` shift, when it has one): the
    first a week of workdays from the 6th workday, the second the week after, each then a day off."""
    if "night" not in month.policy.worktime.shifts.types:
        return {}
    on_leave = {r.employee.index for r in leave}
    pair = [e for e in people[4:] if e.index not in on_leave][:2]
    days = month.workdays
    rota: dict[tuple[int, dt.date], str] = {}
    for k, e in enumerate(pair):
        block = days[5 + 6 * k: 11 + 6 * k]
        if len(block) < 6 or len(days) <= 11 + 6 * k:
            continue
        rota.update({(e.index, d): "night" for d in block})
        rota[(e.index, days[11 + 6 * k])] = "off"
    return rota


def build_attendance(month: Month, staff: Staff) -> Attendance:
    rng = month.rng("attendance")
    people = [e for e in staff.steady(*month.policy.roles) if e.role not in (MANAGER, LEAD)]
    leave = _scripted_leave(month, staff)
    taken = {r.employee.index for r in leave} | {e.index for e in people[:4]}
    leave += _random_leave(month, staff, rng, taken)
    on_leave = {(r.employee.index, d) for r in leave for d in _leave_days(month, r)}
    days = month.workdays
    d = lambda i: days[min(i, len(days) - 1)]  # noqa: E731
    # The cases the rules must meet, on fixed people and days: status and exact clock time.
    script: dict[tuple[int, dt.date], tuple[str, int | None]] = {
        (people[0].index, d(2)): (PRESENT, 8 * 3600 + 30 * 60 + 59),   # 08:30:59
        (people[0].index, d(4)): (LATE, 8 * 3600 + 31 * 60),           # 08:31:00
        (people[1].index, d(6)): (EARLY, 17 * 3600 + 12 * 60 + 40),    # 17:12:40
        (people[2].index, d(3)): (NO_OUT, None),
        (people[2].index, d(9)): (NO_IN, None),
        (people[3].index, d(7)): (ABSENT, None),
    }
    anchors = {"late": (people[0], d(4)), "early_leave": (people[1], d(6)),
               "absent": (people[3], d(7))}
    rota = _rota(month, people, leave)
    punches: list[tuple[Employee, dt.datetime, int]] = []
    status: dict[int, dict[dt.date, str]] = {}
    for e in staff.people:
        clock = 2 if e.index % 3 == 2 else 1
        mine = status.setdefault(e.index, {})
        for day in scheduled(month, e):
            if (e.index, day) in on_leave:
                mine[day] = LEAVE
                continue
            kind, when = script.get((e.index, day), (None, None))
            u = rng.random(6)
            shift = rota.get((e.index, day))
            if shift is not None:        # a night 21:4x–06:0x the next morning, or the day off
                mine[day] = OFF if shift == "off" else PRESENT
                if shift == "night":
                    t_in, t_out = 21 * 3600 + 40 * 60 + int(u[1] * 600), 6 * 3600 + int(u[2] * 1200)
                    punches.append((e, at(day, t_in // 3600, t_in // 60 % 60, t_in % 60), clock))
                    morning = day + dt.timedelta(days=1)
                    punches.append((e, at(morning, t_out // 3600, t_out // 60 % 60, t_out % 60), clock))
                continue
            if kind is None:
                kind = (LATE if u[0] < 0.02 else EARLY if u[0] < 0.03 else
                        NO_OUT if u[0] < 0.034 else NO_IN if u[0] < 0.037 else
                        ABSENT if u[0] < 0.039 else PRESENT)
            mine[day] = kind
            if kind == ABSENT:
                continue
            t_in = 8 * 3600 + 30 * 60 - 60 - int(u[1] * 2000)
            t_out = 17 * 3600 + 30 * 60 + int(u[2] * 3000)
            if kind == LATE:
                t_in = when or 8 * 3600 + 31 * 60 + int(u[1] * 1500)
            elif kind == EARLY:
                t_out = when or 17 * 3600 + 30 * 60 - 300 - int(u[2] * 3000)
            elif kind == PRESENT and when:
                t_in = when
            times = []
            if kind != NO_IN:
                times.append(t_in)
                if u[3] < 0.04 and when is None and kind in (PRESENT, LATE, EARLY):
                    times.append(t_in + 3 + int(u[4] * 40))       # pressed twice
            if u[5] < 0.2 and kind not in (NO_IN, NO_OUT):
                times += [11 * 3600 + 30 * 60 + int(u[4] * 600),      # out for lunch, back
                          12 * 3600 + 45 * 60 + int(u[3] * 800)]
            if kind != NO_OUT:
                times.append(t_out)
            for t in sorted(times):
                punches.append((e, at(day, t // 3600, t // 60 % 60, t % 60), clock))
    return Attendance(punches, leave, status, anchors, rota)
