"""`explain` for an employee whose role has no scorecard names the role by its name in Chinese
(`客服经理`, not the code `cs_manager`); English keeps the code."""

from __future__ import annotations

from typer.testing import CliRunner

from conftest import CONFIG, SAMPLES
from csbatch.cli import app


def test_a_role_without_a_scorecard_is_named(tmp_path):
    args = ["explain", "1001", "2026-10", "--inputs", str(SAMPLES / "2026-10"), "--config", str(CONFIG)]
    zh = CliRunner(env={"CSBATCH_LANG": "zh"}).invoke(app, args)
    assert zh.exit_code == 1, zh.output
    line, = [x for x in zh.stderr.splitlines() if "该岗位没有考核表" in x]
    assert "员工 1001 的岗位是 客服经理，该岗位没有考核表" in line and "cs_manager" not in line, line
    en = CliRunner(env={"CSBATCH_LANG": "en"}).invoke(app, args)
    assert "employee 1001 has the role cs_manager, which has no scorecard" in en.stderr, en.stderr
