"""A reopened month is closed again with the policy revision it was closed with, whatever the work
tree holds by then; `--policy-rev` chooses another revision, and the change is recorded with the
rule changes in words."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from typer.testing import CliRunner

from conftest import SAMPLES, committed_policy, git_commit_all
from csbatch.cli import app
from csbatch.closing.reproduction import reproduce
from csbatch.ledger import Ledger
from csbatch.ledger.kept import close_of, close_policy, recorded_policy

runner = CliRunner(env={"CSBATCH_LANG": "en"})   # the close's English lines are the point


def _head(repo: Path) -> str:
    return subprocess.run(["git", "-C", str(repo), "rev-parse", "HEAD"], capture_output=True, text=True,
                          check=True).stdout.strip()


def _raise_order_bonus(config: Path) -> None:
    pay = config / "pay.yaml"
    pay.write_text(pay.read_text(encoding="utf-8").replace("    rate: 1%  ", "    rate: 2%  ", 1), encoding="utf-8")


def _run(*args) -> str:
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_a_reclose_uses_the_recorded_revision_and_policy_rev_overrides_it(tmp_path):
    repo = tmp_path / "repo"
    config = committed_policy(repo)
    first = _head(repo)
    inputs, out = tmp_path / "in", tmp_path / "out"
    shutil.copytree(SAMPLES / "2026-10", inputs)
    close = ["monthly-close", "2026-10", "--inputs", inputs, "--out", out, "--config", config]
    _run(*close)
    _run("reopen", "2026-10", "--reason", "an input was wrong", "--out", out)

    # the work tree moves on: a committed rate change, and an uncommitted edit on top
    _raise_order_bonus(config)
    git_commit_all(repo, "order bonus 2 %")
    second = _head(repo)
    (config / "roles.yaml").write_text((config / "roles.yaml").read_text(encoding="utf-8") + "\n", encoding="utf-8")

    said = _run(*close)     # neither the commit nor the dirty work tree is used: no --allow-dirty needed
    assert f"re-closing 2026-10 with the policy it was closed with, {first[:12]}" in said
    assert "no change against the previous close of 2026-10" in said
    ledger = Ledger(out / "csbatch-ledger.sqlite")
    assert recorded_policy(ledger, "2026-10") == first
    assert close_policy(ledger, close_of(ledger, "2026-10").close_id).previous is None
    ledger.close()
    done, _ = reproduce("2026-10", out / "csbatch-ledger.sqlite", config)
    assert done is not None and done.identical

    _run("reopen", "2026-10", "--reason", "the new rate applies from October", "--out", out)
    said = _run(*close, "--policy-rev", "HEAD")
    assert f"closing 2026-10 with the policy of HEAD ({second[:12]}), not the one it was closed with" in said
    assert "policy changed against the close it replaces" in said and "changes against the previous close" in said
    ledger = Ledger(out / "csbatch-ledger.sqlite")
    recorded = close_policy(ledger, close_of(ledger, "2026-10").close_id)
    ledger.close()
    assert recorded is not None and (recorded.revision, recorded.previous) == (second, first)
    assert recorded.changes and any("order_bonus" in line or "订单奖金" in line for line in recorded.changes)
    manifest = json.loads((out / "2026-10" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["policy"]["revision"] == second and manifest["policy"]["git_commit"] == second
    assert manifest["policy_change"] == {"from": first, "to": second, "changes": list(recorded.changes)}
    # and that close reproduces too, from its own revision
    done, _ = reproduce("2026-10", out / "csbatch-ledger.sqlite", config)
    assert done is not None and done.identical


def test_policy_rev_worktree_closes_with_the_folder_as_it_is(tmp_path):
    repo = tmp_path / "repo"
    config = committed_policy(repo)
    inputs, out = tmp_path / "in", tmp_path / "out"
    shutil.copytree(SAMPLES / "2026-10", inputs)
    close = ["monthly-close", "2026-10", "--inputs", inputs, "--out", out, "--config", config]
    _run(*close)
    _run("reopen", "2026-10", "--reason", "rate", "--out", out)
    _raise_order_bonus(config)
    refused = runner.invoke(app, [str(a) for a in (*close, "--policy-rev", "worktree")])
    assert refused.exit_code == 1 and "uncommitted" in refused.output     # as a first close would be
    said = _run(*close, "--policy-rev", "worktree", "--allow-dirty")
    assert "with the policy folder as it is (--policy-rev worktree)" in said
    ledger = Ledger(out / "csbatch-ledger.sqlite")
    assert recorded_policy(ledger, "2026-10").startswith("snapshot:")
    ledger.close()
