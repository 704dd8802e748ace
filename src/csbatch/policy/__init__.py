"""The policy: YAML under `config/` → typed, checked records (`Policy`)."""

from pathlib import Path

from csbatch.errors import Issue
from csbatch.policy.loader import Policy, display_root, load_policy


def check_policy_folder(root: Path) -> tuple[Policy | None, list[Issue]]:
    """What `csbatch policy check` reports: every problem of the policy, and a warning naming
    policy files with uncommitted git changes (a close refuses those without --allow-dirty)."""
    from csbatch.policy.gitstate import check_issues, git_state

    policy, issues = load_policy(root)
    shown = policy.display_root if policy is not None else display_root(Path(root))
    return policy, issues + check_issues(git_state(Path(root)), shown)


__all__ = ["Policy", "check_policy_folder", "load_policy"]
