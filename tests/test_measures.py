"""Measured values (csbatch.scoring.measures): each measure on small contract-typed frames, the
production-sheet rules, conduct counted once, callbacks by order, survey scaling, no data → None,
and the sample month end to end.

October 2026 has 21 workdays; the production sheet of 2026-10 is due 2026-11-02 18:00.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from builders import typed_frame
from csbatch.attendance import DAY_COLUMNS, SUMMARY_COLUMNS, AttendanceResult, summarise_attendance
from csbatch.calendar import WorkCalendar
from csbatch.errors import Severity
from csbatch.policy.vocabulary import MEASURES
from csbatch.qa.questionnaire import score_audits
from csbatch.scoring.measures import EXTRA_COLUMNS, measure_all
from csbatch.sheets.intake import Inputs, read_inputs

D = Decimal
PERIOD = "2026-10"
SAMPLES = Path(__file__).resolve().parents[1] / "samples"

# ---------------------------------------------------------------------------------------------
# builders: frames typed as intake types them (columns and dtypes from config/inputs.yaml)

FILES = {"roster": "员工名册.xlsx", "sales": "销售订单.xlsx", "production": "产量表.xlsx",
         "contacts": "接待统计.csv", "callbacks": "回访记录.xlsx", "complaints": "投诉登记.xlsx",
         "customers": "客户档案.xlsx", "conduct": "月度台账.xlsx", "collaboration": "月度台账.xlsx",
         "reviews": "主管评分.xlsx", "audits": "督导问卷.xlsx"}
def typed(policy, kind: str, rows: list[dict]) -> pd.DataFrame:
    """Rows typed as intake types them; a blank cell gets the column's declared default there."""
    return typed_frame(policy, kind, rows, file=FILES.get(kind))


def agent(emp: str, role: str = "ecommerce_cs", target=None, supervisor=None, days: int = 21):
    return {"employee_id": emp, "name": f"员工{emp}", "role": role, "hire_date": "2020-01-01",
            "base_salary": 2200, "sales_target": target, "supervisor_id": supervisor,
            "_days": days}


def day(emp: str, date: str, late=False, early=False, absent="0", sources="考勤.csv!row 9"):
    row = dict.fromkeys(DAY_COLUMNS)
    row.update(employee_id=emp, date=pd.Timestamp(date), present=absent == "0", late=late,
               early=early, late_minutes=5 if late else 0, missing_punch=False,
               leave_share=D(0), absent_share=D(absent), paid_leave_share=D(0),
               unpaid_leave_share=D(0), sources=sources if absent == "0" else "", leave_sources="")
    return row


def attendance(people: list[dict], days: list[dict]) -> AttendanceResult:
    summary = pd.DataFrame({c: pd.Series([0] * len(people), dtype="int64") for c in SUMMARY_COLUMNS})
    summary["employee_id"] = pd.Series([p["employee_id"] for p in people], dtype=object)
    summary["name"] = pd.Series([p["name"] for p in people], dtype=object)
    summary["scheduled_days"] = [p["_days"] for p in people]
    summary["month_workdays"] = 21
    summary["role"] = pd.Series([p["role"] for p in people], dtype=object)
    frame = pd.DataFrame(days, columns=list(DAY_COLUMNS)) if days else \
        pd.DataFrame({c: pd.Series([], dtype=object) for c in DAY_COLUMNS})
    frame["date"] = frame["date"].astype("datetime64[ns]")
    return AttendanceResult(summary=summary, days=frame)


class StandIn:
    """What the questionnaire stage hands over: `mean_score()` → employee_id → Decimal."""

    def __init__(self, scores: dict[str, Decimal]):
        self.scores = scores

    def mean_score(self) -> pd.Series:
        return pd.Series(self.scores, dtype=object)


def month(policy, people, days=(), audits=None, explain_for=None, **kinds):
    frames = {kind: typed(policy, kind, kinds.get(kind, [])) for kind in policy.inputs.kinds}
    frames["roster"] = typed(policy, "roster", people)
    inputs = Inputs(PERIOD, frames, [])
    return measure_all(PERIOD, policy, inputs, attendance(people, list(days)), audits,
                       explain_for=explain_for)


def of(measured, emp: str, name: str):
    return measured.values.at[emp, name]


