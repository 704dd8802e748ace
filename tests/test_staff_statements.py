"""Issue 12: `staff/ID.html` per employee and the 工资条 sheet, from a real close of the sample
month with the committed policy copy."""

from __future__ import annotations

import csv
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from browser import chromium_or_skip, measured_in_iframe
from conftest import CONFIG
from csbatch.reports.staff_statements import StaffPage, render_page

PERIOD = "2026-10"
ID_SHAPED = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])")


@pytest.fixture
def month(sample_close) -> Path:
    return sample_close


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_a_page_for_every_employee_of_the_month(month):
    employees = {r["employee_id"] for r in _rows(month / "data/attendance.csv")}
    assert employees and {r["employee_id"] for r in _rows(month / "data/payroll.csv")} == employees
    assert {p.stem for p in (month / "staff").glob("*.html")} == employees


def test_pay_lines_add_up_to_payroll_gross(month):
    payroll = {r["employee_id"]: r for r in _rows(month / "data/payroll.csv")}
    for eid in ("1001", "1005"):        # a manager (no scorecard) and an agent
        html = (month / "staff" / f"{eid}.html").read_text(encoding="utf-8")
        lines = re.findall(r'<tr class="line">.*?data-amount="([^"]+)"', html, flags=re.S)
        gross = re.search(r'id="gross" data-amount="([^"]+)"', html)
        assert lines and gross
        assert sum(Decimal(x) for x in lines) == Decimal(gross.group(1)) == Decimal(payroll[eid]["gross_pay"])


def test_agent_page_explains_the_scorecard_and_only_that_employee(month):
    cards = {r["employee_id"]: r for r in _rows(month / "data/scorecards.csv")}
    # an agent with a late arrival or an early leave: their conduct item counts attendance rows
    agent = min(r["employee_id"] for r in _rows(month / "data/attendance.csv")
                if r["employee_id"] in cards and int(r["late_count"]) + int(r["early_count"]) > 0)
    items = [r for r in _rows(month / "data/scorecard_items.csv") if r["employee_id"] == agent]
    html = (month / f"staff/{agent}.html").read_text(encoding="utf-8")
    assert 'id="scorecard"' in html and html.count('<div class="item">') == len(items) > 0
    assert f'id="total">{cards[agent]["total"]}<' in html
    assert "计入记录" in html and "考勤_2026-10.csv!row" in html      # the rows counted
    others = [r["name"] for r in _rows(month / "data/payroll.csv") if r["employee_id"] != agent]
    assert not [n for n in others if n in html]
    manager = (month / "staff/1001.html").read_text(encoding="utf-8")
    assert "本岗位无考核表" in manager and 'id="attendance"' in manager and 'id="gross"' in manager


def test_no_whole_id_number_on_any_page(month):
    pages = list((month / "staff").glob("*.html"))
    assert pages
    for page in pages:
        assert not ID_SHAPED.search(page.read_text(encoding="utf-8")), page.name


def test_hostile_name_is_escaped_and_ids_masked():
    page = StaffPage("X1", "<script>alert(1)</script>", "客服", None, {"scheduled_days": 21}, None, None, None)
    html = render_page(page, PERIOD)
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    masked = render_page(StaffPage("X1", "张三 110101199003071234", "客服", None, None, None, None, None), PERIOD)
    assert "110101199003071234" not in masked and "**************1234" in masked


def test_english_page():
    html = render_page(StaffPage("X1", "Li", "agent", None, None, None, None, None), PERIOD, "en")
    assert "Monthly statement" in html and "员工月度明细" not in html


def test_payslip_sheet_is_header_row_blank_triples(month):
    payroll = _rows(month / "data/payroll.csv")
    book = openpyxl.load_workbook(month / f"payroll_bonus_{PERIOD}.xlsx")
    ws = book["工资条"]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    assert len(rows) == 3 * len(payroll) - 1
    header = rows[0]
    assert header[:2] == ["工号", "姓名"]
    assert header[-1] == "应发合计"
    for i, person in enumerate(payroll):
        assert rows[3 * i] == header
        values = rows[3 * i + 1]
        assert values[0] == person["employee_id"] and values[1] == person["name"]
        assert Decimal(str(values[-1])).quantize(Decimal("0.01")) == Decimal(person["gross_pay"])
        if 3 * i + 2 < len(rows):
            assert all(v is None for v in rows[3 * i + 2])
    assert ws.cell(2, len(header)).number_format.startswith("¥")
    # one page wide (fitToWidth's default, 1, is left out of the file), any number of pages tall
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth in (None, 1)
    assert ws.page_setup.fitToHeight == 0 and ws.page_setup.paperSize == 9
    assert ws.page_setup.orientation == ("landscape" if len(header) >= 8 else "portrait")


