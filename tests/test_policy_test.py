"""`csbatch policy test`: the shipped golden cases pass, and a policy change that moves a case
shows expected vs got with the case's line."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from csbatch.cli import app

runner = CliRunner(env={"CSBATCH_LANG": "en"})   # the failures' English is the point


def test_shipped_cases_pass(policy_copy):
    result = runner.invoke(app, ["policy", "test", "--config", "config"])
    assert result.exit_code == 0, result.output
    assert "0 failed" in result.stdout
    chinese = CliRunner().invoke(app, ["policy", "test", "--config", "config"]).stdout   # the default
    assert chinese.splitlines()[-1].endswith("失败 0 个")
    assert "通过 config/tests/ecommerce.yaml:5:5: worked example of [004]: A = 66, B = 33" in chinese
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


def _policy_test(policy_copy) -> tuple[int, str]:
    result = runner.invoke(app, ["policy", "test", "--config", "config"])
    return result.exit_code, result.stdout


def _fails(policy_copy, rel: str, name: str) -> str:
    """`policy test`'s output, having checked that it failed and that the case named `name` of
    `rel` is the one failing, at its line."""
    code, out = _policy_test(policy_copy)
    assert code == 1, out
    line = policy_copy.line_of(rel, name)
    assert f"FAIL config/{rel}:{line}:5: {name}" in out, out
    return out


def test_a_pay_rate_change_fails_the_pay_case_naming_its_line(policy_copy):
    policy_copy.edit("pay.yaml", "      ecommerce_cs: 1%\n", "      ecommerce_cs: 1.2%\n")
    out = _fails(policy_copy, "tests/pay.yaml", "commission 2% (comprehensive)")
    assert "ECOM.commission: expected 96.50, got 115.80" in out        # 9650 × 1.2%
    assert "HALF.commission: expected 48.25, got 57.90" in out
    assert "COMP.commission" not in out                                 # the comprehensive rate is unchanged
    assert "ok   config/tests/pay.yaml" in out                          # the other components stay green


def test_a_pay_line_that_appears_or_changes_its_reason_fails(policy_copy):
    policy_copy.edit("pay.yaml", "    roles: {online_lead: 500, cs_lead: 500}",
                     "    roles: {online_lead: 500, cs_lead: 500, consulting_cs: 100}")
    policy_copy.edit("tests/pay.yaml",
                     '      LEAD: {position_allowance: {amount: 300, reason: "team lead; floating: total 90 → 100%"}}',
                     "      LEAD: {position_allowance: {amount: 400, reason: teamlead}}")
    code, out = _policy_test(policy_copy)
    assert code == 1
    assert "AGENT.position_allowance: expected no line, got 100.00" in out
    assert "LEAD.position_allowance: expected the reason 'teamlead', got 'team lead; floating: total 90 → 100%'" in out


def test_a_vip_threshold_change_fails_the_vip_case(policy_copy):
    policy_copy.edit("vip.yaml", "silver: {name: 银卡, single_order: 25000, trailing_12m: 80000}",
                     "silver: {name: 银卡, single_order: 30000, trailing_12m: 80000}")
    out = _fails(policy_copy, "tests/vip.yaml", "普通VIP: ¥25,000 in one order")
    assert "SINGLE.tier: expected silver, got none" in out
    assert "ok   config/tests/vip.yaml:10:5: 专业VIP" in out           # the flagship programme is untouched


def test_a_voucher_band_change_fails_the_vip_case(policy_copy):
    policy_copy.edit("bands.yaml", "    - {to: 1000, to_inclusive: true, value: 30%}",
                     "    - {to: 1000, to_inclusive: true, value: 25%}")
    out = _fails(policy_copy, "tests/vip.yaml", "专业VIP: a single order of ¥60,000")
    assert "SINGLE.voucher: expected 126.00, got 105" in out           # 420 points × 25%


def test_a_deadline_time_change_fails_the_deadline_case(policy_copy):
    policy_copy.edit("deadlines.yaml", "due: {kind: next_month, day: 2, at: 18:00}",
                     "due: {kind: next_month, day: 2, at: 17:30}")
    out = _fails(policy_copy, "tests/deadlines.yaml", "the production sheet is due")
    assert "ON.status: expected on_time, got late" in out
    assert "ON.due_at: expected 2026-11-02 18:00, got 2026-11-02 17:30" in out


def test_a_deadline_item_the_case_does_not_name_fails(policy_copy):
    policy_copy.edit("tests/deadlines.yaml", "      Z: missing\n", "")
    policy_copy.edit("tests/deadlines.yaml", "      C2: late\n", "      C2: late\n      C9: late\n")
    code, out = _policy_test(policy_copy)
    assert code == 1
    assert "Z 2026-10-21: expected no item, got missing (due 2026-10-25 23:59)" in out
    assert "C9: expected an item, got none" in out


def test_malformed_cases_of_the_new_kinds_are_located_errors(policy_copy):
    policy_copy.edit("tests/deadlines.yaml", "      Y: late\n", "      Y: tardy\n")
    policy_copy.edit("tests/vip.yaml", "      BUILDER: {tier: none}", "      BUILDER: {tier: none, colour: gold}")
    policy_copy.edit("tests/pay.yaml", "      NONE: {role: invitation_cs, measures: {accepted_invitations: 0}}",
                     "      NONE: {role: invitation_cs, measures: {accepted_invitations: 0}, bonus: 1}")
    result = runner.invoke(app, ["policy", "test", "--config", "config"])
    assert result.exit_code == 1
    err = result.stderr
    line = policy_copy.line_of("tests/deadlines.yaml", "Y: tardy")
    assert f"config/tests/deadlines.yaml:{line}:10: cases[3].expect.Y: 'tardy' is not one of" in err
    line = policy_copy.line_of("tests/vip.yaml", "colour: gold")
    assert f"config/tests/vip.yaml:{line}:" in err and "unknown key 'colour'" in err
    line = policy_copy.line_of("tests/pay.yaml", "bonus: 1}")
    assert f"config/tests/pay.yaml:{line}:" in err and "unknown key 'bonus'" in err


def test_a_bad_cell_in_a_case_row_names_the_row(policy_copy):
    policy_copy.edit("tests/pay.yaml", "          - {amount: 5000, channel: online}",
                     "          - {amount: 5000, channel: carrier_pigeon}")
    code, out = _policy_test(policy_copy)
    assert code == 1
    line = policy_copy.line_of("tests/pay.yaml", "carrier_pigeon")
    assert f"config/tests/pay.yaml:{line}:" in out and "sales column 'channel'" in out


def test_the_default_policy_has_a_case_for_every_pay_component_both_programmes_and_a_deadline():
    from csbatch.policy import load_policy
    from csbatch.policy.yamlio import load_yaml
    from csbatch.resources import resolve_config

    policy, _ = load_policy(resolve_config(None))
    assert policy is not None
    cases = []
    for path in sorted((Path(policy.root) / "tests").glob("*.yaml")):
        data, _, _ = load_yaml(path, path.name)
        cases += data["cases"]
    paid = {c for case in cases if "pay" in case for c in ([case["pay"]] if isinstance(case["pay"], str) else case["pay"])}
    assert paid == set(policy.pay.components)
    assert {case["vip"] for case in cases if "vip" in case} == set(policy.vip.programmes)
    assert {case["deadline"] for case in cases if "deadline" in case} == set(policy.deadlines)
