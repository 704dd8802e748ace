"""Small builders that write real input files (xlsx via openpyxl, CSV in a chosen encoding) so
tests keep the input beside the assertion."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd

ROSTER_HEADER = ["工号", "姓名", "岗位", "班组", "组长", "入职日期", "离职日期", "底薪", "销售指标", "督导工号"]
ROSTER_ROWS = [
    ["1001", "张三", "网购客服", "一组", "否", "2025-03-01", "", 2200, 8000, "1009"],
    ["1002", "李四", "网购客服", "一组", "是", "2025-04-01", "", 2300, 8000, "1009"],
    ["1003", "王五", "咨询类客服", "二组", "否", "2024-01-15", "", 2100, "", ""],
    ["1004", "赵六", "咨询类客服", "二组", "否", "2024-02-01", "", 2100, "", ""],
    ["1005", "钱七", "综合类客服", "二组", "否", "2024-02-01", "", 2400, 10000, ""],
    ["1006", "孙八", "综合类客服", "二组", "否", "2024-02-01", "", 2400, 10000, ""],
    ["1007", "周九", "综合类客服", "三组", "否", "2024-02-01", "", 2400, 10000, ""],
    ["1008", "吴十", "综合类客服", "三组", "否", "2024-02-01", "", 2400, 10000, ""],
    ["1009", "郑一", "督导", "", "否", "2023-06-01", "", 3500, "", ""],
]


def write_xlsx(path: Path, sheets: dict[str, Sequence[Sequence[Any]]], *, hidden: Sequence[str] = (),
               epoch_1904: bool = False) -> Path:
    """Write `sheets` (name → rows) with openpyxl; cells are written as given, and a str is
    always a text cell (openpyxl would turn "=..." into a formula)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    if epoch_1904:
        from openpyxl.utils.datetime import CALENDAR_MAC_1904
        wb.epoch = CALENDAR_MAC_1904
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(list(row))
            for cell in ws[ws.max_row]:
                if isinstance(cell.value, str) and cell.data_type == "f":
                    cell.data_type = "s"  # text stays text: a name like "=HYPERLINK(...)" is data
        if name in hidden:
            ws.sheet_state = "hidden"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def write_csv(path: Path, rows: Sequence[Sequence[Any]], encoding: str = "utf-8") -> Path:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def write_roster(folder: Path, rows: Sequence[Sequence[Any]] = ROSTER_ROWS, name: str = "员工名册.xlsx") -> Path:
    return write_xlsx(folder / name, {"Sheet1": [ROSTER_HEADER, *rows]})


def write_attendance(folder: Path, employees: Sequence[str], period: str = "2026-10",
                     name: str = "考勤.csv") -> Path:
    """A month in which everyone named came on time every day (days off are ignored by the
    close): a close in which nobody was present is refused, so a test month needs one."""
    days = pd.period_range(start=f"{period}-01", end=pd.Period(period, "M").end_time.date(), freq="D")
    rows = [["工号", "日期", "上班打卡", "下班打卡"]]
    rows += [[e, str(day), "08:25", "17:35"] for e in employees for day in days]
    return write_csv(folder / name, rows)


def write_complaints_month(folder: Path, roster: Sequence[Sequence[Any]], complaints: Sequence[Sequence[Any]],
                           period: str = "2026-10") -> Path:
    """A month folder of a roster (header row first), everyone on time, and a complaints register
    (header row first)."""
    write_xlsx(folder / "员工名册.xlsx", {"Sheet1": roster})
    write_attendance(folder, [row[0] for row in roster[1:]], period)
    write_xlsx(folder / "投诉登记.xlsx", {"Sheet1": complaints})
    return folder


def read_csv_rows(path: Path) -> list[dict[str, str]]:
    """An output CSV (UTF-8 with BOM) as dicts by header."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _column_default(policy, column) -> Any:
    """What intake puts in a blank cell of `column`: its declared default, coerced by the real
    coercer (None when it has none)."""
    from csbatch.sheets.coerce import CoerceContext, coerce_column

    if column.default is None:
        return None
    ctx = CoerceContext.from_policy(policy, "2026-10")   # the period only bounds dates
    value = coerce_column(pd.Series([""], dtype=object), column, ctx).values.iloc[0]
    return value.item() if hasattr(value, "item") else value


def typed_frame(policy, kind: str, rows: list[dict], *, defaults: dict | None = None,
                file: str | None = None) -> pd.DataFrame:
    """A frame of input `kind` with every declared column typed by the contract (as intake
    returns it: a blank cell holds the column's declared default), plus provenance: rows start
    at sheet row 2; a CSV file has no sheet. tests/test_builders.py holds it to `read_inputs`."""
    rows = [{**(defaults or {}), **r} for r in rows]
    data = {}
    for name, col in policy.inputs.kinds[kind].columns.items():
        default = _column_default(policy, col)
        values = [default if r.get(name) is None else r.get(name) for r in rows]
        if col.type == "int":
            data[name] = pd.Series(values, dtype="Int64")
        elif col.type in ("number", "money"):
            data[name] = pd.Series([None if v is None else Decimal(str(v)) for v in values], dtype=object)
        elif col.type in ("date", "datetime"):
            data[name] = pd.Series(pd.to_datetime(values, format="ISO8601"), dtype="datetime64[ns]")
        elif col.type == "time":
            data[name] = pd.Series(pd.to_timedelta(values), dtype="timedelta64[ns]")
        elif col.type == "bool":
            data[name] = pd.Series(values, dtype="boolean")
        else:
            data[name] = pd.Series(values, dtype=object)
    file = file or f"{kind}.xlsx"
    frame = pd.DataFrame(data)
    # assigned as intake assigns them (a scalar each), so the dtypes are the reader's too
    frame["_file"] = file
    frame["_sheet"] = None if file.endswith(".csv") else kind
    frame["_row"] = pd.Series(range(2, len(rows) + 2), dtype="int64")
    return frame
