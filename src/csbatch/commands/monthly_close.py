"""`csbatch monthly-close`: close the month and print what was published and what changed against
the previous close of the same month."""

from __future__ import annotations

from pathlib import Path

import typer

from csbatch.commands.exits import finish_with
from csbatch.console import StageProgress, print_table


def run(period: str, inputs: Path, out: Path, config: Path | None, ledger: Path | None, lang: str,
        allow_dirty: bool) -> None:
    from csbatch.closing.runs import monthly_close as close

    outcome = close(period, inputs, out, config, ledger, lang, progress=StageProgress(),
                    allow_dirty=allow_dirty)
    published = finish_with(outcome.state.published, outcome.issues)
    typer.echo(f"closed {period}: {published}")
    for path in sorted(p for p in published.rglob("*") if p.is_file()):
        typer.echo(f"  {path}")
    if outcome.state.changes == ():
        typer.echo(f"no change against the previous close of {period}")
    elif outcome.state.changes:
        typer.echo(f"changes against the previous close of {period}:")
        print_table(["employee", "component", "before", "after", "change"],
                    [(c["employee_id"], c["component"], c["before"], c["after"], c["change"])
                     for c in outcome.state.changes])
