"""The complaint process of [003] through real closes (issue 13, item 4): a final deadline agreed
with the customer replaces the 72 hours; a resolved complaint missing a stage its category
requires is listed in the audit report (page and workbook, in words); and a category's penalty
points (依情节轻重) are what the ecommerce 投诉管理 item deducts."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from builders import read_csv_rows, write_complaints_month
from conftest import CONFIG
from csbatch.closing.runs import monthly_close

ROSTER = [["工号", "姓名", "岗位", "班组", "入职日期", "底薪"],
          ["1003", "王五", "咨询类客服", "二组", "2024-01-15", 2100],
          ["1005", "孙七", "网购客服", "一组", "2024-03-01", 2100]]
HEADER = ["投诉编号", "受理时间", "责任客服", "投诉类别", "我方责任", "解决时间", "客户满意", "协商最终期限",
          "客户签字", "备案存档", "客诉品取回"]


def _month(folder: Path, complaints: list[list]) -> Path:
    return write_complaints_month(folder, ROSTER, [HEADER, *complaints])


_rows = read_csv_rows


COMPLAINTS = [
    # resolved after 96 h: late against the 72 h, on time against the agreed deadline (120 h)
    ["A1", "2026-10-08 09:00", "1003", "服务投诉", "是", "2026-10-12 09:00", "是", "2026-10-13 09:00", "是", "是", ""],
    ["A2", "2026-10-08 09:00", "1003", "服务投诉", "是", "2026-10-12 09:00", "是", "", "是", "是", ""],
    # a quality complaint: the product was not retrieved, and nobody signed
    ["Q1", "2026-10-09 10:00", "1003", "质量问题", "是", "2026-10-10 10:00", "是", "", "", "是", "否"],
    # every stage its category requires, done; an open complaint is not judged
    ["Q2", "2026-10-09 10:00", "1003", "质量问题", "是", "2026-10-10 10:00", "是", "", "是", "是", "是"],
    ["Q3", "2026-10-29 10:00", "1003", "质量问题", "是", "", "", "", "", "", ""],
]


def test_agreed_deadline_replaces_the_72_hours(tmp_path):
    outcome = monthly_close("2026-10", _month(tmp_path / "in", COMPLAINTS), tmp_path / "out", CONFIG)
    assert outcome.ok, [str(i) for i in outcome.issues if i.is_error]
    data = tmp_path / "out" / "2026-10" / "data"
    complaints = {r["complaint_id"]: r for r in _rows(data / "complaints.csv")}
    assert complaints["A1"]["sla_status"] == "on_time" and complaints["A2"]["sla_status"] == "late"
    deadlines = {d["key"]: d for d in _rows(data / "deadlines.csv") if d["rule"] == "complaint_resolution"}
    assert deadlines["A1"]["status"] == "on_time" and deadlines["A1"]["due_at"] == "2026-10-13 09:00:00"
    assert deadlines["A2"]["status"] == "late" and deadlines["A2"]["due_at"] == "2026-10-11 09:00:00"


def test_a_complaint_missing_a_required_stage_is_listed(tmp_path):
    outcome = monthly_close("2026-10", _month(tmp_path / "in", COMPLAINTS), tmp_path / "out", CONFIG)
    assert outcome.ok, [str(i) for i in outcome.issues if i.is_error]
    stages = outcome.state.audit.complaint_stages
    # Q1 lacks the signature and the product; the sales manager's review is not a column of this
    # register, so it is not judged; Q2 has all, Q3 is still open, A1/A2 (service) need no product
    assert stages[["complaint_id", "missing"]].values.tolist() == [["Q1", "customer_signed product_retrieved"]]
    month = tmp_path / "out" / "2026-10"
    page = (month / "audit_report_2026-10.html").read_text(encoding="utf-8")
    section = page[page.index('id="complaint-stages"'):]
    section = section[:section.index("</table>")]
    assert "客户签字确认、客诉品取回" in section or "客户签字确认，客诉品取回" in section, section
    assert "product_retrieved" not in page and "customer_signed" not in page
    book = openpyxl.load_workbook(month / "audit_report_2026-10.xlsx", read_only=True)
    rows = list(book["投诉环节缺失"].iter_rows(values_only=True))
    assert rows[0][0] == "投诉编号" and rows[1][0] == "Q1" and rows[1][2] == "质量问题"
    assert "客诉品取回" in rows[1][4] and "product" not in rows[1][4]


def test_a_categorys_penalty_points_apply(tmp_path, policy_copy):
    """The seed gives [003]'s categories no numbers; a company that sets 质量问题 at 4 points sees
    them deducted from the ecommerce 投诉管理 item (weight 5), next to 服务投诉's 10 [004]."""
    policy_copy.edit("complaints.yaml", '{name: 质量问题, source: "[003]",',
                     '{name: 质量问题, source: "[003]", penalty_points: 4,')
    rows = [["E1", "2026-10-08 09:00", "1005", "质量问题", "是", "2026-10-09 09:00", "是", "", "是", "是", "是"],
            ["E2", "2026-10-08 09:00", "1003", "服务投诉", "是", "2026-10-09 09:00", "是", "", "是", "是", ""]]
    outcome = monthly_close("2026-10", _month(tmp_path / "in", rows), tmp_path / "out", policy_copy.root)
    assert outcome.ok, [str(i) for i in outcome.issues if i.is_error]
    items = {(r["employee_id"], r["item"]): r for r in _rows(tmp_path / "out/2026-10/data/scorecard_items.csv")}
    assert items[("1005", "complaints")]["points"] == "1.00"            # 5 − 4
    assert items[("1005", "complaints")]["measured"] == "4"