def sale(emp: str, amount, date="2026-10-12", order=None, **more):
    sale.n += 1
    return {"order_id": order or f"O{sale.n:05d}", "order_date": date, "employee_id": emp,
            "customer_id": "K1", "amount": amount, **more}


sale.n = 0


def sheet(emp: str, reported, submitted: str, period: str = PERIOD):
    return {"employee_id": emp, "period": period, "reported_sales": reported, "submitted_at": submitted}


# ---------------------------------------------------------------------------------------------
# the frame itself


def test_every_employee_gets_every_measure_in_summary_order(policy):
    people = [agent("E02"), agent("E01", "consulting_cs"), agent("S1", "supervisor")]
    measured, issues = month(policy, people)

    values = measured.values
    assert list(values.index) == ["E02", "E01", "S1"] and values.index.name == "employee_id"
    assert list(values.columns) == [*MEASURES, *EXTRA_COLUMNS]
    assert all(values[c].dtype == object for c in values.columns)
    assert issues == []
    row = measured.of("E01")
    # counts and ¥ sums are 0, rates and ratings None: nothing to measure
    assert row["counted_sales"] == D(0) and isinstance(row["counted_sales"], Decimal)
    assert row["customer_records"] == D(0) and row["accepted_invitations"] == D(0)
    assert row["conduct_points_lost"] == D(0) and row["callbacks_rated"] == D(0)
    for name in ("conversion_rate", "target_completion", "survey_satisfaction",
                 "callback_completion_rate", "complaint_unresolved_share", "qa_mean_score",
                 "team_satisfaction_rate", "team_sales_completion", "invitation_success_rate",
                 "task_completion_rate", "onsite_rating", "self_evaluation", "assignment_issues"):
        assert row[name] is None, name
    assert row["counted_sales_rule"] == ""
    assert measured.sources == {}


# ---------------------------------------------------------------------------------------------
# counted sales and the production sheet


def test_counted_sales_are_completed_orders_of_the_month(policy):
    people = [agent("E01", "comprehensive_cs")]
    sales = [sale("E01", "1000.50"), sale("E01", "2000", date="2026-10-31"),
             sale("E01", "400", status="refunded"), sale("E01", "300", status="cancelled"),
             sale("E01", "999", date="2026-09-30"), sale("E01", "888", date="2026-11-01")]
    measured, issues = month(policy, people, sales=sales)

    assert of(measured, "E01", "counted_sales") == D("3000.50")
    assert of(measured, "E01", "actual_sales") == D("3000.50")
    assert of(measured, "E01", "counted_sales_rule") == ""
    assert issues == []


ON_TIME = "2026-11-01 10:00"


@pytest.mark.parametrize("production, counted, rule", [
    ([sheet("E01", "9650", ON_TIME)], "9650", ""),
    ([sheet("E01", "9000", "2026-11-02 18:00")], "9650", ""),       # exactly at the deadline
    ([sheet("E01", "9650", "2026-11-02 18:01")], "0",
     "production sheet late (2026-11-02 18:01 > 2026-11-02 18:00) → 0%"),
    ([], "0", "production sheet missing → 0%"),
    ([sheet("E01", "9800", ON_TIME)], "4825", "reported ¥9,800 > actual ¥9,650 → 50%"),
    ([sheet("E01", "9800", "2026-11-03 09:00")], "0",
     "production sheet late (2026-11-03 09:00 > 2026-11-02 18:00) → 0%; "
     "also reported ¥9,800 > actual ¥9,650"),
], ids=["on_time", "at_18_00", "at_18_01", "missing", "over_reported", "late_and_over"])
def test_production_sheet_rules(policy, production, counted, rule):
    """[004] worked example's agent A: ¥9,650 of completed orders."""
    sales = [sale("E01", "9000"), sale("E01", "650")]
    measured, issues = month(policy, [agent("E01")], sales=sales, production=production)

    assert of(measured, "E01", "counted_sales") == D(counted)
    assert of(measured, "E01", "actual_sales") == D("9650")
    assert of(measured, "E01", "counted_sales_rule") == rule
    assert issues == []