@pytest.mark.parametrize("width", [390, 1280])
def test_page_fits_the_viewport_in_chromium(month, tmp_path, width):
    """The page in an iframe `width` px wide (headless Chromium keeps a window at least 500 px
    wide), checked from the outer page: the page itself runs no script (CSP)."""
    exe = chromium_or_skip()
    page = (month / "staff/1005.html").read_text(encoding="utf-8")
    assert "<main" in page
    measured = measured_in_iframe(exe, tmp_path, page, width,
                                  "return d.documentElement.scrollWidth + ':' + w.innerWidth"
                                  " + ':' + d.getElementsByClassName('item').length;")
    scroll, inner, items = (int(x) for x in measured.split(":"))
    assert inner == width and items > 0     # the statement was laid out at that width
    assert scroll <= width


# --- company identity (company.yaml) -----------------------------------------------------------

def test_company_name_on_every_page(month):
    from csbatch.policy import load_policy

    policy, _ = load_policy(CONFIG)
    assert policy is not None and policy.company.shown
    for page in (month / "staff").glob("*.html"):
        assert policy.company.shown in page.read_text(encoding="utf-8"), page.name


def test_company_yaml_is_optional_and_checked(policy_copy):
    (policy_copy.root / "company.yaml").unlink()
    policy, issues = policy_copy.load()
    assert policy is not None, [str(i) for i in issues]
    assert policy.company.name == "" and policy.company.shown == ""
    policy_copy.write("company.yaml", "name: 甲公司\nshort: 甲\n")
    policy, issues = policy_copy.load()
    assert policy is None and any("short" in str(i) for i in issues)
    policy_copy.write("company.yaml", "name: 甲公司有限公司\nshort_name: 甲公司\n")
    policy, _ = policy_copy.load()
    assert policy is not None and policy.company.shown == "甲公司"


def test_a_company_name_change_is_a_policy_change(policy_copy):
    from csbatch.policy.diff import describe_changes

    before, _ = policy_copy.load()
    policy_copy.write("company.yaml", "name: 乙公司\n")
    after, _ = policy_copy.load()
    assert before is not None and after is not None
    assert any(line.startswith("company name:") and "乙公司" in line for line in describe_changes(before, after))


def test_every_item_says_its_words_once_looked_up_per_page():
    """The words each item repeats (looked up once a page with `{% set %}`) are said for every item,
    in the page's language, with the count of rows past the shown ones."""
    from types import SimpleNamespace as NS

    def item(name: str, rows: int) -> NS:
        return NS(name=name, flags=(), points=Decimal("8"), weight=Decimal("10"), rule="band",
                  measured=[("counted_sales", Decimal("1200")), ("orders", Decimal("3"))],
                  sources=[f"a.xlsx[S1]!row {i}" for i in range(2, 2 + rows)])

    card = NS(card_name="agents", grade="A", rank=1, population=3, rated=True, total_text="8 + 9",
              multiplier=None, flags=(), items=[item("Sales", 15), item("Care", 20), item("Few", 2)])
    page = StaffPage("X1", "Li", "agent", None, None, card, Decimal("17"), None)
    for lang, words, more in (("en", ("Measured", "Scoring rule", "Rows counted"), "+{n} more"),
                              ("zh", None, "另有 {n} 条")):
        html = render_page(page, PERIOD, lang)
        if words:
            assert all(html.count(f"<dt>{w}</dt>") == 3 for w in words), lang
        assert html.count(more.format(n=3)) == 1 and html.count(more.format(n=8)) == 1, lang
        assert html.count("<li>a.xlsx[S1]!row") == 12 + 12 + 2
