"""`monthly_close` end to end on real files: what it writes, that it writes nothing on errors, and
that the contract CSVs are byte-identical across runs."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl

from builders import ROSTER_ROWS, write_csv, write_roster, write_xlsx
from conftest import CONFIG
from csbatch.closing.runs import monthly_close
from csbatch.filehash import sha256_file

PERIOD = "2026-10"


def _month(folder: Path, roster_rows=ROSTER_ROWS) -> Path:
    write_roster(folder, roster_rows)
    write_csv(folder / "考勤_2026-10.csv", [
        ["考勤号码", "打卡时间"],
        ["1001", "2026-10-08 08:31"], ["1001", "2026-10-08 17:45"],
        ["1002", "2026/10/8 8:20:00"],
    ], encoding="gbk")
    write_xlsx(folder / "请假.xlsx", {"Sheet1": [["工号", "开始日期", "结束日期", "假别", "审批状态"],
                                              ["1003", "2026-10-08", "2026-10-09", "病假", "已批准"]]})
    return folder


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_close_writes_attendance_workbook_and_manifest(tmp_path):
    inputs = _month(tmp_path / "in")
    outcome = monthly_close(PERIOD, inputs, tmp_path / "out", CONFIG)
    assert outcome.ok, [str(i) for i in outcome.issues]
    month = tmp_path / "out" / PERIOD
    assert outcome.state.published == month
    assert sorted(p.relative_to(month).as_posix() for p in month.rglob("*") if p.is_file()) == [
        f"audit_report_{PERIOD}.html", f"audit_report_{PERIOD}.xlsx",
        "data/attendance.csv", "data/audits.csv", "data/complaints.csv", "data/deadlines.csv",
        "data/order_splits.csv", "data/payroll.csv",
        "data/payroll_components.csv", "data/scorecard_items.csv", "data/scorecards.csv",
        "data/vip_discount_audit.csv", "data/vip_member_changes.csv", "data/vip_members.csv",
        "data/vip_points.csv", "data/vip_tasks.csv",
        f"kpi_scorecards_{PERIOD}.xlsx", "manifest.json", f"payroll_bonus_{PERIOD}.xlsx",
        *sorted(f"staff/{r['employee_id']}.html" for r in _csv_rows(month / "data/payroll.csv")),
        f"vip_statements_{PERIOD}.xlsx"]

    raw = (month / "data/attendance.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = _csv_rows(month / "data/attendance.csv")
    assert list(rows[0]) == ["employee_id", "name", "scheduled_days", "present_days", "late_count",
                             "late_minutes", "early_count", "absent_days", "paid_leave_days",
                             "unpaid_leave_days", "missing_punches"]
    by_id = {r["employee_id"]: r for r in rows}
    assert by_id["1001"]["scheduled_days"] == "21" and by_id["1001"]["present_days"] == "1"
    assert by_id["1001"]["late_count"] == "1" and by_id["1001"]["late_minutes"] == "1"
    assert by_id["1001"]["absent_days"] == "20"
    assert by_id["1002"]["missing_punches"] == "1"
    assert by_id["1003"]["paid_leave_days"] == "1.6" and by_id["1003"]["unpaid_leave_days"] == "0.4"
    assert by_id["1003"]["absent_days"] == "19"

    wb = openpyxl.load_workbook(month / f"payroll_bonus_{PERIOD}.xlsx")
    ws = wb["考勤汇总"]
    assert [c.value for c in ws[1]] == ["工号", "姓名", "应出勤天数", "出勤天数", "迟到次数", "迟到分钟",
                                        "早退次数", "旷工天数", "带薪假天数", "无薪假天数", "缺卡次数"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref
    assert ws["C2"].value == 21 and ws["C2"].data_type == "n"

    manifest = json.loads((month / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["period"] == PERIOD
    assert {k: v for k, v in manifest["counts"].items() if k != "pay_lines"} == {
        "employees": 9, "scored": 9, "audits": 0, "members": 0}
    assert manifest["close_id"] and manifest["changes_since_previous_close"] is None   # a first close
    assert manifest["policy"]["sha256"] and len(manifest["policy"]["sha256"]) == 64
    inputs_by_kind = {i["kind"]: i for i in manifest["inputs"]}
    assert inputs_by_kind["attendance"]["rows"] == 3
    assert inputs_by_kind["roster"]["sha256"] == sha256_file(inputs / "员工名册.xlsx")
    for out in manifest["outputs"]:
        assert sha256_file(month / out["path"]) == out["sha256"]
    assert any("sales (销售订单) not provided" in w for w in manifest["warnings"])


def test_contract_csv_is_byte_identical_across_runs(tmp_path):
    inputs = _month(tmp_path / "in")
    for out in ("a", "b"):
        assert monthly_close(PERIOD, inputs, tmp_path / out, CONFIG).ok
    for name in ("attendance", "scorecards", "scorecard_items", "audits", "payroll", "payroll_components",
                 "order_splits", "vip_members", "vip_points", "vip_tasks", "vip_discount_audit", "deadlines",
                 "complaints"):
        a = (tmp_path / "a" / PERIOD / f"data/{name}.csv").read_bytes()
        b = (tmp_path / "b" / PERIOD / f"data/{name}.csv").read_bytes()
        assert a == b, name


def test_bad_input_writes_nothing(tmp_path):
    inputs = _month(tmp_path / "in")
    write_xlsx(inputs / "sales.xlsx", {"Sheet1": [["订单号", "下单日期", "客服工号", "客户编号", "实收金额"],
                                                  ["A1", "2026-10-08", "1001", "C1", "12,3x"]]})
    outcome = monthly_close(PERIOD, inputs, tmp_path / "out", CONFIG)
    assert not outcome.ok
    assert [str(i) for i in outcome.issues if i.is_error] == [
        "sales.xlsx[Sheet1]!E2: column 'amount': '12,3x' is not an amount"]
    assert not (tmp_path / "out" / PERIOD).exists()
    assert [t.name for t in outcome.timings] == ["check ledger", "load policy", "read inputs"]
    assert not (tmp_path / "out").exists()      # a refused first close leaves no ledger behind


def test_a_published_month_is_never_overwritten(tmp_path):
    inputs = _month(tmp_path / "in")
    assert monthly_close(PERIOD, inputs, tmp_path / "out", CONFIG).ok
    before = (tmp_path / "out" / PERIOD / "manifest.json").read_bytes()
    again = monthly_close(PERIOD, inputs, tmp_path / "out", CONFIG)
    assert not again.ok and "2026-10 is already closed" in str(again.issues[0])
    assert "csbatch reopen 2026-10 --reason" in str(again.issues[0])
    assert (tmp_path / "out" / PERIOD / "manifest.json").read_bytes() == before
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [PERIOD, "csbatch-inputs", "csbatch-ledger.sqlite",
                                                                     "csbatch-ledger.sqlite.key"]


def test_a_folder_the_ledger_does_not_know_is_not_overwritten(tmp_path):
    inputs = _month(tmp_path / "in")
    (tmp_path / "out" / PERIOD).mkdir(parents=True)
    (tmp_path / "out" / PERIOD / "keep.txt").write_text("someone's file")
    outcome = monthly_close(PERIOD, inputs, tmp_path / "out", CONFIG)
    assert not outcome.ok and "already exists but the ledger" in str(outcome.issues[-1])
    assert (tmp_path / "out" / PERIOD / "keep.txt").read_text() == "someone's file"


def test_hostile_text_stays_data(tmp_path):
    rows = [list(r) for r in ROSTER_ROWS]
    rows[0][1] = '=HYPERLINK("http://evil.example","点我")'
    rows[1][1] = "@SUM(A1:A9)"
    inputs = _month(tmp_path / "in", rows)
    assert monthly_close(PERIOD, inputs, tmp_path / "out", CONFIG).ok
    month = tmp_path / "out" / PERIOD
    names = {r["employee_id"]: r["name"] for r in _csv_rows(month / "data/attendance.csv")}
    assert names["1001"] == '\'=HYPERLINK("http://evil.example","点我")'
    assert names["1002"] == "'@SUM(A1:A9)"
    ws = openpyxl.load_workbook(month / f"payroll_bonus_{PERIOD}.xlsx")["考勤汇总"]
    cell = ws["B2"]
    assert cell.value == '=HYPERLINK("http://evil.example","点我")' and cell.data_type == "s"
    assert cell.quotePrefix
    xml = __import__("zipfile").ZipFile(month / f"payroll_bonus_{PERIOD}.xlsx").read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in xml


def test_english_headers(tmp_path):
    inputs = _month(tmp_path / "in")
    assert monthly_close(PERIOD, inputs, tmp_path / "out", CONFIG, lang="en").ok
    wb = openpyxl.load_workbook(tmp_path / "out" / PERIOD / f"payroll_bonus_{PERIOD}.xlsx")
    assert [c.value for c in wb["Attendance"][1]][:3] == ["employee id", "name", "scheduled days"]


def test_a_year_no_calendar_covers_is_an_error(tmp_path):
    write_roster(tmp_path / "in")
    outcome = monthly_close("2027-01", tmp_path / "in", tmp_path / "out", CONFIG)
    assert not outcome.ok
    msg = next(str(i) for i in outcome.issues if i.is_error)
    assert msg.startswith("config/calendar.yaml:") or "calendar.yaml:" in msg
    assert "no holiday calendar covers 2027" in msg and "years:" in msg
    assert not (tmp_path / "out" / "2027-01").exists()


def test_bad_period(tmp_path):
    outcome = monthly_close("2026-13", tmp_path, tmp_path / "out", CONFIG)
    assert [str(i) for i in outcome.issues] == ["'2026-13' is not a period; write it as YYYY-MM, e.g. 2026-10"]
