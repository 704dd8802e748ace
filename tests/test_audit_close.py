"""The audit report through real closes: complaint SLA at its boundary, an open complaint past
its SLA, a hostile description shown as text, deadlines.csv and complaints.csv as the contract
says, and trends once the ledger holds an earlier month."""

from __future__ import annotations

from pathlib import Path

from browser import chromium_or_skip, measured_in_iframe
from builders import read_csv_rows, write_complaints_month
from conftest import CONFIG, SAMPLES
from csbatch.closing.runs import monthly_close

ROSTER = [["工号", "姓名", "岗位", "班组", "入职日期", "底薪"],
          ["1003", "王五", "咨询类客服", "二组", "2024-01-15", 2100],
          ["1004", "赵六", "咨询类客服", "二组", "2024-02-01", 2100]]
HEADER = ["投诉编号", "受理时间", "责任客服", "投诉类别", "我方责任", "解决时间", "客户满意", "损失金额", "投诉内容"]


def _month(folder: Path, complaints: list[list], period: str = "2026-10") -> Path:
    return write_complaints_month(folder, ROSTER, [HEADER, *complaints], period)


_rows = read_csv_rows


OCTOBER = [
    ["T1", "2026-10-08 09:00", "1003", "服务投诉", "是", "2026-10-11 09:00", "是", "", "按时"],
    ["T2", "2026-10-08 09:00", "1003", "服务投诉", "是", "2026-10-11 09:01", "否", 120, "晚一分钟"],
    ["T3", "2026-10-20 10:00", "1004", "质量问题", "否", "", "", "", "<script>alert(1)</script>"],
    ["T4", "2026-10-30 16:00", "1004", "交货延迟", "是", "", "", "", "月底受理"],
]


def test_complaint_sla_and_deadlines_through_the_close(tmp_path):
    outcome = monthly_close("2026-10", _month(tmp_path / "in", OCTOBER), tmp_path / "out", CONFIG)
    assert outcome.ok, [str(i) for i in outcome.issues if i.is_error]
    month = tmp_path / "out" / "2026-10"
    complaints = {r["complaint_id"]: r for r in _rows(month / "data/complaints.csv")}
    assert list(next(iter(complaints.values()))) == ["complaint_id", "employee_id", "category", "our_fault",
                                                      "received_at", "resolved_at", "days_open", "sla_status",
                                                      "satisfied", "loss_amount"]
    assert {k: v["sla_status"] for k, v in complaints.items()} == {
        "T1": "on_time", "T2": "late", "T3": "open_past_sla", "T4": "open_within_sla"}
    assert complaints["T1"]["days_open"] == "3" and complaints["T2"]["loss_amount"] == "120.00"
    deadlines = _rows(month / "data/deadlines.csv")
    assert list(deadlines[0]) == ["rule", "employee_id", "reference", "due_at", "submitted_at", "status", "key"]
    statuses = {d["key"]: d["status"] for d in deadlines if d["rule"] == "complaint_resolution"}
    # an unresolved complaint is still open; complaints.csv tells past-SLA (T3) from within (T4)
    assert statuses == {"T1": "on_time", "T2": "late", "T3": "open", "T4": "open"}

    page = (month / "audit_report_2026-10.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
    assert 'data-chart="complaint_sla"' in page
    assert (month / "audit_report_2026-10.xlsx").stat().st_size > 5000


def test_trends_appear_once_an_earlier_month_is_closed(tmp_path):
    out = tmp_path / "out"
    assert monthly_close("2026-10", _month(tmp_path / "oct", OCTOBER), out, CONFIG).ok
    november = [["N1", "2026-11-09 09:00", "1003", "服务投诉", "是", "2026-11-10 09:00", "是", "", "快"]]
    outcome = monthly_close("2026-11", _month(tmp_path / "nov", november, period="2026-11"), out, CONFIG)
    assert outcome.ok, [str(i) for i in outcome.issues if i.is_error]
    trends = outcome.state.audit.trends
    complaints = trends[trends["figure"] == "complaints"].set_index("period")["value"]
    assert {p: int(v) for p, v in complaints.items()} == {"2026-10": 4, "2026-11": 1}
    page = (out / "2026-11" / "audit_report_2026-11.html").read_text(encoding="utf-8")
    assert 'data-chart="trend' in page and "2026-10" in page


# --- the sample month's page on a phone (headless Chromium) ------------------------------------

def test_first_close_page_fits_a_phone_and_says_nothing_of_a_previous_month(tmp_path):
    """The sample month closed into an empty out folder is a first close: its figure cards say
    nothing about a comparison. In an iframe 390 px wide (headless Chromium keeps a window at least
    500 px wide; the page itself runs no script but its own, so it is measured from outside) the
    page does not scroll sideways (wide tables scroll in their own box) and no date breaks across
    lines."""
    outcome = monthly_close("2026-10", SAMPLES / "2026-10", tmp_path / "out", CONFIG)
    assert outcome.ok, [str(i) for i in outcome.issues if i.is_error]
    page = (tmp_path / "out" / "2026-10" / "audit_report_2026-10.html").read_text(encoding="utf-8")
    assert "无上月数据" not in page and 'class="d"' not in page and 'class="p"' not in page
    assert 'id="fig-complaints"' in page and 'class="when"' in page

    exe = chromium_or_skip()
    width = 390
    measured = measured_in_iframe(exe, tmp_path, page, width, (
        "var cells = Array.prototype.filter.call(d.querySelectorAll('td, th'), function (c) {"
        "  return /\\d{4}-\\d{2}/.test(c.textContent); }), broken = 0;"
        "for (var i = 0; i < cells.length; i++) { var r = d.createRange(); r.selectNodeContents(cells[i]);"
        "  var tops = {}, rects = r.getClientRects();"
        "  for (var j = 0; j < rects.length; j++) { tops[Math.round(rects[j].top)] = 1; }"
        "  if (Object.keys(tops).length > 1) { broken++; } }"
        "return d.documentElement.scrollWidth + ':' + w.innerWidth + ':' + cells.length + ':' + broken;"))
    scroll, inner, dates, broken = (int(x) for x in measured.split(":"))
    assert inner == width and dates > 0     # the report was laid out at that width, with its dates
    assert broken == 0, f"{broken} of {dates} date cells break across lines"
    assert scroll <= width
