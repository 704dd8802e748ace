"""`explain --pay` of a refund of an order paid in a closed month names the pay component by its
name in Chinese (`订单奖金`, not the code `order_bonus`); English keeps the code
(tests/test_explain_pay.py)."""

from __future__ import annotations

from typer.testing import CliRunner

from conftest import CONFIG
from csbatch.cli import app
from csbatch.closing.runs import monthly_close
from test_explain_pay import PERIOD, _small_month


def test_a_refunds_earlier_pay_names_its_component(tmp_path):
    out = tmp_path / "out"
    september = _small_month(tmp_path / "sep", "2026-09", [["O1", "2026-09-15", "1003", "K1", 10000, "电话直接成交", "已完成"]])
    assert monthly_close("2026-09", september, out, CONFIG).ok
    october = _small_month(tmp_path / "oct", PERIOD, [["O1", "2026-09-15", "1003", "K1", 10000, "电话直接成交", "已退款"],
                                                      ["O3", "2026-10-20", "1003", "K3", 2000, "电话直接成交", "已完成"]])
    result = CliRunner(env={"CSBATCH_LANG": "zh"}).invoke(app, [
        "explain", "1003", PERIOD, "--out", str(out), "--config", str(CONFIG), "--pay", "--inputs", str(october)])
    assert result.exit_code == 0, result.output
    line, = [x for x in result.stdout.splitlines() if "订单 O1 本月退款" in x]
    assert "订单 O1 本月退款；其 2026-09 已发的 订单奖金：¥100.00" in line, line
    assert "order_bonus" not in line
