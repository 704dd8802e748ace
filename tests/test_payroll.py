"""Pay (csbatch.payroll.compute, docs/policy.md#pay) with the default policy: every component with exact
Decimal results on small contract-typed input frames, run through the real attendance summary and
measured values (so proration, leave shares and the production-sheet rules are the real ones);
scorecard totals and the ledger's history are small stand-ins. Then the tabulation property and
the sample month.

October 2026 has 21 workdays on the Mon–Sat schedule (National Day Oct 1–7); the production sheet
of 2026-10 is due 2026-11-02 18:00. A base of ¥2,100 makes a workday ¥100.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builders import typed_frame
from csbatch.attendance import summarise_attendance
from csbatch.calendar import WorkCalendar
from csbatch.closing.history import History as HistoryProtocol
from csbatch.closing.history import NoHistory
from csbatch.payroll.compute import PAYROLL_COMPONENTS, PayLine, compute_payroll, tabulate
from csbatch.scoring.measures import measure_all
from csbatch.scoring.measures_sales import production_shares
from csbatch.sheets.intake import Inputs

D = Decimal
PERIOD = "2026-10"
SAMPLES = Path(__file__).resolve().parents[1] / "samples"
LEAD = ["employee_id", "name", "role"]

# ---------------------------------------------------------------------------------------------
# builders: frames typed as intake types them (columns and dtypes from config/inputs.yaml)

FILES = {"roster": "员工名册.xlsx", "sales": "销售订单.xlsx", "adjustments": "其他调整.xlsx"}
#: required cells these tests leave out (typed_frame fills the declared defaults itself)
DEFAULTS = {"sales": {"customer_id": "K1"}, "complaints": {"category": "service"}}


def typed(policy, kind: str, rows: list[dict]) -> pd.DataFrame:
    return typed_frame(policy, kind, rows, defaults=DEFAULTS.get(kind), file=FILES.get(kind))


def person(emp: str, role: str = "consulting_cs", base=2100, **more) -> dict:
    return {"employee_id": emp, "name": f"员工{emp}", "role": role, "hire_date": "2020-01-01",
            "base_salary": base, "team_lead": False, **more}


class Scores:
    """What the scorecards stage hands over: member(id) → (card, score with .total, .member.rated);
    no one is in a team, so the performance bonus is all on the own total."""

    def __init__(self, totals: dict[str, tuple[str | None, bool]]):
        self.totals = totals

    def member(self, employee_id):
        if employee_id not in self.totals:
            return None, None
        total, rated = self.totals[employee_id]
        return SimpleNamespace(code="card", members=[]), SimpleNamespace(
            total=None if total is None else D(total), member=SimpleNamespace(rated=rated, team=None))


class History(NoHistory):
    """The ledger's per-order pay of closed months (and no other history)."""

    def __init__(self, rows: list[tuple[str, str, str, str, str]]):
        self.rows = pd.DataFrame(rows, columns=["order_id", "period", "employee_id", "component", "amount"])
        self.rows["amount"] = [D(a) for a in self.rows["amount"]]
        self.asked: list[str] = []

    def paid_orders(self, order_ids: Collection[str]) -> pd.DataFrame:
        self.asked += list(order_ids)
        return self.rows[self.rows["order_id"].isin(list(order_ids))].reset_index(drop=True)

    def grade(self, employee_id: str, period: str) -> str | None:
        return None


def test_the_ledger_the_stand_in_and_this_fake_are_one_history(tmp_path: Path) -> None:
    """At run time by method names; `checked` has mypy compare the fake's signatures with
    History's (mypy checks the ledger and NoHistory in csbatch.closing.history)."""
    from csbatch.ledger.store import Ledger

    checked: HistoryProtocol = History([])
    assert isinstance(checked, HistoryProtocol)
    ledger = Ledger(tmp_path / "ledger.sqlite")
    try:
        for history in (ledger, NoHistory(), History([])):
            assert isinstance(history, HistoryProtocol), type(history).__name__
    finally:
        ledger.close()
    assert not isinstance(object(), HistoryProtocol)


@pytest.fixture(scope="module")
def calendar(policy):
    built, issues = WorkCalendar.build(policy.calendar, policy.schedule, {2026})
    assert built is not None, issues
    return built


