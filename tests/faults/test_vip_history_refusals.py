"""A refused `vip import-history` changes nothing and is said in the reader's language: a file with
nothing to import makes no ledger in a fresh `--out` (as a refused first close leaves none), and a
month the ledger already holds is refused in Chinese too (the refusal was an English ValueError's
text; the member register's refusals were already catalogue messages, and now share its class)."""

from __future__ import annotations

from harness import CONFIG, Closer
from test_vip_history import history, import_history
from typer.testing import CliRunner


def test_nothing_to_import_leaves_no_ledger_in_a_fresh_out(tmp_path):
    closer = Closer(tmp_path)
    file = history(tmp_path / "refunds.xlsx", ["H4", "2026-06-13", "1003", "K1", 2000, "现代", "已退款"])
    run = import_history(file, closer.out)
    assert run.exit_code == 1, run.output
    assert "no completed purchase with a store type" in run.stderr
    assert not closer.out.exists() and not closer.ledger.exists()


def test_a_month_held_already_is_refused_in_chinese(tmp_path):
    from csbatch.cli import app

    closer = Closer(tmp_path)
    first = history(tmp_path / "may.xlsx", ["H1", "2026-05-10", "1003", "K1", 40000, "现代", "已完成"])
    assert import_history(first, closer.out).exit_code == 0
    before = closer.ledger.read_bytes()
    again = CliRunner(env={"CSBATCH_LANG": "zh"}).invoke(
        app, ["vip", "import-history", str(first), "--out", str(closer.out), "--config", str(CONFIG)])
    assert again.exit_code == 1, again.output
    assert "台账中已有 2026-05 的消费记录：历史只能导入一次" in again.stderr, again.stderr
    assert "already has purchases" not in again.stderr
    assert closer.ledger.read_bytes() == before
