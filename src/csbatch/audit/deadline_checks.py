"""Deadline checks (docs/policy.md#deadlines): every rule of `config/deadlines.yaml` through one mechanism.

A rule says what evidence proves an item done (`evidence`: a sheet, optionally rows of one
`kind`, and its timestamp column), when the item is due (`due`, computed by
`csbatch.rules.due_dates.due_at`) and which items are expected (`expected.each`):

* `row` — one item per evidence row (each complaint, each service order). The due time counts
  from the row's `evidence.start` (e.g. received_at) or its `evidence.reference` day; a due time
  agreed on the row (`evidence.agreed`, a complaint's 协商确定最终期限) replaces the rule's.
* `employee_month` — one item per employee of the month whose role is in `expected.roles` or
  whose role's scorecard is in `expected.scorecards`, referring to the period (an `after` due
  form counts from the end of the period). The evidence is that employee's row for the period
  (the `evidence.reference` column, else `period`); the first if there are several.
* `employee_day` — one item per such employee per workday of the policy calendar (make-up
  workdays included) on which the employee was employed and not on leave the whole day; the
  evidence is the earliest of the employee's rows for that day.
* `employee_week` — one item per such employee per week (Monday–Sunday) whose due time falls
  inside the period, so every week is judged in exactly one month (an `after` due form counts
  from the end of the week); weeks the employee was not employed at all are not expected. The
  evidence is the earliest of the employee's rows whose reference day falls in the week.

An item is judged at its due time, never by the wall clock, so the same inputs always give the
same table: done by the due minute → on_time, after it → late; nothing done → "open" for a rule
that counts from a start (a complaint may still be resolved), "missing" for a submission.
Nothing here names a rule: a new rule in the YAML is checked without a line of code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from csbatch.audit.kit import Month, People, Sheets, frame_of, instants, records, text, timestamp
from csbatch.audit.report import DEADLINE_COLUMNS
from csbatch.blanks import is_blank
from csbatch.errors import Issue, Source
from csbatch.i18n import N_, Listed, Named, Said
from csbatch.policy import Policy
from csbatch.policy.deadlines import DeadlineRule, DueAfter
from csbatch.rules.due_calendars import Calendars, agreed_due
from csbatch.rules.due_dates import status

#: The deadlines frame: the contract's columns, then the extras for reading (`key`: the evidence
#: row's key, e.g. the complaint id, when the rule names one).
DEADLINE_FRAME_COLUMNS: tuple[str, ...] = (*DEADLINE_COLUMNS, "rule_name", "employee_name", "due_kind", "key",
                                           "score", "passed")


@dataclass(slots=True)
class Item:
    """One expected item, as judged. Slotted, not frozen: a 1M-order month has a few hundred
    thousand, and a frozen dataclass's `__init__` (an `object.__setattr__` per field) costs three
    times a plain one's; nothing assigns to one after it is made."""

    rule: str
    employee_id: str | None
    reference: str
    due: pd.Timestamp
    done: pd.Timestamp | None
    key: str | None
    excused: bool = False            # absent, with a reason (evidence.excuse)
    score: Decimal | None = None     # the test score (evidence.score)


@dataclass
class _Context:
    code: str
    rule: DeadlineRule
    evidence: pd.DataFrame
    month: Month
    people: People
    calendars: Calendars
    policy: Policy
    issues: list[Issue]


def judge(rule: DeadlineRule, due: pd.Timestamp, done: pd.Timestamp | None, excused: bool = False) -> str:
    """on_time / late, or — nothing done by the due time — open (counted from a start: it may yet
    be resolved), excused (absent with a reason) or missing (a submission)."""
    outcome = status(due, done, as_of=due)
    if outcome == "open" and rule.evidence.start is None:
        return "excused" if excused else "missing"
    return outcome


def _evidence(inputs: Sheets, rule: DeadlineRule, policy: Policy) -> pd.DataFrame | None:
    """The rule's evidence rows (of its kind); None when the inputs hold none (no such sheet, or
    no row of its kind) and the rule is judged only when they do (`expected.if_supplied`)."""
    frame = frame_of(inputs, rule.evidence.sheet, policy)
    if rule.evidence.kind is not None and "kind" in frame.columns:
        frame = frame.loc[frame["kind"].astype(object) == rule.evidence.kind]
    if rule.expected.if_supplied and frame.empty:
        return None
    return frame


