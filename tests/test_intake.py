"""Reading a month's folder: finding kinds, headers, encodings, and every bad cell named as
file[sheet]!CELL, on real files written here."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import openpyxl
import pandas as pd
import pytest

from builders import ROSTER_HEADER, ROSTER_ROWS, write_csv, write_roster, write_xlsx
from csbatch.sheets.intake import read_inputs

PERIOD = "2026-10"
SALES_HEADER = ["订单号", "下单日期", "客服工号", "客户编号", "实收金额"]


def _read(policy, folder):
    inputs, issues = read_inputs(policy, PERIOD, folder)
    return inputs, [str(i) for i in issues if i.is_error], [str(i) for i in issues if not i.is_error]


def test_roster_alone_is_a_month(policy, tmp_path):
    write_roster(tmp_path)
    inputs, errors, warnings = _read(policy, tmp_path)
    assert errors == []
    roster = inputs["roster"]
    assert list(roster["employee_id"]) == [r[0] for r in ROSTER_ROWS]
    assert roster.loc[0, "role"] == "ecommerce_cs" and roster.loc[2, "role"] == "consulting_cs"
    assert roster.loc[0, "base_salary"] == Decimal("2200")
    assert roster.loc[1, "team_lead"] == True  # noqa: E712 (pandas boolean)
    assert roster["hire_date"].dtype.kind == "M"
    assert inputs["sales"].empty and "amount" in inputs["sales"].columns
    assert any("sales (销售订单) not provided" in w for w in warnings)


def test_roster_is_required(policy, tmp_path):
    write_xlsx(tmp_path / "销售订单.xlsx", {"Sheet1": [SALES_HEADER]})
    inputs, errors, _ = _read(policy, tmp_path)
    assert inputs is None
    assert any("no roster (员工名册) found: expected a file or sheet named roster*, 员工*, 花名册*" in e for e in errors)


def test_kinds_by_sheet_name_and_several_files_of_one_kind(policy, tmp_path):
    write_xlsx(tmp_path / "10月数据.xlsx", {
        "员工名册": [ROSTER_HEADER, *ROSTER_ROWS],
        "销售": [SALES_HEADER, ["A1", "2026-10-08", "1001", "C1", 100]],
        "Sheet3": [],
    })
    write_xlsx(tmp_path / "订单_补录.xlsx", {"Sheet1": [SALES_HEADER, ["A2", "2026-10-09", "1002", "C2", 200]],
                                            "Sheet2": [SALES_HEADER, ["A3", "2026-10-10", "1001", "C3", 300]]})
    inputs, errors, warnings = _read(policy, tmp_path)
    assert errors == []
    sales = inputs["sales"]
    assert sorted(sales["order_id"]) == ["A1", "A2", "A3"]
    assert {(r.path, r.kind, r.rows) for r in inputs.records} == {
        ("10月数据.xlsx", "roster", 9), ("10月数据.xlsx", "sales", 1), ("订单_补录.xlsx", "sales", 2)}
    assert any("10月数据.xlsx[Sheet3]: warning: sheet matches no input kind; ignored" in w for w in warnings)


def test_duplicate_key_names_both_places(policy, tmp_path):
    write_roster(tmp_path)
    write_xlsx(tmp_path / "sales_a.xlsx", {"Sheet1": [SALES_HEADER, ["A1", "2026-10-08", "1001", "C1", 100]]})
    write_xlsx(tmp_path / "sales_b.xlsx", {"Sheet1": [SALES_HEADER, ["X", "2026-10-08", "1001", "C1", 1],
                                                      ["A1", "2026-10-09", "1002", "C2", 200]]})
    inputs, errors, _ = _read(policy, tmp_path)
    assert inputs is None
    assert errors == ["sales_b.xlsx[Sheet1]!A3: sales: order_id 'A1' appears twice (also at sales_a.xlsx[Sheet1]!A2)"]


def test_duplicate_employee_in_roster(policy, tmp_path):
    write_roster(tmp_path, ROSTER_ROWS + [["1001", "张三三", "客服文员", "", "否", "2025-01-01", "", 2000, "", ""]])
    _, errors, _ = _read(policy, tmp_path)
    assert errors == ["员工名册.xlsx[Sheet1]!A11: roster: employee_id '1001' appears twice (also at 员工名册.xlsx[Sheet1]!A2)"]


def test_header_under_title_rows_with_aliases_fullwidth_and_units(policy, tmp_path):
    write_roster(tmp_path)
    write_xlsx(tmp_path / "销售订单.xlsx", {"明细": [
        ["2026年10月 销售订单明细"],
        ["制表：客服部", None, None, "单位：元"],
        ["ＯＲＤＥＲ ＩＤ", "成交日期", "工号", "客户编号", "Amount (元)", "备注"],
        ["A1", "2026/10/8", "1001", "C1", "¥1,234.50", "随便"],
    ]})
    inputs, errors, _ = _read(policy, tmp_path)
    assert errors == []
    row = inputs["sales"].iloc[0]
    assert row["order_id"] == "A1" and row["amount"] == Decimal("1234.50")
    assert row["order_date"] == pd.Timestamp("2026-10-08") and row["_row"] == 4
    assert row["status"] == "completed" and row["channel"] == "online"  # defaults


def test_progress_is_told_each_file_then_its_rows_in_order(policy, tmp_path):
    """A long read shows which file it is in and, when done, its rows: one `reading` and one
    `read` per file (not per sheet), in the folder's order."""
    write_xlsx(tmp_path / "10月数据.xlsx", {"员工名册": [ROSTER_HEADER, *ROSTER_ROWS],
                                          "销售": [SALES_HEADER, ["A1", "2026-10-08", "1001", "C1", 100]]})
    write_xlsx(tmp_path / "订单_补录.xlsx", {"Sheet1": [SALES_HEADER, ["A2", "2026-10-09", "1002", "C2", 200]],
                                            "Sheet2": [SALES_HEADER, ["A3", "2026-10-10", "1001", "C3", 300]]})
    told: list[tuple[str, ...]] = []

    class Recorder:
        def reading(self, name):
            told.append(("reading", name))

        def read(self, name, rows):
            told.append(("read", name, rows))

    inputs, issues = read_inputs(policy, PERIOD, tmp_path, Recorder())
    assert inputs is not None, issues
    assert told == [("reading", "10月数据.xlsx"), ("read", "10月数据.xlsx", len(ROSTER_ROWS) + 1),
                    ("reading", "订单_补录.xlsx"), ("read", "订单_补录.xlsx", 2)]


