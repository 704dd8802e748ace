"""The audit stage (docs/policy.md#deadlines, #questionnaire): deadlines through one mechanism at
their boundaries, complaint SLA at month end, callbacks, QA summaries and the exceptions — on
small typed frames, exact values; and the sample month end to end.

October 2026: National Day Oct 1–7 (make-up workday Sat Oct 10), schedule Monday–Saturday.
Weeks whose Monday-10:00 call-log deadline falls in October start Sep 28, Oct 5, 12 and 19.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from builders import typed_frame
from csbatch.attendance import AttendanceResult
from csbatch.audit.report import COMPLAINT_COLUMNS, DEADLINE_COLUMNS, FIGURES
from csbatch.audit.run import run_audit
from csbatch.calendar import WorkCalendar
from csbatch.policy.worktime import YearDays
from csbatch.qa.questionnaire import score_audits

D = Decimal
ROOT = Path(__file__).resolve().parents[1]

#: employee_id, name, role, team
PEOPLE = [
    ("1001", "张三", "ecommerce_cs", "一组"),
    ("1002", "李四", "ecommerce_cs", "一组"),
    ("1003", "王五", "ecommerce_cs", "二组"),
    ("1004", "赵六", "ecommerce_cs", "二组"),
    ("1005", "钱七", "comprehensive_cs", "二组"),
    ("1010", "严娟", "receptionist", "三组"),
    ("1012", "薛振佳", "after_sales", "三组"),
]
POSITIVE = ["ENV-1", "ENV-2", "PRN-1", "PRN-2", "PRN-3", "PRN-4",
            "PRO-1", "PRO-2", "PRO-3", "PRO-4", "PRO-5", "PRO-6"]
TABOOS = [f"TAB-{i}" for i in range(1, 11)]


def marks(**changes) -> dict:
    """Full marks (5 on every positive item, no violation) with `changes` (ENV_2=0 for ENV-2)."""
    out = {code: D(5) for code in POSITIVE} | {code: D(0) for code in TABOOS}
    return out | {key.replace("_", "-"): value for key, value in changes.items()}


def audit_month(policy, period: str = "2026-10", *, hired: dict[str, str] | None = None,
                audits: list[dict] | None = None, **sheets):
    """run_audit over typed frames: `sheets` is kind → rows; `audits` rows carry their marks."""
    hired = hired or {}
    roster = typed_frame(policy, "roster", [
        {"employee_id": e, "name": n, "role": r, "team": t, "hire_date": hired.get(e, "2024-01-01")}
        for e, n, r, t in PEOPLE])
    summary = pd.DataFrame([{"employee_id": e, "name": n, "role": r} for e, n, r, _ in PEOPLE])
    attendance = AttendanceResult(summary=summary, days=pd.DataFrame())
    inputs = {kind: typed_frame(policy, kind, rows) for kind, rows in sheets.items()}
    inputs["roster"] = roster
    audit_rows = audits or []
    sheet = typed_frame(policy, "audits", [{k: v for k, v in a.items() if k != "marks"} for a in audit_rows])
    for code in POSITIVE + TABOOS:
        sheet[code] = pd.Series([a["marks"][code] for a in audit_rows], dtype=object)
    inputs["audits"] = sheet
    result, issues = score_audits(sheet, policy.questionnaire, period)
    assert issues == []
    calendar, issues = WorkCalendar.build(policy.calendar, policy.schedule, {int(period[:4])})
    assert issues == []
    return run_audit(period, policy, inputs, attendance, result, calendar)


def at(text: str) -> pd.Timestamp:
    return pd.Timestamp(text)


def rows(frame: pd.DataFrame, *columns: str) -> list[tuple]:
    """The frame's `columns` as tuples; timestamps as 'YYYY-MM-DD HH:MM', blanks as None."""
    def cell(v):
        if v is None or v is pd.NaT or (isinstance(v, float) and v != v):
            return None
        if isinstance(v, pd.Timestamp):
            return v.strftime("%Y-%m-%d %H:%M")
        return v
    return [tuple(cell(v) for v in row) for row in frame[list(columns)].itertuples(index=False)]


def of_rule(report, rule: str) -> pd.DataFrame:
    return report.deadlines.loc[report.deadlines["rule"] == rule]


def errors(issues) -> list[str]:
    return [str(i) for i in issues if i.is_error]


