"""Printing for people: problems, tables and stage progress. Rich formatting when the stream is a
terminal, plain text when it is piped or captured, so output can be grepped and diffed."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

from csbatch.errors import Issue

if TYPE_CHECKING:
    from csbatch.closing.explanation import Explanation
    from csbatch.closing.pay_explanation import PayExplanation

_err = Console(stderr=True, highlight=False, soft_wrap=True)
_out = Console(highlight=False, soft_wrap=True)


def print_issues(issues: Sequence[Issue]) -> None:
    """Every problem on its own line (errors first, then warnings), then a count."""
    errors = [i for i in issues if i.is_error]
    warnings = [i for i in issues if not i.is_error]
    for issue in errors + warnings:
        text = str(issue)
        if _err.is_terminal:
            _err.print(text, style="red" if issue.is_error else "yellow", markup=False)
        else:
            print(text, file=sys.stderr)
    if errors or warnings:
        summary = f"{len(errors)} error{'s' * (len(errors) != 1)}, {len(warnings)} warning{'s' * (len(warnings) != 1)}"
        if _err.is_terminal:
            _err.print(summary, style="bold", markup=False)
        else:
            print(summary, file=sys.stderr)


def print_table(headers: Sequence[str], rows: Sequence[Sequence[str]], title: str | None = None) -> None:
    if _out.is_terminal:
        table = Table(*headers, title=title)
        for row in rows:
            table.add_row(*row)
        _out.print(table)
        return
    if title:
        print(title)
    print("\t".join(headers))
    for row in rows:
        print("\t".join(row))


class StageProgress:
    """Shows each stage of the close as it runs, with its time (on a terminal only)."""

    def started(self, stage: str) -> None:
        if _err.is_terminal:
            _err.print(f"… {stage}", end="\r", markup=False)

    def finished(self, stage: str, seconds: float, ok: bool) -> None:
        if _err.is_terminal:
            mark = "✓" if ok else "✗"
            _err.print(f"{mark} {stage} ({seconds:.1f} s)", style="green" if ok else "red", markup=False)


def print_explanation(explanation: Explanation | PayExplanation) -> None:
    """A scorecard's or a month's pay explanation: a table on a terminal, plain text when piped."""
    from csbatch.closing import explanation as card
    from csbatch.closing import pay_explanation as pay

    terminal = _out.is_terminal
    if isinstance(explanation, pay.PayExplanation):
        shown = pay.render_rich(explanation) if terminal else pay.render_text(explanation)
    else:
        shown = card.render_rich(explanation) if terminal else card.render_text(explanation)
    if terminal:
        _out.print(shown)
    else:
        print(shown)
