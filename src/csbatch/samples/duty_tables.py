"""The sample month's recurring duties (issue 13, item 3; config/deadlines.yaml): the rows the
submissions sheet gains (daily business records [000], the team lead's daily targets and weekly
review [004], the weekly case sharing [001], the supervisor's work summary [003]) and the
meetings sheet (weekly team meeting [002], weekly training with its test [001]). Mostly on time,
with the scripted cases the audit must show: a late and a missing daily record, a late weekly
review, a late daily target, one meeting absence without a reason (a conduct point) and one
training test below the pass mark."""

from __future__ import annotations

import datetime as dt

from csbatch.samples.headings import header, label, yes_no
from csbatch.samples.month_context import Month, at
from csbatch.samples.punches import Attendance
from csbatch.samples.staff import (AFTER_SALES, CLERK, COMPREHENSIVE, CONSULTING, ECOMMERCE, INFO, INVITATION,
                                   LEAD, Employee, Staff)
from csbatch.samples.writers import DATE, Column, Sheet

SERVICE_CENTER = (CONSULTING, COMPREHENSIVE, INFO, AFTER_SALES, CLERK)
Row = tuple[Employee, str, dt.date, dt.datetime | None]


def _weeks(month: Month) -> list[tuple[dt.date, dt.date]]:
    """(first, last) day inside the month of every Monday–Sunday week whose Sunday is in it."""
    monday = month.first - dt.timedelta(days=month.first.weekday())
    out = []
    while monday <= month.last:
        sunday = monday + dt.timedelta(days=6)
        if sunday <= month.last:
            out.append((max(monday, month.first), sunday))
        monday += dt.timedelta(weeks=1)
    return out


def _meeting_day(month: Month, first: dt.date, last: dt.date, weekday: int) -> dt.date:
    """The week's `weekday` if it is a workday in the month, else its last workday, else `first`."""
    days = [first + dt.timedelta(days=k) for k in range((last - first).days + 1)]
    work = [d for d in days if d in set(month.workdays)]
    return next((d for d in work if d.weekday() == weekday), work[-1] if work else first)


def duty_rows(month: Month, staff: Staff, att: Attendance) -> list[Row]:
    """The submissions rows of the recurring duties."""
    rng = month.rng("duties")
    rows: list[Row] = []
    for n, e in enumerate(staff.by_role(CONSULTING, COMPREHENSIVE)):
        worked = set(att.at_work(e))
        for k, day in enumerate(d for d in month.workdays if d in worked):
            case = ("late" if k == 1 else "missing" if k == 2 else "ok") if n == 0 else "ok"
            if case != "missing":
                rows.append((e, "daily_record", day, at(day, 17, 45) if case == "late"
                             else at(day, 17, 0) + dt.timedelta(minutes=int(rng.integers(0, 30)))))
    leads = [e for e in staff.by_role(ECOMMERCE) if e.team_lead]
    for n, e in enumerate(leads):
        worked = set(att.at_work(e))
        for k, day in enumerate(d for d in month.workdays if d in worked):
            rows.append((e, "daily_targets", day, at(day, 9, 20) if n == 0 and k == 4 else at(day, 8, 40)))
        for w, (first, last) in enumerate(_weeks(month)):
            saturday = last - dt.timedelta(days=1)
            rows.append((e, "lead_weekly_review", first,
                         at(last, 10) if n == 0 and w == 1 else at(saturday, 16)))
    for e in (e for e in staff.by_role(*SERVICE_CENTER) if e.team_lead):
        for first, last in _weeks(month):
            day = _meeting_day(month, first, last, 4)
            rows.append((e, "case_sharing", day, at(day, 16)))
    for e in staff.by_role(LEAD):
        rows.append((e, "work_summary", month.last, at(month.last, 17)))
    return rows


def meetings_sheet(month: Month, staff: Staff, att: Attendance) -> Sheet:
    """Friday team meetings and Wednesday trainings; someone at work that day attends, someone
    off is absent with a reason (请假); the first consulting agent misses the second meeting
    without one, and the first comprehensive agent fails the second training's test."""
    p = month.policy
    rng = month.rng("meetings")
    rows: list[tuple[str, dt.date, Employee, bool, str | None, int | None]] = []
    plans = (("team_meeting", 4, (CONSULTING, COMPREHENSIVE, INVITATION)), ("training", 2, SERVICE_CENTER))
    for kind, weekday, roles in plans:
        for w, (first, last) in enumerate(_weeks(month)):
            day = _meeting_day(month, first, last, weekday)
            for e in staff.by_role(*roles):
                if not e.active(day):
                    continue
                off = day in set(month.workdays) and day not in set(att.at_work(e))
                unexcused = kind == "team_meeting" and w == 1 and e is staff.by_role(CONSULTING)[0]
                score = None
                if kind == "training" and not off:
                    failed = w == 1 and e is staff.by_role(COMPREHENSIVE)[0]
                    score = 52 if failed else int(rng.integers(65, 99))
                rows.append((kind, day, e, not (off or unexcused), "请假" if off and not unexcused else None,
                             score))
    h = lambda col: header(p, "meetings", col)  # noqa: E731
    return Sheet("会议培训记录", [
        Column(h("kind"), [label(p, "deadline_rules", r[0], k) for k, r in enumerate(rows)]),
        Column(h("date"), [r[1] for r in rows], DATE),
        Column(h("employee_id"), [r[2].id for r in rows]),
        Column("姓名", [r[2].name for r in rows]),
        Column(h("attended"), [yes_no(p, r[3]) for r in rows]),
        Column(h("reason"), [r[4] for r in rows]),
        Column(h("test_score"), [r[5] for r in rows]),
    ])
