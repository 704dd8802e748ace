"""`csbatch ledger verify`: check the ledger against the digests each close recorded."""

from __future__ import annotations

from pathlib import Path

import typer

from csbatch.commands.exits import finish_with
from csbatch.console import language
from csbatch.i18n import N_, word


def run(ledger: Path | None, out: Path | None) -> None:
    from csbatch.ledger.maintenance import verify_ledger
    from csbatch.ledger.store import ledger_at

    done = finish_with(*verify_ledger(ledger_at(ledger, out)))
    typer.echo(word(language(), N_("{path}: intact ({closes} closes, {live} live; {imports} history imports; "
                                   "{digests} digests checked)")).format(**done))
