"""The recurring duties of the seeds as deadline rules through real closes (issue 13, item 3):
the daily business records by 17:30 on each workday of the calendar ([000]), the team lead's
weekly review ([004]), the weekly team meeting whose absence without a reason costs a conduct
point ([002]) and the weekly training whose test below the pass mark is listed ([001]).

October 2026: National Day Oct 1–7, schedule Monday–Saturday, Sundays off."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl

from builders import ROSTER_HEADER, read_csv_rows, write_attendance, write_xlsx
from conftest import CONFIG
from csbatch.closing.runs import monthly_close

ROSTER = [
    ["1002", "李四", "网购客服", "一组", "是", "2025-04-01", "", 2300, 8000, ""],
    ["1003", "王五", "咨询类客服", "二组", "否", "2024-01-15", "", 2100, "", ""],
    ["1004", "赵六", "咨询类客服", "二组", "否", "2024-02-01", "", 2100, "", ""],
]
SUBMISSIONS = ["工号", "类型", "所属日期", "提交时间"]
MEETINGS = ["类型", "日期", "工号", "是否参加", "缺席原因", "考核成绩"]

DAILY = [
    ["1003", "业务记录", "2026-10-08", "2026-10-08 17:31"],      # a minute late
    ["1003", "业务记录", "2026-10-12", "2026-10-12 17:30:40"],   # still the 17:30 minute
    ["1003", "业务记录", "2026-10-13", "2026-10-13 16:50"],
    # Oct 9: nothing handed in; 1004 hands in none at all
]
WEEKLY_REVIEW = [
    ["1002", "组长周盘点", "2026-10-05", "2026-10-10 17:30"],     # Saturday of the week, 17:30
    ["1002", "组长周盘点", "2026-10-12", "2026-10-18 09:00"],     # the Sunday after
]
MEETING_ROWS = [
    ["团队例会", "2026-10-09", "1003", "否", "病假", ""],          # absent with a reason
    ["团队例会", "2026-10-16", "1003", "是", "", ""],
    ["团队例会", "2026-10-23", "1003", "否", "", ""],              # absent, no reason
    ["团队例会", "2026-10-16", "1004", "是", "", ""],
    ["服务培训", "2026-10-15", "1003", "是", "", 55],              # below the pass mark (60)
    ["服务培训", "2026-10-15", "1004", "是", "", 60],              # exactly the pass mark
]


def month(folder: Path, *, submissions=(*DAILY, *WEEKLY_REVIEW), meetings=MEETING_ROWS, leave=()) -> Path:
    write_xlsx(folder / "员工名册.xlsx", {"Sheet1": [ROSTER_HEADER, *ROSTER]})
    write_attendance(folder, [r[0] for r in ROSTER])
    if leave:
        write_xlsx(folder / "请假.xlsx", {"Sheet1": [["工号", "开始时间", "结束时间", "请假类型", "审批状态"], *leave]})
    if submissions:
        write_xlsx(folder / "提交记录.xlsx", {"Sheet1": [SUBMISSIONS, *submissions]})
    if meetings:
        write_xlsx(folder / "会议培训记录.xlsx", {"Sheet1": [MEETINGS, *meetings]})
    return folder


def close(tmp_path: Path, config: Path = CONFIG, **sheets):
    outcome = monthly_close("2026-10", month(tmp_path / "in", **sheets), tmp_path / "out", config)
    assert outcome.ok, [str(i) for i in outcome.issues if i.is_error]
    return outcome, tmp_path / "out" / "2026-10"


def of_rule(out: Path, rule: str, emp: str) -> dict[str, dict[str, str]]:
    return {r["reference"]: r for r in read_csv_rows(out / "data" / "deadlines.csv")
            if r["rule"] == rule and r["employee_id"] == emp}


def test_daily_records_by_17_30_on_each_workday(tmp_path):
    _, out = close(tmp_path)
    mine = of_rule(out, "daily_record", "1003")
    assert mine["2026-10-08"]["status"] == "late" and mine["2026-10-08"]["due_at"] == "2026-10-08 17:30:00"
    assert mine["2026-10-12"]["status"] == "on_time" and mine["2026-10-13"]["status"] == "on_time"
    assert mine["2026-10-09"]["status"] == "missing"
    # the workdays of the calendar: not the National Day holiday, not Sundays; Saturday 10th is one
    days = sorted(mine)
    assert days[0] == "2026-10-08" and "2026-10-10" in days and "2026-10-11" not in days
    assert len(days) == 21
    assert {r["status"] for r in of_rule(out, "daily_record", "1004").values()} == {"missing"}
    assert of_rule(out, "daily_record", "1002") == {}          # not a role the rule names


def test_a_day_of_approved_leave_is_not_expected(tmp_path):
    _, out = close(tmp_path, leave=[["1004", "2026-10-14 08:30", "2026-10-14 17:30", "事假", "是"]])
    days = of_rule(out, "daily_record", "1004")
    assert "2026-10-14" not in days and "2026-10-13" in days and len(days) == 20


def test_a_make_up_workday_of_the_policy_calendar_is_expected(tmp_path, policy_copy):
    policy_copy.edit("calendar.yaml", "  open: []", "  open: [2026-10-11]")
    _, out = close(tmp_path, policy_copy.root)
    assert of_rule(out, "daily_record", "1003")["2026-10-11"]["status"] == "missing"


def test_the_team_leads_weekly_review_on_time_late_and_missing(tmp_path):
    _, out = close(tmp_path)
    weeks = {ref: r["status"] for ref, r in of_rule(out, "lead_weekly_review", "1002").items()}
    assert weeks == {"2026-09-28": "missing", "2026-10-05": "on_time", "2026-10-12": "late",
                     "2026-10-19": "missing", "2026-10-26": "missing"}
    assert of_rule(out, "lead_weekly_review", "1002")["2026-10-05"]["due_at"] == "2026-10-10 17:30:00"


def test_meeting_absence_excused_or_missing(tmp_path):
    _, out = close(tmp_path)
    weeks = {ref: r["status"] for ref, r in of_rule(out, "team_meeting", "1003").items()}
    assert weeks == {"2026-09-28": "missing", "2026-10-05": "excused", "2026-10-12": "on_time",
                     "2026-10-19": "missing"}


def performance(out: Path, emp: str) -> Decimal:
    return next(Decimal(r["performance_bonus"]) for r in read_csv_rows(out / "data" / "payroll.csv")
                if r["employee_id"] == emp)


def test_a_meeting_absence_without_reason_costs_a_conduct_point_in_pay(tmp_path):
    _, out = close(tmp_path / "a")
    items = {(r["employee_id"], r["item"]): r for r in read_csv_rows(out / "data" / "scorecard_items.csv")}
    assert items[("1003", "conduct")]["measured"] == "1" and items[("1004", "conduct")]["measured"] == "0"
    excused = [row if row[4] != "" or row[3] != "否" else [*row[:4], "家中有事", row[5]] for row in MEETING_ROWS]
    _, fine = close(tmp_path / "b", meetings=excused)
    assert performance(out, "1003") < performance(fine, "1003")
    total = {r["employee_id"]: Decimal(r["total"]) for r in read_csv_rows(out / "data" / "scorecards.csv")}
    total_fine = {r["employee_id"]: Decimal(r["total"]) for r in read_csv_rows(fine / "data" / "scorecards.csv")}
    assert total_fine["1003"] - total["1003"] == 1


def test_a_training_test_below_the_pass_mark_is_listed(tmp_path):
    outcome, out = close(tmp_path)
    frame = outcome.state.audit.deadlines
    training = frame[frame["rule"] == "training"].set_index(["employee_id", "reference"])
    assert training.loc[("1003", "2026-10-12"), "passed"] is False
    assert training.loc[("1004", "2026-10-12"), "passed"] is True      # exactly 60 passes
    page = (out / "audit_report_2026-10.html").read_text(encoding="utf-8")
    section = page[page.index('id="failed-tests"'):]
    section = section[:section.index("</table>")]
    assert "王五" in section and "55" in section and "赵六" not in section
    book = openpyxl.load_workbook(out / "audit_report_2026-10.xlsx", read_only=True)
    rows = list(book[next(n for n in book.sheetnames if "时限" in n)].iter_rows(values_only=True))
    assert any("服务培训" in str(r[0]) and r[1] == "1003" and 55 in r for r in rows[1:]), rows[:3]


def test_a_month_without_the_duty_sheets_lists_nobody_missing(tmp_path):
    outcome, out = close(tmp_path, submissions=(), meetings=())
    rules = {r["rule"] for r in read_csv_rows(out / "data" / "deadlines.csv")}
    assert not rules & {"daily_record", "team_meeting", "training", "lead_weekly_review", "work_summary"}
    warned = [i for i in outcome.issues if i.code == "deadlines.no_evidence"]
    assert len(warned) == 1 and "业务记录" in warned[0].text("zh") and "团队例会" in warned[0].text("zh")


def test_counts_per_person_and_rule_in_the_workbook_and_on_the_page(tmp_path):
    """赵六 (1004) hands in the daily record on every workday but one late (Oct 15, 17:45) and one
    missing (Oct 9): the workbook's 时限按人汇总 and the page's per-person table count 19 on time,
    1 late, 1 missing of 21, by name and rule name; 王五's meetings count the absence with a reason
    apart."""
    import datetime as dt

    import pandas as pd

    days = [dt.date(2026, 10, d) for d in range(8, 32) if dt.date(2026, 10, d).weekday() != 6]
    assert len(days) == 21
    handed = [["1004", "业务记录", d.isoformat(), f"{d.isoformat()} {'17:45' if d.day == 15 else '17:00'}"]
              for d in days if d.day != 9]
    _, out = close(tmp_path, submissions=(*DAILY, *WEEKLY_REVIEW, *handed))
    assert [r["status"] for r in of_rule(out, "daily_record", "1004").values()].count("on_time") == 19

    sheet = pd.read_excel(out / "audit_report_2026-10.xlsx", sheet_name="时限按人汇总", dtype={"工号": str},
                          engine="openpyxl")
    assert list(sheet.columns) == ["工号", "姓名", "规则", "按时", "逾期", "缺失", "有因缺席", "未到期", "应完成项数"]
    daily = sheet[sheet["规则"] == "业务记录"].set_index("工号")
    assert daily.loc["1004", ["姓名", "按时", "逾期", "缺失", "有因缺席", "未到期", "应完成项数"]].tolist() == \
        ["赵六", 19, 1, 1, 0, 0, 21]
    assert daily.loc["1003", ["姓名", "按时", "逾期", "缺失", "应完成项数"]].tolist() == ["王五", 2, 1, 18, 21]
    meeting = sheet[(sheet["规则"] == "团队例会") & (sheet["工号"] == "1003")].iloc[0]
    assert (meeting["按时"], meeting["缺失"], meeting["有因缺席"]) == (1, 2, 1)
    assert "daily_record" not in set(sheet["规则"])             # names, not codes
    ws = openpyxl.load_workbook(out / "audit_report_2026-10.xlsx")["时限按人汇总"]
    assert ws.freeze_panes == "A2" and ws.print_title_rows == "$1:$1" and ws.page_setup.paperSize == 9

    page = (out / "audit_report_2026-10.html").read_text(encoding="utf-8")
    table = page[page.index('id="deadlines-by-person"'):]
    table = table[:table.index("</table>")]
    start = table.index('data-employee="1004" data-rule="daily_record"')
    row = table[table.rindex("<tr", 0, start):]
    row = row[:row.index("</tr>")]
    assert row.startswith('<tr class="bad"')                  # something missing: red
    cells = [c.split(">", 1)[1].split("<", 1)[0] for c in row.split("<td")[1:]]
    assert cells == ["赵六", "业务记录", "19", "1", "1", "0", "0"]
    assert ">daily_record<" not in table and ">1004<" not in table