def test_production_sheet_rules_leave_other_roles_alone(policy):
    people = [agent("E01", "comprehensive_cs"), agent("E02", "consulting_cs")]
    sales = [sale("E01", "9650"), sale("E02", "100")]
    production = [sheet("E01", "12000", "2026-11-05 09:00")]       # late and over-reported
    measured, _issues = month(policy, people, sales=sales, production=production)

    assert of(measured, "E01", "counted_sales") == D("9650")
    assert of(measured, "E02", "counted_sales") == D("100")            # no sheet, no cut
    assert list(measured.values["counted_sales_rule"]) == ["", ""]


def test_production_row_of_another_period_is_not_counted(policy):
    """The period rule of inputs.yaml (sheets/period.py) leaves it out; intake reports it."""
    sales = [sale("E01", "500")]
    production = [sheet("E01", "500", "2026-10-02 09:00", period="2026-09")]
    measured, issues = month(policy, [agent("E01")], sales=sales, production=production)

    assert of(measured, "E01", "counted_sales") == D(0)
    assert of(measured, "E01", "counted_sales_rule") == "production sheet missing → 0%"
    assert issues == []         # reported once, by intake (tests/faults/test_period.py)


def test_promo_sales_are_not_cut_by_the_production_sheet(policy):
    """Decision: the key-promotion item measures promo orders as sold; the sheet's penalty is
    the counted-sales (and commission) consequence only."""
    sales = [sale("E01", "1200", promo=True), sale("E01", "800", promo=True),
             sale("E01", "300", promo=True, status="refunded"), sale("E01", "5000")]
    measured, _ = month(policy, [agent("E01"), agent("E02")], sales=sales)    # no sheet: late

    assert of(measured, "E01", "counted_sales") == D(0)
    assert of(measured, "E01", "promo_sales") == D("2000")
    assert of(measured, "E02", "promo_sales") == D(0)


def test_target_completion_uses_the_prorated_target(policy):
    people = [agent("E01", "comprehensive_cs", target="8000"),
              agent("E02", "comprehensive_cs", target="8400", days=10),
              agent("E03", "comprehensive_cs"), agent("E04", "comprehensive_cs", target="0")]
    sales = [sale("E01", "9650"), sale("E02", "3000"), sale("E03", "100"), sale("E04", "100")]
    measured, _ = month(policy, people, sales=sales)

    assert of(measured, "E01", "target_completion") == D("9650") / D("8000")
    assert of(measured, "E02", "target_completion") == D("3000") / (D("8400") * 10 / 21)
    assert of(measured, "E03", "target_completion") is None      # no target
    assert of(measured, "E04", "target_completion") is None


def test_target_completion_uses_counted_not_actual_sales(policy):
    people = [agent("E01", target="8000")]
    sales = [sale("E01", "8000")]
    production = [sheet("E01", "9000", ON_TIME)]                        # over-reported
    measured, _ = month(policy, people, sales=sales, production=production)
    assert of(measured, "E01", "target_completion") == D("0.5")


# ---------------------------------------------------------------------------------------------
# contacts sheet


def contact(emp, date="2026-10-12", **numbers):
    return {"employee_id": emp, "date": date, **numbers}


def test_contacts_rates_and_counts(policy):
    people = [agent("E01"), agent("E02", "invitation_cs"), agent("E03", "clerk")]
    contacts = [contact("E01", inquiries=10, buyers=9), contact("E01", inquiries=10, buyers=10),
                contact("E01", date="2026-09-30", inquiries=100, buyers=0),   # last month
                contact("E02", invitations=30, accepted=9, tasks_assigned=4, tasks_done=3),
                contact("E02", invitations=10, accepted=3),
                contact("E03", inquiries=0, buyers=0, tasks_assigned=0, tasks_done=0)]
    measured, issues = month(policy, people, contacts=contacts)

    assert of(measured, "E01", "conversion_rate") == D("0.95")
    assert of(measured, "E02", "invitation_success_rate") == D("0.3")
    assert of(measured, "E02", "accepted_invitations") == D(12)
    assert of(measured, "E02", "task_completion_rate") == D("0.75")
    assert of(measured, "E02", "conversion_rate") is None                 # no inquiries
    for name in ("conversion_rate", "invitation_success_rate", "task_completion_rate"):
        assert of(measured, "E03", name) is None                          # all zero: no rate
    assert of(measured, "E03", "accepted_invitations") == D(0)
    assert issues == []         # last month's row: reported once, by intake


