"""What `policy check` says of a policy value or formula, what `policy test` says of a golden
case's bad mark, and the sample generator's refusals are said in the reader's language: they were
English (the policy model's ValueErrors, a formula's problems, f-strings) inside a Chinese
`where：problem` frame or alone. tests/test_policy_check.py reads the same problems in English."""

from __future__ import annotations

from typer.testing import CliRunner

from csbatch.cli import app


def _zh(*args: str):
    result = CliRunner(env={"CSBATCH_LANG": "zh"}).invoke(app, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def _refused(policy_copy, file: str, old: str, new: str, needle: str) -> str:
    """`policy check` in Chinese after one edit: refused, and the one error line holding `needle`."""
    policy_copy.edit(file, old, new)
    code, _, err = _zh("policy", "check", "--config", "config")
    assert code == 1, err
    line, = [x for x in err.splitlines() if needle in x]
    return line


def test_an_unknown_name_in_a_formula_is_said_in_chinese(policy_copy):
    line = _refused(policy_copy, "kpi/ecommerce.yaml", "weight - 3 * callbacks_neutral",
                    "weight - 3 * callbacks_neutrl", "callbacks_neutrl")
    assert "items.service_check.formula：公式中有未知名称“callbacks_neutrl”" in line, line
    assert "unknown name" not in line


def test_a_function_a_formula_may_not_call_is_said_in_chinese(policy_copy):
    line = _refused(policy_copy, "kpi/ecommerce.yaml", "formula: qa_mean_score / 100",
                    "formula: __import__('os').system('true')", "multiplier.formula")
    assert "未知函数“__import__('os').system”（可用：" in line and "unknown function" not in line, line


def test_a_formula_that_is_not_valid_is_said_in_chinese(policy_copy):
    line = _refused(policy_copy, "kpi/ecommerce.yaml", "formula: qa_mean_score / 100", "formula: qa_mean_score /",
                    "multiplier.formula")
    assert "公式无效：" in line and "formula is not valid" not in line, line


def test_a_percentage_that_is_not_one_is_said_in_chinese(policy_copy):
    line = _refused(policy_copy, "pay.yaml", "      ecommerce_cs: 1%\n", "      ecommerce_cs: 1x%\n", "ecommerce_cs")
    assert "components.commission.rates.ecommerce_cs：'1x' 不是百分比" in line and "is not" not in line, line


def test_a_share_over_100_percent_is_said_in_chinese_with_its_hint(policy_copy):
    line = _refused(policy_copy, "leave.yaml", "  sick:         {name: 病假, paid: 80%}",
                    "  sick:         {name: 病假, paid: 80}", "types.sick.paid")
    assert "“80”不是 0% 到 100% 之间的比例（80 表示 8000%；百分比请写 80%）" in line, line


def test_a_day_that_ends_before_it_starts_is_said_in_chinese(policy_copy):
    line = _refused(policy_copy, "calendar.yaml", "  start: 08:30", "  start: 18:30", "18:30")
    assert "开始时间 18:30 不早于结束时间 17:30" in line, line


def test_a_golden_cases_mark_over_the_items_points_is_said_in_chinese(policy_copy):
    policy_copy.edit("tests/questionnaire.yaml", "total\n    marks: {ENV-1: 5, ENV-2: 5,",
                     "total\n    marks: {ENV-1: 7, ENV-2: 5,")
    code, out, _ = _zh("policy", "test", "--config", "config")
    assert code == 1, out
    assert "       ENV-1 的分数 7 不是 0–5" in out, out


def test_a_sample_too_small_is_refused_in_chinese(tmp_path):
    code, _, err = _zh("sample", "2026-11", "--out", str(tmp_path / "m"), "--employees", "3")
    assert code == 1, err
    assert "示例数据至少需要 20 名员工，才能覆盖每个岗位和每个预设情形（要求的是 3）" in err, err
    assert not (tmp_path / "m").exists() or not any((tmp_path / "m").iterdir())
