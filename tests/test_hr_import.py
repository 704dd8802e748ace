"""The payroll workbook's HR import sheet imports: after a real close of the sample month it reads
back into exactly payroll_components.csv, with the period, the items' Chinese names and the
reasons in Chinese; pay.yaml renames its headers and items; hostile text stays text."""

from __future__ import annotations

import csv
import shutil
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from conftest import CHECKOUT_CONFIG, CONFIG, SAMPLES, PolicyCopy, git_commit_all
from csbatch.closing.runs import monthly_close
from csbatch.rules.reasons import Reason, worded

PERIOD = "2026-10"
HEADERS = ["期间", "工号", "姓名", "项目代码", "项目名称", "金额", "备注"]
HOSTILE = '=HYPERLINK("http://evil.example","点我")'


def _close(tmp: Path, config: Path) -> Path:
    outcome = monthly_close(PERIOD, SAMPLES / PERIOD, tmp / "out", config)
    assert outcome.ok, [str(i) for i in outcome.issues if i.is_error]
    return tmp / "out" / PERIOD


def _sheet(month: Path) -> pd.DataFrame:
    return pd.read_excel(month / f"payroll_bonus_{PERIOD}.xlsx", sheet_name="HR导入", dtype=object,
                         engine="openpyxl", keep_default_na=False)


def _components(month: Path) -> list[dict[str, str]]:
    with (month / "data/payroll_components.csv").open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def sample_month(tmp_path_factory) -> Path:
    return _close(tmp_path_factory.mktemp("hr"), CONFIG)


