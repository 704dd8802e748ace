"""`csbatch explain EMPLOYEE PERIOD --pay` agrees with what was paid: each pay line with its rule,
inputs and policy place, amounts equal to the close's pay lines and adding up to gross pay in
payroll.csv; for a closed month it reads the kept inputs and the policy revision of the close."""

from __future__ import annotations

import csv
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from builders import write_attendance, write_xlsx
from conftest import CONFIG, SAMPLES, committed_policy
from csbatch.cli import app
from csbatch.closing.explanation import explain
from csbatch.closing.runs import monthly_close

PERIOD = "2026-10"
MONTH = SAMPLES / PERIOD


@pytest.fixture(autouse=True)
def english(monkeypatch):
    """These tests read the rules, inputs and messages word for word: in English (`CSBATCH_LANG`);
    the Chinese default has its own tests below."""
    monkeypatch.setenv("CSBATCH_LANG", "en")


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def closed(tmp_path_factory):
    """The sample month closed with the committed default policy: (out folder, the close's outcome)."""
    out = tmp_path_factory.mktemp("closed") / "out"
    outcome = monthly_close(PERIOD, MONTH, out, CONFIG)
    assert outcome.ok, [str(i) for i in outcome.issues if i.is_error]
    return out, outcome


# 1003: the online lead's allowance, an adjustment; 1004: order bonus split by channel; 1006: absence,
# commission, a complaint loss, an adjustment; 1007: unpaid leave, commission, an award, a complaint
# loss; 1009: per unit, a floating team-lead allowance, an award, an adjustment; 1010: team lead,
# commission at the over-reported 50% share
@pytest.mark.parametrize("employee", ["1003", "1004", "1006", "1007", "1009", "1010"])
def test_each_pay_line_is_the_closes_and_they_add_up_to_gross_pay(closed, employee):
    out, outcome = closed
    _, pay, issues = explain(employee, PERIOD, MONTH, CONFIG, pay=True)
    assert pay is not None, [str(i) for i in issues]
    paid = [(l.component, l.amount, l.reason) for l in outcome.state.payroll.lines if l.employee_id == employee]
    assert [(i.component, i.amount, i.reason) for i in pay.items] == paid
    row, = [r for r in _csv(out / PERIOD / "data" / "payroll.csv") if r["employee_id"] == employee]
    assert sum(i.amount for i in pay.items) == pay.gross == Decimal(row["gross_pay"])
    for component in {i.component for i in pay.items}:
        assert sum(i.amount for i in pay.items if i.component == component) == Decimal(row[component])
    assert all(i.rule and "config/pay.yaml:" in i.place and i.inputs for i in pay.items)


