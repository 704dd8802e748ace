"""Issue 9, the month: every row the close uses belongs to the period being closed.

Each test builds the bad month for real (a copy of the sample month with rows of other months
added, or `csbatch sample` for another month) and closes it through the CLI. Rows of another
month are a warning naming them and never reach pay, scorecards or the audit; another month's
attendance or sales, or a month in which nobody was present, is refused.
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from collections import Counter
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from harness import CONFIG, PERIOD, Closer, cli, edit_sheet, sample_month

SALES = "销售订单_1.xlsx"
COMPLAINTS = "投诉登记_2026-10.xlsx"
CALLBACKS = "回访记录_2026-10.xlsx"
ATTENDANCE = "考勤_2026-10.csv"


def rows_of(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def data(closer: Closer, name: str, period: str = PERIOD) -> bytes:
    return (closer.out / period / "data" / name).read_bytes()


@pytest.fixture(scope="module")
def baseline(tmp_path_factory) -> Closer:
    """The sample month closed as committed: what a close must equal when the added rows of
    other months are left out."""
    tmp = tmp_path_factory.mktemp("baseline")
    closer = Closer(tmp)
    run = closer.close(sample_month(tmp))
    assert run.exit_code == 0, run.output
    return closer


def test_files_of_another_month_are_refused(tmp_path):
    """November closed, then December closed with November's files still in the inbox: exit 1
    naming the month they hold, not a month of absence for everyone."""
    nov = tmp_path / "nov"
    made = cli("sample", "2026-11", "--out", nov)
    assert made.exit_code == 0, made.output
    closer = Closer(tmp_path)
    assert closer.close(nov, "2026-11").exit_code == 0
    run = closer.refused(nov, "these files hold 2026-11, not 2026-12", "考勤_2026-11.csv",
                                   "销售订单_1.xlsx, 销售订单_2.xlsx", period="2026-12")
    assert "absent" not in run.stderr


def test_last_months_sales_order_is_warned_and_not_paid(tmp_path, baseline):
    inputs = sample_month(tmp_path)
    added = []

    def add_order(ws):
        # sold by whoever sold the sheet's first October order: an order this month would pay them
        seller = ws.cell(2, 3).value
        ws.append(["WD26090000999", dt.datetime(2026, 9, 30), seller, "KH000098", "乳胶枕", 5000,
                   None, "在线成交", "常规", None, "是", "已完成"])
        added.append(ws.max_row)
    edit_sheet(inputs / SALES, add_order, "网店订单")
    closer = Closer(tmp_path)
    closer.warned(inputs, f"{SALES}[网店订单]: warning: 1 销售订单 row dated outside 2026-10 not "
                          f"counted: B{added[0]} (2026-09-30)")
    for name in ("payroll.csv", "payroll_components.csv", "order_splits.csv", "scorecard_items.csv",
                 "vip_members.csv"):
        assert data(closer, name) == data(baseline, name), name


def _complaint(ws, cid: str, received, resolved, employee: str = "1007"):
    ws.append([cid, received, "KH000128", None, employee, "服务投诉", "是", resolved, None, None,
               "八月的投诉，仍在台账里"])


def test_august_complaint_is_warned_and_not_scored_nor_late(tmp_path, baseline):
    """An open complaint of August left in the running register: not 投诉管理 −10 for October,
    not 'late, 61.93 days' in October's audit."""
    # against someone whose scorecard counts complaints and who has none in the sample October
    scored = rows_of(baseline.out / PERIOD / "data" / "scorecard_items.csv")
    employee = next(r["employee_id"] for r in scored if r["item"] == "complaints" and r["measured"] == "0")
    inputs = sample_month(tmp_path)
    edit_sheet(inputs / COMPLAINTS, lambda ws: _complaint(ws, "TS26080001", dt.datetime(2026, 8, 30, 10), None,
                                                          employee))
    closer = Closer(tmp_path)
    closer.warned(inputs, f"{COMPLAINTS}[投诉登记]: warning: 1 投诉登记 row dated outside 2026-10 not "
                          "counted: B18 (2026-08-30)")
    items = {(r["employee_id"], r["item"]): r for r in rows_of(closer.out / PERIOD / "data" / "scorecard_items.csv")}
    assert items[(employee, "complaints")]["points"] == "5.00"
    assert data(closer, "scorecards.csv") == data(baseline, "scorecards.csv")
    assert data(closer, "complaints.csv") == data(baseline, "complaints.csv")
    assert "TS26080001" not in data(closer, "complaints.csv").decode("utf-8-sig")


