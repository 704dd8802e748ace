"""`csbatch reopen`: reopen a closed month so it can be closed again."""

from __future__ import annotations

from pathlib import Path

import typer

from csbatch.commands.exits import finish_with


def run(period: str, reason: str, ledger: Path | None, out: Path | None) -> None:
    from csbatch.ledger.maintenance import reopen
    from csbatch.ledger.store import ledger_at

    done = finish_with(*reopen(period, reason, ledger_at(ledger, out), out))
    moved = f"; its folder moved to {done['moved_to']}" if done["moved_to"] else ""
    typer.echo(f"reopened {period} (closed {done['closed_at']}){moved}")
