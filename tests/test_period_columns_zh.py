"""The date columns a month-check message names are the sheet's usual headers in Chinese (the
keys, `date, punch_time`, stood inside the Chinese sentence); English keeps the keys
(tests/faults/test_period.py)."""

from __future__ import annotations

from typer.testing import CliRunner

from conftest import CONFIG, SAMPLES
from csbatch.cli import app


def test_files_of_another_month_name_their_date_columns_by_header(tmp_path):
    result = CliRunner(env={"CSBATCH_LANG": "zh"}).invoke(app, [
        "monthly-close", "2026-11", "--inputs", str(SAMPLES / "2026-10"), "--out", str(tmp_path / "out"),
        "--config", str(CONFIG)])
    assert result.exit_code == 1, result.output
    assert "没有一行考勤（日期，打卡时间）的日期在 2026-11" in result.stderr, result.stderr
    assert "没有一行销售订单（下单日期）的日期在 2026-11" in result.stderr
    assert "punch_time" not in result.stderr and "order_date" not in result.stderr
    english = CliRunner(env={"CSBATCH_LANG": "en"}).invoke(app, [
        "monthly-close", "2026-11", "--inputs", str(SAMPLES / "2026-10"), "--out", str(tmp_path / "out"),
        "--config", str(CONFIG)])
    assert "no 考勤 row (date, punch_time) is dated in 2026-11" in english.stderr, english.stderr
