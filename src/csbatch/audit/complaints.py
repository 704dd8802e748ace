"""Complaint SLA (docs/policy.md#complaints): every complaint of the month's register with its due time, how
long it was open and where it stands at month end; and the count per category.

The due time is the complaint deadline rule's (the rule whose evidence is the complaints sheet
and counts from a start, `complaint_resolution` by default), computed by the same `due_at` as
every deadline, so the SLA table and the deadlines table cannot disagree. At month end a
complaint is:

* on_time / late — resolved by / after its due minute;
* open_past_sla — not resolved and due at or before month end (a breach already);
* open_within_sla — not resolved and due after month end (may still be resolved on time).

days_open runs from intake to resolution, or to the end of the period (next month 00:00) for an
open complaint, in days with 2 places. The description is kept as the customer's words: text,
never markup (the HTML report escapes it).

A final deadline agreed with the customer (the rule's `evidence.agreed` column, 协商确定最终期限
[003]) replaces the rule's due time when recorded, here and in the deadlines table alike.

The stages of the complaint process [003] (customer signature, archived, product retrieved,
escalated, sales manager's review) are yes/no columns; a resolved complaint whose category
requires a stage (complaints.yaml) not recorded as done is listed. A stage column is judged only
in a month whose register records it (some cell filled): a register that does not keep a stage
(the column left out, or blank throughout) is not a register of missed stages.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from csbatch.audit.kit import Month, instants, records, table, text, timestamp
from csbatch.audit.report import COMPLAINT_COLUMNS, STAGE_COLUMNS
from csbatch.blanks import is_blank
from csbatch.errors import Issue, Source
from csbatch.i18n import N_
from csbatch.money import ZERO, half_up
from csbatch.policy import Policy
from csbatch.policy.catalogues import COMPLAINT_STAGES
from csbatch.policy.deadlines import DeadlineRule, DueAfter
from csbatch.rules.due_calendars import agreed_due, complaint_rule
from csbatch.rules.due_dates import status

COMPLAINT_FRAME_COLUMNS: tuple[str, ...] = (*COMPLAINT_COLUMNS, "customer_id", "order_id", "description",
                                            "category_name", "due_at")
CATEGORY_COLUMNS: tuple[str, ...] = ("category", "category_name", "complaints", "our_fault", "on_time", "late",
                                     "open_within_sla", "open_past_sla", "loss_amount")
SLA_STATUSES: tuple[str, ...] = ("on_time", "late", "open_within_sla", "open_past_sla")

_DAY_NS = Decimal(86_400 * 10**9)
_NO_TIME = pd.Timedelta(0)
_AT_MONTH_END = {"on_time": "on_time", "late": "late", "open": "open_within_sla", "missing": "open_past_sla"}


def _days(span: pd.Timedelta) -> Decimal:
    return half_up(Decimal(span.value) / _DAY_NS)


def _our_fault(value) -> bool:
    # the register's column defaults to 是 (inputs.yaml): a blank cell is our fault
    return True if is_blank(value) else bool(value)


def _rule_dues(rule: DeadlineRule | None, calendars, month: Month,
               complaints: pd.DataFrame) -> list[pd.Timestamp | None] | None:
    """Each row's due time by the rule (`calendars.due` of its received_at), for the whole column
    at once where the rule counts calendar days from a datetime column: received + N days, as
    `due_at` adds them to each (16,000 complaints: a Timestamp plus a timedelta is ~10 µs each).
    None where each row asks `calendars.due` itself (workdays, another form, no such column, an
    instant N days cannot be added to). Calendar days need no calendar, yet `Calendars.due` says
    None without one: asked once, for the first received instant."""
    column = complaints["received_at"] if "received_at" in complaints.columns else None
    if rule is None or not isinstance(rule.due, DueAfter) or rule.due.counting == "workdays" or column is None \
            or not (isinstance(column.dtype, np.dtype) and column.dtype.kind == "M") or not column.notna().any():
        return None
    first = timestamp(column[column.notna()].iloc[0])
    if calendars.due(rule.due, period=month.period, start=first, reference=first) is None:
        return [None] * len(complaints)
    try:
        later = column + pd.Timedelta(days=rule.due.days)
    except (OverflowError, ValueError):     # out of bounds: each row says so as it always has
        return None
    return instants(later)


def check_complaints(month: Month, policy: Policy, complaints: pd.DataFrame,
                     calendars) -> tuple[pd.DataFrame, pd.DataFrame, list[Issue]]:
    """(complaints frame, per-category frame, issues) for every row of the month's register,
    sorted by complaint_id."""
    issues: list[Issue] = []
    rule = complaint_rule(policy)
    categories = policy.complaints.categories
    entries = []
    dues = _rule_dues(rule, calendars, month, complaints)
    for k, row in enumerate(records(complaints)):
        received, resolved = timestamp(row.get("received_at")), timestamp(row.get("resolved_at"))
        due = sla = days = None
        if received is not None:
            if rule is not None:
                found = agreed_due(rule, row) or (
                    dues[k] if dues is not None else
                    calendars.due(rule.due, period=month.period, start=received, reference=received))
                due = pd.Timestamp(found) if found is not None else None
            if due is not None:
                sla = _AT_MONTH_END[status(due, resolved, as_of=month.end)]
            span = (resolved if resolved is not None else month.end) - received
            if span < _NO_TIME:
                issues.append(Issue.warn(Source.of_row(row),   # a record of the frame
                                         "complaints.resolved_before_received",
                                         N_("complaint {complaint} is resolved before it was received (or "
                                            "received after the period): check the times"),
                                         complaint=text(row.get("complaint_id"))))
            days = _days(span)
        loss: Any = row.get("loss_amount")      # a cell: blank or a number
        category = text(row.get("category"))
        entries.append({
            "complaint_id": text(row.get("complaint_id")),
            "employee_id": text(row.get("employee_id")),
            "category": category,
            "our_fault": _our_fault(row.get("our_fault")),
            "received_at": received,
            "resolved_at": resolved,
            "days_open": days,
            "sla_status": sla,
            "satisfied": None if is_blank(row.get("satisfied")) else bool(row.get("satisfied")),
            "loss_amount": None if is_blank(loss) else half_up(Decimal(loss)),
            "customer_id": text(row.get("customer_id")),
            "order_id": text(row.get("order_id")),
            "description": None if is_blank(row.get("description")) else str(row.get("description")),
            "category_name": categories[category].name if category in categories else None,
            "due_at": due,
        })
    entries.sort(key=lambda r: (r["complaint_id"] or "", r["received_at"] or pd.Timestamp.min))
    frame = pd.DataFrame({
        name: pd.Series([r[name] for r in entries],
                        dtype="datetime64[ns]" if name in ("received_at", "resolved_at", "due_at") else object)
        for name in COMPLAINT_FRAME_COLUMNS})
    return frame, _by_category(frame, categories), issues


def missing_stages(policy: Policy, complaints: pd.DataFrame) -> pd.DataFrame:
    """One row per resolved complaint of the register lacking a stage its category requires
    (STAGE_COLUMNS; `missing` the stage codes, space-separated, in process order), by complaint_id.
    Only the stages the register records this month are judged (module docstring)."""
    kept = [s for s in COMPLAINT_STAGES if s in complaints.columns and not complaints[s].isna().all()]
    categories = policy.complaints.categories
    rows = []
    # records of only the columns read here: boxing the register's other columns (its dates, its
    # description) cell by cell cost more than the check; a column left out is None to `row.get`
    read = {"complaint_id", "employee_id", "category", "resolved_at", *kept}
    for row in records(complaints[[c for c in complaints.columns if c in read]]):
        category = categories.get(text(row.get("category")) or "")
        if category is None or timestamp(row.get("resolved_at")) is None:
            continue
        missing = [s for s in COMPLAINT_STAGES if s in category.stages and s in kept
                   and (is_blank(row.get(s)) or not bool(row.get(s)))]
        if missing:
            rows.append({"complaint_id": text(row.get("complaint_id")), "employee_id": text(row.get("employee_id")),
                         "category": text(row.get("category")), "category_name": category.name,
                         "resolved_at": timestamp(row.get("resolved_at")), "missing": " ".join(missing)})
    rows.sort(key=lambda r: r["complaint_id"] or "")
    frame = table(rows, list(STAGE_COLUMNS), ())
    frame["resolved_at"] = pd.Series([r["resolved_at"] for r in rows], dtype="datetime64[ns]")
    return frame


def _by_category(frame: pd.DataFrame, categories) -> pd.DataFrame:
    """One row per category of the policy, in policy order (zeros included, so months compare)."""
    rows = []
    for code, category in categories.items():
        mine = frame.loc[frame["category"] == code]
        statuses = mine["sla_status"].tolist()
        rows.append({
            "category": code,
            "category_name": category.name,
            "complaints": len(mine),
            "our_fault": int(sum(bool(v) for v in mine["our_fault"])),
            **{s: statuses.count(s) for s in SLA_STATUSES},
            "loss_amount": half_up(sum((v for v in mine["loss_amount"] if not is_blank(v)), ZERO)),
        })
    return table(rows, list(CATEGORY_COLUMNS), CATEGORY_COLUMNS[2:-1])
