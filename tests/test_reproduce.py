"""`csbatch reproduce`: a closed month recomputed from what its close kept is identical to what was
recorded; a ledger row or kept file changed afterwards shows up as a difference or a refusal."""

from __future__ import annotations

import shutil
import sqlite3

from typer.testing import CliRunner

from conftest import CONFIG, SAMPLES
from csbatch.cli import app
from csbatch.closing.reproduction import reproduce
from csbatch.ledger import Ledger
from csbatch.ledger.digests import record
from csbatch.ledger.kept import close_of, kept_files

runner = CliRunner(env={"CSBATCH_LANG": "en"})   # the English lines are the point


def _close(tmp_path, period="2026-10"):
    inputs, out = tmp_path / "in", tmp_path / "out"
    shutil.copytree(SAMPLES / period, inputs)
    args = ["monthly-close", period, "--inputs", str(inputs), "--out", str(out), "--config", str(CONFIG)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return inputs, out


def test_a_closed_month_reproduces_identical_even_after_its_inputs_moved_on(tmp_path):
    inputs, out = _close(tmp_path)
    shutil.rmtree(inputs)      # the inbox is emptied after the close: the kept copies are what count
    result = runner.invoke(app, ["reproduce", "2026-10", "--out", str(out), "--config", str(CONFIG)])
    assert result.exit_code == 0, result.output
    assert "2026-10: identical" in result.stdout
    ledger = Ledger(out / "csbatch-ledger.sqlite")
    n = len(kept_files(ledger, close_of(ledger, "2026-10").close_id, "input"))
    ledger.close()
    assert f"from its {n} kept input files" in result.stdout


def test_a_recorded_pay_line_that_differs_is_named_with_both_values(tmp_path):
    _, out = _close(tmp_path)
    path = out / "csbatch-ledger.sqlite"
    ledger = Ledger(path)
    close_id = close_of(ledger, "2026-10").close_id
    employee, component, amount = ledger.conn.execute(
        "SELECT employee_id, component, amount FROM pay_lines WHERE close_id = ? AND amount != '0.00' "
        "ORDER BY employee_id, component LIMIT 1", (close_id,)).fetchone()
    ledger.close()
    # a change made behind csbatch's back, digests recomputed so the ledger still verifies: only
    # recomputing the month finds it
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE pay_lines SET amount = '1.00' WHERE close_id = ? AND employee_id = ? AND component = ?",
                     (close_id, employee, component))
        record(conn, close_id, "2026-10", ("pay_lines",))
    conn.close()
    done, issues = reproduce("2026-10", path, CONFIG)
    assert issues == [] and done is not None and not done.identical
    assert [(d.part, d.row, d.field, d.recorded, d.recomputed) for d in done.differences] == [
        ("pay_lines", f"employee_id {employee}, component {component}", "amount", "1.00", amount)]
    result = runner.invoke(app, ["reproduce", "2026-10", "--ledger", str(path), "--config", str(CONFIG)])
    assert result.exit_code == 1 and "1 difference against what was recorded" in result.stdout


def test_a_kept_input_edited_on_disk_is_refused(tmp_path):
    _, out = _close(tmp_path)
    ledger = Ledger(out / "csbatch-ledger.sqlite")
    kept = kept_files(ledger, close_of(ledger, "2026-10").close_id, "input")[0]
    ledger.close()
    copy = out / kept.stored
    copy.chmod(0o600)
    copy.write_bytes(copy.read_bytes() + b"\0")
    result = runner.invoke(app, ["reproduce", "2026-10", "--out", str(out), "--config", str(CONFIG)])
    assert result.exit_code == 1
    assert "was changed on disk" in result.output and kept.name in result.output


def test_each_month_reproduces_with_the_history_its_close_saw(tmp_path):
    """2026-11 reads 2026-10's VIP cards, points and grades; 2026-10 recomputed after 2026-11 closed
    must not see 2026-11's."""
    from csbatch.policy import load_policy
    from csbatch.samples import generate_month

    _, out = _close(tmp_path)
    policy, _ = load_policy(CONFIG)
    november = tmp_path / "in-11"
    generate_month(policy, "2026-11", november, employees=20, seed=11)
    result = runner.invoke(app, ["monthly-close", "2026-11", "--inputs", str(november), "--out", str(out),
                                 "--config", str(CONFIG)])
    assert result.exit_code == 0, result.output
    for period in ("2026-10", "2026-11"):
        done, issues = reproduce(period, out / "csbatch-ledger.sqlite", CONFIG)
        assert done is not None and done.differences == [], (period, issues)
