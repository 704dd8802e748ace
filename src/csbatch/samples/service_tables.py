"""Sheets about service: complaints, callbacks, QA audits, the superiors' reviews, payroll
adjustments and deadline submissions (call logs, service orders)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

from csbatch.samples.punches import Attendance
from csbatch.samples.month_context import Month, at
from csbatch.samples.customers import Customers
from csbatch.samples.duty_tables import duty_rows
from csbatch.samples.headings import header, label, yes_no
from csbatch.samples.messy import datetime_text, money_text
from csbatch.samples.sales_orders import CANCELLED, INVITED, ONLINE, Orders
from csbatch.samples.staff import (AFTER_SALES, CLERK, ECOMMERCE, INFO, INVITATION, ONSITE,
                                    RECEPTIONIST, SUPERVISOR, Employee, Staff)
from csbatch.samples.words import keyed, words
from csbatch.policy.catalogues import COMPLAINT_STAGES
from csbatch.samples.writers import DATE, DATETIME, MONEY, TIME, Column, Sheet

#: Complaint categories the e-commerce scorecard counts: complaints about web-shop chats.
CHAT_CATEGORIES = ("service", "wrong_explanation", "unverifiable_wording")
#: Resolution of the scripted complaints, in turn: hours after intake (None = still open).
RESOLUTION = ("within", "after", "exactly", "open", "within", "within", "after", "within")


def _resolved(rng: np.random.Generator, received: dt.datetime, kind: str,
              due_hours: int) -> dt.datetime | None:
    """When a complaint was resolved: within office hours, before or after the due time, or at
    exactly the due time; None while open."""
    due = received + dt.timedelta(hours=due_hours)
    if kind == "open":
        return None
    if kind == "exactly":
        return due
    for _ in range(20):
        days = int(rng.integers(0, due_hours // 24)) if kind == "within" else \
            due_hours // 24 + int(rng.integers(0, 2))
        moment = at(received.date() + dt.timedelta(days=days), 9 + int(rng.integers(0, 9)),
                    int(rng.integers(0, 60)))
        if received < moment and (moment <= due) == (kind == "within"):
            return moment
    return due - dt.timedelta(hours=1) if kind == "within" else due + dt.timedelta(hours=20)


def _due_hours(month: Month) -> int:
    rule = month.policy.deadlines.get("complaint_resolution")
    days = getattr(getattr(rule, "due", None), "days", 3)
    return int(days) * 24


def _complaint_specs(month: Month, orders: Orders,
                     rng: np.random.Generator) -> list[tuple[int, str, str, bool, float | None]]:
    """(order, category, resolution, our fault, loss) of each complaint about an order: every
    category once, the refunded special-price order, then one per 60 orders."""
    p = month.policy
    last_ok = len(month.workdays) - 7
    ok = (orders.status != CANCELLED) & (orders.day <= max(last_ok, 0))
    web = np.flatnonzero(ok & (orders.channel == ONLINE))
    shop = np.flatnonzero(ok & (orders.channel != ONLINE))
    specs: list[tuple[int, str, str, bool, float | None]] = []
    losses = {0: 200.0, 4: 1280.0, 8: 350.0}
    for k, cat in enumerate(p.complaints.categories):
        pool = web if cat in CHAT_CATEGORIES else shop
        order = int(pool[int(rng.integers(len(pool)))])
        specs.append((order, cat, RESOLUTION[k % len(RESOLUTION)], k % 4 != 3, losses.get(k)))
    cats = list(p.complaints.categories)
    quality = "quality" if "quality" in cats else cats[0]
    for i in orders.tags.get("special_refund", []):
        specs.append((i, quality, "within", True, None))
    every = np.flatnonzero(ok)
    for _ in range(len(orders) // 60):
        order = int(every[int(rng.integers(len(every)))])
        specs.append((order, cats[int(rng.integers(len(cats)))],
                      "within" if rng.random() < 0.8 else "after", rng.random() < 0.85, None))
    return specs


def _complaint_rows(month: Month, staff: Staff, customers: Customers, orders: Orders,
                    rng: np.random.Generator) -> list[list]:
    """The complaints as rows (received, customer, order, agent, category, fault, resolved,
    satisfied, loss) in the order received, with one still open and not yet due."""
    due = _due_hours(month)
    rows: list[list[Any]] = []   # one complaint's cells
    for order, cat, kind, fault, loss in _complaint_specs(month, orders, rng):
        day = month.workdays[orders.day[order]]
        received = at(day + dt.timedelta(days=1 + int(rng.integers(0, 2))),
                      9 + int(rng.integers(0, 8)), int(rng.integers(0, 60)))
        resolved = _resolved(rng, received, kind, due)
        satisfied = None if resolved is None else (kind != "after" or rng.random() < 0.3)
        rows.append([received, customers.ids[orders.customer[order]], orders.ids[order],
                     staff.people[orders.agent[order]].id, cat, fault, resolved, satisfied, loss])
    # Still open, received on the last workday: not yet due at month end; no order, no agent.
    c = int(customers.free[int(rng.integers(len(customers.free)))])
    rows.append([at(month.workdays[-1], 15, 20), customers.ids[c], None, None,
                 list(month.policy.complaints.categories)[0], True, None, None, None])
    rows.sort(key=lambda r: r[0])
    return rows


def complaints_sheet(month: Month, staff: Staff, customers: Customers, orders: Orders) -> Sheet:
    """Every category; our fault yes and no; resolved within 72 h, after, at exactly 72 h, open
    past its due time and open not yet due; losses on a few; the refunded special-price order."""
    p = month.policy
    rows = _complaint_rows(month, staff, customers, orders, month.rng("complaints"))
    texts = keyed("complaints")
    h = lambda col, pick=0: header(p, "complaints", col, pick)  # noqa: E731
    yes, no = yes_no(p, True), yes_no(p, False)
    yymm = month.yymm
    return Sheet("投诉登记", [
        Column(h("complaint_id"), [f"TS{yymm}{k + 1:04d}" for k in range(len(rows))]),
        Column(h("received_at"), [datetime_text(r[0], "slash") if k % 5 == 2 else r[0]
                                  for k, r in enumerate(rows)], DATETIME),
        Column(h("customer_id"), [r[1] for r in rows]),
        Column(h("order_id"), [r[2] for r in rows]),
        Column(h("employee_id"), [r[3] for r in rows]),
        Column(h("category"), [label(p, "complaint_categories", r[4], 1 if k % 5 == 4 else 0)
                               for k, r in enumerate(rows)]),
        Column(h("our_fault"), [(yes if k % 2 else None) if r[5] else no
                                for k, r in enumerate(rows)]),
        Column(h("resolved_at"), [r[6] for r in rows], DATETIME),
        Column(h("satisfied"), [None if r[7] is None else yes if r[7] else no for r in rows]),
        Column(h("loss_amount"), [money_text(r[8], "yen") if r[8] and r[8] > 1000 else r[8]
                                  for r in rows], MONEY),
        Column(h("description", 0), [_describe(texts, r[4], k) for k, r in enumerate(rows)],
               width=36),
        # [003] the agreed final deadline (协商最终期限) on the complaint still open at month end, later
        # than the 72 h; the stages: each required one done (是), but every 7th resolved complaint
        # lacks its last one, and a complaint with a loss was escalated to the manager
        Column(h("agreed_deadline"), [r[0] + dt.timedelta(days=5) if r[2] is None and r[6] is None else None
                                      for r in rows], DATETIME),
        *(Column(h(stage), _stage_cells(p, rows, stage, yes, no)) for stage in COMPLAINT_STAGES),
    ], title=f"客服部投诉登记表（{month.label}）")


def _stage_cells(p, rows: list[list], stage: str, yes: str, no: str) -> list[str | None]:
    """One stage column: blank while open; 是 where the category requires it (complaints.yaml)
    except the last required stage of every 7th resolved complaint (否); 是 for escalated where a
    loss was recorded."""
    cells: list[str | None] = []
    resolved = 0
    for r in rows:
        if r[6] is None:
            cells.append(None)
            continue
        resolved += 1
        required = p.complaints.categories[r[4]].stages
        if stage == "escalated" and stage not in required:
            cells.append(yes if r[8] else None)
        elif stage not in required:
            cells.append(None)
        else:
            cells.append(no if resolved % 7 == 0 and stage == required[-1] else yes)
    return cells


def _describe(texts: dict[str, tuple[str, ...]], cat: str, k: int) -> str:
    found = texts.get(cat) or ("顾客来电反映问题，已登记跟进",)
    return found[k % len(found)]


def _callback_rows(month: Month, staff: Staff, customers: Customers, orders: Orders,
                   rng: np.random.Generator) -> list[tuple]:
    """The callbacks as rows (who, customer, order, planned, done, rating, score, feedback,
    intent) by planned day, then employee."""
    p = month.policy
    nd = len(month.workdays)
    ok = np.flatnonzero((orders.status != CANCELLED) & (orders.day <= nd - 3))
    share = min(0.3, 30000 / max(len(ok), 1))
    picked = ok[rng.random(len(ok)) < share]
    ecom = staff.steady(ECOMMERCE)
    all_happy, mixed = ecom[0].index, ecom[1].index
    service = staff.steady(AFTER_SALES, INFO, CLERK)
    inviters = staff.steady(INVITATION)
    feedback = words("feedback")
    rating_codes = ("satisfied", "neutral", "dissatisfied")
    missing = [c for c in rating_codes if c not in (p.code_list("rating") or {})]
    if missing:
        raise ValueError(f"vocabulary rating lacks {missing}")
    rows: list[tuple[Any, ...]] = []   # one callback's cells
    forced = 0
    for i in picked.tolist():
        agent = staff.people[orders.agent[i]]
        ch = int(orders.channel[i])
        who = agent
        if ch == INVITED and inviters:
            who = inviters[i % len(inviters)]
        elif ch != ONLINE and service and rng.random() < 0.4:
            who = service[i % len(service)]
        day = month.workdays[orders.day[i]]
        planned = min(day + dt.timedelta(days=2 + int(rng.integers(0, 5))), month.last)
        u = rng.random(6)
        if u[0] < 0.05:
            planned = None
        done = None
        if planned is None or u[1] < 0.85:
            base = planned or day + dt.timedelta(days=2)
            done = min(at(base + dt.timedelta(days=int(u[2] * 2)), 10 + int(u[3] * 7),
                          int(u[4] * 60)), at(month.last, 17, 30))
        rating = score = note = intent = None
        if done is not None:
            r = 0 if u[5] < 0.72 else 1 if u[5] < 0.92 else 2
            if agent.index == all_happy:
                r = 0
            elif agent.index == mixed and forced < 2:
                r, forced = 2 - forced, forced + 1   # 不满意 first: a small month still has one
            rating = rating_codes[r]
            lo, hi = ((90, 101), (70, 89), (35, 66))[r]
            score = int(rng.integers(lo, hi))
            if rng.random() < 0.1:
                score = (5, 4, 2)[r]
            elif rng.random() < 0.1:
                score = None
            note = feedback[int(rng.integers(len(feedback)))] if rng.random() < 0.35 else None
            intent = rng.random()
        rows.append((who, customers.ids[orders.customer[i]], orders.ids[i], planned, done,
                     rating, score, note, intent))
    rows.sort(key=lambda r: (r[3] or r[4].date(), r[0].id))
    return rows


def callbacks_sheet(month: Month, staff: Staff, customers: Customers, orders: Orders) -> Sheet:
    """Callbacks about orders, planned and done (or not), rated 满意/一般/不满意 with a score
    on 0–100 or, now and then, 1–5. One e-commerce agent's callbacks are all 满意."""
    p = month.policy
    rows = _callback_rows(month, staff, customers, orders, month.rng("callbacks"))
    h = lambda col, pick=0: header(p, "callbacks", col, pick)  # noqa: E731
    yes, no = yes_no(p, True), yes_no(p, False)
    return Sheet("回访记录", [
        Column(h("employee_id", 1), [r[0].id for r in rows]),
        Column("客服姓名", [r[0].name for r in rows]),
        Column(h("customer_id"), [r[1] for r in rows]),
        Column(h("order_id"), [r[2] for r in rows]),
        Column(h("planned_date"), [r[3] for r in rows], DATE),
        Column(h("done_at"), [r[4] for r in rows], DATETIME),
        Column(h("rating"), [label(p, "rating", r[5]) if r[5] else None for r in rows]),
        Column(h("score"), [r[6] for r in rows]),
        Column(h("feedback"), [r[7] for r in rows], width=30),
        Column(h("repurchase_intent"), [None if r[8] is None or r[8] > 0.85 else
                                        yes if r[8] < 0.6 else no for r in rows]),
    ])


