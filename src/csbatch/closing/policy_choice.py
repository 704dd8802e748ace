"""Which policy a close uses. A first close uses the policy folder as it is (its git state checked:
uncommitted files are refused unless `--allow-dirty`). A re-close of a reopened month uses the
policy revision the month was closed with (`csbatch.ledger.kept.recorded_policy`), read from git
or from the kept copies without touching the work tree, so a month reopened to fix an input is
not silently closed again under rules committed since. `--policy-rev REV` chooses another git
revision of the policy repository; `--policy-rev worktree` the folder as it is on disk (then the
git state is checked as for a first close, `--allow-dirty` included). A re-close whose policy
differs from the recorded one records both revisions and the rule changes in words.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from csbatch.errors import Issue
from csbatch.i18n import N_, Said
from csbatch.ledger.kept import close_of, recorded_policy, restore_policy
from csbatch.ledger.store import Ledger
from csbatch.policy import Policy, load_policy
from csbatch.policy.diff import describe_changes
from csbatch.policy.gitstate import GitState, close_issues, git_state
from csbatch.policy.loader import display_root
from csbatch.policy.revisions import policy_at

#: `--policy-rev` naming the policy folder as it is on disk.
WORKTREE = "worktree"


@dataclass(frozen=True)
class Chosen:
    """The policy a close loads, the git state recorded for it, what the close says about it, and
    for a re-close the replaced close's revision and the rule changes against it (None: not known)."""

    policy: Policy | None
    git: GitState | None
    note: str | None = None
    previous: str | None = None
    before: Policy | None = None


def short(revision: str) -> str:
    return revision[:21] if revision.startswith("snapshot:") else revision[:12]


def _worktree(config_dir: Path, allow_dirty: bool) -> tuple[Chosen, list[Issue]]:
    policy, issues = load_policy(config_dir)
    state = git_state(config_dir)
    shown = policy.display_root if policy is not None else display_root(config_dir)
    return Chosen(policy, state), issues + close_issues(state, shown, allow_dirty)


def choose_policy(period: str, config_dir: Path, ledger: Ledger, policy_rev: str | None, allow_dirty: bool,
                  scratch: Path) -> tuple[Chosen, list[Issue]]:
    """The policy the close of `period` uses (see the module's docstring); `scratch` is an empty
    folder of the caller's that outlives the close (a revision's files are written there)."""
    replaced = close_of(ledger, period)          # the month's live close is refused before this runs
    recorded = recorded_policy(ledger, period) if replaced is not None else None
    if policy_rev == WORKTREE or (policy_rev is None and recorded is None):
        chosen, issues = _worktree(config_dir, allow_dirty)
        if recorded is not None:
            chosen = replace(chosen, note=Said(N_("re-closing {period} with the policy folder as it is "
                                                  "(--policy-rev {worktree}), not the one it was closed with, "
                                                  "{recorded}"), period=period, worktree=WORKTREE,
                                               recorded=short(recorded)))
    elif policy_rev is not None:
        revision, issues = policy_at(config_dir, policy_rev, scratch / "chosen")
        if revision is None:
            return Chosen(None, None), issues
        policy, found = load_policy(revision.folder)
        issues += found
        shown = f"{display_root(config_dir)}@{revision.commit[:12]}"
        chosen = Chosen(policy and replace(policy, display_root=shown), GitState(commit=revision.commit),
                        note=Said(N_("closing {period} with the policy of {revision} ({commit}), not the one it "
                                     "was closed with, {recorded}"), period=period, revision=policy_rev,
                                  commit=revision.commit[:12], recorded=short(recorded)) if recorded else
                        Said(N_("closing {period} with the policy of {revision} ({commit})"), period=period,
                             revision=policy_rev, commit=revision.commit[:12]))
    else:
        assert recorded is not None
        folder, issues = restore_policy(ledger, period, config_dir, scratch / "recorded")
        if folder is None:
            return Chosen(None, None), issues
        policy, found = load_policy(folder)
        issues += found
        shown = f"{display_root(config_dir)}@{short(recorded)}"
        git = GitState(commit=recorded) if not recorded.startswith("snapshot:") else GitState(
            unknown=Said(N_("the policy is the kept copy of the files the month was closed with")))
        return Chosen(policy and replace(policy, display_root=shown), git,
                      note=Said(N_("re-closing {period} with the policy it was closed with, {recorded}"),
                                period=period, recorded=short(recorded))), issues
    if recorded is None or chosen.policy is None:
        return chosen, issues
    before_folder, _ = restore_policy(ledger, period, config_dir, scratch / "before")
    before, _ = load_policy(before_folder) if before_folder is not None else (None, [])
    return replace(chosen, previous=recorded, before=before), issues


def policy_changes(chosen_before: Policy | None, after: Policy) -> tuple[str, ...] | None:
    """The rule changes from the replaced close's policy, in words (None: it could not be read)."""
    return None if chosen_before is None else tuple(describe_changes(chosen_before, after))


__all__ = ["WORKTREE", "Chosen", "choose_policy", "policy_changes", "short"]