# ---------------------------------------------------------------------------------------------
# production sheet: each ecommerce employee of the month, due Nov 2 18:00


def test_production_sheet_on_time_at_the_due_minute_late_a_minute_after_and_missing(policy):
    report, issues = audit_month(policy, production=[
        {"employee_id": "1001", "period": "2026-10", "reported_sales": "8000", "submitted_at": "2026-11-02 18:00"},
        {"employee_id": "1002", "period": "2026-10", "reported_sales": "8000", "submitted_at": "2026-11-02 18:01"},
        {"employee_id": "1003", "period": "2026-09", "reported_sales": "8000", "submitted_at": "2026-10-02 10:00"},
        {"employee_id": "1005", "period": "2026-10", "reported_sales": "9000", "submitted_at": "2026-11-01 10:00"},
    ])
    due = "2026-11-02 18:00"
    assert rows(of_rule(report, "production_sheet"), *DEADLINE_COLUMNS) == [
        ("production_sheet", "1001", "2026-10", due, "2026-11-02 18:00", "on_time"),
        ("production_sheet", "1002", "2026-10", due, "2026-11-02 18:01", "late"),
        ("production_sheet", "1003", "2026-10", due, None, "missing"),     # only September's sheet
        ("production_sheet", "1004", "2026-10", due, None, "missing"),
    ]
    assert rows(of_rule(report, "production_sheet").head(1), "rule_name", "employee_name", "due_kind") == [
        ("产量表", "张三", "next_month")]
    # 1005 is comprehensive_cs, not on the ecommerce scorecard: reported, not judged; the recurring
    # duties without evidence this month: one warning
    assert [(i.code, i.severity) for i in issues] == [("deadlines.not_expected", "warning"),
                                                      ("deadlines.no_evidence", "warning")]
    assert "1005" in issues[0].message


def test_deadlines_frame_columns_and_order(policy):
    report, _ = audit_month(policy)
    assert list(report.deadlines.columns) == [*DEADLINE_COLUMNS, "rule_name", "employee_name", "due_kind", "key",
                                              "score", "passed"]
    assert str(report.deadlines["due_at"].dtype) == "datetime64[ns]"
    # with no evidence at all: the production sheets and call logs are missing, in policy order
    assert report.deadlines["rule"].unique().tolist() == ["production_sheet", "call_log"]


# ---------------------------------------------------------------------------------------------
# complaints: 72 hours, calendar or workdays


def complaint(cid: str, received: str, resolved: str | None = None, **more) -> dict:
    return {"complaint_id": cid, "received_at": received, "resolved_at": resolved, "employee_id": "1001",
            "category": "service", "our_fault": True, **more}


def test_complaint_resolved_at_3_days_0_minutes_is_on_time_3_days_1_minute_late(policy):
    report, issues = audit_month(policy, complaints=[
        complaint("TS1", "2026-10-12 11:54", "2026-10-15 11:54"),
        complaint("TS2", "2026-10-12 11:54", "2026-10-15 11:55"),
    ])
    assert errors(issues) == []
    assert rows(of_rule(report, "complaint_resolution"), *DEADLINE_COLUMNS, "key") == [
        ("complaint_resolution", "1001", "2026-10-12", "2026-10-15 11:54", "2026-10-15 11:54", "on_time", "TS1"),
        ("complaint_resolution", "1001", "2026-10-12", "2026-10-15 11:54", "2026-10-15 11:55", "late", "TS2"),
    ]
    assert rows(report.complaints, "complaint_id", "days_open", "sla_status", "due_at") == [
        ("TS1", D("3.00"), "on_time", "2026-10-15 11:54"),
        ("TS2", D("3.00"), "late", "2026-10-15 11:54"),
    ]
    assert list(report.complaints.columns[:len(COMPLAINT_COLUMNS)]) == COMPLAINT_COLUMNS


def with_workdays(policy):
    rule = policy.deadlines["complaint_resolution"]
    workdays = rule.model_copy(update={"due": rule.due.model_copy(update={"counting": "workdays"})})
    return dataclasses.replace(policy, deadlines={**policy.deadlines, "complaint_resolution": workdays})