@pytest.fixture(scope="module")
def renamed_month(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("hr-renamed")
    policy = PolicyCopy(tmp / "config")
    shutil.copytree(CHECKOUT_CONFIG, policy.root)
    policy.edit("pay.yaml", "    name: 基本工资\n", "    name: 基本工资\n    hr_name: 岗位工资\n    hr_code: P001\n")
    policy.edit("pay.yaml", "    name: 补助\n", f"    name: 补助\n    hr_name: '{HOSTILE}'\n")
    policy.write("pay.yaml", (policy.root / "pay.yaml").read_text(encoding="utf-8")
                 + "\nhr_import:\n  headers:\n    employee_id: 员工编号\n    note: 说明\n")
    git_commit_all(tmp)
    return _close(tmp, policy.root)


def test_the_sheet_reads_back_into_payroll_components(sample_month, policy):
    sheet = _sheet(sample_month)
    lines = _components(sample_month)
    assert list(sheet.columns) == HEADERS
    assert len(sheet) == len(lines) > 0
    assert set(sheet["期间"]) == {PERIOD}
    for (_, row), line in zip(sheet.iterrows(), lines):
        assert (str(row["工号"]), row["姓名"], row["项目代码"]) == (line["employee_id"], line["name"],
                                                                line["component"])
        assert Decimal(str(row["金额"])).quantize(Decimal("0.01")) == Decimal(line["amount"])
        assert row["项目名称"] == policy.pay.components[line["component"]].name
    notes = dict(zip(zip(sheet["工号"].astype(str), sheet["项目代码"]), sheet["备注"]))
    assert notes[("1001", "absence_deduction")] == "无薪假1天"
    english = ("scheduled", "absent", "unpaid", "team lead", "capped", "complaint", "reported", "refund")
    assert not [n for n in sheet["备注"] if any(w in n for w in english)]


def test_one_header_row_numbers_no_formulas(sample_month):
    path = sample_month / f"payroll_bonus_{PERIOD}.xlsx"
    ws = openpyxl.load_workbook(path)["HR导入"]
    assert [c.value for c in ws[1]] == HEADERS
    amounts = [row[5] for row in ws.iter_rows(min_row=2)]
    assert all(c.data_type == "n" and c.number_format.endswith("0.00") for c in amounts)
    codes = [row[3].value for row in ws.iter_rows(min_row=2)]
    assert "position_allowance" in codes   # whole, never cut
    assert ws.column_dimensions["D"].width >= len("position_allowance")
    with zipfile.ZipFile(path) as z:
        assert not [n for n in z.namelist() if n.startswith("xl/worksheets/") and b"<f>" in z.read(n)]


def test_pay_yaml_names_headers_and_items(renamed_month):
    sheet = _sheet(renamed_month)
    assert list(sheet.columns) == ["期间", "员工编号", "姓名", "项目代码", "项目名称", "金额", "说明"]
    base = sheet[sheet["项目代码"] == "P001"]
    assert len(base) > 0 and set(base["项目名称"]) == {"岗位工资"}
    assert "base_pay" not in set(sheet["项目代码"])
    assert set(sheet[sheet["项目代码"] == "subsidy"]["项目名称"]) == {HOSTILE}
    assert [r["component"] for r in _components(renamed_month)].count("base_pay") == len(base)  # csv: codes


def test_hostile_item_name_stays_text(renamed_month):
    ws = openpyxl.load_workbook(renamed_month / f"payroll_bonus_{PERIOD}.xlsx")["HR导入"]
    cells = [row[4] for row in ws.iter_rows(min_row=2) if row[3].value == "subsidy"]
    assert cells and all(c.value == HOSTILE and c.data_type == "s" and c.quotePrefix for c in cells)


def test_a_reason_is_its_english_text_and_words_itself_in_chinese():
    late = Reason.of("sheet_late", submitted="2026-11-03 10:00", due="2026-11-03 09:00", share="50%")
    both = Reason.join([late, Reason.of("also_over_reported", reported="¥5,800", actual="¥4,814")])
    assert both == ("production sheet late (2026-11-03 10:00 > 2026-11-03 09:00) → 50%; "
                    "also reported ¥5,800 > actual ¥4,814")
    assert both.text("zh") == "生产日报迟交（2026-11-03 10:00 > 2026-11-03 09:00）→ 按50%计；另上报¥5,800 > 实际¥4,814"
    joined = Reason.join([Reason.of("team_lead"), "", Reason.of("scheduled", days=10, workdays=21)])
    assert (joined, joined.text("zh")) == ("team lead; scheduled 10 of 21 workdays", "班组长；应出勤10天（本月21个工作日）")
    assert worded("遗失门店钥匙赔偿", "zh") == "遗失门店钥匙赔偿" and worded(Reason.join([]), "zh") == ""
    import copy
    import pickle
    assert pickle.loads(pickle.dumps(both)).text("zh") == copy.deepcopy(both).text("zh") == both.text("zh")


def test_hr_import_settings_are_checked_with_their_place(policy_copy):
    policy_copy.write("pay.yaml", (policy_copy.root / "pay.yaml").read_text(encoding="utf-8")
                      + "\nhr_import:\n  headers:\n    period: 月份\n    note: 月份\n")
    _, issues = policy_copy.load()
    line = policy_copy.line_of("pay.yaml", "headers:")
    assert any(str(i).startswith(f"config/pay.yaml:{line + 1}:") and "月份 is given to more than one column" in str(i)
               for i in issues), [str(i) for i in issues]


def test_hr_codes_are_distinct_and_bounded(policy_copy):
    policy_copy.edit("pay.yaml", "    name: 缺勤扣款\n", "    name: 缺勤扣款\n    hr_code: base_pay\n")
    policy_copy.edit("pay.yaml", "    name: 补助\n", f"    name: 补助\n    hr_name: {'长' * 41}\n")
    _, issues = policy_copy.load()
    shown = [str(i) for i in issues]
    code_line = policy_copy.line_of("pay.yaml", "hr_code: base_pay")
    name_line = policy_copy.line_of("pay.yaml", "hr_name:")
    assert any(s.startswith(f"config/pay.yaml:{name_line}:") and "40 characters" in s for s in shown), shown
    _, issues = (policy_copy.edit("pay.yaml", f"    hr_name: {'长' * 41}\n", ""), policy_copy.load())[1]
    shown = [str(i) for i in issues]
    assert any(s.startswith(f"config/pay.yaml:{code_line}:") and "'base_pay' is also base_pay's" in s
               for s in shown), shown
