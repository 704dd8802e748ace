"""Issue 13, item 6: the roles seed [001] assesses, through the real close from real sheets.

The receptionist (接线员) is scored on the tasks they dispatched that came back done and logged
(提交记录's 派单接线员 column) and on the weekly call log handed in on time (the call_log deadline
rule's outcomes); the on-site specialist (驻场专员) on service orders archived in their week and
the dispatched tasks they closed; 在线服务主管 is its own role (online_lead), apart from 客服主管
(cs_lead); and the position allowance floats with the holder's total (浮动制度: × the band of
the total in bands.yaml's allowance_float)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from builders import ROSTER_ROWS, read_csv_rows, write_attendance, write_roster, write_xlsx
from conftest import CONFIG
from csbatch.closing.runs import monthly_close

PERIOD = "2026-10"
ROSTER = [*ROSTER_ROWS,
          ["1010", "冯接", "接线员", "", "否", "2024-01-01", "", 2200, "", ""],
          ["1011", "陈驻", "驻场专员", "", "否", "2024-01-01", "", 2200, "", ""],
          ["1012", "褚主", "在线服务主管", "", "否", "2023-01-01", "", 4500, "", ""],
          ["1013", "卫管", "客服主管", "", "否", "2023-01-01", "", 4800, "", ""],
          ["1014", "蒋服", "服务主管", "", "否", "2023-01-01", "", 4500, "", ""]]
HEADER = ["工号", "类型", "所属日期", "提交时间", "派单接线员"]
#: Weeks judged in October 2026 are those due (Monday 10:00) in it: the weeks of 28 Sep, 5, 12 and
#: 19 Oct. One on time, one on time, one late, one missing: 2 of 4 on time → 30 × 50% = 15.
CALL_LOGS = [
    ["1010", "接线记录", "2026-09-28", "2026-10-05 09:00", ""],
    ["1010", "接线记录", "2026-10-05", "2026-10-12 09:30", ""],
    ["1010", "接线记录", "2026-10-12", "2026-10-19 11:00", ""],
]
#: Four visits 1010 dispatched to 1011: three reported done (closed), one not. Archived by the
#: Sunday of the visit's week: 6 Oct on time, 13 Oct late (20 Oct), 20 Oct on time, 27 Oct missing.
SERVICE_ORDERS = [
    ["1011", "服务单", "2026-10-06", "2026-10-08 16:00", "1010"],
    ["1011", "服务单", "2026-10-13", "2026-10-20 09:00", "1010"],
    ["1011", "服务单", "2026-10-20", "2026-10-21 16:00", "1010"],
    ["1011", "服务单", "2026-10-27", "", "1010"],
]


def _month(folder: Path, submissions: list[list]) -> Path:
    write_roster(folder, ROSTER)
    write_attendance(folder, [row[0] for row in ROSTER])
    write_xlsx(folder / "提交记录.xlsx", {"Sheet1": [HEADER, *submissions]})
    return folder


def _close(tmp_path: Path, submissions: list[list]):
    out = tmp_path / "out"
    outcome = monthly_close(PERIOD, _month(tmp_path / "in", submissions), out, CONFIG)
    return outcome, out / PERIOD / "data"


def _items(data: Path) -> dict[tuple[str, str], dict[str, str]]:
    return {(r["employee_id"], r["item"]): r for r in read_csv_rows(data / "scorecard_items.csv")}


def test_receptionist_and_onsite_specialist_are_scored_from_the_submissions_sheet(tmp_path):
    outcome, data = _close(tmp_path, CALL_LOGS + SERVICE_ORDERS)
    assert outcome.ok, [str(i) for i in outcome.issues if i.is_error]
    items = _items(data)
    # receptionist: 3 of 4 dispatched tasks closed → 50 × 75%; 2 of 4 call logs on time → 30 × 50%
    assert items[("1010", "task_closure")]["measured"] == "0.75"
    assert items[("1010", "task_closure")]["points"] == "37.50"
    assert items[("1010", "call_log")]["points"] == "15.00"
    assert items[("1010", "conduct")]["points"] == "20.00"
    # on-site specialist: 2 of 4 service orders archived in their week → 40 × 50%; 3 of 4 tasks closed
    assert items[("1011", "service_orders")]["points"] == "20.00"
    assert items[("1011", "dispatched_tasks")]["points"] == "30.00"
    cards = {r["employee_id"]: r for r in read_csv_rows(data / "scorecards.csv")}
    assert (cards["1010"]["scorecard"], cards["1010"]["total"]) == ("receptionist", "72.50")
    assert (cards["1011"]["scorecard"], cards["1011"]["total"]) == ("onsite", "70.00")


def test_with_nothing_handed_in_the_weeks_are_missing_and_no_task_is_full_points(tmp_path):
    """An empty submissions sheet: every call-log week judged in the month is missing (0 points);
    nothing dispatched is nothing to measure (full points)."""
    outcome, data = _close(tmp_path, [])
    assert outcome.ok, [str(i) for i in outcome.issues if i.is_error]
    items = _items(data)
    assert items[("1010", "task_closure")]["points"] == "50.00"
    assert "nothing to measure" in items[("1010", "task_closure")]["rule"]
    assert items[("1010", "call_log")]["points"] == "0.00"      # four weeks expected, none handed in


def test_online_service_supervisor_is_its_own_role_and_the_allowance_floats(tmp_path):
    outcome, data = _close(tmp_path, CALL_LOGS + SERVICE_ORDERS)
    assert outcome.ok
    roles = {r["employee_id"]: r["role"] for r in read_csv_rows(data / "payroll.csv")}
    assert (roles["1012"], roles["1013"], roles["1014"]) == ("online_lead", "cs_lead", "online_lead")
    allowance = {r["employee_id"]: r for r in read_csv_rows(data / "payroll_components.csv")
                 if r["component"] == "position_allowance"}
    # 在线服务主管 has no scorecard yet: paid as set; 客服主管 does not float
    assert (allowance["1012"]["amount"], allowance["1012"]["reason"]) == ("500.00", "no rated total: paid as set")
    assert (allowance["1013"]["amount"], allowance["1013"]["reason"]) == ("500.00", "")
    # 1002, team lead: ¥300 × the band of their total (bands.yaml allowance_float)
    total = Decimal({r["employee_id"]: r for r in read_csv_rows(data / "scorecards.csv")}["1002"]["total"])
    share = Decimal("1.1") if total >= 95 else Decimal(1) if total >= 85 else Decimal("0.9") if total >= 70 \
        else Decimal("0.8")
    assert Decimal(allowance["1002"]["amount"]) == (300 * share).quantize(Decimal("0.01"))
    assert allowance["1002"]["reason"] == f"team lead; floating: total {total:f} → {share * 100:.0f}%"


def test_a_dispatcher_not_in_the_roster_stops_the_close_at_its_cell(tmp_path):
    bad = [*SERVICE_ORDERS[:1], ["1011", "服务单", "2026-10-13", "2026-10-14 09:00", "9999"]]
    outcome, data = _close(tmp_path, bad)
    assert not outcome.ok
    errors = [str(i) for i in outcome.issues if i.is_error]
    assert any("提交记录.xlsx[Sheet1]!E3" in e and "9999" in e for e in errors), errors
    assert not (data / "payroll.csv").exists()
