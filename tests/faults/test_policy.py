"""Issue 9, the policy: a close runs only on a policy a git commit holds (uncommitted changes are an
error unless --allow-dirty, then a warning kept in the manifest and the ledger; a policy outside
git is a warning), and the schema bounds values (rates 0–100 %, grace 0–120 minutes, amounts and
caps ≥ 0, band bounds inside their table's domain) with file:line errors from `policy check` and
from `monthly-close`, which then publishes nothing."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from harness import PERIOD, Closer, cli, sample_month

from conftest import CHECKOUT_CONFIG, git_commit_all


class PolicyCloser(Closer):
    """A Closer that closes with the policy folder `config` instead of the tests' committed copy."""

    def __init__(self, tmp_path: Path, config: Path):
        super().__init__(tmp_path)
        self.config = config

    def close(self, inputs: Path, period: str = PERIOD, *extra):
        return cli("monthly-close", period, "--inputs", inputs, "--out", self.out, "--config", self.config,
                   *extra)


@pytest.fixture
def repo(tmp_path, monkeypatch) -> Path:
    """tmp_path/repo: a git repository holding a committed copy of config/ (the working folder,
    so messages show config/…)."""
    root = tmp_path / "repo"
    shutil.copytree(CHECKOUT_CONFIG, root / "config")
    git_commit_all(root)
    monkeypatch.chdir(root)
    return root


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


# --- the policy in git --------------------------------------------------------------------------

def _modified(repo: Path) -> str:
    _append(repo / "config" / "pay.yaml", "# a local edit\n")
    return "config/pay.yaml (modified)"


def _staged(repo: Path) -> str:
    _append(repo / "config" / "audit.yaml", "# staged, never committed\n")
    _git(repo, "add", "config/audit.yaml")
    return "config/audit.yaml (staged, not committed)"


def _untracked(repo: Path) -> str:
    (repo / "config" / "periods" / "2026-11.yaml").write_text("note: not yet reviewed\n", encoding="utf-8")
    return "config/periods/2026-11.yaml (untracked)"


def _deleted(repo: Path) -> str:
    (repo / "config" / "periods" / "2026-10.yaml").unlink()
    return "config/periods/2026-10.yaml (deleted)"


def _ignored_yaml(repo: Path) -> str:
    (repo / ".gitignore").write_text("config/periods/2026-11.yaml\n", encoding="utf-8")
    git_commit_all(repo, "ignore a policy file")
    (repo / "config" / "periods" / "2026-11.yaml").write_text("note: hidden from git\n", encoding="utf-8")
    return "config/periods/2026-11.yaml (ignored by git)"


@pytest.mark.parametrize("change", [_modified, _staged, _untracked, _deleted, _ignored_yaml],
                         ids=["modified", "staged", "untracked", "deleted", "ignored-yaml"])
def test_uncommitted_policy_refuses_the_close(repo, tmp_path, change):
    named = change(repo)
    run = PolicyCloser(tmp_path, repo / "config").refused(
        sample_month(tmp_path), "config: the policy has uncommitted changes: ", named, "--allow-dirty")
    assert "Traceback" not in run.output


def test_allow_dirty_closes_with_a_warning_kept_in_the_manifest_and_the_ledger(repo, tmp_path):
    named = _modified(repo)
    closer = PolicyCloser(tmp_path, repo / "config")
    needle = f"closed with uncommitted policy changes (--allow-dirty): {named}"
    manifest = closer.warned(sample_month(tmp_path), needle, extra=("--allow-dirty",))
    assert manifest["policy"]["git_dirty"] is True
    assert manifest["policy"]["uncommitted"] == ["pay.yaml (modified)"]
    assert manifest["policy"]["allow_dirty"] is True
    with sqlite3.connect(closer.ledger) as db:
        kept = json.loads(db.execute("SELECT manifest FROM closes WHERE period = ?", (PERIOD,)).fetchone()[0])
    assert kept["policy"] == manifest["policy"]
    assert any(needle in w for w in kept["warnings"])


