"""What the input checks name (a file's kind, the key columns two copies share, the column of a
merged range, an order's channel) is said in Chinese by the names a person knows: they were
codes (`roster`, `employee_id`, `'promo'`, `invitation_sales`) inside Chinese sentences. The
month is the committed sample, damaged for real; English keeps the codes (the other fault tests)."""

from __future__ import annotations

import shutil

import openpyxl
from harness import CONFIG, column_of, edit_sheet, sample_month
from typer.testing import CliRunner


def _close_zh(inputs, out):
    from csbatch.cli import app

    result = CliRunner(env={"CSBATCH_LANG": "zh"}).invoke(app, [
        "monthly-close", "2026-10", "--inputs", str(inputs), "--out", str(out), "--config", str(CONFIG)])
    return result.exit_code, result.stderr


def test_a_copied_roster_names_its_kind(tmp_path):
    inputs = sample_month(tmp_path)
    shutil.copy(inputs / "员工名册.xlsx", inputs / "员工名册 - 副本.xlsx")
    code, err = _close_zh(inputs, tmp_path / "out")
    assert code == 1, err
    assert "两个 员工名册 文件 员工名册 - 副本.xlsx 和 员工名册.xlsx 完全相同：请只保留一个" in err, err
    assert "roster" not in err


def test_a_roster_saved_again_names_its_kind_and_key_column(tmp_path):
    inputs = sample_month(tmp_path)
    shutil.copy(inputs / "员工名册.xlsx", inputs / "员工名册 - 副本.xlsx")
    edit_sheet(inputs / "员工名册 - 副本.xlsx", lambda ws: ws.cell(2, column_of(ws, "姓名"), "改过的名字"))
    code, err = _close_zh(inputs, tmp_path / "out")
    assert code == 1, err
    assert "两个 员工名册 文件 员工名册 - 副本.xlsx 和 员工名册.xlsx 含有相同的 21 个 工号 值" in err, err
    assert "employee_id" not in err


def test_a_merged_range_names_its_column_by_the_sheets_header(tmp_path):
    inputs = sample_month(tmp_path)

    def merge(ws):
        col = openpyxl.utils.get_column_letter(column_of(ws, "重点促销"))
        ws.merge_cells(f"{col}5:{col}9")
    edit_sheet(inputs / "销售订单_1.xlsx", merge, "网店订单")
    code, err = _close_zh(inputs, tmp_path / "out")
    assert code == 1, err
    assert "销售订单_1.xlsx[网店订单]!K5:K9: 数据中有合并单元格（列 “重点促销”）" in err, err
    assert "'promo'" not in err


def test_an_invitation_order_without_a_rep_names_its_channel(tmp_path):
    inputs = sample_month(tmp_path)

    def blank_rep(ws):
        channel, rep = column_of(ws, "成交方式"), column_of(ws, "销售员工号")
        for row in range(2, ws.max_row + 1):
            if ws.cell(row, channel).value == "邀约后销售成交":
                ws.cell(row, rep).value = None
                return
        raise AssertionError("the sample has no invitation order")
    edit_sheet(inputs / "销售订单_2.xlsx", blank_rep)
    code, err = _close_zh(inputs, tmp_path / "out")
    assert code == 0, err
    line, = [x for x in err.splitlines() if "没有填写销售代表" in x]
    assert "（邀约后销售成交）没有填写销售代表" in line and "invitation_sales" not in line, line
