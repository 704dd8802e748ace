"""`csbatch init DIR`: a new company's policy repository (csbatch.policyrepo.init_repository)."""

from __future__ import annotations

from pathlib import Path

import typer

from csbatch.commands.exits import finish_with
from csbatch.console import language
from csbatch.i18n import translator


def run(folder: Path) -> None:
    from csbatch.policyrepo import MARKER, init_repository

    _ = translator(language())
    made = finish_with(*init_repository(folder))
    typer.echo(_("made a policy repository in {folder} ({count} files)").format(folder=made.folder,
                                                                                count=len(made.files)))
    if made.commit:
        typer.echo("  " + _("git: first commit {commit} on branch {branch}").format(commit=made.commit[:12],
                                                                                   branch=made.branch))
    typer.echo("  " + _("{count} values the company sets are marked '{marker}' in config/: review them "
                        "(grep -rn 公司设定 {config}), then read {readme}").format(
        count=made.marked, marker=MARKER, config=made.folder / "config", readme=made.folder / "README.md"))
