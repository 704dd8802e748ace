"""`csbatch init DIR`: a new company's policy repository (csbatch.policyrepo.init_repository)."""

from __future__ import annotations

from pathlib import Path

import typer

from csbatch.commands.exits import finish_with


def run(folder: Path) -> None:
    from csbatch.policyrepo import MARKER, init_repository

    made = finish_with(*init_repository(folder))
    typer.echo(f"made a policy repository in {made.folder} ({len(made.files)} files)")
    if made.commit:
        typer.echo(f"  git: first commit {made.commit[:12]} on branch {made.branch}")
    typer.echo(f"  {made.marked} values the company sets are marked '{MARKER}' in config/: "
               f"review them (grep -rn 公司设定 {made.folder / 'config'}), then read {made.folder / 'README.md'}")