def test_earlier_complaint_resolved_this_month_is_in_the_audit_not_the_scorecard(tmp_path, baseline):
    """Received in September, resolved in October: legitimately in October's register — the
    audit's SLA list shows it (late), the scorecards do not count it, and no warning."""
    inputs = sample_month(tmp_path)
    edit_sheet(inputs / COMPLAINTS, lambda ws: _complaint(ws, "TS26090001", dt.datetime(2026, 9, 28, 10),
                                                          dt.datetime(2026, 10, 9, 16)))
    closer = Closer(tmp_path)
    run = closer.close(inputs)
    assert run.exit_code == 0, run.output
    assert "dated outside" not in run.stderr
    listed = {r["complaint_id"]: r for r in rows_of(closer.out / PERIOD / "data" / "complaints.csv")}
    assert listed["TS26090001"]["sla_status"] == "late"
    assert data(closer, "scorecards.csv") == data(baseline, "scorecards.csv")
    assert data(closer, "scorecard_items.csv") == data(baseline, "scorecard_items.csv")


def test_callbacks_of_other_months_are_warned_and_not_counted(tmp_path, baseline):
    inputs = sample_month(tmp_path)

    def add(ws):
        # done in September (a bad rating), planned in September and never done, done in November
        ws.append(["1009", "朱伟", "KH000140", None, dt.datetime(2026, 9, 20), dt.datetime(2026, 9, 21, 10),
                   "不满意", 20, "太慢", "否"])
        ws.append(["1009", "朱伟", "KH000141", None, dt.datetime(2026, 9, 25), None, None, None, None, None])
        ws.append(["1015", "贺蕾静", "KH000101", None, None, dt.datetime(2026, 11, 3, 9), "不满意", 10, None, "否"])
    edit_sheet(inputs / CALLBACKS, add)
    closer = Closer(tmp_path)
    closer.warned(inputs, f"{CALLBACKS}[回访记录]: warning: 3 回访记录 rows dated outside 2026-10 not "
                          "counted: F43 (2026-09-21), E44 (2026-09-25), F45 (2026-11-03)")
    assert data(closer, "scorecards.csv") == data(baseline, "scorecards.csv")
    assert data(closer, "scorecard_items.csv") == data(baseline, "scorecard_items.csv")


def test_callback_planned_this_month_done_next_is_planned_not_done(tmp_path, baseline):
    """Planned for 31 October, done on 2 November: October planned it and did not do it (its
    rating counts in November), so October's completion rate falls; no warning, it belongs here."""
    inputs = sample_month(tmp_path)
    # the person with the most callbacks in the sample October (so a completion rate to fall)
    planned = Counter(row[:2] for row in openpyxl.load_workbook(inputs / CALLBACKS).worksheets[0]
                      .iter_rows(min_row=2, values_only=True) if row[0])
    (employee, name), _ = planned.most_common(1)[0]
    edit_sheet(inputs / CALLBACKS, lambda ws: ws.append(
        [employee, name, "KH000140", None, dt.datetime(2026, 10, 31), dt.datetime(2026, 11, 2, 10),
         "不满意", 20, "太慢", "否"]))
    closer = Closer(tmp_path)
    run = closer.close(inputs)
    assert run.exit_code == 0, run.output
    assert "dated outside" not in run.stderr
    from csbatch.closing.runs import run_until_written

    before = run_until_written(PERIOD, sample_month(tmp_path, "again"), CONFIG).state.measured.values
    after = run_until_written(PERIOD, inputs, CONFIG).state.measured.values
    rate = "callback_completion_rate"
    assert after.at[employee, rate] < before.at[employee, rate]
    for measure in ("callbacks_dissatisfied", "callbacks_rated", "survey_satisfaction"):
        assert after.at[employee, measure] == before.at[employee, measure], measure


def test_nobody_present_is_refused(tmp_path):
    """No attendance file (or one of other people): every employee absent every day is not a
    month to pay."""
    inputs = sample_month(tmp_path)
    (inputs / ATTENDANCE).unlink()
    Closer(tmp_path).refused(inputs, "nobody was present on any workday of 2026-10",
                             "no attendance file (考勤) was given", "attendance: tracked: false")


def test_punches_with_their_time_blanked_are_refused(tmp_path):
    """A punch row whose time was blanked (one cell or the whole column) is no punch: dropping it
    silently would turn the day into an absence, so each such row is an error, named."""
    inputs = sample_month(tmp_path)
    path = inputs / ATTENDANCE
    with path.open(encoding="gb18030", newline="") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], rows[1:]
    at = next(i for i, name in enumerate(header) if "时间" in name)
    for row in body[:7]:
        row[at] = ""
    with path.open("w", encoding="gb18030", newline="") as fh:
        csv.writer(fh).writerows([header, *body])
    letter = "ABCDEFGH"[at]
    Closer(tmp_path).refused(inputs, "7 考勤 rows with no date (date, punch_time): "
                                     f"{letter}2, {letter}3, {letter}4, {letter}5, {letter}6, …")