def chat_checks_sheet(month: Month, staff: Staff, att: Attendance) -> Sheet:
    """The QA supervisor's chat-log spot-checks ([004] 服务检测, 聊天记录抽查): a few chats of each
    steady e-commerce agent, about one in six failed with a note."""
    p = month.policy
    rng = month.rng("chat_checks")
    notes = words("chat_checks")
    rows = []
    for e in staff.steady(ECOMMERCE):
        days = att.at_work(e)
        picks = rng.choice(len(days), size=min(len(days), 3), replace=False)
        for d in sorted(days[int(x)] for x in picks):
            failed = bool(rng.random() < 0.17)
            rows.append((e, d, failed, notes[int(rng.integers(len(notes)))] if failed else None))
    rows.sort(key=lambda r: (r[1], r[0].id))
    h = lambda col: header(p, "chat_checks", col)  # noqa: E731
    return Sheet("聊天记录抽查", [
        Column(h("date"), [r[1] for r in rows], DATE),
        Column(h("employee_id"), [r[0].id for r in rows]),
        Column(h("result"), [label(p, "check_result", "failed" if r[2] else "passed") for r in rows]),
        Column(h("note"), [r[3] for r in rows]),
    ])


def audits_sheet(month: Month, staff: Staff, att: Attendance) -> Sheet:
    """QA audits of the e-commerce agents, several each (the joiner is not audited: the
    supervisor coefficient then defaults). Item columns by the item's text in some sections and
    by its code in others; marks 0–5, ✓/✗ or N/A; a ✓ on a taboo is a violation."""
    p = month.policy
    rng = month.rng("audits")
    by_id = staff.by_id()
    shops = words("shops")
    na = p.inputs.not_applicable[0]
    tick, cross = yes_no(p, True, "√"), yes_no(p, False, "√")
    rows = []
    for k, e in enumerate(staff.steady(ECOMMERCE)):
        days = att.at_work(e)
        picks = rng.choice(len(days), size=min(len(days), 3 if k == 0 else 2), replace=False)
        for d in sorted(days[int(x)] for x in picks):
            rows.append((e, d, dt.time(9 + int(rng.integers(0, 8)), int(rng.integers(0, 12)) * 5)))
    rows.sort(key=lambda r: (r[1], r[2], r[0].id))
    items: list[tuple[str, str, list]] = []     # header, kind, marks
    for s, section in enumerate(p.questionnaire.sections):
        for item in section.items:
            name = item.code if s % 2 else (item.aliases[0] if item.aliases else item.text)
            marks: list = []
            for r in range(len(rows)):
                u = rng.random()
                if section.kind == "taboo":
                    marks.append(tick if u < 0.06 else cross if u < 0.3 else None)
                else:
                    full = float(section.per_item)
                    marks.append(na if u < 0.03 else cross if u < 0.05 else tick if u < 0.13
                                 else full - 1 if u < 0.3 else full - 2 if u < 0.36 else full)
            items.append((name, section.kind, marks))
    if rows:   # a sure violation and a sure N/A in the first audit
        taboo = [m for _, kind, m in items if kind == "taboo"]
        positive = [m for _, kind, m in items if kind != "taboo"]
        taboo[min(4, len(taboo) - 1)][0] = tick
        positive[-3][0] = na
    h = lambda col, pick=0: header(p, "audits", col, pick)  # noqa: E731
    yymm = month.yymm
    cols = [
        Column(h("audit_id"), [f"JC{yymm}{k + 1:04d}" for k in range(len(rows))]),
        Column(h("audit_date"), [r[1] for r in rows], DATE),
        Column(h("audit_time"), [r[2] if k % 3 else f"{r[2]:%H:%M}" for k, r in enumerate(rows)],
               TIME),
        Column(h("account"), [f"{shops[r[0].index % len(shops)]}:小{r[0].name[-1]}"
                              for r in rows]),
        Column(h("employee_id"), [r[0].id for r in rows]),
        Column(h("auditor"), [by_id[r[0].supervisor].name if r[0].supervisor in by_id else None
                              for r in rows]),
    ]
    cols += [Column(name, marks, width=10) for name, _, marks in items]
    return Sheet("督导问卷", cols)


