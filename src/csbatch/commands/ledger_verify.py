"""`csbatch ledger verify`: check the ledger against the digests each close recorded."""

from __future__ import annotations

from pathlib import Path

import typer

from csbatch.commands.exits import finish_with


def run(ledger: Path | None, out: Path | None) -> None:
    from csbatch.ledger.maintenance import verify_ledger
    from csbatch.ledger.store import ledger_at

    done = finish_with(*verify_ledger(ledger_at(ledger, out)))
    typer.echo(f"{done['path']}: intact ({done['closes']} closes, {done['live']} live; {done['imports']} "
               f"history imports; {done['digests']} digests checked)")
