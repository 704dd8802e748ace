"""`csbatch ledger verify`: check the ledger against the digests each close recorded."""

from __future__ import annotations

from pathlib import Path

import typer

from csbatch.commands.exits import finish


def run(ledger: Path | None, out: Path | None) -> None:
    from csbatch.ledger.maintenance import verify_ledger
    from csbatch.ledger.store import default_ledger

    done, issues = verify_ledger(ledger or default_ledger(out))
    finish(issues)
    typer.echo(f"{done['path']}: intact ({done['closes']} closes, {done['live']} live; {done['imports']} "
               f"history imports; {done['digests']} digests checked)")
