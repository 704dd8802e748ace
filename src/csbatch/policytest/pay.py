"""Golden cases of pay (config/pay.yaml): given each employee's roster facts, attendance figures,
measured values, scorecard total, recognitions, orders, complaints and adjustments, the lines
of the components the case is about — amount and reason — exactly as the close computes them.

The case runs `compute_payroll`, the close's own function, on what the earlier stages would
have handed it: the roster and the month's sheets typed by the real coercer
(`csbatch.sheets.given`), an attendance summary of the given figures (the month's workdays from
the policy's calendar), the given measured values and a scorecard result holding the given
totals. So a rate change in pay.yaml moves the case's line, and the failure names it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

import pandas as pd
from pydantic import BeforeValidator, Field

from csbatch.attendance import AttendanceResult
from csbatch.calendar import WorkCalendar, month_bounds
from csbatch.errors import Source
from csbatch.i18n import N_, Said
from csbatch.payroll.compute import compute_payroll
from csbatch.policy import Policy
from csbatch.policy.base import Code, Figure, Flag, Int, Model, Text
from csbatch.policy.vocabulary import MEASURES
from csbatch.policytest.kit import Row, compare, expected_got, money, no_role, not_in_case
from csbatch.scoring.cards import ScoreResult
from csbatch.scoring.engine import CardScore, Member, MemberScore
from csbatch.scoring.measures import EXTRA_COLUMNS, Measured
from csbatch.sheets.given import typed_rows
from csbatch.sheets.intake import Inputs

#: the columns of `Measured.values` a case may give
MEASURED = (*MEASURES, *EXTRA_COLUMNS)
#: what a case leaves out of the rows it writes (docs/golden-cases.md)
CUSTOMER = "K"
CATEGORY = "service"


def _codes(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


def _line(value: Any) -> Any:
    return value if isinstance(value, dict) else {"amount": value}


class PayEmployee(Model):
    """One employee of a pay case: the roster row, the month's attendance figures and what the
    other stages measured."""

    role: Code
    base_salary: Text = "0"
    team_lead: Flag = False
    team: Text | None = None
    roster: dict[Code, Text | None] = {}
    scheduled_days: Int | None = None
    absent_days: Figure = Decimal(0)
    unpaid_leave_days: Figure = Decimal(0)
    measures: dict[Code, Figure | None] = {}
    total: Figure | None = None
    rated: Flag = True
    recognitions: list[Code] = []
    orders: list[Row] = []
    complaints: list[Row] = []
    adjustments: list[Row] = []


class PayExpect(Model):
    """One expected line: its amount (`none`: no line) and, when given, its reason."""

    amount: Text
    reason: str | None = None


class PayCase(Model):
    name: Text
    pay: Annotated[list[Code], BeforeValidator(_codes)] = Field(min_length=1)
    period: Text = "2026-10"
    employees: dict[Text, PayEmployee] = Field(min_length=1)
    expect: dict[Text, dict[Code, Annotated[PayExpect, BeforeValidator(_line)]]] = Field(min_length=1)


class _Rows:
    """The month's input rows of a case, per kind, each with its place in the case file."""

    def __init__(self) -> None:
        self.rows: dict[str, list[dict[str, Any]]] = {}
        self.places: dict[str, list[Source]] = {}

    def add(self, kind: str, row: dict[str, Any], place: Source) -> None:
        self.rows.setdefault(kind, []).append(row)
        self.places.setdefault(kind, []).append(place)


def _month_workdays(policy: Policy, period: str) -> tuple[int | None, list[Said]]:
    first, last = month_bounds(period)
    calendar, issues = WorkCalendar.build(policy.calendar, policy.schedule, {first.year})
    if calendar is None:
        return None, [i.line() for i in issues]
    return len(calendar.workdays(first, last)), []


def _rows(case: PayCase, first: dt.date, place: Source) -> _Rows:
    """The roster and the month's sheets of the case, with the cells a case need not write."""
    out = _Rows()
    day = first.isoformat()
    for emp, e in case.employees.items():
        where = e.place or place
        out.add("roster", {"employee_id": emp, "name": emp, "role": e.role, "hire_date": day,
                           "base_salary": e.base_salary, "team_lead": e.team_lead, "team": e.team, **e.roster},
                where)
        for kind in e.recognitions:
            out.add("recognitions", {"employee_id": emp, "date": day, "kind": kind}, where)
        for n, row in enumerate(e.orders, 1):
            out.add("sales", {"order_id": f"{emp}-{n}", "order_date": day, "employee_id": emp,
                              "customer_id": CUSTOMER, **row.cells()}, row.where(where))
        for n, row in enumerate(e.complaints, 1):
            out.add("complaints", {"complaint_id": f"{emp}-C{n}", "received_at": f"{day} 09:00",
                                   "category": CATEGORY, "employee_id": emp, **row.cells()}, row.where(where))
        for row in e.adjustments:
            out.add("adjustments", {"employee_id": emp, **row.cells()}, row.where(where))
    return out


