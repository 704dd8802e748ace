"""`csbatch reproduce` of a month the ledger never closed says so once (restoring its inputs and
then its policy each said it, so the same error was printed twice)."""

from __future__ import annotations

from test_reproduce import CONFIG, _close, app, runner


def test_a_month_never_closed_is_said_once(tmp_path):
    _, out = _close(tmp_path)
    result = runner.invoke(app, ["reproduce", "2026-09", "--out", str(out), "--config", str(CONFIG)])
    assert result.exit_code == 1, result.output
    said = [x for x in result.stderr.splitlines() if "2026-09" in x]
    assert said == [f"{out / 'csbatch-ledger.sqlite'}: 2026-09 was never closed with this ledger"], result.stderr
    assert "1 error, 0 warnings" in result.stderr