def test_pay_explanation_names_rules_inputs_and_places():
    result = CliRunner().invoke(app, ["explain", "1006", PERIOD, "--inputs", str(MONTH), "--config", str(CONFIG),
                                      "--pay"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("1006 ") and "total:" in out            # the scorecard first, as without --pay
    pay = out[out.index("1006 赵冬 · 综合类客服 · pay · 2026-10"):]
    assert "absence_deduction 缺勤扣款 — -¥123.81  [absent 1 d]" in pay
    assert "absent 1 d, unpaid leave 0 d of 21 workdays" in pay
    assert "2% (综合类客服) × each counted order's amount × the production-sheet share" in pay
    assert "order MD26100000005 ¥15,100.00 × 2% × production share 100% = ¥302.00  (销售订单_2.xlsx[门店订单]!F8)" in pay
    assert "complaint TS26100002 loss ¥350.00  (投诉登记_2026-10.xlsx[投诉登记]!J5)" in pay
    assert "a line of the adjustments sheet, as written" in pay
    assert "adjustment -¥200.00: 遗失门店钥匙赔偿  (其他调整_2026-10.xlsx[其他调整]!D3)" in pay
    assert "/config/pay.yaml:94:5\n" in pay
    assert pay.rstrip().endswith("gross pay: ¥4,859.53 (7 lines)")
    # the sample's award of 服务之星 went to 1007 (with its other complaint loss)
    awarded = CliRunner().invoke(app, ["explain", "1007", PERIOD, "--inputs", str(MONTH), "--config", str(CONFIG),
                                       "--pay"])
    assert awarded.exit_code == 0, awarded.output
    pay = awarded.stdout[awarded.stdout.index("1007 夏伟明 · 综合类客服 · pay · 2026-10"):]
    assert "recognition 服务之星 ¥200.00  (月度台账_2026-10.xlsx[奖惩记录]!D2)" in pay
    assert "complaint TS26100009 loss ¥1,280.00  (投诉登记_2026-10.xlsx[投诉登记]!J12)" in pay


def test_pay_of_someone_without_a_scorecard_is_explained(tmp_path):
    runner = CliRunner()
    args = ["explain", "1001", PERIOD, "--inputs", str(MONTH), "--config", str(CONFIG)]
    assert runner.invoke(app, args).exit_code == 1                 # a manager has no scorecard
    result = runner.invoke(app, [*args, "--pay"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("1001 龚军娟 · ") and "unpaid leave 1 d" in result.stdout
    gone = runner.invoke(app, ["explain", "Z99", PERIOD, "--inputs", str(MONTH), "--config", str(CONFIG), "--pay"])
    assert gone.exit_code == 1 and "employee Z99 is not on the payroll of 2026-10" in gone.stderr


def _explain(*args: str):
    return CliRunner().invoke(app, ["explain", *args])


def _commission(text: str) -> str:
    line, = [x for x in text.splitlines() if x.startswith("commission 业绩提成 — ")]
    return line


def test_a_closed_month_is_explained_with_the_policy_and_inputs_of_its_close(tmp_path, monkeypatch):
    config = committed_policy(tmp_path / "repo")
    out = tmp_path / "out"
    assert monthly_close(PERIOD, MONTH, out, config).ok
    paid, = [r for r in _csv(out / PERIOD / "data" / "payroll.csv") if r["employee_id"] == "1006"]
    assert paid["commission"] == "2492.44"
    # the work tree's rate changes without a re-close: the month still explains what was paid
    pay_yaml = config / "pay.yaml"
    pay_yaml.write_text(pay_yaml.read_text(encoding="utf-8").replace("comprehensive_cs: 2%", "comprehensive_cs: 3%"),
                        encoding="utf-8")
    today = _explain("1006", PERIOD, "--inputs", str(MONTH), "--config", str(config), "--pay")
    assert today.exit_code == 0 and _commission(today.stdout).startswith("commission 业绩提成 — ¥3,738.66")
    result = _explain("1006", PERIOD, "--out", str(out), "--config", str(config), "--pay")
    assert result.exit_code == 0, result.output
    assert _commission(result.stdout) == "commission 业绩提成 — ¥2,492.44"
    assert "2% (综合类客服) × each counted order's amount" in result.stdout     # the role by its policy name
    assert result.stdout.rstrip().endswith(f"gross pay: ¥{Decimal(paid['gross_pay']):,} (7 lines)")
    assert (f"{PERIOD} is closed (at " in result.stderr and "explained from the 19 input files its close kept"
            in result.stderr and "(commit " in result.stderr)
    # its places name the policy folder, not the temporary copy explain read
    assert f"policy:   {config}/pay.yaml:44:5" in result.stdout.replace("\\", "/")
    assert "csbatch-explain-" not in result.stdout


def test_inputs_that_differ_from_the_kept_ones_warn_and_the_kept_ones_are_explained(tmp_path):
    out, given = tmp_path / "out", tmp_path / "given"
    assert monthly_close(PERIOD, MONTH, out, CONFIG).ok
    shutil.copytree(MONTH, given)
    same = _explain("1006", PERIOD, "--out", str(out), "--inputs", str(given), "--config", str(CONFIG), "--pay")
    assert same.exit_code == 0 and "differs" not in same.stderr
    (given / "其他调整_2026-10.xlsx").unlink()
    with (given / "考勤_2026-10.csv").open("a", encoding="utf-8") as fh:
        fh.write("\n")
    result = _explain("1006", PERIOD, "--out", str(out), "--inputs", str(given), "--config", str(CONFIG), "--pay")
    assert result.exit_code == 0, result.output
    assert (f"--inputs {given} differs from the input files {PERIOD} was closed with (其他调整_2026-10.xlsx "
            "missing; 考勤_2026-10.csv changed): explaining what was paid, from the kept files") in result.stderr
    assert "0 errors, 1 warning" in result.stderr
    assert "adjustment -¥200.00: 遗失门店钥匙赔偿" in result.stdout          # from the kept adjustments sheet


def test_a_month_not_closed_needs_its_inputs(tmp_path):
    out = tmp_path / "out"
    assert monthly_close(PERIOD, MONTH, out, CONFIG).ok
    result = _explain("1006", "2026-11", "--out", str(out), "--config", str(CONFIG))
    assert result.exit_code == 1
    assert f"2026-11 is not closed in the ledger {out / 'csbatch-ledger.sqlite'}: give --inputs FOLDER" in result.stderr
    result = _explain("1006", PERIOD, "--config", str(CONFIG))
    assert result.exit_code == 1 and "give --inputs FOLDER (the month's input files), or --out/--ledger" in result.stderr
    result = _explain("1006", PERIOD, "--ledger", str(tmp_path / "none.sqlite"), "--config", str(CONFIG))
    assert result.exit_code == 1 and "no ledger at" in result.stderr and not (tmp_path / "none.sqlite").exists()


ROSTER = [["工号", "姓名", "岗位", "班组", "入职日期", "底薪"],
          ["1003", "王五", "咨询类客服", "二组", "2024-01-15", 2100],
          ["1005", "钱七", "综合类客服", "二组", "2024-02-01", 2400]]
SALES = ["订单号", "下单日期", "客服工号", "客户编号", "实收金额", "成交方式", "订单状态"]


def _small_month(folder: Path, period: str, sales: list[list], adjustments: list[list] = ()) -> Path:
    write_xlsx(folder / "员工名册.xlsx", {"Sheet1": ROSTER})
    write_attendance(folder, [row[0] for row in ROSTER[1:]], period)
    write_xlsx(folder / "销售订单.xlsx", {"Sheet1": [SALES, *sales]})
    write_xlsx(folder / "其他调整.xlsx", {"Sheet1": [["工号", "项目", "金额", "原因"], *adjustments]})
    return folder


def test_a_refund_of_a_closed_months_order_is_explained_as_its_reversal(tmp_path):
    out = tmp_path / "out"
    september = _small_month(tmp_path / "sep", "2026-09", [["O1", "2026-09-15", "1003", "K1", 10000, "电话直接成交", "已完成"]])
    assert monthly_close("2026-09", september, out, CONFIG).ok
    october = _small_month(tmp_path / "oct", PERIOD, [["O1", "2026-09-15", "1003", "K1", 10000, "电话直接成交", "已退款"],
                                                      ["O3", "2026-10-20", "1003", "K3", 2000, "电话直接成交", "已完成"]],
                           [["1003", "其他调整", 350, "九月加班费补发"]])
    args = ["1003", PERIOD, "--out", str(out), "--config", str(CONFIG), "--pay"]
    before = _explain(*args, "--inputs", str(october))          # October open: from its files, the ledger's history
    assert before.exit_code == 0, before.output
    assert "order_bonus 订单奖金 — -¥100.00  [refund of order O1 paid in 2026-09]" in before.stdout
    assert "refund of an order paid in a closed month: − what that month paid for it" in before.stdout
    assert "order O1 refunded this month; its order_bonus paid in 2026-09: ¥100.00  (销售订单.xlsx[Sheet1]!" \
        in before.stdout
    assert "order O3 ¥2,000.00 × 1% × phone_direct share 100% = ¥20.00" in before.stdout
    assert monthly_close(PERIOD, october, out, CONFIG).ok
    after = _explain(*args)
    assert after.exit_code == 0, after.output
    assert after.stdout == before.stdout
    row, = [r for r in _csv(out / PERIOD / "data" / "payroll.csv") if r["employee_id"] == "1003"]
    assert f"gross pay: ¥{Decimal(row['gross_pay']):,}" in after.stdout and row["order_bonus"] == "-80.00"


def test_in_a_terminal_pay_is_a_table():
    from rich.console import Console

    from csbatch.closing.pay_explanation import render_rich

    _, pay, _ = explain("1006", PERIOD, MONTH, CONFIG, pay=True, lang="en")
    console = Console(width=160, record=True, force_terminal=True, color_system=None)
    console.print(render_rich(pay))
    shown = console.export_text()
    assert "┃ component" in shown and "-¥350.00" in shown and shown.rstrip().endswith("gross pay: ¥4,859.53 (7 lines)")
    assert "(投诉登记_2026-10.xlsx[投诉登记]!J5)" in shown          # a sheet name in brackets is not markup


def test_explain_speaks_chinese_by_default(monkeypatch):
    monkeypatch.delenv("CSBATCH_LANG")
    result = CliRunner().invoke(app, ["explain", "1006", PERIOD, "--inputs", str(MONTH), "--config", str(CONFIG),
                                      "--pay"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "\n客户满意度 — 19 分（满分 20）" in out            # the item by its name, no code (issue 12)
    assert "  规则：    满意度扣分 96.5% 落在 [95%, 100%) → 20 − 1" in out
    # issue 13: complaint resolution is the department's share; 1006 ranks 4th of 9, its 公司表扬 added
    assert "总分：小计 77 + 3 (公司表扬) = 80 → 等级 C，排名 4/9" in out
    assert "名册基本工资 × 应出勤天数 ÷ 当月工作日数" in out
    assert out.rstrip().endswith("应发工资：¥4,859.53（共 7 行）")
    assert not any(word in out for word in ("rule:", "measured:", "total:", "gross pay", " of 20", "a month, ",
                                            "scheduled days", "adjustments sheet"))
    gone = CliRunner().invoke(app, ["explain", "Z99", PERIOD, "--inputs", str(MONTH), "--config", str(CONFIG),
                                    "--pay"])
    assert gone.exit_code == 1 and "员工 Z99 不在 2026-10 的工资表中（当月不在职）" in gone.stderr


def test_explain_speaks_english_with_lang_en(monkeypatch):
    monkeypatch.delenv("CSBATCH_LANG")
    result = CliRunner().invoke(app, ["--lang", "en", "explain", "1006", PERIOD, "--inputs", str(MONTH),
                                      "--config", str(CONFIG), "--pay"])
    assert result.exit_code == 0, result.output
    assert "satisfaction 客户满意度 — 19 of 20" in result.stdout            # the policy's names stay its own
    assert "  rule:     satisfaction_deduction 96.5% in [95%, 100%) → 20 − 1" in result.stdout
    assert result.stdout.rstrip().endswith("gross pay: ¥4,859.53 (7 lines)")
    assert "规则" not in result.stdout and "应发工资" not in result.stdout


def test_the_staff_pages_rules_are_in_the_close_language(closed):
    from dataclasses import replace

    from csbatch.closing.publish import staff_pages

    _, outcome = closed
    zh, = [p for p in staff_pages(outcome.state) if p.employee_id == "1006"]
    rules = [line.rule for line in zh.card.items] + [item.rule for item in zh.pay.items]
    assert "满意度扣分 96.5% 落在 [95%, 100%) → 20 − 1" in rules           # the band table by its name
    assert "名册基本工资 × 应出勤天数 ÷ 当月工作日数" in rules
    assert zh.card.total_text == "小计 77 + 3 (公司表扬) = 80"
    assert not any(w in r for r in rules for w in (" in [", "a month", "scheduled days", "roster"))
    en, = [p for p in staff_pages(replace(outcome.state, lang="en")) if p.employee_id == "1006"]
    assert "satisfaction_deduction 96.5% in [95%, 100%) → 20 − 1" in [line.rule for line in en.card.items]
    assert en.card.total_text == "subtotal 77 + 3 (公司表扬) = 80"


def test_each_employee_s_name_role_and_gross_are_those_of_the_payroll_row(closed):
    """`explain_pay` reads an employee's role, name and gross from the payroll's columns (kept once
    for the close): what the row of the payroll frame holds, for every employee of the close."""
    from csbatch.closing.pay_explanation import explain_pay

    _, outcome = closed
    state = outcome.state
    policy, frame = state.policy, state.payroll.payroll
    for at, employee in enumerate(frame["employee_id"].tolist()):
        row = frame.iloc[at]
        pay, issues = explain_pay(state, str(employee), "en")
        assert pay is not None and not issues
        role = None if row["role"] is None else str(row["role"])
        assert (pay.name, pay.gross) == (str(row["name"]), row["gross_pay"])
        assert pay.role == (policy.roles[role].name if role in policy.roles else (role or "—"))