def test_workday_counting_skips_the_national_day_holiday(policy):
    received = [complaint("TS1", "2026-09-30 10:00", "2026-10-09 10:00"),
                complaint("TS2", "2026-09-30 10:00", "2026-10-10 10:01")]
    # Wed Sep 30 + 3 workdays: Oct 1–7 off, Thu Oct 8, Fri Oct 9, Sat Oct 10 (a make-up workday)
    report, issues = audit_month(with_workdays(policy), complaints=received)
    assert errors(issues) == []
    assert rows(report.complaints, "complaint_id", "due_at", "sla_status") == [
        ("TS1", "2026-10-10 10:00", "on_time"), ("TS2", "2026-10-10 10:00", "late")]
    # counted in calendar days the same complaints were due Oct 3
    report, _ = audit_month(policy, complaints=received)
    assert rows(report.complaints, "complaint_id", "due_at", "sla_status") == [
        ("TS1", "2026-10-03 10:00", "late"), ("TS2", "2026-10-03 10:00", "late")]


def test_a_workday_count_into_next_year_widens_the_calendar(policy):
    workdays = with_workdays(policy)
    received = [complaint("TS1", "2026-12-31 10:00")]
    # chinesecalendar stops at 2026: the admin is told to add 2027, nothing is guessed
    report, issues = audit_month(workdays, "2026-12", complaints=received)
    assert [i.code for i in issues if i.is_error] == ["calendar.year_not_covered"]
    assert "2027" in errors(issues)[0]
    assert report.complaints["sla_status"].tolist() == [None]
    # with 2027 in calendar.yaml: Jan 1 off; Sat Jan 2, Mon Jan 4, Tue Jan 5
    years = workdays.calendar.model_copy(update={"years": {2027: YearDays(holidays=[dt.date(2027, 1, 1)])}})
    covered = dataclasses.replace(workdays, worktime=workdays.worktime.model_copy(update={"calendar": years}))
    report, issues = audit_month(covered, "2026-12", complaints=received)
    assert errors(issues) == []
    assert rows(report.complaints, "due_at", "sla_status") == [("2027-01-05 10:00", "open_within_sla")]


def test_a_workday_count_from_last_year_needs_no_later_year(policy):
    # Wed Dec 31 2025 + 3 workdays: Jan 1–3 off, Sun Jan 4 (make-up), Mon Jan 5, Tue Jan 6
    report, issues = audit_month(with_workdays(policy), "2026-01",
                                 complaints=[complaint("TS1", "2025-12-31 10:00", "2026-01-06 10:00")])
    assert errors(issues) == []
    assert rows(report.complaints, "due_at", "sla_status") == [("2026-01-06 10:00", "on_time")]


def test_open_complaints_at_month_end(policy):
    report, _ = audit_month(policy, complaints=[
        complaint("TS1", "2026-10-27 09:00"),            # due Oct 30 09:00: past its SLA
        complaint("TS2", "2026-10-28 23:59"),            # due Oct 31 23:59: the last minute, past
        complaint("TS3", "2026-10-29 00:00"),            # due Nov 1 00:00: still within
        complaint("TS4", "2026-10-20 09:00", "2026-10-22 09:00", our_fault=False, loss_amount="120.5"),
    ])
    assert rows(report.complaints, "complaint_id", "days_open", "sla_status") == [
        ("TS1", D("4.63"), "open_past_sla"),           # 4 days 15 hours to Nov 1 00:00
        ("TS2", D("3.00"), "open_past_sla"),
        ("TS3", D("3.00"), "open_within_sla"),
        ("TS4", D("2.00"), "on_time"),
    ]
    # judged at the due time, the deadlines table has them open
    assert rows(of_rule(report, "complaint_resolution"), "key", "status") == [
        ("TS4", "on_time"), ("TS1", "open"), ("TS2", "open"), ("TS3", "open")]   # by reference day
    service = report.complaint_categories.set_index("category").loc["service"]
    assert (service["category_name"], service["complaints"], service["our_fault"], service["on_time"],
            service["open_within_sla"], service["open_past_sla"], service["loss_amount"]) == \
        ("服务投诉", 4, 3, 1, 1, 2, D("120.50"))
    assert report.complaint_categories["category"].tolist() == list(policy.complaints.categories)
    f = report.figures
    assert (f["complaints"], f["complaints_open_past_sla"], f["our_fault_share"], f["losses"]) == \
        (D(4), D(2), D("0.7500"), D("120.50"))
    assert f["complaints_on_time_share"] == D("0.3333")   # 1 on time of 3 judged (TS3 not yet)


