"""`run_audit`: the audit stage of the close (docs/policy.md#deadlines, #questionnaire) — every
check of the month into one `AuditReport`.

Each check lives in its own module and reads only the policy and the month's inputs:
`deadlines` (every rule of deadlines.yaml, one mechanism), `complaints` (SLA and categories),
`exceptions` (special-price refunds), `callbacks`, `qa` (agents, teams, heatmap, taboos,
auditors) and `figures` (the headline numbers). Problems come back as issues, never raised; the
same inputs always give the same report (items are judged at their due time, not by the clock).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from csbatch.attendance import AttendanceResult
from csbatch.audit.callbacks import check_callbacks
from csbatch.audit.complaints import check_complaints, missing_stages
from csbatch.audit.deadline_checks import Calendars, check_deadlines
from csbatch.audit.exceptions import EXCEPTION_COLUMNS, special_price_refunds
from csbatch.audit.figures import headline_figures
from csbatch.audit.kit import Month, People, Sheets, frame_of
from csbatch.audit.qa import check_qa
from csbatch.audit.report import AuditReport
from csbatch.calendar import WorkCalendar
from csbatch.errors import Issue
from csbatch.policy import Policy
from csbatch.qa.questionnaire import AuditResult
from csbatch.sheets.period import counted

__all__ = ["Deadlines", "judge_deadlines", "run_audit"]


@dataclass
class Deadlines:
    """The month's deadlines judged once: the duty measures ([001] call log, service orders) read
    the outcomes before the audit stage reports them, with their problems, the people they were
    judged for and the calendars the judging widened."""

    outcomes: pd.DataFrame
    issues: list[Issue]
    people: People
    calendars: Calendars


def judge_deadlines(period: str, policy: Policy, inputs: Sheets, attendance: AttendanceResult,
                    calendar: WorkCalendar) -> Deadlines:
    """Every rule of deadlines.yaml over the month's inputs (`check_deadlines`)."""
    people = People.build(attendance.summary, frame_of(inputs, "roster", policy), attendance.days)
    calendars = Calendars(policy, calendar, period)
    outcomes, issues = check_deadlines(Month.of(period), policy, inputs, people, calendars)
    return Deadlines(outcomes, issues, people, calendars)


def run_audit(period: str, policy: Policy, inputs: Sheets, attendance: AttendanceResult, audits: AuditResult,
              calendar: WorkCalendar, judged: Deadlines | None = None) -> tuple[AuditReport, list[Issue]]:
    """The month's audit report and the problems found on the way.

    `inputs` is the close's `Inputs` (or any mapping of input kind → typed frame; a kind left
    out is an empty sheet), `attendance` its `AttendanceResult` (the summary names the employees
    of the month), `audits` the scored QA audits, `calendar` the work calendar of the period's
    year (widened here when a workday count runs into another year), `judged` the deadlines the
    close already judged for its measures (judged here when not given)."""
    month = Month.of(period)
    judged = judged or judge_deadlines(period, policy, inputs, attendance, calendar)
    people, calendars = judged.people, judged.calendars
    deadlines, issues = judged.outcomes, list(judged.issues)
    complaints, categories, found = check_complaints(month, policy, frame_of(inputs, "complaints", policy),
                                                     calendars)
    issues += found
    stages = missing_stages(policy, frame_of(inputs, "complaints", policy))
    exceptions = special_price_refunds(policy, frame_of(inputs, "sales", policy))
    register = frame_of(inputs, "callbacks", policy)
    callbacks, totals = check_callbacks(month, register, people,
                                        counted(register, policy.inputs.kinds.get("callbacks"), period))
    qa = check_qa(month, policy, frame_of(inputs, "audits", policy), audits, people)
    issues += calendars.issues

    report = AuditReport(
        period=period,
        deadlines=deadlines,
        complaints=complaints,
        complaint_categories=categories,
        complaint_stages=stages,
        exceptions=exceptions if exceptions is not None else pd.DataFrame(columns=list(EXCEPTION_COLUMNS)),
        callbacks=callbacks,
        qa_agents=qa.agents,
        qa_teams=qa.teams,
        qa_heatmap=qa.heatmap,
        taboos=qa.taboos,
        not_audited=qa.not_audited,
        auditors=qa.auditors,
        figures=headline_figures(deadlines, complaints, exceptions, totals, qa),
    )
    return report, issues
