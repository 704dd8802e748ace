"""`csbatch reproduce PERIOD`: recompute a closed month from its kept inputs and policy revision
and say "identical", or list every difference (exit 1)."""

from __future__ import annotations

from pathlib import Path

import typer

from csbatch.commands.exits import finish_with
from csbatch.console import print_table


def _revision(revision: str) -> str:
    return revision[:21] if revision.startswith("snapshot:") else revision[:12]


def run(period: str, ledger: Path | None, out: Path | None, config: Path | None) -> None:
    from csbatch.closing.reproduction import reproduce
    from csbatch.ledger.store import ledger_at

    done = finish_with(*reproduce(period, ledger_at(ledger, out), config))
    source = (f"from its {done.inputs} kept input files and the policy it was closed with "
              f"({_revision(done.revision)})")
    if done.identical:
        typer.echo(f"{period}: identical — recomputed {source}, every ledger row and data file is as recorded")
        return
    print_table(["table or file", "row", "field", "recorded", "recomputed"],
                [(d.part, d.row, d.field, d.recorded, d.recomputed) for d in done.differences],
                title=f"{period} recomputed {source}")
    typer.echo(f"{period}: {len(done.differences)} difference{'s' if len(done.differences) != 1 else ''} "
               "against what was recorded")
    raise typer.Exit(1)
