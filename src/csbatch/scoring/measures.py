"""Measured values: the month's input sheets → one value per employee and name of
`csbatch.policy.vocabulary.MEASURES` (what scorecards and pay components are computed from).

    measure_all(period, policy, inputs, attendance, audits, explain_for=None, deadlines=None)
        -> (Measured, issues)

The population is the attendance summary: everyone employed on at least one day of the period,
in its order. Every value is a Decimal (counts too, so formulas mix freely), None where there is
nothing to measure (a rate without a denominator, a rating nobody gave), or text for
`self_evaluation`. Counts and sums are 0 when there are no rows. Two non-measure columns follow
the measures: `actual_sales` (the month's counted-status orders before the production-sheet
rules) and `counted_sales_rule` (why counted sales differ from them, "" when they do not).

The work is split by what the numbers come from: `measures_sales` (orders, production sheet,
contacts, supervisors' teams), `measures_service` (callbacks, complaints, customer records,
chat-log spot-checks, collaboration, reviews), `measures_conduct` (conduct log and clock),
`measures_duties` (dispatched tasks and deadline duties of the receptionist and on-site
specialist, from the month's deadline outcomes); `measures_kit` holds the shared tools.
Data problems the intake cannot see (a production row of another month, a supervisor_id naming
a non-supervisor, log rows dated outside the period) come back as warnings
with the row's place; nothing is raised for user data.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from csbatch.attendance import AttendanceResult
from csbatch.blanks import is_blank
from csbatch.errors import Issue
from csbatch.money import ZERO
from csbatch.policy import Policy
from csbatch.policy.vocabulary import MEASURES
from csbatch.qa.questionnaire import AuditResult
from csbatch.scoring.measures_conduct import conduct_measures
from csbatch.scoring.measures_duties import duty_measures
from csbatch.scoring.measures_kit import Context, Feeds, Period
from csbatch.scoring.measures_sales import contact_measures, sales_measures, team_measures
from csbatch.scoring.measures_service import (
    callback_measures,
    chat_check_measures,
    collaboration_measures,
    complaint_measures,
    customer_measures,
    review_measures,
)
from csbatch.sheets.intake import Inputs

#: Columns after the measures in `Measured.values` (not measures: no scorecard may name them).
EXTRA_COLUMNS: tuple[str, ...] = ("actual_sales", "counted_sales_rule")

#: Measures (and extra columns) that are 0 for an employee with no rows: counts and ¥ sums.
#: Every other measure is None when there is nothing to measure.
ZERO_WHEN_NO_ROWS = frozenset({
    "counted_sales", "actual_sales", "promo_sales", "callbacks_rated", "callbacks_satisfied",
    "callbacks_neutral", "callbacks_dissatisfied", "feedback_items", "service_complaints",
    "wrong_explanation_complaints", "unverifiable_wording_complaints", "complaint_penalty_points",
    "collaboration_incidents",
    "incomplete_customer_records", "customer_records", "complete_customer_records",
    "classified_customer_records", "conduct_points_lost", "accepted_invitations",
    "chat_checks", "chat_checks_failed", "dispatched_tasks", "dispatched_tasks_closed",
})

#: The steps in order; each returns {name: Series indexed by employee_id (a subset)}.
STEPS = (sales_measures, contact_measures, callback_measures, complaint_measures,
         customer_measures, chat_check_measures, collaboration_measures, conduct_measures, review_measures,
         duty_measures)


@dataclass(frozen=True)
class Measured:
    #: index employee_id (the attendance summary's employees, same order); one object column per
    #: name of MEASURES, then EXTRA_COLUMNS
    values: pd.DataFrame
    #: (employee_id, measure) → input places that fed it; only for `explain_for` employees
    sources: Mapping[tuple[str, str], Sequence[str]] = field(default_factory=dict)

    def of(self, employee_id: str) -> dict[str, Any]:
        """Every column of one employee (KeyError when not in the population)."""
        row = self.values.loc[employee_id]
        return {column: row[column] for column in self.values.columns}


def _people(policy: Policy, inputs: Inputs,
            attendance: AttendanceResult) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(facts, roster rows) of the population, both indexed by employee_id in summary order."""
    summary = attendance.summary
    ids = pd.Index(summary["employee_id"].astype(object), name="employee_id")
    roster = inputs["roster"].reset_index(drop=True).drop_duplicates("employee_id", keep="first")
    roster = roster.set_index("employee_id").reindex(ids)
    roles = roster["role"].astype(object)
    cards = [None if is_blank(r) or r not in policy.roles else policy.roles[r].scorecard
             for r in roles]
    workdays = summary["month_workdays"] if "month_workdays" in summary.columns else None
    people = pd.DataFrame({
        "role": roles.where(roles.notna(), None),
        "scorecard": pd.Series(cards, index=ids, dtype=object),
        "sales_target": roster["sales_target"].astype(object),
        "supervisor_id": roster["supervisor_id"].astype(object),
        "scheduled_days": summary["scheduled_days"].to_numpy(),
        "month_workdays": workdays.to_numpy() if workdays is not None else None,
    }, index=ids)
    people["supervisor_id"] = people["supervisor_id"].where(people["supervisor_id"].notna(), None)
    return people, roster