def _scores(case: PayCase, policy: Policy) -> ScoreResult:
    """The scorecard result the performance bonus reads: each employee with a `total` on the
    card of their role."""
    cards: dict[str, CardScore] = {}
    for emp, e in case.employees.items():
        role = policy.roles.get(e.role)
        if e.total is None or role is None or role.scorecard is None:
            continue
        code = role.scorecard
        card = cards.setdefault(code, CardScore(code, policy.scorecards[code], []))
        card.members.append(MemberScore(Member(emp, name=emp, role=e.role, team=e.team, rated=e.rated), items={},
                                        subtotal=e.total, multiplier=Decimal(1), multiplier_rule="",
                                        before_adjustments=e.total, total=e.total))
    return ScoreResult(cards)


def _measured(case: PayCase) -> Measured:
    ids = pd.Index(list(case.employees), name="employee_id", dtype=object)
    cells = {c: [e.measures.get(c) for e in case.employees.values()] for c in MEASURED}
    return Measured(pd.DataFrame({c: pd.Series(v, index=ids, dtype=object) for c, v in cells.items()}))


def run_pay_case(case: PayCase, policy: Policy) -> list[Said]:
    place = case.place or Source("tests")
    failures = [Said(N_("pay component '{component}' does not exist"), component=c)
                for c in case.pay if c not in policy.pay.components]
    failures += [no_role(emp, e.role) for emp, e in case.employees.items() if e.role not in policy.roles]
    failures += [Said(N_("{employee}.{component}: no such pay component"), employee=emp, component=c)
                 for emp, lines in case.expect.items() for c in lines if c not in policy.pay.components]
    failures += [not_in_case(emp) for emp in case.expect if emp not in case.employees]
    failures += [Said(N_("{employee}.measures.{name}: not a measured value ({names})"), employee=emp, name=name,
                      names=", ".join(MEASURED))
                 for emp, e in case.employees.items() for name in e.measures if name not in MEASURED]
    workdays, found = _month_workdays(policy, case.period)
    failures += found
    if failures or workdays is None:
        return failures
    first, _ = month_bounds(case.period)
    rows = _rows(case, first, place)
    frames = {}
    for kind in policy.inputs.kinds:
        frames[kind], found_cells = typed_rows(policy, kind, rows.rows.get(kind, []), case.period,
                                               rows.places.get(kind, []))
        failures += [i.line() for i in found_cells]
    if failures:
        return failures
    emps = list(case.employees)
    summary = pd.DataFrame({
        "employee_id": pd.Series(emps, dtype=object),
        "name": pd.Series(emps, dtype=object),
        "scheduled_days": [e.scheduled_days if e.scheduled_days is not None else workdays
                           for e in case.employees.values()],
        "month_workdays": [workdays] * len(emps),
        "absent_days": pd.Series([e.absent_days for e in case.employees.values()], dtype=object),
        "unpaid_leave_days": pd.Series([e.unpaid_leave_days for e in case.employees.values()], dtype=object),
    })
    result, issues = compute_payroll(case.period, policy, Inputs(case.period, frames, []),
                                     AttendanceResult(summary, pd.DataFrame()), _measured(case),
                                     _scores(case, policy), None)
    failures += [i.line() for i in issues if i.is_error]
    got = {(emp, code): (amount, reason) for emp, code, amount, reason in
           zip(result.components["employee_id"], result.components["component"],
               result.components["amount"], result.components["reason"])}
    for emp in emps:
        wanted = case.expect.get(emp, {})
        for code in dict.fromkeys([*wanted, *case.pay]):
            amount, reason = got.get((emp, code), (None, ""))
            want = wanted.get(code)
            label = f"{emp}.{code}"
            if want is None:
                if amount is not None:
                    failures.append(expected_got(label, Said(N_("no line")), money(amount), reason))
                continue
            wrong = compare(label, want.amount, amount, reason, money)
            failures += wrong
            if not wrong and want.reason is not None and amount is not None and want.reason != reason:
                failures.append(Said(N_("{label}: expected the reason '{want}', got '{got}'"), label=label,
                                     want=want.reason, got=reason))
    return failures