def test_attendance_not_tracked_closes_with_no_absence(tmp_path):
    """A department without a time clock says so in calendar.yaml: no attendance file, nobody
    absent, present on every scheduled day not on leave."""
    inputs = sample_month(tmp_path)
    (inputs / ATTENDANCE).unlink()
    config = tmp_path / "config"
    shutil.copytree(CONFIG, config)
    calendar = config / "calendar.yaml"
    text = calendar.read_text(encoding="utf-8")
    assert "  tracked: true" in text
    calendar.write_text(text.replace("  tracked: true", "  tracked: false"), encoding="utf-8")
    out = tmp_path / "out"
    run = cli("monthly-close", PERIOD, "--inputs", inputs, "--out", out, "--config", config)
    assert run.exit_code == 0, run.output
    assert "nobody was present" not in run.stderr
    summary = rows_of(out / PERIOD / "data" / "attendance.csv")
    roster = openpyxl.load_workbook(inputs / "员工名册.xlsx").worksheets[0]
    employees = [str(row[0]) for row in roster.iter_rows(min_row=2, values_only=True) if row[0] is not None]
    assert len(employees) == 21   # the sample's roster: everyone is in the attendance summary
    assert sorted(r["employee_id"] for r in summary) == sorted(employees)
    # absent only on unapproved leave (1014 two days, 1009 and 1013 one each in the sample's 请假)
    assert {r["employee_id"]: r["absent_days"] for r in summary if r["absent_days"] != "0"} == \
        {"1009": "1", "1013": "1", "1014": "2"}
    # a day off in the 排班表 is neither present nor absent, and no day of pay less (scheduled_days
    # stay the calendar's): the sample's two night workers each have one, on a Wednesday
    rota = openpyxl.load_workbook(inputs / "排班表_2026-10.xlsx").worksheets[0]
    days_off = {str(row[0]): sum(1 for cell in row[2:] if cell == "休")
                for row in rota.iter_rows(values_only=True) if row[0] is not None and str(row[0]).isdigit()}
    assert {e: n for e, n in days_off.items() if n} == {"1016": 1, "1017": 1}
    for r in summary:
        assert r["late_count"] == "0" and r["early_count"] == "0" and r["missing_punches"] == "0"
        on_leave = Decimal(r["paid_leave_days"]) + Decimal(r["unpaid_leave_days"])
        off = days_off.get(r["employee_id"], 0)
        assert Decimal(r["present_days"]) + on_leave + Decimal(r["absent_days"]) + off == \
            Decimal(r["scheduled_days"]), r


def test_leave_is_of_the_month_it_overlaps(tmp_path, baseline):
    """A leave from 28 September to 9 October overlaps October and counts (its October days are
    leave, not absence); one wholly in September is warned and left out."""
    inputs = sample_month(tmp_path)

    def add(ws):
        ws.append(["1002", "金晴振", "年假", dt.datetime(2026, 9, 28), dt.datetime(2026, 10, 9), "已批准"])
        ws.append(["1003", "杜军秋", "年假", dt.datetime(2026, 9, 1), dt.datetime(2026, 9, 3), "已批准"])
    edit_sheet(inputs / "月度台账_2026-10.xlsx", add, "请假")
    closer = Closer(tmp_path)
    closer.warned(inputs, "月度台账_2026-10.xlsx[请假]: warning: 1 请假 row dated outside 2026-10 not "
                          "counted: D12 (2026-09-01)")
    summary = {r["employee_id"]: r for r in rows_of(closer.out / PERIOD / "data" / "attendance.csv")}
    before = {r["employee_id"]: r for r in rows_of(baseline.out / PERIOD / "data" / "attendance.csv")}
    assert Decimal(summary["1002"]["paid_leave_days"]) > Decimal(before["1002"]["paid_leave_days"])
    assert summary["1003"] == before["1003"]


def test_a_period_column_that_is_not_a_date_is_a_policy_error(tmp_path):
    config = tmp_path / "config"
    shutil.copytree(CONFIG, config)
    path = config / "inputs.yaml"
    text = path.read_text(encoding="utf-8")
    assert "    period: {date: start, until: end}" in text
    path.write_text(text.replace("    period: {date: start, until: end}",
                                 "    period: {date: leave_type, until: ending}"), encoding="utf-8")
    run = cli("policy", "check", "--config", config)
    assert run.exit_code == 1, run.output
    assert "inputs.yaml:" in run.output
    assert "date: column 'leave_type' is a code column, not a date, datetime or month" in run.output
    assert "until: column 'ending' does not exist" in run.output
