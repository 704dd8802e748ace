"""Ledger integrity: a ledger changed outside csbatch (with sqlite3, as a careless or hostile admin
would) is refused by the next close and by reopen, naming table and month, and `csbatch ledger
verify` lists every difference. Each test closes the committed sample month through the CLI,
edits the real SQLite file with the sqlite3 module, and runs the CLI again."""

from __future__ import annotations

import shutil
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
from harness import CONFIG, PERIOD, Closer, cli, sample_month


def _sql(ledger: Path, *statements: str) -> None:
    """Edit the ledger as an admin would with the sqlite3 shell: no csbatch involved."""
    conn = sqlite3.connect(ledger, isolation_level=None)
    try:
        for statement in statements:
            conn.execute(statement)
    finally:
        conn.close()


@pytest.fixture(scope="module")
def closed_october(tmp_path_factory) -> tuple[Path, Path]:
    """The sample month closed once through the CLI (inputs, out); tests work on copies."""
    root = tmp_path_factory.mktemp("closed")
    inputs = sample_month(root)
    closer = Closer(root)
    run = closer.close(inputs)
    assert run.exit_code == 0, run.output
    return inputs, closer.out


@pytest.fixture
def closed(closed_october, tmp_path) -> tuple[Closer, Path]:
    """A private copy of the closed month: (closer, inputs)."""
    inputs, out = closed_october
    closer = Closer(tmp_path)
    shutil.copytree(out, closer.out)
    return closer, shutil.copytree(inputs, tmp_path / "in")


