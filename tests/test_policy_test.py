"""`csbatch policy test`: the shipped golden cases pass, and a policy change that moves a case
shows expected vs got with the case's line."""

from __future__ import annotations

from typer.testing import CliRunner

from csbatch.cli import app

runner = CliRunner()


def test_shipped_cases_pass(policy_copy):
    result = runner.invoke(app, ["policy", "test", "--config", "config"])
    assert result.exit_code == 0, result.output
    assert "0 failed" in result.stdout
    assert "ok   config/tests/ecommerce.yaml:5:5: worked example of [004]: A = 66, B = 33" in result.stdout
    assert "ok   config/tests/questionnaire.yaml:4:5: every item met and no violation is the 100-point total" in result.stdout


def test_a_band_change_moves_the_cases_that_depend_on_it(policy_copy):
    policy_copy.edit("kpi/ecommerce.yaml", "      - {from: 90%, to: 95%, value: 0.8}", "      - {from: 90%, to: 95%, value: 0.75}")
    result = runner.invoke(app, ["policy", "test", "--config", "config"])
    assert result.exit_code == 1
    out = result.stdout
    line = policy_copy.line_of("tests/ecommerce.yaml", "worked example of [004]")
    assert f"FAIL config/tests/ecommerce.yaml:{line}:5: worked example of [004]: A = 66, B = 33" in out
    assert "B.sales: expected 33, got 31 (" in out and "target_coefficient 90% in [90%, 95%) → 0.75" in out
    assert "ok   config/tests/service_center.yaml" in out      # cases that do not use the table stay green
    assert "failed" in out.splitlines()[-1] and not out.splitlines()[-1].startswith("0 failed")


def test_a_broken_case_file_is_a_located_error(policy_copy):
    policy_copy.edit("tests/others.yaml", "    scorecard: supervisor\n", "    scorecard: supervisor\n    wieght: 3\n")
    result = runner.invoke(app, ["policy", "test", "--config", "config"])
    assert result.exit_code == 1
    line = policy_copy.line_of("tests/others.yaml", "wieght")
    assert f"config/tests/others.yaml:{line}:5: cases[0].wieght: unknown key 'wieght'" in result.stderr


def test_unknown_item_in_expectations(policy_copy):
    policy_copy.edit("tests/others.yaml", "onsite: 25, total: 111}", "onsite: 25, total: 111, bogus: 1}")
    result = runner.invoke(app, ["policy", "test", "--config", "config"])
    assert result.exit_code == 1
    assert "S.bogus: no such item or field on 'supervisor'" in result.stdout