def test_missing_required_column_is_one_error(policy, tmp_path):
    write_roster(tmp_path)
    write_xlsx(tmp_path / "销售订单.xlsx", {"Sheet1": [["订单号", "下单日期", "客服工号", "客户编号"],
                                                   ["A1", "2026-10-08", "1001", "C1"]]})
    _, errors, _ = _read(policy, tmp_path)
    assert errors == ["销售订单.xlsx[Sheet1]: missing required column 'amount' (金额, 成交金额, 实收金额); "
                      "header found on row 1: 订单号, 下单日期, 客服工号, 客户编号; if one of these is 'amount', "
                      "add it to kinds.sales.columns.amount.aliases in config/inputs.yaml"]


def test_missing_column_message_lists_the_headers_found_and_where_an_alias_goes(policy, tmp_path):
    """The fix-it message: every header of the row as written (a title row above is skipped), a
    very wide row cut short, and the inputs.yaml key the alias goes under."""
    write_roster(tmp_path)
    extra = [f"备注{i}" for i in range(1, 25)]
    write_xlsx(tmp_path / "销售订单.xlsx", {"Sheet1": [["2026年10月 销售订单明细"],
                                                   ["订单号", "下单日期", "客服工号", "客户编号", "成交额(元)", *extra],
                                                   ["A1", "2026-10-08", "1001", "C1", 100, *([""] * 24)]]})
    _, errors, _ = _read(policy, tmp_path)
    [message] = errors
    assert "header found on row 2: 订单号, 下单日期, 客服工号, 客户编号, 成交额(元), 备注1, " in message
    assert "备注15, … (9 more); " in message and "备注16" not in message
    assert message.endswith("if one of these is 'amount', add it to kinds.sales.columns.amount.aliases "
                            "in config/inputs.yaml")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_encodings(policy, tmp_path, encoding):
    write_roster(tmp_path)
    write_csv(tmp_path / "考勤_2026-10.csv", [["考勤号码", "打卡时间"], ["1001", "2026-10-08 08:31"],
                                             ["1001", "2026年10月8日 17:45"]], encoding)
    inputs, errors, _ = _read(policy, tmp_path)
    assert errors == []
    punches = inputs["attendance"]["punch_time"]
    assert list(punches) == [pd.Timestamp("2026-10-08 08:31"), pd.Timestamp("2026-10-08 17:45")]