@pytest.fixture(scope="module")
def november(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("nov") / "in"
    run = cli("sample", "2026-11", "--out", folder, "--config", CONFIG)
    assert run.exit_code == 0, run.output
    return folder


def test_an_edited_points_row_is_refused_by_the_next_close_and_found_by_verify(closed, november):
    closer, _ = closed
    conn = sqlite3.connect(closer.ledger)
    original = conn.execute("SELECT rowid, points FROM vip_points ORDER BY rowid LIMIT 1").fetchone()
    conn.close()
    # the case: points of a closed month raised by hand, to be paid out as a voucher next month
    _sql(closer.ledger, f"UPDATE vip_points SET points = points + 50000 WHERE rowid = {original[0]}")
    run = closer.refused(november, "table vip_points, 2026-10", "changed outside csbatch", "restore it from a backup",
                         period="2026-11")
    assert "ledger verify" in run.stderr
    assert not (closer.out / "2026-11").exists()

    verify = cli("ledger", "verify", "--out", closer.out)
    assert verify.exit_code == 1 and "table vip_points, 2026-10" in verify.stderr
    assert verify.stderr.strip().endswith("1 error, 0 warnings")

    _sql(closer.ledger, f"UPDATE vip_points SET points = {original[1]} WHERE rowid = {original[0]}")   # undone
    clean = cli("ledger", "verify", "--ledger", closer.ledger)
    assert clean.exit_code == 0, clean.output
    assert len(clean.stdout.strip().splitlines()) == 1 and "intact (1 closes, 1 live" in clean.stdout
    assert closer.close(november, "2026-11").exit_code == 0


@pytest.mark.parametrize("table, edit", [
    ("pay_lines", "UPDATE pay_lines SET amount = '99999.00' WHERE rowid = (SELECT MIN(rowid) FROM pay_lines)"),
    # order_pay is a view over a WITHOUT ROWID table since migration 7 (no rowid): one row, by its key
    ("order_pay", "DELETE FROM order_pay_rows WHERE (owner, order_ref, component, employee_ref, dup) = "
                  "(SELECT owner, order_ref, component, employee_ref, dup FROM order_pay_rows LIMIT 1)"),
    ("results", "UPDATE results SET grade = 'A' WHERE grade <> 'A' AND rowid = "
                "(SELECT MIN(rowid) FROM results WHERE grade <> 'A')"),
    ("vip_purchases", "INSERT INTO vip_purchases SELECT source, period, customer_id, store_type, category, "
                      "'FAKE-1', order_date, '80000' FROM vip_purchases LIMIT 1"),
    ("vip_cards", "UPDATE vip_cards SET tier = 'gold', valid_until = '2030-12-31' "
                  "WHERE rowid = (SELECT MIN(rowid) FROM vip_cards)"),
    ("audit_figures", "UPDATE audit_figures SET value = '1' WHERE rowid = (SELECT MIN(rowid) FROM audit_figures)"),
    ("closes", "UPDATE closes SET closed_by = 'someone@else'"),
])
def test_every_table_later_months_rely_on_is_checked(closed, table, edit):
    closer, _ = closed
    _sql(closer.ledger, edit)
    run = cli("ledger", "verify", "--out", closer.out)
    assert run.exit_code == 1, run.output
    assert f"table {table}, {PERIOD}: " in run.stderr and "changed outside csbatch" in run.stderr
    assert "Traceback" not in run.output


def test_a_close_inserted_by_hand_or_unsuperseded_is_refused(closed):
    closer, inputs = closed
    _sql(closer.ledger, "INSERT INTO closes (close_id, period, closed_at, closed_by, out_dir, staging, published, "
                        "superseded, manifest) VALUES ('forged', '2026-09', 't', 'me', '/o', '/s', 1, 0, '{}')")
    run = cli("ledger", "verify", "--out", closer.out)
    assert run.exit_code == 1 and "table closes, 2026-09" in run.stderr and "has no digest" in run.stderr

    _sql(closer.ledger, "DELETE FROM closes WHERE close_id = 'forged'",
         "UPDATE closes SET superseded = 1")   # "reopened" without a reopening: the month looks open
    closer.refused(inputs, "table closes, 2026-10", "superseded without a recorded reopening")


def test_reopen_refuses_a_changed_ledger(closed):
    closer, _ = closed
    _sql(closer.ledger, "DELETE FROM pay_lines WHERE rowid = (SELECT MIN(rowid) FROM pay_lines)")
    run = cli("reopen", PERIOD, "--reason", "fix", "--out", closer.out)
    assert run.exit_code == 1 and "table pay_lines, 2026-10" in run.stderr
    assert (closer.out / PERIOD).exists()


def test_reopen_and_reclose_keep_the_digests_consistent(closed):
    closer, inputs = closed
    assert cli("reopen", PERIOD, "--reason", "check", "--out", closer.out).exit_code == 0
    assert cli("ledger", "verify", "--out", closer.out).exit_code == 0
    assert closer.close(inputs).exit_code == 0
    run = cli("ledger", "verify", "--out", closer.out)
    assert run.exit_code == 0 and "intact (2 closes, 1 live" in run.stdout
    # the superseded close is still checked: its pay lines are what the change report compares with
    _sql(closer.ledger, "UPDATE pay_lines SET amount = '1.00' WHERE close_id = "
                        "(SELECT close_id FROM closes WHERE superseded = 1) AND rowid = "
                        "(SELECT MIN(rowid) FROM pay_lines WHERE close_id = (SELECT close_id FROM closes "
                        "WHERE superseded = 1))")
    assert "table pay_lines, 2026-10" in cli("ledger", "verify", "--out", closer.out).stderr


def test_a_history_import_is_digested_too(tmp_path):
    from builders import write_xlsx

    history = write_xlsx(tmp_path / "history.xlsx", {"销售": [
        ["订单号", "下单日期", "客服工号", "客户编号", "实收金额", "门店类型", "订单状态"],
        ["H1", "2026-05-10", "1003", "K1", 40000, "现代", "已完成"],
        ["H2", "2026-06-11", "1003", "K1", 30000, "现代", "已完成"]]})
    out = tmp_path / "out"
    assert cli("vip", "import-history", history, "--out", out, "--config", CONFIG).exit_code == 0
    assert cli("ledger", "verify", "--out", out).exit_code == 0
    _sql(out / "csbatch-ledger.sqlite", "UPDATE vip_purchases SET amount = '400000' WHERE order_id = 'H1'")
    run = cli("ledger", "verify", "--out", out)
    assert run.exit_code == 1 and "table vip_purchases, 2026-05,2026-06" in run.stderr


def test_verify_of_no_ledger_or_not_a_ledger(tmp_path):
    missing = cli("ledger", "verify", "--out", tmp_path / "nothing")
    assert missing.exit_code == 1 and "no ledger here" in missing.stderr
    text = tmp_path / "notes.txt"
    text.write_text("not a database, just notes\n" * 100)
    run = cli("ledger", "verify", "--ledger", text)
    assert run.exit_code == 1 and "not a csbatch ledger" in run.stderr
    assert cli("ledger", "verify").exit_code == 2


def test_digests_are_deterministic():
    from csbatch.ledger.digests import digest_rows

    rows = [("E1", "base", str(Decimal("2100.00")), ""), ("E2", "bonus", str(Decimal("-80.50")), "O1"), ("E3", None, 5, "")]
    assert digest_rows(rows) == digest_rows(list(reversed(rows)))
    assert digest_rows(rows)[0] == 3
    assert digest_rows(rows) == (3, "702042b60546a6f34e2d874deb689fd9ccf14576a7af445b8ebbf1d2c3a5247d")  # same on every run
    # text '5' and the integer 5 differ; so do '100.0' and '100.00' (the stored text is what is digested)
    assert digest_rows([("5",)]) != digest_rows([(5,)])
    assert digest_rows([("100.0",)]) != digest_rows([("100.00",)])
    assert digest_rows([]) == (0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")


def test_a_history_import_into_a_changed_ledger_is_refused(closed, tmp_path):
    """`vip import-history` checks the digests first: a ledger changed outside csbatch takes no
    more rows, and the message names the changed table."""
    from builders import write_xlsx

    closer, _ = closed
    _sql(closer.ledger, "UPDATE vip_points SET points = points + 50000 WHERE rowid = (SELECT MIN(rowid) FROM vip_points)")
    before = closer.ledger.read_bytes()
    history = write_xlsx(tmp_path / "history.xlsx", {"销售": [
        ["订单号", "下单日期", "客服工号", "客户编号", "实收金额", "门店类型", "订单状态"],
        ["H1", "2026-05-10", "1003", "K1", 40000, "现代", "已完成"]]})
    run = cli("vip", "import-history", history, "--out", closer.out, "--config", CONFIG)
    assert run.exit_code == 1, run.output
    assert "table vip_points" in run.stderr and "Traceback" not in run.output
    assert closer.ledger.read_bytes() == before


def test_a_refused_first_close_leaves_no_out_ledger_or_key(tmp_path):
    """A first close into a fresh `--out` that is refused (here: a month before the sample's)
    leaves no `--out` folder, no ledger and no ledger key behind."""
    inputs = sample_month(tmp_path)
    out = tmp_path / "deep" / "out"
    run = cli("monthly-close", "2026-09", "--inputs", inputs, "--out", out, "--config", CONFIG)
    assert run.exit_code == 1, run.output
    assert not (tmp_path / "deep").exists()
