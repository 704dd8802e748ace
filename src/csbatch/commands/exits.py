"""How every command ends on problems: all of them printed, then exit 1 when any is an error."""

from __future__ import annotations

import typer

from csbatch.console import print_issues
from csbatch.errors import Issue


def finish(issues: list[Issue]) -> None:
    print_issues(issues)
    if any(i.is_error for i in issues):
        raise typer.Exit(1)
