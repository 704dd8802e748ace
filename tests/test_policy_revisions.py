"""A policy as a git revision held it (`csbatch.policy.revisions`): read from git's object store
into a folder of ours, the work tree and the index untouched; an unknown revision or a folder
outside git is a problem with a place, not a crash."""
from __future__ import annotations

import subprocess
from decimal import Decimal

from conftest import committed_policy, git_commit_all
from csbatch.policy import load_policy
from csbatch.policy.revisions import policy_at, resolve


def _rate(policy) -> Decimal:
    return policy.pay.components["commission"].rates["comprehensive_cs"]


def test_an_earlier_revision_is_read_without_touching_the_work_tree(tmp_path):
    config = committed_policy(tmp_path / "repo")
    pay = config / "pay.yaml"
    pay.write_text(pay.read_text(encoding="utf-8").replace("comprehensive_cs: 2%", "comprehensive_cs: 3%"),
                   encoding="utf-8")
    git_commit_all(tmp_path / "repo", "commission 3%")
    edited = pay.read_text(encoding="utf-8")

    revision, issues = policy_at(config, "HEAD~1", tmp_path / "old")
    assert issues == [] and revision is not None
    assert revision.commit == resolve(config, "HEAD~1")[0] and len(revision.commit) == 40
    before, problems = load_policy(revision.folder)
    assert before is not None, problems
    now, _ = load_policy(config)
    assert now is not None
    assert (_rate(before), _rate(now)) == (Decimal("0.02"), Decimal("0.03"))
    assert pay.read_text(encoding="utf-8") == edited
    status = subprocess.run(["git", "-C", str(config), "status", "--porcelain"], capture_output=True, text=True)
    assert status.stdout == ""


def test_an_unknown_revision_and_a_folder_outside_git_are_problems(tmp_path):
    config = committed_policy(tmp_path / "repo")
    revision, issues = policy_at(config, "no-such-branch", tmp_path / "a")
    assert revision is None
    assert [i.message for i in issues] == ["'no-such-branch' is not a commit of the policy's git repository"]
    loose = tmp_path / "loose"
    loose.mkdir()
    revision, issues = policy_at(loose, "HEAD", tmp_path / "b")
    assert revision is None and "not in a git repository" in issues[0].message
