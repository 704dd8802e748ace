"""Golden cases of a deadline rule (config/deadlines.yaml): the evidence rows of a month (a
complaint received and resolved, a production sheet or a call log submitted at some time) and
the employees expected to hand something in → each expected item's due time and status
(on_time, late, missing or open), exactly as the close's audit judges them.

The case runs `check_deadlines`, the audit's own check, on the rows typed by the real coercer
(`csbatch.sheets.given`) and the case's employees: so a deadline day or time changed in the
policy moves the case's status, and the failure names it. An item is named in `expect` by its
key (a complaint id), or its employee, or `employee reference` when an employee has several
(a weekly rule: `R1 2026-10-05`, the Monday of the week).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field

from csbatch.audit.deadline_checks import Calendars, check_deadlines
from csbatch.audit.kit import Month, People
from csbatch.errors import Source
from csbatch.i18n import N_, Said
from csbatch.policy import Policy
from csbatch.policy.base import Code, Model, Text
from csbatch.policytest.kit import Row, compare, no_role
from csbatch.sheets.given import typed_rows


def _item(value):
    return value if isinstance(value, dict) else {"status": value}


class ItemExpect(Model):
    """One expected item: its status, and when given its due and submitted times (to the minute:
    `2026-11-02 18:00`; `none` for no submission). A bare word is the status."""

    status: Literal["on_time", "late", "missing", "open", "excused"] | None = None
    due_at: Text | None = None
    submitted_at: Text | None = None


class DeadlineCase(Model):
    name: Text
    deadline: Code
    period: Text = "2026-10"
    employees: dict[Text, Code] = {}
    team_leads: list[Text] = []
    hired: dict[Text, dt.date] = {}   # ID → hire date: not expected before it
    rows: list[Row] = []
    expect: dict[Text, Annotated[ItemExpect, BeforeValidator(_item)]] = Field(min_length=1)


def _minute(value) -> str | None:
    """A time as a case writes it, to the minute (deadlines are judged in whole minutes)."""
    if value is None or value != value:    # None or NaT
        return None
    return value.strftime("%Y-%m-%d %H:%M")


def _labels(items) -> list[tuple[str, ...]]:
    """Every name an item answers to: its key, its employee (when the only item of that
    employee), `employee reference`."""
    count: dict[str | None, int] = {}
    for emp in items["employee_id"]:
        count[emp] = count.get(emp, 0) + 1
    out = []
    for emp, ref, key in zip(items["employee_id"], items["reference"], items["key"]):
        names = [str(n) for n in (key, emp if count[emp] == 1 else None, f"{emp} {ref}" if emp else None) if n]
        out.append(tuple(names))
    return out


def run_deadline_case(case: DeadlineCase, policy: Policy) -> list[Said]:
    rule = policy.deadlines.get(case.deadline)
    if rule is None:
        return [Said(N_("deadline rule '{rule}' does not exist"), rule=case.deadline)]
    failures = [no_role(emp, role) for emp, role in case.employees.items() if role not in policy.roles]
    place = case.place or Source("tests")
    extra = {"kind": rule.evidence.kind} if rule.evidence.kind else {}
    rows = [{**extra, **row.cells()} for row in case.rows]
    frame, found = typed_rows(policy, rule.evidence.sheet, rows, case.period,
                              [row.where(place) for row in case.rows])
    failures += [i.line() for i in found]
    if failures:
        return failures
    emps = tuple(case.employees)
    hired: dict[str, tuple[dt.date | None, dt.date | None]] = {e: (d, None) for e, d in case.hired.items()}
    people = People(emps, {e: e for e in emps}, {}, dict(case.employees), hired, frozenset(case.team_leads))
    calendars = Calendars(policy, None, case.period)
    # the case's rule alone: the other rules' evidence is not in the case
    only = dataclasses.replace(policy, deadlines={case.deadline: rule})
    table, issues = check_deadlines(Month.of(case.period), only, {rule.evidence.sheet: frame}, people, calendars)
    failures += [i.line() for i in [*calendars.issues, *issues]]
    items = table[table["rule"] == case.deadline].reset_index(drop=True)
    labels = _labels(items)
    expected = case.expect
    seen: set[str] = set()
    for i, names in enumerate(labels):
        label = next((n for n in names if n in expected), None)
        if label is None:
            failures.append(Said(N_("{label}: expected no item, got {status} (due {due})"),
                                 label=names[-1] if names else Said(N_("item {n}"), n=i + 1),
                                 status=str(items.at[i, "status"]), due=_minute(items.at[i, "due_at"])))
            continue
        seen.add(label)
        for key, want in expected[label].model_dump(exclude_none=True).items():
            got = items.at[i, key]
            failures += compare(f"{label}.{key}", want, _minute(got) if key != "status" else got)
    failures += [Said(N_("{label}: expected an item, got none"), label=label)
                 for label in expected if label not in seen]
    return failures
