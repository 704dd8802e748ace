"""A formula's problem in the policy and the sample generator's refusals are said in the reader's
language: they were English f-strings, inside a Chinese frame (`items.….formula: …`) or alone
(tests/test_policy_check.py reads the formula problems in English)."""

from __future__ import annotations

from typer.testing import CliRunner

from csbatch.cli import app


def _zh(*args: str):
    result = CliRunner(env={"CSBATCH_LANG": "zh"}).invoke(app, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def test_an_unknown_name_in_a_formula_is_said_in_chinese(policy_copy):
    policy_copy.edit("kpi/ecommerce.yaml", "weight - 3 * callbacks_neutral", "weight - 3 * callbacks_neutrl")
    code, _, err = _zh("policy", "check", "--config", "config")
    assert code == 1, err
    line, = [x for x in err.splitlines() if "callbacks_neutrl" in x]
    assert "items.service_check.formula：公式中有未知名称“callbacks_neutrl”" in line, line
    assert "unknown name" not in line


def test_a_function_a_formula_may_not_call_is_said_in_chinese(policy_copy):
    policy_copy.edit("kpi/ecommerce.yaml", "formula: qa_mean_score / 100", "formula: __import__('os').system('true')")
    code, _, err = _zh("policy", "check", "--config", "config")
    assert code == 1, err
    line, = [x for x in err.splitlines() if "multiplier.formula" in x]
    assert "未知函数“__import__('os').system”（可用：" in line, line
    assert "unknown function" not in line


def test_a_formula_that_is_not_valid_is_said_in_chinese(policy_copy):
    policy_copy.edit("kpi/ecommerce.yaml", "formula: qa_mean_score / 100", "formula: qa_mean_score /")
    code, _, err = _zh("policy", "check", "--config", "config")
    assert code == 1, err
    line, = [x for x in err.splitlines() if "multiplier.formula" in x]
    assert "公式无效：" in line and "formula is not valid" not in line, line


def test_a_sample_too_small_is_refused_in_chinese(tmp_path):
    code, _, err = _zh("sample", "2026-11", "--out", str(tmp_path / "m"), "--employees", "3")
    assert code == 1, err
    assert "示例数据至少需要 20 名员工，才能覆盖每个岗位和每个预设情形（要求的是 3）" in err, err
    assert not (tmp_path / "m").exists() or not any((tmp_path / "m").iterdir())
