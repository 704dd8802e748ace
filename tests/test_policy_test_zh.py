"""`csbatch policy test` in Chinese, the default: a failing golden case's lines (expected vs got,
an unknown item, an item too many or missing, a bad cell of a case row) are said in Chinese whole;
they were English under a Chinese `失败` (tests/test_policy_test.py reads the same lines in English)."""

from __future__ import annotations

import re

from typer.testing import CliRunner

from csbatch.cli import app

#: English words of the failure lines that a Chinese line must not hold
ENGLISH = re.compile(r"\b(?:expected|got|no such|not an|item|line|reason|column|does not exist)\b")


def _zh(policy_copy) -> str:
    result = CliRunner(env={"CSBATCH_LANG": "zh"}).invoke(app, ["policy", "test", "--config", "config"])
    assert result.exit_code == 1, result.output
    return result.stdout


def _failures(out: str) -> list[str]:
    """The failure lines (indented under their case)."""
    return [line.strip() for line in out.splitlines() if line.startswith("       ")]


def test_expected_and_got_are_said_in_chinese(policy_copy):
    policy_copy.edit("kpi/ecommerce.yaml", "      - {from: 90%, to: 95%, value: 0.8}",
                     "      - {from: 90%, to: 95%, value: 0.75}")
    policy_copy.edit("tests/others.yaml", "onsite: 25, total: 111}", "onsite: 25, total: 111, bogus: 1}")
    out = _zh(policy_copy)
    assert "B.sales：应为 33，实为 31（" in out, out
    assert "S.bogus：考核表“supervisor”中没有这个项目或字段" in out, out
    assert [x for x in _failures(out) if ENGLISH.search(x.split("（")[0])] == []


def test_a_pay_line_that_appears_or_changes_its_reason_is_said_in_chinese(policy_copy):
    policy_copy.edit("pay.yaml", "    roles: {online_lead: 500, cs_lead: 500}",
                     "    roles: {online_lead: 500, cs_lead: 500, consulting_cs: 100}")
    policy_copy.edit("tests/pay.yaml",
                     '      LEAD: {position_allowance: {amount: 300, reason: "team lead; floating: total 90 → 100%"}}',
                     "      LEAD: {position_allowance: {amount: 400, reason: teamlead}}")
    out = _zh(policy_copy)
    assert "AGENT.position_allowance：应为 无此行，实为 100.00" in out, out
    assert "LEAD.position_allowance：说明应为“teamlead”，实为“" in out, out


def test_deadline_items_too_many_or_missing_are_said_in_chinese(policy_copy):
    policy_copy.edit("tests/deadlines.yaml", "      Z: missing\n", "")
    policy_copy.edit("tests/deadlines.yaml", "      C2: late\n", "      C2: late\n      C9: late\n")
    out = _zh(policy_copy)
    assert "Z 2026-10-21：不应有此项，实际为 missing（期限 2026-10-25 23:59）" in out, out
    assert "C9：应有一项，实际没有" in out, out
    assert [x for x in _failures(out) if ENGLISH.search(x)] == []


def test_a_bad_cell_of_a_case_row_is_said_in_chinese(policy_copy):
    policy_copy.edit("tests/pay.yaml", "          - {amount: 5000, channel: online}",
                     "          - {amount: 5000, channel: carrier_pigeon}")
    out = _zh(policy_copy)
    line = policy_copy.line_of("tests/pay.yaml", "carrier_pigeon")
    bad, = [x for x in _failures(out) if x.startswith(f"config/tests/pay.yaml:{line}:")]
    assert "carrier_pigeon" in bad and "sales column 'channel'" not in bad, bad
