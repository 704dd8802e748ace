"""Scorecards through the real close, from real files: the source's worked example (A = 66,
B = 33), the production-sheet rules, the workbook with its charts, and `csbatch explain`."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from builders import write_attendance, write_xlsx
from conftest import CONFIG
from csbatch.cli import app
from csbatch.closing.runs import monthly_close

PERIOD = "2026-10"
ROSTER = [["工号", "姓名", "岗位", "班组", "入职日期", "底薪", "销售指标"],
          ["A01", "甲", "网购客服", "一组", "2025-01-01", 2200, 8000],
          ["B02", "乙", "网购客服", "二组", "2025-01-01", 2200, 8000],
          ["C03", "丙", "网购客服", "一组", "2025-01-01", 2200, 8000],
          ["D04", "丁", "网购客服", "二组", "2025-01-01", 2200, 8000]]


def _sales(amounts: dict[str, list[float]]) -> list[list]:
    rows = [["订单号", "下单日期", "客服工号", "客户编号", "实收金额", "订单状态"]]
    n = 0
    for emp, parts in amounts.items():
        for amount in parts:
            n += 1
            rows.append([f"O{n:04d}", f"2026-10-{8 + n % 20:02d}", emp, f"K{n}", amount, "已完成"])
    rows.append(["O9999", "2026-10-09", "A01", "K9", 5000, "已退款"])   # refunded: not counted
    return rows


def _month(folder: Path, production: list[list] | None = None, period: str = "2026-10") -> Path:
    write_xlsx(folder / "员工名册.xlsx", {"Sheet1": ROSTER})
    write_attendance(folder, [row[0] for row in ROSTER[1:]], period)
    # A ¥9,650, B ¥7,200, C ¥8,950 as in the source's example; D sells ¥8,600, so the average of
    # the four is still ¥8,600 (a ¥5,000 refunded order of A is not counted).
    write_xlsx(folder / "销售订单.xlsx", {"Sheet1": _sales({"A01": [5000, 4650], "B02": [7200],
                                                          "C03": [8000, 950], "D04": [8600]})})
    write_xlsx(folder / "接待统计.xlsx", {"Sheet1": [["工号", "日期", "咨询人数", "成交人数"],
                                                  *[[e, "2026-10-15", 20, 19] for e in ("A01", "B02", "C03", "D04")]]})
    production = production or [[e, "2026-10", amt, "2026-11-01 16:00"]
                                for e, amt in (("A01", 9650), ("B02", 7200), ("C03", 8950), ("D04", 8600))]
    write_xlsx(folder / "产量表.xlsx", {"Sheet1": [["工号", "月份", "上报销售额", "提交时间"], *production]})
    return folder


def _items(month: Path) -> dict[tuple[str, str], dict[str, str]]:
    with (month / "data/scorecard_items.csv").open(encoding="utf-8-sig", newline="") as fh:
        return {(r["employee_id"], r["item"]): r for r in csv.DictReader(fh)}


def test_worked_example_66_and_33_through_the_close(tmp_path):
    outcome = monthly_close(PERIOD, _month(tmp_path / "in"), tmp_path / "out", CONFIG)
    assert outcome.ok, [str(i) for i in outcome.issues if i.is_error]
    items = _items(tmp_path / "out" / PERIOD)
    assert items[("A01", "sales")]["points"] == "66"
    assert items[("B02", "sales")]["points"] == "33"
    assert items[("A01", "sales")]["measured"] == "9650"
    assert "target_coefficient 90% in [90%, 95%) → 0.8" in items[("B02", "sales")]["rule"]
    # 2026-10 has a key promotion (standard ¥3,000) and nobody sold promo items: 25 × 0 ÷ 3000
    assert items[("A01", "promotion")]["points"] == "0.00"


def test_production_sheet_rules_through_the_close(tmp_path):
    late_and_over = [["A01", "2026-10", 9650, "2026-11-01 16:00"],
                     ["B02", "2026-10", 7200, "2026-11-02 18:01"],      # one minute late → 0
                     ["C03", "2026-10", 9999, "2026-11-02 18:00"],      # on time, over-reported → 50%
                     ]                                                   # D04 missing → 0
    outcome = monthly_close(PERIOD, _month(tmp_path / "in", late_and_over), tmp_path / "out", CONFIG)
    assert outcome.ok, [str(i) for i in outcome.issues if i.is_error]
    items = _items(tmp_path / "out" / PERIOD)
    assert items[("B02", "sales")]["measured"] == "0"
    assert items[("C03", "sales")]["measured"] == "4475"    # 50% of ¥8,950
    assert items[("D04", "sales")]["measured"] == "0"
    assert items[("A01", "sales")]["measured"] == "9650"


def test_kpi_workbook_has_a_sheet_per_card_team_summary_and_native_charts(tmp_path):
    assert monthly_close(PERIOD, _month(tmp_path / "in"), tmp_path / "out", CONFIG).ok
    path = tmp_path / "out" / PERIOD / f"kpi_scorecards_{PERIOD}.xlsx"
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["网购客服绩效考核表", "班组汇总", "图表"]
    ws = wb["网购客服绩效考核表"]
    header = [c.value for c in ws[1]]
    assert header[:6] == ["工号", "姓名", "岗位", "班组", "销售业绩（测量值）", "销售业绩（得分）"]
    assert header[-7:] == ["小计", "系数", "加扣分", "总分", "等级", "排名", "标记"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref
    sales_points = {ws.cell(r, 1).value: ws.cell(r, 6).value for r in range(2, ws.max_row + 1)}
    assert sales_points["A01"] == 66 and sales_points["B02"] == 33
    assert ws.cell(2, 6).data_type == "n"
    charts = [n for n in zipfile.ZipFile(path).namelist() if n.startswith("xl/charts/chart")]
    assert len(charts) == 2


def test_explain_shows_rows_bands_places_and_total(tmp_path):
    inputs = _month(tmp_path / "in")
    result = CliRunner().invoke(app, ["explain", "B02", PERIOD, "--inputs", str(inputs), "--config", str(CONFIG)])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("B02 乙 · 网购客服 · 二组 · 网购客服绩效考核表 · 2026-10")     # names, no codes
    assert "\n销售业绩 — 33 分（满分 45）" in out                       # Chinese, the default language
    assert "计入销售额 = ¥7,200.00" in out and "销售订单.xlsx[Sheet1]!row 4" in out
    assert "销售指标完成率系数 90% 落在 [90%, 95%) → 0.8" in out
    assert "config/kpi/ecommerce.yaml:" in out
    assert "总分：小计" in out and "排名" in out


def test_explain_for_someone_without_a_card(tmp_path):
    inputs = _month(tmp_path / "in")
    result = CliRunner().invoke(app, ["explain", "Z99", PERIOD, "--inputs", str(inputs), "--config", str(CONFIG)])
    assert result.exit_code == 1 and "员工 Z99 不在员工名册中" in result.stderr


def test_promotion_rank_bonus_only_above_the_standard_through_the_close(tmp_path):
    """[004] "达到标准的得满分，超出标准的按排名进行加分": exactly at the ¥3,000 standard is full
    points without a rank bonus; just above it is ranked."""
    folder = _month(tmp_path / "in")
    rows = [["订单号", "下单日期", "客服工号", "客户编号", "实收金额", "重点促销"],
            ["P1", "2026-10-10", "A01", "K1", 3000, "是"],         # exactly at the standard
            ["P2", "2026-10-11", "B02", "K2", 3000.01, "是"],      # just above: the only one ranked
            ["P3", "2026-10-12", "C03", "K3", 1500, "是"]]         # below: 25 × 1500 ÷ 3000
    write_xlsx(folder / "销售订单.xlsx", {"Sheet1": rows})
    outcome = monthly_close(PERIOD, folder, tmp_path / "out", CONFIG)
    assert outcome.ok, [str(i) for i in outcome.issues if i.is_error]
    items = _items(tmp_path / "out" / PERIOD)
    assert items[("A01", "promotion")]["points"] == "25.00"
    assert items[("B02", "promotion")]["points"] == "26.00"
    assert items[("C03", "promotion")]["points"] == "12.50"


def test_chat_log_spot_checks_count_in_the_service_check_and_explain_shows_them(tmp_path):
    """[004] 服务检测 "2.聊天记录抽查": the QA chat-check sheet; a failed check costs the policy's
    points (−3, company-set), and the card and `explain` show the checks counted and their rows."""
    folder = _month(tmp_path / "in")
    write_xlsx(folder / "聊天记录抽查.xlsx", {"Sheet1": [
        ["抽查日期", "工号", "抽查结果", "备注"],
        ["2026-10-12", "B02", "合格", ""],
        ["2026-10-19", "B02", "不合格", "未主动问候"],
        ["2026-10-20", "B02", "不合格", "否定式语言"],
        ["2026-10-21", "A01", "合格", ""]]})
    outcome = monthly_close(PERIOD, folder, tmp_path / "out", CONFIG)
    assert outcome.ok, [str(i) for i in outcome.issues if i.is_error]
    items = _items(tmp_path / "out" / PERIOD)
    assert items[("B02", "service_check")]["points"] == "9.00"     # 15 − 2 × 3
    assert items[("A01", "service_check")]["points"] == "15.00"
    assert items[("C03", "service_check")]["points"] == "15.00"    # not checked: nothing taken
    result = CliRunner().invoke(app, ["explain", "B02", PERIOD, "--inputs", str(folder), "--config", str(CONFIG)])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "抽查聊天数 = 3" in out and "抽查不合格数 = 2" in out
    assert "聊天记录抽查.xlsx[Sheet1]!row 3" in out