def test_csv_that_is_neither_utf8_nor_gbk(policy, tmp_path):
    write_roster(tmp_path)
    (tmp_path / "考勤.csv").write_bytes("工号,日期\n".encode() + b"1001,\xff\xff\xff\n")
    _, errors, _ = _read(policy, tmp_path)
    assert len(errors) == 1 and errors[0].startswith("考勤.csv: not UTF-8 or GBK/GB18030 text (byte ")


def test_date_serials_follow_the_workbook_date_system(policy, tmp_path):
    write_roster(tmp_path)
    # 46303 is 2026-10-08 in the 1900 system; in the 1904 system the same day is 44841.
    write_xlsx(tmp_path / "sales.xlsx", {"Sheet1": [SALES_HEADER, ["A1", 46303, "1001", "C1", 10]]})
    write_xlsx(tmp_path / "订单1904.xlsx", {"Sheet1": [SALES_HEADER, ["A2", 44841, "1001", "C1", 10]]}, epoch_1904=True)
    inputs, errors, _ = _read(policy, tmp_path)
    assert errors == []
    dates = dict(zip(inputs["sales"]["order_id"], inputs["sales"]["order_date"]))
    assert dates == {"A1": pd.Timestamp("2026-10-08"), "A2": pd.Timestamp("2026-10-08")}


def test_formula_without_cached_value_and_cached_error(policy, tmp_path):
    write_roster(tmp_path)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(SALES_HEADER + ["单价", "数量"])
    ws.append(["A1", "2026-10-08", "1001", "C1", "=F2*G2", 10, 3])   # written by a script: no cached value
    ws.append(["A2", "2026-10-08", "1001", "C1", "#N/A", 10, 3])      # a cached error value
    wb.save(tmp_path / "sales.xlsx")
    _, errors, _ = _read(policy, tmp_path)
    assert errors[0].startswith("sales.xlsx[Sheet1]!E2: column 'amount': is a formula with no calculated value")
    assert errors[1] == "sales.xlsx[Sheet1]!E3: column 'amount': holds the error value #N/A"
    assert len(errors) == 2  # not also "required but empty"


def test_bad_cells_are_all_named(policy, tmp_path):
    write_roster(tmp_path)
    write_xlsx(tmp_path / "sales.xlsx", {"Sheet1": [
        SALES_HEADER + ["订单状态"],
        ["A1", "2026-10-08", "1001", "C1", "12,3x", "已完成"],
        [110105199003071234, "0026-10-08", "1001", "C1", 5, "已发货"],
        ["A3", "2026-10-08", "9999", "C1", "N/A", "已完成"],
    ]})
    write_xlsx(tmp_path / "接待统计.xlsx", {"Sheet1": [["工号", "日期", "咨询人数"], ["1001", "2026-10-08", -3]]})
    inputs, errors, _ = _read(policy, tmp_path)
    assert inputs is None
    assert "sales.xlsx[Sheet1]!E2: column 'amount': '12,3x' is not an amount" in errors
    assert any(e.startswith("sales.xlsx[Sheet1]!A3: column 'order_id': ") and "stored as a number" in e for e in errors)
    assert any(e.startswith("sales.xlsx[Sheet1]!B3: column 'order_date': ") and "outside" in e for e in errors)
    assert any(e.startswith("sales.xlsx[Sheet1]!F3: column 'status': '已发货' is not a known") for e in errors)
    assert "sales.xlsx[Sheet1]!E4: column 'amount': 'N/A' is not an amount" in errors
    assert "sales.xlsx[Sheet1]!C4: column 'employee_id': '9999' is not an employee in the roster" in errors
    assert "接待统计.xlsx[Sheet1]!C2: column 'inquiries': '-3' is negative" in errors


def test_warnings_let_the_close_go_on(policy, tmp_path):
    rows = [list(r) for r in ROSTER_ROWS]
    rows[0][0] = "1001\u200b"          # an invisible space in an ID
    rows[2][7] = 1800                  # base pay below the consulting range
    write_xlsx(tmp_path / "员工名册.xlsx", {"Sheet1": [ROSTER_HEADER, *rows],
                                          "旧名册": [ROSTER_HEADER]}, hidden=["旧名册"])
    write_xlsx(tmp_path / "客户档案.xlsx", {"Sheet1": [["客户编号", "身份证号"], ["C1", "11010519491231002x"]]})
    inputs, errors, warnings = _read(policy, tmp_path)
    assert errors == []
    assert inputs["roster"].loc[0, "employee_id"] == "1001"
    assert inputs["customers"].loc[0, "id_number"] == "11010519491231002X"
    assert "员工名册.xlsx[旧名册]: warning: hidden sheet ignored" in warnings
    assert any(w.startswith("员工名册.xlsx[Sheet1]!A2: warning: column 'employee_id': ") for w in warnings)
    assert any(w.startswith("客户档案.xlsx[Sheet1]!B2: warning: column 'id_number': ") for w in warnings)
    assert "员工名册.xlsx[Sheet1]!H4: warning: base pay 1800 of 1003 is outside the 咨询类客服 range 2000–2500" in warnings
    assert not any("in the roster; the policy expects" in w for w in warnings)  # head-counts in range


