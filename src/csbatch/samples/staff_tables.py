"""Sheets about people: the roster, the time clock's punch export, leave requests, the conduct
log, recognitions and the collaboration incidents."""

from __future__ import annotations

import datetime as dt

from csbatch.samples.punches import Attendance
from csbatch.samples.month_context import Month
from csbatch.samples.headings import header, label, yes_no
from csbatch.samples.messy import date_text, money_text, typed_dates
from csbatch.samples.staff import (AFTER_SALES, CLERK, COMPREHENSIVE, CONSULTING, ECOMMERCE,
                                    INFO, INVITATION, Employee, Staff)
from csbatch.samples.words import keyed, words
from csbatch.samples.writers import DATE, MONEY, Column, Sheet

AGENTS = (COMPREHENSIVE, CONSULTING, ECOMMERCE, INVITATION, INFO, AFTER_SALES, CLERK)


def roster_sheet(month: Month, staff: Staff) -> Sheet:
    p, people = month.policy, staff.people
    rng = month.rng("roster.cells")
    h = lambda col, pick=0: header(p, "roster", col, pick)  # noqa: E731

    def money(v: float | None, i: int):
        if v is None:
            return None
        return money_text(v, "yen") if i % 7 == 3 else money_text(v, "yuan") if i % 11 == 5 else v

    return Sheet("花名册", [
        Column(h("employee_id"), [int(e.id) for e in people]),         # typed as numbers
        Column(h("name"), [e.name for e in people]),
        Column(h("role"), [label(p, "roles", e.role, 1 if e.index % 4 == 3 else 0)
                           for e in people]),
        Column(h("team"), [e.team for e in people]),
        Column(h("team_lead", 1), [yes_no(p, True, "√") if e.team_lead else None
                                   for e in people]),
        Column(h("hire_date"), typed_dates([e.hire for e in people], rng, 0.1), DATE),
        Column(h("leave_date"), [e.leave for e in people], DATE),
        Column(h("base_salary", 1), [money(e.base, e.index) for e in people], MONEY),
        Column(h("subsidy"), [e.subsidy for e in people], MONEY),
        Column(h("sales_target", 1), [e.target for e in people], MONEY),
        Column(h("supervisor_id"), [e.supervisor for e in people]),
        Column("备注", [e.note for e in people]),
    ])


def punch_columns(month: Month, staff: Staff, att: Attendance) -> list:
    """The time clock's export: one row per punch (考勤号码, 打卡时间), as the clock writes it."""
    p = month.policy
    rows = att.punches
    times = [f"{t:%Y-%m-%d %H:%M:%S}" if clock == 1 else
             f"{t.year}/{t.month}/{t.day} {t.hour}:{t:%M:%S}" for _, t, clock in rows]
    return [Column("部门", ["客服部"] * len(rows)),
            Column("姓名", [e.name for e, _, _ in rows]),
            Column(header(p, "attendance", "employee_id", "考勤号码"), [e.id for e, _, _ in rows]),
            Column(header(p, "attendance", "punch_time", "打卡时间"), times),
            Column("机器号", [clock for _, _, clock in rows]),
            Column("比对方式", ["指纹" if clock == 1 else "人脸" for _, _, clock in rows])]


def shifts_sheet(month: Month, staff: Staff, att: Attendance) -> Sheet:
    """The shift schedule (排班表) as people keep it: a month grid, a row per person on the rota,
    a column per day (1…31), the shift's name in a cell, 休 for a day off, blank for the day."""
    p = month.policy
    people = [e for e in staff.people if any(key[0] == e.index for key in att.rota)]
    days = range(1, month.last.day + 1)

    def cell(e, n: int) -> str | None:
        code = att.rota.get((e.index, month.first.replace(day=n)))
        return None if code is None else label(p, "shifts", code)

    return Sheet("排班表", [
        Column(header(p, "shifts", "employee_id"), [e.id for e in people]),
        Column(header(p, "shifts", "name"), [e.name for e in people]),
        *[Column(str(n), [cell(e, n) for e in people]) for n in days],
    ], title=f"{month.first.year}年{month.first.month}月 排班表")


def leave_sheet(month: Month, att: Attendance) -> Sheet:
    p = month.policy
    reqs = sorted(att.leave, key=lambda r: (str(r.start), r.employee.id))
    h = lambda col, pick=0: header(p, "leave", col, pick)  # noqa: E731

    def when(v, k: int):
        if isinstance(v, dt.datetime) or k % 4 != 1:
            return v
        return date_text(v, "slash" if k % 8 == 1 else "cn")

    return Sheet("请假", [
        Column(h("employee_id"), [r.employee.id for r in reqs]),
        Column("姓名", [r.employee.name for r in reqs]),
        Column(h("leave_type", 1), [label(p, "leave_types", r.leave_type) for r in reqs]),
        Column(h("start"), [when(r.start, k) for k, r in enumerate(reqs)], DATE),
        Column(h("end"), [when(r.end, k) for k, r in enumerate(reqs)], DATE),
        Column(h("approved"), [yes_no(p, r.approved, "待审批" if r.pending else "已批准")
                               for r in reqs]),
    ])


