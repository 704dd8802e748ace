"""Duty measures of the receptionist and the on-site specialist ([001] 客服中心工作计划): tasks the
receptionist dispatched and whether they came back done and logged (收到接线员下发任务后按照时间和标准
完成,完成后报接线员登记), and the share of a deadline rule's items handed in on time (the weekly
call log, 每周一10:00提交上周接线记录; service orders archived in the week, 当周归档).

A dispatched task is a submissions row naming the receptionist in `dispatched_by`; it is closed
when its `submitted_at` is filled. The on-time shares count the close's own deadline outcomes
(`csbatch.audit.deadline_checks`, handed in as a frame so the judgement is made once, in one
place): on_time ÷ the employee's items of the rule that are judged (not still open). Without
the outcomes (a caller that does not pass them) the shares measure nothing.
"""

from __future__ import annotations

import pandas as pd

from csbatch.scoring.measures_kit import Context, count, ratio


def _on_time_share(ctx: Context, rule: str | None, measure: str) -> pd.Series:
    outcomes = ctx.deadlines
    if rule is None or outcomes is None or outcomes.empty:
        return pd.Series([], dtype=object)
    mine = outcomes[(outcomes["rule"] == rule) & outcomes["employee_id"].notna()
                    & (outcomes["status"] != "open")]
    on_time = mine[mine["status"] == "on_time"]
    evidence = ctx.policy.deadlines[rule].evidence
    rows = ctx.month_rows(evidence.sheet)
    if evidence.kind is not None:
        rows = rows[rows["kind"] == evidence.kind]
    ctx.feeds.add(measure, rows)
    return ratio(count(on_time["employee_id"]), count(mine["employee_id"]))


def duty_measures(ctx: Context) -> dict[str, pd.Series]:
    """dispatched_tasks, dispatched_tasks_closed, dispatched_task_closure_rate (by the receptionist
    in `dispatched_by`), received_task_closure_rate (by the employee who did the task),
    call_log_on_time_rate and service_order_on_time_rate (by the employee of the rule's items)."""
    rows = ctx.month_rows("submissions")
    tasks = rows[rows["dispatched_by"].notna()]
    closed = tasks[tasks["submitted_at"].notna()]
    ctx.feeds.add(["dispatched_tasks", "dispatched_task_closure_rate"], tasks, by="dispatched_by")
    ctx.feeds.add("dispatched_tasks_closed", closed, by="dispatched_by")
    ctx.feeds.add("received_task_closure_rate", tasks)
    duties = ctx.settings.duties
    return {
        "dispatched_tasks": count(tasks["dispatched_by"]),
        "dispatched_tasks_closed": count(closed["dispatched_by"]),
        "dispatched_task_closure_rate": ratio(count(closed["dispatched_by"]), count(tasks["dispatched_by"])),
        "received_task_closure_rate": ratio(count(closed["employee_id"]), count(tasks["employee_id"])),
        "call_log_on_time_rate": _on_time_share(ctx, duties.call_log_rule, "call_log_on_time_rate"),
        "service_order_on_time_rate": _on_time_share(ctx, duties.service_order_rule, "service_order_on_time_rate"),
    }
