"""`csbatch policy check`: load and validate the whole policy, print every problem."""

from __future__ import annotations

from pathlib import Path

import typer

from csbatch.commands.exits import finish_with
from csbatch.console import language
from csbatch.i18n import N_, word


def run(config: Path | None) -> None:
    from csbatch.policy import check_policy_folder
    from csbatch.resources import resolve_config

    root = resolve_config(config)
    policy = finish_with(*check_policy_folder(root))
    typer.echo(word(language(), N_("{root}: policy is valid ({files} files, {scorecards} scorecards, sha256 "
                                   "{sha256})")).format(root=policy.display_root, files=len(policy.files),
                                                        scorecards=len(policy.scorecards), sha256=policy.sha256[:12]))
