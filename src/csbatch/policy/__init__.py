"""The policy: YAML under `config/` → typed, checked records (`Policy`)."""

from csbatch.policy.loader import Policy, load_policy

__all__ = ["Policy", "load_policy"]
