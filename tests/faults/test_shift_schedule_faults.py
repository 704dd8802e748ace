"""Issue 13, shifts: a shift schedule (排班表) that cannot be right is refused with its place, and
the close writes nothing: an unknown shift code (its cell), an employee not in the roster, a
filled day that is not a day of the month, the same employee and day twice."""

from __future__ import annotations

from pathlib import Path

from builders import write_attendance, write_xlsx
from conftest import CONFIG
from csbatch.closing.runs import monthly_close

ROSTER = [["工号", "姓名", "岗位", "班组", "入职日期", "底薪"],
          ["1003", "王五", "咨询类客服", "二组", "2024-01-15", 2100]]


def _refused(tmp_path: Path, schedule: list[list], period: str = "2026-10") -> list[str]:
    folder = tmp_path / "in"
    write_xlsx(folder / "员工名册.xlsx", {"Sheet1": ROSTER})
    write_attendance(folder, ["1003"], period)
    write_xlsx(folder / "排班表.xlsx", {"排班": schedule})
    outcome = monthly_close(period, folder, tmp_path / "out", CONFIG)
    assert not outcome.ok
    assert not (tmp_path / "out" / period).exists()
    return [str(i) for i in outcome.issues if i.is_error]


def test_an_unknown_shift_code_names_its_cell(tmp_path):
    grid = [["工号", "姓名", *range(1, 32)], ["1003", "王五", *[""] * 11, "大夜班", *[""] * 19]]
    errors = _refused(tmp_path, grid)
    assert any("排班表.xlsx[排班]!N2" in e and "大夜班" in e for e in errors), errors


def test_an_unknown_shift_code_in_the_long_form(tmp_path):
    errors = _refused(tmp_path, [["工号", "日期", "班次"], ["1003", "2026-10-12", "夜斑"]])
    assert any("排班表.xlsx[排班]!C2" in e and "夜斑" in e for e in errors), errors


def test_an_employee_not_in_the_roster(tmp_path):
    errors = _refused(tmp_path, [["工号", "日期", "班次"], ["1003", "2026-10-12", "夜班"],
                                 ["1099", "2026-10-13", "夜班"]])
    assert any("排班表.xlsx[排班]!A3" in e and "1099" in e for e in errors), errors


def test_a_filled_day_outside_the_month(tmp_path):
    """November has 30 days: a template's 31st column may stay blank, a shift in it is refused."""
    grid = [["工号", "姓名", *range(1, 32)], ["1003", "王五", *[""] * 30, "夜班"]]
    errors = _refused(tmp_path, grid, "2026-11")
    assert any("排班表.xlsx[排班]!AG1" in e and "31" in e for e in errors), errors


def test_the_same_employee_and_day_twice(tmp_path):
    errors = _refused(tmp_path, [["工号", "日期", "班次"], ["1003", "2026-10-12", "夜班"],
                                 ["1003", "2026-10-12", "白班"]])
    assert any("排班表.xlsx[排班]!A3" in e and "appears twice" in e for e in errors), errors


def test_the_same_employee_twice_in_the_grid(tmp_path):
    grid = [["工号", "姓名", *range(1, 32)], ["1003", "王五", *[""] * 11, "夜班", *[""] * 19],
            ["1003", "王五", *[""] * 11, "白班", *[""] * 19]]
    errors = _refused(tmp_path, grid)
    assert any("排班表.xlsx[排班]!A3" in e and "appears twice" in e for e in errors), errors


def test_a_long_row_without_a_date(tmp_path):
    errors = _refused(tmp_path, [["工号", "日期", "班次"], ["1003", "", "夜班"]])
    assert any("排班表.xlsx[排班]!B2" in e for e in errors), errors
