"""A quarter or year reviewed before its months are closed is refused with one message naming
every missing month (a year reviewed in December listed the same refusal eleven times), in the
reader's language."""

from __future__ import annotations

from conftest import CONFIG, SAMPLES
from typer.testing import CliRunner

from csbatch.cli import app
from csbatch.closing.runs import monthly_close


def _review(lang: str, period: str, out):
    result = CliRunner(env={"CSBATCH_LANG": lang}).invoke(app, ["review", period, "--out", str(out),
                                                                "--config", str(CONFIG)])
    assert result.exit_code == 1, result.output
    return [x for x in result.stderr.splitlines() if "not closed" in x or "尚未结账" in x]


def test_every_missing_month_is_named_in_one_message(tmp_path):
    out = tmp_path / "out"
    assert monthly_close("2026-10", SAMPLES / "2026-10", out, CONFIG).ok
    ledger = out / "csbatch-ledger.sqlite"
    line, = _review("en", "2026Q4", out)
    assert line.endswith(f"2026-11, 2026-12 of 2026Q4 are not closed in the ledger {ledger}: close them (or close "
                         "again those reopened) before reviewing 2026Q4"), line
    line, = _review("zh", "2026", out)
    months = "，".join(f"2026-{m:02d}" for m in (1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12))
    assert f"2026 的 {months} 在台账 {ledger} 中尚未结账" in line, line


def test_one_missing_month_keeps_its_own_message(tmp_path):
    out = tmp_path / "out"
    for period in ("2026-10", "2026-11"):
        assert monthly_close(period, SAMPLES / "2026-10" if period == "2026-10" else _november(tmp_path),
                             out, CONFIG).ok
    line, = _review("en", "2026Q4", out)
    assert "2026-12 of 2026Q4 is not closed in the ledger" in line, line


def _november(tmp_path):
    result = CliRunner().invoke(app, ["sample", "2026-11", "--out", str(tmp_path / "nov"), "--config", str(CONFIG)])
    assert result.exit_code == 0, result.output
    return tmp_path / "nov"