# ---------------------------------------------------------------------------------------------
# callbacks and surveys


def callback(emp, order=None, rating=None, score=None, planned=None, done=None, feedback=None):
    return {"employee_id": emp, "customer_id": "K1", "order_id": order, "rating": rating,
            "score": score, "planned_date": planned, "done_at": done, "feedback": feedback}


def test_callback_ratings_go_to_the_agent_who_sold_the_order(policy):
    people = [agent("A"), agent("B", "after_sales")]
    sales = [sale("A", "100", order="O-A1"), sale("A", "100", order="O-A2", status="refunded")]
    callbacks = [callback("B", "O-A1", "satisfied"), callback("B", "O-A2", "dissatisfied"),
                 callback("B", None, "neutral"),                 # no order: the caller's
                 callback("B", "O-OLD", "satisfied"),            # not in the month's sales
                 callback("B", "O-A1", None, score=90)]          # no rating: not rated
    measured, _ = month(policy, people, sales=sales, callbacks=callbacks)

    a, b = measured.of("A"), measured.of("B")
    assert (a["callbacks_rated"], a["callbacks_satisfied"], a["callbacks_neutral"],
            a["callbacks_dissatisfied"]) == (2, 1, 0, 1)
    assert (b["callbacks_rated"], b["callbacks_satisfied"], b["callbacks_neutral"],
            b["callbacks_dissatisfied"]) == (2, 1, 1, 0)
    assert all(isinstance(a[n], Decimal) for n in ("callbacks_rated", "callbacks_satisfied"))


def test_survey_scores_on_1_to_5_are_scaled_and_go_to_the_surveyed_agent(policy):
    people = [agent("A"), agent("B", "after_sales"), agent("C", "clerk")]
    sales = [sale("A", "100", order="O-A1")]
    callbacks = [callback("B", "O-A1", score="5"), callback("B", None, score="4"),
                 callback("B", None, score="90"), callback("B", None, rating="satisfied"),
                 callback("C", None, score="3")]
    measured, _ = month(policy, people, sales=sales, callbacks=callbacks)

    assert of(measured, "B", "survey_satisfaction") == D("0.9")    # (100 + 80 + 90) / 3 / 100
    assert of(measured, "C", "survey_satisfaction") == D("0.6")
    assert of(measured, "A", "survey_satisfaction") is None        # sold, never surveyed


def test_feedback_items_and_callback_completion(policy):
    people = [agent("B", "after_sales"), agent("C", "clerk")]
    callbacks = [
        callback("B", planned="2026-10-08", done="2026-10-08 10:00", feedback="物流慢"),
        callback("B", planned="2026-10-09", done="2026-10-09 10:00", feedback="  "),   # blank
        callback("B", planned="2026-10-10", done="2026-10-11 15:00"),
        callback("B", planned="2026-10-30", feedback="未回访"),             # not done
        callback("B", planned="2026-09-28", done="2026-10-08 09:00", feedback="好"),  # Sept plan
        callback("B", done="2026-10-20 09:00", feedback="再买"),            # unplanned
    ]
    measured, _ = month(policy, people, callbacks=callbacks)

    assert of(measured, "B", "feedback_items") == D(3)
    assert of(measured, "B", "callback_completion_rate") == D(3) / D(4)
    assert of(measured, "C", "feedback_items") == D(0)
    assert of(measured, "C", "callback_completion_rate") is None        # none planned


# ---------------------------------------------------------------------------------------------
# complaints, customer records, collaboration, reviews


def complaint(cid, emp, category="service", resolved=None, satisfied=None, our_fault=True):
    return {"complaint_id": cid, "received_at": "2026-10-12 10:00", "employee_id": emp,
            "category": category, "resolved_at": resolved, "satisfied": satisfied,
            "our_fault": our_fault}


def scoped(policy, scope: str):
    """The policy with `complaint_resolution_scope: scope` (issue 13)."""
    measures = policy.scoring.measures.model_copy(update={"complaint_resolution_scope": scope})
    return dataclasses.replace(policy, scoring=policy.scoring.model_copy(update={"measures": measures}))