def reviews_sheet(month: Month, staff: Staff) -> Sheet:
    """Ratings by the superior: communication and teamwork of invitation agents (with their
    self-evaluations), management nonconformities and on-site rating of supervisors."""
    p = month.policy
    rng = month.rng("reviews")
    selfs = words("self_evaluations")
    rows: list[tuple[Any, ...]] = []   # one rating's cells
    for e in staff.by_role(INVITATION, SUPERVISOR):
        if e.role == INVITATION:
            rows.append((e, float(rng.integers(12, 21)) / 2, float(rng.integers(12, 21)) / 2,
                         None, None, None, None, selfs[e.index % len(selfs)]))
        else:
            rows.append((e, None, None, int(rng.integers(0, 3)), int(rng.integers(0, 2)),
                         int(rng.integers(0, 3)), float(rng.integers(18, 31)), None))
    h = lambda col: header(p, "reviews", col)  # noqa: E731
    names = ("communication", "teamwork", "assignment_issues", "publicity_issues",
             "general_issues", "onsite", "self_evaluation")
    cols = [Column(h("employee_id"), [r[0].id for r in rows]),
            Column("姓名", [r[0].name for r in rows])]
    cols += [Column(h(n), [r[k + 1] for r in rows]) for k, n in enumerate(names)]
    return Sheet("主管评分", cols)


