"""`csbatch monthly-close`: close the month and print what was published and what changed against
the previous close of the same month."""

from __future__ import annotations

from pathlib import Path

import typer

from csbatch.commands.exits import finish_with
from csbatch.console import StageProgress, print_table


def run(period: str, inputs: Path, out: Path, config: Path | None, ledger: Path | None, lang: str,
        allow_dirty: bool, policy_rev: str | None = None) -> None:
    from csbatch.closing.runs import monthly_close as close

    outcome = close(period, inputs, out, config, ledger, lang, progress=StageProgress(),
                    allow_dirty=allow_dirty, policy_rev=policy_rev)
    if outcome.state.policy_note:
        typer.echo(outcome.state.policy_note)
    published = finish_with(outcome.state.published, outcome.issues)
    typer.echo(f"closed {period}: {published}")
    if outcome.state.policy_previous:
        changed = outcome.state.policy_changes
        typer.echo(f"policy changed against the close it replaces ({outcome.state.policy_previous[:12]}): "
                   + ("recorded with its rule changes:" if changed else
                      "no rule changed" if changed == () else "recorded (the earlier policy could not be read)"))
        for line in changed or ():
            typer.echo(f"  {line}")
    for path in sorted(p for p in published.rglob("*") if p.is_file()):
        typer.echo(f"  {path}")
    if outcome.state.changes == ():
        typer.echo(f"no change against the previous close of {period}")
    elif outcome.state.changes:
        typer.echo(f"changes against the previous close of {period}:")
        print_table(["employee", "component", "before", "after", "change"],
                    [(c["employee_id"], c["component"], c["before"], c["after"], c["change"])
                     for c in outcome.state.changes])