def test_complaints_count_our_fault_only(policy):
    people = [agent("E01", "comprehensive_cs"), agent("E02", "clerk"), agent("E03", "clerk")]
    complaints = [
        complaint("T1", "E01", "service", "2026-10-13 10:00", True),
        complaint("T2", "E01", "wrong_explanation", "2026-10-13 10:00", False),
        complaint("T3", "E01", "unverifiable_wording"),                     # open
        complaint("T4", "E01", "service", "2026-10-13 10:00", True),
        complaint("T5", "E01", "service", our_fault=False),                 # not ours
        complaint("T6", None, "quality"),                                   # nobody's
        complaint("T7", "E02", "quality", "2026-10-14 09:00", True),
    ]
    measured, _ = month(scoped(policy, "agent"), people, complaints=complaints)

    e1 = measured.of("E01")
    assert e1["complaint_unresolved_share"] == D("0.5")                     # 1 − 2/4
    assert (e1["service_complaints"], e1["wrong_explanation_complaints"],
            e1["unverifiable_wording_complaints"]) == (2, 1, 1)
    assert of(measured, "E02", "complaint_unresolved_share") == D(0)
    assert of(measured, "E02", "service_complaints") == D(0)
    # severity points by category (complaints.yaml): 2 × service 10 + wrong_explanation 6 + unverifiable 3;
    # quality costs none by default
    assert e1["complaint_penalty_points"] == D(29)
    assert of(measured, "E02", "complaint_penalty_points") == D(0)
    assert of(measured, "E03", "complaint_unresolved_share") is None        # no complaints

    # the default scope, the department: 1 − 3/5 for everyone, E03 too [003]
    measured, _ = month(policy, people, complaints=complaints)
    assert {e: of(measured, e, "complaint_unresolved_share") for e in ("E01", "E02", "E03")} == \
        dict.fromkeys(("E01", "E02", "E03"), D("0.4"))


def customer(cid, owner, name="张三", phone="13800000000", product="沙发", email="a@b.cn",
             customer_class="A类客户"):
    return {"customer_id": cid, "owner_id": owner, "name": name, "phone": phone,
            "product": product, "email": email, "customer_class": customer_class}


def test_customer_record_counts(policy):
    people = [agent("E01"), agent("E02", "clerk")]
    customers = [customer("K1", "E01"),
                 customer("K2", "E01", email=None),                  # incomplete for [004] only
                 customer("K3", "E01", phone=None, customer_class=None),
                 customer("K4", "E01", product=" ", email=None),       # blank text is missing
                 customer("K5", None)]                                 # nobody's
    measured, _ = month(policy, people, customers=customers)

    e1 = measured.of("E01")
    assert e1["customer_records"] == D(4)
    assert e1["complete_customer_records"] == D(1)
    assert e1["classified_customer_records"] == D(3)
    assert e1["incomplete_customer_records"] == D(2)
    assert measured.of("E02")["customer_records"] == D(0)


def test_collaboration_incidents(policy):
    people = [agent("E01", "clerk"), agent("E02", "clerk")]
    log = [{"employee_id": "E01", "date": "2026-10-09"}, {"employee_id": "E01", "date": "2026-10-20"},
           {"employee_id": "E01", "date": "2026-11-02"}]                     # next month
    measured, issues = month(policy, people, collaboration=log)

    assert of(measured, "E01", "collaboration_incidents") == D(2)
    assert of(measured, "E02", "collaboration_incidents") == D(0)
    assert issues == []         # next month's row: reported once, by intake


def test_reviews_give_ratings_issues_and_text(policy):
    people = [agent("S1", "supervisor"), agent("E01", "invitation_cs"), agent("E02", "clerk")]
    reviews = [{"employee_id": "S1", "assignment_issues": 1, "publicity_issues": 0,
                "general_issues": None, "onsite": "27.5"},
               {"employee_id": "E01", "communication": "8", "teamwork": "9.5",
                "self_evaluation": " 本月邀约稳定 "}]
    measured, _ = month(policy, people, reviews=reviews)

    s1, e1 = measured.of("S1"), measured.of("E01")
    assert (s1["assignment_issues"], s1["publicity_issues"], s1["general_issues"],
            s1["onsite_rating"]) == (D(1), D(0), None, D("27.5"))
    assert isinstance(s1["assignment_issues"], Decimal)
    assert (e1["communication_rating"], e1["teamwork_rating"]) == (D(8), D("9.5"))
    assert e1["self_evaluation"] == "本月邀约稳定"
    assert all(v is None for k, v in measured.of("E02").items()
               if k in ("communication_rating", "onsite_rating", "self_evaluation"))


