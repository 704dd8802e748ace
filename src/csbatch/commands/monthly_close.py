"""`csbatch monthly-close`: close the month and print a summary of what was published (counts, gross
pay, warnings by kind, where the files are) and what changed against the previous close of the
same month."""

from __future__ import annotations

from pathlib import Path

import typer

from csbatch.commands.exits import finish_with
from csbatch.console import StageProgress, print_close_summary, print_table


def run(period: str, inputs: Path, out: Path, config: Path | None, ledger: Path | None, lang: str,
        allow_dirty: bool, policy_rev: str | None = None, verbose: bool = False) -> None:
    from csbatch.closing.runs import monthly_close as close
    from csbatch.closing.summary import summarize

    outcome = close(period, inputs, out, config, ledger, lang, progress=StageProgress(lang),
                    allow_dirty=allow_dirty, policy_rev=policy_rev)
    if outcome.state.policy_note:
        typer.echo(outcome.state.policy_note)
    published = finish_with(outcome.state.published, outcome.issues)
    typer.echo(f"closed {period}: {published}")
    if outcome.state.policy_previous:
        rules = outcome.state.policy_changes
        typer.echo(f"policy changed against the close it replaces ({outcome.state.policy_previous[:12]}): "
                   + ("recorded with its rule changes:" if rules else
                      "no rule changed" if rules == () else "recorded (the earlier policy could not be read)"))
        for line in rules or ():
            typer.echo(f"  {line}")
    print_close_summary(summarize(outcome.state, outcome.issues), lang, verbose)
    changed = outcome.state.pay_changes
    if changed is None:
        return
    why = changed.reopening
    reopened = f" (reopened by {why.reopened_by} at {why.reopened_at}: {why.reason})" if why else ""
    if not changed.lines:
        typer.echo(f"no change against the previous close of {period}{reopened}")
        return
    typer.echo(f"changes against the previous close of {period}{reopened}:")
    print_table(["employee", "name", "component", "before", "after", "change"],
                [(c.employee_id, c.name, c.component_name, f"{c.before:.2f}", f"{c.after:.2f}", f"{c.change:+.2f}")
                 for c in changed.lines]
                + [("total", "", "", f"{changed.before:.2f}", f"{changed.after:.2f}", f"{changed.change:+.2f}")])