def test_headcount_outside_the_role_range(policy, tmp_path):
    write_roster(tmp_path, [r for r in ROSTER_ROWS if r[2] != "综合类客服"])
    _, errors, warnings = _read(policy, tmp_path)
    assert errors == []
    assert "员工名册.xlsx: warning: 0 综合类客服 (comprehensive_cs) in the roster; the policy expects 4–10" in warnings


def test_totals_row_is_ignored_with_a_warning(policy, tmp_path):
    write_roster(tmp_path)
    write_xlsx(tmp_path / "sales.xlsx", {"Sheet1": [SALES_HEADER, ["A1", "2026-10-08", "1001", "C1", 100],
                                                    ["合计", None, None, None, 100], [None] * 5]})
    inputs, errors, warnings = _read(policy, tmp_path)
    assert errors == [] and list(inputs["sales"]["order_id"]) == ["A1"]
    assert "sales.xlsx[Sheet1]!row 3: warning: totals row ignored" in warnings


def test_files_that_are_not_inputs(policy, tmp_path):
    write_roster(tmp_path)
    (tmp_path / "说明.txt").write_text("readme")
    (tmp_path / "~$员工名册.xlsx").write_bytes(b"lock")
    (tmp_path / "old.et").write_bytes(b"\xd0\xcf")
    _, errors, warnings = _read(policy, tmp_path)
    assert errors == []
    assert ("old.et: warning: not read: only .xlsx, .xlsm, .xlsb, .xls, .ods and .csv files are "
            "(save it as .xlsx)") in warnings
    assert not any("~$" in w for w in warnings)


def test_leave_and_codes_from_labels(policy, tmp_path):
    write_roster(tmp_path)
    write_xlsx(tmp_path / "请假.xlsx", {"Sheet1": [["工号", "开始时间", "结束时间", "假别", "审批状态"],
                                                ["1001", "2026-10-08 13:00", "2026/10/9", "病假", "已批准"],
                                                ["1002", dt.datetime(2026, 10, 12), dt.datetime(2026, 10, 12), "sick", "驳回"]]})
    inputs, errors, _ = _read(policy, tmp_path)
    assert errors == []
    leave = inputs["leave"]
    assert list(leave["leave_type"]) == ["sick", "sick"]
    assert list(leave["approved"]) == [True, False]
    assert leave.loc[0, "start"] == pd.Timestamp("2026-10-08 13:00")


def test_input_messages_are_said_in_chinese_with_each_piece_translated(policy, tmp_path):
    """A person reads every input message in Chinese (issue 12): a cell's problem inside its
    column (named by the sheet's header), a flood with its first message, a file that is not
    what its name says; the English `message` stays what logs and the ledger keep."""
    write_roster(tmp_path)
    rows = [SALES_HEADER] + [[f"A{i}", "2026-10-08", "1001", "C1", f"{i}x"] for i in range(8)]
    write_xlsx(tmp_path / "sales.xlsx", {"Sheet1": rows})
    (tmp_path / "接待统计.xlsx").write_text("工号,日期\n1001,2026-10-08\n", encoding="utf-8")
    _, issues = read_inputs(policy, PERIOD, tmp_path)
    flood = next(i for i in issues if i.code == "cell.invalid")
    assert flood.message.startswith("column 'amount': '0x' is not an amount (also '1x', '2x', '3x' and 4 more; 8 rows:")
    assert flood.shown("zh").startswith("sales.xlsx[Sheet1]: 列“实收金额”：'0x' 不是金额（还有 '1x', '2x', '3x' 等另外 4 个值；共 8 行：E2")
    assert flood.shown("en") == f"{flood.source}: {flood.message}"
    misnamed = next(i for i in issues if i.code == "inputs.unreadable")
    assert misnamed.shown("zh").startswith("接待统计.xlsx: 是 CSV 文本，不是工作簿，虽然扩展名是 .xlsx：请改名为 .csv，或请用 Excel")
    assert "rename it to .csv, or open it in Excel" in misnamed.message