# ---------------------------------------------------------------------------------------------
# conduct: the log and the clock, counted once


def logged(emp, date, violation, count=1, minutes=None):
    return {"employee_id": emp, "date": date, "violation": violation, "count": count,
            "minutes": minutes}


def test_conduct_log_points_and_personal_call_minutes(policy):
    conduct = [logged("E01", "2026-10-08", "uniform"), logged("E01", "2026-10-09", "idle_chat", 2),
               logged("E01", "2026-10-12", "personal_call", minutes=5),     # not over 5
               logged("E01", "2026-10-13", "personal_call", minutes=6),
               logged("E01", "2026-10-14", "personal_call", minutes=None)]  # blank counts
    measured, _ = month(policy, [agent("E01", "clerk")], conduct=conduct)
    assert of(measured, "E01", "conduct_points_lost") == D(1 + 2 + 1 + 1)


def test_late_logged_and_clocked_on_the_same_day_counts_once(policy):
    people = [agent("E01", "clerk"), agent("E02", "clerk")]
    days = [day("E01", "2026-10-08", late=True),              # clocked and logged → 1
            day("E01", "2026-10-09", late=True),              # clocked only → 1
            day("E01", "2026-10-12", late=True),              # clocked, logged twice → 2
            day("E01", "2026-10-13", early=True),             # early leave → 1
            day("E02", "2026-10-08", absent="1"),             # absent: 3 a day
            day("E02", "2026-10-09", absent="0.5")]           # half a day: 1.5
    conduct = [logged("E01", "2026-10-08", "late"), logged("E01", "2026-10-10", "late"),  # log only → 1
               logged("E01", "2026-10-12", "late", 2), logged("E02", "2026-10-08", "absent")]
    measured, _ = month(policy, people, days=days, conduct=conduct)

    assert of(measured, "E01", "conduct_points_lost") == D(1 + 1 + 1 + 2 + 1)
    assert of(measured, "E02", "conduct_points_lost") == D("4.5")


def test_late_counted_once_through_real_attendance(policy):
    """The clock row of Oct 8 at 08:45 makes the day late; the supervisor also logged it."""
    cal, _ = WorkCalendar.build(policy.calendar, policy.schedule, [2026])
    people = [agent("E01", "clerk")]
    roster = typed(policy, "roster", people)
    workdays = [d.isoformat() for d in cal.workdays(pd.Timestamp("2026-10-01").date(),
                                                    pd.Timestamp("2026-10-31").date())]
    clock = typed(policy, "attendance", [
        {"employee_id": "E01", "date": d, "clock_in": "08:45:00" if d == "2026-10-08" else "08:20:00",
         "clock_out": "17:40:00"} for d in workdays])
    att = summarise_attendance(PERIOD, roster, clock, typed(policy, "leave", []), cal,
                               policy.schedule, policy.leave.types)
    assert int(att.summary["late_count"].iloc[0]) == 1
    frames = {kind: typed(policy, kind, []) for kind in policy.inputs.kinds}
    frames.update(roster=roster, attendance=clock,
                  conduct=typed(policy, "conduct", [logged("E01", "2026-10-08", "late")]))
    measured, _ = measure_all(PERIOD, policy, Inputs(PERIOD, frames, []), att, None,
                              explain_for=["E01"])

    assert of(measured, "E01", "conduct_points_lost") == D(1)
    places = measured.sources[("E01", "conduct_points_lost")]
    assert places[0] == "月度台账.xlsx[conduct]!row 2"
    assert places[1].startswith("attendance 2026-10-08 late 1: attendance.xlsx[attendance]!row")


# ---------------------------------------------------------------------------------------------
# QA, supervisors


def test_qa_mean_score_comes_from_the_audits(policy):
    people = [agent("E01"), agent("E02")]
    measured, _ = month(policy, people, audits=StandIn({"E01": D("87.5")}))
    assert of(measured, "E01", "qa_mean_score") == D("87.5")
    assert of(measured, "E02", "qa_mean_score") is None                  # not audited
    measured, _ = month(policy, people, audits=None)                     # no audit stage
    assert of(measured, "E01", "qa_mean_score") is None


