"""A policy value's own problem (a percentage that is not one, a share over 100%, a working day
that ends before it starts, a QA mark over the item's points in a golden case) is said in the
reader's language: the policy model's ValueErrors were English inside the Chinese
`where：problem` frame (tests/test_policy_check.py reads them in English)."""

from __future__ import annotations

from typer.testing import CliRunner

from csbatch.cli import app


def _zh(*args: str):
    result = CliRunner(env={"CSBATCH_LANG": "zh"}).invoke(app, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def _error(err: str, needle: str) -> str:
    line, = [x for x in err.splitlines() if needle in x]
    return line


def test_a_percentage_that_is_not_one_is_said_in_chinese(policy_copy):
    policy_copy.edit("pay.yaml", "      ecommerce_cs: 1%\n", "      ecommerce_cs: 1x%\n")
    code, _, err = _zh("policy", "check", "--config", "config")
    assert code == 1, err
    line = _error(err, "ecommerce_cs")
    assert "components.commission.rates.ecommerce_cs：'1x' 不是百分比" in line, line
    assert "is not" not in line


def test_a_share_over_100_percent_is_said_in_chinese_with_its_hint(policy_copy):
    policy_copy.edit("leave.yaml", "  sick:         {name: 病假, paid: 80%}", "  sick:         {name: 病假, paid: 80}")
    code, _, err = _zh("policy", "check", "--config", "config")
    assert code == 1, err
    line = _error(err, "types.sick.paid")
    assert "“80”不是 0% 到 100% 之间的比例（80 表示 8000%；百分比请写 80%）" in line, line


def test_a_day_that_ends_before_it_starts_is_said_in_chinese(policy_copy):
    policy_copy.edit("calendar.yaml", "  start: 08:30", "  start: 18:30")
    code, _, err = _zh("policy", "check", "--config", "config")
    assert code == 1, err
    line = _error(err, "18:30")
    assert "开始时间 18:30 不早于结束时间 17:30" in line, line


def test_a_golden_cases_mark_over_the_items_points_is_said_in_chinese(policy_copy):
    policy_copy.edit("tests/questionnaire.yaml", "total\n    marks: {ENV-1: 5, ENV-2: 5,",
                     "total\n    marks: {ENV-1: 7, ENV-2: 5,")
    result = CliRunner(env={"CSBATCH_LANG": "zh"}).invoke(app, ["policy", "test", "--config", "config"])
    assert result.exit_code == 1, result.output
    assert "       ENV-1 的分数 7 不是 0–5" in result.stdout, result.stdout