def test_complaint_description_is_kept_as_text(policy):
    report, _ = audit_month(policy, complaints=[
        complaint("TS1", "2026-10-12 09:00", "2026-10-12 10:00", description="<script>alert(1)</script>")])
    assert report.complaints["description"].tolist() == ["<script>alert(1)</script>"]


# ---------------------------------------------------------------------------------------------
# weekly call log: Monday 10:00 for the previous week


CALL_LOGS = [
    {"employee_id": "1010", "kind": "call_log", "reference_date": "2026-09-30", "submitted_at": "2026-10-05 09:00"},
    {"employee_id": "1010", "kind": "call_log", "reference_date": "2026-10-05", "submitted_at": "2026-10-12 10:00"},
    {"employee_id": "1010", "kind": "call_log", "reference_date": "2026-10-09", "submitted_at": "2026-10-12 11:00"},
    {"employee_id": "1010", "kind": "call_log", "reference_date": "2026-10-14", "submitted_at": "2026-10-19 10:01"},
    {"employee_id": "1010", "kind": "call_log", "reference_date": "2026-10-19", "submitted_at": None},
    {"employee_id": "1010", "kind": "call_log", "reference_date": "2026-10-27", "submitted_at": "2026-11-02 09:00"},
]


def test_weekly_call_log_due_monday_10_00(policy):
    report, issues = audit_month(policy, submissions=CALL_LOGS)
    assert errors(issues) == []
    assert rows(of_rule(report, "call_log"), *DEADLINE_COLUMNS) == [
        ("call_log", "1010", "2026-09-28", "2026-10-05 10:00", "2026-10-05 09:00", "on_time"),
        # two rows for the week: the earliest counts, exactly at the due minute
        ("call_log", "1010", "2026-10-05", "2026-10-12 10:00", "2026-10-12 10:00", "on_time"),
        ("call_log", "1010", "2026-10-12", "2026-10-19 10:00", "2026-10-19 10:01", "late"),
        ("call_log", "1010", "2026-10-19", "2026-10-26 10:00", None, "missing"),
    ]   # the week of Oct 26 is due Nov 2: November's


def test_each_week_is_judged_in_exactly_one_month(policy):
    october, _ = audit_month(policy, "2026-10", submissions=CALL_LOGS)
    november, _ = audit_month(policy, "2026-11", submissions=CALL_LOGS)
    weeks_oct = of_rule(october, "call_log")["reference"].tolist()
    weeks_nov = of_rule(november, "call_log")["reference"].tolist()
    assert weeks_nov == ["2026-10-26", "2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23"]
    assert set(weeks_oct).isdisjoint(weeks_nov)
    assert rows(of_rule(november, "call_log").head(1), "submitted_at", "status") == [("2026-11-02 09:00", "on_time")]


def test_weeks_before_the_hire_date_are_not_expected(policy):
    report, _ = audit_month(policy, hired={"1010": "2026-10-14"})
    assert of_rule(report, "call_log")["reference"].tolist() == ["2026-10-12", "2026-10-19"]


# ---------------------------------------------------------------------------------------------
# service order: archived within the same week


def test_service_order_archived_by_the_end_of_its_week(policy):
    report, _ = audit_month(policy, submissions=[
        {"employee_id": "1012", "kind": "service_order", "reference_date": "2026-10-14",
         "submitted_at": "2026-10-18 23:59"},
        {"employee_id": "1012", "kind": "service_order", "reference_date": "2026-10-14",
         "submitted_at": "2026-10-19 00:00"},
        {"employee_id": "1012", "kind": "service_order", "reference_date": "2026-10-21", "submitted_at": None},
    ])
    assert rows(of_rule(report, "service_order"), "reference", "submitted_at", "status") == [
        ("2026-10-14", "2026-10-18 23:59", "on_time"),      # Sunday night
        ("2026-10-14", "2026-10-19 00:00", "late"),         # the next Monday
        ("2026-10-21", None, "missing"),
    ]
    assert of_rule(report, "service_order")["due_at"].iloc[0] == pd.Timestamp("2026-10-18 23:59:59.999999")


# ---------------------------------------------------------------------------------------------
# QA audits