#: the columns every rule reads from an evidence row besides the ones it names
_ROW_COLUMNS = ("employee_id", "period", "_file", "_sheet", "_row")


def _records(c: _Context) -> list[dict[str, Any]]:
    """The evidence rows as dicts of only the columns the rule reads (`row.get` of any other is
    None either way): a sheet's other columns are not boxed cell by cell."""
    ev = c.rule.evidence
    read = {*_ROW_COLUMNS, ev.done, ev.start, ev.reference, ev.key, ev.agreed, ev.attended, ev.excuse, ev.score}
    return records(c.evidence[[col for col in c.evidence.columns if col in read]])


def _attended(c: _Context, row: dict) -> bool:
    """A row is evidence unless the rule reads attendance and the row says the person was absent."""
    column = c.rule.evidence.attended
    return column is None or is_blank(row.get(column)) or bool(row.get(column))


def _excused(c: _Context, rows: list[dict]) -> bool:
    """Any of the rows an absence with a reason."""
    column = c.rule.evidence.excuse
    return column is not None and any(not _attended(c, r) and text(r.get(column)) for r in rows)


def _done_and_score(c: _Context, rows: list[dict]) -> tuple[pd.Timestamp | None, Decimal | None]:
    """The earliest time among the rows the person attended, and that row's score."""
    ev = c.rule.evidence
    best: tuple[pd.Timestamp, Any] | None = None
    for row in rows:
        done = timestamp(row.get(ev.done)) if _attended(c, row) else None
        if done is not None and (best is None or done < best[0]):
            best = (done, row.get(ev.score) if ev.score else None)
    if best is None:
        return None, None
    return best[0], None if is_blank(best[1]) else Decimal(str(best[1]))


def _day_text(value: Any) -> str:
    return pd.Timestamp(value).date().isoformat()


def _month_of(value: Any) -> str | None:
    """A month cell ('2026-10') or a date's month as 'YYYY-MM'."""
    if is_blank(value):
        return None
    if isinstance(value, str):
        return value[:7]
    return pd.Timestamp(value).strftime("%Y-%m")


def _after_dues(c: _Context) -> list[Any] | None:
    """Each evidence row's due time by the rule (`calendars.due` of its start), for the whole
    column at once where the rule counts calendar days from a datetime column: start + N days,
    what `due_at` adds to each (16,000 complaints: a Timestamp plus a timedelta is ~3 µs each).
    None where each row asks `calendars.due` itself (workdays, another form, no such column, no
    calendar, an instant N days cannot be added to). Calendar days need no calendar, yet
    `Calendars.due` says None without one: asked once, for the first start. A blank start's
    entry is NaT: such a row is not judged."""
    due, start = c.rule.due, c.rule.evidence.start
    if not isinstance(due, DueAfter) or due.counting == "workdays" or not start or start not in c.evidence.columns:
        return None
    column = c.evidence[start]
    if not (isinstance(column.dtype, np.dtype) and column.dtype.kind == "M") or not column.notna().any():
        return None
    first = timestamp(column[column.notna()].iloc[0])
    if c.calendars.due(due, period=c.month.period, start=first, reference=first) is None:
        return None
    try:
        later = column + pd.Timedelta(days=due.days)
    except (OverflowError, ValueError):     # out of bounds: each row says so as it always has
        return None
    return instants(later)


def _each_row(c: _Context) -> Iterator[Item]:
    ev = c.rule.evidence
    dues = _after_dues(c)
    for k, row in enumerate(_records(c)):
        start = timestamp(row.get(ev.start)) if ev.start else None
        reference = timestamp(row.get(ev.reference)) if ev.reference else None
        if (ev.start and start is None) or (ev.reference and reference is None):
            column = ev.start if ev.start and start is None else ev.reference
            c.issues.append(Issue.of(Source.of_row(row), "deadlines.no_anchor",   # a record
                                     N_("{rule}: column '{column}' is blank, so the row's due time is unknown; "
                                        "it is not judged"), rule=c.rule.name, column=column))
            continue
        due = agreed_due(c.rule, row) or (
            dues[k] if dues is not None else
            c.calendars.due(c.rule.due, period=c.month.period, start=start,
                            reference=reference if reference is not None else start))
        if due is None:
            continue
        anchor = reference if reference is not None else start
        yield Item(c.code, text(row.get("employee_id")),
                   _day_text(anchor) if anchor is not None else c.month.period,
                   pd.Timestamp(due), timestamp(row.get(ev.done)),
                   text(row.get(ev.key)) if ev.key else None)


