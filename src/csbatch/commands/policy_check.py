"""`csbatch policy check`: load and validate the whole policy, print every problem."""

from __future__ import annotations

from pathlib import Path

import typer

from csbatch.commands.exits import finish_with


def run(config: Path | None) -> None:
    from csbatch.policy import check_policy_folder
    from csbatch.resources import resolve_config

    root = resolve_config(config)
    policy = finish_with(*check_policy_folder(root))
    typer.echo(f"{policy.display_root}: policy is valid ({len(policy.files)} files, "
               f"{len(policy.scorecards)} scorecards, sha256 {policy.sha256[:12]})")