#: 甲 audits 1001 (full: 100) and 1002 (PRO-5 = 0: 95); 乙 audits 1001 (TAB-5: 96) and 1003
#: twice (ENV-2 = 0, TAB-9, TAB-10 N/A: 87 of 96 = 90.63; PRN-2 and TAB-10 N/A, PRO-4 = 3: 89 of
#: 91 = 97.80). 1004 (ecommerce) is never audited.
AUDITS = [
    {"audit_id": "A1", "audit_date": "2026-10-08", "employee_id": "1001", "auditor": "甲", "marks": marks()},
    {"audit_id": "A2", "audit_date": "2026-10-09", "employee_id": "1002", "auditor": "甲", "marks": marks(PRO_5=D(0))},
    {"audit_id": "A3", "audit_date": "2026-10-12", "employee_id": "1001", "auditor": "乙", "marks": marks(TAB_5=D(1))},
    {"audit_id": "A4", "audit_date": "2026-10-15", "employee_id": "1003", "auditor": "乙",
     "marks": marks(ENV_2=D(0), TAB_9=D(1), TAB_10=None)},
    {"audit_id": "A5", "audit_date": "2026-10-20", "employee_id": "1003", "auditor": "乙",
     "marks": marks(PRN_2=None, PRO_4=D(3), TAB_10=None)},
]


@pytest.fixture(scope="module")
def qa(policy):
    report, issues = audit_month(policy, audits=AUDITS)
    assert errors(issues) == []
    return report


def test_auditors_compared_with_the_overall_mean(qa):
    # overall (100 + 95 + 96 + 90.63 + 97.80) / 5 = 95.886 → 95.89
    assert qa.figures["qa_mean_score"] == D("95.89")
    assert rows(qa.auditors, "auditor", "audits", "agents", "mean_score", "difference") == [
        ("乙", 3, 2, D("94.81"), D("-1.08")),    # (96 + 90.63 + 97.80) / 3 = 94.81
        ("甲", 2, 2, D("97.50"), D("1.61")),
    ]


def test_qa_per_agent_and_team(qa):
    assert rows(qa.qa_agents, "employee_id", "name", "team", "audits", "mean_score", "environment", "taboos",
                "violations") == [
        ("1001", "张三", "一组", 2, D("98.00"), D("10.00"), D("38.00"), 1),
        ("1002", "李四", "一组", 1, D("95.00"), D("10.00"), D("40.00"), 0),
        ("1003", "王五", "二组", 2, D("94.22"), D("7.50"), D("34.00"), 1),   # 94.215 half-up
        ("1004", "赵六", "二组", 0, None, None, None, 0),
    ]
    assert rows(qa.qa_teams, "team", "agents", "audits", "mean_score", "proactive") == [
        ("一组", 2, 3, D("97.00"), D("28.33")),
        ("二组", 1, 2, D("94.22"), D("29.00")),
    ]


def test_agents_expected_but_not_audited(qa):
    # the ecommerce scorecard's multiplier uses qa_mean_score; 1005 (service_center) is not expected
    assert rows(qa.not_audited, "employee_id", "name", "team") == [("1004", "赵六", "二组")]
    assert qa.figures["not_audited"] == D(1)


def test_heatmap_item_shares_by_team(qa):
    heat = qa.qa_heatmap
    assert heat.index.tolist() == ["一组", "二组"]
    assert heat.columns.tolist() == POSITIVE + TABOOS
    assert heat.loc["一组", "PRO-5"] == pytest.approx(0.6667)    # 10 of 15 points
    assert heat.loc["一组", "TAB-5"] == pytest.approx(0.6667)    # violated in 1 of 3 audits
    assert heat.loc["一组", "ENV-2"] == 1.0
    assert heat.loc["二组", "ENV-2"] == 0.5
    assert heat.loc["二组", "PRN-2"] == 1.0                      # N/A once: 5 of 5
    assert heat.loc["二组", "PRO-4"] == pytest.approx(0.8)
    assert heat.loc["二组", "TAB-9"] == 0.5
    assert pd.isna(heat.loc["二组", "TAB-10"])                    # never applicable
    assert heat.loc["一组", "TAB-10"] == 1.0


def test_taboos_by_violations(qa):
    assert rows(qa.taboos.head(3), "item", "violations", "audits", "share") == [
        ("TAB-5", 1, 5, D("0.2000")), ("TAB-9", 1, 5, D("0.2000")), ("TAB-1", 0, 5, D("0.0000"))]
    assert rows(qa.taboos.loc[qa.taboos["item"] == "TAB-10"], "violations", "audits", "share") == [(0, 3, D("0.0000"))]