def _expected(c: _Context) -> list[str]:
    e = c.rule.expected
    return c.people.of_month(c.policy, e.roles, e.scorecards, e.team_lead)


def _not_expected(c: _Context, rows: list[dict], expected: set[str], what: str) -> None:
    """`what`: the month (`2026-10`), or `Said` for a week judged in it."""
    for row in rows:
        emp = text(row.get("employee_id"))
        if emp not in expected:
            c.issues.append(Issue.warn(Source.of_row(row), "deadlines.not_expected",
                                       N_("{rule} of {employee} for {what}: {employee} is not expected to hand "
                                          "one in (role or scorecard not listed in the rule); not judged"),
                                       rule=c.rule.name, employee=emp, what=what))


def _each_employee_month(c: _Context) -> Iterator[Item]:
    ev = c.rule.evidence
    column = ev.reference or "period"
    rows = [r for r in _records(c) if _month_of(r.get(column)) == c.month.period]
    due = c.calendars.due(c.rule.due, period=c.month.period, reference=c.month.first,
                          start=c.month.end.to_pydatetime())
    expected = _expected(c)
    _not_expected(c, rows, set(expected), c.month.period)
    if due is None:
        return
    of: dict[str | None, list[dict]] = {}
    for r in rows:
        of.setdefault(text(r.get("employee_id")), []).append(r)
    for emp in expected:
        mine = of.get(emp, [])
        done = timestamp(mine[0].get(ev.done)) if mine and _attended(c, mine[0]) else None
        yield Item(c.code, emp, c.month.period, pd.Timestamp(due), done, None, _excused(c, mine[:1]))


def _weeks(c: _Context) -> list[tuple[dt.date, pd.Timestamp]]:
    """(Monday, due) of every week whose due time falls inside the period."""
    monday = c.month.first - dt.timedelta(days=c.month.first.weekday()) - dt.timedelta(weeks=5)
    out = []
    while monday <= c.month.last:
        due = c.calendars.due(c.rule.due, period=c.month.period, reference=monday,
                              start=dt.datetime.combine(monday + dt.timedelta(weeks=1), dt.time()))
        if due is not None and c.month.holds(due):
            out.append((monday, pd.Timestamp(due)))
        monday += dt.timedelta(weeks=1)
    return out


def _each_employee_week(c: _Context) -> Iterator[Item]:
    ev = c.rule.evidence
    column = ev.reference or ev.start
    weeks = _weeks(c)
    expected = _expected(c)
    mondays = {monday for monday, _ in weeks}
    rows = []
    of: dict[tuple[str | None, dt.date], list[dict]] = {}   # (employee, Monday) → rows, in sheet order
    for row in _records(c):
        day = timestamp(row.get(column)) if column else None
        if day is not None:
            week = day.date() - dt.timedelta(days=day.weekday())
            if week in mondays:
                rows.append(row)
                of.setdefault((text(row.get("employee_id")), week), []).append(row)
    _not_expected(c, rows, set(expected), Said(N_("a week judged in {period}"), period=c.month.period))
    for emp in expected:
        for monday, due in weeks:
            if not c.people.works_during(emp, monday, monday + dt.timedelta(days=6)):
                continue
            mine = of.get((emp, monday), [])
            done, score = _done_and_score(c, mine)
            yield Item(c.code, emp, monday.isoformat(), due, done, None, _excused(c, mine), score)