def conduct_sheet(month: Month, staff: Staff, att: Attendance) -> Sheet:
    """Every catalogue item appears; items also seen on the clock are logged on the day the
    clock shows them (counted once); personal calls at, under and over the minutes limit."""
    p = month.policy
    rng = month.rng("conduct")
    agents = [e for e in staff.steady(*AGENTS) if att.at_work(e)]
    notes = keyed("notes")["conduct_log"]
    rows: list[tuple[Employee, dt.date, str, int | None, int | None]] = []

    def someone() -> tuple[Employee, dt.date]:
        e = agents[int(rng.integers(len(agents)))]
        days = att.at_work(e)
        return e, days[int(rng.integers(len(days)))]

    for code, item in p.conduct.items():
        if item.from_attendance:
            if item.from_attendance in att.anchors:
                e, day = att.anchors[item.from_attendance]
                rows.append((e, day, code, None, None))
        elif item.min_minutes_exclusive is not None:
            limit = item.min_minutes_exclusive
            for minutes in (limit - 2, limit, limit + 3, limit + 10):
                rows.append((*someone(), code, None, minutes))
        else:
            rows.append((*someone(), code, 2 if code == next(iter(p.conduct)) else None, None))
    plain = [c for c, i in p.conduct.items() if not i.from_attendance
             and i.min_minutes_exclusive is None]
    for _ in range(len(staff.people) // 5):
        rows.append((*someone(), plain[int(rng.integers(len(plain)))], None, None))
    rows.sort(key=lambda r: (r[1], r[0].id, r[2]))
    h = lambda col, pick=0: header(p, "conduct", col, pick)  # noqa: E731
    return Sheet("行为规范记录", [
        Column(h("date"), typed_dates([r[1] for r in rows], rng, 0.15), DATE),
        Column(h("employee_id"), [r[0].id for r in rows]),
        Column("姓名", [r[0].name for r in rows]),
        Column(h("violation", len(rows) % 2), [label(p, "conduct", r[2], 1 if k % 3 == 2 else 0)
                                                for k, r in enumerate(rows)]),
        Column(h("count"), [r[3] for r in rows]),
        Column(h("minutes"), [r[4] for r in rows]),
        Column(h("note"), [notes[k % len(notes)] for k in range(len(rows))]),
    ])


def recognitions_sheet(month: Month, staff: Staff) -> Sheet:
    """Every recognition of config/recognitions.yaml at least once, to fitting people."""
    p = month.policy
    rng = month.rng("recognitions")
    notes = keyed("notes")
    agents = staff.steady(*AGENTS)
    ecom = staff.steady(ECOMMERCE)
    days = month.workdays
    rows: list[tuple[Employee, dt.date, str]] = []
    for k, (code, rec) in enumerate(p.recognitions.items()):
        if rec.kind == "award":
            e = (ecom + agents)[k % len(ecom + agents)]
            rows.append((e, days[0], code))
        elif rec.kind == "conduct":
            rows.append((ecom[1 % len(ecom)], days[len(days) // 3], code))
        elif rec.kind == "overtime":
            for e, d in ((ecom[0], days[3]), (ecom[0], days[-3]), (agents[0], days[-2])):
                rows.append((e, d, code))
        else:
            rows.append((agents[int(rng.integers(len(agents)))],
                         days[int(rng.integers(len(days)))], code))
    common = [c for c, r in p.recognitions.items() if r.kind in ("praise", "overtime")]
    for _ in range(len(staff.people) // 10):
        rows.append((agents[int(rng.integers(len(agents)))], days[int(rng.integers(len(days)))],
                     common[int(rng.integers(len(common)))]))
    rows.sort(key=lambda r: (r[1], r[0].id, r[2]))
    h = lambda col, pick=0: header(p, "recognitions", col, pick)  # noqa: E731
    kind_notes = [notes.get(p.recognitions[c].kind, ("",)) for _, _, c in rows]
    return Sheet("奖惩记录", [
        Column(h("employee_id"), [r[0].id for r in rows]),
        Column("姓名", [r[0].name for r in rows]),
        Column(h("date"), [r[1] for r in rows], DATE),
        Column(h("kind", 1), [label(p, "recognitions", r[2]) for r in rows]),
        Column(h("note"), [n[k % len(n)] or None for k, n in enumerate(kind_notes)]),
    ])


def collaboration_sheet(month: Month, staff: Staff, att: Attendance) -> Sheet:
    p = month.policy
    rng = month.rng("collaboration")
    pool = [e for e in staff.steady(COMPREHENSIVE, INFO, AFTER_SALES, CLERK) if att.at_work(e)]
    depts, issues = words("departments"), words("collaboration")
    people = [pool[0], pool[0]] + [pool[int(i)] for i in
                                   rng.integers(0, len(pool), 2 + len(staff.people) // 10)]
    rows = []
    for k, e in enumerate(people):
        days = att.at_work(e)
        rows.append((e, days[int(rng.integers(len(days)))], depts[k % len(depts)],
                     issues[int(rng.integers(len(issues)))]))
    rows.sort(key=lambda r: (r[1], r[0].id))
    h = lambda col: header(p, "collaboration", col)  # noqa: E731
    return Sheet("部门协作", [
        Column(h("date"), [r[1] for r in rows], DATE),
        Column(h("department"), [r[2] for r in rows]),
        Column(h("employee_id"), [r[0].id for r in rows]),
        Column(h("issue"), [r[3] for r in rows]),
    ])