# ---------------------------------------------------------------------------------------------
# callbacks and exceptions


def test_callbacks_per_agent(policy):
    report, _ = audit_month(policy, callbacks=[
        {"employee_id": "1001", "customer_id": "K1", "planned_date": "2026-10-10", "done_at": "2026-10-10 10:00",
         "rating": "satisfied", "repurchase_intent": True},
        {"employee_id": "1001", "customer_id": "K2", "planned_date": "2026-10-11", "done_at": "2026-10-12 10:00",
         "rating": "dissatisfied", "repurchase_intent": False},
        {"employee_id": "1001", "customer_id": "K3", "planned_date": "2026-10-20"},
        {"employee_id": "1002", "customer_id": "K4", "done_at": "2026-10-20 15:00", "rating": "neutral"},
    ])
    assert rows(report.callbacks, "employee_id", "name", "team", "planned", "done", "completion", "rated",
                "satisfied", "neutral", "dissatisfied", "repurchase_yes", "repurchase_share") == [
        ("1001", "张三", "一组", 3, 2, D("0.6667"), 2, 1, 0, 1, 1, D("0.5000")),
        ("1002", "李四", "一组", 0, 1, None, 1, 0, 1, 0, 0, None),
    ]
    assert report.figures["callback_completion"] == D("0.6667")
    assert report.figures["callback_satisfied_share"] == D("0.3333")


SALES = [
    {"order_id": "O1", "order_date": "2026-10-09", "employee_id": "1001", "customer_id": "K1", "amount": "199",
     "category": "special_price", "status": "refunded"},
    {"order_id": "O2", "order_date": "2026-10-09", "employee_id": "1001", "customer_id": "K2", "amount": "299",
     "category": "regular", "status": "refunded"},
    {"order_id": "O3", "order_date": "2026-10-10", "employee_id": "1002", "customer_id": "K3", "amount": "99",
     "category": "special_price", "status": "completed"},
]


def test_special_price_refund_is_an_exception(policy):
    report, _ = audit_month(policy, sales=SALES)
    assert rows(report.exceptions, "order_id", "customer_id", "employee_id", "order_date", "amount") == [
        ("O1", "K1", "1001", "2026-10-09 00:00", D("199.00"))]
    assert report.figures["special_price_refunds"] == D(1)
    off = dataclasses.replace(policy, complaints=policy.complaints.model_copy(
        update={"special_price_refund_is_exception": False}))
    report, _ = audit_month(off, sales=SALES)
    assert report.exceptions.empty and report.figures["special_price_refunds"] is None


def test_figures_with_nothing_to_measure(policy):
    report, _ = audit_month(policy)
    assert list(report.figures) == list(FIGURES)
    f = report.figures
    assert f["complaints"] == D(0) and f["complaints_on_time_share"] is None and f["our_fault_share"] is None
    assert f["callback_completion"] is None and f["qa_mean_score"] is None
    assert f["deadlines_on_time_share"] == D("0.0000")    # every production sheet and call log missing


# ---------------------------------------------------------------------------------------------
# the sample month


@pytest.fixture(scope="module")
def sample():
    from csbatch.closing.runs import run_until_written

    return run_until_written("2026-10", ROOT / "samples" / "2026-10", ROOT / "config").state


def test_sample_month_audits_without_errors(sample):
    st = sample
    report, issues = run_audit("2026-10", st.policy, st.inputs, st.attendance, st.audits, st.calendar)
    assert errors(issues) == []
    assert list(report.figures) == list(FIGURES)
    assert set(report.deadlines["status"]) <= {"on_time", "late", "missing", "open", "excused"}
    assert set(report.complaints["sla_status"]) <= {"on_time", "late", "open_within_sla", "open_past_sla"}
    assert len(report.complaints) == len(st.inputs["complaints"])
    # an agent's QA mean is the very number the scorecard used
    audited = report.qa_agents.loc[report.qa_agents["audits"] > 0]
    assert dict(zip(audited["employee_id"], audited["mean_score"])) == st.audits.mean_score().to_dict()
    # the same inputs give the same report
    again, _ = run_audit("2026-10", st.policy, st.inputs, st.attendance, st.audits, st.calendar)
    for name in ("deadlines", "complaints", "callbacks", "qa_agents", "auditors", "qa_heatmap"):
        pd.testing.assert_frame_equal(getattr(report, name), getattr(again, name))
    assert again.figures == report.figures