def _each_employee_day(c: _Context) -> Iterator[Item]:
    """One item per expected employee and workday of the policy calendar in the period (make-up
    workdays included, holidays and rest days not), on the days the employee was employed and not
    on leave the whole day."""
    ev = c.rule.evidence
    column = ev.reference or ev.start
    days = c.calendars.workdays(c.month.first, c.month.last)
    expected = _expected(c)
    rows: dict[tuple[str | None, dt.date], list[dict]] = {}
    month_rows = []
    for row in _records(c):
        covered = timestamp(row.get(column)) if column else None
        if covered is not None and c.month.holds(covered):
            rows.setdefault((text(row.get("employee_id")), covered.date()), []).append(row)
            month_rows.append(row)
    _not_expected(c, month_rows, set(expected), c.month.period)
    # a day's due time is everyone's: computed once per day (when first needed), not once per
    # employee and day
    dues: dict[dt.date, tuple[str, pd.Timestamp] | None] = {}
    for emp in expected:
        for day in days or ():
            if not c.people.works_during(emp, day, day) or (emp, day) in c.people.on_leave:
                continue
            if day not in dues:
                due = c.calendars.due(c.rule.due, period=c.month.period, reference=day,
                                      start=dt.datetime.combine(day, dt.time()))
                dues[day] = None if due is None else (day.isoformat(), pd.Timestamp(due))
            if (judged := dues[day]) is None:
                continue
            reference, due_at = judged
            mine = rows.get((emp, day))
            if mine is None:        # no row that day: nothing done, nothing excused
                yield Item(c.code, emp, reference, due_at, None, None, False, None)
                continue
            done, score = _done_and_score(c, mine)
            yield Item(c.code, emp, reference, due_at, done, None, _excused(c, mine), score)


_EACH: dict[str, Callable[[_Context], Iterator[Item]]] = {
    "row": _each_row,
    "employee_month": _each_employee_month,
    "employee_week": _each_employee_week,
    "employee_day": _each_employee_day,
}


def _passed(rule: DeadlineRule, score: Decimal | None) -> bool | None:
    """Whether a test score reaches the rule's pass mark; None without a score or a pass mark."""
    if score is None or rule.pass_mark is None:
        return None
    return score >= rule.pass_mark


def check_deadlines(month: Month, policy: Policy, inputs: Sheets, people: People,
                    calendars: Calendars) -> tuple[pd.DataFrame, list[Issue]]:
    """Every expected item of every deadline rule, judged; sorted by rule (policy order),
    employee_id, reference."""
    issues: list[Issue] = []
    items: list[tuple[int, Item, DeadlineRule]] = []
    unsupplied: list[tuple[str, DeadlineRule]] = []
    for order, (code, rule) in enumerate(policy.deadlines.items()):
        evidence = _evidence(inputs, rule, policy)
        if evidence is None:
            unsupplied.append((code, rule))
            continue
        context = _Context(code, rule, evidence, month, people, calendars, policy, issues)
        items.extend((order, item, rule) for item in _EACH[rule.expected.each](context))
    if unsupplied:
        issues.append(Issue.warn(unsupplied[0][1].place, "deadlines.no_evidence",
                                 N_("no evidence sheet supplied for {rules}: not judged this month, nobody is "
                                    "listed missing"),
                                 rules=Listed(Named(code, rule.name) for code, rule in unsupplied)))
    items.sort(key=lambda t: (t[0], t[1].employee_id is None, t[1].employee_id or "",
                              t[1].reference, t[1].due, t[1].key or ""))
    # the frame built column by column (no dict per item); a rule's fixed words looked up once
    columns: dict[str, list[Any]] = {name: [] for name in DEADLINE_FRAME_COLUMNS}
    put = {name: columns[name].append for name in DEADLINE_FRAME_COLUMNS}
    names = people.name
    for _, item, rule in items:
        put["rule"](item.rule)
        put["employee_id"](item.employee_id)
        put["reference"](item.reference)
        put["due_at"](item.due)
        put["submitted_at"](item.done)
        put["rule_name"](rule.name)
        put["employee_name"](names(item.employee_id))
        put["due_kind"](rule.due.kind)
        put["key"](item.key)
        put["score"](item.score)
        put["passed"](_passed(rule, item.score))
    due_nanos, done_nanos = _nanos(columns["due_at"]), _nanos(columns["submitted_at"])
    columns["status"] = _statuses(items, due_nanos, done_nanos)
    frame = pd.DataFrame({
        name: instant_column(columns[name], due_nanos if name == "due_at" else done_nanos)
        if name in ("due_at", "submitted_at") else
        pd.Series(columns[name], dtype=object) for name in DEADLINE_FRAME_COLUMNS})
    return frame, issues


