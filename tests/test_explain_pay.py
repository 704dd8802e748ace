"""`csbatch explain EMPLOYEE PERIOD --pay` agrees with what was paid: each pay line with its rule,
inputs and policy place, amounts equal to the close's pay lines and adding up to gross pay in
payroll.csv; for a closed month it reads the kept inputs and the policy revision of the close."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import CONFIG, SAMPLES
from csbatch.cli import app
from csbatch.closing.explanation import explain
from csbatch.closing.runs import monthly_close

PERIOD = "2026-10"
MONTH = SAMPLES / PERIOD


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


# 1003: order bonus split by channel, an adjustment; 1006: absence, commission, award, complaint
# losses, an adjustment; 1009: team lead, commission at the over-reported 50% share; 1008: per unit
@pytest.mark.parametrize("employee", ["1003", "1006", "1008", "1009"])
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
    pay = out[out.index("1006 赵志 · 综合类客服 · pay · 2026-10"):]
    assert "absence_deduction 缺勤扣款 — -¥114.29  [absent 1 d]" in pay
    assert "absent 1 d, unpaid leave 0 d of 21 workdays" in pay
    assert "2% (comprehensive_cs) × each counted order's amount × the production-sheet share" in pay
    assert "order MD26100000005 ¥15,000.00 × 2% × production share 100% = ¥300.00  (销售订单_2.xlsx[门店订单]!F8)" in pay
    assert "recognition 服务之星 ¥200.00  (月度台账_2026-10.xlsx[奖惩记录]!D2)" in pay
    assert "complaint TS26100010 loss ¥1,280.00  (投诉登记_2026-10.xlsx[投诉登记]!J13)" in pay
    assert "a line of the adjustments sheet, as written" in pay
    assert "adjustment -¥200.00: 遗失门店钥匙赔偿  (其他调整_2026-10.xlsx[其他调整]!D3)" in pay
    assert "/config/pay.yaml:92:5\n" in pay
    assert pay.rstrip().endswith("gross pay: ¥11,099.61 (8 lines)")


def test_pay_of_someone_without_a_scorecard_is_explained(tmp_path):
    runner = CliRunner()
    args = ["explain", "1001", PERIOD, "--inputs", str(MONTH), "--config", str(CONFIG)]
    assert runner.invoke(app, args).exit_code == 1                 # a manager has no scorecard
    result = runner.invoke(app, [*args, "--pay"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("1001 龚薇丹 · ") and "unpaid leave 1 d" in result.stdout
    gone = runner.invoke(app, ["explain", "Z99", PERIOD, "--inputs", str(MONTH), "--config", str(CONFIG), "--pay"])
    assert gone.exit_code == 1 and "employee Z99 is not on the payroll of 2026-10" in gone.stderr