def adjustments_sheet(month: Month, staff: Staff) -> Sheet:
    """One-off lines with their reasons: a back pay, a fine, a referral bonus."""
    p = month.policy
    rng = month.rng("adjustments")
    manual = [c for c, comp in p.pay.components.items() if comp.kind == "manual"]
    reasons = keyed("reasons")
    people = staff.steady(*p.roles)
    plan = [("back_pay", 350.0), ("fine", -200.0), ("bonus", 500.0)]
    plan += [(("back_pay", "fine")[k % 2], (120.0, -50.0)[k % 2])
             for k in range(len(staff.people) // 50)]
    rows = []
    for k, (why, amount) in enumerate(plan):
        e = people[(3 * k + 2) % len(people)] if k < 3 else people[int(rng.integers(len(people)))]
        rows.append((e, manual[0], amount, reasons[why][k % len(reasons[why])]))
    h = lambda col: header(p, "adjustments", col)  # noqa: E731
    return Sheet("其他调整", [
        Column(h("employee_id"), [r[0].id for r in rows]),
        Column("姓名", [r[0].name for r in rows]),
        Column(h("component"), [label(p, "pay_components", r[1], k) for k, r in enumerate(rows)]),
        Column(h("amount"), [money_text(r[2], "yen") if r[2] == 500.0 else r[2] for r in rows],
               MONEY),
        Column(h("reason"), [r[3] for r in rows], width=30),
    ])


def submissions_sheet(month: Month, staff: Staff, att: Attendance) -> Sheet:
    """Receptionists' weekly call logs (due Monday 10:00 for the week before: one late, one
    missing), after-sales and on-site service orders (archived the same week: one late, one
    missing), each visit a task the receptionist dispatched ([001] 接线员下发任务; one on-site task
    not yet reported done), and the recurring duties (`duty_tables.duty_rows`)."""
    p = month.policy
    rng = month.rng("submissions")
    rows: list[tuple[Employee, str, dt.date, dt.datetime | None, str | None]] = []
    days_ = [month.first + dt.timedelta(days=k) for k in range(month.last.day)]
    # the weeks judged this month: those whose Monday-10:00 due time falls in it
    mondays = [d - dt.timedelta(days=7) for d in days_ if d.weekday() == 0]
    receptionists = staff.steady(RECEPTIONIST)
    for n, e in enumerate(staff.by_role(RECEPTIONIST)):
        for w, monday in enumerate(mondays):
            due = at(monday + dt.timedelta(days=7), 10)
            case = ("late" if w == 1 else "missing" if w == 2 else "ok") if n == 0 else \
                ("late" if rng.random() < 0.05 else "ok")
            when = None if case == "missing" else due + dt.timedelta(minutes=40) \
                if case == "late" else due - dt.timedelta(minutes=5 + int(rng.integers(0, 90)))
            rows.append((e, "call_log", monday, when, None))
    dispatcher = receptionists[0].id if receptionists else None
    for n, e in enumerate(staff.steady(AFTER_SALES, ONSITE)):
        days = att.at_work(e)
        onsite = e.role == ONSITE
        cases = ("ok", "late", "missing") if n == 0 else ("ok", "ok", "open") if onsite else ("ok", "ok")
        for v, case in enumerate(cases):
            visit = days[min(len(days) - 1, (v * 2 + 1) * len(days) // 7)]
            sunday = visit + dt.timedelta(days=6 - visit.weekday())
            when = None if case in ("missing", "open") else at(sunday + dt.timedelta(days=2), 11) \
                if case == "late" else at(min(visit + dt.timedelta(days=1), sunday), 16, 30)
            rows.append((e, "service_order", visit, when, dispatcher))
    rows += [(*row, None) for row in duty_rows(month, staff, att)]
    h = lambda col: header(p, "submissions", col)  # noqa: E731
    return Sheet("提交记录", [
        Column(h("employee_id"), [r[0].id for r in rows]),
        Column("姓名", [r[0].name for r in rows]),
        Column(h("kind"), [label(p, "deadline_rules", r[1], k) for k, r in enumerate(rows)]),
        Column(h("reference_date"), [r[2] for r in rows], DATE),
        Column(h("submitted_at"), [r[3] for r in rows], DATETIME),
        Column(h("dispatched_by"), [r[4] for r in rows]),
    ])