def run(policy, calendar, people, *, absent=(), scores=None, history=None, **kinds):
    """The month for `people`: present on every scheduled workday except the (employee, date)
    pairs in `absent` and the days of their leave rows; then measured values and pay."""
    workdays = calendar.workdays(dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    off = set(absent) | {(r["employee_id"], r["start"][:10]) for r in kinds.get("leave", [])}
    clock = []
    for p in people:
        hired, left = p["hire_date"], p.get("leave_date") or "9999-12-31"
        clock += [{"employee_id": p["employee_id"], "date": d.isoformat(), "clock_in": "08:25:00",
                   "clock_out": "17:35:00"} for d in workdays
                  if hired <= d.isoformat() <= left and (p["employee_id"], d.isoformat()) not in off]
    frames = {kind: typed(policy, kind, kinds.get(kind, [])) for kind in policy.inputs.kinds}
    frames["roster"] = typed(policy, "roster", people)
    frames["attendance"] = typed(policy, "attendance", clock)
    letters = {("其他调整.xlsx", "adjustments"): {"employee_id": "A", "component": "B", "amount": "C",
                                                 "reason": "D"}}
    inputs = Inputs(PERIOD, frames, [], letters)
    attendance = summarise_attendance(PERIOD, frames["roster"], frames["attendance"], frames["leave"],
                                      calendar, policy.schedule, policy.leave.types)
    measured, _ = measure_all(PERIOD, policy, inputs, attendance, None)
    result, issues = compute_payroll(PERIOD, policy, inputs, attendance, measured, scores or Scores({}),
                                     history)
    return result, issues, measured


def cell(result, emp: str, component: str) -> Decimal:
    return result.payroll.set_index("employee_id").at[emp, component]


def lines_of(result, emp: str, component: str) -> list[PayLine]:
    return [l for l in result.lines if l.employee_id == emp and l.component == component]


def errors(issues):
    return [i for i in issues if i.is_error]


# ---------------------------------------------------------------------------------------------
# base pay, absence, subsidy, position allowance


def test_joiner_and_leaver_are_prorated_by_scheduled_workdays(policy, calendar):
    people = [person("1001"), person("1002", hire_date="2026-10-21"),
              person("1003", leave_date="2026-10-26")]
    result, issues, _ = run(policy, calendar, people)
    assert errors(issues) == []
    # joiner: Oct 21–31 = 10 of 21 workdays; leaver: Oct 8–26 = 16 of 21
    assert cell(result, "1001", "base_pay") == D("2100.00")
    assert cell(result, "1002", "base_pay") == D("1000.00")
    assert cell(result, "1003", "base_pay") == D("1600.00")
    assert cell(result, "1002", "subsidy") == D("95.24")       # 200 × 10/21 = 95.238…
    assert cell(result, "1003", "subsidy") == D("152.38")      # 200 × 16/21 = 152.380…
    assert lines_of(result, "1002", "base_pay")[0].reason == "scheduled 10 of 21 workdays"
    assert all(cell(result, e, "absence_deduction") == D("0.00") for e in ("1001", "1002", "1003"))


def test_absence_and_unpaid_share_of_leave_are_deducted(policy, calendar):
    people = [person(e) for e in ("1001", "1002", "1003", "1004", "1005")]
    leave = [{"employee_id": "1002", "start": "2026-10-13", "end": "2026-10-13", "leave_type": "sick",
              "approved": True},
             {"employee_id": "1003", "start": "2026-10-14", "end": "2026-10-14", "leave_type": "personal",
              "approved": True},
             {"employee_id": "1004", "start": "2026-10-15", "end": "2026-10-15", "leave_type": "annual",
              "approved": True},
             {"employee_id": "1005", "start": "2026-10-16", "end": "2026-10-16", "leave_type": "sick",
              "approved": True}]
    result, issues, _ = run(policy, calendar, people, leave=leave,
                            absent=[("1001", "2026-10-12"), ("1005", "2026-10-12")])
    assert errors(issues) == []
    assert cell(result, "1001", "absence_deduction") == D("-100.00")   # absent: a whole day
    assert cell(result, "1002", "absence_deduction") == D("-20.00")    # sick: 0.2 of a day unpaid
    assert cell(result, "1003", "absence_deduction") == D("-100.00")   # personal leave: unpaid
    assert cell(result, "1004", "absence_deduction") == D("0.00")      # annual leave: paid
    [line] = lines_of(result, "1005", "absence_deduction")
    assert line == PayLine("1005", "absence_deduction", D("-120.00"), "absent 1 d, unpaid leave 0.2 d")
    assert all(cell(result, e, "base_pay") == D("2100.00") for e in ("1001", "1005"))


def test_subsidy_default_roster_override_and_roles_without_it(policy, calendar):
    people = [person("1001"), person("1002", subsidy=300), person("1003", role="supervisor", base=3500),
              person("1004", role="cs_manager", base=6000, subsidy=500)]
    result, _, _ = run(policy, calendar, people)
    assert cell(result, "1001", "subsidy") == D("200.00")
    assert cell(result, "1002", "subsidy") == D("300.00")
    assert cell(result, "1003", "subsidy") == D("0.00")    # supervisor: not a listed role
    assert cell(result, "1004", "subsidy") == D("0.00")    # roster value ignored for an unlisted role


def test_position_allowance_for_team_lead_and_cs_lead(policy, calendar):
    people = [person("1001", team_lead=True), person("1002", role="cs_lead", base=4800),
              person("1003", role="cs_lead", base=4800, team_lead=True), person("1004"),
              person("1005", team_lead=True, hire_date="2026-10-21")]
    result, _, _ = run(policy, calendar, people)
    assert cell(result, "1001", "position_allowance") == D("300.00")
    assert cell(result, "1002", "position_allowance") == D("500.00")
    assert cell(result, "1003", "position_allowance") == D("800.00")
    assert cell(result, "1004", "position_allowance") == D("0.00")
    assert cell(result, "1005", "position_allowance") == D("142.86")   # 300 × 10/21
    # no scorecards in this run: the floating team-lead allowance is paid as set (浮动制度 [001])
    assert lines_of(result, "1001", "position_allowance")[0].reason == "team lead; no rated total: paid as set"


# ---------------------------------------------------------------------------------------------
# per-order pay


def test_order_bonus_phone_direct_in_full_and_invitation_split_fifty_fifty(policy, calendar):
    people = [person("1001"), person("1002", role="comprehensive_cs")]
    sales = [
        {"order_id": "A1", "order_date": "2026-10-12", "employee_id": "1001", "amount": "10000",
         "channel": "phone_direct"},
        {"order_id": "A2", "order_date": "2026-10-13", "employee_id": "1001", "amount": "6517",
         "channel": "invitation_sales", "sales_rep_id": "XS101"},
        {"order_id": "A3", "order_date": "2026-10-13", "employee_id": "1001", "amount": "5000",
         "channel": "online"},                                           # no agent share: nothing
        {"order_id": "A4", "order_date": "2026-10-14", "employee_id": "1001", "amount": "9000",
         "channel": "phone_direct", "status": "cancelled"},
        {"order_id": "A5", "order_date": "2026-09-30", "employee_id": "1001", "amount": "9000",
         "channel": "phone_direct"},                                     # last month's order
        {"order_id": "A6", "order_date": "2026-10-14", "employee_id": "1002", "amount": "3000",
         "channel": "phone_direct"},                                     # not a consulting agent
    ]
    result, issues, _ = run(policy, calendar, people, sales=sales)
    assert errors(issues) == []
    # 1% × 10000 + 1% × 6517 × 50% = 100 + 32.585 → 132.59 (half-up, per line)
    assert cell(result, "1001", "order_bonus") == D("132.59")
    assert cell(result, "1002", "order_bonus") == D("0.00")
    splits = result.order_splits
    assert list(splits.columns) == ["order_id", "employee_id", "sales_rep_id", "amount", "agent_share",
                                    "rep_share"]
    assert splits.to_dict("records") == [{"order_id": "A2", "employee_id": "1001", "sales_rep_id": "XS101",
                                          "amount": D("6517"), "agent_share": D("32.585"),
                                          "rep_share": D("32.585")}]
    bonus = result.order_pay[result.order_pay["component"] == "order_bonus"]
    assert bonus[["order_id", "employee_id", "amount"]].values.tolist() == [
        ["A1", "1001", D("100")], ["A2", "1001", D("32.585")]]
    assert "XS101" not in set(result.payroll["employee_id"])        # the rep is not on the payroll


def test_an_invitation_order_without_a_sales_rep_is_split_with_a_warning(policy, calendar):
    sales = [{"order_id": "A1", "order_date": "2026-10-12", "employee_id": "1001", "amount": "2000",
              "channel": "invitation_sales"}]
    result, issues, _ = run(policy, calendar, [person("1001")], sales=sales)
    assert [(i.code, i.is_error, str(i.source)) for i in issues] == [
        ("payroll.no_sales_rep", False, "销售订单.xlsx[sales]!row 2")]
    assert result.order_splits[["sales_rep_id", "agent_share", "rep_share"]].values.tolist() == [
        [None, D("10.00"), D("10.00")]]
    assert cell(result, "1001", "order_bonus") == D("10.00")


def test_commission_after_the_production_sheet_rules(policy, calendar):
    people = [person("1001", role="comprehensive_cs"), person("1002", role="ecommerce_cs"),
              person("1003", role="ecommerce_cs"), person("1004", role="ecommerce_cs"),
              person("1005", role="ecommerce_cs")]
    sales = [{"order_id": f"S{i}", "order_date": "2026-10-15", "employee_id": emp, "amount": amount}
             for i, (emp, amount) in enumerate([("1001", "10000"), ("1001", "2345.67"), ("1002", "8000"),
                                                ("1003", "1000"), ("1003", "234.5"), ("1004", "5000"),
                                                ("1005", "3000")])]
    production = [
        {"employee_id": "1002", "period": PERIOD, "reported_sales": "8000", "submitted_at": "2026-11-02 17:00"},
        {"employee_id": "1003", "period": PERIOD, "reported_sales": "2000", "submitted_at": "2026-11-01 10:00"},
        {"employee_id": "1004", "period": PERIOD, "reported_sales": "5000", "submitted_at": "2026-11-03 09:00"},
    ]                                                                   # 1005: no sheet
    result, issues, measured = run(policy, calendar, people, sales=sales, production=production)
    assert errors(issues) == []
    assert cell(result, "1001", "commission") == D("246.91")   # 2% × 12345.67 = 246.9134
    assert cell(result, "1002", "commission") == D("80.00")    # on time: 1% × 8000
    assert cell(result, "1003", "commission") == D("6.17")     # over-reported: 1% × 1234.5 × 50%
    assert cell(result, "1004", "commission") == D("0.00")     # late: 0%
    assert cell(result, "1005", "commission") == D("0.00")     # missing: 0%
    assert "→ 50%" in lines_of(result, "1003", "commission")[0].reason
    # Σ of each agent's per-order commission is exactly rate × measured counted_sales
    paid = result.order_pay[result.order_pay["component"] == "commission"]
    rates = policy.pay.components["commission"].rates
    for p in people:
        emp = p["employee_id"]
        mine = sum(paid.loc[paid["employee_id"] == emp, "amount"], D(0))
        assert mine == rates[p["role"]] * measured.values.at[emp, "counted_sales"]
    assert production_shares(measured.values).to_dict() == {"1001": D(1), "1002": D(1), "1003": D("0.5"),
                                                            "1004": D(0), "1005": D(0)}


def test_reversal_of_a_refunded_order_paid_in_a_closed_month(policy, calendar):
    people = [person("1001"), person("1002", role="comprehensive_cs")]
    sales = [{"order_id": "R1", "order_date": "2026-09-20", "employee_id": "1001", "amount": "6517",
              "channel": "invitation_sales", "sales_rep_id": "XS101", "status": "refunded"},
             {"order_id": "R2", "order_date": "2026-09-21", "employee_id": "1002", "amount": "1234.5",
              "status": "refunded"},
             {"order_id": "R3", "order_date": "2026-10-21", "employee_id": "1002", "amount": "500",
              "status": "refunded"}]                                 # refunded before it was paid
    history = History([("R1", "2026-09", "1001", "order_bonus", "32.585"),
                       ("R2", "2026-09", "1002", "commission", "24.69"),
                       ("R2", "2026-09", "1002", "commission", "0.0000")])
    result, issues, _ = run(policy, calendar, people, sales=sales, history=history)
    assert errors(issues) == []
    assert sorted(history.asked) == ["R1", "R2", "R3"]
    assert lines_of(result, "1001", "order_bonus") == [
        PayLine("1001", "order_bonus", D("-32.59"), "refund of order R1 paid in 2026-09")]
    assert lines_of(result, "1002", "commission") == [
        PayLine("1002", "commission", D("-24.69"), "refund of order R2 paid in 2026-09")]
    assert result.order_pay.empty and result.order_splits.empty   # nothing paid per order this month


def test_a_refund_for_someone_gone_is_a_warning_not_a_line(policy, calendar):
    sales = [{"order_id": "R1", "order_date": "2026-09-20", "employee_id": "1009", "amount": "100",
              "status": "refunded"}]
    history = History([("R1", "2026-09", "1009", "commission", "2.00")])
    result, issues, _ = run(policy, calendar, [person("1001")], sales=sales, history=history)
    assert [i.code for i in issues] == ["payroll.reversal_not_employed"]
    assert not issues[0].is_error and "1009" in issues[0].message
    assert [l.component for l in result.lines] == ["base_pay", "subsidy"]


# ---------------------------------------------------------------------------------------------
# measured, scored and recorded components


def test_invitation_bonus_per_accepted_invitation(policy, calendar):
    people = [person("1001", role="invitation_cs"), person("1002")]
    contacts = [{"employee_id": "1001", "date": "2026-10-12", "invitations": 10, "accepted": 3},
                {"employee_id": "1001", "date": "2026-10-13", "invitations": 10, "accepted": 4},
                {"employee_id": "1002", "date": "2026-10-13", "invitations": 10, "accepted": 5}]
    result, _, _ = run(policy, calendar, people, contacts=contacts)
    assert cell(result, "1001", "invitation_bonus") == D("140.00")   # 7 × ¥20
    assert cell(result, "1002", "invitation_bonus") == D("0.00")     # not an invitation agent


def test_performance_bonus_capped_not_rated_negative_and_no_card(policy, calendar):
    people = [person("1001"), person("1002"), person("1003"), person("1004"),
              person("1005", role="ecommerce_cs"), person("1006", role="receptionist"),
              person("1007", role="supervisor", base=3500)]
    scores = Scores({"1001": ("130", True), "1002": ("87.5", True), "1003": ("95", False),
                     "1004": ("-5", True), "1005": ("130", True), "1007": ("100", True)})
    result, _, _ = run(policy, calendar, people, scores=scores)
    assert cell(result, "1001", "performance_bonus") == D("360.00")   # 300 × 120/100
    assert lines_of(result, "1001", "performance_bonus")[0].reason == "total 130 capped at 120"
    assert cell(result, "1002", "performance_bonus") == D("262.50")   # 300 × 87.5/100
    assert cell(result, "1003", "performance_bonus") == D("0.00")     # not rated
    assert lines_of(result, "1003", "performance_bonus") == []
    assert cell(result, "1004", "performance_bonus") == D("0.00")     # a bonus, never a fine
    assert cell(result, "1005", "performance_bonus") == D("600.00")   # 500 × 1.2
    assert cell(result, "1006", "performance_bonus") == D("0.00")     # no scorecard
    assert cell(result, "1007", "performance_bonus") == D("800.00")


def test_awards_of_the_month_with_their_names(policy, calendar):
    rec = [{"employee_id": "1001", "date": "2026-10-08", "kind": "service_star"},
           {"employee_id": "1001", "date": "2026-10-20", "kind": "employee_of_month"},
           {"employee_id": "1001", "date": "2026-10-21", "kind": "overtime"},          # points, no cash
           {"employee_id": "1002", "date": "2026-09-30", "kind": "service_star"},      # last month
           {"employee_id": "1002", "date": "2026-10-30", "kind": "sales_champion_quarter"}]
    result, _, _ = run(policy, calendar, [person("1001"), person("1002")], recognitions=rec)
    assert lines_of(result, "1001", "awards") == [PayLine("1001", "awards", D("400.00"), "服务之星; 月度优秀员工")]
    assert cell(result, "1002", "awards") == D("1000.00")


def test_loss_deduction_only_for_our_fault(policy, calendar):
    complaints = [
        {"complaint_id": "C1", "received_at": "2026-10-12 10:00", "employee_id": "1001", "loss_amount": "350"},
        {"complaint_id": "C2", "received_at": "2026-10-13 10:00", "employee_id": "1001", "loss_amount": "1000",
         "our_fault": False},
        {"complaint_id": "C3", "received_at": "2026-10-14 10:00", "employee_id": "1001"},
        {"complaint_id": "C4", "received_at": "2026-10-15 10:00", "employee_id": "1001", "loss_amount": "80.5"},
        {"complaint_id": "C5", "received_at": "2026-09-29 10:00", "employee_id": "1002", "loss_amount": "99"},
    ]
    result, issues, _ = run(policy, calendar, [person("1001"), person("1002")], complaints=complaints)
    assert lines_of(result, "1001", "loss_deduction") == [
        PayLine("1001", "loss_deduction", D("-430.50"), "complaint C1, C4")]
    assert cell(result, "1002", "loss_deduction") == D("0.00")
    assert [(i.code, i.is_error) for i in issues] == [("payroll.loss_outside_period", False)]


def test_adjustments_each_a_line_with_its_reason(policy, calendar):
    adjustments = [{"employee_id": "1001", "component": "other", "amount": "350", "reason": "9月漏算加班费补发"},
                   {"employee_id": "1001", "component": "other", "amount": "-200", "reason": "遗失门店钥匙赔偿"},
                   {"employee_id": "1002", "component": "commission", "amount": "12.345", "reason": "补提成"}]
    result, issues, _ = run(policy, calendar, [person("1001"), person("1002")], adjustments=adjustments)
    assert errors(issues) == []
    assert lines_of(result, "1001", "other") == [PayLine("1001", "other", D("350.00"), "9月漏算加班费补发"),
                                                 PayLine("1001", "other", D("-200.00"), "遗失门店钥匙赔偿")]
    assert cell(result, "1001", "other") == D("150.00")
    assert cell(result, "1002", "commission") == D("12.35")
    comp = result.components.set_index(["employee_id", "component"])
    assert comp.at[("1001", "other"), "reason"] == "9月漏算加班费补发; 遗失门店钥匙赔偿"
    assert list(result.payroll.columns)[-2:] == ["other", "gross_pay"]


def test_adjustment_breaking_the_sign_or_for_someone_not_employed_is_an_error(policy_copy, calendar):
    policy_copy.edit("pay.yaml", "    kind: manual ", "    sign: positive\n    kind: manual ")
    policy, found = policy_copy.load()
    assert policy is not None, found
    adjustments = [{"employee_id": "1001", "component": "other", "amount": "-200", "reason": "罚款"},
                   {"employee_id": "1001", "component": "other", "amount": "50", "reason": "奖励"},
                   {"employee_id": "1009", "component": "other", "amount": "50", "reason": "奖励"}]
    result, issues, _ = run(policy, calendar, [person("1001")], adjustments=adjustments)
    assert [(i.code, str(i.source)) for i in errors(issues)] == [
        ("payroll.adjustment_sign", "其他调整.xlsx[adjustments]!C2"),
        ("payroll.adjustment_not_employed", "其他调整.xlsx[adjustments]!A4")]
    assert "positive" in errors(issues)[0].message
    assert lines_of(result, "1001", "other") == [PayLine("1001", "other", D("50.00"), "奖励")]


# ---------------------------------------------------------------------------------------------
# the sheets


def test_payroll_columns_gross_and_components(policy, calendar):
    people = [person("1001", team_lead=True, hire_date="2026-10-21"), person("1002", role="cs_manager", base=6800)]
    sales = [{"order_id": "A1", "order_date": "2026-10-22", "employee_id": "1001", "amount": "1234.56",
              "channel": "phone_direct"}]
    result, _, _ = run(policy, calendar, people, sales=sales, scores=Scores({"1001": ("80", False)}))
    assert list(result.payroll.columns) == [*LEAD, *PAYROLL_COMPONENTS, "gross_pay"]
    assert result.payroll["employee_id"].tolist() == ["1001", "1002"]
    row = result.payroll.iloc[0]
    assert all(isinstance(row[c], Decimal) for c in PAYROLL_COMPONENTS)
    assert row["gross_pay"] == sum((l.amount for l in result.lines if l.employee_id == "1001"), D(0))
    assert row["gross_pay"] == sum((row[c] for c in PAYROLL_COMPONENTS), D(0))
    # 1000.00 base + 95.24 subsidy + 142.86 allowance + 12.35 order bonus (1% × 1234.56 = 12.3456)
    assert row["gross_pay"] == D("1250.45")
    assert result.components[result.components["employee_id"] == "1001"]["component"].tolist() == [
        "base_pay", "subsidy", "position_allowance", "order_bonus"]
    assert list(result.components.columns) == ["employee_id", "name", "component", "amount", "reason"]
    assert (result.components["amount"] != 0).all()


CODES = ["base_pay", "absence_deduction", "subsidy", "commission", "performance_bonus", "awards", "other",
         "extra"]
amounts = st.decimals(min_value=D("-100000"), max_value=D("100000"), places=7, allow_nan=False,
                      allow_infinity=False)
pay_lines = st.lists(st.builds(PayLine, st.sampled_from(["1", "2", "3", "4"]), st.sampled_from(CODES),
                               amounts, st.sampled_from(["", "a", "b"])), max_size=40)


@settings(max_examples=200, deadline=None)
@given(pay_lines)
def test_components_always_add_up_to_gross_pay(lines):
    people = pd.DataFrame({"employee_id": ["1", "2", "3", "4"], "name": list("ABCD"), "role": ["x"] * 4})
    payroll, components = tabulate(lines, people, CODES, always=CODES[:3])
    columns = [c for c in payroll.columns if c not in (*LEAD, "gross_pay")]
    assert columns == [c for c in CODES if c in CODES[:3] or any(l.component == c for l in lines)]
    for _, row in payroll.iterrows():
        emp = row["employee_id"]
        assert sum((row[c] for c in columns), D(0)) == row["gross_pay"]
        assert row["gross_pay"] == sum((l.amount for l in lines if l.employee_id == emp), D(0))
        listed = components[components["employee_id"] == emp].set_index("component")["amount"]
        for c in columns:
            assert row[c] == listed.get(c, D(0))
            assert (c in listed.index) == (row[c] != 0)


# ---------------------------------------------------------------------------------------------
# the sample month


def test_sample_month_pays_without_errors(policy):
    from csbatch.closing.runs import run_until_written

    outcome = run_until_written(PERIOD, SAMPLES / PERIOD, policy.root)
    s = outcome.state
    assert s.scores is not None, [str(i) for i in outcome.issues if i.is_error]
    result, issues = compute_payroll(PERIOD, s.policy, s.inputs, s.attendance, s.measured, s.scores,
                                     History([]))
    assert errors(issues) == []
    assert result.payroll["employee_id"].tolist() == s.attendance.summary["employee_id"].tolist()
    components = [c for c in result.payroll.columns if c not in (*LEAD, "gross_pay")]
    assert components[:len(PAYROLL_COMPONENTS)] == list(PAYROLL_COMPONENTS)
    for _, row in result.payroll.iterrows():
        assert sum((row[c] for c in components), D(0)) == row["gross_pay"]
    rates = s.policy.pay.components["commission"].rates
    paid = result.order_pay[result.order_pay["component"] == "commission"]
    for emp, role in zip(result.payroll["employee_id"], result.payroll["role"]):
        if role in rates:
            mine = sum(paid.loc[paid["employee_id"] == emp, "amount"], D(0))
            assert mine == rates[role] * s.measured.values.at[emp, "counted_sales"]
    assert (result.order_splits["agent_share"] + result.order_splits["rep_share"]
            == result.order_splits["amount"] * s.policy.pay.components["order_bonus"].rate).all()