def test_supervisor_team_measures(policy):
    people = [agent("S1", "supervisor"), agent("S2", "supervisor"),
              agent("A", target="8000", supervisor="S1"),
              agent("B", target="4200", supervisor="S1", days=10),
              agent("C", supervisor="S1"),                               # no target
              agent("X", supervisor="A")]                                # not a supervisor
    sales = [sale("A", "6000", order="OA"), sale("B", "2000", order="OB"), sale("C", "999", order="OC")]
    production = [sheet(e, "1", ON_TIME) for e in ("A", "B", "C")]
    callbacks = [callback("Z", "OA", "satisfied"), callback("Z", "OB", "neutral"),
                 callback("Z", "OC", "satisfied"), callback("Z", "OA", "satisfied")]
    people.append(agent("Z", "after_sales"))
    measured, issues = month(policy, people, sales=sales, production=production, callbacks=callbacks)

    assert of(measured, "S1", "team_satisfaction_rate") == D(3) / D(4)
    assert of(measured, "S1", "team_sales_completion") == D(8000) / (D(8000) + D(4200) * 10 / 21)
    assert of(measured, "S2", "team_satisfaction_rate") is None          # nobody reports to S2
    assert of(measured, "S2", "team_sales_completion") is None
    assert of(measured, "A", "team_satisfaction_rate") is None           # not a supervisor
    [issue] = issues
    assert issue.code == "measures.not_a_supervisor" and issue.severity is Severity.WARNING
    assert str(issue.source) == "员工名册.xlsx[roster]!row 7"
    assert "names A" in issue.message


# ---------------------------------------------------------------------------------------------
# sources for explain


def test_sources_name_the_rows_that_fed_each_measure(policy):
    people = [agent("E01", target="8000"), agent("E02")]
    sales = [sale("E01", "9650"), sale("E02", "10"), sale("E01", "5", status="refunded")]
    production = [sheet("E01", "9800", ON_TIME), sheet("E02", "10", ON_TIME)]
    measured, _ = month(policy, people, sales=sales, production=production, explain_for=["E01"])

    assert measured.sources[("E01", "counted_sales")] == [
        "销售订单.xlsx[sales]!row 2",
        "产量表.xlsx[production]!row 2 (reported ¥9,800 > actual ¥9,650 → 50%)"]
    assert "员工名册.xlsx[roster]!row 2" in measured.sources[("E01", "target_completion")]
    assert {emp for emp, _ in measured.sources} == {"E01"}


# ---------------------------------------------------------------------------------------------
# the sample month end to end


def test_sample_month_end_to_end(policy):
    inputs, issues = read_inputs(policy, PERIOD, SAMPLES / PERIOD)
    assert inputs is not None, "\n".join(map(str, issues))
    cal, _ = WorkCalendar.build(policy.calendar, policy.schedule, [2026])
    att = summarise_attendance(PERIOD, inputs["roster"], inputs["attendance"], inputs["leave"],
                               cal, policy.schedule, policy.leave.types)
    audits, _ = score_audits(inputs["audits"], policy.questionnaire, PERIOD)
    first = list(att.summary["employee_id"][:2])
    measured, found = measure_all(PERIOD, policy, inputs, att, audits, explain_for=first)

    assert not [i for i in found if i.is_error]
    values = measured.values
    assert list(values.index) == list(att.summary["employee_id"])
    assert list(values.columns[:len(MEASURES)]) == list(MEASURES)
    for name in MEASURES:
        kinds = {type(v) for v in values[name]}
        allowed = {str, type(None)} if name == "self_evaluation" else {Decimal, type(None)}
        assert kinds <= allowed, (name, kinds)
    # every e-commerce agent has a production-sheet verdict or counts in full
    roles = att.summary.set_index("employee_id")["role"]
    for emp in roles.index[roles == "ecommerce_cs"]:
        counted, actual = values.at[emp, "counted_sales"], values.at[emp, "actual_sales"]
        assert counted == actual or values.at[emp, "counted_sales_rule"] != ""
    audited = audits.mean_score()
    assert len(audited) and all(values.at[e, "qa_mean_score"] == audited[e] for e in audited.index)
    assert {emp for emp, _ in measured.sources} <= set(first)