def test_committed_policy_closes_with_its_commit_and_no_policy_warning(repo, tmp_path):
    closer = PolicyCloser(tmp_path, repo / "config")
    run = closer.close(sample_month(tmp_path))
    assert run.exit_code == 0, run.output
    manifest = json.loads((closer.out / PERIOD / "manifest.json").read_text(encoding="utf-8"))
    head = subprocess.run(["git", "-C", str(repo), "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    assert manifest["policy"]["git_commit"] == head and manifest["policy"]["git_dirty"] is False
    assert "uncommitted" not in manifest["policy"]
    assert not any("policy" in w and "git" in w for w in manifest["warnings"])


def test_policy_outside_git_is_a_warning(tmp_path, monkeypatch):
    shutil.copytree(CHECKOUT_CONFIG, tmp_path / "config")
    monkeypatch.chdir(tmp_path)
    manifest = PolicyCloser(tmp_path, tmp_path / "config").warned(
        sample_month(tmp_path), "config: warning: the policy folder is not kept in git: it is not inside a git work tree")
    assert manifest["policy"]["git_commit"] is None and manifest["policy"]["git_dirty"] is None


def test_policy_check_warns_of_uncommitted_changes(repo):
    named = _modified(repo)
    run = cli("policy", "check", "--config", "config")
    assert run.exit_code == 0, run.output
    assert f"config: warning: uncommitted changes: {named}; monthly-close refuses them" in run.stderr
    assert "policy is valid" in run.stdout


# --- bounded values -----------------------------------------------------------------------------

def _refused_everywhere(policy_copy, tmp_path, rel: str, needle: str, message: str) -> None:
    """`policy check` and `monthly-close` both exit 1 naming FILE:LINE and `message`; the close
    publishes nothing."""
    line = policy_copy.line_of(rel, needle)
    place = f"config/{rel}:{line}:"
    check = cli("policy", "check", "--config", "config")
    assert check.exit_code == 1, check.output
    hits = [l for l in check.stderr.splitlines() if l.startswith(place) and message in l]
    assert hits, f"{place} … {message} not in:\n{check.stderr}"
    PolicyCloser(tmp_path, policy_copy.root).refused(sample_month(tmp_path), hits[0])


@pytest.mark.parametrize("written, message", [
    ("150%", "'150%' is not a rate between 0% and 100%"),
    ("-1%", "'-1%' is not a rate between 0% and 100%"),
    ("15", "'15' is not a rate between 0% and 100% (15 means 1500%; write 15% for a percentage)"),
], ids=["150%", "-1%", "15"])
def test_commission_rate_outside_0_to_100_percent(policy_copy, tmp_path, written, message):
    policy_copy.edit("pay.yaml", "      comprehensive_cs: 2%", f"      comprehensive_cs: {written}")
    _refused_everywhere(policy_copy, tmp_path, "pay.yaml", f"comprehensive_cs: {written}",
                        f"components.commission.rates.comprehensive_cs: {message}")


@pytest.mark.parametrize("file, written, wrote, message", [
    ("calendar.yaml", ("  late_grace_minutes: 0 ", "  late_grace_minutes: 755 "), "late_grace_minutes: 755",
     "schedule.late_grace_minutes: '755' is not between 0 and 120 minutes"),
    ("pay.yaml", ("    amount: 200 ", "    amount: -200 "), "amount: -200",
     "components.subsidy.amount: '-200' is negative; an amount is at least 0"),
    ("pay.yaml", ("    cap_total: 120", "    cap_total: -120"), "cap_total: -120",
     "components.performance_bonus.cap_total: '-120' is negative"),
], ids=["grace of 755 minutes", "negative amount", "negative cap"])
def test_value_outside_its_bounds(policy_copy, tmp_path, file, written, wrote, message):
    policy_copy.edit(file, *written)
    _refused_everywhere(policy_copy, tmp_path, file, wrote, message)


def test_band_bound_outside_its_tables_domain(policy_copy, tmp_path):
    policy_copy.edit("bands.yaml", "    - {from: 0%, to: 75%, value: 5}", "    - {from: -5%, to: 75%, value: 5}")
    _refused_everywhere(policy_copy, tmp_path, "bands.yaml", "{from: -5%, to: 75%",
                        "satisfaction_deduction: band #5 [-5%, 75%): from -5% lies outside the table's "
                        "domain [0%, 100%]")


def test_band_above_a_share_of_100_percent(policy_copy, tmp_path):
    policy_copy.edit("bands.yaml", "    - {at: 100%, value: 0}", "    - {at: 150%, value: 0}")
    _refused_everywhere(policy_copy, tmp_path, "bands.yaml", "{at: 150%",
                        "satisfaction_deduction: band #1 = 150%: at 150% lies outside the table's domain "
                        "[0%, 100%]")


def test_domain_reaching_below_what_the_measure_can_be(policy_copy, tmp_path):
    policy_copy.edit("bands.yaml", "  domain: {from: 0}\n", "  domain: {from: -100}\n")
    _refused_everywhere(policy_copy, tmp_path, "bands.yaml", "domain: {from: -100}",
                        "voucher_rate: domain [-100, ∞) reaches below 0, but a count is never negative")


def test_count_table_without_a_domain_needs_no_negative_bands(policy_copy):
    """A table of counts covers its natural domain [0, ∞): no band below 0 is asked for."""
    policy_copy.edit("kpi/service_center.yaml", "    domain: {from: 0}\n", "")
    policy, issues = policy_copy.load()
    assert policy is not None, "\n".join(map(str, issues))


def test_voucher_rate_above_100_percent(policy_copy, tmp_path):
    policy_copy.edit("bands.yaml", "    - {from: 4000, from_inclusive: false, value: 50%}",
                     "    - {from: 4000, from_inclusive: false, value: 150%}")
    _refused_everywhere(policy_copy, tmp_path, "bands.yaml", "value: 150%",
                        "voucher_rate: band #5 (4000, ∞): value 150% is not a voucher rate between 0% and 100%")


def test_git_missing_is_a_warning_not_a_crash(repo, tmp_path, monkeypatch):
    """Without a git binary the state is unknown: the close warns and goes on."""
    from csbatch.policy.gitstate import git_state

    _modified(repo)
    monkeypatch.setenv("PATH", str(tmp_path / "no-bin"))
    state = git_state(repo / "config")
    assert state.dirty is None and "git is not installed" in state.unknown
    PolicyCloser(tmp_path, repo / "config").warned(
        sample_month(tmp_path), "the policy folder is not kept in git: git is not installed")
