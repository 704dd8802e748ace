"""Issue 13, shifts: a shift schedule (排班表) that cannot be right is refused with its place, and
the close writes nothing: an unknown shift code (its cell), an employee not in the roster, a
filled day that is not a day of the month, the same employee and day twice."""

from __future__ import annotations

from pathlib import Path

import pytest

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


HEAD = [["工号", "日期", "班次"]]
GRID = [["工号", "姓名", *range(1, 32)]]


def _grid_row(day: int, code: str) -> list:
    """王五's grid row with `code` on `day` and every other day blank."""
    return ["1003", "王五", *[""] * (day - 1), code, *[""] * (31 - day)]


CASES = {
    "unknown code in the grid": (GRID + [_grid_row(12, "大夜班")], "2026-10", "!N2", "大夜班"),
    "unknown code in the long form": (HEAD + [["1003", "2026-10-12", "夜斑"]], "2026-10", "!C2", "夜斑"),
    "employee not in the roster": (HEAD + [["1003", "2026-10-12", "夜班"], ["1099", "2026-10-13", "夜班"]],
                                   "2026-10", "!A3", "1099"),
    # November has 30 days: a template's 31st column may stay blank, a shift in it is refused
    "a filled day outside the month": (GRID + [_grid_row(31, "夜班")], "2026-11", "!AG1", "31"),
    "the same employee and day twice": (HEAD + [["1003", "2026-10-12", "夜班"], ["1003", "2026-10-12", "白班"]],
                                        "2026-10", "!A3", "appears twice"),
    "the same employee twice in the grid": (GRID + [_grid_row(12, "夜班"), _grid_row(12, "白班")],
                                            "2026-10", "!A3", "appears twice"),
    "a long row without a date": (HEAD + [["1003", "", "夜班"]], "2026-10", "!B2", "date"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_bad_schedule_is_refused_with_its_place(tmp_path, case):
    sheet, period, cell, word = CASES[case]
    errors = _refused(tmp_path, sheet, period)
    assert any(f"排班表.xlsx[排班]{cell}" in e and word in e for e in errors), errors
