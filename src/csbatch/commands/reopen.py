"""`csbatch reopen`: reopen a closed month so it can be closed again."""

from __future__ import annotations

from pathlib import Path

import typer

from csbatch.commands.exits import finish_with
from csbatch.console import language
from csbatch.i18n import translator


def run(period: str, reason: str, ledger: Path | None, out: Path | None) -> None:
    from csbatch.ledger.maintenance import reopen
    from csbatch.ledger.store import ledger_at

    done = finish_with(*reopen(period, reason, ledger_at(ledger, out), out))
    _ = translator(language())
    said = (_("reopened {period} (closed {closed_at}); its folder moved to {moved_to}") if done["moved_to"] else
            _("reopened {period} (closed {closed_at})"))
    typer.echo(said.format(period=period, closed_at=done["closed_at"], moved_to=done["moved_to"]))
