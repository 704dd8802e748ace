"""A file whose name matches several input kinds names them by their Chinese names in Chinese
(the codes, `attendance, shifts`, stood inside the Chinese sentence); English keeps the codes."""

from __future__ import annotations

import shutil

from typer.testing import CliRunner

from conftest import SAMPLES
from csbatch.cli import app


def test_a_file_matching_two_kinds_names_them(policy_copy, tmp_path):
    policy_copy.edit("inputs.yaml", "    files: [shift*, 排班*]", "    files: [shift*, 排班*, 考勤*]")
    inputs = shutil.copytree(SAMPLES / "2026-10", tmp_path / "in")
    args = ["inputs", "check", "2026-10", "--inputs", str(inputs), "--config", "config"]
    zh = CliRunner(env={"CSBATCH_LANG": "zh"}).invoke(app, args)
    line, = [x for x in zh.stderr.splitlines() if x.startswith("考勤_2026-10.csv:")]
    assert "文件名同时对应多种输入类型：考勤，排班表；请重命名" in line and "attendance" not in line, line
    en = CliRunner(env={"CSBATCH_LANG": "en"}).invoke(app, args)
    assert "考勤_2026-10.csv: file name matches several input kinds: attendance, shifts; rename it" in en.stderr