def _qa(ctx: Context, audits: AuditResult | None) -> dict[str, pd.Series]:
    if audits is None:
        return {"qa_mean_score": pd.Series([], dtype=object)}
    scores = audits.mean_score()
    rows = getattr(audits, "audits", None)
    if not isinstance(rows, pd.DataFrame) or not {"_file", "_row", "employee_id"} <= set(rows.columns):
        rows = ctx.frame("audits")
    ctx.feeds.add("qa_mean_score", rows[rows["employee_id"].isin(set(scores.index))])
    return {"qa_mean_score": pd.Series(scores, dtype=object)}


def _column(series: pd.Series | None, ids: pd.Index, fill) -> list:
    if series is None or series.empty:
        return [fill] * len(ids)
    cells = series[~series.index.duplicated()].reindex(ids).to_numpy(dtype=object, copy=True)
    cells[pd.isna(cells)] = fill          # `is_blank` of each cell, at once
    return cells.tolist()


def measure_all(period: str, policy: Policy, inputs: Inputs, attendance: AttendanceResult,
                audits: AuditResult | None,
                explain_for: Collection[str] | None = None,
                deadlines: pd.DataFrame | None = None) -> tuple[Measured, list[Issue]]:
    """Every measured value of every employee of `attendance.summary` for `period`.

    `inputs` follows the typed-table contract of `csbatch.sheets`; `audits` is the QA result
    (`mean_score()` → employee_id → Decimal) or None. `explain_for` names the employees whose
    input places are collected into `Measured.sources`. `deadlines` is the month's deadline
    outcomes (`csbatch.audit.deadline_checks.check_deadlines`) the duty measures count."""
    people, roster = _people(policy, inputs, attendance)
    ctx = Context(period=Period.of(period), policy=policy, inputs=inputs, attendance=attendance,
                  people=people, roster=roster, feeds=Feeds.for_(explain_for), deadlines=deadlines)
    parts: dict[str, pd.Series] = {}
    for step in STEPS:
        parts.update(step(ctx))
    parts.update(_qa(ctx, audits))
    parts.update(team_measures(ctx, parts))

    ids = people.index
    data = {}
    for name in (*MEASURES, *EXTRA_COLUMNS):
        fill = ZERO if name in ZERO_WHEN_NO_ROWS else "" if name == "counted_sales_rule" else None
        data[name] = _column(parts.get(name), ids, fill)
    values = pd.DataFrame(data, index=ids, dtype=object)
    return Measured(values=values, sources=ctx.feeds.result()), ctx.issues
