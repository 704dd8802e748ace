"""A range in roles.yaml (a role's base pay, its headcount) whose `min` is above its `max` is
refused by `policy check`, at the range's line, for both kinds of range (`policy.org._Range`)."""

from __future__ import annotations

from typer.testing import CliRunner

from csbatch.cli import app


def test_a_range_with_min_above_max_is_refused_for_money_and_for_counts(policy_copy):
    policy_copy.edit("roles.yaml", "  base_pay: {min: 2000, max: 2500}\n  headcount: {min: 2, max: 4}",
                     "  base_pay: {min: 2600, max: 2500}\n  headcount: {min: 5, max: 4}")
    result = CliRunner(env={"CSBATCH_LANG": "en"}).invoke(app, ["policy", "check", "--config", "config"])
    assert result.exit_code == 1, result.stderr
    lines = [x for x in result.stderr.splitlines() if "is above max" in x]
    assert len(lines) == 2, result.stderr
    assert any("roles.yaml:" in x and "min 2600 is above max 2500" in x for x in lines), lines
    assert any("roles.yaml:" in x and "min 5 is above max 4" in x for x in lines), lines