def _statuses(items: list[tuple[int, Item, DeadlineRule]], due: np.ndarray | None,
              done: np.ndarray | None) -> list[str]:
    """`judge(rule, item.due, item.done, item.excused)` of each item, for all at once from the
    instants' nanoseconds where every due and done time is a Timestamp without a time zone (or
    done None), what `status` compares by whole minutes (`_minutes`: nanoseconds floor-divided):
    done by the due minute on_time, after it late; nothing done is "open" at the due time itself,
    so open for a rule counted from a start, else excused or missing. A call per item (70,000 at
    1M orders) cost a tenth of a second. Anything else is judged item by item, as it was."""
    if due is None or done is None or bool((due == _NAT).any()):
        return [judge(rule, item.due, item.done, item.excused) for _, item, rule in items]
    n = len(items)
    handed = done != _NAT
    in_time = done // _NS_PER_MINUTE <= due // _NS_PER_MINUTE
    started = np.fromiter((rule.evidence.start is not None for _, _, rule in items), dtype=bool, count=n)
    excused = np.fromiter((bool(item.excused) for _, item, _ in items), dtype=bool, count=n)
    codes = np.where(handed, np.where(in_time, 0, 1), np.where(started, 2, np.where(excused, 3, 4)))
    words = ["on_time", "late", "open", "excused", "missing"]
    return [words[k] for k in codes.tolist()]


_NAT = np.iinfo(np.int64).min       # NaT's int64
_NS_PER_MINUTE = 60_000_000_000


def _nanos(values: list[Any]) -> np.ndarray | None:
    """The nanoseconds (`Timestamp.value`, NaT's for None) of Timestamps without a time zone and
    Nones; None for anything else, or an instant nanoseconds cannot hold."""
    if set(map(type, values)) <= {pd.Timestamp, type(None)} and \
            not any(v.tzinfo is not None for v in values if v is not None):
        try:
            return np.fromiter((_NAT if v is None else v.value for v in values), dtype=np.int64, count=len(values))
        except OverflowError:
            pass
    return None


def instant_column(values: list[Any], nanos: np.ndarray | None = None) -> pd.Series:
    """`pd.Series(values, dtype="datetime64[ns]")` of Timestamps without a time zone and Nones,
    from their nanoseconds (`Timestamp.value`) in one array: pandas converts such a list object by
    object (a tenth of a second at 70,000 items). Anything else, or an instant nanoseconds cannot
    hold, goes the way it went. `nanos`: `_nanos(values)` when the caller has them."""
    if nanos is None:
        nanos = _nanos(values)
    if nanos is not None:
        return pd.Series(nanos.view("datetime64[ns]"))
    return pd.Series(values, dtype="datetime64[ns]")


#: The statuses an item can end in, in the order the per-person summary counts them.
STATUSES: tuple[str, ...] = ("on_time", "late", "missing", "excused", "open")
#: The per-person summary's columns (`by_person`).
BY_PERSON_COLUMNS: tuple[str, ...] = ("employee_id", "name", "rule", "rule_name", *STATUSES, "items")


def by_person(deadlines: pd.DataFrame) -> pd.DataFrame:
    """Per employee and rule, how many of the month's expected items ended in each status, and in
    all — the deadlines frame counted, not a second judgement. People in employee-ID order, each
    person's rules in policy order (the frame's); items nobody is expected to hand in (a rule over
    rows without an employee) are left out."""
    def column(name: str, fallback: str) -> list[Any]:
        return list(deadlines[name] if name in deadlines.columns else deadlines[fallback])

    order: dict[str, int] = {}
    counts: dict[tuple[str, str], dict[str, Any]] = {}
    for rule, rule_name, emp, name, state in zip(deadlines["rule"], column("rule_name", "rule"),
                                                  deadlines["employee_id"], column("employee_name", "employee_id"),
                                                  deadlines["status"]):
        if is_blank(emp) or (emp := str(emp)) == "":
            continue
        order.setdefault(rule, len(order))
        row = counts.get((emp, rule))
        if row is None:     # a row's dict made for its first item only, not for every item
            row = counts[emp, rule] = dict(employee_id=emp, name=name, rule=rule, rule_name=rule_name,
                                           **dict.fromkeys(STATUSES, 0), items=0)
        row["items"] += 1
        if state in STATUSES:
            row[state] += 1
    rows = sorted(counts.values(), key=lambda r: (r["employee_id"], order[r["rule"]]))
    return pd.DataFrame(rows, columns=list(BY_PERSON_COLUMNS))
