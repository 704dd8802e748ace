"""No code in a workbook a person reads (issue 12): the sample month closed in Chinese, every
workbook scanned for the policy's and the outputs' codes; and an English workbook in English.

The one column allowed to hold codes is a column for machines: the payroll workbook's HR import
sheet's 项目代码 (pay.yaml `hr_code`, by default the component's code), which the payroll system
matches on (docs/decisions.md, issue 12: workbook labels).
"""

from __future__ import annotations

import re

import openpyxl
import pytest

from conftest import CONFIG
from leaks import leaks, output_codes, policy_codes, workbook_texts

PERIOD = "2026-10"
#: (workbook, sheet, column letter) of the columns that are for machines
MACHINE_COLUMNS = {("payroll_bonus_2026-10.xlsx", "HR导入", "D")}
WHERE = re.compile(r"^(?P<book>[^\[]+)\[(?P<sheet>[^\]]+)\](?:!(?P<col>[A-Z]+)\d+)?:")


@pytest.fixture(scope="module")
def closed_zh(sample_close):
    return sample_close


@pytest.fixture(scope="module")
def closed_en(sample_close_en):
    return sample_close_en


def _machine(found: str) -> bool:
    m = WHERE.match(found)
    return m is not None and (m["book"], m["sheet"], m["col"]) in MACHINE_COLUMNS


def test_no_chinese_workbook_shows_a_code(closed_zh):
    codes = policy_codes(CONFIG) | output_codes(closed_zh / "data")
    books = sorted(closed_zh.glob("*.xlsx"))
    assert len(books) == 4
    found = [f for book in books for f in leaks(workbook_texts(book), codes)]
    assert [f for f in found if not _machine(f)] == []
    assert any(_machine(f) for f in found)        # the HR system's item codes are there, as they must be


def test_chinese_workbook_words(closed_zh):
    kpi = openpyxl.load_workbook(closed_zh / f"kpi_scorecards_{PERIOD}.xlsx", read_only=True)
    flags = {c for ws in kpi.worksheets if ws.title != "班组汇总" for row in ws.iter_rows(values_only=True)
             for c in row if isinstance(c, str) and "评优候选" in c}
    assert flags, "the award candidates' flag is worded"
    teams = [r[0] for r in kpi["班组汇总"].iter_rows(values_only=True)]
    assert "网购客服绩效考核表：班组汇总" in teams          # each block titled with the policy's name
    audit = openpyxl.load_workbook(closed_zh / f"audit_report_{PERIOD}.xlsx", read_only=True)
    header = next(audit["投诉"].iter_rows(max_row=1, values_only=True))
    our_fault = header.index("我方责任")
    assert {r[our_fault] for r in audit["投诉"].iter_rows(min_row=2, values_only=True)} <= {"是", "否"}
    assert next(audit["趋势"].iter_rows(max_row=1, values_only=True))[:2] == ("指标", "2026-10")


def test_english_workbook_has_english_headers_and_no_codes(closed_en):
    book = openpyxl.load_workbook(closed_en / f"vip_statements_{PERIOD}.xlsx", read_only=True)
    assert [ws.title for ws in book.worksheets] == ["Members", "Points entries", "Greetings and reminders",
                                                    "Member changes", "Discount audit"]
    audit = book["Discount audit"]
    rows = list(audit.iter_rows(values_only=True))
    assert rows[0][:4] == ("order id", "customer id", "tier", "category")
    assert rows[1][2:4] == ("silver", "regular")             # words, where a code has a name
    assert "(silver 90%)" in rows[1][7]
    kpi = openpyxl.load_workbook(closed_en / f"kpi_scorecards_{PERIOD}.xlsx", read_only=True)
    texts = [c for ws in kpi.worksheets for row in ws.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert "award candidate" in " ".join(texts)
    codes = policy_codes(CONFIG) | output_codes(closed_en / "data")
    found = [f for b in sorted(closed_en.glob("*.xlsx")) for f in leaks(workbook_texts(b), codes - {"silver", "regular"})]
    assert [f for f in found if "'True'" in f or "'False'" in f or "award_candidate" in f] == []
