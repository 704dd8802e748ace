"""How every command ends on problems: all of them printed, then exit 1 when any is an error."""

from __future__ import annotations

from typing import NoReturn, TypeVar

import typer

from csbatch.console import print_issues
from csbatch.errors import Issue

T = TypeVar("T")


def finish(issues: list[Issue]) -> None:
    print_issues(issues)
    if any(i.is_error for i in issues):
        raise typer.Exit(1)


def finish_with(done: T | None, issues: list[Issue]) -> T:
    """`finish`, then the command's result: a library call gives none only with an error."""
    finish(issues)
    if done is None:
        raise RuntimeError("no result and no error: a bug in the command's library call")
    return done


def stop(issues: list[Issue]) -> NoReturn:
    """The end of a command that cannot go on: its issues printed, exit 1 (they hold an error)."""
    finish(issues)
    raise RuntimeError("stopped without an error: a bug in the command's library call")
